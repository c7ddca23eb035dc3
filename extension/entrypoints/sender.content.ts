import type { SenderInfo } from '../../shared/card-types.ts';
import { watchSender } from '../features/sender-watch.ts';
import type { SenderSeenMessage } from '../messaging/messages.ts';

// Reads who sent the open message and tells the background. Never reads or writes customer
// data, stores nothing in the page's origin and never injects anything into the page. It runs in
// every frame (webmails may show the message in a same-origin iframe), but the background believes
// only the top frame and frames of its origin (acceptSenderReport in extension/messaging/validate.ts).
// Where it runs is decided by wxt.config.ts (Gmail and Outlook on the web; loopback in test
// builds) and, for the webmails the user enables in Settings, by extension/background/webmail-sites.ts.
export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  allFrames: true,
  // As soon as the DOM is parsed: a message opened by loading a page shows its card sooner; later
  // changes (single-page webmail) come through the watcher's observer.
  runAt: 'document_end',
  main(ctx) {
    const send = (sender: SenderInfo | null) => {
      const message: SenderSeenMessage = { type: 'sender-seen', sender };
      browser.runtime.sendMessage(message).catch(() => {
        // The extension was reloaded or the background is restarting: the next change re-sends.
      });
    };
    watchSender({ doc: document, win: window, send, signal: ctx.signal, isTopFrame: window.top === window });
  },
});
