/**
 * What the user reads when a custody request fails (extension/sync/custody-api.ts): a refusal
 * the device knows by its code is told in the UI's language; any other keeps the server's
 * message. Codes, never internal keys, decide; nothing but text reaches the page.
 */
import { CustodyApiError } from '../../sync/custody-api.ts';
import { translate, type Language, type MessageKey } from '../../i18n/index.ts';

/** Refusals told in the UI's language, by their code. */
const TOLD: ReadonlySet<string> = new Set(['too-many-proposals', 'offline', 'signed-out']);

export function custodyFailureText(language: Language, failure: unknown): string {
  if (failure instanceof CustodyApiError && TOLD.has(failure.code)) return translate(language, `custody.failure.${failure.code}` as MessageKey);
  return failure instanceof Error ? failure.message : String(failure);
}
