import { describe, expect, it } from 'vitest';
import { acceptSenderReport, fromServiceWorker, validateCaptureSelection, validateSenderSeen, validateTabSenderChanged } from './validate.ts';

const ID = 'coclnceeblfbphbhobcoghaekbdelmkm';
const TAB_URL = 'https://mail.example.com/?_task=mail&_uid=42';
const origin = { id: ID, tab: { id: 7, url: 'https://mail.google.com/mail/u/0/' }, frameId: 0, origin: 'https://mail.google.com', url: 'https://mail.google.com/mail/u/0/' };
const WORKER = `chrome-extension://${ID}/background.js`;
const sender = { email: 'Li.Na@jinding-trading.cn', name: '李娜', subject: '订单确认', recipients: ['rep@ourco.com'], url: 'https://mail.google.com/mail/u/0/#inbox/x', source: 'gmail' };

describe('validateSenderSeen', () => {
  it('accepts a well-formed message from this extension in a tab and lower-cases the address', () => {
    const result = validateSenderSeen({ type: 'sender-seen', sender }, origin, ID);
    expect(result).toMatchObject({ ok: true, value: { tabId: 7, message: { sender: { email: 'li.na@jinding-trading.cn' } } } });
  });

  it('accepts "no message open"', () => {
    expect(validateSenderSeen({ type: 'sender-seen', sender: null }, origin, ID).ok).toBe(true);
  });

  it.each([
    ['another extension', { type: 'sender-seen', sender }, { ...origin, id: 'someoneelse' }, 'not-allowed'],
    ['no tab', { type: 'sender-seen', sender }, { id: ID }, 'not-allowed'],
    ['wrong type', { type: 'card-delete', sender }, origin, 'invalid-value'],
    ['extra key', { type: 'sender-seen', sender, html: '<b>x</b>' }, origin, 'invalid-value'],
    ['extra sender key', { type: 'sender-seen', sender: { ...sender, body: 'x' } }, origin, 'invalid-value'],
    ['non-string name', { type: 'sender-seen', sender: { ...sender, name: 42 } }, origin, 'invalid-value'],
    ['bad email', { type: 'sender-seen', sender: { ...sender, email: 'nope' } }, origin, 'invalid-email'],
    ['bad recipient', { type: 'sender-seen', sender: { ...sender, recipients: ['x'] } }, origin, 'invalid-email'],
    ['javascript url', { type: 'sender-seen', sender: { ...sender, url: 'javascript:alert(1)' } }, origin, 'invalid-value'],
    ['long subject', { type: 'sender-seen', sender: { ...sender, subject: 's'.repeat(1001) } }, origin, 'too-long'],
    ['oversized', { type: 'sender-seen', sender: { ...sender, name: 'n'.repeat(20_000) } }, origin, 'too-long'],
    ['not an object', 'sender-seen', origin, 'invalid-value'],
  ])('rejects %s', (_label, message, from, code) => {
    expect(validateSenderSeen(message, from, ID)).toMatchObject({ ok: false, code });
  });

  it('never throws, even on a cyclic object', () => {
    const cyclic: Record<string, unknown> = { type: 'sender-seen' };
    cyclic.sender = cyclic;
    expect(validateSenderSeen(cyclic, origin, ID).ok).toBe(false);
  });
});

