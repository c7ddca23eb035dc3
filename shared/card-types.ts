/**
 * Plain-data shapes of a card, shared by the store, the UI, the server and the tests.
 * The Y.Doc (shared/doc-layout.ts) is the source of truth; these are read-only snapshots
 * (CardView) and the derived index row the local store keeps per card (CardIndexRow).
 */

export type ContactRole =
  | 'owner'
  | 'operator'
  | 'legal-representative'
  | 'purchasing'
  | 'payment-contact'
  | 'business-contact'
  | 'other';

export type TimelineKind =
  | 'visit'
  | 'call'
  | 'email'
  | 'meeting'
  | 'message'
  | 'letter'
  | 'complaint'
  | 'note'
  | 'worth-sharing';

/** A timeline kind that counts as a contact with the customer (restarts the cadence clock). */
export const CONTACT_KINDS: readonly TimelineKind[] = ['visit', 'call', 'email', 'meeting', 'message', 'letter'];

/**
 * Whether an entry is a contact with the customer (restarts the cadence clock, answers
 * follow-ups): a contact kind, or a note logged as one (the panel's quick note unless marked
 * "not a contact").
 */
export function isContact(entry: { kind: TimelineKind; contact?: boolean }): boolean {
  return entry.contact === true || CONTACT_KINDS.includes(entry.kind);
}

export type FieldValue = string | number | boolean | string[] | null;

export interface ContactView {
  id: string;
  name: string;
  email: string;
  role: ContactRole;
  phone: string;
  /** Every other key of the person (Mackay 66 profile keys, birth date, …). */
  profile: Record<string, FieldValue>;
  createdAt: number;
  /** Copied in by a merge: from which card, by which merge. */
  merged?: { mergeId: string; from: string };
}

export interface TimelineEntry {
  id: string;
  kind: TimelineKind;
  /** When it happened, epoch ms. */
  at: number;
  /** Who logged it (user name). */
  by: string;
  text: string;
  contactId?: string;
  followUp?: number;
  sourceUrl?: string;
  sourceTitle?: string;
  /** Complaints: how it was handled and the outcome. */
  handling?: string;
  outcome?: string;
  /** Email entries: subject, sender and recipients as plain text. */
  subject?: string;
  /** A note that counts as a contact (isContact). */
  contact?: boolean;
  /** Contacts: who reached out — 'in' they called or wrote us, 'out' we them (unknown on older entries). */
  direction?: ContactDirection;
  /** A correction: the id of the entry it replaces, why, and when it was recorded (shared/derive/corrections.ts). */
  corrects?: string;
  reason?: string;
  correctedAt?: number;
  /** Copied in by a merge (shared/merge/card-merge.ts): the card it came from and who merged it; `by` is the original author. */
  merged?: EntryMerged;
}

/** Where a merged-in entry or person came from. */
export interface EntryMerged {
  /** The merge's id (its change record's target is `merge:<id>`). */
  mergeId: string;
  /** The retired card's id. */
  from: string;
  /** Who merged it in (the stored entry's author). */
  by: string;
}

/** Who reached out in a contact: they us ('in') or we them ('out'). */
export type ContactDirection = 'in' | 'out';
export const CONTACT_DIRECTIONS: readonly ContactDirection[] = ['in', 'out'];

export type LedgerKind = 'order' | 'payment' | 'delivery' | 'credit-decision';

export interface LedgerEntry {
  id: string;
  kind: LedgerKind;
  /** Epoch ms of the order / payment. */
  date: number;
  amount: number;
  products?: string;
  /** Orders: when payment (the first instalment) is due (epoch ms); else from the card's terms (shared/derive/terms.ts). */
  dueDate?: number;
  /** Orders: paid in this many monthly parts (set when ordered; else the card's terms). */
  instalments?: number;
  note?: string;
  by: string;
  /** A correction: the id of the entry it replaces, why, and when it was recorded (shared/derive/corrections.ts). */
  corrects?: string;
  reason?: string;
  correctedAt?: number;
  /** Copied in by a merge (shared/merge/card-merge.ts): the card it came from and who merged it; `by` is the original author. */
  merged?: EntryMerged;
  /** Orders: submitted for a manager's approval (shared/derive/credit-approval.ts). */
  pending?: boolean;
  /** Credit decisions: the order decided, and how (`reason` says why). */
  decides?: string;
  decision?: 'approved' | 'declined';
}

export type ApprovalStatus = 'pending' | 'approved' | 'declined';

