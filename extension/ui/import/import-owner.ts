/**
 * The owner a manager or an admin chooses for an import's new cards. A device creates cards as
 * its user (the server takes a new card only from its owner), so the cards are made as the
 * importer's and handed to the chosen colleague once the server holds them: a handover, with
 * the import as its reason, as the Team desk would do it. The page only queues it (with the
 * import's proposals) in the service worker's custody queue (store/custody-queue.ts), which
 * sends it when it can: closing the page or going offline does not lose it.
 */
import { CUSTODY_ENQUEUE, CUSTODY_QUEUE, type CustodyRequest, type QueuedCustody } from '../../store/custody-queue.ts';

/** Queues the requests in the service worker; false if it did not keep them. */
export async function queueCustodyRequests(requests: readonly CustodyRequest[]): Promise<boolean> {
  try {
    const answer = (await chrome.runtime.sendMessage({ type: CUSTODY_ENQUEUE, requests })) as { ok?: boolean } | undefined;
    return answer?.ok === true;
  } catch {
    return false;
  }
}

/** The queued hand-over of these cards, if it still waits. */
export function waitingHandover(queue: readonly QueuedCustody[], to: string, cardIds: readonly string[]): QueuedCustody | undefined {
  return queue.find((item) => item.kind === 'handover' && item.to === to && item.cardIds[0] === cardIds[0] && item.cardIds.length === cardIds.length);
}

export { CUSTODY_QUEUE };
