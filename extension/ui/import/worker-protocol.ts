/**
 * The messages between the transfer page and its file worker (file-worker.ts): reading and
 * analysing an import file, building a large import's new cards, a large restore's index rows
 * or a large export's lines (answered a chunk at a time, from the end of the list back, until
 * stopped), and writing an XLSX. Plain data only
 * (structured clone); the bytes go over as transferables.
 */
import type { Analysis } from '../../../shared/import/analyse.ts';
import type { ImportError } from '../../../shared/import/errors.ts';
import type { TextEncodingName } from '../../../shared/import/text-decode.ts';
import type { RowContext } from '../../../shared/backup/restore-rows.ts';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import type { BuiltCard, ImportBuildContext } from '../../../shared/import/build-card.ts';
import type { ExistingCard, ImportRecord, Mapping } from '../../../shared/import/types.ts';
import type { ExportLanguage, ExportTable, RegisterFacts } from '../../../shared/export/register-table.ts';
import type { OutCell } from '../../../shared/export/csv-write.ts';

export type WorkerRequest =
  | { id: number; type: 'analyse'; bytes: Uint8Array; fileName: string; encoding?: TextEncodingName; mapping?: Mapping; headerRow?: number; keepUnmapped?: boolean; existing: ExistingCard[] }
  | { id: number; type: 'xlsx'; table: Omit<ExportTable, 'columns'> & { columns: { type: 'text' | 'number' | 'date' }[] }; sheetName: string }
  | { id: number; type: 'build-cards'; records: ImportRecord[]; ids: string[]; context: ImportBuildContext }
  | { id: number; type: 'build-rows'; cards: { id: string; state: Uint8Array }[]; context: RowContext }
  | { id: number; type: 'build-lines'; cards: { id: string; state: Uint8Array; facts: RegisterFacts }[]; language: ExportLanguage }
  | { id: number; type: 'stop-build'; build: number }
  /** Loads exceljs ahead of use (the import screen is open; the user is choosing a file). */
  | { id: number; type: 'warm' };

export type WorkerReply =
  | { id: number; type: 'analysed'; result: { ok: true; value: Analysis } | ImportError }
  | { id: number; type: 'xlsx'; bytes: Uint8Array }
  /** Cards start, start + 1, …; null where a record was refused (the store finds out itself). */
  | { id: number; type: 'built'; start: number; cards: (BuiltCard | null)[] }
  /** Index rows of a restore's cards start, start + 1, … */
  | { id: number; type: 'rows'; start: number; rows: CardIndexRow[] }
  /** Export lines of cards start, start + 1, …; null for a card without a name. */
  | { id: number; type: 'lines'; start: number; lines: (OutCell[] | null)[] }
  | { id: number; type: 'failed'; message: string };
