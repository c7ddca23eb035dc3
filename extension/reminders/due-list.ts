/**
 * The due list as the extension computes it: every item (cadence, birthdays, anniversaries,
 * follow-ups, payments) comes from the index rows alone; only the first items' cards are read,
 * for their context (last notes, family, what they care about). Settings and snoozes live in
 * the store's settings, so every device context agrees. Items reach the person responsible
 * (shared/reminders/responsible.ts): signed in, the list, badge and notifications hold the
 * user's own cards' items and the follow-ups they promised on cards of others; a manager's team's
 * items go to the desk's digest instead (`loadTeamDigest`).
 */
import { contextOf, DEFAULT_REMINDERS, type DueItem, type ReminderSettings, type Snoozes } from '../../shared/reminders/due.ts';
import { myDueItems, teamDigest, type RepDigest } from '../../shared/reminders/responsible.ts';
import type { CardStoreApi } from '../store/api.ts';
import type { SyncIdentity } from '../sync/types.ts';

export async function reminderSettings(store: CardStoreApi): Promise<ReminderSettings> {
  const saved = await store.getSetting<Partial<ReminderSettings>>('reminders');
  return { ...DEFAULT_REMINDERS, ...saved, cadenceDays: { ...DEFAULT_REMINDERS.cadenceDays, ...saved?.cadenceDays }, zoneOffset: -new Date().getTimezoneOffset() };
}

const CONTEXT_FOR_FIRST = 30;

/** The user this device's cards belong to (the account it synced with); undefined on a device that never signed in. */
export async function signedInUser(store: Pick<CardStoreApi, 'getSetting'>): Promise<string | undefined> {
  return (await store.getSetting<SyncIdentity>('syncIdentity'))?.user;
}

/** A manager's digest of her team's reminders, per rep (`reps`: the team's members, from the server). */
export async function loadTeamDigest(store: CardStoreApi, reps: readonly string[], now: number): Promise<RepDigest[]> {
  const manager = await signedInUser(store);
  if (manager === undefined) return [];
  const rows = await store.listCards({ limit: 1_000_000 });
  return teamDigest(rows, manager, reps, now, await reminderSettings(store));
}

/** Every due item, with context for the first ones; and how many cards were looked at. */
export async function loadDueItems(store: CardStoreApi, now: number): Promise<{ items: DueItem[]; cards: number }> {
  const settings = await reminderSettings(store);
  const snoozes = (await store.getSetting<Snoozes>('snoozes')) ?? {};
  const rows = await store.listCards({ limit: 1_000_000 });
  const items = myDueItems(rows, await signedInUser(store), now, settings, snoozes);
  // The first items get their context (last notes, family, what they care about): only those cards are read.
  const contexts = new Map<string, DueItem['context']>();
  for (const cardId of [...new Set(items.slice(0, CONTEXT_FOR_FIRST).map((item) => item.cardId))]) {
    const card = await store.getCard(cardId);
    if (card) contexts.set(cardId, contextOf(card));
  }
  return { items: items.map((item) => (contexts.has(item.cardId) ? { ...item, context: contexts.get(item.cardId)! } : item)), cards: rows.length };
}

export async function snoozeItem(store: CardStoreApi, itemId: string, until: number): Promise<void> {
  const snoozes = (await store.getSetting<Snoozes>('snoozes')) ?? {};
  const now = Date.now();
  const kept = Object.fromEntries(Object.entries(snoozes).filter(([, at]) => at > now));
  await store.setSetting('snoozes', { ...kept, [itemId]: until });
}
