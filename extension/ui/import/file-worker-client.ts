/**
 * The page's side of the file worker: one worker per page, started on first use, each request
 * answered by id (a stream of replies for a build of cards). A worker that fails to load (or
 * crashes) rejects the waiting requests with a readable message instead of leaving the page
 * waiting; a stream simply ends.
 */
/// <reference types="vite/client" />
import FileWorker from './file-worker.ts?worker';
import type { Analysis } from '../../../shared/import/analyse.ts';
import type { ImportError } from '../../../shared/import/errors.ts';
import type { ExportTable } from '../../../shared/export/register-table.ts';
import type { TextEncodingName } from '../../../shared/import/text-decode.ts';
import type { ExistingCard, Mapping } from '../../../shared/import/types.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void };

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, Pending>();
const streams = new Map<number, (reply: WorkerReply) => void>();

function failAll(message: string): void {
  for (const pending of waiting.values()) pending.reject(new Error(message));
  waiting.clear();
  streams.clear();
  worker?.terminate();
  worker = undefined;
}

function getWorker(): Worker {
  if (!worker) {
    worker = new FileWorker();
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const stream = streams.get(event.data.id);
      if (stream) return stream(event.data);
      const pending = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      pending?.resolve(event.data);
    };
    worker.onerror = (event) => failAll(event.message || 'The file reader stopped');
  }
  return worker;
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
/** The requests answered by a stream of replies, from the end of a list back. */
export type WorkerBuild = Extract<Request, { type: 'build-cards' | 'build-rows' | 'build-lines' }>;

function ask(request: Request, transfer: Transferable[] = []): Promise<WorkerReply> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    getWorker().postMessage({ ...request, id } as WorkerRequest, transfer);
  });
}

/** Sends a request answered by many replies, each given to `onReply` until `stop`. */
export function streamFromWorker(request: WorkerBuild, onReply: (reply: WorkerReply) => void): { stop(): void } {
  const id = nextId++;
  streams.set(id, onReply);
  getWorker().postMessage({ ...request, id } as WorkerRequest);
  return {
    stop() {
      if (!streams.delete(id)) return;
      worker?.postMessage({ type: 'stop-build', build: id, id: nextId++ } satisfies WorkerRequest);
    },
  };
}

export interface AnalyseInput {
  bytes: Uint8Array;
  fileName: string;
  encoding?: TextEncodingName;
  mapping?: Mapping;
  /** The sheet row to read as the header instead of the one found. */
  headerRow?: number;
  keepUnmapped?: boolean;
  existing: ExistingCard[];
}

export async function analyseInWorker(input: AnalyseInput): Promise<{ ok: true; value: Analysis } | ImportError> {
  // The page keeps its copy of the bytes (the user may change the encoding or the mapping).
  const reply = await ask({ type: 'analyse', ...input, bytes: input.bytes.slice() });
  if (reply.type === 'analysed') return reply.result;
  throw new Error(reply.type === 'failed' ? reply.message : 'Unexpected reply');
}

export async function xlsxInWorker(table: ExportTable, sheetName: string): Promise<Uint8Array> {
  const plain = { header: table.header, rows: table.rows, leftOut: table.leftOut, columns: table.columns.map((column) => ({ type: column.type })) };
  const reply = await ask({ type: 'xlsx', table: plain, sheetName });
  if (reply.type === 'xlsx') return reply.bytes;
  throw new Error(reply.type === 'failed' ? reply.message : 'Unexpected reply');
}

/** Starts the worker and has it load exceljs while the user picks a file (no reply). */
export function warmWorker(): void {
  getWorker().postMessage({ type: 'warm', id: nextId++ } satisfies WorkerRequest);
}

/** Stops the worker (the page is closing, or a long parse was cancelled). */
export function stopWorker(): void {
  failAll('cancelled');
}
