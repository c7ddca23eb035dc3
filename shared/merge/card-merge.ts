/**
 * Merging two customer cards that are one customer, and undoing it, with nothing edited in place
 * (stored records are sealed; people and entries are never removed):
 *
 * - `card-merge`, on the card kept: every person, timeline and ledger entry of the retired card is
 *   copied in under a new id, tagged with the merge's id and the card it came from (an entry's
 *   stored `by` is whoever merged it, as every record must name its writer; `origBy` keeps the
 *   original author); empty fields are filled from the retired card and its domains joined; one
 *   change record per copy and per field, and the merge's own record (`merge:<id>`) naming both
 *   cards and carrying the retired card's change records as they were.
 * - `card-merge-retire`, on the retired card: `mergedInto` names the card kept, with its record.
 *   Readers leave a retired card out of every list; it stays stored, readable and undoable.
 * - `card-merge-undo`, on either card: on the kept one a record `card-merge-undo` of `merge:<id>`
 *   (readers hide that merge's copies again) and the filled fields set back where nobody changed
 *   them since; on the retired one `mergedInto` removed, with its record.
 *
 * Who may merge is who may write both cards (shared/rights: a rep their own, a manager the team's);
 * the server judges each of these updates like any other (shared/rights/card-structure.ts).
 */
import * as Y from 'yjs';
import { isCardId } from '../card-id.ts';
import type { CardView, ChangeRecord, FieldValue, MergeFacts } from '../card-types.ts';
import { CARD_KEY, MERGE_KEY, ROOT } from '../doc-layout.ts';
import { fail, ok, type Result } from '../errors.ts';
import { fieldByKey, validateFieldValue } from '../fields.ts';
import { cardKeyRule } from '../rights/card-structure.ts';
import type { CardMerge, CardMergeRetire, CardMergeUndo, MergeSource, MutationContext } from '../mutations-types.ts';

const MERGE_ID = /^[A-Za-z0-9-]{8,64}$/;
/** Card keys a merge never copies: the identity, the owner and the merge marker itself. */
const NOT_COPIED: readonly string[] = [CARD_KEY.name, CARD_KEY.domains, CARD_KEY.owner, CARD_KEY.createdAt, CARD_KEY.createdBy, CARD_KEY.mergedInto];
/** Entry keys rewritten by the copy (ids and authors), never taken over as they were. */
const ENTRY_OWN = ['id', 'by', 'merged', 'corrects', 'contactId'];

/** What a merge copies of a card as read: its entries in force and those corrections replaced (chains stay whole). */
export function mergeSourceOf(view: CardView): MergeSource {
  return {
    id: view.id,
    fields: view.fields,
    contacts: view.contacts,
    timeline: [...view.timeline, ...(view.superseded?.timeline.map((s) => s.entry) ?? [])],
    ledger: [...view.ledger, ...(view.superseded?.ledger.map((s) => s.entry) ?? [])],
    // Records copied in by an earlier merge are already inside that merge's own record.
    history: view.history.filter((r) => !r.copiedIn),
  };
}

export const mergeTarget = (mergeId: string): string => `merge:${mergeId}`;

function history(doc: Y.Doc): Y.Array<ChangeRecord> {
  return doc.getArray(ROOT.history);
}

function push(doc: Y.Doc, ctx: MutationContext, mutation: string, target: string, from: FieldValue, to: FieldValue, merge: MergeFacts, extra: Partial<ChangeRecord> = {}): void {
  // A field filled or set back by the merge carries the merge as its reason: the company may want
  // one for any field (policy reasonFields), and the device's copy of the policy may be behind.
  const reason = fieldByKey(target) !== undefined ? { reason: `${mutation}: ${merge.fromName} → ${merge.intoName}`.slice(0, 1_000) } : {};
  history(doc).push([{ at: ctx.now, by: ctx.actor, mutation, target, from, to, merge, ...reason, ...extra }]);
}

/** The merge record `merge:<id>` on this card, if this card is the one kept. */
export function mergeRecordOf(records: readonly ChangeRecord[], mergeId: string): ChangeRecord | undefined {
  return records.find((r) => r.mutation === 'card-merge' && r.target === mergeTarget(mergeId) && r.merge !== undefined);
}

