/**
 * The layout of one customer card's Y.Doc. Owns the names of the root types and of the
 * keys inside them; every module that reads or writes a card's Y.Doc uses these constants.
 *
 * One Y.Doc per customer card (id: random UUID):
 *   card      Y.Map  field key -> value   base data (field keys: shared/fields catalogue; `name` is the trade name)
 *   contacts  Y.Map  contactId -> Y.Map   people: name, email, role, phones, Mackay 66 profile keys
 *   timeline  Y.Map  entryId  -> Y.Map   visits, calls, emails, meetings, complaints, notes…
 *   ledger    Y.Map  entryId  -> Y.Map   orders, payments, deliveries, credit decisions
 *   history   Y.Array of ChangeRecord     append-only change records (who, when, what, from, to, why)
 */
export const ROOT = {
  card: 'card',
  contacts: 'contacts',
  timeline: 'timeline',
  ledger: 'ledger',
  history: 'history',
} as const;

/** Keys of the `card` map that every card has, independent of the field catalogue. */
export const CARD_KEY = {
  name: 'name',
  domains: 'domains',
  owner: 'owner',
  createdAt: 'createdAt',
  createdBy: 'createdBy',
  /** Set when a merge retires this card into another (shared/merge/card-merge.ts); removed by undoing it. */
  mergedInto: 'mergedInto',
} as const;

/**
 * Keys a merge adds to the people and entries it copies into the surviving card: the merge's
 * id (undoing the merge hides them again), the retired card's id, and an entry's original author
 * (the stored `by` names who merged it, as every record must name its writer).
 */
export const MERGE_KEY = {
  merge: 'merge',
  mergedFrom: 'mergedFrom',
  origBy: 'origBy',
} as const;

/** Keys of a contact's Y.Map that the index and the sender match read. */
export const CONTACT_KEY = {
  name: 'name',
  email: 'email',
  role: 'role',
  phone: 'phone',
  createdAt: 'createdAt',
} as const;
