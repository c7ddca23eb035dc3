/**
 * Reads the label/value pairs of a message header for the generic detector: table rows (th/td,
 * td/td), definition lists (dt/dd), an inline label element followed by its value up to the line
 * break, and plain "From: Name <addr>" text. A field holds only its own value, cut at the next
 * label, so a name is never read from a region that also holds To:, Date: and the like; when the
 * value can only be told apart as text, no element (and so no attribute) of the region is used.
 */
import { emailIn, isEmail, mailtoAddress, nameWithout, textOf } from './detector.ts';

/** One header field's value: the elements wholly inside it, and its text without the label. */
export interface HeaderField {
  /** Where the field was found (the label, or the element that starts with it). */
  at: Element;
  /** Elements that belong to the value alone; empty when only its text could be separated. */
  nodes: readonly Element[];
  text: string;
}

const FROM_WORDS = 'from|von|de|da|van|od|от|发件人|寄件者|寄件人|差出人|보낸사람';
const TO_WORDS = 'to|cc|an|à|a|para|收件人|抄送|宛先';
const COLON = '\\s*[:：]';
/** Text that starts with a From label ("From: …", "发件人：…"). */
export const FROM_LABEL = new RegExp(`^\\s*(${FROM_WORDS})${COLON}`, 'i');
export const TO_LABEL = new RegExp(`^\\s*(${TO_WORDS})${COLON}`, 'i');
/** A cell or dt that is only a label; the colon is optional there (the layout says it is a label). */
const FROM_CELL = new RegExp(`^(${FROM_WORDS})(${COLON})?$`, 'i');
const TO_CELL = new RegExp(`^(${TO_WORDS})(${COLON})?$`, 'i');
const TO_INLINE = new RegExp(`^(${TO_WORDS})${COLON}$`, 'i');
/** An inline element that is only a label must carry the colon. */
const FROM_INLINE = new RegExp(`^(${FROM_WORDS})${COLON}$`, 'i');
const ANY_INLINE_LABEL = /^[\p{L}][\p{L}\p{M} .-]{0,24}[:：]$/u;
/** Another field's label inside a value: a word and a colon ("To:", "Date:"), or a CJK label. */
const NEXT_LABEL = /(?:^|\s)[\p{L}][\p{L}\p{M}-]{0,24}\s?[:：]|(?:收件人|抄送|密送|日期|时间|发送时间|主题|宛先|件名|日付|送信日時|받는사람|참조|날짜|제목)\s*[:：]/u;
const COMPOSE_TO = /[?&#]to=([^&#]+)/i;
const CELLS = new Set(['TH', 'TD']);
const INLINE_LABELS = 'b, strong, span, label, em, i';

function cutAtNextLabel(text: string): { text: string; cut: boolean } {
  const match = NEXT_LABEL.exec(text);
  return match ? { text: text.slice(0, match.index).trim(), cut: true } : { text, cut: false };
}

/** The field an element holds, its leading From label removed. */
export function fieldOf(element: Element, at: Element = element): HeaderField {
  const { text, cut } = cutAtNextLabel(textOf(element).replace(FROM_LABEL, '').trim());
  return { at, nodes: cut ? [] : [element], text };
}

/** The value cell (th/td) or dd beside a label cell or dt; null if there is none. */
function valueBeside(label: Element): Element | null {
  const next = label.nextElementSibling;
  if (!next) return null;
  if (CELLS.has(label.tagName) && CELLS.has(next.tagName)) return next;
  if (label.tagName === 'DT' && next.tagName === 'DD') return next;
  return null;
}

/** The value after an inline label: its following siblings up to a line break or the next label. */
function inlineValue(label: Element): HeaderField {
  const nodes: Element[] = [];
  const parts: string[] = [];
  for (let node = label.nextSibling; node; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const element = node as Element;
      if (element.tagName === 'BR' || ANY_INLINE_LABEL.test(textOf(element))) break;
      const { text, cut } = cutAtNextLabel(textOf(element));
      parts.push(text);
      if (cut) break;
      nodes.push(element);
    } else if (node.nodeType === 3) {
      const { text, cut } = cutAtNextLabel(node.textContent ?? '');
      parts.push(text);
      if (cut) break;
    }
  }
  return { at: label, nodes, text: parts.join(' ').replace(/\s+/g, ' ').trim() };
}

