/**
 * Which tab the side panel follows, and the sender of the message open in it. In the real side
 * panel that is the active tab of the panel's window; opened as a page with `?tab=<id>` it is
 * that tab (tests, and "open in a tab").
 */
import { useEffect, useState } from 'react';
import type { SenderInfo } from '../../../shared/card-types.ts';
import type { GetTabSenderMessage } from '../../messaging/messages.ts';
import { validateTabSenderChanged } from '../../messaging/validate.ts';

export interface ActiveSender {
  tabId: number | undefined;
  sender: SenderInfo | null;
  ready: boolean;
}

function fixedTab(): number | undefined {
  const value = new URLSearchParams(location.search).get('tab');
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The service worker's script URL: the only sender whose `tab-sender-changed` the panel believes. */
function workerUrl(): string {
  const manifest = chrome.runtime.getManifest();
  const script = manifest.manifest_version === 3 ? manifest.background?.service_worker : undefined;
  return script ? chrome.runtime.getURL(script) : '';
}

async function askSender(tabId: number): Promise<SenderInfo | null> {
  const message: GetTabSenderMessage = { type: 'get-tab-sender', tabId };
  try {
    const answer = (await chrome.runtime.sendMessage(message)) as { sender?: SenderInfo | null } | undefined;
    return answer?.sender ?? null;
  } catch {
    return null;
  }
}

export function useActiveSender(): ActiveSender {
  const [tabId, setTabId] = useState<number | undefined>(fixedTab());
  const [state, setState] = useState<{ sender: SenderInfo | null; ready: boolean }>({ sender: null, ready: false });

  useEffect(() => {
    if (fixedTab() !== undefined) return;
    let windowId: number | undefined;
    void chrome.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
      windowId = tab?.windowId;
      setTabId(tab?.id);
    });
    const onActivated = (info: chrome.tabs.OnActivatedInfo) => {
      if (windowId === undefined || info.windowId === windowId) setTabId(info.tabId);
    };
    chrome.tabs.onActivated.addListener(onActivated);
    return () => chrome.tabs.onActivated.removeListener(onActivated);
  }, []);

  useEffect(() => {
    if (tabId === undefined) return;
    let live = true;
    void askSender(tabId).then((sender) => live && setState({ sender, ready: true }));
    const worker = workerUrl();
    const onMessage = (message: unknown, sender: chrome.runtime.MessageSender) => {
      // Content scripts and other extension pages reach this listener too; only the service
      // worker, which validated the content script's report, may change the panel's sender.
      const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
      if (type !== 'tab-sender-changed') return;
      const valid = validateTabSenderChanged(message, sender, chrome.runtime.id, worker);
      if (valid.ok && valid.value.tabId === tabId) setState({ sender: valid.value.sender, ready: true });
    };
    chrome.runtime.onMessage.addListener(onMessage);
    return () => {
      live = false;
      chrome.runtime.onMessage.removeListener(onMessage);
    };
  }, [tabId]);

  return { tabId, sender: state.sender, ready: state.ready };
}
