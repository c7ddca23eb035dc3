/**
 * Custody against the real server process: the authorisation suite (thousands of random
 * (user, card, operation, moment) cases across teams, roles, loans, handovers and disabled
 * users, each card holding a sentinel string, checked against an oracle written here from the
 * rules, independent of rights.ts), field rights, record authors, and access changes made by
 * the admin CLI reaching open connections. Seeds are printed on failure.
 */
import { spawnSync } from 'node:child_process';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLOSE } from '../../shared/sync/protocol.ts';
import { seededRandom } from '../../shared/random.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { editStoredCard } from '../../sync-server/fanout/card-edit.ts';
import { INDEX_ROW_VERSION } from '../../sync-server/card-row.ts';
import { Custody } from '../../sync-server/custody/custody.ts';
import type { Principal, Role } from '../../shared/rights/rights.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { recordedSet } from './honest-edit.ts';
import { MemoryDevice, cid, closeCodeOf, newDataDir, openStorage, rawSql, startServerProcess, storeArgs, waitUntil, type ServerProcess } from './helpers.ts';

const ADMIN_CLI: Principal = { name: 'admin-cli', role: 'admin', team: null, disabled: false };

interface World {
  dataDir: string;
  storage: Storage;
  custody: Custody;
  server: ServerProcess;
  tokens: Map<string, string>;
}

function cardState(id: string, name: string, owner: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('card').set('name', name);
  doc.getMap('card').set('owner', owner);
  doc.getMap('card').set('sentinel', `SENTINEL-${id}`);
  return Y.encodeStateAsUpdate(doc);
}

async function makeWorld(users: { name: string; role: Role; team: string | null }[], teams: string[], cards: { id: string; owner: string }[]): Promise<World> {
  const dataDir = newDataDir();
  const storage = await openStorage(dataDir);
  // The test process writes like the admin CLI does: another process on the same store.
  const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
  for (const team of teams) await custody.addTeam(team);
  const tokens = new Map<string, string>();
  for (const user of users) {
    await custody.addUser(user.name, user.role, user.team);
    const token = newToken();
    await storage.addToken(hashToken(token), user.name);
    tokens.set(user.name, token);
  }
  await storage.importCards(cards.map((card, i) => ({ id: card.id, owner: card.owner, state: cardState(card.id, `Customer ${i}`, card.owner) })));
  const server = await startServerProcess(dataDir, 0, [], ['--max-connections-per-user', '200']);
  return { dataDir, storage, custody, server, tokens };
}

async function closeWorld(world: World | undefined): Promise<void> {
  await world?.server.stop();
  await world?.storage.close();
}

/** Syncs a fresh device of `user` and returns the cards it received (and whether each held its sentinel). */
async function readAll(world: World, user: string): Promise<{ ids: Set<string>; badSentinels: string[]; closed?: number }> {
  const device = new MemoryDevice();
  device.connect(world.server.url, world.tokens.get(user)!);
  try {
    await waitUntil(() => ['online', 'user-disabled', 'token-rejected'].includes(device.client!.status().state), 10_000, `${user} to sync`);
    const ids = new Set(device.docs.keys());
    const badSentinels = [...ids].filter((id) => device.doc(id).getMap('card').get('sentinel') !== `SENTINEL-${id}`);
    return { ids, badSentinels };
  } finally {
    device.disconnect();
  }
}

/**
 * Opens /y/<card>, asks for the card (sync step 1 of an empty doc), and resolves 'open' when the
 * card's content comes, 'nothing' when the server answers without it (someone else's card looks
 * like one that does not exist: an empty room), or the close code.
 */
