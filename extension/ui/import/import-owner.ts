/**
 * The owner a manager or an admin chooses for an import's new cards. A device creates cards as
 * its user (the server takes a new card only from its owner), so the cards are made as the
 * importer's and handed to the chosen colleague once the server holds them: a handover, with
 * the import as its reason, as the Team desk would do it.
 */
import type { CustodyApi } from '../../sync/custody-api.ts';

const WAIT_STEP_MS = 500;

/** Waits until the server holds every card of `cardIds` (the outbox sends them in order: the last one is checked first). */
async function onServer(api: CustodyApi, cardIds: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (const id of [cardIds.at(-1)!, cardIds[0]!]) {
    for (;;) {
      if (signal?.aborted) throw new Error('cancelled');
      try {
        await api.custodyOf(id);
        break;
      } catch (error) {
        if ((error as { status?: number }).status !== 404 || Date.now() > end) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }
}

export async function handToOwner(api: CustodyApi, input: { from: string; to: string; cardIds: readonly string[]; reason: string; timeoutMs?: number; signal?: AbortSignal }): Promise<number> {
  if (input.cardIds.length === 0 || input.to === input.from) return 0;
  await onServer(api, input.cardIds, input.timeoutMs ?? 120_000, input.signal);
  const done = await api.handover({ from: input.from, to: input.to, reason: input.reason, kind: 'territory', cardIds: [...input.cardIds] });
  return done.cards;
}
