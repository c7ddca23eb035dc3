/**
 * Custody requests the device still owes the server, kept until the server has taken them: the
 * hand-over of an import's new cards to the owner a manager chose, and proposals of manager-only
 * fields (those set on this device before its first sign-in by a user who may only propose them).
 * Each waits until the cards it names are on the server (the outbox sends them), then goes out
 * through the custody API; it survives closing the page, a restart of the browser and being
 * offline, and the pages show what still waits (setting `custodyQueue`, one list).
 *
 * Only the service worker writes the list (custody-runner.ts): pages ask it by message, so two
 * writers never overwrite each other's entries.
 */
import type { FieldValue } from '../../shared/card-types.ts';

export const CUSTODY_QUEUE = 'custodyQueue';
/** The message a page sends the service worker to queue custody requests. */
export const CUSTODY_ENQUEUE = 'custody-enqueue';

export type CustodyRequest =
  | { kind: 'handover'; from: string; to: string; cardIds: string[]; reason: string }
  | { kind: 'propose'; cardId: string; field: string; value: FieldValue; reason: string };

export type QueuedCustody = CustodyRequest & {
  id: string;
  /** When it was queued. */
  at: number;
  /** The server's last answer, when it was not taken (shown; tried again). */
  error?: string;
};

interface Settings {
  getSetting<T>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;
}

export async function readCustodyQueue(store: Settings): Promise<QueuedCustody[]> {
  const list = await store.getSetting<QueuedCustody[]>(CUSTODY_QUEUE);
  return Array.isArray(list) ? list : [];
}

/** One change of the list at a time (within the service worker). */
let writing: Promise<unknown> = Promise.resolve();
export function changeCustodyQueue(store: Settings, change: (list: QueuedCustody[]) => QueuedCustody[]): Promise<QueuedCustody[]> {
  const next = writing.then(async () => {
    const list = change(await readCustodyQueue(store));
    await store.setSetting(CUSTODY_QUEUE, list);
    return list;
  });
  writing = next.catch(() => undefined);
  return next;
}

export function queueCustody(store: Settings, requests: readonly CustodyRequest[], now = Date.now()): Promise<QueuedCustody[]> {
  return changeCustodyQueue(store, (list) => [...list, ...requests.map((request) => ({ ...request, id: crypto.randomUUID(), at: now }))]);
}

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;
const isPlain = (value: unknown): value is FieldValue =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/** A request as a page sent it, checked (a page's message is not trusted to be well formed). */
export function parseCustodyRequest(value: unknown): CustodyRequest | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const input = value as Record<string, unknown>;
  if (input.kind === 'handover') {
    const ids = input.cardIds;
    if (!isText(input.from, 200) || !isText(input.to, 200) || !isText(input.reason, 2_000) || !Array.isArray(ids) || ids.length === 0 || ids.length > 100_000 || !ids.every((id) => isText(id, 100))) return undefined;
    return { kind: 'handover', from: input.from, to: input.to, cardIds: ids as string[], reason: input.reason };
  }
  if (input.kind === 'propose') {
    if (!isText(input.cardId, 100) || !isText(input.field, 100) || !isText(input.reason, 2_000) || !isPlain(input.value)) return undefined;
    return { kind: 'propose', cardId: input.cardId, field: input.field, value: input.value, reason: input.reason };
  }
  return undefined;
}