function tryY(world: World, user: string, cardId: string): Promise<'open' | 'nothing' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${world.server.url}/y/${cardId}?token=${encodeURIComponent(world.tokens.get(user)!)}`);
    let answered = false;
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(answered ? 'nothing' : -2);
    }, 1_000);
    ws.on('open', () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, new Y.Doc());
      ws.send(encoding.toUint8Array(e));
    });
    ws.on('message', (data: Buffer) => {
      answered = true;
      if (!data.includes(`SENTINEL-${cardId}`)) return;
      clearTimeout(timer);
      ws.close();
      resolve('open');
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    ws.on('error', () => undefined);
  });
}

describe('the authorisation suite', () => {
  const seed = Number(process.env.CUSTODY_SEED ?? 20261201);
  let world: World | undefined;
  afterAll(() => closeWorld(world));

  it(`gives every user exactly the cards the rules allow, over /sync and /y, at every moment (seed ${seed})`, async () => {
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const users: { name: string; role: Role; team: string | null }[] = [
      { name: 'ada', role: 'admin', team: null },
      { name: 'mona', role: 'manager', team: 'north' },
      { name: 'sam', role: 'manager', team: 'south' },
      { name: 'rob', role: 'rep', team: 'north' },
      { name: 'rita', role: 'rep', team: 'north' },
      { name: 'sue', role: 'rep', team: 'south' },
      { name: 'lone', role: 'rep', team: null },
      { name: 'max', role: 'manager', team: null },
    ];
    const owners = ['rob', 'rita', 'sue', 'lone', 'mona', 'sam', 'max'];
    const cards = Array.from({ length: 36 }, (_, i) => ({ id: cid(`custody-${seed}-${i}`), owner: owners[i % owners.length]! }));
    world = await makeWorld(users, ['north', 'south'], cards);
    const w = world;

    // The oracle: the rules as the practice states them, kept by hand beside the server.
    const team = new Map(users.map((u) => [u.name, u.team]));
    const role = new Map(users.map((u) => [u.name, u.role]));
    const owner = new Map(cards.map((c) => [c.id, c.owner]));
    const disabled = new Set<string>();
    const loans: { card: string; user: string; until: number; write: boolean }[] = [];
    const loanOf = (user: string, card: string, now: number) => loans.find((l) => l.user === user && l.card === card && l.until > now);
    const mayRead = (user: string, card: string, now: number): boolean => {
      if (disabled.has(user)) return false;
      if (role.get(user) === 'admin') return true;
      const cardOwner = owner.get(card)!;
      if (cardOwner === user) return true;
      if (role.get(user) === 'manager' && team.get(user) !== null && team.get(user) === team.get(cardOwner)) return true;
      return loanOf(user, card, now) !== undefined;
    };
    const mayWrite = (user: string, card: string, now: number): boolean => {
      if (!mayRead(user, card, now)) return false;
      const loan = loanOf(user, card, now);
      const viaLoanOnly = loan && !(role.get(user) === 'admin' || owner.get(card) === user || (role.get(user) === 'manager' && team.get(user) !== null && team.get(user) === team.get(owner.get(card)!)));
      return viaLoanOnly ? loan.write : true;
    };

    // A live device per user, connected throughout: access changes must reach it.
    const live = new Map(users.map((u) => {
      const device = new MemoryDevice();
      device.connect(w.server.url, w.tokens.get(u.name)!);
      return [u.name, device] as const;
    }));

    // A connected writer per user, for the write cases.
    const writers = new Map(users.map((u) => {
      const device = new MemoryDevice();
      device.connect(w.server.url, w.tokens.get(u.name)!);
      return [u.name, device] as const;
    }));
    await Promise.all([...writers.values(), ...live.values()].map((device) => device.client!.whenIdle(20_000)));

    const counts = { reads: 0, writes: 0, y: 0, leaks: [] as string[], refusals: [] as string[] };
    const moments = 40;
    try {
      for (let moment = 0; moment < moments; moment++) {
        // One access change per moment, made in another process's way (like the admin CLI).
        const roll = random();
        const active = users.filter((u) => !disabled.has(u.name) && u.role !== 'admin').map((u) => u.name);
        let did = '';
        if (roll < 0.4) {
          const user = pick(active);
          const card = pick(cards).id;
          const short = random() < 0.3;
          const write = random() < 0.4;
          const until = Date.now() + (short ? 150 : 3_600_000);
          if (!mayRead(user, card, Date.now())) {
            await w.custody.grantLoan(ADMIN_CLI, card, user, until, `moment ${moment}`, write);
            loans.push({ card, user, until, write });
            did = `loan of ${card} to ${user}${write ? ' (write)' : ''}${short ? ' ending at once' : ''}`;
          }
        } else if (roll < 0.7) {
          const card = pick(cards).id;
          const from = owner.get(card)!;
          const to = pick(active.filter((name) => name !== from));
          if (!disabled.has(to)) {
            await w.custody.handover({ from, to, reason: `moment ${moment}`, kind: 'territory', cardIds: [card], by: ADMIN_CLI });
            owner.set(card, to);
            did = `handover of ${card} from ${from} to ${to}`;
          }
        } else if (roll < 0.9) {
          const user = pick(active);
          const next = pick(['north', 'south', null]);
          await w.custody.moveUser(user, next);
          team.set(user, next);
          did = `${user} moved to ${next ?? 'no team'}`;
        } else if (disabled.size < 2) {
          const user = pick(active);
          // A leaver names a successor: their cards move to them (a "leaving" handover).
          const successor = pick(active.filter((name) => name !== user));
          await w.custody.disableUser(user, { to: successor });
          for (const [card, cardOwner] of owner) if (cardOwner === user) owner.set(card, successor);
          disabled.add(user);
          did = `${user} disabled, cards to ${successor}`;
        }
        // Let short loans end and the server notice the change.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const now = Date.now();
        const context = `seed ${seed}, moment ${moment} (${did || 'no change'})`;

        // Reads over /sync: a fresh device of every user, all at once.
        const reads = await Promise.all(users.map((user) => readAll(w, user.name)));
        users.forEach((user, u) => {
          const got = reads[u]!;
          for (const card of cards) {
            counts.reads++;
            const expected = mayRead(user.name, card.id, now);
            if (got.ids.has(card.id) && !expected) counts.leaks.push(`${context}: ${user.name} received ${card.id}`);
            if (!got.ids.has(card.id) && expected) counts.refusals.push(`${context}: ${user.name} did not receive ${card.id}`);
          }
          for (const id of got.badSentinels) counts.leaks.push(`${context}: ${user.name} got a wrong state for ${id}`);
        });

        // Writes over /sync: one push by each of a few users, through their connected writers.
        const pushers = users.filter((u) => !disabled.has(u.name) && random() < 0.6);
        await Promise.all(
          pushers.map(async (user, i) => {
            const card = pick(cards).id;
            const device = writers.get(user.name)!;
            const before = device.dropped.length;
            const expected = mayWrite(user.name, card, Date.now());
            device.edit(card, (doc) => recordedSet(doc, user.name, 'city', `city ${moment}-${i}`));
            await device.client!.whenIdle(10_000);
            counts.writes++;
            const accepted = device.dropped.length === before;
            if (accepted && !expected) counts.leaks.push(`${context}: ${user.name} could write ${card}`);
            if (!accepted && expected) counts.refusals.push(`${context}: ${user.name} could not write ${card} (${device.dropped.slice(before).join('; ')})`);
          }),
        );

        // /y: random (user, card) joins, all at once.
        const joins = Array.from({ length: 8 }, () => ({ user: pick(users).name, card: pick(cards).id }));
        const outcomes = await Promise.all(joins.map((join) => tryY(w, join.user, join.card)));
        joins.forEach(({ user, card }, i) => {
          const outcome = outcomes[i]!;
          counts.y++;
          const expected = mayRead(user, card, Date.now());
          if (outcome === 'open' && !expected) counts.leaks.push(`${context}: ${user} opened /y of ${card}`);
          if (outcome !== 'open' && expected) counts.refusals.push(`${context}: ${user} was refused /y of ${card} (${outcome})`);
          if (outcome !== 'open' && !expected && outcome !== 'nothing' && outcome !== CLOSE.USER_DISABLED) counts.refusals.push(`${context}: ${user} /y of ${card} closed with ${outcome}`);
        });

        // Live devices hold exactly what their users may read (GONE deletes the rest).
        for (const user of users) {
          const device = live.get(user.name)!;
          const expected = cards.filter((card) => mayRead(user.name, card.id, Date.now())).map((card) => card.id).sort();
          await waitUntil(() => JSON.stringify([...device.docs.keys()].sort()) === JSON.stringify(expected), 5_000, `${user.name}'s live device to hold what they may read`).catch(() =>
            counts.refusals.push(`${context}: ${user.name}'s live device holds ${[...device.docs.keys()].length} cards, expected ${expected.length}`),
          );
        }
      }
    } finally {
      for (const device of [...live.values(), ...writers.values()]) device.disconnect();
    }
    const total = counts.reads + counts.writes + counts.y;
    console.log(`authorisation suite (seed ${seed}): ${total} cases (${counts.reads} reads, ${counts.writes} writes, ${counts.y} /y joins), ${counts.leaks.length} leaks, ${counts.refusals.length} wrongful refusals`);
    expect(counts.leaks, `leaks (replay with CUSTODY_SEED=${seed})`).toEqual([]);
    expect(counts.refusals, `wrongful refusals (replay with CUSTODY_SEED=${seed})`).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(10_000);
  }, 300_000);
});

