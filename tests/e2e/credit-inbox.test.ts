/**
 * Credit control, the manager's inbox and the daily review, in real Chromium with the built
 * extension against the real server: a rep's order over the approved limit is offered as "Submit
 * for approval" (the shared rule the server enforces), stored pending and not counted; the
 * manager's inbox shows it beside a loan request and a proposal, with a badge; she approves it
 * there; the order counts on both devices and the rep's panel lists the decision. The daily
 * review shows the day's contacts and outcomes per rep. Screenshots in English and Chinese.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCardState } from '../../shared/card-read.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { cid, startServerProcess, waitUntil, type ServerProcess } from '../sync/helpers.ts';
import { callApiOk, launchBrowser, newProfileDir, openPage, seedTeam, setLanguage, signIn, waitFor, type Browser } from './harness.ts';

const CARD = cid('e2e-credit-inbox');
const OTHER = cid('e2e-credit-inbox-other');
const NEW_TODAY = cid('e2e-credit-inbox-new');
let server: ServerProcess;
let dataDir: string;
let tokens: Map<string, string>;
const browsers = new Map<string, Browser>();
const shot = (name: string) => join(process.cwd(), 'tests', 'e2e', 'screenshots', `${name}.png`);

const page = (user: string, path: string, width = 1280): Promise<Page> => openPage(browsers.get(user)!, path, width);
const api = (user: string, path: string, body: unknown) => callApiOk(server.url, tokens.get(user)!, 'POST', path, body);

async function storedApprovals() {
  const storage = openSqliteStorage(dataDir);
  try {
    return readCardState((await storage.getCard(CARD))!.state, CARD).creditApprovals ?? [];
  } finally {
    await storage.close();
  }
}

beforeAll(async () => {
  const now = Date.now();
  const hour = 3_600_000;
  const today = new Date(new Date(now).toDateString()).getTime(); // local midnight
  const at = (hoursAgo: number) => Math.max(today + (10 - hoursAgo) * 60_000, now - hoursAgo * hour); // earlier today, in order
  const daysAgo = (days: number) => now - days * 86_400_000;
  // Rob's three cards, each made some days ago, with their steps (by mona where told).
  ({ dataDir, tokens } = await seedTeam(
    [['rob', 'rep', 'north'], ['mona', 'manager', 'north'], ['bea', 'rep', 'south']],
    [
      { id: CARD, owner: 'rob', name: '华信贸易有限公司', madeAt: daysAgo(90), steps: [
        { actor: 'mona', step: { type: 'card-set-field', field: 'creditLimitApproved', value: 10_000, reason: 'Quarterly review' } },
        { actor: 'mona', step: { type: 'card-set-field', field: 'creditRating', value: 'B', reason: 'Quarterly review' } },
        { actor: 'mona', step: { type: 'ledger-add', kind: 'order', date: daysAgo(20), amount: 8_000 } },
        { actor: 'mona', step: { type: 'ledger-add', kind: 'payment', date: daysAgo(10), amount: 2_000 } },
        { type: 'note-add', kind: 'visit', at: at(3), text: 'Showed the spring catalogue', outcome: 'Will order 500 units next week', followUp: now + 2 * 86_400_000 },
        { type: 'note-add', kind: 'call', at: at(1), text: 'Asked about delivery dates', outcome: 'Delivery confirmed for the 15th' },
      ] },
      { id: OTHER, owner: 'rob', name: 'Nordlicht Optik GmbH', madeAt: daysAgo(60), steps: [{ type: 'note-add', kind: 'email', at: at(2), text: 'Sent the price list', outcome: 'Hesitating: compares with a competitor' }] },
      { id: NEW_TODAY, owner: 'rob', name: '杭州云帆科技', madeAt: daysAgo(0) },
    ],
  ));
  server = await startServerProcess(dataDir);
  // A loan request and a proposal wait on the manager beside the credit approval.
  await api('bea', '/api/loans', { cardId: OTHER, until: now + 7 * 86_400_000, reason: 'Trade fair in Hannover' });
  await api('rob', '/api/proposals', { cardId: CARD, field: 'creditLimitApproved', value: 15_000, reason: 'Orders grew 40 % this year' });
  for (const user of ['rob', 'mona']) {
    const browser = await launchBrowser(newProfileDir());
    browsers.set(user, browser);
    await signIn(browser, server.url, tokens.get(user)!);
  }
}, 240_000);

afterAll(async () => {
  for (const browser of browsers.values()) await browser.close().catch(() => undefined);
  await server?.stop();
});

describe('credit approval through the manager’s inbox', () => {
  it('the rep submits an order over the limit; the manager approves it in her inbox; the rep is told', async () => {
    // The rep: the order form offers "Submit for approval" where the server would refuse "Add".
    const rob = await page('rob', `card.html?id=${CARD}`);
    await rob.getByTestId('card-page-name').waitFor({ timeout: 30_000 });
    await expect.poll(() => rob.getByTestId('ledger-receivables').textContent(), { timeout: 20_000 }).toMatch(/6,000/);
    await rob.getByTestId('ledger-amount').fill('3000');
    expect(await rob.getByTestId('ledger-add').getAttribute('data-needs-approval')).toBe('false');
    await rob.getByTestId('ledger-amount').fill('4500');
    await rob.getByTestId('credit-needs-approval').waitFor();
    expect(await rob.getByTestId('ledger-add').textContent()).toBe('Submit for approval');
    await rob.getByTestId('ledger-add').click();
    await rob.getByTestId('credit-approval-row').and(rob.locator('[data-status="pending"]')).waitFor({ timeout: 10_000 });
    expect(await rob.getByTestId('ledger-receivables').textContent()).toMatch(/6,000/);
    expect(await rob.getByTestId('ledger-pending').textContent()).toMatch(/4,500/);
    // The rep cannot decide his own order: no approve button on his card.
    expect(await rob.getByTestId('credit-approve').count()).toBe(0);
    // The waiting order does not use up the headroom: 1,200 more is still under the limit, 4,200 is not.
    await rob.getByTestId('ledger-amount').fill('1200');
    expect(await rob.getByTestId('ledger-add').getAttribute('data-needs-approval')).toBe('false');
    await rob.getByTestId('ledger-amount').fill('4200');
    await rob.getByTestId('credit-needs-approval').waitFor();
    await rob.getByTestId('section-ledger').screenshot({ path: shot('card-credit-approval-en') });
    await rob.getByTestId('ledger-amount').fill('');
    await waitUntil(async () => (await storedApprovals())[0]?.status === 'pending', 30_000, 'the pending order stored on the server');

    // The manager: one list and a badge for the credit approval, the loan request and the proposal.
    const mona = await page('mona', 'dashboard.html?tab=team#team', 1280);
    const inbox = mona.getByTestId('inbox');
    await expect.poll(() => inbox.getByTestId('inbox-item').count(), { timeout: 60_000 }).toBe(3);
    expect((await inbox.getByTestId('inbox-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))).sort()).toEqual(['credit', 'loan', 'proposal']);
    expect(await mona.getByTestId('nav-team').getByTestId('inbox-badge').textContent()).toBe('3');
    const credit = inbox.locator('[data-kind="credit"]');
    expect(await credit.textContent()).toMatch(/rob submitted an order of 4,500/);
    expect(await credit.textContent()).toMatch(/receivables would be 10,500 of 10,000 approved/);
    await inbox.screenshot({ path: shot('inbox-en') });
    const review = mona.getByTestId('daily-review');
    await review.getByTestId('review-rep').first().waitFor({ timeout: 20_000 });
    const robDay = review.locator('[data-rep="rob"]');
    expect(await robDay.getByTestId('review-contacts').textContent()).toBe('3');
    expect(await robDay.getByTestId('review-promised').textContent()).toBe('1');
    expect(await robDay.textContent()).toContain('Will order 500 units next week');
    expect(await robDay.getByTestId('review-new').textContent()).toBe('杭州云帆科技');
    await review.screenshot({ path: shot('daily-review-en') });

    // She approves it in the inbox: the item leaves, the order counts on the server and on the rep's card.
    await credit.getByTestId('credit-reason').fill('Long-standing customer, pays on time');
    await credit.getByTestId('credit-approve').click();
    await waitUntil(async () => (await storedApprovals())[0]?.status === 'approved', 30_000, 'the approval stored on the server');
    await expect.poll(() => inbox.getByTestId('inbox-item').count(), { timeout: 30_000 }).toBe(2);
    // A new loan request changes nothing on the manager's device: the open inbox asks for it, well before the worker's alarm.
    await api('bea', '/api/loans', { cardId: NEW_TODAY, until: Date.now() + 3 * 86_400_000, reason: 'Covering a visit' });
    await expect.poll(() => inbox.getByTestId('inbox-item').count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => rob.getByTestId('credit-approval-row').getAttribute('data-status'), { timeout: 30_000 }).toBe('approved');
    await expect.poll(() => rob.getByTestId('ledger-receivables').textContent(), { timeout: 10_000 }).toMatch(/10,500/);

    // The rep's side panel lists the decision.
    const panel = await page('rob', 'sidepanel.html', 420);
    await panel.getByTestId('inbox-toggle').click({ timeout: 60_000 });
    const decision = panel.getByTestId('decision').filter({ hasText: 'approved by mona' });
    await decision.waitFor({ timeout: 60_000 });
    expect(await decision.textContent()).toMatch(/Your order of 4,500 for 华信贸易有限公司 was approved by mona/);
    await panel.screenshot({ path: shot('decisions-panel-en') });
    // And a desktop notification, once.
    const notified = await waitFor(
      () => browsers.get('rob')!.worker.evaluate(() => chrome.notifications.getAll()) as Promise<Record<string, boolean>>,
      (all) => Object.keys(all).some((id) => id.startsWith('decision|')),
      30_000,
    );
    expect(Object.keys(notified).filter((id) => id.startsWith('decision|'))).toEqual([`decision|${CARD}|credit:${CARD}:${(await storedApprovals())[0]!.order.id}`]);

    // The rep submits another order; the same in Chinese.
    await rob.getByTestId('ledger-amount').fill('800');
    await rob.getByTestId('credit-needs-approval').waitFor();
    await rob.getByTestId('ledger-add').click();
    await waitUntil(async () => (await storedApprovals()).some((a) => a.status === 'pending'), 30_000, 'the second pending order stored');
    await expect.poll(() => inbox.getByTestId('inbox-item').count(), { timeout: 60_000 }).toBe(4);
    await setLanguage(browsers.get('mona')!, 'zh-CN');
    await mona.reload();
    await expect.poll(() => mona.getByTestId('inbox').getByTestId('inbox-item').count(), { timeout: 30_000 }).toBe(4);
    expect(await mona.getByTestId('inbox').locator('h2').textContent()).toContain('待您处理');
    await mona.getByTestId('inbox').screenshot({ path: shot('inbox-zh') });
    await mona.getByTestId('daily-review').getByTestId('review-rep').first().waitFor({ timeout: 20_000 });
    expect(await mona.getByTestId('daily-review').locator('h2').textContent()).toBe('每日回顾');
    await mona.getByTestId('daily-review').screenshot({ path: shot('daily-review-zh') });
    await setLanguage(browsers.get('rob')!, 'zh-CN');
    await panel.reload();
    await panel.getByTestId('inbox-toggle').click({ timeout: 30_000 });
    await panel.getByTestId('decision').first().waitFor({ timeout: 30_000 });
    expect(await panel.getByTestId('decision').first().textContent()).toMatch(/已由 mona 批准/);
    await panel.screenshot({ path: shot('decisions-panel-zh') });
  }, 300_000);
});
