/**
 * The service worker's start: the side panel opens from the toolbar button, and messages are
 * routed. Later parts (sync, reminders, context menus) start from here too.
 */
import { startRouter } from './router.ts';
import { startSync } from './sync-runner.ts';

export function startBackground(): void {
  chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => undefined);
  startRouter();
  startSync();
}
