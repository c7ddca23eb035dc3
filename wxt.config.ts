import { defineConfig } from 'wxt';
import { LOOPBACK_HOSTS, OPTIONAL_HOSTS, WEBMAIL_HOSTS } from './extension/webmail-hosts.ts';

// The extension's build. srcDir is fixed by the product's layout (extension/).
//
// Least privilege: host permissions for Gmail and Outlook on the web only; other webmails are
// optional host permissions the user grants in Settings (extension/background/webmail-sites.ts
// registers the sender script there). A store build (CARDS_STORE_BUILD=1, set by `npm run zip`)
// has neither the loopback hosts of the tests and the demo nor the fixed `key`.
const store = process.env.CARDS_STORE_BUILD === '1';
const hosts = store ? [...WEBMAIL_HOSTS] : [...WEBMAIL_HOSTS, ...LOOPBACK_HOSTS];

export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  modules: ['@wxt-dev/module-react'],
  // Store builds and their zips go apart, so `npm run zip` never replaces the build the tests load.
  ...(store ? { outDir: '.output/store' } : {}),
  zip: {
    // Firefox's reviewers get the sources (wxt zip -b firefox): without builds, data or test output.
    excludeSources: ['.output/**', 'tmp/**', 'data/**', 'tests/e2e/screenshots/**', 'stats.html'],
  },
  // Firefox gets Manifest V3 too: optional host permissions and scripting work the same way.
  manifestVersion: 3,
  // The transfer page's file worker loads exceljs on demand: module workers can split chunks.
  vite: () => ({ worker: { format: 'es' } }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // A fixed key keeps the extension id stable across checkouts, so tests and the demo
    // profile can address chrome-extension://<id>/ pages directly. Never in a store build.
    ...(store || browser === 'firefox'
      ? {}
      : { key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArmlZDtJeUjxs40Q4F+mB0K6sS504uWrL+udL5pNTrraWFLTO+djZA6+PVoukgS0x2LEUpac/AUUCBDfYbsqKXyhmYmKF7K0E7GLjXdC5K1OV9zmXsLCKrJViiM6yXJeXggnWTASj69q1g/ezF03NhrB8Knsr92wPkb2u4sFQ5V++Zh9MMkkwsWan73vLyLk0eH6wNGQSIJ/nvDQRkBB6UCBhPbAD9rwCGY5GqxLkEL75KQN5yWKlwue9++qXhz5BAjEaVUuj77b+QxJz7kX4yn0JPB94kJVDs9yVMcFWFHV1RrRNXvKpbmN2Zpx/BHDsNBYTRnE6RzejQZxQYxTLKwIDAQAB' }),
    permissions: ['storage', 'unlimitedStorage', 'tabs', 'alarms', 'notifications', 'contextMenus', 'scripting', 'activeTab'],
    host_permissions: hosts,
    optional_host_permissions: [...OPTIONAL_HOSTS],
    icons: { 16: '/icon-16.png', 48: '/icon-48.png', 128: '/icon-128.png' },
    action: { default_title: '__MSG_extName__', default_icon: { 16: '/icon-16.png', 48: '/icon-48.png' } },
    commands: {
      'quick-note': { suggested_key: { default: 'Ctrl+Shift+Y', mac: 'Command+Shift+Y' }, description: '__MSG_commandQuickNote__' },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'customer-cards@cards.example',
              strict_min_version: '142.0',
              // Cards (people's names, emails, phones) and logged emails go to the sync server
              // the user's company runs and the user enters; nothing goes to the developer.
              data_collection_permissions: { required: ['personallyIdentifyingInfo', 'personalCommunications'] },
            },
          },
        }
      : {}),
  }),
  hooks: {
    // The sender script runs where the extension has host permissions at install; other
    // webmails get it registered at run time once the user enables them.
    'build:manifestGenerated': (_wxt, manifest) => {
      for (const script of manifest.content_scripts ?? []) script.matches = [...hosts];
    },
  },
});
