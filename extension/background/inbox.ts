/**
 * The inbox in the service worker: after every change to the cards (debounced), when asked (a
 * page that decided something) and on an alarm, it gathers what waits on the signed-in manager
 * and what was decided for the signed-in rep (inbox/inbox-items.ts), publishes both for the side
 * panel and the desk (inbox/inbox-feed.ts), and announces each new decision once with a desktop
 * notification (clicking it opens the card). Signed out, there is no inbox.
 */
import { createCustodyApi, type LoanInfo, type Me, type ProposalInfo } from '../sync/custody-api.ts';
import { decisionsFor, managerInbox, type Decision } from '../inbox/inbox-items.ts';
import { publishInboxFeed } from '../inbox/inbox-feed.ts';
import { describeDecision } from '../inbox/describe-decision.ts';
import { getCardStore } from '../store/index.ts';
import { notificationsAllowed } from './notifications-allowed.ts';
import type { CardIndexRow } from '../../shared/card-types.ts';
import { resolveLanguage, translate, type LanguageSetting } from '../i18n/index.ts';

const ALARM = 'inbox-check';
const NOTIFIED_KEY = 'notifiedDecisions';
const PREFIX = 'decision|';
const SINCE_MS = 14 * 86_400_000;
const MAX_NOTIFICATIONS = 5;
let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | undefined;
/** The rows as last read; dropped when a card changes (an open inbox asks every few seconds, the cards rarely change). */
let rowsRead: Promise<CardIndexRow[]> | undefined;

export function checkInboxSoon(delayMs: number): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    if (running || getCardStore().ingesting()) return checkInboxSoon(delayMs);
    running = checkInbox()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  }, delayMs);
}

export async function checkInbox(now = Date.now()): Promise<void> {
  const store = getCardStore();
  const url = (await store.getSetting<string>('syncUrl')) ?? '';
  const token = (await store.getSetting<string>('syncToken')) ?? '';
  if (!url || !token) return publishInboxFeed({ user: '', decides: false, items: [], decisions: [], offline: true, at: now });
  const api = createCustodyApi(url, token);
  let me = await store.getSetting<Me>('serverMe');
  let loans: LoanInfo[] = [];
  let proposals: ProposalInfo[] = [];
  let offline = false;
  try {
    [me, loans, proposals] = await Promise.all([api.me(), api.loans(), api.proposals()]);
  } catch {
    offline = true;
  }
  if (!me) return publishInboxFeed({ user: '', decides: false, items: [], decisions: [], offline: true, at: now });
  const rows = await (rowsRead ??= store.allRows().catch((error: unknown) => {
    rowsRead = undefined;
    throw error;
  }));
  const decides = me.role === 'manager' || me.role === 'admin';
  const viewer = { user: me.user, decides };
  const items = managerInbox(viewer, rows, loans, proposals);
  const decisions = decisionsFor(me.user, rows, loans, proposals, now - SINCE_MS);
  await publishInboxFeed({ user: me.user, decides, items, decisions, offline, at: now });
  await notify(decisions, offline);
}

async function notify(decisions: readonly Decision[], offline: boolean): Promise<void> {
  const stored = (await chrome.storage.local.get(NOTIFIED_KEY))[NOTIFIED_KEY] as string[] | undefined;
  const notified = new Set(stored ?? []);
  const fresh = decisions.filter((d) => !notified.has(d.id));
  if (fresh.length === 0) return;
  const allowed = await notificationsAllowed();
  const language = resolveLanguage(await getCardStore().getSetting<LanguageSetting>('language'), chrome.i18n.getUILanguage());
  if (allowed) {
    // A few decisions get a notification each; a flood (a first sign-in) gets one.
    const each = fresh.length > MAX_NOTIFICATIONS ? fresh.slice(0, 1) : fresh;
    for (const decision of each) {
      await chrome.notifications.create(`${PREFIX}${decision.cardId}|${decision.id}`, {
        type: 'basic',
        iconUrl: chrome.runtime.getURL('/icon-128.png'),
        title: translate(language, 'decisions.notifyTitle'),
        message: describeDecision(language, decision),
        priority: 1,
      });
    }
  }
  for (const decision of fresh) notified.add(decision.id);
  // Offline, only credit decisions are known: keep the others' ids for when the server answers again.
  const current = new Set(decisions.map((d) => d.id));
  const kept = offline ? [...notified] : [...notified].filter((id) => current.has(id));
  await chrome.storage.local.set({ [NOTIFIED_KEY]: kept.slice(-2_000) });
}

export function startInbox(): void {
  void chrome.alarms.create(ALARM, { periodInMinutes: 1, delayInMinutes: 0.1 });
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) checkInboxSoon(0);
  });
  getCardStore().onChange(() => {
    rowsRead = undefined;
    checkInboxSoon(1_500);
  });
  chrome.notifications.onClicked.addListener((notificationId) => {
    if (!notificationId.startsWith(PREFIX)) return;
    const cardId = notificationId.split('|')[1];
    if (cardId) void chrome.tabs.create({ url: chrome.runtime.getURL(`/card.html?id=${encodeURIComponent(cardId)}`) });
    void chrome.notifications.clear(notificationId);
  });
  checkInboxSoon(1_000);
}
