/**
 * Runs the sync connection in the service worker: starts it from the saved settings, restarts it
 * when the settings change, pushes the outbox after every local write, publishes the status for
 * the pages, and keeps the worker (and the socket) alive with an alarm.
 */
import { CUSTODY_ENQUEUE, parseCustodyRequest, queueCustody, type CustodyRequest } from '../store/custody-queue.ts';
import { applyCompanyPolicy } from './company-policy.ts';
import { COMPANY_CUTOFFS, type CompanyCutoffs } from '../store/index-upkeep.ts';
import { getCardStore } from '../store/index.ts';
import { createCustodyApi } from '../sync/custody-api.ts';
import { createSyncClient, type SyncClient } from '../sync/sync-client.ts';
import { normaliseServerUrl, SYNC_AGAIN, SYNC_SETTINGS_CHANGED, writeSyncStatus } from '../sync/settings.ts';
import { storeSyncStorage } from '../sync/store-adapter.ts';
import type { SyncStatus, WebSocketClass } from '../sync/types.ts';
import { runCustodyQueue } from './custody-runner.ts';
import { checkInboxSoon } from './inbox.ts';
import { fromExtensionPage } from './router.ts';

const ALARM = 'sync-keepalive';
/** The token the server rejected: not tried again until the user signs in again (settings saved). */
const REJECTED_TOKEN = 'syncRejectedToken';
/** What a disabled user's device was told and deleted, shown until the user signs in again. */
const DISABLED_NOTICE = 'syncDisabledNotice';
let client: SyncClient | undefined;
let starting: Promise<void> | undefined;

async function publish(status: SyncStatus): Promise<void> {
  const store = getCardStore();
  const pending = await store.pendingCount().catch(() => undefined);
  const refused = await store.refusedCount().catch(() => 0);
  await writeSyncStatus({ ...status, ...(pending === undefined ? {} : { pending }), ...(refused > 0 ? { refused } : {}) });
  if (status.user && status.state === 'online') {
    // Hand-overs and proposals the device still owes the server go out once it is reachable.
    void runCustodyQueue();
    const current = await store.getSetting<string>('userName');
    if (current !== status.user) await store.setSetting('userName', status.user);
    // The server said loans, proposals or handovers changed (CUSTODY), or access did: the inbox is gathered again.
    if (status.custodyAt !== custodyAt) {
      custodyAt = status.custodyAt;
      if (custodyAt !== undefined) checkInboxSoon(0);
    }
    // The company policy's version as the server told it: a new one is fetched and applied.
    if (status.policyVersion !== undefined) void applyCompanyPolicy(status.policyVersion);
    // The feed moved (a sync, a change made elsewhere): the company's classes may have moved too
    // (a server that pushes its cut-offs, CLASSES, is not asked: it says when they move).
    if (status.feedAt !== cutoffsFeedAt && !cutoffsPushed) {
      cutoffsFeedAt = status.feedAt;
      scheduleCutoffs();
    } else if (Date.now() - cutoffsFetchedAt > CUTOFFS_IDLE_MS) scheduleCutoffs();
  }
}

/** The last CUSTODY notice's time the inbox was gathered for. */
let custodyAt: number | undefined;

/** Cut-offs are asked again at most every CUTOFFS_MS while the feed moves, and every CUTOFFS_IDLE_MS otherwise. */
const CUTOFFS_MS = 1_500;
const CUTOFFS_IDLE_MS = 600_000;
let cutoffsFetchedAt = 0;
let cutoffsFeedAt: number | undefined;
let cutoffsTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleCutoffs(): void {
  if (cutoffsTimer) return;
  cutoffsTimer = setTimeout(
    () => {
      cutoffsTimer = undefined;
      void refreshCompanyCutoffs();
    },
    Math.max(0, cutoffsFetchedAt + CUTOFFS_MS - Date.now()),
  );
}

/** The server's company-wide ABC cut-offs: every user sees the same class, within seconds of a change. */
async function refreshCompanyCutoffs(): Promise<void> {
  cutoffsFetchedAt = Date.now();
  const store = getCardStore();
  const url = (await store.getSetting<string>('syncUrl')) ?? '';
  const token = (await store.getSetting<string>('syncToken')) ?? '';
  try {
    await applyCutoffs(await createCustodyApi(url, token).classification());
  } catch {
    // Offline or an older server: the device's own cut-offs stay; asked again when the feed next moves.
  }
}

/** Whether this connection's server pushes its cut-offs (CLASSES). */
let cutoffsPushed = false;
/** Cut-offs applied one after another (a push may arrive while a fetch is applied). */
let applying: Promise<void> = Promise.resolve();

