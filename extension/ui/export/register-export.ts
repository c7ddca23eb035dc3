/**
 * The register's table for an export, built from the cards' stored states: the page builds each
 * card's line from the front of the list while the file worker builds from the end back, until
 * the two meet (decoding 10,000 cards' Yjs states is about 2 s on one thread; the page and the
 * worker each take about half). The rows give the order and the register's own columns.
 */
import type { CardIndexRow } from '../../../shared/card-types.ts';
import type { OutCell } from '../../../shared/export/csv-write.ts';
import { exportColumns, tableOfLines, type ExportOptions, type ExportTable } from '../../../shared/export/register-table.ts';
import { lineOfState } from '../../../shared/export/state-lines.ts';
import { nextTurn } from '../../../shared/next-turn.ts';
import type { CardStoreApi } from '../../store/api.ts';
import { holdFromWorker } from '../import/worker-builds.ts';

/** Cards from which the worker helps (below, starting it costs more than it saves). */
const WORKER_FROM = 1000;
/** Lines between turns of the page's event loop (~10 ms of work). */
const SLICE = 50;
const PROGRESS_EVERY = 500;

export async function registerExportTable(
  store: Pick<CardStoreApi, 'readCardStates'>,
  rows: readonly CardIndexRow[],
  options: ExportOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<ExportTable> {
  const columns = exportColumns(options.language);
  const states = await store.readCardStates(rows.map((row) => row.id));
  const cards = rows.flatMap((row) => {
    const state = states.get(row.id);
    return state ? [{ id: row.id, state, facts: { abc: row.abc, lastContact: row.lastContact, receivables: row.receivables } }] : [];
  });
  const fromWorker =
    cards.length >= WORKER_FROM
      ? holdFromWorker<OutCell[] | null>({ type: 'build-lines', cards, language: options.language }, (reply) => (reply.type === 'lines' ? { start: reply.start, items: reply.lines } : undefined))
      : undefined;
  const lines: OutCell[][] = [];
  try {
    for (let i = 0; i < cards.length; i++) {
      const card = cards[i]!;
      const sent = fromWorker?.take(i);
      const line = sent ? sent.value : lineOfState(card.id, card.state, card.facts, columns);
      if (line) lines.push(line);
      if (i % SLICE === SLICE - 1) await nextTurn();
      if (i % PROGRESS_EVERY === PROGRESS_EVERY - 1) onProgress?.(i + 1, cards.length);
    }
  } finally {
    fromWorker?.stop();
  }
  return tableOfLines(lines, columns, options);
}