/**
 * Candidate From fields of a document, most structured first: label cells and dt's, inline label
 * elements, then elements whose text starts with a From label. `ignored` drops quotes and footers.
 */
export function* fromFields(doc: Document, ignored: string): Generator<HeaderField> {
  for (const label of Array.from(doc.querySelectorAll('th, td, dt'))) {
    if (label.closest(ignored) || !FROM_CELL.test(textOf(label))) continue;
    const value = valueBeside(label);
    if (value) yield fieldOf(value, label);
  }
  for (const label of Array.from(doc.querySelectorAll(INLINE_LABELS))) {
    if (label.closest(ignored)) continue;
    if (FROM_INLINE.test(textOf(label))) yield inlineValue(label);
  }
  for (const element of Array.from(doc.querySelectorAll('div, p, span, td, li, dd'))) {
    if (element.closest(ignored)) continue;
    const text = textOf(element);
    if (text.length <= 300 && FROM_LABEL.test(text)) yield fieldOf(element);
  }
}

/** The values of the To/Cc fields inside a region laid out as label cells, dt's or inline labels. */
export function toFields(region: Element, ignored: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const label of Array.from(region.querySelectorAll('th, td, dt'))) {
    if (label.closest(ignored) || !TO_CELL.test(textOf(label))) continue;
    const value = valueBeside(label);
    if (value) fields.push({ at: label, nodes: [value], text: textOf(value) });
  }
  for (const label of Array.from(region.querySelectorAll(INLINE_LABELS))) {
    if (!label.closest(ignored) && TO_INLINE.test(textOf(label))) fields.push(inlineValue(label));
  }
  return fields;
}

/** Elements of the field matching a selector, the value elements themselves included. */
function within(field: HeaderField, selector: string): Element[] {
  return field.nodes.flatMap((node) => [...(node.matches(selector) ? [node] : []), ...Array.from(node.querySelectorAll(selector))]);
}

/** An address carried only in a compose link's query (`?compose&to=addr`), '' if none. */
export function composeAddress(anchor: Element): string {
  const match = COMPOSE_TO.exec(anchor.getAttribute('href') ?? '');
  if (!match?.[1]) return '';
  try {
    const address = decodeURIComponent(match[1].replace(/\+/g, ' ')).trim();
    return isEmail(address) ? address.toLowerCase() : '';
  } catch {
    return '';
  }
}

function linkAddress(anchor: Element): string {
  return /^mailto:/i.test(anchor.getAttribute('href') ?? '') ? mailtoAddress(anchor) : composeAddress(anchor);
}

/** Every address in the field, in order of trust: mailto, title, compose link, text. */
export function addressesOf(field: HeaderField): string[] {
  const mailto = within(field, 'a[href^="mailto:" i]').map(mailtoAddress);
  const titled = within(field, '[title*="@"]').map((el) => emailIn(el.getAttribute('title')));
  const compose = within(field, 'a[href*="to=" i]').map(composeAddress);
  const inText = (field.text.match(/[^\s<>()"',;]+@[^\s<>()"',;]+/g) ?? []).map(emailIn);
  return [...mailto, ...titled, ...compose, ...inText].filter((address) => address !== '');
}

/** A candidate name, or '' if it is empty or looks like more than a name (labels, addresses). */
function cleanName(raw: string, email: string): string {
  const name = nameWithout(raw.replace(/\S*@\S*/g, ' '), email)
    .replace(/^[^\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}.]+$/gu, '')
    .trim();
  if (name === '' || name.length > 100 || /[:：@]/.test(name)) return '';
  return name;
}

/**
 * The sender's name from the field's own elements: the element whose title holds the address,
 * the link to the address, then the value's text. '' rather than anything that is not a name.
 */
export function nameOf(field: HeaderField, email: string): string {
  const candidates: string[] = [];
  for (const el of within(field, '[title*="@"]')) {
    if (emailIn(el.getAttribute('title')) !== email) continue;
    candidates.push(textOf(el), el.getAttribute('title') ?? '');
  }
  for (const anchor of within(field, 'a[href]')) if (linkAddress(anchor) === email) candidates.push(textOf(anchor));
  candidates.push(field.text);
  for (const candidate of candidates) {
    const name = cleanName(candidate, email);
    if (name) return name;
  }
  return '';
}
