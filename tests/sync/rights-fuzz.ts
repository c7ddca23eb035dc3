/**
 * The structural rights fuzzer: seeded and replayable. A rep who owns the cards, their team's
 * manager, a colleague of the same team, a borrower with a read-only loan and one with a loan
 * that allows writing send random Yjs updates to the real server process over real sockets
 * (/sync, and /y for a share of the attempts): honest changes made by the product's own
 * mutations, and hostile ones — another Yjs type at a value's place, edits inside a nested type,
 * unknown keys and roots, changes without a record, forged authors, deleted or moved records,
 * edited or erased timeline and ledger entries, the owner and creator fields, absurd amounts,
 * structs under another user's client id, delete-set-only updates, two updates at once.
 *
 * The oracle is written here from the rules (DOMAIN.md §4), independent of the server's model:
 * an honest change is allowed when its sender may write the card (owner, team manager, a loan
 * with write) and, for the manager-only fields, is the manager, and, for a merge or its undo, is
 * the card's rep or manager (not a borrower); every hostile change is refused.
 * With `reasonFields`, the company's policy lists those fields as needing a reason (set before the
 * server starts): honest edits of them carry one, and edits without one (or with an empty one)
 * are hostile.
 * The fuzzer keeps the card as the server should hold it (only accepted updates applied) and, at
 * the end, compares it with what the server stored.
 */
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { FIELDS, type FieldDef } from '../../shared/fields.ts';
import { applyMutation } from '../../shared/mutations.ts';
import type { CardStep, Mutation } from '../../shared/mutations-types.ts';
import { seededRandom } from '../../shared/random.ts';
import { decodeMessage, encodeMessage, type SyncMessage } from '../../shared/sync/protocol.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { editStoredCard } from '../../sync-server/fanout/card-edit.ts';
import { Custody } from '../../sync-server/custody/custody.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { cid, newDataDir, openStorage, startServerProcess, waitUntil, type ServerProcess } from './helpers.ts';

export interface RightsFuzzOptions {
  seed: number;
  attempts: number;
  cards?: number;
  /** Share of attempts sent over /y (the rest over /sync). */
  yShare?: number;
  /** Share of attempts sent as two updates at once, built on the same state. */
  concurrentShare?: number;
  /** Writable fields the company's policy says need a reason (policy reasonFields), beyond the controlled ones. */
  reasonFields?: readonly string[];
}

export interface RightsFuzzResult {
  seed: number;
  attempts: number;
  accepted: number;
  refused: number;
  /** Accepted although the rules forbid it. */
  wronglyAccepted: string[];
  /** Refused although the rules allow it. */
  wronglyRefused: string[];
  /** Cards whose stored state differs from the fuzzer's (only accepted updates applied). */
  diverged: string[];
  /**
   * Acknowledged, but left no trace on the card: deletions an attempt beside it had already made,
   * or a value set at the same moment as an allowed attempt's that won the place (the server
   * judges what an update leaves on the card; a value that lost is deleted in the same update).
   * Neither right nor wrong.
   */
  unchanged: number;
  byOp: Record<string, { tried: number; accepted: number }>;
}

type Actor = 'rob' | 'mona' | 'rita' | 'bea' | 'bo';
const ACTORS: readonly Actor[] = ['rob', 'mona', 'rita', 'bea', 'bo'];
/** The rules, restated for the oracle: who may write rob's cards, who may set manager-only fields. */
const WRITERS: ReadonlySet<Actor> = new Set(['rob', 'mona', 'bo']);
const MANAGERS: ReadonlySet<Actor> = new Set(['mona']);
/** Who may merge rob's cards into another or undo that: rob and his manager, never a borrower (DOMAIN.md §4). */
const KEEPERS: ReadonlySet<Actor> = new Set(['rob', 'mona']);
const MANAGER_ONLY = new Set(['creditLimitApproved', 'creditLimitManager', 'creditRating', 'abcOverride', 'stageOverride']);
const SERVER_ONLY = new Set(['owner']);

interface Op {
  name: string;
  honest: boolean;
  /** An honest change of a manager-only field. */
  managerOnly?: boolean;
  /** An honest change only the card's keeper may make (a merge or its undo). */
  keeperOnly?: boolean;
  /** Makes the change on a doc holding the card; false: not possible on this card now (skipped). */
  apply(doc: Y.Doc, actor: Actor): boolean;
  /** Write under another actor's client id instead of the sender's own. */
  foreignClient?: boolean;
}

