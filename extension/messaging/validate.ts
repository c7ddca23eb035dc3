/**
 * The background's gate for messages from content scripts, which are untrusted: a webmail page
 * could be compromised, and a content script only reports what it saw. Every message is checked
 * for origin (this extension's content script, in a tab), exact shape, types and sizes before
 * anything is acted on. Rejections are values and never throw.
 */
import type { SenderInfo } from '../../shared/card-types.ts';
import { isValidEmail, normalizeEmail } from '../../shared/email.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import type { SenderSeenMessage } from './messages.ts';

export const MESSAGE_LIMITS = { bytes: 16 * 1024, email: 254, name: 200, subject: 1_000, url: 2_048, recipients: 100, captureText: 20_000, captureBytes: 64 * 1024 } as const;

/** The part of chrome.runtime.MessageSender the checks need. */
export interface MessageOrigin {
  id?: string;
  tab?: { id?: number };
  url?: string;
}

export interface CaptureSelectionMessage {
  type: 'capture-selection';
  text: string;
  title: string;
  url: string;
}

function sizeOf(message: unknown): number {
  try {
    return JSON.stringify(message)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

function checkOrigin(origin: MessageOrigin, extensionId: string): Result<number> {
  if (origin.id !== extensionId) return fail('not-allowed', 'The message does not come from this extension');
  const tabId = origin.tab?.id;
  if (typeof tabId !== 'number' || tabId < 0) return fail('not-allowed', 'The message does not come from a tab');
  return ok(tabId);
}

function boundedString(value: unknown, max: number, field: string): Result<string> {
  if (typeof value !== 'string') return fail('invalid-value', `${field} must be a text`, field);
  if (value.length > max) return fail('too-long', `${field} is longer than ${max} characters`, field, { max });
  return ok(value);
}

function webUrl(value: unknown, field: string): Result<string> {
  const url = boundedString(value, MESSAGE_LIMITS.url, field);
  if (!url.ok) return url;
  if (!/^https?:\/\//i.test(url.value)) return fail('invalid-value', `${field} must be a web address`, field);
  return url;
}

function validateSender(value: unknown): Result<SenderInfo> {
  if (!isRecord(value) || !onlyKeys(value, ['email', 'name', 'subject', 'recipients', 'url', 'source'])) return fail('invalid-value', 'The sender has an unexpected shape');
  const email = boundedString(value.email, MESSAGE_LIMITS.email, 'email');
  if (!email.ok) return email;
  if (!isValidEmail(email.value)) return fail('invalid-email', 'The sender address is not valid', 'email');
  const name = boundedString(value.name, MESSAGE_LIMITS.name, 'name');
  if (!name.ok) return name;
  const subject = boundedString(value.subject, MESSAGE_LIMITS.subject, 'subject');
  if (!subject.ok) return subject;
  const url = webUrl(value.url, 'url');
  if (!url.ok) return url;
  const source = boundedString(value.source, 20, 'source');
  if (!source.ok) return source;
  if (!['gmail', 'outlook', 'generic'].includes(source.value)) return fail('invalid-value', 'Unknown detector', 'source');
  const recipients = value.recipients;
  if (!Array.isArray(recipients) || recipients.length > MESSAGE_LIMITS.recipients) return fail('invalid-value', 'Recipients must be a short list', 'recipients');
  if (!recipients.every((r): r is string => typeof r === 'string' && r.length <= MESSAGE_LIMITS.email && isValidEmail(r))) {
    return fail('invalid-email', 'A recipient address is not valid', 'recipients');
  }
  return ok({
    email: normalizeEmail(email.value),
    name: name.value.trim(),
    subject: subject.value.trim(),
    recipients: recipients.map(normalizeEmail),
    url: url.value,
    source: source.value,
  });
}

export function validateSenderSeen(message: unknown, origin: MessageOrigin, extensionId: string): Result<{ tabId: number; message: SenderSeenMessage }> {
  const from = checkOrigin(origin, extensionId);
  if (!from.ok) return from;
  if (sizeOf(message) > MESSAGE_LIMITS.bytes) return fail('too-long', 'The message is too large', undefined, { max: MESSAGE_LIMITS.bytes });
  if (!isRecord(message) || message.type !== 'sender-seen' || !onlyKeys(message, ['type', 'sender']) || !('sender' in message)) {
    return fail('invalid-value', 'The message has an unexpected shape');
  }
  if (message.sender === null) return ok({ tabId: from.value, message: { type: 'sender-seen', sender: null } });
  const sender = validateSender(message.sender);
  if (!sender.ok) return sender;
  return ok({ tabId: from.value, message: { type: 'sender-seen', sender: sender.value } });
}

/** A page selection to save into a card: text, the page's title and URL. */
export function validateCaptureSelection(message: unknown): Result<CaptureSelectionMessage> {
  if (sizeOf(message) > MESSAGE_LIMITS.captureBytes) return fail('too-long', 'The selection is too large to save', undefined, { max: MESSAGE_LIMITS.captureText });
  if (!isRecord(message) || message.type !== 'capture-selection' || !onlyKeys(message, ['type', 'text', 'title', 'url'])) {
    return fail('invalid-value', 'The message has an unexpected shape');
  }
  const text = boundedString(message.text, MESSAGE_LIMITS.captureText, 'text');
  if (!text.ok) return text;
  if (text.value.trim() === '') return fail('invalid-value', 'The selection is empty', 'text');
  const title = boundedString(message.title, MESSAGE_LIMITS.subject, 'title');
  if (!title.ok) return title;
  const url = webUrl(message.url, 'url');
  if (!url.ok) return url;
  return ok({ type: 'capture-selection', text: text.value.trim(), title: title.value.trim(), url: url.value });
}
