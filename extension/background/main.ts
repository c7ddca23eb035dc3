/**
 * The service worker's start: the side panel opens from the toolbar button, messages are routed,
 * and index upkeep, sync, reminders, the inbox and capture (context menus, the quick-note shortcut) start.
 */
import { onCommand, onMenuClick, startCapture } from './capture.ts';
import { startIndexUpkeep } from './index-upkeep.ts';
import { checkReminders, startReminders } from './reminders.ts';
import { checkInbox, startInbox } from './inbox.ts';
import { startRouter } from './router.ts';
import { startSync } from './sync-runner.ts';
import { startWebmailSites, syncSiteScripts } from './webmail-sites.ts';
import { getCardStore } from '../store/index.ts';
import { ensurePinyin } from '../../shared/pinyin.ts';

export function startBackground(): void {
  openPanelFromToolbar();
  startWebmailSites();
  startRouter();
  // The worker builds most rows (changes to held cards, rebuilds): with the converter loaded
  // (bundled into the worker), they are written once, pinyin terms included.
  void ensurePinyin();
  startIndexUpkeep();
  startSync();
  startReminders();
  startInbox();
  startCapture();
  // The handlers menus, shortcuts and alarms call, and the store, reachable from the worker's
  // console, the e2e tests (headless Chromium has no menus to click or keys to press) and the
  // benchmarks (index rebuild, import).
  Object.assign(globalThis, { customerCards: { onMenuClick, onCommand, checkReminders, checkInbox, syncSiteScripts, store: getCardStore() } });
}

/** Chrome and Edge have a side panel; Firefox a sidebar, toggled from the toolbar button. */
function openPanelFromToolbar(): void {
  // The Firefox build leaves the side panel's code out (import.meta.env.FIREFOX is a build constant).
  if (!import.meta.env.FIREFOX && chrome.sidePanel) {
    chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => undefined);
    return;
  }
  const sidebar = (globalThis as { browser?: { sidebarAction?: { toggle(): Promise<void> } } }).browser?.sidebarAction;
  if (sidebar) chrome.action.onClicked.addListener(() => void sidebar.toggle().catch(() => undefined));
}