describe('field rights and records no one can forge', () => {
  let world: World | undefined;
  const card = cid('field-rights-card');
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sam', role: 'manager', team: 'south' },
      ],
      ['north', 'south'],
      [{ id: card, owner: 'rob' }],
    );
  });
  afterAll(() => closeWorld(world));

  async function push(user: string, change: (doc: Y.Doc) => void): Promise<string[]> {
    const device = new MemoryDevice();
    device.connect(world!.server.url, world!.tokens.get(user)!);
    try {
      await device.client!.whenIdle(10_000);
      device.edit(card, change);
      await device.client!.whenIdle(10_000);
      return device.dropped;
    } finally {
      device.disconnect();
    }
  }

  it.each(['creditLimitApproved', 'creditLimitManager', 'creditRating', 'abcOverride', 'stageOverride'])('refuses a rep’s change to %s and accepts the team manager’s', async (field) => {
    const value = field.startsWith('credit') && field !== 'creditRating' ? 90_000 : field === 'stageOverride' ? 'repeat' : 'A';
    expect((await push('rob', (doc) => recordedSet(doc, 'rob', field, value)))[0]).toMatch(/^controlled-field/);
    expect(await push('mona', (doc) => recordedSet(doc, 'mona', field, value))).toEqual([]);
    expect(await world!.storage.getCard(card)).toBeDefined();
  });

  it.each([
    ['creditLimitApproved', 70_000, 80_000],
    ['creditLimitManager', 70_000, 80_000],
    ['creditRating', 'D', 'B'],
    ['abcOverride', 'C', 'B'],
    ['stageOverride', 'lost', 'repeat'],
  ] as const)('refuses a rep’s change to %s over /y, and accepts the manager’s', async (field, repValue, managerValue) => {
    const stored = (await world!.storage.getCard(card))!.state;
    const yPush = (user: string, value: string | number) =>
      new Promise<number | 'accepted'>((resolve) => {
        const doc = new Y.Doc();
        const ws = new WebSocket(`${world!.server.url}/y/${card}?token=${encodeURIComponent(world!.tokens.get(user)!)}`);
        ws.binaryType = 'arraybuffer';
        let sent = false;
        ws.on('message', () => {
          // After the server's first message, send our change as a sync-protocol update.
          if (sent) return;
          sent = true;
          Y.applyUpdate(doc, stored);
          const before = Y.encodeStateVector(doc);
          recordedSet(doc, user, field, value);
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, 0); // sync
          syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc, before));
          ws.send(encoding.toUint8Array(e));
          setTimeout(() => {
            ws.close();
            resolve('accepted');
          }, 800);
        });
        ws.on('close', (code) => resolve(code));
        ws.on('error', () => undefined);
      });
    expect(await yPush('rob', repValue)).toBe(CLOSE.PROTOCOL);
    expect(await yPush('mona', managerValue)).toBe('accepted');
    await waitUntil(async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await world!.storage.getCard(card))!.state);
      return doc.getMap('card').get(field) === managerValue;
    }, 5_000, `the manager’s ${field} to be stored`);
  });

  it('refuses a change record or timeline entry naming someone else', async () => {
    const forged = await push('rob', (doc) => doc.getArray('history').push([{ at: Date.now(), by: 'mona', mutation: 'card-set-field', target: 'city', from: null, to: 'x' }]));
    expect(forged[0]).toMatch(/^wrong-author/);
    const entry = await push('rob', (doc) => {
      const note = new Y.Map<unknown>();
      doc.getMap('timeline').set('forged-entry', note);
      note.set('by', 'sam');
      note.set('text', 'someone else wrote this');
    });
    expect(entry[0]).toMatch(/^wrong-author/);
    const honest = await push('rob', (doc) => doc.getArray('history').push([{ at: Date.now(), by: 'rob', mutation: 'card-set-field', target: 'city', from: null, to: 'y' }]));
    expect(honest).toEqual([]);
  });

  it('refuses any change of the owner field, even a manager’s: ownership moves only by handover', async () => {
    expect((await push('rob', (doc) => doc.getMap('card').set('owner', 'mona')))[0]).toMatch(/^owner-field/);
    expect((await push('mona', (doc) => doc.getMap('card').set('owner', 'mona')))[0]).toMatch(/^owner-field/);
  });

  it('a manager of another team neither reads nor changes the card', async () => {
    expect((await push('sam', (doc) => doc.getMap('card').set('creditRating', 'C')))[0]).toMatch(/^not-found/);
  });
});

