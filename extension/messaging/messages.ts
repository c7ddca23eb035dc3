/**
 * Messages between content scripts, the background service worker and extension pages.
 * Content scripts are untrusted: the background validates every message they send
 * (extension/messaging/validate.ts) before acting on it.
 */
import type { SenderInfo } from '../../shared/card-types.ts';

/** Content script -> background: what the open message shows (or null: no message open). */
export interface SenderSeenMessage {
  type: 'sender-seen';
  sender: SenderInfo | null;
}

/** Extension page -> background: the sender last seen in a tab. */
export interface GetTabSenderMessage {
  type: 'get-tab-sender';
  tabId: number;
}

/** Background -> extension pages: the sender of a tab changed. */
export interface TabSenderChangedMessage {
  type: 'tab-sender-changed';
  tabId: number;
  sender: SenderInfo | null;
}

/** Extension page -> background: an open inbox asks for a fresh feed (background/inbox.ts); no payload. */
export interface InboxRefreshMessage {
  type: 'inbox-refresh';
}

export type RuntimeMessage = SenderSeenMessage | GetTabSenderMessage | TabSenderChangedMessage | InboxRefreshMessage;

/** Session-storage key of the capture the context menu handed to the picker page. */
export const PENDING_CAPTURE_KEY = 'pendingCapture';

export interface PendingCapture {
  mode: 'selection' | 'create';
  text: string;
  title: string;
  url: string;
}