/** Keeps the company's cut-offs (null: no card reaches that class) and re-classes the cards, which open pages show at once. */
function applyCutoffs(cutoffs: { aMin: number | null; bMin: number | null; asOf: number }): Promise<void> {
  const kept = (value: number | null) => (value === null || !Number.isFinite(value) ? null : value);
  const next: CompanyCutoffs = { aMin: kept(cutoffs.aMin), bMin: kept(cutoffs.bMin), asOf: cutoffs.asOf };
  applying = applying.then(async () => {
    const store = getCardStore();
    const saved = await store.getSetting<CompanyCutoffs>(COMPANY_CUTOFFS);
    if (saved?.aMin === next.aMin && saved?.bMin === next.bMin) return;
    await store.setSetting(COMPANY_CUTOFFS, next);
    await store.recomputeCutoffs();
  }).catch(() => undefined);
  return applying;
}

async function start(): Promise<void> {
  client?.close();
  client = undefined;
  cutoffsPushed = false;
  const store = getCardStore();
  const url = normaliseServerUrl((await store.getSetting<string>('syncUrl')) ?? '');
  const token = (await store.getSetting<string>('syncToken')) ?? '';
  if (!url || !token) {
    await writeSyncStatus({ state: 'signed-out' });
    return;
  }
  if ((await store.getSetting<string>(REJECTED_TOKEN)) === token) {
    const disabled = await store.getSetting<SyncStatus>(DISABLED_NOTICE);
    await writeSyncStatus(disabled ?? { state: 'token-rejected' });
    return;
  }
  client = createSyncClient({
    url: `${url}/sync`,
    token,
    device: navigator.userAgent.slice(0, 120),
    WebSocket: WebSocket as unknown as WebSocketClass,
    // The first sign-in asks who the user is: a manager of no team may not keep manager-only values.
    storage: storeSyncStorage(store, { me: () => createCustodyApi(url, token).me() }),
    onClasses: (cutoffs) => {
      cutoffsPushed = true;
      cutoffsFetchedAt = Date.now();
      void applyCutoffs(cutoffs);
    },
    onStatus: (status) => {
      if (status.state === 'user-disabled') void store.setSetting(DISABLED_NOTICE, status);
      // A rejected token, or a disabled user's, is not tried again until the user signs in again.
      if (status.state === 'token-rejected' || status.state === 'user-disabled') void store.setSetting(REJECTED_TOKEN, token);
      void publish(status);
    },
  });
}

function restart(): Promise<void> {
  starting = start().finally(() => {
    starting = undefined;
  });
  return starting;
}

export function startSync(): void {
  void restart();
  let timer: ReturnType<typeof setTimeout> | undefined;
  getCardStore().onChange(() => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      client?.pushNow();
      // What waits and what was refused changed with the write (or a retry, a discard).
      if (client) void publish(client.status());
    }, 30);
  });
  chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id) return false;
    // A page queues custody requests (an import's hand-over): kept here, sent when the server can take them.
    if ((message as { type?: unknown } | null)?.type === CUSTODY_ENQUEUE && fromExtensionPage(sender)) {
      const raw = (message as { requests?: unknown }).requests;
      const requests = Array.isArray(raw) ? raw.slice(0, 1_000).map(parseCustodyRequest) : [];
      if (requests.length === 0 || requests.some((request) => request === undefined)) {
        sendResponse({ ok: false });
        return false;
      }
      void queueCustody(getCardStore(), requests as CustodyRequest[]).then(
        () => {
          sendResponse({ ok: true });
          void runCustodyQueue();
        },
        () => sendResponse({ ok: false }),
      );
      return true;
    }
    // Saving the settings is signing in again: the rejected token may be tried once more.
    if ((message as { type?: unknown } | null)?.type === SYNC_SETTINGS_CHANGED) {
      const store = getCardStore();
      void Promise.all([store.setSetting(REJECTED_TOKEN, ''), store.setSetting(DISABLED_NOTICE, null)]).then(restart);
    }
    // Refused changes discarded: the cursor went back, and the server's versions come with a new sync.
    if ((message as { type?: unknown } | null)?.type === SYNC_AGAIN && client) void restart();
    return false;
  });
  void chrome.alarms.create(ALARM, { periodInMinutes: 1 });
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== ALARM) return;
    void runCustodyQueue();
    // A worker restarted by the alarm starts with no client: connect again.
    if (!client && !starting) void restart();
  });
}
