/**
 * Reading a card's Y.Doc into a plain CardView snapshot (shared/card-types.ts). The UI, the
 * index builder and the reminders work on snapshots; only the store holds Y.Docs.
 */
import * as Y from 'yjs';
import type { CardView, ChangeRecord, ContactRole, ContactView, FieldValue, LedgerEntry, LedgerKind, TimelineEntry, TimelineKind } from './card-types.ts';
import { resolveCorrections } from './derive/corrections.ts';
import { MERGE_KEY } from './doc-layout.ts';
import { undoneMerges } from './merge/card-merge.ts';
import { resolveCreditApprovals } from './derive/credit-approval.ts';
import { cardMap, contactsMap, historyArray, ledgerMap, timelineMap } from './mutations.ts';

function toFieldValue(value: unknown): FieldValue | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}

function str(map: Y.Map<unknown>, key: string): string {
  const value = map.get(key);
  return typeof value === 'string' ? value : '';
}

function num(map: Y.Map<unknown>, key: string): number | undefined {
  const value = map.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const CONTACT_BASE = new Set(['name', 'email', 'role', 'phone', 'createdAt', MERGE_KEY.merge, MERGE_KEY.mergedFrom]);

function readContact(id: string, map: Y.Map<unknown>): ContactView {
  const profile: Record<string, FieldValue> = {};
  for (const [key, value] of map.entries()) {
    if (CONTACT_BASE.has(key)) continue;
    const field = toFieldValue(value);
    if (field !== undefined) profile[key] = field;
  }
  const view: ContactView = {
    id,
    name: str(map, 'name'),
    email: str(map, 'email'),
    role: (str(map, 'role') || 'other') as ContactRole,
    phone: str(map, 'phone'),
    profile,
    createdAt: num(map, 'createdAt') ?? 0,
  };
  const mergeId = str(map, MERGE_KEY.merge);
  if (mergeId) view.merged = { mergeId, from: str(map, MERGE_KEY.mergedFrom) };
  return view;
}

/** A merged-in entry: its original author shown as its author, who merged it kept beside. */
function readMerged(map: Y.Map<unknown>, entry: { by: string; merged?: { mergeId: string; from: string; by: string } }): void {
  const mergeId = str(map, MERGE_KEY.merge);
  if (!mergeId) return;
  entry.merged = { mergeId, from: str(map, MERGE_KEY.mergedFrom), by: entry.by };
  const original = str(map, MERGE_KEY.origBy);
  if (original) entry.by = original;
}

function readTimelineEntry(id: string, map: Y.Map<unknown>): TimelineEntry {
  const entry: TimelineEntry = { id, kind: (str(map, 'kind') || 'note') as TimelineKind, at: num(map, 'at') ?? 0, by: str(map, 'by'), text: str(map, 'text') };
  const contactId = str(map, 'contactId');
  if (contactId) entry.contactId = contactId;
  const followUp = num(map, 'followUp');
  if (followUp !== undefined) entry.followUp = followUp;
  for (const key of ['sourceUrl', 'sourceTitle', 'handling', 'outcome', 'subject'] as const) {
    const value = str(map, key);
    if (value) entry[key] = value;
  }
  if (map.get('contact') === true) entry.contact = true;
  const direction = str(map, 'direction');
  if (direction === 'in' || direction === 'out') entry.direction = direction;
  readCorrection(map, entry);
  readMerged(map, entry);
  return entry;
}

function readLedgerEntry(id: string, map: Y.Map<unknown>): LedgerEntry {
  const entry: LedgerEntry = { id, kind: (str(map, 'kind') || 'order') as LedgerKind, date: num(map, 'date') ?? 0, amount: num(map, 'amount') ?? 0, by: str(map, 'by') };
  const dueDate = num(map, 'dueDate');
  if (dueDate !== undefined) entry.dueDate = dueDate;
  const instalments = num(map, 'instalments');
  if (instalments !== undefined && instalments >= 1 && instalments <= 120) entry.instalments = Math.floor(instalments);
  const products = str(map, 'products');
  if (products) entry.products = products;
  const note = str(map, 'note');
  if (note) entry.note = note;
  if (map.get('pending') === true) entry.pending = true;
  const decides = str(map, 'decides');
  const decision = map.get('decision');
  if (decides && (decision === 'approved' || decision === 'declined')) {
    entry.decides = decides;
    entry.decision = decision;
    const reason = str(map, 'reason');
    if (reason) entry.reason = reason;
  }
  readCorrection(map, entry);
  readMerged(map, entry);
  return entry;
}

/** A correction's pointer, reason and time (shared/derive/corrections.ts). */
function readCorrection(map: Y.Map<unknown>, entry: { corrects?: string; reason?: string; correctedAt?: number }): void {
  const corrects = str(map, 'corrects');
  if (!corrects) return;
  entry.corrects = corrects;
  const reason = str(map, 'reason');
  if (reason) entry.reason = reason;
  const at = num(map, 'correctedAt');
  if (at !== undefined) entry.correctedAt = at;
}

/** A card's snapshot from its stored Yjs state (a throwaway Y.Doc, destroyed after). */
export function readCardState(state: Uint8Array, id: string): CardView {
  // A guid given spares a random uuid per doc (measured: ~8% of a rebuild of 10,000 cards).
  const doc = new Y.Doc({ gc: true, guid: id });
  try {
    Y.applyUpdate(doc, state);
    return readCard(doc, id);
  } finally {
    doc.destroy();
  }
}

export function readCard(doc: Y.Doc, id: string): CardView {
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of cardMap(doc).entries()) {
    const field = toFieldValue(value);
    if (field !== undefined) fields[key] = field;
  }
  if (typeof fields.name !== 'string') fields.name = '';
  const stored: ChangeRecord[] = historyArray(doc).toArray().filter((item) => item !== null && typeof item === 'object');
  // A merge undone hides what it copied in (the copies stay stored: records are never removed).
  const undone = undoneMerges(stored);
  const shown = (map: Y.Map<unknown>) => undone.size === 0 || !undone.has(str(map, MERGE_KEY.merge));
  const contacts: ContactView[] = [];
  for (const [contactId, map] of contactsMap(doc).entries()) if (map instanceof Y.Map && shown(map)) contacts.push(readContact(contactId, map));
  contacts.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const timeline: TimelineEntry[] = [];
  for (const [entryId, map] of timelineMap(doc).entries()) if (map instanceof Y.Map && shown(map)) timeline.push(readTimelineEntry(entryId, map));
  timeline.sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
  const ledger: LedgerEntry[] = [];
  for (const [entryId, map] of ledgerMap(doc).entries()) if (map instanceof Y.Map && shown(map)) ledger.push(readLedgerEntry(entryId, map));
  ledger.sort((a, b) => a.date - b.date || a.id.localeCompare(b.id));
  const history: ChangeRecord[] = [...stored];
  // A merge in force shows the retired card's change records among this card's, marked as copied.
  for (const record of stored) {
    if (record.mutation !== 'card-merge' || !record.merge || !Array.isArray(record.records) || undone.has(record.merge.id) || !record.target.startsWith('merge:')) continue;
    const copiedIn = { mergeId: record.merge.id, from: record.merge.from, fromName: record.merge.fromName };
    for (const old of record.records) if (old !== null && typeof old === 'object' && typeof old.at === 'number') history.push({ ...old, copiedIn });
  }
  history.sort((a, b) => a.at - b.at);
  const view: CardView = { id, fields, contacts, timeline, ledger, history };
  if (timeline.some((e) => e.corrects) || ledger.some((e) => e.corrects)) {
    // Readers see the entries in force; the replaced ones stay readable beside them.
    const t = resolveCorrections(timeline);
    const l = resolveCorrections(ledger);
    view.timeline = t.current;
    view.ledger = l.current;
    view.superseded = { timeline: t.superseded, ledger: l.superseded };
  }
  if (view.ledger.some((e) => e.pending === true || e.kind === 'credit-decision')) {
    // Orders waiting for approval, or declined, are never counted; they stay readable beside the ledger.
    const resolved = resolveCreditApprovals(view.ledger);
    view.ledger = resolved.current;
    view.creditApprovals = resolved.approvals;
  }
  return view;
}
