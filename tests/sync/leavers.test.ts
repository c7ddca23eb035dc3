/**
 * Leavers (issue #25), against the real server process and the real admin CLI, on SQLite and
 * (project `postgres`) PostgreSQL: `user disable` hands the leaver's cards to a successor — the
 * one named with --to, else the manager of the leaver's team — as a "leaving" handover, refuses a
 * successor who cannot hold them (with nothing changed), fixes a user disabled before this rule
 * who still owns cards, and a cover never returns cards to someone who has left.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { Custody } from '../../sync-server/custody/custody.ts';
import { editStoredCard } from '../../sync-server/fanout/card-edit.ts';
import type { Role } from '../../shared/rights/rights.ts';
import type { Storage } from '../../sync-server/storage/storage.ts';
import { MemoryDevice, cid, newDataDir, openStorage, rawSql, startServerProcess, storeArgs, waitUntil, type ServerProcess } from './helpers.ts';

const USERS: { name: string; role: Role; team: string | null }[] = [
  { name: 'rob', role: 'rep', team: 'north' },
  { name: 'rita', role: 'rep', team: 'north' },
  { name: 'mona', role: 'manager', team: 'north' },
  { name: 'sue', role: 'rep', team: 'south' },
  { name: 'sam', role: 'manager', team: 'south' },
  { name: 'sid', role: 'manager', team: 'south' },
  { name: 'lone', role: 'rep', team: null },
  { name: 'dave', role: 'rep', team: 'north' },
  { name: 'ada', role: 'admin', team: null },
];
const CARDS = [
  { id: cid('leaver-rob-1'), owner: 'rob' },
  { id: cid('leaver-rob-2'), owner: 'rob' },
  { id: cid('leaver-rita-1'), owner: 'rita' },
  { id: cid('leaver-sue-kept'), owner: 'sue' },
  { id: cid('leaver-sue-covered'), owner: 'sue' },
  { id: cid('leaver-lone-1'), owner: 'lone' },
  { id: cid('leaver-dave-1'), owner: 'dave' },
];
const idOf = (name: string) => cid(`leaver-${name}`);

function cardState(name: string, owner: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('card').set('name', name);
  doc.getMap('card').set('owner', owner);
  return Y.encodeStateAsUpdate(doc);
}

describe('leavers: user disable hands the cards over', () => {
  let dataDir = '';
  let storage: Storage;
  let server: ServerProcess | undefined;
  const tokens = new Map<string, string>();

  const admin = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', ...storeArgs(dataDir), ...args], { encoding: 'utf8' });
  const ownerOf = async (id: string) => (await storage.getCard(id))?.owner;
  const ownerField = async (id: string) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await storage.getCard(id))!.state);
    return doc.getMap('card').get('owner');
  };

  beforeAll(async () => {
    dataDir = newDataDir();
    storage = await openStorage(dataDir);
    const custody = new Custody(storage, (cardId, actor, mutation) => editStoredCard(storage, cardId, actor, mutation));
    for (const team of ['north', 'south']) await custody.addTeam(team);
    for (const user of USERS) {
      await custody.addUser(user.name, user.role, user.team);
      const token = newToken();
      await storage.addToken(hashToken(token), user.name);
      tokens.set(user.name, token);
    }
    await storage.importCards(CARDS.map((card) => ({ id: card.id, owner: card.owner, state: cardState(`Customer of ${card.owner}`, card.owner) })));
    // Data from before the rule: dave was disabled and kept his card.
    await storage.disableUser('dave');
    server = await startServerProcess(dataDir, 0, [], []);
  });
  afterAll(async () => {
    await server?.stop();
    await storage?.close();
  });

  it('refuses a successor who cannot hold the cards, and a leaver with no one to take them, changing nothing', async () => {
    const lone = admin('user', 'disable', 'lone');
    expect(lone.status).not.toBe(0);
    expect(lone.stderr).toContain('has no team: name who takes them over with --to <user>');
    expect(admin('user', 'disable', 'rob', '--to', 'dave').stderr).toContain('dave is disabled and cannot take over rob');
    expect(admin('user', 'disable', 'rob', '--to', 'ada').stderr).toContain('ada is an admin and cannot hold customer cards');
    expect(admin('user', 'disable', 'rob', '--to', 'rob').stderr).toContain('cannot take over their own cards');
    expect(admin('user', 'disable', 'rob', '--to', 'nobody').stderr).toContain('No user "nobody"');
    // Two managers in south: the admin must say which.
    expect(admin('user', 'disable', 'sue').stderr).toContain('team south has several managers');
    for (const name of ['lone', 'rob', 'sue']) expect((await storage.getUser(name))?.disabled).toBe(false);
    expect(await ownerOf(idOf('rob-1'))).toBe('rob');
    expect(await ownerOf(idOf('lone-1'))).toBe('lone');
    expect(await storage.listHandovers({})).toEqual([]);
  });

  it('without --to, the team’s manager takes the cards, recorded as a leaving handover; the leaver’s device is told', async () => {
    const rob = new MemoryDevice();
    rob.connect(server!.url, tokens.get('rob')!);
    await rob.client!.whenIdle(10_000);
    expect(rob.docs.size).toBe(2);
    const result = admin('user', 'disable', 'rob');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('2 card(s) handed over to mona (leaving)');
    expect(await ownerOf(idOf('rob-1'))).toBe('mona');
    expect(await ownerOf(idOf('rob-2'))).toBe('mona');
    expect(await ownerField(idOf('rob-1'))).toBe('mona');
    const [handover] = await storage.listHandovers({ user: 'mona' });
    expect(handover).toMatchObject({ from: 'rob', to: 'mona', kind: 'leaving', reason: 'rob left the company', by: 'admin-cli' });
    expect(handover!.cardIds.sort()).toEqual([idOf('rob-1'), idOf('rob-2')].sort());
    expect(admin('audit', '--card', idOf('rob-1')).stdout).toMatch(/handover\t\S+\trob → mona \(leaving\): rob left the company/);
    await waitUntil(() => rob.client!.status().state === 'user-disabled', 8_000, 'rob’s device to be told');
    expect(rob.docs.size).toBe(0);
    rob.disconnect();
    // mona's device holds them as her own.
    const mona = new MemoryDevice();
    mona.connect(server!.url, tokens.get('mona')!);
    await mona.client!.whenIdle(10_000);
    expect(mona.doc(idOf('rob-1')).getMap('card').get('owner')).toBe('mona');
    mona.disconnect();
  });

  it('--to names the successor (a rep of any team); a leaver without cards needs none', async () => {
    expect(admin('user', 'disable', 'lone', '--to', 'rita').stdout).toContain('1 card(s) handed over to rita');
    expect(await ownerOf(idOf('lone-1'))).toBe('rita');
    await storage.addUser('temp', 'rep', null);
    expect(admin('user', 'disable', 'temp').status).toBe(0);
    expect((await storage.getUser('temp'))?.disabled).toBe(true);
  });

  it('a user disabled before the rule who still owns cards is listed, and a re-run hands them over', async () => {
    expect(admin('user', 'list').stdout).toContain('dave\trep\tnorth\tdisabled (still owns 1 card(s): run "user disable dave [--to <user>]"');
    expect(admin('user', 'disable', 'dave').stdout).toContain('1 card(s) handed over to mona');
    expect(await ownerOf(idOf('dave-1'))).toBe('mona');
    expect(admin('user', 'list').stdout).not.toContain('still owns');
    // No disabled user owns a card.
    const disabled = (await storage.listUsers()).filter((user) => user.disabled).map((user) => user.name);
    for (const card of await storage.cardOwners()) expect(disabled).not.toContain(card.owner);
  });

  it('a cover of someone who has left ends with the cards kept by the cover', async () => {
    const covered = idOf('sue-covered');
    expect(admin('handover', '--from', 'sue', '--to', 'sam', '--reason', 'leave', '--card', covered, '--until', new Date(Date.now() + 3_600_000).toISOString()).status).toBe(0);
    expect(admin('user', 'disable', 'sue', '--to', 'sid').stdout).toContain('1 card(s) handed over to sid');
    expect(await ownerOf(idOf('sue-kept'))).toBe('sid');
    // The cover's end comes (set in the database, as the clock would bring it).
    await rawSql(dataDir, "UPDATE handovers SET until = ? WHERE kind = 'cover' AND returned_at IS NULL", [Date.now() + 300]);
    await waitUntil(async () => (await storage.auditOf({ cardId: covered })).some((event) => event.action === 'handover-kept'), 8_000, 'the cover to end');
    expect(await ownerOf(covered)).toBe('sam');
    expect((await storage.listHandovers({ user: 'sam' })).find((h) => h.kind === 'cover')?.returnedAt).not.toBeNull();
  });
});
