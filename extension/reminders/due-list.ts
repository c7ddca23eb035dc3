/**
 * The due list as the extension computes it: the index rows pick the cards that may have
 * something due (a follow-up or payment date ahead, a drifting contact, a birthday this week),
 * only those cards are read, and shared/reminders decides. Settings and snoozes live in the
 * store's settings, so every device context agrees.
 */
import type { CardIndexRow } from '../../shared/card-types.ts';
import { DEFAULT_REMINDERS, dueItems, type DueItem, type ReminderSettings, type Snoozes } from '../../shared/reminders/due.ts';
import type { CardStore } from '../store/index.ts';

const DAY = 86_400_000;

export async function reminderSettings(store: CardStore): Promise<ReminderSettings> {
  const saved = await store.getSetting<Partial<ReminderSettings>>('reminders');
  return { ...DEFAULT_REMINDERS, ...saved, cadenceDays: { ...DEFAULT_REMINDERS.cadenceDays, ...saved?.cadenceDays }, zoneOffset: -new Date().getTimezoneOffset() };
}

function mayBeDue(row: CardIndexRow, now: number, settings: ReminderSettings): boolean {
  const horizon = now + (settings.horizonDays + 1) * DAY;
  if (row.nextDue > 0 && row.nextDue <= horizon) return true;
  if (row.overdue > 0) return true;
  const cadence = row.cadenceDays || settings.cadenceDays[row.abc === 'A' || row.abc === 'B' ? row.abc : 'C'];
  if (row.lastContact === 0 || row.lastContact + cadence * DAY <= horizon) return true;
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
  const candidates = rows.filter((row) => mayBeDue(row, now, settings));
  const cards = (await Promise.all(candidates.map((row) => store.getCard(row.id)))).filter((card) => card !== undefined);
  return dueItems(cards, new Map(rows.map((row) => [row.id, row.abc])), now, settings, snoozes);
}

export async function snoozeItem(store: CardStore, itemId: string, until: number): Promise<void> {
  const snoozes = (await store.getSetting<Snoozes>('snoozes')) ?? {};
  const now = Date.now();
  const kept = Object.fromEntries(Object.entries(snoozes).filter(([, at]) => at > now));
  await store.setSetting('snoozes', { ...kept, [itemId]: until });
}
