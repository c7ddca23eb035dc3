import { describe, expect, it } from 'vitest';
import { validateCaptureSelection, validateSenderSeen } from './validate.ts';

const ID = 'coclnceeblfbphbhobcoghaekbdelmkm';
const origin = { id: ID, tab: { id: 7 }, url: 'https://mail.google.com/mail/u/0/' };
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
