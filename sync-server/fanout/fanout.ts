/**
 * Fan-out between server instances through Redis pub/sub (`--redis <url>`, the ioredis
 * package). Each instance publishes, on one channel, every change it stores (card id, seq,
 * owner, the update itself) and every access change it makes; the others hand them to their hub,
 * so their devices get a live UPDATE, or re-read their rights and catch up, at once.
 * Redis only speeds things up: the log in the database stays the truth. A notice that is lost
 * (Redis down, a message dropped) leaves a gap that the next change reveals, and the access
 * watch polls the log's top and the access version anyway (access-watch.ts), so with Redis down
 * instances keep serving, say so in their log, and catch up by polling; when Redis is back the
 * fan-out resumes (ioredis reconnects and subscribes again).
 * Messages: JSON `{ from, kind: 'card', cardId, seq, owner, update (base64) }`,
 * `{ from, kind: 'access' }` or `{ from, kind: 'custody', cardId, owner, users }` (a loan or
 * proposal changed, custody.ts `CustodyNotice`); `from` is the instance's random id (its own
 * notices come back to it). The ABC cut-offs are not sent: each instance computes them from the
 * card changes it receives (company-classes.ts).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { isCardId } from '../../shared/card-id.ts';
import { ELSEWHERE, type Hub } from './hub.ts';

export const FANOUT_CHANNEL = 'customer-cards:feed';

type Notice =
  | { from: string; kind: 'card'; cardId: string; seq: number; owner: string; update: string }
  | { from: string; kind: 'access' }
  | { from: string; kind: 'custody'; cardId: string; owner: string; users: string[] };

export interface Fanout {
  /** Whether notices flow (the subscription is up). */
  connected(): boolean;
  stop(): Promise<void>;
}

/** A notice from the channel, or undefined if it is not one (the channel is not trusted to be well-formed). */
function parseNotice(text: string): Notice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const notice = value as Record<string, unknown>;
  if (typeof notice.from !== 'string') return undefined;
  if (notice.kind === 'access') return { from: notice.from, kind: 'access' };
  if (notice.kind === 'custody') {
    const users = notice.users;
    if (typeof notice.cardId !== 'string' || !isCardId(notice.cardId) || typeof notice.owner !== 'string') return undefined;
    if (!Array.isArray(users) || users.length > 10 || !users.every((user) => typeof user === 'string')) return undefined;
    return { from: notice.from, kind: 'custody', cardId: notice.cardId, owner: notice.owner, users: users as string[] };
  }
  if (notice.kind !== 'card' || typeof notice.cardId !== 'string' || !isCardId(notice.cardId)) return undefined;
  if (typeof notice.seq !== 'number' || !Number.isSafeInteger(notice.seq) || notice.seq < 1) return undefined;
  if (typeof notice.owner !== 'string' || typeof notice.update !== 'string') return undefined;
  return { from: notice.from, kind: 'card', cardId: notice.cardId, seq: notice.seq, owner: notice.owner, update: notice.update };
}

export function startFanout(hub: Hub, url: string, log: (line: string) => void = (line) => console.log(line)): Fanout {
  const id = randomUUID();
  const retryStrategy = (times: number) => Math.min(100 * times, 2_000);
  // The publisher does not queue while Redis is away: a notice then is dropped (polling covers it).
  const pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, lazyConnect: false });
  const sub = new Redis(url, { maxRetriesPerRequest: null, retryStrategy, lazyConnect: false });
  let up = false;
  let stopping = false;
  const down = (why: string) => {
    if (stopping || !up) return;
    up = false;
    log(`sync-server: Redis unavailable (${why}): other instances' changes now arrive by polling the log`);
  };
  pub.on('error', () => undefined);
  sub.on('error', (error: Error) => down(error.message));
  sub.on('close', () => down('connection closed'));
  let everUp = false;
  sub.on('ready', () => {
    if (stopping || up) return;
    up = true;
    log(everUp ? 'sync-server: Redis fan-out resumes' : `sync-server: Redis fan-out on ${FANOUT_CHANNEL} (instance ${id.slice(0, 8)})`);
    everUp = true;
    // Whatever was missed while it was away: connections look at the log again.
    hub.announce('access', 'elsewhere');
  });
  sub.subscribe(FANOUT_CHANNEL).catch(() => undefined);
  sub.on('message', (channel: string, text: string) => {
    if (channel !== FANOUT_CHANNEL) return;
    const notice = parseNotice(text);
    if (!notice || notice.from === id) return;
    try {
      if (notice.kind === 'access') hub.announce('access', 'elsewhere');
      else if (notice.kind === 'custody') hub.notify({ cardId: notice.cardId, owner: notice.owner, users: notice.users }, 'elsewhere');
      else hub.receive({ cardId: notice.cardId, seq: notice.seq, owner: notice.owner, update: new Uint8Array(Buffer.from(notice.update, 'base64')) });
    } catch (error) {
      console.error('sync-server: a fan-out notice could not be handled', error);
    }
  });

  const send = (notice: Notice) => {
    if (!up) return;
    pub.publish(FANOUT_CHANNEL, JSON.stringify(notice)).catch(() => undefined);
  };
  const unsubscribe = hub.subscribe({
    change(change) {
      if (change.origin === ELSEWHERE) return;
      send({ from: id, kind: 'card', cardId: change.cardId, seq: change.seq, owner: change.owner, update: Buffer.from(change.update).toString('base64') });
    },
    feedMoved(kind, source) {
      if (kind === 'access' && source === 'here') send({ from: id, kind: 'access' });
    },
    custodyNotice(notice, source) {
      if (source === 'here') send({ from: id, kind: 'custody', ...notice });
    },
  });

  return {
    connected: () => up,
    async stop() {
      stopping = true;
      unsubscribe();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