interface Attempt {
  op: Op;
  actor: Actor;
  cardId: string;
  update: Uint8Array;
  via: '/sync' | '/y';
}

const ctxOf = (actor: string, random: () => number, reasonFields: readonly string[] = []) => ({ actor, now: Date.now(), newId: () => `e${Math.floor(random() * 1e12).toString(36)}`, reasonFields });

function validValue(def: FieldDef, random: () => number): string | number | boolean | string[] {
  const n = Math.floor(random() * 1000);
  switch (def.type) {
    case 'number':
    case 'money':
      return Math.min(def.maxValue ?? 1e9, Math.max(def.min ?? 0, n % 30 + 1));
    case 'boolean':
      return random() < 0.5;
    case 'list':
      return def.key === 'domains' ? [`d${n}.example.com`] : [`tag${n}`];
    case 'date':
      return `2026-0${(n % 9) + 1}-1${n % 9}`;
    case 'enum':
      return def.options![n % def.options!.length]!.value;
    case 'url':
      return `https://w${n}.example.com`;
    case 'phone':
      return `021-5555 ${1000 + n}`;
    case 'email':
      return `a${n}@example.com`;
    default:
      return `text ${n} 文字`;
  }
}

function entries(doc: Y.Doc, root: string): [string, Y.Map<unknown>][] {
  return [...doc.getMap<Y.Map<unknown>>(root).entries()].filter((entry): entry is [string, Y.Map<unknown>] => entry[1] instanceof Y.Map);
}

function record(doc: Y.Doc, by: string, target: string, to: unknown = 'x'): void {
  doc.getArray('history').push([{ at: Date.now(), by, mutation: 'card-set-field', target, from: null, to, reason: 'fuzz' }]);
}

