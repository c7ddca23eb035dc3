/**
 * The messages between the transfer page and its file worker (file-worker.ts): reading and
 * analysing an import file, and writing an XLSX. Plain data only (structured clone); the bytes
 * go over as transferables.
 */
import type { Analysis } from '../../../shared/import/analyse.ts';
import type { ImportError } from '../../../shared/import/errors.ts';
import type { TextEncodingName } from '../../../shared/import/text-decode.ts';
import type { ExistingCard, Mapping } from '../../../shared/import/types.ts';
import type { ExportTable } from '../../../shared/export/register-table.ts';

export type WorkerRequest =
  | { id: number; type: 'analyse'; bytes: Uint8Array; fileName: string; encoding?: TextEncodingName; mapping?: Mapping; existing: ExistingCard[] }
  | { id: number; type: 'xlsx'; table: Omit<ExportTable, 'columns'> & { columns: { type: 'text' | 'number' | 'date' }[] }; sheetName: string };

export type WorkerReply =
  | { id: number; type: 'analysed'; result: { ok: true; value: Analysis } | ImportError }
  | { id: number; type: 'xlsx'; bytes: Uint8Array }
  | { id: number; type: 'failed'; message: string };