describe('acceptSenderReport: the top frame decides the sender', () => {
  it.each([
    ['the top frame', { frameId: 0, origin: 'https://mail.example.com', url: TAB_URL }, TAB_URL, true],
    ['the top frame, even before the tab URL is known', { frameId: 0 }, undefined, true],
    ['a same-origin message frame', { frameId: 3, origin: 'https://mail.example.com', url: 'https://mail.example.com/?_action=show&_uid=42' }, TAB_URL, true],
    ['a same-origin frame known only by its url', { frameId: 3, url: 'https://mail.example.com/?_action=show' }, TAB_URL, true],
    ['an ad iframe of another origin', { frameId: 5, origin: 'https://ads.example.net', url: 'https://ads.example.net/slot' }, TAB_URL, false],
    ['a sub-domain is another origin', { frameId: 5, origin: 'https://cdn.mail.example.com', url: 'https://cdn.mail.example.com/x' }, TAB_URL, false],
    ['http instead of https is another origin', { frameId: 5, origin: 'http://mail.example.com', url: 'http://mail.example.com/x' }, TAB_URL, false],
    ['a sandboxed (opaque-origin) body frame', { frameId: 6, origin: 'null', url: 'https://mail.example.com/body' }, TAB_URL, false],
    ['an origin that disagrees with its url', { frameId: 6, origin: 'https://evil.example', url: 'https://mail.example.com/x' }, TAB_URL, false],
    ['a sub-frame when the tab URL is unknown', { frameId: 3, origin: 'https://mail.example.com' }, undefined, false],
    ['a report without a frame id', { origin: 'https://mail.example.com', url: TAB_URL }, TAB_URL, false],
    ['a malformed tab URL', { frameId: 3, origin: 'https://mail.example.com' }, 'not a url', false],
  ])('%s -> %s', (_label, sender, tabUrl, accepted) => {
    expect(acceptSenderReport(sender, tabUrl)).toBe(accepted);
  });

  it('validateSenderSeen refuses a cross-origin sub-frame and reports the frame it accepted', () => {
    const ad = { id: ID, tab: { id: 7, url: TAB_URL }, frameId: 9, origin: 'https://ads.example.net', url: 'https://ads.example.net/slot' };
    expect(validateSenderSeen({ type: 'sender-seen', sender }, ad, ID)).toMatchObject({ ok: false, code: 'not-allowed' });
    const body = { ...ad, origin: 'https://mail.example.com', url: 'https://mail.example.com/?_action=show' };
    expect(validateSenderSeen({ type: 'sender-seen', sender }, body, ID)).toMatchObject({ ok: true, value: { tabId: 7, frameId: 9 } });
  });
});

describe('validateTabSenderChanged: only the service worker moves the panel', () => {
  const worker = { id: ID, url: WORKER, origin: `chrome-extension://${ID}` };
  const changed = { type: 'tab-sender-changed', tabId: 7, sender };

  it('accepts the worker\'s message and normalises the sender', () => {
    expect(validateTabSenderChanged(changed, worker, ID, WORKER)).toMatchObject({ ok: true, value: { tabId: 7, sender: { email: 'li.na@jinding-trading.cn' } } });
    expect(validateTabSenderChanged({ ...changed, sender: null }, worker, ID, WORKER)).toMatchObject({ ok: true, value: { sender: null } });
  });

  it.each([
    ['a content script', { id: ID, tab: { id: 7, url: TAB_URL }, frameId: 0, url: TAB_URL }],
    ['an extension page', { id: ID, url: `chrome-extension://${ID}/sidepanel.html` }],
    ['an extension page opened as a tab', { id: ID, tab: { id: 8, url: WORKER }, frameId: 0, url: WORKER }],
    ['another extension', { id: 'someoneelse', url: WORKER }],
  ])('refuses %s', (_label, from) => {
    expect(fromServiceWorker(from, ID, WORKER)).toBe(false);
    expect(validateTabSenderChanged(changed, from, ID, WORKER)).toMatchObject({ ok: false, code: 'not-allowed' });
  });

  it('refuses everything when the worker URL is unknown', () => {
    expect(fromServiceWorker({ id: ID, url: '' }, ID, '')).toBe(false);
  });

  it.each([
    ['extra key', { ...changed, html: '<b>x</b>' }],
    ['no sender', { type: 'tab-sender-changed', tabId: 7 }],
    ['bad tab id', { ...changed, tabId: -1 }],
    ['fractional tab id', { ...changed, tabId: 1.5 }],
    ['bad sender', { ...changed, sender: { ...sender, email: 'nope' } }],
    ['not an object', 'tab-sender-changed'],
  ])('refuses a malformed message: %s', (_label, message) => {
    expect(validateTabSenderChanged(message, worker, ID, WORKER).ok).toBe(false);
  });
});

describe('validateCaptureSelection', () => {
  it('accepts a selection with its page', () => {
    expect(validateCaptureSelection({ type: 'capture-selection', text: ' 报价单 ', title: 'Quote', url: 'https://example.com/q' })).toMatchObject({ ok: true, value: { text: '报价单' } });
  });
  it.each([
    [{ type: 'capture-selection', text: '', title: '', url: 'https://x.com' }, 'invalid-value'],
    [{ type: 'capture-selection', text: 'x'.repeat(20_001), title: '', url: 'https://x.com' }, 'too-long'],
    [{ type: 'capture-selection', text: 'x', title: '', url: 'file:///etc/passwd' }, 'invalid-value'],
    [{ type: 'capture-selection', text: 'x', title: '', url: 'https://x.com', extra: 1 }, 'invalid-value'],
  ])('rejects %j', (message, code) => {
    expect(validateCaptureSelection(message)).toMatchObject({ ok: false, code });
  });
});
