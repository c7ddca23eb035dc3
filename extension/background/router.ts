/**
 * The background's message routing: validates what content scripts report, keeps each tab's
 * sender, tells open extension pages when it changes, and answers their questions.
 */
import type { GetTabSenderMessage, TabSenderChangedMessage } from '../messaging/messages.ts';
import { validateSenderSeen } from '../messaging/validate.ts';
import { forgetTab, recordSender, senderOfTab } from './tab-senders.ts';
import { checkInboxSoon } from './inbox.ts';

export function fromExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  // Extension pages (side panel, card page, also when opened as a tab); content scripts run on web URLs.
  return sender.id === chrome.runtime.id && (sender.url ?? '').startsWith(`chrome-extension://${chrome.runtime.id}/`);
}

function broadcast(message: TabSenderChangedMessage): void {
  chrome.runtime.sendMessage(message).catch(() => {
    // No extension page is open to hear it.
  });
}

export function startRouter(): void {
  chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    if (type === 'sender-seen') {
      const valid = validateSenderSeen(message, sender, chrome.runtime.id);
      if (!valid.ok) {
        console.warn('customer-cards: rejected a content-script message:', valid.code, valid.message);
        return false;
      }
      const { tabId, frameId, message: seen } = valid.value;
      void recordSender(tabId, frameId, seen.sender).then((result) => {
        if (result.changed) broadcast({ type: 'tab-sender-changed', tabId, sender: result.sender });
      });
      return false;
    }
    if (type === 'get-tab-sender' && fromExtensionPage(sender)) {
      const tabId = (message as GetTabSenderMessage).tabId;
      if (typeof tabId !== 'number') return false;
      void senderOfTab(tabId).then((found) => sendResponse({ sender: found }));
      return true;
    }
    if (type === 'inbox-refresh' && fromExtensionPage(sender)) {
      // An open inbox: loan requests and proposals change on the server, not in this device's cards.
      checkInboxSoon(0);
      return false;
    }
    return false;
  });
  chrome.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
}
