/**
 * The due list as the extension computes it. Who is drifting past their cadence comes from the
 * index rows alone; the rows also pick the cards that may have a dated item (a follow-up or a
 * payment ahead, a birthday this week), and only those cards are read. The context of the
 * first drifting customers (last notes, family, what they care about) is read for the list. Settings and snoozes live in the
 * store's settings, so every device context agrees.
 */
import type { CardIndexRow } from '../../shared/card-types.ts';
import { cadenceItem, DEFAULT_REMINDERS, dueItems, sortDue, type DueItem, type ReminderSettings, type Snoozes } from '../../shared/reminders/due.ts';
import type { CardStore } from '../store/index.ts';

const DAY = 86_400_000;

export async function reminderSettings(store: CardStore): Promise<ReminderSettings> {
  const saved = await store.getSetting<Partial<ReminderSettings>>('reminders');
  return { ...DEFAULT_REMINDERS, ...saved, cadenceDays: { ...DEFAULT_REMINDERS.cadenceDays, ...saved?.cadenceDays }, zoneOffset: -new Date().getTimezoneOffset() };
}

const CONTEXT_FOR_FIRST = 30;

/** Whether a card may have a dated item (follow-up, payment, birthday, anniversary) soon. */
function mayHaveDatedItem(row: CardIndexRow, now: number, settings: ReminderSettings): boolean {
  const horizon = now + (settings.horizonDays + 1) * DAY;
  if (row.nextDue > 0 && row.nextDue <= horizon) return true;
  if (row.overdue > 0) return true;
  if ((row.annualDates ?? []).length > 0) {
    for (let d = 0; d <= settings.horizonDays + 1; d++) {
      const day = new Date(now + d * DAY).toISOString().slice(5, 10);
      if (row.annualDates.includes(day) || (day === '02-28' && row.annualDates.includes('02-29'))) return true;
    }
  }
  return false;
}

export async function loadDueItems(store: CardStore, now: number): Promise<DueItem[]> {
  const settings = await reminderSettings(store);
  const snoozes = (await store.getSetting<Snoozes>('snoozes')) ?? {};
  const rows = await store.listCards({ limit: 1_000_000 });
  const drifting = rows.map((row) => cadenceItem({ ...row, createdAt: row.createdAt ?? 0, cadenceDays: row.cadenceDays ?? 0 }, now, settings, snoozes)).filter((item) => item !== undefined);
  const candidates = rows.filter((row) => mayHaveDatedItem(row, now, settings));
  const cards = (await Promise.all(candidates.map((row) => store.getCard(row.id)))).filter((card) => card !== undefined);
  const dated = dueItems(cards, new Map(rows.map((row) => [row.id, row.abc])), now, settings, snoozes, { cadence: false });
  const items = sortDue([...drifting, ...dated]);
  // Give the first drifting customers their context (cards read only for those).
  const needContext = items.filter((item) => item.kind === 'cadence').slice(0, CONTEXT_FOR_FIRST);
  const withContext = new Map<string, DueItem['context']>();
  for (const item of needContext) {
    const card = await store.getCard(item.cardId);
    const [full] = card ? dueItems([card], new Map(), now, settings, {}, {}) : [];
    if (full) withContext.set(item.id, full.context);
  }
  return items.map((item) => (withContext.has(item.id) ? { ...item, context: withContext.get(item.id)! } : item));
}

export async function snoozeItem(store: CardStore, itemId: string, until: number): Promise<void> {
  const snoozes = (await store.getSetting<Snoozes>('snoozes')) ?? {};
  const now = Date.now();
  const kept = Object.fromEntries(Object.entries(snoozes).filter(([, at]) => at > now));
  await store.setSetting('snoozes', { ...kept, [itemId]: until });
}
