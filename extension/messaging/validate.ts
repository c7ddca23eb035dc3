/**
 * The gates for runtime messages. Content scripts are untrusted: a webmail page could be
 * compromised, a content script only reports what it saw, and it runs in every frame, so an ad or
 * a message body shown in a cross-origin iframe must not choose the sender. Every message is
 * checked for origin (this extension, in a tab, from the top frame or a frame of the top frame's
 * origin), exact shape, types and sizes before anything is acted on. Extension pages accept
 * sender changes only from the service worker. Rejections are values and never throw.
 */
import type { SenderInfo } from '../../shared/card-types.ts';
import { isValidEmail, normalizeEmail } from '../../shared/email.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import type { SenderSeenMessage, TabSenderChangedMessage } from './messages.ts';

export const MESSAGE_LIMITS = { bytes: 16 * 1024, email: 254, name: 200, subject: 1_000, url: 2_048, recipients: 100, captureText: 20_000, captureBytes: 64 * 1024 } as const;

/** The part of chrome.runtime.MessageSender the checks need. */
export interface MessageOrigin {
  id?: string;
  tab?: { id?: number; url?: string };
  /** 0 for the top frame, positive for sub-frames; set only when `tab` is. */
  frameId?: number;
  /** The sending document's origin; may be opaque ("null") for sandboxed frames. */
  origin?: string;
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

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * The top frame decides the sender: a report is accepted from frame 0, or from a sub-frame whose
 * origin equals the tab's (top frame's) origin — webmails such as Roundcube show the open message
 * in a same-origin iframe. An ad, or a message body rendered in a cross-origin or sandboxed
 * (opaque-origin) iframe, is refused. Without the tab's URL or a frame id nothing but the top
 * frame can be trusted.
 */
export function acceptSenderReport(sender: Pick<MessageOrigin, 'frameId' | 'origin' | 'url'>, tabUrl: string | undefined): boolean {
  if (sender.frameId === 0) return true;
  if (typeof sender.frameId !== 'number' || sender.frameId < 0) return false;
  const top = originOf(tabUrl);
  // `origin` is the document's real origin (about:blank and srcdoc frames inherit their creator's);
  // older browsers only give `url`.
  const frame = originOf(sender.origin ?? sender.url);
  return top !== undefined && frame === top;
}

function checkOrigin(origin: MessageOrigin, extensionId: string): Result<{ tabId: number; frameId: number }> {
  if (origin.id !== extensionId) return fail('not-allowed', 'The message does not come from this extension');
  const tabId = origin.tab?.id;
  if (typeof tabId !== 'number' || tabId < 0) return fail('not-allowed', 'The message does not come from a tab');
  if (!acceptSenderReport(origin, origin.tab?.url)) return fail('not-allowed', 'The message comes from a frame of another origin');
  return ok({ tabId, frameId: origin.frameId ?? 0 });
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

export function validateSenderSeen(message: unknown, origin: MessageOrigin, extensionId: string): Result<{ tabId: number; frameId: number; message: SenderSeenMessage }> {
  const from = checkOrigin(origin, extensionId);
  if (!from.ok) return from;
  const { tabId, frameId } = from.value;
  if (sizeOf(message) > MESSAGE_LIMITS.bytes) return fail('too-long', 'The message is too large', undefined, { max: MESSAGE_LIMITS.bytes });
  if (!isRecord(message) || message.type !== 'sender-seen' || !onlyKeys(message, ['type', 'sender']) || !('sender' in message)) {
    return fail('invalid-value', 'The message has an unexpected shape');
  }
  if (message.sender === null) return ok({ tabId, frameId, message: { type: 'sender-seen', sender: null } });
  const sender = validateSender(message.sender);
  if (!sender.ok) return sender;
  return ok({ tabId, frameId, message: { type: 'sender-seen', sender: sender.value } });
}

/**
 * Whether a message reaching an extension page was sent by this extension's service worker.
 * chrome.runtime.MessageSender as a page's onMessage sees it: from a content script `tab` (and
 * `frameId`) are set and `url` is the web page's; from an extension page `url` is that page's
 * (chrome-extension://<id>/sidepanel.html…, with `tab` set too when it is opened as a tab); from
 * the service worker there is no `tab` and `url` is the worker script's URL. So: this extension's
 * id, no tab, and exactly the worker's URL (`workerUrl`, from chrome.runtime.getURL of the
 * manifest's background.service_worker).
 */
export function fromServiceWorker(origin: MessageOrigin, extensionId: string, workerUrl: string): boolean {
  return origin.id === extensionId && origin.tab === undefined && workerUrl !== '' && origin.url === workerUrl;
}

/** Service worker -> extension pages: a tab's sender changed. Checked for origin and shape. */
export function validateTabSenderChanged(message: unknown, origin: MessageOrigin, extensionId: string, workerUrl: string): Result<TabSenderChangedMessage> {
  if (!fromServiceWorker(origin, extensionId, workerUrl)) return fail('not-allowed', 'The message does not come from the service worker');
  if (sizeOf(message) > MESSAGE_LIMITS.bytes) return fail('too-long', 'The message is too large', undefined, { max: MESSAGE_LIMITS.bytes });
  if (!isRecord(message) || message.type !== 'tab-sender-changed' || !onlyKeys(message, ['type', 'tabId', 'sender']) || !('sender' in message)) {
    return fail('invalid-value', 'The message has an unexpected shape');
  }
  const tabId = message.tabId;
  if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) return fail('invalid-value', 'The tab id is not valid', 'tabId');
  if (message.sender === null) return ok({ type: 'tab-sender-changed', tabId, sender: null });
  const sender = validateSender(message.sender);
  if (!sender.ok) return sender;
  return ok({ type: 'tab-sender-changed', tabId, sender: sender.value });
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
