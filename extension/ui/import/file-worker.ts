/**
 * The transfer page's worker: parses import files (exceljs, papaparse, vCard) and writes XLSX
 * exports off the page's thread, so the page stays responsive with a 10,000-row sheet. Runs
 * only the shared import/export modules; it never touches the store.
 */
import { analyseImport } from '../../../shared/import/analyse.ts';
import { tableToXlsx } from '../../../shared/export/xlsx-write.ts';
import type { ExportTable } from '../../../shared/export/register-table.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

const scope = self as unknown as { onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null; postMessage(message: WorkerReply, transfer?: Transferable[]): void };

scope.onmessage = (event) => {
  const request = event.data;
  void (async () => {
    try {
      if (request.type === 'analyse') {
        const options = { existing: request.existing, ...(request.encoding ? { encoding: request.encoding } : {}), ...(request.mapping ? { mapping: request.mapping } : {}) };
        const result = await analyseImport(request.bytes, request.fileName, options);
        scope.postMessage({ id: request.id, type: 'analysed', result });
      } else if (request.type === 'xlsx') {
        const bytes = await tableToXlsx(request.table as ExportTable, request.sheetName);
        scope.postMessage({ id: request.id, type: 'xlsx', bytes }, [bytes.buffer]);
      }
    } catch (error) {
      scope.postMessage({ id: request.id, type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  })();
};
