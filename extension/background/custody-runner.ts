/**
 * Sends the custody requests the device owes the server (store/custody-queue.ts), in the service
 * worker: when the device is online, when a request is queued, and every minute (the keep-alive
 * alarm). A request whose cards the server does not hold yet waits (asked again every
 * WAIT_MS while online); one the server answered with a refusal keeps its reason, is shown, and
 * is tried again at the next round; one the server took leaves the list.
 */
import { changeCustodyQueue, readCustodyQueue, type QueuedCustody } from '../store/custody-queue.ts';
import { getCardStore } from '../store/index.ts';
import { createCustodyApi, CustodyApiError, type CustodyApi } from '../sync/custody-api.ts';

const WAIT_MS = 1_500;
let running: Promise<void> | undefined;
let again = false;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Whether the server holds every card of `cardIds` (the outbox sends in order: the last and the first are asked). */
async function onServer(api: CustodyApi, cardIds: readonly string[]): Promise<boolean> {
  for (const id of new Set([cardIds.at(-1)!, cardIds[0]!])) {
    try {
      await api.custodyOf(id);
    } catch (error) {
      if (error instanceof CustodyApiError && error.status === 404) return false;
      throw error;
    }
  }
  return true;
}

/** 'done', 'wait' (cards not on the server yet), or the server's refusal. */
async function send(api: CustodyApi, request: QueuedCustody): Promise<'done' | 'wait' | { error: string }> {
  const cardIds = request.kind === 'handover' ? request.cardIds : [request.cardId];
  if (!(await onServer(api, cardIds))) return 'wait';
  try {
    if (request.kind === 'handover') await api.handover({ from: request.from, to: request.to, reason: request.reason, kind: 'territory', cardIds: request.cardIds });
    else await api.propose(request.cardId, request.field, request.value, request.reason);
    return 'done';
  } catch (error) {
    if (error instanceof CustodyApiError && error.status === 0) throw error; // offline: the next round
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function round(): Promise<void> {
  const store = getCardStore();
  const queue = await readCustodyQueue(store);
  if (queue.length === 0) return;
  const url = (await store.getSetting<string>('syncUrl')) ?? '';
  const token = (await store.getSetting<string>('syncToken')) ?? '';
  if (!url || !token) return;
  const api = createCustodyApi(url, token);
  let waiting = false;
  for (const request of queue) {
    let outcome: Awaited<ReturnType<typeof send>>;
    try {
      outcome = await send(api, request);
    } catch {
      return; // offline or the server away: everything stays for the next round
    }
    if (outcome === 'wait') waiting = true;
    else if (outcome === 'done') await changeCustodyQueue(store, (list) => list.filter((item) => item.id !== request.id));
    else await changeCustodyQueue(store, (list) => list.map((item) => (item.id === request.id ? { ...item, error: outcome.error } : item)));
  }
  if (waiting) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void runCustodyQueue(), WAIT_MS);
  }
}

/** Runs a round now (or right after the one under way). */
export function runCustodyQueue(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = round()
    .catch((error: unknown) => console.error('custody requests:', error))
    .finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void runCustodyQueue();
      }
    });
  return running;
}
