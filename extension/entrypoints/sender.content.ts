import type { SenderInfo } from '../../shared/card-types.ts';
import { watchSender } from '../features/sender-watch.ts';
import type { SenderSeenMessage } from '../messaging/messages.ts';

// Reads who sent the open message and tells the background. Never reads or writes customer
// data, stores nothing in the page's origin and never injects anything into the page.
export default defineContentScript({
  matches: ['<all_urls>'],
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
