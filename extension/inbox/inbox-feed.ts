/**
 * The inbox feed: the service worker gathers what waits on a manager and what was decided for a
 * rep (background/inbox.ts, from the index rows and the server's custody API) and publishes it in
 * chrome.storage.session, so the side panel and the desk show one badge and one list at once
 * instead of each reading every row and asking the server. Republished after every change
 * (debounced), when the server's feed moves, and on an alarm.
 */
import { useEffect, useState } from 'react';
import type { Decision, InboxItem } from './inbox-items.ts';

const FEED_KEY = 'inboxFeed';

export interface InboxFeed {
  /** Who it was computed for, and whether they decide (a manager or an admin). */
  user: string;
  decides: boolean;
  /** Waiting on this user (managers): oldest first. */
  items: InboxItem[];
  /** Decided for this user (and loans of her cards), newest first, the last 14 days. */
  decisions: Decision[];
  /** Loans and proposals could not be asked (offline, signed out): the items are credit approvals only. */
  offline: boolean;
  at: number;
}

export function publishInboxFeed(feed: InboxFeed): Promise<void> {
  return chrome.storage.session.set({ [FEED_KEY]: feed });
}

/** How often an open inbox asks the worker for a fresh feed while the page is visible, in case a notice was lost. */
const REFRESH_MS = 60_000;

/**
 * Asks the worker to gather the feed again now: a decision made on this device (in the inbox, or
 * on the Team page's tables) changes nothing here that the worker would hear of.
 */
export function askForFreshFeed(): void {
  chrome.runtime.sendMessage({ type: 'inbox-refresh' }).catch(() => undefined);
}

/**
 * The latest feed (undefined until the worker has published one), kept current. `live`: the page
 * shows the list, so the worker is asked to gather it again now, when the page comes into view,
 * and every REFRESH_MS while it is visible; a loan request or a proposal reaches it through the
 * server's CUSTODY notice, on which the worker gathers the feed again (background/sync-runner.ts).
 */
export function useInboxFeed(live = false): InboxFeed | undefined {
  const [feed, setFeed] = useState<InboxFeed>();
  useEffect(() => {
    if (!live) return;
    const ask = () => {
      if (document.visibilityState === 'visible') chrome.runtime.sendMessage({ type: 'inbox-refresh' }).catch(() => undefined);
    };
    ask();
    const timer = setInterval(ask, REFRESH_MS);
    document.addEventListener('visibilitychange', ask);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', ask);
    };
  }, [live]);
  useEffect(() => {
    let live = true;
    void chrome.storage.session.get(FEED_KEY).then((got) => live && setFeed(got[FEED_KEY] as InboxFeed | undefined));
    const onChanged = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
      if (area === 'session' && changes[FEED_KEY]) setFeed(changes[FEED_KEY].newValue as InboxFeed | undefined);
    };
    chrome.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      chrome.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return feed;
}
