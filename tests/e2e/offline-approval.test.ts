/**
 * A manager's offline approval survives, in real Chromium with the built extension against the
 * real server: the manager approves a credit limit on the card page while the server is down,
 * the rep edits the same card meanwhile, and while the manager's browser is closed the rep
 * sends structs under the manager's Yjs client id at his next clock numbers (the attack that
 * used to make his approval "acknowledged but never stored"). The server refuses the forged
 * structs; once the manager is back, the approval and the rep's edit are both stored and both
 * devices show both.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { decodeMessage, encodeMessage } from '../../shared/sync/protocol.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { recordedNote } from '../sync/honest-edit.ts';
import { cid, startServerProcess, waitUntil, type ServerProcess } from '../sync/helpers.ts';
import { launchBrowser, newProfileDir, openPage, seedTeam, signIn, storedCardCount, type Browser } from './harness.ts';

const CARD = cid('e2e-offline-approval');
let server: ServerProcess;
let dataDir: string;
let tokens: Map<string, string>;
const profiles = new Map<string, string>();
const browsers = new Map<string, Browser>();

async function cardPage(user: string): Promise<Page> {
  const page = await openPage(browsers.get(user)!, `card.html?id=${CARD}`);
  await page.getByTestId('card-page-name').waitFor({ timeout: 20_000 });
  return page;
}

async function editField(page: Page, key: string, value: string, reason?: string): Promise<void> {
  await page.getByTestId(`edit-${key}`).click();
  await page.getByTestId(`input-${key}`).fill(value);
  if (reason !== undefined) await page.getByTestId(`reason-${key}`).fill(reason);
  await page.getByTestId(`save-${key}`).click();
}

/** The card as the server stores it. */
async function storedCard(): Promise<Y.Doc> {
  const storage = openSqliteStorage(dataDir);
  try {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await storage.getCard(CARD))!.state);
    return doc;
  } finally {
    await storage.close();
  }
}

/** Pushes one update over /sync as `user`; resolves with the server's ack or nack code. */
function pushAs(user: string, update: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url}/sync`);
    const timer = setTimeout(() => reject(new Error('no answer to the push')), 15_000);
    ws.on('open', () => ws.send(encodeMessage({ type: 'auth', token: tokens.get(user)!, device: 'script' })));
    ws.on('message', (data: Buffer) => {
      const decoded = decodeMessage(new Uint8Array(data));
      if (!decoded.ok) return;
      const message = decoded.message;
      if (message.type === 'auth-ok') ws.send(encodeMessage({ type: 'push', clientSeq: 1, cardId: CARD, update }));
      if (message.type === 'ack' || message.type === 'nack') {
        clearTimeout(timer);
        ws.close();
        resolve(message.type === 'ack' ? 'ack' : message.code);
      }
    });
    ws.on('error', reject);
  });
}

beforeAll(async () => {
  ({ dataDir, tokens } = await seedTeam([['rob', 'rep', 'north'], ['mona', 'manager', 'north']], [{ id: CARD, owner: 'rob', name: '华信贸易有限公司' }]));
  server = await startServerProcess(dataDir);
  for (const user of ['rob', 'mona']) {
    profiles.set(user, newProfileDir());
    const browser = await launchBrowser(profiles.get(user)!);
    browsers.set(user, browser);
    await signIn(browser, server.url, tokens.get(user)!);
  }
}, 180_000);

afterAll(async () => {
  for (const browser of browsers.values()) await browser.close().catch(() => undefined);
  await server?.stop();
});

describe('a manager’s offline approval', () => {
  it('survives a rep’s concurrent edit and a rep writing under the manager’s client id', async () => {
    // Both devices hold the card; the manager writes once online, so his device's client id is on the card.
    const monaPage = await cardPage('mona');
    const robPage = await cardPage('rob');
    await editField(monaPage, 'industry', '贸易');
    await waitUntil(async () => (await storedCard()).getMap('card').get('industry') === '贸易', 20_000, 'the manager’s first edit stored');

    // The server goes down: the manager approves, the rep edits the same card.
    const port = server.port;
    await server.stop();
    await editField(monaPage, 'creditLimitApproved', '300000', 'Approved at the quarterly review');
    await expect.poll(() => monaPage.getByTestId('edit-creditLimitApproved').textContent()).toBe('300,000');
    await editField(robPage, 'city', '杭州');
    await expect.poll(() => robPage.getByTestId('edit-city').textContent()).toBe('杭州');
    // The manager's browser closes with the approval in its outbox.
    await browsers.get('mona')!.close();
    browsers.delete('mona');

    server = await startServerProcess(dataDir, port);
    await waitUntil(async () => (await storedCard()).getMap('card').get('city') === '杭州', 30_000, 'the rep’s offline edit stored');

    // The rep forges: harmless structs at the manager's next clock numbers.
    const stored = await storedCard();
    const managerIds = new Set<number>();
    for (const item of historyItems(stored)) if (item.by === 'mona') managerIds.add(item.client);
    expect(managerIds.size).toBe(1);
    const [managerId] = [...managerIds];
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(stored));
    forged.clientID = managerId!;
    const before = Y.encodeStateVector(forged);
    recordedNote(forged, 'rob', 'harmless, but at the manager’s clock');
    expect(await pushAs('rob', Y.encodeStateAsUpdate(forged, before))).toBe('foreign-client-id');

    // The manager comes back: his approval is stored beside the rep's edit, and both devices show both.
    const mona = await launchBrowser(profiles.get('mona')!);
    browsers.set('mona', mona);
    await waitUntil(async () => (await storedCard()).getMap('card').get('creditLimitApproved') === 300_000, 40_000, 'the manager’s offline approval stored');
    const final = await storedCard();
    expect(final.getMap('card').get('city')).toBe('杭州');
    const monaAgain = await cardPage('mona');
    await expect.poll(() => monaAgain.getByTestId('edit-city').textContent(), { timeout: 20_000 }).toBe('杭州');
    await expect.poll(() => robPage.getByTestId('edit-creditLimitApproved').textContent(), { timeout: 20_000 }).toBe('300,000');
    // Nothing the manager did was refused: the approval's record names him, with its reason.
    const approval = final.getArray<{ by: string; target: string; reason?: string }>('history').toArray().find((record) => record.target === 'creditLimitApproved');
    expect(approval).toMatchObject({ by: 'mona', reason: 'Approved at the quarterly review' });
    expect(await storedCardCount(monaAgain)).toBe(1);
  }, 240_000);
});

/** Each stored change record with the Yjs client id it was written under. */
function historyItems(doc: Y.Doc): { by: string; client: number }[] {
  const out: { by: string; client: number }[] = [];
  for (let item = doc.getArray('history')._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentAny)) continue;
    for (const record of item.content.arr) out.push({ by: (record as { by: string }).by, client: item.id.client });
  }
  return out;
}
