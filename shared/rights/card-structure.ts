/**
 * The card's structure and what each place in it allows: the one model the server enforces on
 * every update (sync-server/checks/structure-check.ts maps each struct and deletion an update
 * carries to a path and asks `judgeTouch`) and the extension reads to decide what it offers
 * (field-access.ts). The layout's names are doc-layout.ts; the rights behind `Sender` are rights.ts.
 *
 * A path is the root's name, then the map keys below it; an array's elements are '*':
 *   card.<field>              a plain value          field catalogue (fields.ts), createdAt, createdBy
 *   card.mergedInto           a card id              set by its keeper (not a borrower) when a merge retires it, removed to undo it
 *   contacts.<id>             a Y.Map, added once    a person; never removed
 *   contacts.<id>.<key>       a plain value          editable by writers (contact catalogue)
 *   timeline.<id>             a Y.Map, sealed        an entry is written once, with its author
 *   ledger.<id>               a Y.Map, sealed        likewise; a correction is a new entry (`corrects`)
 *   history.*                 a plain value          a change record, append-only, naming its author
 * Anything else (another root, a nested type where a value belongs, a key outside the catalogue)
 * is refused. Records (timeline, ledger, history) are never edited or deleted once stored.
 *
 * Credit control: an order may carry `pending: true` (submitted for approval); only those who may
 * set manager-only fields write a `credit-decision` entry (`decides`, `decision`). Whether an order
 * may be in force without approval is a rule on the whole card, credit-rule.ts (`judgeCredit`).
 */
import { isCardId } from '../card-id.ts';
import { CARD_KEY, ROOT } from '../doc-layout.ts';
import { fieldByKey, validateFieldValue } from '../fields.ts';
import { validateContactValue } from '../contact-validate.ts';
import { CONTACT_DIRECTIONS, type ContactDirection, type FieldValue } from '../card-types.ts';

/** The Yjs type declared at a place: a plain JSON value, a Y.Map or a Y.Array. */
export type Declared = 'value' | 'map' | 'array';
/** What an update placed somewhere: a declared type, or anything else (Y.Text, XML, binary, embeds…). */
export type Placed = Declared | 'other';

/** What the sender is to this card, decided by rights.ts. */
export interface Sender {
  /** The signed-in user: every author, creator and record must name them. */
  user: string;
  /** May write the card (own, team, admin, a loan with write; for a new card: may create). */
  write: boolean;
  /** May set manager-only fields (the catalogue's `setBy: 'manager'`). */
  controlled: boolean;
  /** May merge the card into another or undo that (rights.ts `mayRetire`): not a borrower. */
  keeper: boolean;
  /**
   * The company's fields whose change needs a reason (shared/policy `reasonFields`, as in force
   * when the update is checked); the catalogue's controlled fields always do. Absent: only those.
   */
  reasonFields?: readonly string[];
}

/** How a place was touched: a value or type placed there, or a stored one removed or replaced. */
export type Touch =
  | { kind: 'set'; value: unknown; declared: Placed; isNewCard: boolean; /** the enclosing entry was created by the same update */ inNewEntry: boolean }
  | { kind: 'delete'; isNewCard: boolean; /** the same update sets a new value at the same place */ replaced?: boolean };

export type RefusalCode = 'not-in-structure' | 'wrong-type' | 'not-allowed' | 'controlled-field' | 'owner-field' | 'wrong-author' | 'record-sealed' | 'invalid-value' | 'unrecorded-change' | 'credit-approval';

export type Verdict = { ok: true } | { ok: false; code: RefusalCode; message: string };

const OK: Verdict = { ok: true };
const refuse = (code: RefusalCode, message: string): Verdict => ({ ok: false, code, message });

/** The roots of a card and their types. */
export const ROOT_TYPES: Readonly<Record<string, Declared>> = {
  [ROOT.card]: 'map',
  [ROOT.contacts]: 'map',
  [ROOT.timeline]: 'map',
  [ROOT.ledger]: 'map',
  [ROOT.history]: 'array',
};

