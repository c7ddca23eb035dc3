/**
 * Sales figures (DOMAIN.md §2, §7): sales by region (the card's county / city) and month
 * (重点客户销量统计), and sales by half-year with each customer's rank (名次): competition ranking,
 * equal amounts share a rank and the next rank skips (1, 2, 2, 4); customers who bought nothing
 * in the half-year have no rank.
 */
import type { CardIndexRow } from '../card-types.ts';
import { halfYearOf, lastMonths, monthKey, type HalfYear } from './periods.ts';

const round = (value: number) => Math.round(value * 100) / 100;

export type SalesRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'city' | 'orders'>;

export interface RegionSales {
  region: string;
  byMonth: number[];
  total: number;
}

/** Per region, sales in each of the `months` months ending with `now`'s (regions by total, largest first). */
export function salesByRegion(rows: readonly SalesRow[], now: number, months = 12): { months: string[]; regions: RegionSales[] } {
  const keys = lastMonths(now, months);
  const index = new Map(keys.map((k, i) => [k, i]));
  const regions = new Map<string, RegionSales>();
  for (const row of rows) {
    const region = row.city.trim();
    for (const [date, amount] of row.orders) {
      const i = index.get(monthKey(date));
      if (i === undefined || date > now) continue;
      const line = regions.get(region) ?? { region, byMonth: keys.map(() => 0), total: 0 };
      line.byMonth[i] = round(line.byMonth[i]! + amount);
      line.total = round(line.total + amount);
      regions.set(region, line);
    }
  }
  return { months: keys, regions: [...regions.values()].sort((a, b) => b.total - a.total || a.region.localeCompare(b.region)) };
}

export interface RankLine {
  id: string;
  name: string;
  owner: string;
  amount: number;
  rank: number;
  /** The rank in the half-year before (0: no purchases then). */
  previousRank: number;
}

function amountIn(row: SalesRow, half: HalfYear): number {
  let sum = 0;
  for (const [date, amount] of row.orders) if (date >= half.start && date < half.end) sum += amount;
  return round(sum);
}

/** Competition ranks of amounts (largest first); 0 for amounts of zero or less. */
export function competitionRanks(amounts: ReadonlyMap<string, number>): Map<string, number> {
  const sorted = [...amounts].filter(([, amount]) => amount > 0).sort((a, b) => b[1] - a[1]);
  const ranks = new Map<string, number>();
  sorted.forEach(([id, amount], i) => {
    const previous = i > 0 ? sorted[i - 1]! : undefined;
    ranks.set(id, previous && previous[1] === amount ? ranks.get(previous[0])! : i + 1);
  });
  for (const id of amounts.keys()) if (!ranks.has(id)) ranks.set(id, 0);
  return ranks;
}

/** Each customer's sales and rank in the half-year containing `at` (and their rank the half-year before). */
export function halfYearRanks(rows: readonly SalesRow[], at: number): { half: HalfYear; previous: HalfYear; lines: RankLine[] } {
  const half = halfYearOf(at);
  const previous = halfYearOf(half.start - 1);
  const now = new Map(rows.map((r) => [r.id, amountIn(r, half)]));
  const before = new Map(rows.map((r) => [r.id, amountIn(r, previous)]));
  const ranks = competitionRanks(now);
  const previousRanks = competitionRanks(before);
  const lines = rows
    .map((r) => ({ id: r.id, name: r.name, owner: r.owner, amount: now.get(r.id)!, rank: ranks.get(r.id)!, previousRank: previousRanks.get(r.id)! }))
    .filter((l) => l.rank > 0)
    .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  return { half, previous, lines };
}
