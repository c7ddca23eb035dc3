/**
 * Helpers for the sync tests: the real server as a child process (so it can be `kill -9`ed),
 * users and tokens made with the real storage (SQLite or PostgreSQL: backend.ts), and in-memory
 * devices that run the real sync client over real sockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createSyncClient, type SyncClient } from '../../extension/sync/sync-client.ts';
import type { AccountChange, SyncIdentity, SyncStatus, SyncStorage, WebSocketClass } from '../../extension/sync/types.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import type { Role } from '../../sync-server/storage/storage.ts';
import { createStore, openStorage, storeArgs } from './backend.ts';

export { BACKEND, openStorage, rawSql, storeArgs } from './backend.ts';

/** A card id (the server takes only UUIDs) that stands for a readable name, the same every run. */
export function cid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A new, empty store for a test (a folder, and with PostgreSQL its own database). */
export function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cards-server-'));
  createStore(dir);
  return dir;
}

export interface ServerProcess {
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

/** The server on a data folder's store (the suite's backend: backend.ts). */
export function startServerProcess(dataDir: string, port = 0, nodeFlags: string[] = [], serverArgs: string[] = []): Promise<ServerProcess> {
  return startServerOn(storeArgs(dataDir), port, nodeFlags, serverArgs);
}

/** The server on the store the flags name (`--data <folder>` or `--postgres <url>`). */
export function startServerOn(store: string[], port = 0, nodeFlags: string[] = [], serverArgs: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'sync-server/main.ts', '--port', String(port), ...store, ...serverArgs], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 20_000);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // SERVER_LOG=1: the servers' errors in the test's output, to see why a run failed.
      if (process.env.SERVER_LOG) process.stderr.write(`[server] ${chunk.toString()}`);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.SERVER_LOG) process.stderr.write(`[server] ${chunk.toString()}`);
      const match = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        const actual = Number(match[1]);
        resolve({
          port: actual,
          url: `ws://127.0.0.1:${actual}`,
          child,
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
          kill9: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
  });
}

export async function addUser(dataDir: string, name: string, role: Role = 'rep'): Promise<string> {
  const storage = await openStorage(dataDir);
  try {
    if (!(await storage.getUser(name))) await storage.addUser(name, role);
    const token = newToken();
    await storage.addToken(hashToken(token), name);
    return token;
  } finally {
    await storage.close();
  }
}

/** A device: cards as Y.Docs in memory, an outbox, a cursor, and the real sync client. */
export class MemoryDevice implements SyncStorage {
  readonly docs = new Map<string, Y.Doc>();
  private outbox = new Map<number, { cardId: string; update: Uint8Array; whole?: boolean }>();
  private nextSeq = 1;
  cursor = 0;
  statuses: SyncStatus[] = [];
  /** The company cut-offs the server pushed (CLASSES), with when each arrived. */
  classes: { aMin: number; bMin: number; asOf: number; at: number }[] = [];
  dropped: string[] = [];
  client: SyncClient | undefined;

  doc(cardId: string): Y.Doc {
    let doc = this.docs.get(cardId);
    if (!doc) {
      doc = new Y.Doc();
      this.docs.set(cardId, doc);
    }
    return doc;
  }

  /** A local edit: applied to the doc, its update queued in the outbox. */
  edit(cardId: string, change: (doc: Y.Doc) => void): void {
    const doc = this.doc(cardId);
    const before = Y.encodeStateVector(doc);
    change(doc);
    this.outbox.set(this.nextSeq++, { cardId, update: Y.encodeStateAsUpdate(doc, before) });
    this.client?.pushNow();
  }

  connect(url: string, token: string): SyncClient {
    this.client = createSyncClient({
      url: `${url}/sync`,
      token,
      WebSocket: WebSocket as unknown as WebSocketClass,
      storage: this,
      onStatus: (status) => this.statuses.push(status),
      onClasses: (cutoffs) => this.classes.push({ ...cutoffs, at: Date.now() }),
      backoff: { base: 50, cap: 500 },
    });
    return this.client;
  }

  disconnect(): void {
    this.client?.close();
    this.client = undefined;
  }

  identity: SyncIdentity | undefined;
  async bindIdentity(identity: SyncIdentity): Promise<'same' | AccountChange> {
    const held = this.docs.size + this.outbox.size;
    if (!this.identity || held === 0) this.identity = identity;
    const previous = this.identity;
    if (previous.server === identity.server && previous.user === identity.user && previous.database === identity.database) return 'same';
    return { previous, next: identity, cards: this.docs.size, pending: this.outbox.size };
  }
  async getCursor() {
    return this.cursor;
  }
  async setCursor(cursor: number) {
    this.cursor = cursor;
  }
  async takePending(limit: number) {
    return [...this.outbox.entries()].slice(0, limit).map(([seq, row]) => ({ seq, ...row }));
  }
  async ackPending(seqs: number[]) {
    for (const seq of seqs) this.outbox.delete(seq);
  }
  async refusePending(seq: number, code: string, message: string): Promise<'retry' | 'dropped'> {
    const row = this.outbox.get(seq);
    if (row && code === 'missing-dependencies' && !row.whole) {
      this.outbox.set(seq, { cardId: row.cardId, update: Y.encodeStateAsUpdate(this.doc(row.cardId)), whole: true });
      return 'retry';
    }
    this.outbox.delete(seq);
    this.dropped.push(`${code}: ${message}`);
    return 'dropped';
  }

  /** Loses the oldest outbox entry, as if it had never been queued (tests of missing dependencies). */
  loseOldestPending(): void {
    const [first] = this.outbox.keys();
    if (first !== undefined) this.outbox.delete(first);
  }
  async applyRemote(updates: { cardId: string; update: Uint8Array }[]) {
    for (const { cardId, update } of updates) Y.applyUpdate(this.doc(cardId), update, 'remote');
  }
  removedCards: string[] = [];
  async removeCards(cardIds: string[]): Promise<number> {
    let lost = 0;
    for (const id of cardIds) {
      this.docs.get(id)?.destroy();
      this.docs.delete(id);
      this.removedCards.push(id);
      for (const [seq, row] of this.outbox) if (row.cardId === id) lost += Number(this.outbox.delete(seq));
    }
    return lost;
  }
  async wipeForDisabledUser(): Promise<{ cards: number; lost: number }> {
    const wiped = { cards: this.docs.size, lost: this.outbox.size };
    this.docs.clear();
    this.outbox.clear();
    this.cursor = 0;
    return wiped;
  }
  pendingCount(): number {
    return this.outbox.size;
  }
}

export function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (await check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(() => void tick().catch(reject), 20);
    };
    void tick().catch(reject);
  });
}

/** Opens a raw websocket (no client logic), for bad-input tests. */
export function rawSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

export function closeCodeOf(ws: WebSocket, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === ws.CLOSED) return resolve(-1);
    const timer = setTimeout(() => reject(new Error('socket not closed')), timeoutMs);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
