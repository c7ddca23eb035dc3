/**
 * The register's view (客户名册): which columns in which order, the sort, and the filters, as
 * plain data that lives in the page's URL (so a view can be bookmarked) and in saved views.
 * Applying a view to the rows (filter, then sort) and the totals of what is shown are pure
 * functions here, measured in the bench and tested without a browser.
 */
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { daysPastCadence } from '../../../shared/analysis/activity.ts';
import { DAY_MS } from '../../../shared/derive/ledger.ts';
import { DEFAULT_REMINDERS, type ReminderSettings } from '../../../shared/reminders/due.ts';

export const COLUMNS = [
  'number', 'name', 'city', 'class', 'stage', 'owner', 'key', 'lastContact', 'nextDue', 'receivables', 'overdue', 'purchases12m', 'rank', 'nature', 'tier', 'loyalty', 'industry', 'tags',
] as const;
export type ColumnKey = (typeof COLUMNS)[number];

export const DEFAULT_COLUMNS: ColumnKey[] = ['name', 'city', 'class', 'stage', 'owner', 'key', 'lastContact', 'nextDue', 'receivables', 'overdue'];

/** Columns whose values are amounts (right-aligned, summed in the totals). */
export const MONEY_COLUMNS: ReadonlySet<ColumnKey> = new Set(['receivables', 'overdue', 'purchases12m']);

/** Filters on a set of values (any of them matches); an empty list filters nothing. */
export const LIST_FILTERS = ['class', 'stage', 'owner', 'team', 'region', 'nature', 'tier', 'loyalty', 'tag'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];
/** Yes/no filters: only cards that are so. */
export const FLAG_FILTERS = ['key', 'overdue', 'drifting', 'followUps'] as const;
export type FlagFilter = (typeof FLAG_FILTERS)[number];

export interface RegisterView {
  columns: ColumnKey[];
  sort: { key: ColumnKey; desc: boolean };
  lists: Partial<Record<ListFilter, string[]>>;
  flags: FlagFilter[];
  /** Only cards not updated in this many days (0: off). */
  staleDays: number;
}

export const DEFAULT_VIEW: RegisterView = { columns: DEFAULT_COLUMNS, sort: { key: 'name', desc: false }, lists: {}, flags: [], staleDays: 0 };

/** What a view needs besides the rows: the date, the half-year ranks, the cadence settings. */
export interface ViewContext {
  now: number;
  ranks: ReadonlyMap<string, number>;
  reminders?: ReminderSettings;
  /** Each owner's team, as the server tells managers and admins (custody API); none for a rep. */
  teams?: ReadonlyMap<string, string>;
}

/** Marks a link that carries a register view to another page (the export of exactly those rows). */
export const REGISTER_VIEW_MARK = 'register';

const isColumn = (value: string): value is ColumnKey => (COLUMNS as readonly string[]).includes(value);

/** The view as URL parameters: only what differs from the default. */
export function viewToParams(view: RegisterView, params = new URLSearchParams()): URLSearchParams {
  for (const key of ['cols', 'sort', 'is', 'stale', ...LIST_FILTERS]) params.delete(key);
  if (view.columns.join(',') !== DEFAULT_COLUMNS.join(',')) params.set('cols', view.columns.join(','));
  if (view.sort.key !== 'name' || view.sort.desc) params.set('sort', `${view.sort.desc ? '-' : ''}${view.sort.key}`);
  for (const key of LIST_FILTERS) {
    const values = view.lists[key];
    if (values && values.length > 0) params.set(key, values.join(','));
  }
  if (view.flags.length > 0) params.set('is', view.flags.join(','));
  if (view.staleDays > 0) params.set('stale', String(view.staleDays));
  return params;
}

/** A view from URL parameters; anything unknown or malformed is left at its default. */
export function paramsToView(params: URLSearchParams): RegisterView {
  const cols = (params.get('cols') ?? '').split(',').filter(isColumn);
  const sortText = params.get('sort') ?? '';
  const sortKey = sortText.replace(/^-/, '');
  const lists: RegisterView['lists'] = {};
  for (const key of LIST_FILTERS) {
    const values = (params.get(key) ?? '').split(',').map((v) => v.trim()).filter(Boolean);
    if (values.length > 0) lists[key] = [...new Set(values)].slice(0, 100);
  }
  const stale = Number(params.get('stale') ?? 0);
  return {
    columns: cols.length > 0 ? [...new Set(cols)] : DEFAULT_COLUMNS,
    sort: isColumn(sortKey) ? { key: sortKey, desc: sortText.startsWith('-') } : DEFAULT_VIEW.sort,
    lists,
    flags: (params.get('is') ?? '').split(',').filter((f): f is FlagFilter => (FLAG_FILTERS as readonly string[]).includes(f)),
    staleDays: Number.isInteger(stale) && stale > 0 && stale < 100_000 ? stale : 0,
  };
}

/** The value a list filter compares (a card's tags are several; its team is its owner's). */
function listValues(row: CardIndexRow, key: ListFilter, teams?: ReadonlyMap<string, string>): string[] {
  switch (key) {
    case 'team': return [teams?.get(row.owner) ?? ''];
    case 'class': return [row.abc];
    case 'stage': return [row.stage];
    case 'owner': return [row.owner];
    case 'region': return [row.city];
    case 'nature': return [row.nature];
    case 'tier': return [row.tier];
    case 'loyalty': return [row.loyalty];
    case 'tag': return row.tags;
  }
}

