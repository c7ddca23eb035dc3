/**
 * Honest edits as tests and benchmarks write them straight into a Y.Doc: each change to a card
 * goes where the card's structure puts it (shared/rights/card-structure.ts), with the change
 * record naming its author in the same transaction, as the extension's mutations do. The server
 * refuses anything else, so a test that means to be honest writes through these.
 */
import * as Y from 'yjs';
import { ROOT } from '../../shared/doc-layout.ts';

/** Sets a card field (a catalogue key) with its change record; `reason` for the fields that need one. */
export function recordedSet(doc: Y.Doc, by: string, field: string, value: string | number | boolean | string[] | null, reason = 'test'): void {
  doc.transact(() => {
    const card = doc.getMap(ROOT.card);
    const from = (card.get(field) ?? null) as unknown;
    if (value === null) card.delete(field);
    else card.set(field, value);
    doc.getArray(ROOT.history).push([{ at: Date.now(), by, mutation: 'card-set-field', target: field, from, to: value, reason }]);
  });
}

/** Adds a timeline note written by `by`, with its record. Returns the entry's id. */
export function recordedNote(doc: Y.Doc, by: string, text: string, id = `n-${Math.random().toString(36).slice(2)}`): string {
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    doc.getMap(ROOT.timeline).set(id, entry);
    entry.set('kind', 'note');
    entry.set('at', Date.now());
    entry.set('by', by);
    entry.set('text', text);
    doc.getArray(ROOT.history).push([{ at: Date.now(), by, mutation: 'note-add', target: `timeline:${id}`, from: null, to: 'note' }]);
  });
  return id;
}

/** A new card's first state, as card-create writes it: name, owner and creator name `by`. */
export function newCardState(by: string, name: string): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const card = doc.getMap(ROOT.card);
    card.set('name', name);
    card.set('owner', by);
    card.set('createdBy', by);
    card.set('createdAt', Date.now());
    doc.getArray(ROOT.history).push([{ at: Date.now(), by, mutation: 'card-create', target: 'name', from: null, to: name }]);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
