/**
 * The customer cycle (DOMAIN.md §3): a funnel of the seven stages with counts, the movements in
 * a period (first deals, went dormant, lost, won back: each card's stage at the period's start
 * against its end, from its orders and contacts), and worklists of dormant and lost customers to
 * win back, biggest past buyers first. Cards with a hand-set stage count in the funnel as set and
 * make no movement.
 */
import type { CardIndexRow } from '../card-types.ts';
import { DEFAULT_STAGE, stageFromOrders, type Stage, type StageSettings } from '../derive/stage.ts';

export const STAGES: Stage[] = ['stranger', 'prospect', 'first-deal', 'repeat', 'dormant', 'lost', 'won-back'];

export type CycleRow = Pick<CardIndexRow, 'id' | 'name' | 'owner' | 'stage' | 'stageOverride' | 'orders' | 'contacts' | 'lastContact'>;

export type Movement = 'first-deal' | 'went-dormant' | 'lost' | 'won-back';
export const MOVEMENTS: Movement[] = ['first-deal', 'went-dormant', 'lost', 'won-back'];

export interface WinBackLine {
  id: string;
  name: string;
  owner: string;
  stage: Stage;
  lastOrder: number;
  /** Everything they ever bought. */
  lifetime: number;
  lastContact: number;
}

export interface CycleReport {
  funnel: { stage: Stage; count: number }[];
  movements: { movement: Movement; count: number; cards: { id: string; name: string; owner: string }[] }[];
  winBack: { dormant: WinBackLine[]; lost: WinBackLine[] };
}

function stageAt(row: CycleRow, at: number, settings: StageSettings): Stage {
  const orders = row.orders.filter(([date]) => date <= at).map(([date]) => date);
  return stageFromOrders(orders, row.contacts.some((c) => c <= at), at, settings);
}

function movementOf(from: Stage, to: Stage, ordersInPeriod: number): Movement | undefined {
  if ((from === 'stranger' || from === 'prospect') && ordersInPeriod > 0) return 'first-deal';
  if (to === 'won-back' && from !== 'won-back') return 'won-back';
  if ((from === 'dormant' || from === 'lost') && ordersInPeriod > 0) return 'won-back';
  if (to === 'lost' && from !== 'lost') return 'lost';
  if (to === 'dormant' && from !== 'dormant' && from !== 'lost') return 'went-dormant';
  return undefined;
}

export function cycleReport(rows: readonly CycleRow[], from: number, to: number, settings: StageSettings = DEFAULT_STAGE): CycleReport {
  const funnel = STAGES.map((stage) => ({ stage, count: rows.filter((r) => r.stage === stage).length }));
  const moved = new Map<Movement, { id: string; name: string; owner: string }[]>(MOVEMENTS.map((m) => [m, []]));
  for (const row of rows) {
    if (row.stageOverride) continue;
    const ordersIn = row.orders.filter(([date]) => date > from && date <= to).length;
    const movement = movementOf(stageAt(row, from, settings), stageAt(row, to, settings), ordersIn);
    if (movement) moved.get(movement)!.push({ id: row.id, name: row.name, owner: row.owner });
  }
  const line = (row: CycleRow): WinBackLine => ({
    id: row.id,
    name: row.name,
    owner: row.owner,
    stage: row.stage as Stage,
    lastOrder: row.orders.length ? row.orders[row.orders.length - 1]![0] : 0,
    lifetime: Math.round(row.orders.reduce((sum, [, amount]) => sum + amount, 0) * 100) / 100,
    lastContact: row.lastContact,
  });
  const list = (stage: Stage) => rows.filter((r) => r.stage === stage).map(line).sort((a, b) => b.lifetime - a.lifetime || a.name.localeCompare(b.name));
  return {
    funnel,
    movements: MOVEMENTS.map((movement) => {
      const cards = moved.get(movement)!.sort((a, b) => a.name.localeCompare(b.name));
      return { movement, count: cards.length, cards };
    }),
    winBack: { dormant: list('dormant'), lost: list('lost') },
  };
}