/**
 * A test of the view's filters, prepared once for all rows: one small check per active filter
 * (the wanted values as sets), so a row costs only the filters in use.
 */
export function matcherOf(view: Pick<RegisterView, 'lists' | 'flags' | 'staleDays'>, ctx: ViewContext): (row: CardIndexRow) => boolean {
  const checks: ((row: CardIndexRow) => boolean)[] = [];
  for (const key of LIST_FILTERS) {
    const wanted = new Set(view.lists[key] ?? []);
    if (wanted.size === 0) continue;
    if (key === 'tag') checks.push((row) => row.tags.some((tag) => wanted.has(tag)));
    else checks.push((row) => wanted.has(listValues(row, key, ctx.teams)[0]!));
  }
  const reminders = ctx.reminders ?? DEFAULT_REMINDERS;
  for (const flag of view.flags) {
    if (flag === 'key') checks.push((row) => row.keyCustomer);
    if (flag === 'overdue') checks.push((row) => row.overdue > 0);
    if (flag === 'followUps') checks.push((row) => row.followUps.length > 0);
    if (flag === 'drifting') checks.push((row) => daysPastCadence(row, ctx.now, reminders) > 0);
  }
  if (view.staleDays > 0) {
    const before = ctx.now - view.staleDays * DAY_MS;
    checks.push((row) => row.updatedAt <= before);
  }
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0]!;
  return (row) => {
    for (const check of checks) if (!check(row)) return false;
    return true;
  };
}

export function rowMatches(row: CardIndexRow, view: RegisterView, ctx: ViewContext): boolean {
  return matcherOf(view, ctx)(row);
}

/** The value a column sorts by (numbers, or lower-cased text; missing values sort last). */
export function sortValue(row: CardIndexRow, key: ColumnKey, ctx: ViewContext): number | string {
  switch (key) {
    case 'number': return row.cardNumber.toLowerCase();
    case 'name': return row.sortKey;
    case 'city': return row.city.toLowerCase();
    case 'class': return row.abc;
    case 'stage': return row.stage;
    case 'owner': return row.owner.toLowerCase();
    case 'key': return row.keyCustomer ? 1 : 0;
    case 'lastContact': return row.lastContact;
    case 'nextDue': return row.nextDue || Number.POSITIVE_INFINITY;
    case 'receivables': return row.receivables;
    case 'overdue': return row.overdue;
    case 'purchases12m': return row.purchases12m;
    case 'rank': return ctx.ranks.get(row.id) || Number.POSITIVE_INFINITY;
    case 'nature': return row.nature;
    case 'tier': return row.tier;
    case 'loyalty': return row.loyalty;
    case 'industry': return row.industry.toLowerCase();
    case 'tags': return row.tags.join(',').toLowerCase();
  }
}

/** The rows in the view's order (ties by name); missing values last whichever the direction. */
export function sortRows(rows: readonly CardIndexRow[], sort: RegisterView['sort'], ctx: ViewContext): CardIndexRow[] {
  const keyed = rows.map((row) => ({ row, value: sortValue(row, sort.key, ctx) }));
  const sign = sort.desc ? -1 : 1;
  const emptyLast = (value: number | string) => value === '' || value === Number.POSITIVE_INFINITY;
  keyed.sort((a, b) => {
    const ea = emptyLast(a.value);
    const eb = emptyLast(b.value);
    if (ea !== eb) return ea ? 1 : -1;
    const order = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return order * sign || (a.row.sortKey < b.row.sortKey ? -1 : a.row.sortKey > b.row.sortKey ? 1 : 0);
  });
  return keyed.map((k) => k.row);
}

/** The rows the view's filters let through, in the order given. */
export function filterRows(rows: readonly CardIndexRow[], view: Pick<RegisterView, 'lists' | 'flags' | 'staleDays'>, ctx: ViewContext): CardIndexRow[] {
  const matches = matcherOf(view, ctx);
  const out: CardIndexRow[] = [];
  for (const row of rows) if (matches(row)) out.push(row);
  return out;
}

/** The rows the view shows, in its order. A page sorts once per sort and filters the sorted rows. */
export function applyView(rows: readonly CardIndexRow[], view: RegisterView, ctx: ViewContext): CardIndexRow[] {
  return filterRows(sortRows(rows, view.sort, ctx), view, ctx);
}

export interface RegisterTotals {
  count: number;
  keyCustomers: number;
  receivables: number;
  overdue: number;
  purchases12m: number;
}

export function totalsOf(rows: readonly CardIndexRow[]): RegisterTotals {
  const totals = { count: rows.length, keyCustomers: 0, receivables: 0, overdue: 0, purchases12m: 0 };
  for (const row of rows) {
    if (row.keyCustomer) totals.keyCustomers++;
    totals.receivables += row.receivables;
    totals.overdue += row.overdue;
    totals.purchases12m += row.purchases12m;
  }
  const round = (v: number) => Math.round(v * 100) / 100;
  return { ...totals, receivables: round(totals.receivables), overdue: round(totals.overdue), purchases12m: round(totals.purchases12m) };
}

/** The distinct values of a list filter across the rows (for its choices), most common first. */
export function choicesOf(rows: readonly CardIndexRow[], key: ListFilter, teams?: ReadonlyMap<string, string>): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) for (const value of listValues(row, key, teams)) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
