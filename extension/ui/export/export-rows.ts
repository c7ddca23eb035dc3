/**
 * The rows an export of the register takes: the register's view when the register opened the
 * export page (its filters and sort travel in the URL, as they do in the register's own), every
 * card by name otherwise. Never a list page: a list stops at its page size (100 cards).
 */
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { halfYearRanks } from '../../../shared/analysis/sales.ts';
import type { CardStoreApi } from '../../store/api.ts';
import { applyView, paramsToView, REGISTER_VIEW_MARK } from '../register/register-view.ts';

export async function rowsToExport(store: Pick<CardStoreApi, 'allRows'>, search: string, now = Date.now()): Promise<CardIndexRow[]> {
  const params = new URLSearchParams(search);
  const rows = await store.allRows();
  if (!params.has(REGISTER_VIEW_MARK)) return rows.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const view = paramsToView(params);
  const ranks = view.sort.key === 'rank' ? new Map(halfYearRanks(rows, now).lines.map((line) => [line.id, line.rank])) : new Map<string, number>();
  return applyView(rows, view, { now, ranks });
}