/** Ids of the merges undone on this card (their copies are hidden). */
export function undoneMerges(records: readonly ChangeRecord[]): Set<string> {
  const out = new Set<string>();
  for (const r of records) if (r && r.mutation === 'card-merge-undo' && typeof r.target === 'string' && r.target.startsWith('merge:')) out.add(r.target.slice('merge:'.length));
  return out;
}

const plain = (value: unknown): value is FieldValue =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (Array.isArray(value) && value.every((v) => typeof v === 'string'));

const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

function setAll(map: Y.Map<unknown>, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '' && plain(value)) map.set(key, value);
}

export function cardMerge(doc: Y.Doc, m: CardMerge, ctx: MutationContext, origin: unknown): Result<{ cardId: string }> {
  const source = m.source;
  if (typeof m.mergeId !== 'string' || !MERGE_ID.test(m.mergeId)) return fail('invalid-value', 'A merge needs an id', 'mergeId');
  if (source === null || typeof source !== 'object' || !isCardId(source.id) || source.id === m.cardId) return fail('invalid-value', 'Choose another card to merge into this one', 'source');
  if (![source.contacts, source.timeline, source.ledger, source.history].every(Array.isArray) || source.fields === null || typeof source.fields !== 'object') return fail('invalid-value', 'The card to merge could not be read', 'source');
  const card = doc.getMap<unknown>(ROOT.card);
  if (typeof card.get(CARD_KEY.mergedInto) === 'string') return fail('merged-card', 'This card was merged into another: open that one', 'cardId');
  const records = history(doc).toArray();
  if (mergeRecordOf(records, m.mergeId)) return fail('invalid-value', 'This merge is already recorded', 'mergeId');
  const undone = undoneMerges(records);
  if (records.some((r) => r?.mutation === 'card-merge' && r.merge?.from === source.id && !undone.has(r.merge.id))) return fail('already-merged', 'That card is already merged into this one', 'source');
  const fromName = typeof source.fields.name === 'string' ? source.fields.name : '';
  const facts: MergeFacts = { id: m.mergeId, from: source.id, fromName, into: m.cardId, intoName: String(card.get(CARD_KEY.name) ?? '') };
  const tag = { [MERGE_KEY.merge]: m.mergeId, [MERGE_KEY.mergedFrom]: source.id };
  doc.transact(() => {
    // People: new ids, every key they hold, their own creation time.
    const people = doc.getMap<Y.Map<unknown>>(ROOT.contacts);
    const personIds = new Map<string, string>();
    for (const person of source.contacts) {
      if (!person || typeof person.name !== 'string' || !person.name.trim()) continue;
      const id = ctx.newId();
      personIds.set(person.id, id);
      const map = new Y.Map<unknown>();
      people.set(id, map);
      setAll(map, { ...person.profile, name: person.name, email: person.email, role: person.role, phone: person.phone, createdAt: person.createdAt, ...tag });
      push(doc, ctx, 'card-merge', `contact:${id}`, null, person.email ? `${person.name} <${person.email}>` : person.name, facts);
    }
    // Timeline and ledger: every entry (replaced ones too), corrections pointing at their new ids.
    for (const [rootName, entries, shown] of [
      [ROOT.timeline, source.timeline, 'kind'],
      [ROOT.ledger, source.ledger, 'amount'],
    ] as const) {
      const root = doc.getMap<Y.Map<unknown>>(rootName);
      const ids = new Map<string, string>();
      for (const entry of entries) if (entry && typeof entry.id === 'string') ids.set(entry.id, ctx.newId());
      for (const entry of entries) {
        if (!entry || typeof entry.id !== 'string') continue;
        const id = ids.get(entry.id)!;
        const values: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(entry)) if (!ENTRY_OWN.includes(key)) values[key] = value;
        const contactId = 'contactId' in entry && typeof entry.contactId === 'string' ? personIds.get(entry.contactId) : undefined;
        const map = new Y.Map<unknown>();
        root.set(id, map);
        setAll(map, { ...values, contactId, corrects: entry.corrects ? ids.get(entry.corrects) : undefined, by: ctx.actor, [MERGE_KEY.origBy]: entry.by, ...tag });
        const to = (entry as unknown as Record<string, unknown>)[shown];
        push(doc, ctx, 'card-merge', `${rootName}:${id}`, null, plain(to) ? to : null, facts);
      }
    }
    // Fields: the kept card's values win; its empty ones take the retired card's; domains join.
    for (const [key, value] of Object.entries(source.fields)) {
      if (NOT_COPIED.includes(key) || !isEmpty(card.get(key)) || isEmpty(value)) continue;
      const def = fieldByKey(key);
      if (!def || cardKeyRule(key) !== 'any-writer' || !validateFieldValue(def, value).ok) continue;
      card.set(key, value);
      push(doc, ctx, 'card-merge', key, null, value, facts);
    }
    const domains = Array.isArray(card.get(CARD_KEY.domains)) ? (card.get(CARD_KEY.domains) as string[]) : [];
    const theirs = Array.isArray(source.fields.domains) ? source.fields.domains : [];
    const joined = [...new Set([...domains, ...theirs.map((d) => d.toLowerCase())])];
    if (joined.length > domains.length) {
      card.set(CARD_KEY.domains, joined);
      push(doc, ctx, 'card-merge', CARD_KEY.domains, domains, joined, facts);
    }
    const kept = source.history.filter((r) => r !== null && typeof r === 'object');
    push(doc, ctx, 'card-merge', mergeTarget(m.mergeId), null, fromName, facts, { records: kept });
  }, origin);
  return ok({ cardId: m.cardId });
}

