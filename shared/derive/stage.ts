/**
 * The customer cycle stage, derived from the ledger and the timeline (DOMAIN.md §3):
 * stranger → prospect → first deal → repeat → dormant → lost → won back.
 *   stranger: no order and no logged contact; prospect: contacts but no order;
 *   dormant: no order for `dormantDays` (default 180); lost: none for `lostDays` (default 365);
 *   won back: the latest order came after a gap of at least `dormantDays`;
 *   first deal: one order; repeat: two or more.
 */
import { isContact, type LedgerEntry, type TimelineEntry } from '../card-types.ts';
import { DAY_MS } from './ledger.ts';

export type Stage = 'stranger' | 'prospect' | 'first-deal' | 'repeat' | 'dormant' | 'lost' | 'won-back';

export interface StageSettings {
  dormantDays: number;
  lostDays: number;
}

export const DEFAULT_STAGE: StageSettings = { dormantDays: 180, lostDays: 365 };

export function deriveStage(ledger: readonly LedgerEntry[], timeline: readonly TimelineEntry[], now: number, settings: StageSettings = DEFAULT_STAGE): Stage {
  const orderDates = ledger.filter((e) => e.kind === 'order').map((e) => e.date);
  return stageFromOrders(orderDates, timeline.some((e) => isContact(e)), now, settings);
}

/** The stage from the order dates alone (any order) and whether any contact was logged. */
export function stageFromOrders(orderDates: readonly number[], hasContact: boolean, now: number, settings: StageSettings = DEFAULT_STAGE): Stage {
  const orders = orderDates.filter((date) => date <= now).sort((a, b) => a - b);
  if (orders.length === 0) return hasContact ? 'prospect' : 'stranger';
  const last = orders[orders.length - 1]!;
  const idle = (now - last) / DAY_MS;
  if (idle >= settings.lostDays) return 'lost';
  if (idle >= settings.dormantDays) return 'dormant';
  if (orders.length >= 2 && (last - orders[orders.length - 2]!) / DAY_MS >= settings.dormantDays) return 'won-back';
  return orders.length === 1 ? 'first-deal' : 'repeat';
}