/** An order submitted for a manager's approval, and where it stands (shared/derive/credit-approval.ts). */
export interface CreditApproval {
  order: LedgerEntry;
  status: ApprovalStatus;
  /** The decision in force, when decided. */
  decision?: { id: string; by: string; at: number; reason: string };
}

/** An entry a later correction replaced: still readable, never counted. */
export interface SupersededEntry<T> {
  entry: T;
  /** The correction that replaced it: its id, who recorded it, when and why. */
  correctionId: string;
  by: string;
  at: number;
  reason: string;
}

export interface ChangeRecord {
  /** Epoch ms. */
  at: number;
  by: string;
  /** The mutation's name, e.g. 'card-set-field'. */
  mutation: string;
  /** What changed: a field key, 'contact:<id>.<key>', 'timeline:<id>', … */
  target: string;
  from: FieldValue;
  to: FieldValue;
  reason?: string;
  /** A merge's records (shared/merge/card-merge.ts): the two cards and the merge's id. */
  merge?: MergeFacts;
  /** On a merge's own record: the retired card's change records, copied as they were. */
  records?: ChangeRecord[];
  /** In a view: a record copied in by the merge `mergeId` from the card `from` (not stored as such). */
  copiedIn?: { mergeId: string; from: string; fromName: string };
}

/** Which cards a merge joined: `from` is retired into `into`. */
export interface MergeFacts {
  id: string;
  from: string;
  fromName: string;
  into: string;
  intoName: string;
}

export interface CardView {
  id: string;
  /** Base-data fields by key (see the field catalogue); `name` is always present. */
  fields: Record<string, FieldValue>;
  contacts: ContactView[];
  /** Newest first. */
  timeline: TimelineEntry[];
  /** Oldest first. */
  ledger: LedgerEntry[];
  /** Oldest first. */
  history: ChangeRecord[];
  /**
   * Entries replaced by corrections. `timeline` and `ledger` above hold only the entries in
   * force (a correction in place of what it corrects), so every reader counts corrected values.
   */
  superseded?: { timeline: SupersededEntry<TimelineEntry>[]; ledger: SupersededEntry<LedgerEntry>[] };
  /**
   * Orders submitted for a manager's approval, with where each stands (shared/derive/credit-approval.ts).
   * `ledger` above holds only what is in force: approved orders, never waiting or declined ones.
   */
  creditApprovals?: CreditApproval[];
}

/**
 * The derived, denormalised row the local store keeps per card in the Dexie `cards` table.
 * Lists, search, sender matching and reminders read only these; no Y.Doc is built for them.
 */
export interface CardIndexRow {
  id: string;
  /** The row's shape and rules (INDEX_ROW_VERSION in index-row.ts); other versions are rebuilt. */
  version: number;
  name: string;
  /** Lower-cased, for sorting. */
  sortKey: string;
  /** Lower-cased contact email addresses. */
  emails: string[];
  /** Lower-cased company email domains (free-mail domains never appear here). */
  domains: string[];
  /**
   * Search tokens (lower-cased words, prefixes handled by the query, CJK single characters and
   * bigrams), joined by '\n': one string is cloned into IndexedDB far faster than an array of
   * dozens (measured in a first sync's writes). Read them with `termsOf`.
   */
  terms: string;
  /**
   * The Chinese texts of the name, trade / short name, city and people's names (one per line)
   * and their pinyin terms (shared/pinyin.ts; '' until a context with the converter fills them).
   */
  pinyinSource: string;
  pinyin: string;
  /**
   * "Who knows about X" terms: the people's profile fields (never a sensitive one) and the
   * timeline's texts, tokenised like `terms`, joined by '\n'. Where a match is is found on the card.
   */
  about: string;
  /** First contact's name and email, for list lines. */
  primaryContact: string;
  /** The card this one was merged into ('' when it is not retired): readers leave it out of every list. */
  mergedInto?: string;
  owner: string;
  city: string;
  /** The card's address as written (visit routes by region: shared/route/regions.ts). */
  address: string;
  keyCustomer: boolean;
  /** The card number (编号), as filed. */
  cardNumber: string;
  /** 统一编号, industry (业种) and the classification fields as stored ('' when not set). */
  businessNumber: string;
  industry: string;
  nature: string;
  tier: string;
  loyalty: string;
  tags: string[];
  /** The approved credit limit (核定额度); 0 when none is approved. */
  creditLimit: number;
  creditRating: string;
  /** Important fields of the card and its people still empty, of how many (completeness). */
  unknownCount: number;
  importantCount: number;
  /** Epoch ms of the last logged contact (visit, call, email, meeting, letter); 0 if none. */
  lastContact: number;
  receivables: number;
  timelineCount: number;
  /** When the card was made (epoch ms): a never-contacted card's cadence counts from here. */
  createdAt: number;
  /** The card's own contact cadence in days (0: the class default applies). */
  cadenceDays: number;
  /** The card's flags ('hesitating', 'dissatisfied': shared/reminders/cadence.ts), listed and followed up fast. */
  flags: string[];
  /** The next visit planned (YYYY-MM-DD, '' when none) and when a visit was last logged (epoch ms, 0: never): shared/reminders/visits.ts. */
  plannedVisit: string;
  lastVisit: number;
  updatedAt: number;