export function cardMergeRetire(doc: Y.Doc, m: CardMergeRetire, ctx: MutationContext, origin: unknown): Result<{ cardId: string }> {
  const facts = m.merge;
  if (facts === null || typeof facts !== 'object' || typeof facts.id !== 'string' || !MERGE_ID.test(facts.id)) return fail('invalid-value', 'A merge needs an id', 'merge');
  if (facts.from !== m.cardId || !isCardId(facts.into) || facts.into === m.cardId) return fail('invalid-value', 'Choose another card to merge into', 'merge');
  const card = doc.getMap<unknown>(ROOT.card);
  if (typeof card.get(CARD_KEY.mergedInto) === 'string') return fail('merged-card', 'This card was merged into another already', 'cardId');
  const stored: MergeFacts = { id: facts.id, from: facts.from, fromName: String(facts.fromName ?? ''), into: facts.into, intoName: String(facts.intoName ?? '') };
  doc.transact(() => {
    card.set(CARD_KEY.mergedInto, facts.into);
    push(doc, ctx, 'card-merge-retire', CARD_KEY.mergedInto, null, facts.into, stored);
  }, origin);
  return ok({ cardId: m.cardId });
}

export function cardMergeUndo(doc: Y.Doc, m: CardMergeUndo, ctx: MutationContext, origin: unknown): Result<{ cardId: string }> {
  if (typeof m.mergeId !== 'string' || !MERGE_ID.test(m.mergeId)) return fail('invalid-value', 'A merge needs an id', 'mergeId');
  const records = history(doc).toArray().filter((r) => r !== null && typeof r === 'object');
  const card = doc.getMap<unknown>(ROOT.card);
  const own = mergeRecordOf(records, m.mergeId);
  if (own?.merge) {
    if (undoneMerges(records).has(m.mergeId)) return fail('merge-undone', 'This merge was undone already', 'mergeId');
    const facts = own.merge;
    doc.transact(() => {
      // Fields the merge filled go back, unless someone changed them since (that change stays).
      for (const r of records) {
        if (r.mutation !== 'card-merge' || r.merge?.id !== m.mergeId || fieldByKey(r.target) === undefined) continue;
        const now = card.get(r.target);
        if (JSON.stringify(now ?? null) !== JSON.stringify(r.to)) continue;
        if (isEmpty(r.from)) card.delete(r.target);
        else card.set(r.target, r.from);
        push(doc, ctx, 'card-merge-undo', r.target, r.to, r.from, facts);
      }
      push(doc, ctx, 'card-merge-undo', mergeTarget(m.mergeId), facts.fromName, null, facts);
    }, origin);
    return ok({ cardId: m.cardId });
  }
  const retired = [...records].reverse().find((r) => r.mutation === 'card-merge-retire' && r.merge?.id === m.mergeId);
  if (!retired?.merge) return fail('invalid-value', 'No such merge on this card', 'mergeId');
  if (card.get(CARD_KEY.mergedInto) !== retired.merge.into) return fail('merge-undone', 'This merge was undone already', 'mergeId');
  const facts = retired.merge;
  doc.transact(() => {
    card.delete(CARD_KEY.mergedInto);
    push(doc, ctx, 'card-merge-undo', CARD_KEY.mergedInto, facts.into, null, facts);
  }, origin);
  return ok({ cardId: m.cardId });
}
