/**
 * Reminders in the service worker: an alarm and every change (debounced) check what is due and
 * publish it for the side panel (reminders/due-feed.ts); the toolbar badge shows how
 * many items are overdue or due today, and a desktop notification announces each newly due item
 * once (clicking it opens the card). If notifications are denied the badge and the due list
 * still work; the settings page says why nothing pops up.
 */
import type { DueItem } from '../../shared/reminders/due.ts';
import { badgeCount, SUGGESTION_KINDS } from '../../shared/reminders/due.ts';
import { describeDue, describeWhen } from '../reminders/describe.ts';
import { feedOf, publishDueFeed } from '../reminders/due-feed.ts';
import { loadDueItems } from '../reminders/due-list.ts';
import { getCardStore } from '../store/index.ts';
import { notificationsAllowed } from './notifications-allowed.ts';
import { resolveLanguage, translate, type LanguageSetting } from '../i18n/index.ts';

const ALARM = 'reminders-check';
const NOTIFIED_KEY = 'notifiedReminders';
const SUMMARY_ID = 'reminders-summary';
const MAX_NOTIFICATIONS = 5;
let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<DueItem[]> | undefined;

/** One check at a time; changes during a check (a first sync) are picked up by the next. */
function checkSoon(delayMs: number): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    // One check at a time, and none while a first sync writes: it reads every index row.
    if (running || getCardStore().ingesting()) return checkSoon(delayMs);
    running = checkReminders().finally(() => {
      running = undefined;
    });
  }, delayMs);
}

export async function checkReminders(now = Date.now()): Promise<DueItem[]> {
  const { items, cards } = await loadDueItems(getCardStore(), now);
  await publishDueFeed(feedOf(items, now, cards));
  const count = badgeCount(items);
  await chrome.action.setBadgeText({ text: count > 0 ? String(Math.min(count, 999)) : '' });
  await chrome.action.setBadgeBackgroundColor({ color: '#b42318' });
  const stored = (await chrome.storage.local.get(NOTIFIED_KEY))[NOTIFIED_KEY] as string[] | undefined;
  const notified = new Set(stored ?? []);
  const allowed = await notificationsAllowed();
  const language = resolveLanguage(await getCardStore().getSetting<LanguageSetting>('language'), chrome.i18n.getUILanguage());
  const fresh = items.filter((i) => i.bucket !== 'this-week' && !SUGGESTION_KINDS.includes(i.kind) && !notified.has(i.id));
  if (allowed) {
    // A few items get a notification each; a flood (a first sync, a long holiday) gets one summary.
    const each = fresh.length > MAX_NOTIFICATIONS ? [] : fresh;
    for (const item of each) {
      await chrome.notifications.create(item.id, {
        type: 'basic',
        iconUrl: chrome.runtime.getURL('/icon-128.png'),
        title: item.context.cardName,
        message: `${describeDue(language, item)} · ${describeWhen(language, item)}`,
        priority: 1,
      });
    }
    if (fresh.length > MAX_NOTIFICATIONS) {
      await chrome.notifications.create(SUMMARY_ID, {
        type: 'basic',
        iconUrl: chrome.runtime.getURL('/icon-128.png'),
        title: translate(language, 'due.summaryTitle'),
        message: translate(language, 'due.summaryMessage', { count: fresh.length }),
        priority: 1,
      });
    }
  }
  for (const item of fresh) notified.add(item.id);
  // Forget notifications of items no longer due, so the store of ids stays small.
  const current = new Set(items.map((i) => i.id));
  const kept = [...notified].filter((id) => current.has(id));
  // Written only when it changed: after a first sync it can hold thousands of ids.
  if (kept.length !== (stored ?? []).length || fresh.length > 0) await chrome.storage.local.set({ [NOTIFIED_KEY]: kept });
  return items;
}

function cardIdOfItem(itemId: string): string | undefined {
  return itemId.split(':')[1];
}

export function startReminders(): void {
  void chrome.alarms.create(ALARM, { periodInMinutes: 15, delayInMinutes: 0.1 });
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) checkSoon(0);
  });
  getCardStore().onChange(() => checkSoon(1_000));
  chrome.notifications.onClicked.addListener((notificationId) => {
    if (notificationId.startsWith('decision|')) return; // the inbox's own (background/inbox.ts)
    const cardId = notificationId === SUMMARY_ID ? undefined : cardIdOfItem(notificationId);
    if (notificationId === SUMMARY_ID) void chrome.tabs.create({ url: chrome.runtime.getURL('/dashboard.html') });
    else if (cardId) void chrome.tabs.create({ url: chrome.runtime.getURL(`/card.html?id=${encodeURIComponent(cardId)}`) });
    void chrome.notifications.clear(notificationId);
  });
  checkSoon(500);
}
