/**
 * The webmails the user enabled besides Gmail and Outlook on the web: each is an optional host
 * permission granted on a click in Settings, and the sender script is registered for exactly
 * those origins (and unregistered when one is removed), so it runs nowhere else. Kept in step
 * with the browser's own record of granted permissions, at start and on every change.
 */
import { enabledSites } from '../webmail-hosts.ts';

const SCRIPT_ID = 'sender-enabled-sites';

/** Registers the sender script for the enabled sites, replacing any earlier registration. */
export async function syncSiteScripts(): Promise<string[]> {
  const sites = await enabledSites();
  const script = chrome.runtime.getManifest().content_scripts?.[0];
  const registered = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (registered.length > 0) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (sites.length > 0 && script?.js) {
    await chrome.scripting.registerContentScripts([{ id: SCRIPT_ID, matches: sites, js: script.js, allFrames: true, runAt: 'document_end', persistAcrossSessions: true }]);
  }
  return sites;
}

export function startWebmailSites(): void {
  const sync = () => void syncSiteScripts().catch(() => undefined);
  chrome.permissions.onAdded.addListener(sync);
  chrome.permissions.onRemoved.addListener(sync);
  sync();
}