/** Roots whose entries are records: written once with their author, never edited or removed. */
export const SEALED_ENTRY_ROOTS: readonly string[] = [ROOT.timeline, ROOT.ledger];

/** Card-map keys outside the field catalogue, set once when the card is created. */
const CREATION_KEYS: readonly string[] = [CARD_KEY.createdAt, CARD_KEY.createdBy];
/** The merge marker (shared/merge/card-merge.ts): another card's id, set and removed with a change record. */
const MERGE_MARKER = CARD_KEY.mergedInto;

/** The largest amount a ledger entry may carry (as the ledger-add mutation validates). */
export const MAX_AMOUNT = 1e13;

/** The declared type at `path`, or undefined when the path is not part of a card. */
export function declaredAt(path: readonly string[]): Declared | undefined {
  const [root, key, sub] = path;
  if (root === undefined || !(root in ROOT_TYPES)) return undefined;
  if (path.length === 1) return ROOT_TYPES[root];
  if (root === ROOT.history) return path.length === 2 && key === '*' ? 'value' : undefined;
  if (root === ROOT.card) return path.length === 2 && (fieldByKey(key!) !== undefined || CREATION_KEYS.includes(key!) || key === MERGE_MARKER) ? 'value' : undefined;
  if (path.length === 2) return 'map';
  return path.length === 3 && sub !== undefined ? 'value' : undefined;
}

/** Whether `key` of the card map may be set by this sender (the device asks this before offering an edit). */
export function cardKeyRule(key: string): 'any-writer' | 'manager' | 'server' | 'creation' | 'merge' {
  if (CREATION_KEYS.includes(key)) return 'creation';
  if (key === MERGE_MARKER) return 'merge';
  const def = fieldByKey(key);
  return def?.setBy ?? 'any-writer';
}

/**
 * Whether a change of card field `key` must carry a reason: the catalogue's controlled fields
 * always, and the fields the company's policy lists (`reasonFields`). The server refuses a change
 * record of such a field without a non-empty reason (`judgeRecord`); the device asks this before
 * saving, so it asks the user for the reason instead of sending what would be refused.
 */
export function needsReason(key: string, reasonFields: readonly string[] = []): boolean {
  const def = fieldByKey(key);
  return def !== undefined && (def.controlled === true || reasonFields.includes(def.key));
}