/** The operations, honest and hostile. `random` decides their details. */
function operations(random: () => number, reasonFields: readonly string[] = []): Op[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const writable = FIELDS.filter((def) => !MANAGER_ONLY.has(def.key) && !SERVER_ONLY.has(def.key) && !reasonFields.includes(def.key));
  const withReason = FIELDS.filter((def) => reasonFields.includes(def.key));
  const managerOnly = FIELDS.filter((def) => MANAGER_ONLY.has(def.key));
  const other = (actor: Actor) => pick(ACTORS.filter((a) => a !== actor));
  const mutate = (doc: Y.Doc, actor: Actor, mutation: CardStep) => applyMutation(doc, { ...mutation, cardId: doc.guid } as Mutation, ctxOf(actor, random, reasonFields), doc.guid).ok;
  /** The company's reason fields, honest (through the mutation, with a reason) and not (a record without one, or an empty one). */
  const reasonOps: Op[] = withReason.length === 0 ? [] : [
    { name: 'set a reason field with its reason', honest: true, apply: (doc, actor) => { const def = pick(withReason); return mutate(doc, actor, { type: 'card-set-field', field: def.key, value: validValue(def, random), reason: 'fuzz: the customer said so' }); } },
    { name: 'clear a reason field with its reason', honest: true, apply: (doc, actor) => { const keys = [...doc.getMap('card').keys()].filter((key) => reasonFields.includes(key)); return keys.length > 0 && mutate(doc, actor, { type: 'card-set-field', field: pick(keys), value: null, reason: 'fuzz: gone' }); } },
    { name: 'a reason field without a reason', honest: false, apply: (doc, actor) => { const def = pick(withReason); const value = validValue(def, random); doc.transact(() => { doc.getMap('card').set(def.key, value); doc.getArray('history').push([{ at: Date.now(), by: actor, mutation: 'card-set-field', target: def.key, from: null, to: value, ...(random() < 0.5 ? { reason: pick(['', '   ']) } : {}) }]); }); return true; } },
  ];
  return [
    ...reasonOps,
    // ── honest, through the product's own mutations ──
    { name: 'set a field', honest: true, apply: (doc, actor) => { const def = pick(writable); return mutate(doc, actor, { type: 'card-set-field', field: def.key, value: validValue(def, random) }); } },
    { name: 'clear a field', honest: true, apply: (doc, actor) => { const keys = [...doc.getMap('card').keys()].filter((key) => writable.some((def) => def.key === key) && key !== 'name'); return keys.length > 0 && mutate(doc, actor, { type: 'card-set-field', field: pick(keys), value: null }); } },
    { name: 'set a manager-only field', honest: true, managerOnly: true, apply: (doc, actor) => { const def = pick(managerOnly); return mutate(doc, actor, { type: 'card-set-field', field: def.key, value: validValue(def, random), reason: 'fuzz: approved' }); } },
    { name: 'add a note', honest: true, apply: (doc, actor) => mutate(doc, actor, { type: 'note-add', text: `note ${Math.floor(random() * 1e6)}`, kind: pick(['note', 'call', 'visit'] as const) }) },
    // An honest order from someone who may not approve credit is submitted for approval (credit-rule.ts), as the order form does.
    { name: 'record a payment', honest: true, apply: (doc, actor) => { const kind = pick(['order', 'payment'] as const); return mutate(doc, actor, { type: 'ledger-add', kind, date: Date.now(), amount: Math.floor(random() * 100_000), ...(kind === 'order' && !MANAGERS.has(actor) ? { pending: true as const } : {}) }); } },
    { name: 'log a contact from their side', honest: true, apply: (doc, actor) => mutate(doc, actor, { type: 'note-add', text: `they called ${Math.floor(random() * 1e6)}`, kind: pick(['call', 'email', 'visit'] as const), contact: true, direction: pick(['in', 'out'] as const) }) },
    { name: 'decide a pending order', honest: true, managerOnly: true, apply: (doc, actor) => { const waiting = entries(doc, 'ledger').filter(([, entry]) => entry.get('pending') === true); return waiting.length > 0 && mutate(doc, actor, { type: 'credit-decide', orderId: pick(waiting)[0], approve: random() < 0.5, reason: 'fuzz: decided' }); } },
    { name: 'retire the card into another (a merge)', honest: true, keeperOnly: true, apply: (doc, actor) => { if (typeof doc.getMap('card').get('mergedInto') === 'string') return false; const into = '11111111-1111-4111-8111-111111111111'; return mutate(doc, actor, { type: 'card-merge-retire', merge: { id: `merge-${Math.floor(random() * 1e9)}`, from: doc.guid, fromName: 'fuzz', into, intoName: 'kept' } }); } },
    { name: 'undo the card\'s merge', honest: true, keeperOnly: true, apply: (doc, actor) => { const into = doc.getMap('card').get('mergedInto'); if (typeof into !== 'string') return false; const retired = doc.getArray<{ mutation?: string; merge?: { id: string; into: string } }>('history').toArray().reverse().find((r) => r?.mutation === 'card-merge-retire' && r.merge?.into === into); return retired?.merge !== undefined && mutate(doc, actor, { type: 'card-merge-undo', mergeId: retired.merge.id }); } },
    { name: 'add a person', honest: true, apply: (doc, actor) => mutate(doc, actor, { type: 'contact-add', name: `Person ${Math.floor(random() * 1000)}`, email: `p${Math.floor(random() * 1000)}@example.com` }) },
    { name: 'edit a person', honest: true, apply: (doc, actor) => { const people = entries(doc, 'contacts'); return people.length > 0 && mutate(doc, actor, { type: 'contact-set-field', contactId: pick(people)[0], field: pick(['title', 'mobile', 'hobbies']), value: `v${Math.floor(random() * 1000)}` }); } },
    // ── hostile ──
    { name: 'a Y.Text where a value belongs', honest: false, apply: (doc, actor) => { const def = pick([...writable, ...managerOnly]); const text = new Y.Text(); doc.getMap('card').set(def.key, text); text.insert(0, String(validValue(def, random))); record(doc, actor, def.key); return true; } },
    { name: 'a Y.Map where a value belongs', honest: false, apply: (doc, actor) => { const key = pick(['city', 'creditRating', 'name']); doc.getMap('card').set(key, new Y.Map()); record(doc, actor, key); return true; } },
    { name: 'a Y.Array of values where a value belongs', honest: false, apply: (doc, actor) => { const array = new Y.Array<string>(); doc.getMap('card').set('tags', array); array.push(['a']); record(doc, actor, 'tags'); return true; } },
    { name: 'a nested type inside a new entry', honest: false, apply: (doc, actor) => { const entry = new Y.Map<unknown>(); const id = `x${Math.floor(random() * 1e9)}`; doc.getMap('timeline').set(id, entry); entry.set('by', actor); entry.set('kind', 'note'); entry.set('text', new Y.Text('nested')); record(doc, actor, `timeline:${id}`); return true; } },
    { name: 'an unknown card key', honest: false, apply: (doc, actor) => { doc.getMap('card').set(`zz${Math.floor(random() * 100)}`, 'x'); record(doc, actor, 'zz'); return true; } },
    { name: 'a change without its record', honest: false, apply: (doc) => { const def = pick(writable); doc.getMap('card').set(def.key, validValue(def, random)); return true; } },
    { name: 'a record naming someone else', honest: false, apply: (doc, actor) => { const by = other(actor); doc.transact(() => { doc.getMap('card').set('city', `c${random()}`); record(doc, by, 'city'); }); return true; } },
    { name: 'delete a change record', honest: false, apply: (doc) => { const history = doc.getArray('history'); if (history.length === 0) return false; history.delete(Math.floor(random() * history.length), 1); return true; } },
    { name: 'wipe and rewrite the history', honest: false, apply: (doc, actor) => { const history = doc.getArray<Record<string, unknown>>('history'); if (history.length === 0) return false; const kept = history.toArray().filter((r) => !(r instanceof Y.AbstractType)); history.delete(0, history.length); history.push(kept.map((r) => ({ ...r, by: actor }))); return true; } },
    { name: 'move a change record', honest: false, apply: (doc) => { const history = doc.getArray<unknown>('history'); if (history.length < 2) return false; const item = history.get(0); history.delete(0, 1); history.insert(history.length, [item]); return true; } },
    { name: 'rewrite a stored note', honest: false, apply: (doc, actor) => { const notes = entries(doc, 'timeline'); if (notes.length === 0) return false; const [id, entry] = pick(notes); entry.set('text', 'rewritten'); record(doc, actor, `timeline:${id}`); return true; } },
    { name: 'erase a stored note', honest: false, apply: (doc, actor) => { const notes = entries(doc, 'timeline'); if (notes.length === 0) return false; const [id] = pick(notes); doc.getMap('timeline').delete(id); record(doc, actor, `timeline:${id}`); return true; } },
    { name: 'change a recorded amount', honest: false, apply: (doc, actor) => { const lines = entries(doc, 'ledger'); if (lines.length === 0) return false; const [id, entry] = pick(lines); entry.set('amount', Math.floor(random() * 1000)); record(doc, actor, `ledger:${id}`); return true; } },
    { name: 'erase a ledger entry', honest: false, apply: (doc, actor) => { const lines = entries(doc, 'ledger'); if (lines.length === 0) return false; const [id] = pick(lines); doc.getMap('ledger').delete(id); record(doc, actor, `ledger:${id}`); return true; } },
    { name: 'an entry by someone else', honest: false, apply: (doc, actor) => { const entry = new Y.Map<unknown>(); const id = `f${Math.floor(random() * 1e9)}`; doc.getMap('timeline').set(id, entry); entry.set('by', other(actor)); entry.set('kind', 'note'); entry.set('text', 'forged'); record(doc, actor, `timeline:${id}`); return true; } },
    { name: 'an amount of 1e300', honest: false, apply: (doc, actor) => { const entry = new Y.Map<unknown>(); const id = `h${Math.floor(random() * 1e9)}`; doc.getMap('ledger').set(id, entry); entry.set('by', actor); entry.set('kind', 'order'); entry.set('date', Date.now()); entry.set('amount', 1e300); record(doc, actor, `ledger:${id}`); return true; } },
    { name: 'take the owner field', honest: false, apply: (doc, actor) => { doc.getMap('card').set('owner', actor); record(doc, actor, 'owner'); return true; } },
    { name: 'rename the creator', honest: false, apply: (doc, actor) => { doc.getMap('card').set('createdBy', actor); record(doc, actor, 'createdBy'); return true; } },
    { name: 'another root', honest: false, apply: (doc) => { doc.getArray('notes').push(['x']); return true; } },
    { name: 'the card root as an array', honest: false, apply: (doc) => { doc.getArray('card').push(['x']); return true; } },
    { name: 'replace a person', honest: false, apply: (doc, actor) => { const people = entries(doc, 'contacts'); if (people.length === 0) return false; const [id] = pick(people); const person = new Y.Map<unknown>(); doc.getMap('contacts').set(id, person); person.set('name', 'Someone else'); record(doc, actor, `contact:${id}`); return true; } },
    { name: 'remove a person', honest: false, apply: (doc, actor) => { const people = entries(doc, 'contacts'); if (people.length === 0) return false; const [id] = pick(people); doc.getMap('contacts').delete(id); record(doc, actor, `contact:${id}`); return true; } },
    { name: 'a nested type in the history', honest: false, apply: (doc) => { doc.getArray('history').push([new Y.Map()]); return true; } },
    { name: 'delete a field, deletions only', honest: false, apply: (doc) => { const keys = [...doc.getMap('card').keys()].filter((key) => key !== 'name'); if (keys.length === 0) return false; doc.getMap('card').delete(pick(keys)); return true; } },
    { name: 'a contact direction that is neither', honest: false, apply: (doc, actor) => { const entry = new Y.Map<unknown>(); const id = `d${Math.floor(random() * 1e9)}`; doc.getMap('timeline').set(id, entry); for (const [key, value] of Object.entries({ by: actor, kind: 'call', text: 'sideways', at: Date.now(), direction: pick(['sideways', 'IN', 1, true]) })) entry.set(key, value); record(doc, actor, `timeline:${id}`); return true; } },
    { name: 'a rep forges a credit decision', honest: false, apply: (doc, actor) => { if (MANAGERS.has(actor)) return false; const waiting = entries(doc, 'ledger').filter(([, entry]) => entry.get('pending') === true); if (waiting.length === 0) return false; const entry = new Y.Map<unknown>(); const id = `k${Math.floor(random() * 1e9)}`; doc.getMap('ledger').set(id, entry); for (const [key, value] of Object.entries({ by: actor, kind: 'credit-decision', date: Date.now(), amount: 0, decides: pick(waiting)[0], decision: 'approved' })) entry.set(key, value); record(doc, actor, `ledger:${id}`); return true; } },
    { name: 'retire a card without its record', honest: false, apply: (doc) => { doc.getMap('card').set('mergedInto', '11111111-1111-4111-8111-111111111111'); return true; } },
    { name: 'retire a card into no card', honest: false, apply: (doc, actor) => { doc.getMap('card').set('mergedInto', pick(['../x', '', 'not a card', 42])); record(doc, actor, 'mergedInto'); return true; } },
    { name: 'an honest change under another user’s client id', honest: false, foreignClient: true, apply: (doc, actor) => mutate(doc, actor, { type: 'note-add', text: 'as someone else' }) },
  ];
}

