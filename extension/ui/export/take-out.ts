/**
 * Nothing leaves the company's archive unasked (issue #25; the rules: shared/rights/take-out.ts).
 * Before a page releases an export, a print or a backup, it asks the server which of the cards
 * may leave; the server audits the request, and only those cards go into the file. A restore
 * asks which cards the user may still read, and keeps only those.
 *
 * Offline: a device whose cards belong to a server account (it has signed in) releases nothing
 * while the server cannot be told — the export, print, backup or restore is refused with a clear
 * message, and works again once the server answers. Only a device that has never signed in (its
 * cards are its user's own, no company holds them) exports without asking.
 */
import type { CustodyApi } from '../../sync/custody-api.ts';
import type { CardStoreApi } from '../../store/api.ts';
import type { TakeOutKind } from '../../../shared/rights/take-out.ts';
import type { MessageKey } from '../../i18n/index.ts';

export type TakeOutAnswer =
  | { ok: true; allowed: string[]; leftOut: number }
  /** offline: the server cannot be told; signed-out: the cards are an account's, sign in to it; server: it refused (message). */
  | { ok: false; code: 'offline' | 'signed-out' | 'server'; message: string };

/** Whether the device's cards belong to a server account (it has signed in and synced). */
async function heldForAccount(store: Pick<CardStoreApi, 'getSetting'>): Promise<boolean> {
  return (await store.getSetting<unknown>('syncIdentity')) !== undefined;
}

function failure(error: unknown): TakeOutAnswer {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, code: code === 'offline' ? 'offline' : code === 'signed-out' ? 'signed-out' : 'server', message };
}

/** Which of `cardIds` may leave in this export, print or backup. */
export async function askToTakeOut(store: Pick<CardStoreApi, 'getSetting'>, api: CustodyApi | undefined, kind: TakeOutKind, format: string, cardIds: readonly string[]): Promise<TakeOutAnswer> {
  if (!api) return (await heldForAccount(store)) ? { ok: false, code: 'signed-out', message: '' } : { ok: true, allowed: [...cardIds], leftOut: 0 };
  try {
    const answer = await api.takeOut(kind, format, cardIds);
    return { ok: true, allowed: answer.allowed, leftOut: answer.refused };
  } catch (error) {
    return failure(error);
  }
}

/** Which of `cardIds` a restore may bring back: those the user may read now. */
export async function askReadable(store: Pick<CardStoreApi, 'getSetting'>, api: CustodyApi | undefined, cardIds: readonly string[]): Promise<TakeOutAnswer> {
  if (!api) return (await heldForAccount(store)) ? { ok: false, code: 'signed-out', message: '' } : { ok: true, allowed: [...cardIds], leftOut: 0 };
  try {
    const readable = await api.readable(cardIds);
    return { ok: true, allowed: readable, leftOut: new Set(cardIds).size - readable.length };
  } catch (error) {
    return failure(error);
  }
}

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** What to tell the user of a refused take-out (or restore), in their language. */
export function takeOutRefusal(t: Translate, answer: Extract<TakeOutAnswer, { ok: false }>, restoring = false): string {
  if (answer.code === 'offline') return t(restoring ? 'restore.offline' : 'takeOut.offline');
  if (answer.code === 'signed-out') return t(restoring ? 'restore.signedOut' : 'takeOut.signedOut');
  return t('takeOut.server', { message: answer.message });
}