function isPlainValue(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function judgeCardKey(key: string, touch: Touch, sender: Sender): Verdict {
  const rule = cardKeyRule(key);
  if (rule === 'creation') {
    if (touch.kind === 'delete' || !touch.isNewCard) return refuse('not-allowed', `"${key}" is set when the card is created`);
    if (key === CARD_KEY.createdBy && touch.value !== sender.user) return refuse('wrong-author', `A new card's creator must be the signed-in user (${sender.user})`);
    if (key === CARD_KEY.createdAt && !(typeof touch.value === 'number' && Number.isFinite(touch.value) && touch.value >= 0)) return refuse('invalid-value', 'The creation time is not a time');
    return OK;
  }
  if (rule === 'merge') {
    // Retired by the card's keeper (its own rep, its team's manager, an admin; never a borrower),
    // never at creation; undone by removing it, by the same people.
    if (!sender.keeper) return refuse('not-allowed', "Only the card's own rep or a manager of its team may merge it or undo its merge");
    if (touch.kind === 'delete') return OK;
    if (touch.isNewCard) return refuse('not-allowed', 'A new card cannot be merged into another');
    return isCardId(touch.value) ? OK : refuse('invalid-value', 'A card is merged into another card');
  }
  if (rule === 'server') {
    // The owner mirrors the server's owner: a new card names its creator; afterwards only handovers move it.
    if (touch.kind === 'set' && touch.isNewCard && touch.value === sender.user) return OK;
    return refuse('owner-field', 'The owner changes only by handover');
  }
  if (rule === 'manager' && !sender.controlled) return refuse('controlled-field', `Only a manager of the card's team may change ${key}: propose the change instead`);
  if (touch.kind === 'delete') return key === CARD_KEY.name && !touch.replaced ? refuse('invalid-value', 'A card needs a trade name') : OK;
  const def = fieldByKey(key)!;
  if (!isPlainValue(touch.value)) return refuse('invalid-value', `${def.label.en} cannot hold this value`);
  const valid = validateFieldValue(def, touch.value as FieldValue);
  if (!valid.ok) return refuse('invalid-value', valid.message);
  return OK;
}

function judgeEntryField(root: string, key: string, touch: Touch, sender: Sender): Verdict {
  if (touch.kind === 'delete' || !touch.inNewEntry) return refuse('record-sealed', 'A stored entry is never edited or removed: add a correction instead');
  const value = touch.value;
  if (!isPlainValue(value)) return refuse('invalid-value', `The entry's ${key.slice(0, 40)} cannot hold this value`);
  if (key === 'by' && value !== sender.user) return refuse('wrong-author', `Every record must name the signed-in user (${sender.user})`);
  if (root === ROOT.ledger && key === 'amount' && !(typeof value === 'number' && value >= 0 && value <= MAX_AMOUNT)) return refuse('invalid-value', 'An amount must be a number from 0 to 10,000,000,000,000');
  if (root === ROOT.ledger) {
    const credit = judgeCreditKey(key, value, sender);
    if (!credit.ok) return credit;
  }
  if (root === ROOT.timeline && key === 'direction' && !CONTACT_DIRECTIONS.includes(value as ContactDirection)) return refuse('invalid-value', 'A contact is from them (in) or from us (out)');
  if (typeof value === 'string' && value.length > 20_000) return refuse('invalid-value', 'The text is too long');
  return OK;
}

/** The ledger keys of credit control: `pending` is only ever `true`; decisions are a manager's. */
export const CREDIT_DECISION_KIND = 'credit-decision';
const DECISION_KEYS: readonly string[] = ['decides', 'decision'];

function judgeCreditKey(key: string, value: unknown, sender: Sender): Verdict {
  if (key === 'pending' && value !== true) return refuse('invalid-value', 'An order is submitted for approval with pending: true, or not at all');
  const decides = DECISION_KEYS.includes(key) || (key === 'kind' && value === CREDIT_DECISION_KIND);
  if (decides && !sender.controlled) return refuse('controlled-field', "Only a manager of the card's team may approve or decline an order");
  if (key === 'decision' && value !== 'approved' && value !== 'declined') return refuse('invalid-value', 'A credit decision is approved or declined');
  return OK;
}

function judgeRecord(touch: Touch, sender: Sender): Verdict {
  if (touch.kind === 'delete') return refuse('record-sealed', 'Change records are never removed');
  const record = touch.value as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return refuse('invalid-value', 'A change record is an object');
  if (record.by !== sender.user) return refuse('wrong-author', `Every record must name the signed-in user (${sender.user})`);
  if (typeof record.mutation !== 'string' || typeof record.target !== 'string' || typeof record.at !== 'number') return refuse('invalid-value', 'A change record names its change, its target and its time');
  const def = fieldByKey(record.target);
  // A record claims a change: only of what the sender may change (even when its value lost to another writer's).
  // A merge's records (the retired card's `mergedInto`, the kept card's `merge:<id>`) only from the card's keeper.
  if ((record.target === MERGE_MARKER || record.target.startsWith('merge:')) && !sender.keeper) {
    return refuse('not-allowed', "Only the card's own rep or a manager of its team may merge it or undo its merge");
  }
  if (def?.setBy === 'manager' && !sender.controlled) return refuse('controlled-field', `Only a manager of the card's team may change ${def.key}: propose the change instead`);
  if (def?.setBy === 'server' && !touch.isNewCard) return refuse('owner-field', 'The owner changes only by handover');
  // Controlled fields and the policy's reason fields: the record carries a reason (a new card's fields need none).
  if (def && def.setBy !== 'server' && !touch.isNewCard && needsReason(def.key, sender.reasonFields) && !(typeof record.reason === 'string' && record.reason.trim() !== '')) {
    return refuse('invalid-value', `Changing "${def.label.en}" needs a reason`);
  }
  return OK;
}

/**
 * May `sender` touch `path` this way? `touch.declared` is the Yjs type the update placed there
 * (for a set); it must be the declared one. Writing needs `sender.write` everywhere.
 */
export function judgeTouch(path: readonly string[], touch: Touch, sender: Sender): Verdict {
  const declared = declaredAt(path);
  if (declared === undefined) return refuse('not-in-structure', `A card has no place "${path.join('.').slice(0, 80)}"`);
  if (!sender.write) return refuse('not-allowed', 'You may not change this card');
  if (touch.kind === 'set' && touch.declared !== declared) return refuse('wrong-type', `"${path.join('.').slice(0, 80)}" holds a ${declared}, not a ${touch.declared}`);
  const [root, key, sub] = path as [string, string | undefined, string | undefined];
  if (path.length === 1) return touch.kind === 'delete' ? refuse('not-allowed', 'A card part is never removed') : OK;
  if (root === ROOT.card) return judgeCardKey(key!, touch, sender);
  if (root === ROOT.history) return judgeRecord(touch, sender);
  if (root === ROOT.contacts) {
    if (path.length === 2) return touch.kind === 'delete' ? refuse('not-allowed', 'A person is never removed from a card') : OK;
    if (touch.kind === 'delete') return sub === 'name' && !touch.replaced ? refuse('invalid-value', 'A person needs a name') : OK;
    if (!isPlainValue(touch.value)) return refuse('invalid-value', 'This value cannot be stored');
    const valid = validateContactValue(sub!, touch.value as FieldValue);
    return valid.ok ? OK : refuse('invalid-value', valid.message);
  }
  // timeline / ledger
  if (path.length === 2) return touch.kind === 'delete' ? refuse('record-sealed', 'A stored entry is never removed: add a correction instead') : OK;
  return judgeEntryField(root, sub!, touch, sender);
}

/**
 * The change-record target a touched place must be recorded under, in the same update: every
 * accepted change to a field carries a record naming the signed-in user. Undefined: no record
 * is needed (the record itself, a root, the parts of a new entry covered by its own target).
 */
export function recordTargetOf(path: readonly string[]): string | undefined {
  const [root, key, sub] = path;
  if (root === ROOT.card && path.length === 2) return key;
  if (root === ROOT.contacts && path.length === 2) return `contact:${key}`;
  if (root === ROOT.contacts && path.length === 3) return `contact:${key}.${sub}`;
  if ((root === ROOT.timeline || root === ROOT.ledger) && path.length === 2) return `${root}:${key}`;
  return undefined;
}

/**
 * Judges everything one update touches: each touch by `judgeTouch`, then, on a card the server
 * already holds, every touched field must be named by a change record the same update adds
 * (a new entry's own fields are covered by the entry's record).
 */
export function judgeTouches(touches: readonly { path: readonly string[]; touch: Touch }[], sender: Sender, isNewCard: boolean): Verdict {
  const recorded = new Set<string>();
  const setPlaces = new Set(touches.filter(({ touch }) => touch.kind === 'set').map(({ path }) => path.join('\u0000')));
  for (const { path, touch: raw } of touches) {
    const touch: Touch = raw.kind === 'delete' && setPlaces.has(path.join('\u0000')) ? { ...raw, replaced: true } : raw;
    const verdict = judgeTouch(path, touch, sender);
    if (!verdict.ok) return verdict;
    if (path[0] === ROOT.history && touch.kind === 'set') recorded.add(String((touch.value as { target?: unknown }).target));
  }
  if (isNewCard) return OK;
  for (const { path, touch } of touches) {
    if (touch.kind === 'set' && touch.inNewEntry) continue;
    const target = recordTargetOf(path);
    if (target !== undefined && !recorded.has(target)) return refuse('unrecorded-change', `The change to "${target.slice(0, 80)}" carries no change record`);
  }
  return OK;
}