/** One authenticated /sync socket per actor: pushes resolve with the server's ack or nack. */
class SyncSocket {
  private next = 1;
  private readonly waiting = new Map<number, (message: SyncMessage) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const decoded = decodeMessage(new Uint8Array(data));
      if (!decoded.ok) return;
      const message = decoded.message;
      if (message.type === 'ack' || message.type === 'nack') {
        this.waiting.get(message.clientSeq)?.(message);
        this.waiting.delete(message.clientSeq);
      }
    });
  }

  static async open(url: string, token: string): Promise<SyncSocket> {
    const ws = new WebSocket(`${url}/sync`);
    ws.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const socket = new SyncSocket(ws);
    const ok = new Promise<void>((resolve) => ws.on('message', (data: Buffer) => {
      const decoded = decodeMessage(new Uint8Array(data));
      if (decoded.ok && decoded.message.type === 'auth-ok') resolve();
    }));
    ws.send(encodeMessage({ type: 'auth', token, device: 'rights-fuzz' }));
    await ok;
    return socket;
  }

  push(cardId: string, update: Uint8Array): Promise<{ ok: boolean; code: string }> {
    const clientSeq = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, code: 'timeout' }), 15_000);
      this.waiting.set(clientSeq, (message) => {
        clearTimeout(timer);
        resolve(message.type === 'ack' ? { ok: true, code: 'ack' } : { ok: false, code: (message as { code: string }).code });
      });
      this.ws.send(encodeMessage({ type: 'push', clientSeq, cardId, update }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Sends `update` to /y/<card> as a stock client would; accepted once the store holds it, refused when the server closes. */
function pushOverY(url: string, token: string, cardId: string, update: Uint8Array, storage: Storage): Promise<{ ok: boolean; code: string }> {
  const holds = async () => {
    const card = await storage.getCard(cardId);
    return card !== undefined && contains(card.state, update);
  };
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url}/y/${cardId}?token=${encodeURIComponent(token)}`);
    let settled = false;
    const settle = (result: { ok: boolean; code: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners('close');
      ws.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ ok: false, code: 'timeout' }), 10_000);
    let sent = false;
    ws.on('message', () => {
      if (sent) return;
      sent = true;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      syncProtocol.writeUpdate(e, update);
      ws.send(encoding.toUint8Array(e));
      const poll = async () => {
        while (!settled) {
          if (await holds()) return settle({ ok: true, code: 'stored' });
          await new Promise((r) => setTimeout(r, 15));
        }
      };
      void poll();
    });
    ws.on('close', (code) => settle({ ok: false, code: `closed ${code}` }));
    ws.on('error', () => undefined);
  });
}

/** A readable account of an update's structs and deletions (RIGHTS_FUZZ_DEBUG=1). */
function debugUpdate(update: Uint8Array): string {
  const { structs, ds } = Y.decodeUpdate(update);
  const lines = structs.map((struct) => {
    if (!(struct instanceof Y.Item)) return `  ${struct.constructor.name} ${struct.id.client}:${struct.id.clock}`;
    const parent = struct.parent instanceof Y.ID ? `${struct.parent.client}:${struct.parent.clock}` : String(struct.parent);
    return `  item ${struct.id.client}:${struct.id.clock} parent=${parent} key=${struct.parentSub} ${struct.content.constructor.name} ${JSON.stringify(struct.content.getContent()).slice(0, 120)}`;
  });
  for (const [client, deletes] of ds.clients) lines.push(`  delete ${client}: ${deletes.map((d) => `${d.clock}+${d.len}`).join(', ')}`);
  return lines.join('\n');
}

/** Whether `state` already holds everything `update` carries (its structs and its deletions). */
/** A value as the card holds it, its Yjs type included (a Y.Text and a string of the same text differ). */
function shape(value: unknown): unknown {
  if (value instanceof Y.Map) return { map: Object.fromEntries([...value.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, inner]) => [key, shape(inner)])) };
  if (value instanceof Y.Array) return { array: value.toArray().map(shape) };
  if (value instanceof Y.Text) return { text: value.toString() };
  if (value instanceof Y.AbstractType) return { type: value.constructor.name };
  return { value };
}

/** What a card shows: every root, with the type of everything in it. */
function visible(doc: Y.Doc): string {
  return JSON.stringify([...['card', 'contacts', 'timeline', 'ledger'].map((root) => shape(doc.getMap(root))), shape(doc.getArray('history'))]);
}

/** Whether `update`, applied after `state`, changes nothing the card shows. */
function leavesNoTrace(state: Uint8Array, update: Uint8Array): boolean {
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, state);
  Y.applyUpdate(b, Y.mergeUpdates([state, update]));
  const same = visible(a) === visible(b);
  a.destroy();
  b.destroy();
  return same;
}

function contains(state: Uint8Array, update: Uint8Array): boolean {
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, state);
  Y.applyUpdate(b, Y.mergeUpdates([state, update]));
  const same = Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
  a.destroy();
  b.destroy();
  return same;
}

export async function runRightsFuzz(options: RightsFuzzOptions): Promise<RightsFuzzResult> {
  const random = seededRandom(options.seed);
  const yShare = options.yShare ?? 0.03;
  const concurrentShare = options.concurrentShare ?? 0.1;
  const dataDir = newDataDir();
  const storage = await openStorage(dataDir);
  const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
  let server: ServerProcess | undefined;
  const sockets = new Map<Actor, SyncSocket>();
  const result: RightsFuzzResult = { seed: options.seed, attempts: 0, accepted: 0, refused: 0, wronglyAccepted: [], wronglyRefused: [], diverged: [], unchanged: 0, byOp: {} };
  try {
    await custody.addTeam('north');
    await custody.addTeam('south');
    const tokens = new Map<Actor, string>();
    const roles: Record<Actor, ['rep' | 'manager', string]> = { rob: ['rep', 'north'], mona: ['manager', 'north'], rita: ['rep', 'north'], bea: ['rep', 'south'], bo: ['rep', 'south'] };
    for (const actor of ACTORS) {
      await custody.addUser(actor, roles[actor][0], roles[actor][1]);
      const token = newToken();
      await storage.addToken(hashToken(token), actor);
      tokens.set(actor, token);
    }
    // The company's reason fields, in force before the first update.
    if (options.reasonFields && options.reasonFields.length > 0) await custody.policy.set({ name: 'fuzz-admin', role: 'admin', team: null, disabled: false }, [['reasonFields', options.reasonFields.join(',')]]);
    server = await startServerProcess(dataDir, 0, [], ['--max-connections-per-user', '400']);
    for (const actor of ACTORS) sockets.set(actor, await SyncSocket.open(server.url, tokens.get(actor)!));

    // Each actor writes under one client id of its own, as the extension's devices do.
    const clientOf = new Map<Actor, number>(ACTORS.map((actor, i) => [actor, 1_000_000 + Math.floor(random() * 1e8) * 10 + i]));
    const ownerOfClient = new Map<number, Actor>([...clientOf].map(([actor, client]) => [client, actor]));

    // rob's cards, created honestly over /sync; then the loans.
    const truth = new Map<string, Y.Doc>();
    for (let i = 0; i < (options.cards ?? 6); i++) {
      const cardId = cid(`rights-fuzz-${options.seed}-${i}`);
      const doc = new Y.Doc({ guid: cardId });
      doc.clientID = clientOf.get('rob')!;
      applyMutation(doc, { type: 'card-create', name: `Customer ${i}`, contact: { name: `Buyer ${i}`, email: `buyer${i}@c${i}.example.com` } }, ctxOf('rob', random), cardId);
      applyMutation(doc, { type: 'note-add', cardId, text: 'first visit', kind: 'visit' }, ctxOf('rob', random), cardId);
      applyMutation(doc, { type: 'ledger-add', cardId, kind: 'order', date: Date.now(), amount: 1200 }, ctxOf('rob', random), cardId);
      const created = await sockets.get('rob')!.push(cardId, Y.encodeStateAsUpdate(doc));
      if (!created.ok) throw new Error(`the fuzzer could not create its card (${created.code})`);
      truth.set(cardId, doc);
    }
    const mona = (await storage.getUser('mona'))!;
    for (const cardId of truth.keys()) {
      await custody.grantLoan(mona, cardId, 'bea', Date.now() + 86_400_000, 'fuzz: read', false);
      await custody.grantLoan(mona, cardId, 'bo', Date.now() + 86_400_000, 'fuzz: write', true);
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server notices the access change

    const expectedOf = (op: Op, actor: Actor) => op.honest && WRITERS.has(actor) && (!op.managerOnly || MANAGERS.has(actor)) && (!op.keeperOnly || KEEPERS.has(actor));

    const build = (op: Op, actor: Actor, cardId: string, pick: <T>(items: readonly T[]) => T, batchActors: ReadonlySet<Actor>): Uint8Array | undefined => {
      const doc = new Y.Doc({ guid: cardId });
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(truth.get(cardId)!));
      let client = clientOf.get(actor)!;
      if (op.foreignClient) {
        // Another user's id as the card shows it (the server has seen it, so it is held).
        // Not the id of an actor writing beside it in this batch: both would write the same ids at
        // the same clocks, and the second to arrive would store nothing (an ack, not a hijack).
        const seen = [...Y.decodeStateVector(Y.encodeStateVector(doc)).keys()].filter((id) => ownerOfClient.has(id) && ownerOfClient.get(id) !== actor && !batchActors.has(ownerOfClient.get(id)!));
        if (seen.length === 0) return undefined;
        client = pick(seen);
      }
      doc.clientID = client;
      const before = Y.encodeStateVector(doc);
      const done = op.apply(doc, actor);
      const update = Y.encodeStateAsUpdate(doc, before);
      doc.destroy();
      // A change that changed nothing still encodes the doc's whole delete set: not an attempt.
      if (!done || contains(Y.encodeStateAsUpdate(truth.get(cardId)!), update)) return undefined;
      return update;
    };

    const send = (attempt: Attempt) =>
      attempt.via === '/sync' ? sockets.get(attempt.actor)!.push(attempt.cardId, attempt.update) : pushOverY(server!.url, tokens.get(attempt.actor)!, attempt.cardId, attempt.update, storage);

    const judge = (attempt: Attempt, outcome: { ok: boolean; code: string }, beside: readonly Uint8Array[]) => {
      const expected = expectedOf(attempt.op, attempt.actor);
      // A deletions-only attempt whose deletions an attempt beside it (accepted) had already made
      // stored nothing: acknowledged as already there. Had it come first it would have been judged.
      // Likewise a value set beside an allowed attempt that set the same place and won it: the
      // forbidden value is deleted in its own update and leaves no trace on the card.
      const besideState = () => Y.mergeUpdates([Y.encodeStateAsUpdate(truth.get(attempt.cardId)!), ...beside]);
      if (outcome.ok && !expected && beside.length > 0 && (Y.decodeUpdate(attempt.update).structs.length === 0 ? contains(besideState(), attempt.update) : leavesNoTrace(besideState(), attempt.update))) {
        result.unchanged++;
        // The server stored it (a losing value is a deleted struct): so does the fuzzer's card, or
        // its next update would reuse that struct's clock and be ignored by the server.
        Y.applyUpdate(truth.get(attempt.cardId)!, attempt.update);
        return;
      }
      const tally = (result.byOp[attempt.op.name] ??= { tried: 0, accepted: 0 });
      tally.tried++;
      result.attempts++;
      const line = `seed ${options.seed}, attempt ${result.attempts} (lane ${[...truth.keys()].indexOf(attempt.cardId)}): ${attempt.actor} — ${attempt.op.name} on ${attempt.cardId.slice(0, 8)} over ${attempt.via}: ${outcome.ok ? 'accepted' : `refused (${outcome.code})`}`;
      if (outcome.ok) {
        tally.accepted++;
        result.accepted++;
        Y.applyUpdate(truth.get(attempt.cardId)!, attempt.update);
        if (!expected) result.wronglyAccepted.push(process.env.RIGHTS_FUZZ_DEBUG ? `${line}\n${debugUpdate(attempt.update)}` : line);
      } else {
        result.refused++;
        if (expected) result.wronglyRefused.push(line);
      }
    };

    // One lane per card, side by side: each lane's attempts on its card follow one another, so
    // the card as the fuzzer keeps it is the base of the next attempt. Each lane has its own
    // seeded stream: a seed replays the same attempts.
    const lane = async (cardId: string, index: number) => {
      const laneRandom = seededRandom(options.seed * 131 + index);
      const lanePick = <T>(items: readonly T[]): T => items[Math.floor(laneRandom() * items.length)]!;
      const ops = operations(laneRandom, options.reasonFields);
      while (result.attempts < options.attempts) {
        const together = laneRandom() < concurrentShare ? 2 : 1;
        const batch: Attempt[] = [];
        // The batch's actors first: a foreign-id attempt must not take the id of one beside it.
        const actors: Actor[] = [];
        for (let k = 0; k < together; k++) actors.push(lanePick(ACTORS.filter((a) => !actors.includes(a))));
        for (const actor of actors) {
          const op = lanePick(ops);
          const update = build(op, actor, cardId, lanePick, new Set(actors.filter((a) => a !== actor)));
          if (!update) continue;
          batch.push({ op, actor, cardId, update, via: laneRandom() < yShare ? '/y' : '/sync' });
        }
        if (batch.length === 0) continue;
        const outcomes = await Promise.all(batch.map(send));
        // The allowed attempts first: a forbidden one beside them is judged against what they wrote.
        const order = batch.map((_, i) => i).sort((a, b) => Number(expectedOf(batch[b]!.op, batch[b]!.actor)) - Number(expectedOf(batch[a]!.op, batch[a]!.actor)));
        for (const i of order) {
          const beside = batch.filter((_, j) => j !== i && outcomes[j]!.ok).map((other) => other.update);
          judge(batch[i]!, outcomes[i]!, beside);
        }
      }
    };
    await Promise.all([...truth.keys()].map(lane));

    // What the server stored is exactly what was accepted.
    await waitUntil(async () => {
      for (const [cardId, doc] of truth) {
        const stored = await storage.getCard(cardId);
        if (!stored || Y.diffUpdate(stored.state, Y.encodeStateVector(doc)).byteLength > 2 || Y.diffUpdate(Y.encodeStateAsUpdate(doc), Y.encodeStateVectorFromUpdate(stored.state)).byteLength > 2) return false;
      }
      return true;
    }, 5_000, 'the stored cards to match the accepted updates').catch(() => undefined);
    for (const [cardId, doc] of truth) {
      const stored = await storage.getCard(cardId);
      const held = new Y.Doc();
      if (stored) Y.applyUpdate(held, stored.state);
      if (!Y.equalSnapshots(Y.snapshot(held), Y.snapshot(doc))) result.diverged.push(cardId);
      held.destroy();
    }
    return result;
  } finally {
    for (const socket of sockets.values()) socket.close();
    await server?.stop();
    await storage.close();
  }
}
