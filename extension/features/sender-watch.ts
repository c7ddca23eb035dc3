/**
 * Watches a webmail page for the open message's sender and reports changes. Runs the detectors
 * now, on the first DOM mutation after a quiet spell (so a message opened in a single-page
 * webmail shows its card at once), again once mutations have settled (debounced), and on URL
 * changes; sends only when the result changed. The immediate check reports only a sender it
 * found: a view still being drawn must not blank the panel. Every observer and listener is
 * released through the AbortSignal.
 */
import type { SenderInfo } from '../../shared/card-types.ts';
import { detectSender } from './index.ts';

export const DEBOUNCE_MS = 150;

export function senderKey(sender: SenderInfo | null): string {
  return sender ? `${sender.email}\u0000${sender.subject}\u0000${sender.url}` : '';
}

export interface WatchOptions {
  doc: Document;
  win: Pick<Window, 'location' | 'addEventListener' | 'setTimeout' | 'clearTimeout'>;
  send: (sender: SenderInfo | null) => void;
  signal: AbortSignal;
  /** Frames report only what they found: an empty subframe must not erase the top frame's sender. */
  isTopFrame: boolean;
}

export function watchSender({ doc, win, send, signal, isTopFrame }: WatchOptions): void {
  let lastKey: string | undefined;
  let timer: number | undefined;

  const detect = (leading: boolean) => {
    if (signal.aborted) return;
    const sender = detectSender(doc, { hostname: win.location.hostname, href: win.location.href });
    const key = senderKey(sender);
    if (key === lastKey) return;
    if (!sender && (!isTopFrame || leading)) return;
    lastKey = key;
    send(sender);
  };

  const check = () => {
    timer = undefined;
    detect(false);
  };

  const schedule = () => {
    const quiet = timer === undefined;
    if (!quiet) win.clearTimeout(timer);
    timer = win.setTimeout(check, DEBOUNCE_MS);
    if (quiet) detect(true);
  };

  const observer = new MutationObserver(schedule);
  observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'aria-expanded', 'email', 'title'] });
  win.addEventListener('popstate', schedule, { signal });
  win.addEventListener('hashchange', schedule, { signal });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    if (timer !== undefined) win.clearTimeout(timer);
  });
  check();
}