  // What the date-dependent fields below are computed from, so a row can be brought up to date
  // without reading the card (refreshRow in index-row.ts).
  abcOverride: string;
  stageOverride: string;
  /** Every order as [date, amount], oldest first. */
  orders: [number, number][];
  /** Every payment as [date, amount], oldest first. */
  payments: [number, number][];
  /** When each contact (visit, call, email, meeting, letter) was logged as happening, oldest first. */
  contacts: number[];
  /**
   * The contacts among those logged by someone other than the card's owner (a manager, a
   * borrower, a cover), as [when, who]: activity counts them for whoever logged them.
   */
  contactsByOthers: [number, string][];
  /** Every follow-up promised: [entry date, follow-up date, first later contact or 0], oldest first. */
  followUpLog: [number, number, number][];
  /** The days (epoch ms of UTC midnight) the card was changed, the latest 120, oldest first. */
  changeDays: number[];
  /** Orders not yet fully paid (payments settle the oldest first), with their due dates. */
  openOrders: { orderId: string; dueDate: number; outstanding: number }[];
  /** Orders submitted for a manager's approval and where each stands (shared/derive/credit-approval.ts), oldest first. */
  approvals: { orderId: string; amount: number; date: number; by: string; status: ApprovalStatus; decidedBy: string; decidedAt: number; reason: string }[];
  /** The latest contacts logged (at most 60), as [when, who logged it, kind, outcome], oldest first. */
  contactLog: [number, string, string, string][];
  /** Follow-ups promised on timeline entries and not yet answered by a later contact. */
  /** Open follow-ups, each with who promised it (`by`: a borrower or a manager sees only their own promises on a card they do not own). */
  followUps: { entryId: string; at: number; followUp: number; text: string; by: string }[];
  /** The people's birthdays and wedding anniversaries as entered (YYYY-MM-DD). */
  annual: { personId: string; person: string; kind: 'birthday' | 'anniversary'; date: string }[];
  /** Each person's closeness, influence and contacts (shared/relationship/): depth and cooling read these. */
  people: PersonRow[];

  // Date- and settings-dependent, as of `asOf`.
  /** The effective ABC class: the hand-set override if any, else the derived class. */
  abc: string;
  /** Derived across all cards from purchases over the last 12 months (store's recomputeClasses). */
  abcDerived: string;
  purchases12m: number;
  /** The effective customer cycle stage (override, else derived). */
  stage: string;
  /** Epoch ms of the next thing due (follow-up, payment); 0 if none. */
  nextDue: number;
  overdue: number;
  /** When the date-dependent fields were computed (epoch ms). */
  asOf: number;
}

/** One person of a card as the index row keeps them, for the relationship lists and reminders. */
export interface PersonRow {
  id: string;
  name: string;
  /** The closeness level set on the person ('' when not judged: shared/closeness.ts). */
  closeness: string;
  /** Their influence on decisions ('' when not set). */
  influence: string;
  /** When contacts with them were logged as happening, oldest first (the latest PERSON_CONTACTS_KEPT). */
  contacts: number[];
  /** When they last reached us (an inbound contact), 0: never. */
  lastInbound: number;
}

/** What a content script saw of the open message. Untrusted until the background validated it. */
export interface SenderInfo {
  email: string;
  name: string;
  subject: string;
  /** Recipients, lower-cased addresses, for "log this email". */
  recipients: string[];
  /** The page's URL (no fragment-free guarantee). */
  url: string;
  /** Which detector found it: 'gmail' | 'outlook' | 'generic'. */
  source: string;
}
