/**
 * Capture from any page: the context menu saves a selection into a card (through a picker) or
 * makes a card from the page, and the keyboard shortcut opens the side panel's quick note. What
 * a menu hands over is validated like a content script's message before anything is kept; the
 * picker page does the writing, through the store's named mutations.
 */
import { PENDING_CAPTURE_KEY, type PendingCapture } from '../messaging/messages.ts';
import { validateCaptureSelection } from '../messaging/validate.ts';

export const MENU_CAPTURE = 'capture-selection';
export const MENU_CREATE = 'create-card-from-page';
export const COMMAND_QUICK_NOTE = 'quick-note';

async function openPicker(pending: PendingCapture): Promise<void> {
  await chrome.storage.session.set({ [PENDING_CAPTURE_KEY]: pending });
  const url = chrome.runtime.getURL(`/capture.html?mode=${pending.mode}`);
  try {
    await chrome.windows.create({ url, type: 'popup', width: 440, height: 640 });
  } catch {
    await chrome.tabs.create({ url });
  }
}

export async function onMenuClick(info: Pick<chrome.contextMenus.OnClickData, 'menuItemId' | 'selectionText' | 'pageUrl'>, tab?: Pick<chrome.tabs.Tab, 'title' | 'url'>): Promise<boolean> {
  const url = tab?.url ?? info.pageUrl ?? '';
  const title = (tab?.title ?? '').slice(0, 1000);
  if (info.menuItemId === MENU_CAPTURE) {
    const valid = validateCaptureSelection({ type: 'capture-selection', text: info.selectionText ?? '', title, url });
    if (!valid.ok) {
      console.warn('customer-cards: selection not captured:', valid.message);
      return false;
    }
    await openPicker({ mode: 'selection', text: valid.value.text, title: valid.value.title, url: valid.value.url });
    return true;
  }
  if (info.menuItemId === MENU_CREATE) {
    if (!/^https?:\/\//i.test(url) || url.length > 2048) return false;
    await openPicker({ mode: 'create', text: '', title, url });
    return true;
  }
  return false;
}

export async function onCommand(command: string, tab?: Pick<chrome.tabs.Tab, 'windowId'>): Promise<void> {
  if (command !== COMMAND_QUICK_NOTE) return;
  const windowId = tab?.windowId ?? (await chrome.windows.getLastFocused()).id;
  // Firefox's sidebar opens from the toolbar only; its build leaves the side panel's call out.
  if (!import.meta.env.FIREFOX && windowId !== undefined && chrome.sidePanel) await chrome.sidePanel.open({ windowId }).catch(() => undefined);
  // The panel may be opening: ask it (again) to focus the quick note once it listens.
  for (const delay of [50, 400, 1000]) {
    setTimeout(() => void chrome.runtime.sendMessage({ type: 'focus-quick-note' }).catch(() => undefined), delay);
  }
}

export function startCapture(): void {
  chrome.runtime.onInstalled.addListener(() => {
    chrome.contextMenus.removeAll(() => {
      chrome.contextMenus.create({ id: MENU_CAPTURE, title: chrome.i18n.getMessage('menuCapture'), contexts: ['selection'] });
      chrome.contextMenus.create({ id: MENU_CREATE, title: chrome.i18n.getMessage('menuCreateCard'), contexts: ['page'] });
    });
  });
  chrome.contextMenus.onClicked.addListener((info, tab) => void onMenuClick(info, tab));
  chrome.commands.onCommand.addListener((command, tab) => void onCommand(command, tab));
}
