/**
 * The due feed: the service worker computes what is due (background/reminders.ts) and publishes
 * the first items and the counts in chrome.storage.session, so the side panel shows them at once
 * instead of reading every index row each time it opens or a card changes. Never written to
 * disk; the worker republishes after every change (debounced) and on its alarm.
 */
import { useEffect, useState } from 'react';
import { badgeCount, type DueItem } from '../../shared/reminders/due.ts';

const FEED_KEY = 'dueFeed';
/** How many items the feed carries (the dashboard computes the whole list itself). */
export const FEED_ITEMS = 100;

export interface DueFeed {
  items: DueItem[];
  /** Every item due, overdue or today (the badge), and all items including this week. */
  dueNow: number;
  total: number;
  /** How many cards the store held when the feed was computed (the panel shows it at once). */
  cards: number;
  at: number;
}

export function feedOf(items: readonly DueItem[], now: number, cards: number): DueFeed {
  return { items: items.slice(0, FEED_ITEMS), dueNow: badgeCount(items), total: items.length, cards, at: now };
}

export function publishDueFeed(feed: DueFeed): Promise<void> {
  return chrome.storage.session.set({ [FEED_KEY]: feed });
}

/** The latest feed (undefined until the worker has published one), kept current. */
export function useDueFeed(): DueFeed | undefined {
  const [feed, setFeed] = useState<DueFeed>();
  useEffect(() => {
    let live = true;
    void chrome.storage.session.get(FEED_KEY).then((got) => live && setFeed(got[FEED_KEY] as DueFeed | undefined));
    const onChanged = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
      if (area === 'session' && changes[FEED_KEY]) setFeed(changes[FEED_KEY].newValue as DueFeed | undefined);
    };
    chrome.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      chrome.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return feed;
}
