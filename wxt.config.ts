import { defineConfig } from 'wxt';

// The extension's build. srcDir is fixed by the product's layout (extension/).
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  modules: ['@wxt-dev/module-react'],
  // The transfer page's file worker loads exceljs on demand: module workers can split chunks.
  vite: () => ({ worker: { format: 'es' } }),
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // A fixed key keeps the extension id stable across checkouts, so tests and the
    // demo profile can address chrome-extension://<id>/ pages directly.
    key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArmlZDtJeUjxs40Q4F+mB0K6sS504uWrL+udL5pNTrraWFLTO+djZA6+PVoukgS0x2LEUpac/AUUCBDfYbsqKXyhmYmKF7K0E7GLjXdC5K1OV9zmXsLCKrJViiM6yXJeXggnWTASj69q1g/ezF03NhrB8Knsr92wPkb2u4sFQ5V++Zh9MMkkwsWan73vLyLk0eH6wNGQSIJ/nvDQRkBB6UCBhPbAD9rwCGY5GqxLkEL75KQN5yWKlwue9++qXhz5BAjEaVUuj77b+QxJz7kX4yn0JPB94kJVDs9yVMcFWFHV1RrRNXvKpbmN2Zpx/BHDsNBYTRnE6RzejQZxQYxTLKwIDAQAB',
    permissions: ['sidePanel', 'storage', 'unlimitedStorage', 'tabs', 'alarms', 'notifications', 'contextMenus', 'scripting', 'activeTab'],
    host_permissions: ['<all_urls>'],
    icons: { 16: '/icon-16.png', 48: '/icon-48.png', 128: '/icon-128.png' },
    action: { default_title: '__MSG_extName__', default_icon: { 16: '/icon-16.png', 48: '/icon-48.png' } },
    commands: {
      'quick-note': { suggested_key: { default: 'Ctrl+Shift+Y', mac: 'Command+Shift+Y' }, description: '__MSG_commandQuickNote__' },
    },
    side_panel: { default_path: 'sidepanel.html' },
  },
});
