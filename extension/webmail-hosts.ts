/**
 * Where the extension may read pages: host permissions granted at install for Gmail and
 * Outlook on the web only; any other webmail is an optional host permission the user grants
 * on a click (Settings → Webmail sites) and can remove again. Builds for tests and the demo
 * also reach the loopback webmail fixtures (127.0.0.1, localhost); store builds never do.
 * Read by wxt.config.ts (the manifest) and by the background (which sites were added).
 */
export const WEBMAIL_HOSTS = ['https://mail.google.com/*', 'https://outlook.live.com/*', 'https://outlook.office.com/*', 'https://outlook.office365.com/*'] as const;

/** The loopback pages of the tests and the demo webmail (any port). */
export const LOOPBACK_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'] as const;

/** What a user may add: any web page's origin, asked for one origin at a time. */
export const OPTIONAL_HOSTS = ['https://*/*', 'http://*/*'] as const;

/** The origin pattern of a site the user types ("mail.example.com", "https://mail.example.com/inbox"). */
export function sitePattern(input: string): string | undefined {
  const text = input.trim();
  if (!text || text.length > 300) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname.toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(host) || (!host.includes('.') && host !== 'localhost')) return undefined;
  return `${url.protocol}//${host}/*`;
}

/** The origin patterns the user enabled, as the browser records them (not those granted at install). */
export async function enabledSites(): Promise<string[]> {
  const granted = await chrome.permissions.getAll();
  const fixed = new Set(chrome.runtime.getManifest().host_permissions ?? []);
  return (granted.origins ?? []).filter((origin) => !fixed.has(origin) && origin !== '<all_urls>').sort();
}
