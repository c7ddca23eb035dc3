/**
 * The named mutations: every write to a card is one of these. Each is validated in one place
 * (shared/mutations.ts), applied with its change record in one Yjs transaction, and persisted
 * by the local store. Adding a mutation = adding a member here and a case there.
 */
import type { ChangeRecord, ContactDirection, ContactRole, ContactView, FieldValue, LedgerEntry, LedgerKind, MergeFacts, TimelineEntry, TimelineKind } from './card-types.ts';

export interface CardCreate {
  type: 'card-create';
  /** Trade name (商号). */
  name: string;
  domains?: string[];
  /** Optional first contact, e.g. the sender of the open email. */
  contact?: { name: string; email: string; role?: ContactRole };
  fields?: Record<string, FieldValue>;
}

export interface CardSetField {
  type: 'card-set-field';
  cardId: string;
  field: string;
  value: FieldValue;
  /** Required for controlled fields (approved credit limit, rating, owner, overrides). */
  reason?: string;
}

export interface ContactAdd {
  type: 'contact-add';
  cardId: string;
  name: string;
  email?: string;
  role?: ContactRole;
  phone?: string;
  /** More of the person at once (mobile, title, birth date…): keys of the contact catalogue. */
  profile?: Record<string, FieldValue>;
}

export interface ContactSetField {
  type: 'contact-set-field';
  cardId: string;
  contactId: string;
  field: string;
  value: FieldValue;
  reason?: string;
}

export interface NoteAdd {
  type: 'note-add';
  cardId: string;
  text: string;
  kind?: TimelineKind;
  /** Epoch ms; defaults to now. */
  at?: number;
  contactId?: string;
  followUp?: number;
  sourceUrl?: string;
  sourceTitle?: string;
  subject?: string;
  handling?: string;
  /** What came of it (contacts, complaints). */
  outcome?: string;
  /** A note that counts as a contact with the customer (the quick note unless marked "not a contact"). */
  contact?: boolean;
  /** Contacts: they reached us ('in') or we them ('out'); counts towards closeness (two-way). */
  direction?: ContactDirection;
}

export interface LedgerAdd {
  type: 'ledger-add';
  cardId: string;
  kind: LedgerKind;
  date: number;
  amount: number;
  products?: string;
  /** Orders: when payment (the first instalment) is due; the order form fills it from the card's terms. */
  dueDate?: number;
  /** Orders: paid in this many monthly parts (2-120); the order form fills it from the card's terms. */
  instalments?: number;
  note?: string;
  /** Orders: submitted for a manager's approval (over the limit or below the credit floor: shared/rights/credit-rule.ts). */
  pending?: boolean;
}

/** A manager approves or declines an order submitted for approval (shared/derive/credit-approval.ts). */
export interface CreditDecide {
  type: 'credit-decide';
  cardId: string;
  orderId: string;
  approve: boolean;
  /** Required to decline. */
  reason?: string;
}

export interface FieldRestore {
  type: 'field-restore';
  cardId: string;
  /** Index into the card's history of the record whose `from` or `to` value to restore. */
  target: string;
  value: FieldValue;
  reason?: string;
}

/**
 * Corrects a ledger entry: a NEW entry replaces it (`corrects` points at the old one, which stays
 * readable and is never touched). Only the values given change; the rest is copied.
 */
export interface LedgerCorrect {
  type: 'ledger-correct';
  cardId: string;
  /** The entry in force to correct (a replaced one cannot be corrected again). */
  entryId: string;
  /** Why: required, shown beside the old entry. */
  reason: string;
  amount?: number;
  date?: number;
  dueDate?: number;
  products?: string;
  note?: string;
}

/** Corrects a timeline entry the same way: a new entry, the old one kept and shown as replaced. */
export interface TimelineCorrect {
  type: 'timeline-correct';
  cardId: string;
  entryId: string;
  reason: string;
  kind?: TimelineKind;
  at?: number;
  text?: string;
  followUp?: number;
  outcome?: string;
  handling?: string;
  subject?: string;
}

/**
 * The retired card as a merge reads it (shared/merge/merge-source.ts): its fields, people, every
 * timeline and ledger entry (replaced ones too, so corrections stay chains) and its change records.
 */
export interface MergeSource {
  id: string;
  fields: Record<string, FieldValue>;
  contacts: ContactView[];
  timeline: TimelineEntry[];
  ledger: LedgerEntry[];
  history: ChangeRecord[];
}

/** Copies the card `source` into this card (the one kept), recorded as the merge `mergeId`. */
export interface CardMerge {
  type: 'card-merge';
  cardId: string;
  mergeId: string;
  source: MergeSource;
}

/** Retires this card into the one kept (`merge.into`): it leaves every list, its records stay. */
export interface CardMergeRetire {
  type: 'card-merge-retire';
  cardId: string;
  merge: MergeFacts;
}

/** Undoes the merge `mergeId` on this card, the kept one (its copies hidden) or the retired one (back in the lists). */
export interface CardMergeUndo {
  type: 'card-merge-undo';
  cardId: string;
  mergeId: string;
}

export type Mutation =
  | CardCreate
  | CardSetField
  | ContactAdd
  | ContactSetField
  | NoteAdd
  | LedgerAdd
  | FieldRestore
  | LedgerCorrect
  | TimelineCorrect
  | CardMerge
  | CardMergeRetire
  | CardMergeUndo
  | CreditDecide;

/** Who is writing and when: passed in, never read from a global clock, so tests control time. */
export interface MutationContext {
  actor: string;
  now: number;
  /** Random id source (UUIDs); injectable for deterministic tests. */
  newId: () => string;
  /**
   * The company's fields whose change needs a reason (policy `reasonFields`, as the device holds
   * it); the controlled fields always do. A change of one without a reason is refused here, as the
   * server would refuse it (shared/rights/card-structure.ts `needsReason`).
   */
  reasonFields?: readonly string[];
}

/** A mutation without its card id: an importer fills it in. */
export type CardStep = Mutation extends infer M ? (M extends { cardId: string } ? Omit<M, 'cardId'> : never) : never;

/** One card to import: how it is created, then the steps that fill it (notes, orders, …). */
export interface CardSeed {
  create: CardCreate;
  steps?: CardStep[];
  /** Who made it and when (defaults: the importer's actor and clock). */
  actor?: string;
  at?: number;
}
