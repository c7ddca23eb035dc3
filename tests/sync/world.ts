/**
 * A small custody world for the read-rights suites: teams, users with tokens, cards holding a
 * sentinel, written through the real custody service the admin CLI uses, and the real server
 * process on the suite's backend (SQLite or PostgreSQL). Also a JSON caller of the custody API
 * and a stock y-websocket client (BroadcastChannel off, so it really talks to the server).
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Principal, Role } from '../../shared/rights/rights.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { editStoredCard } from '../../sync-server/fanout/card-edit.ts';
import { Custody } from '../../sync-server/custody/custody.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { newDataDir, openStorage, startServerProcess, type ServerProcess } from './helpers.ts';

export const ADMIN_CLI: Principal = { name: 'admin-cli', role: 'admin', team: null, disabled: false };

export interface World {
  dataDir: string;
  storage: Storage;
  custody: Custody;
  server: ServerProcess;
  tokens: Map<string, string>;
  /** A new token for a user (a user added after the world was made). */
  tokenFor(user: string): Promise<string>;
  close(): Promise<void>;
}

export function sentinelState(id: string, name: string, owner: string, extra: Record<string, unknown> = {}): Uint8Array {
  const doc = new Y.Doc();
  const card = doc.getMap('card');
  card.set('name', name);
  card.set('owner', owner);
  card.set('sentinel', `SENTINEL-${id}`);
  for (const [key, value] of Object.entries(extra)) card.set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

export async function makeWorld(
  users: { name: string; role: Role; team: string | null }[],
  teams: string[],
  cards: { id: string; owner: string }[],
  serverArgs: string[] = [],
): Promise<World> {
  const dataDir = newDataDir();
  const storage = await openStorage(dataDir);
  const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
  for (const team of teams) await custody.addTeam(team);
  const tokens = new Map<string, string>();
  const tokenFor = async (user: string) => {
    const token = newToken();
    await storage.addToken(hashToken(token), user);
    tokens.set(user, token);
    return token;
  };
  for (const user of users) {
    await custody.addUser(user.name, user.role, user.team);
    await tokenFor(user.name);
  }
  if (cards.length > 0) await storage.importCards(cards.map((card, i) => ({ id: card.id, owner: card.owner, state: sentinelState(card.id, `Customer ${i}`, card.owner) })));
  const server = await startServerProcess(dataDir, 0, [], ['--max-connections-per-user', '200', ...serverArgs]);
  return {
    dataDir, storage, custody, server, tokens, tokenFor,
    close: async () => {
      await server.stop();
      await storage.close();
    },
  };
}

export interface ApiReply {
  status: number;
  body: Record<string, any>;
  ms: number;
}

/** Calls the custody API as `user` (undefined: no token). */
export async function callApi(world: World, user: string | undefined, method: string, path: string, body?: unknown): Promise<ApiReply> {
  const started = performance.now();
  const response = await fetch(`${world.server.url.replace('ws', 'http')}${path}`, {
    method,
    headers: { ...(user ? { authorization: `Bearer ${world.tokens.get(user) ?? user}` } : {}), 'content-type': 'application/json' },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let parsed: Record<string, any> = {};
  try {
    parsed = JSON.parse(text) as Record<string, any>;
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, body: parsed, ms };
}

/** A stock y-websocket client of one card, as `user`. */
export function stockClient(world: World, user: string, cardId: string): { doc: Y.Doc; provider: WebsocketProvider; closes: number[] } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${world.server.url}/y`, cardId, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: world.tokens.get(user)! },
    maxBackoffTime: 200,
  });
  const closes: number[] = [];
  provider.on('connection-close', (event: { code: number } | null) => {
    if (event) closes.push(event.code);
  });
  return { doc, provider, closes };
}
