/**
 * The transfer page's worker: parses import files (exceljs, papaparse, vCard) and writes XLSX
 * exports off the page's thread, so the page stays responsive with a 10,000-row sheet; and
 * builds a large import's new cards (a large restore's index rows, a large export's lines) from
 * the end of the list while the page builds from the front. Runs only the shared import/export
 * modules; it never touches the store.
 */
import { rowOfState } from '../../../shared/backup/restore-rows.ts';
import { analyseImport } from '../../../shared/import/analyse.ts';
import { loadExcel } from '../../../shared/import/xlsx-read.ts';
import { buildImportCard, type BuiltCard } from '../../../shared/import/build-card.ts';
import { ensurePinyin } from '../../../shared/pinyin.ts';
import { tableToXlsx } from '../../../shared/export/xlsx-write.ts';
import { exportColumns, type ExportTable } from '../../../shared/export/register-table.ts';
import { lineOfState } from '../../../shared/export/state-lines.ts';
import { nextTurn } from '../../../shared/next-turn.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

const scope = self as unknown as { onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null; postMessage(message: WorkerReply, transfer?: Transferable[]): void };

/** Cards per reply while building (~50 ms of work). */
const BUILD_CHUNK = 100;
const building = new Set<number>();
const stopped = new Set<number>();

/**
 * Calls `chunk(start, end)` for chunks from the end of `count` items back, until stopped; after
 * `prepare` (loading what the chunks need).
 */
async function buildBackwards(id: number, count: number, chunk: (start: number, end: number) => void, prepare?: () => Promise<void>): Promise<void> {
  building.add(id);
  await prepare?.();
  for (let end = count; end > 0 && !stopped.has(id); end -= BUILD_CHUNK) {
    chunk(Math.max(0, end - BUILD_CHUNK), end);
    await nextTurn();
  }
  building.delete(id);
  stopped.delete(id);
}

function buildCards(request: Extract<WorkerRequest, { type: 'build-cards' }>): Promise<void> {
  return buildBackwards(request.id, request.records.length, (start, end) => {
    const cards: (BuiltCard | null)[] = [];
    const transfer: ArrayBuffer[] = [];
    for (let i = start; i < end; i++) {
      const built = buildImportCard(request.records[i]!, request.ids[i]!, request.context);
      cards.push(built.ok ? built.value : null);
      if (built.ok) transfer.push(built.value.state.buffer as ArrayBuffer);
    }
    scope.postMessage({ id: request.id, type: 'built', start, cards }, transfer);
  }, ensurePinyin); // the cards' rows carry their pinyin terms, as the store's own do
}

function buildRows(request: Extract<WorkerRequest, { type: 'build-rows' }>): Promise<void> {
  return buildBackwards(request.id, request.cards.length, (start, end) => {
    const rows = request.cards.slice(start, end).map((card) => rowOfState(card.id, card.state, request.context));
    scope.postMessage({ id: request.id, type: 'rows', start, rows });
  }, ensurePinyin);
}

function buildLines(request: Extract<WorkerRequest, { type: 'build-lines' }>): Promise<void> {
  const columns = exportColumns(request.language);
  return buildBackwards(request.id, request.cards.length, (start, end) => {
    const lines = request.cards.slice(start, end).map((card) => lineOfState(card.id, card.state, card.facts, columns));
    scope.postMessage({ id: request.id, type: 'lines', start, lines });
  });
}

scope.onmessage = (event) => {
  const request = event.data;
  void (async () => {
    try {
      if (request.type === 'analyse') {
        const options = {
          existing: request.existing,
          ...(request.encoding ? { encoding: request.encoding } : {}),
          ...(request.mapping ? { mapping: request.mapping } : {}),
          ...(request.headerRow !== undefined ? { headerRow: request.headerRow } : {}),
          ...(request.keepUnmapped ? { keepUnmapped: true } : {}),
        };
        const result = await analyseImport(request.bytes, request.fileName, options);
        scope.postMessage({ id: request.id, type: 'analysed', result });
        // An import usually follows: its builds start with the converter loaded, not loading it.
        if (result.ok) void ensurePinyin();
      } else if (request.type === 'build-cards') {
        await buildCards(request);
      } else if (request.type === 'build-rows') {
        await buildRows(request);
      } else if (request.type === 'build-lines') {
        await buildLines(request);
      } else if (request.type === 'warm') {
        await loadExcel();
      } else if (request.type === 'stop-build') {
        if (building.has(request.build)) stopped.add(request.build);
      } else if (request.type === 'xlsx') {
        const bytes = await tableToXlsx(request.table as ExportTable, request.sheetName);
        scope.postMessage({ id: request.id, type: 'xlsx', bytes }, [bytes.buffer]);
      }
    } catch (error) {
      scope.postMessage({ id: request.id, type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  })();
};
