/**
 * What a Yjs update touches in a card: every struct it adds and every stored struct it deletes,
 * each mapped to its path in the card (card-structure.ts) with the Yjs type it places there.
 * Judged by `judgeTouch`, this is how the server decides on an update by what it does, not by
 * how the card looks afterwards: a nested type where a value belongs, an edit of a stored record,
 * a deletion without a set, a struct under another device's client id — each is seen here.
 *
 * `watchTouches(doc)` listens to a scratch Y.Doc that holds the stored state; after the update is
 * applied, `result()` lists the touches and the client ids the update wrote under. It reads Yjs
 * structs (Item, ContentAny, ContentType…) directly: the struct store is the ground truth of what
 * arrived, where observers only report visible changes.
 */
import * as Y from 'yjs';
import { ROOT } from '../doc-layout.ts';
import type { Placed, Touch } from './card-structure.ts';

export interface TouchAt {
  path: string[];
  touch: Touch;
}

export interface UpdateTouches {
  touches: TouchAt[];
  /** Client ids the update added structs under. */
  writers: number[];
  /** Of those, the ones the stored state already had structs under (the update continues their clocks). */
  continued: number[];
  /**
   * For each continued client id: the authors its stored change records name. Ids older than the
   * server's record of who holds them are attributed by these (sync-server/checks/client-ids.ts).
   */
  storedAuthors: Record<number, string[]>;
}

type AnyType = Y.AbstractType<unknown>;

/** The declared-type vocabulary of a struct's content; 'other' is never declared anywhere. */
function contentKind(content: unknown): Placed | 'deleted' {
  if (content instanceof Y.ContentDeleted) return 'deleted';
  if (content instanceof Y.ContentAny) return 'value';
  if (content instanceof Y.ContentType) {
    if (content.type instanceof Y.Map) return 'map';
    // Y.Text and the XML types extend neither; a Y.Array is exactly a Y.Array.
    if (content.type.constructor === Y.Array) return 'array';
    return 'other';
  }
  return 'other';
}

export function watchTouches(doc: Y.Doc, isNewCard: boolean): { result(): UpdateTouches; stop(): void } {
  const before = new Map<number, number>();
  for (const [client, structs] of doc.store.clients) {
    const last = structs[structs.length - 1]!;
    before.set(client, last.id.clock + last.length);
  }
  const existedBefore = (id: Y.ID) => id.clock < (before.get(id.client) ?? 0);
  const touches: TouchAt[] = [];
  const writers = new Set<number>();

  function rootName(type: AnyType): string {
    for (const [name, root] of doc.share) if (root === type) return name;
    return '';
  }

  /** The path of a type, or undefined when it (or a type around it) is deleted: nothing there is visible. */
  function pathOfType(type: AnyType): string[] | undefined {
    const path: string[] = [];
    let current: AnyType = type;
    while (current._item !== null) {
      const item: Y.Item = current._item;
      if (item.deleted) return undefined;
      path.unshift(item.parentSub ?? '*');
      current = item.parent as AnyType;
    }
    path.unshift(rootName(current));
    return path;
  }

  function pathOfItem(item: Y.Item): string[] | undefined {
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType)) return undefined;
    const at = pathOfType(parent as AnyType);
    return at ? [...at, item.parentSub ?? '*'] : undefined;
  }

  function addedItem(item: Y.Item): void {
    if (item.deleted) return; // added and removed by the same update: no trace on the card
    const path = pathOfItem(item);
    if (!path) return;
    // A map's entries carry a key; an array's do not. The wrong one is the wrong type of parent.
    const parentDeclaredMap = item.parentSub !== null;
    const kind = contentKind(item.content);
    if (kind === 'deleted') return;
    const parentType = item.parent as AnyType;
    const inNewEntry = parentType._item !== null && !existedBefore(parentType._item.id);
    if (parentDeclaredMap) {
      touches.push({ path, touch: { kind: 'set', value: kind === 'value' ? (item.content as Y.ContentAny).arr[0] : undefined, declared: kind, isNewCard, inNewEntry } });
      return;
    }
    // An array entry (or entries: one ContentAny may carry several values).
    const values = kind === 'value' ? (item.content as Y.ContentAny).arr : [undefined];
    for (const value of values) touches.push({ path, touch: { kind: 'set', value, declared: kind, isNewCard, inNewEntry } });
  }

  const watch = (transaction: Y.Transaction) => {
    // Added structs: every clock past what the stored state held.
    for (const [client, clock] of transaction.afterState) {
      const from = Math.max(before.get(client) ?? 0, transaction.beforeState.get(client) ?? 0);
      if (clock <= from) continue;
      writers.add(client);
      const structs = doc.store.clients.get(client) ?? [];
      for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct instanceof Y.Item) addedItem(struct);
      }
    }
    // Deleted structs: only those the stored state held matter (an added one is judged above, or left no trace).
    Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
      if (!(struct instanceof Y.Item) || !existedBefore(struct.id)) return;
      const path = pathOfItem(struct);
      if (path) touches.push({ path, touch: { kind: 'delete', isNewCard } });
    });
  };
  doc.on('afterTransaction', watch);

  return {
    /** Stops listening (a doc kept for the card's next check must not carry this watch along). */
    stop() {
      doc.off('afterTransaction', watch);
    },
    result() {
      const list = [...writers];
      const continued = list.filter((client) => (before.get(client) ?? 0) > 0);
      return { touches, writers: list, continued, storedAuthors: storedAuthorsOf(doc, new Set(continued), existedBefore) };
    },
  };
}

/** The `by` of every stored change record written under one of `clients`. */
function storedAuthorsOf(doc: Y.Doc, clients: Set<number>, existedBefore: (id: Y.ID) => boolean): Record<number, string[]> {
  const authors: Record<number, string[]> = {};
  if (clients.size === 0) return authors;
  for (let item = doc.getArray(ROOT.history)._start; item !== null; item = item.right) {
    if (!clients.has(item.id.client) || !existedBefore(item.id) || !(item.content instanceof Y.ContentAny)) continue;
    for (const record of item.content.arr) {
      const by = (record as { by?: unknown } | null)?.by;
      if (typeof by !== 'string') continue;
      const list = (authors[item.id.client] ??= []);
      if (!list.includes(by)) list.push(by);
    }
  }
  return authors;
}