describe('access changes made with the admin CLI while the server runs', () => {
  let world: World | undefined;
  const cards = [cid('cli-a'), cid('cli-b'), cid('cli-c')];
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'rita', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
      ],
      ['north'],
      [
        { id: cards[0]!, owner: 'rob' },
        { id: cards[1]!, owner: 'rob' },
        { id: cards[2]!, owner: 'mona' },
      ],
    );
  });
  afterAll(() => closeWorld(world));

  const admin = (...args: string[]) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(world!.dataDir), ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`admin ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };
  const connected = async (user: string) => {
    const device = new MemoryDevice();
    device.connect(world!.server.url, world!.tokens.get(user)!);
    await device.client!.whenIdle(10_000);
    return device;
  };

  it('a loan granted with the CLI reaches the borrower within 2 s, and its end deletes the copy', async () => {
    const rita = await connected('rita');
    try {
      expect(rita.docs.has(cards[2]!)).toBe(false);
      const until = new Date(Date.now() + 15_000).toISOString();
      admin('borrow', 'grant', '--card', cards[2]!, '--to', 'rita', '--until', until, '--reason', 'visit next week');
      const granted = Date.now();
      await waitUntil(() => rita.docs.has(cards[2]!), 2_000, 'the loaned card on the borrower’s device');
      expect(Date.now() - granted).toBeLessThan(2_000);
      expect(rita.doc(cards[2]!).getMap('card').get('sentinel')).toBe(`SENTINEL-${cards[2]}`);
      expect(admin('borrow', 'list', '--user', 'rita')).toMatch(/active\trita/);
      await waitUntil(() => !rita.docs.has(cards[2]!), Date.parse(until) - Date.now() + 8_000, 'the copy to be deleted at the loan’s end');
      expect(rita.removedCards).toContain(cards[2]);
      expect(admin('audit', '--card', cards[2]!)).toMatch(/loan-grant[\s\S]*read[\s\S]*loan-end/);
    } finally {
      rita.disconnect();
    }
  });

  it('a handover with the CLI moves the card between two reps’ devices and mirrors the owner', async () => {
    const rob = await connected('rob');
    const rita = await connected('rita');
    try {
      admin('handover', '--from', 'rob', '--to', 'rita', '--reason', 'territory change', '--card', cards[0]!);
      await waitUntil(() => rita.docs.has(cards[0]!) && !rob.docs.has(cards[0]!), 2_000, 'the card to move');
      await waitUntil(() => rita.doc(cards[0]!).getMap('card').get('owner') === 'rita', 2_000, 'the owner field to follow');
      const history = rita.doc(cards[0]!).getArray('history').toArray() as { by: string; reason?: string }[];
      expect(history.at(-1)).toMatchObject({ by: 'admin-cli' });
      expect(history.at(-1)?.reason).toMatch(/territory change/);
    } finally {
      rob.disconnect();
      rita.disconnect();
    }
  });

  it('a cover with an end returns the cards when it ends', async () => {
    // An hour's cover (a few seconds would pass while the CLI starts on a loaded machine)…
    const until = new Date(Date.now() + 3_600_000).toISOString();
    admin('handover', '--from', 'rob', '--to', 'mona', '--reason', 'leave', '--card', cards[1]!, '--until', until);
    expect((await world!.storage.getCard(cards[1]!))!.owner).toBe('mona');
    // …then time passes: its end comes (set in the database, as the clock would).
    await rawSql(world!.dataDir, "UPDATE handovers SET until = ? WHERE kind = 'cover' AND returned_at IS NULL", [Date.now() + 500]);
    await waitUntil(async () => (await world!.storage.getCard(cards[1]!))!.owner === 'rob', 6_000, 'the card to return after the cover');
  });

  it('disabling a user tells their device to delete every card; a revoked token deletes nothing', async () => {
    const revokedToken = newToken();
    await world!.storage.addToken(hashToken(revokedToken), 'rita');
    const revoked = new MemoryDevice();
    revoked.connect(world!.server.url, revokedToken);
    await revoked.client!.whenIdle(10_000);
    const held = revoked.docs.size;
    expect(held).toBeGreaterThan(0);
    admin('token', 'revoke', revokedToken);
    await waitUntil(() => revoked.client!.status().state === 'token-rejected', 8_000, 'the revoked token to be refused');
    expect(revoked.docs.size).toBe(held);
    revoked.disconnect();

    const rita = await connected('rita');
    expect(rita.docs.size).toBeGreaterThan(0);
    rita.edit(cid('never-sent'), () => undefined);
    admin('user', 'disable', 'rita');
    await waitUntil(() => rita.client!.status().state === 'user-disabled', 3_000, 'the device to be told');
    expect(rita.docs.size).toBe(0);
    expect(rita.client!.status().wiped?.cards).toBeGreaterThan(0);
    // A device that was offline learns it on its next connection.
    const later = new MemoryDevice();
    later.docs.set(cid('kept-offline'), new Y.Doc());
    later.connect(world!.server.url, world!.tokens.get('rita')!);
    await waitUntil(() => later.client!.status().state === 'user-disabled', 5_000, 'the offline device to be told');
    expect(later.docs.size).toBe(0);
    later.disconnect();
    rita.disconnect();
  });
});

describe('the custody API', () => {
  let world: World | undefined;
  const card = cid('api-card');
  const other = cid('api-other-team');
  beforeAll(async () => {
    world = await makeWorld(
      [
        { name: 'rob', role: 'rep', team: 'north' },
        { name: 'rita', role: 'rep', team: 'north' },
        { name: 'mona', role: 'manager', team: 'north' },
        { name: 'sue', role: 'rep', team: 'south' },
      ],
      ['north', 'south'],
      [
        { id: card, owner: 'rob' },
        { id: other, owner: 'sue' },
      ],
    );
    // The row the server keeps for lookups (as if the card held this person and domain), once
    // the server has indexed the imported cards (else its indexing could overwrite it).
    await waitUntil(async () => (await world!.storage.rowOf(card)) !== undefined && (await world!.storage.rowOf(other)) !== undefined, 10_000, 'the server to index the cards');
    await world.storage.setRow(card, JSON.stringify({ name: 'Acme Trading', emails: ['li@acme.cn'], domains: ['acme.cn'] }), INDEX_ROW_VERSION);
  });
  afterAll(() => closeWorld(world));

  const call = async (user: string | undefined, method: string, path: string, body?: unknown, raw?: string) => {
    const response = await fetch(`${world!.server.url.replace('ws', 'http')}${path}`, {
      method,
      headers: { ...(user ? { authorization: `Bearer ${world!.tokens.get(user)}` } : {}), 'content-type': 'application/json' },
      ...(body !== undefined || raw !== undefined ? { body: raw ?? JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('refuses strangers and bad requests with a clear status', async () => {
    expect((await call(undefined, 'GET', '/api/me')).status).toBe(401);
    expect((await call('rob', 'POST', '/api/loans', undefined, '{not json')).body.error).toBe('bad-json');
    expect((await call('rob', 'POST', '/api/loans', undefined, 'x'.repeat(70_000))).status).toBe(413);
    expect((await call('rob', 'GET', '/api/nothing')).status).toBe(404);
    expect((await call('rob', 'GET', '/api/team')).status).toBe(403);
    expect((await call('rob', 'GET', `/api/cards/${other}/custody`)).status).toBe(404);
    expect((await call('rob', 'POST', '/api/loans', { cardId: 'x', until: Date.now() + 1000, reason: 'r' })).status).toBe(404);
    expect((await fetch(`${world!.server.url.replace('ws', 'http')}/health`)).status).toBe(200);
  });

  it('looks up whose customer a company is by exact email or domain, never more', async () => {
    const byEmail = await call('sue', 'GET', '/api/lookup?email=li@acme.cn');
    expect(byEmail.body.found).toEqual({ cardId: card, readable: false, name: 'Acme Trading', owner: 'rob', team: 'north' });
    expect((await call('sue', 'GET', '/api/lookup?domain=acme.cn')).body.found.owner).toBe('rob');
    expect((await call('sue', 'GET', '/api/lookup?domain=acme')).body.found).toBeNull();
    expect((await call('rob', 'GET', '/api/lookup?email=li@acme.cn')).body.found.readable).toBe(true);
  });

  it('a loan is asked for, shortened and approved by the team manager, and shows as active', async () => {
    const wanted = Date.now() + 10 * 86_400_000;
    const asked = await call('rita', 'POST', '/api/loans', { cardId: card, until: wanted, reason: 'covering a visit' });
    expect(asked.status).toBe(201);
    expect((await call('rita', 'POST', '/api/loans', { cardId: card, until: wanted, reason: 'again' })).body.error).toBe('already-requested');
    // Only the owner's team manager decides; the borrower and other reps see nothing to decide.
    expect((await call('rob', 'POST', `/api/loans/${asked.body.loan.id}/decision`, { approve: true, reason: 'sure' })).status).toBe(404);
    expect((await call('mona', 'POST', `/api/loans/${asked.body.loan.id}/decision`, { approve: true, reason: '' })).body.error).toBe('reason-required');
    const shorter = Date.now() + 3 * 86_400_000;
    const approved = await call('mona', 'POST', `/api/loans/${asked.body.loan.id}/decision`, { approve: true, until: shorter, reason: 'three days are enough' });
    expect(approved.body.loan).toMatchObject({ status: 'active', until: shorter, approver: 'mona', write: false });
    expect((await call('rita', 'GET', `/api/cards/${card}/custody`)).body).toMatchObject({ owner: 'rob', team: 'north', reason: 'loan', loanUntil: shorter });
    expect((await call('mona', 'GET', '/api/loans')).body.loans.map((l: { id: number }) => l.id)).toContain(asked.body.loan.id);
    expect((await call('sue', 'GET', '/api/loans')).body.loans).toEqual([]);
    // The owner is told her card was lent (rights.ts seesLoan).
    expect((await call('rob', 'GET', '/api/loans')).body.loans).toMatchObject([{ id: asked.body.loan.id, borrower: 'rita', status: 'active' }]);
  });

  it('a borrower renews (续借) with a new request; a /y connection closes the moment the loan ends', async () => {
    const loans = (await call('rita', 'GET', '/api/loans')).body.loans as { id: number; status: string }[];
    expect(loans.some((l) => l.status === 'active')).toBe(true);
    const renewal = await call('rita', 'POST', '/api/loans', { cardId: card, until: Date.now() + 20 * 86_400_000, reason: 'the project runs longer' });
    expect(renewal.status).toBe(201);
    expect(renewal.body.loan.status).toBe('requested');
    expect((await call('rob', 'POST', '/api/loans', { cardId: card, until: Date.now() + 86_400_000, reason: 'mine' })).body.error).toBe('already-readable');

    const ws = new WebSocket(`${world!.server.url}/y/${card}?token=${encodeURIComponent(world!.tokens.get('rita')!)}`);
    await new Promise((resolve) => ws.once('message', resolve));
    const closed = closeCodeOf(ws, 8_000);
    // The loans end (as the clock would bring it): the server's watch notices within a tick.
    await rawSql(world!.dataDir, "UPDATE loans SET until = ? WHERE card_id = ? AND borrower = 'rita' AND status = 'active'", [Date.now() + 200, card]);
    expect(await closed).toBe(CLOSE.FORBIDDEN);
  });

  it('a rep proposes a controlled change; the manager approves and the card records both names', async () => {
    expect((await call('rob', 'POST', '/api/proposals', { cardId: card, field: 'city', value: 'x', reason: 'r' })).body.error).toBe('not-controlled');
    expect((await call('rob', 'POST', '/api/proposals', { cardId: card, field: 'creditLimitApproved', value: -5, reason: 'r' })).body.error).toBe('invalid-value');
    const proposed = await call('rob', 'POST', '/api/proposals', { cardId: card, field: 'creditLimitApproved', value: 250_000, reason: 'orders doubled this year' });
    expect(proposed.status).toBe(201);
    const device = new MemoryDevice();
    device.connect(world!.server.url, world!.tokens.get('rob')!);
    await device.client!.whenIdle(10_000);
    const decided = await call('mona', 'POST', `/api/proposals/${proposed.body.proposal.id}/decision`, { approve: true, reason: 'credit check passed' });
    expect(decided.body.proposal).toMatchObject({ status: 'approved', decider: 'mona' });
    await waitUntil(() => device.doc(card).getMap('card').get('creditLimitApproved') === 250_000, 5_000, 'the approved value on the rep’s device');
    const record = (device.doc(card).getArray('history').toArray() as { by: string; reason?: string; target: string }[]).at(-1)!;
    expect(record).toMatchObject({ by: 'mona', target: 'creditLimitApproved' });
    expect(record.reason).toMatch(/proposed by rob.*approved by mona/);
    device.disconnect();
  });

  it('the company’s ABC cut-offs are computed over every card', async () => {
    const cutoffs = await call('rob', 'GET', '/api/classification');
    // Cut-offs, the basis and the policy's version: no customer's figure.
    expect(Object.keys(cutoffs.body).sort()).toEqual(['aMin', 'asOf', 'bMin', 'basis', 'policyVersion']);
  });
});
