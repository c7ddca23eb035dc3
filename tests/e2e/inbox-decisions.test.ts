/**
 * Deciding in the manager's inbox, in real Chromium with the built extension against the real
 * server: a proposed change and a loan request wait beside each other; the manager approves the
 * proposal and declines the loan right in the inbox (the Team page's own forms and API calls),
 * each item leaves the list, the server applies the proposal and declines the loan, and the
 * decisions reach the requesters as from the Team page (the rep's side panel lists his). The
 * Team page's tables of proposals and loans below the inbox follow each decision made in the
 * inbox without a reload, and a request decided in a table leaves the inbox at once. The inbox
 * with its inline decisions is photographed in Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCardState } from '../../shared/card-read.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { cid, startServerProcess, waitUntil, type ServerProcess } from '../sync/helpers.ts';
import { callApi, launchBrowser, newProfileDir, openPage, screenshotPath, seedTeam, setLanguage, signIn, type Browser } from './harness.ts';

const CARD = cid('e2e-inbox-decisions');
const OTHER = cid('e2e-inbox-decisions-other');
const DAY = 86_400_000;
let server: ServerProcess;
let dataDir: string;
let tokens: Map<string, string>;
const browsers = new Map<string, Browser>();
const api = (user: string, method: 'GET' | 'POST', path: string, body?: unknown) => callApi(server.url, tokens.get(user)!, method, path, body);

beforeAll(async () => {
  ({ dataDir, tokens } = await seedTeam(
    [
      ['rob', 'rep', 'north'],
      ['mona', 'manager', 'north'],
      ['bea', 'rep', 'south'],
    ],
    [
      { id: CARD, owner: 'rob', name: '华信贸易有限公司', steps: [{ actor: 'mona', step: { type: 'card-set-field', field: 'creditLimitApproved', value: 10_000, reason: '季度评审' } }] },
      { id: OTHER, owner: 'rob', name: '杭州云帆科技' },
    ],
  ));
  server = await startServerProcess(dataDir);
  expect((await api('rob', 'POST', '/api/proposals', { cardId: CARD, field: 'creditLimitApproved', value: 15_000, reason: '今年订单增长 40%' })).status).toBe(201);
  expect((await api('bea', 'POST', '/api/loans', { cardId: OTHER, until: Date.now() + 7 * DAY, reason: '参加广交会' })).status).toBe(201);
  for (const user of ['mona', 'rob']) {
    const browser = await launchBrowser(newProfileDir());
    browsers.set(user, browser);
    await signIn(browser, server.url, tokens.get(user)!);
  }
}, 240_000);

afterAll(async () => {
  for (const browser of browsers.values()) await browser.close().catch(() => undefined);
  await server?.stop();
});

async function storedLimit(): Promise<unknown> {
  const storage = openSqliteStorage(dataDir);
  try {
    return readCardState((await storage.getCard(CARD))!.state, CARD).fields.creditLimitApproved;
  } finally {
    await storage.close();
  }
}

describe('deciding proposals and loans in the manager’s inbox', () => {
  it('approves a proposal and declines a loan inline; the items leave, the server applies them, the requesters are told', async () => {
    const mona = browsers.get('mona')!;
    await setLanguage(mona, 'zh-CN');
    const desk = await openPage(mona, 'dashboard.html?tab=team#team');
    const inbox = desk.getByTestId('inbox');
    await expect.poll(() => inbox.getByTestId('inbox-item').count(), { timeout: 60_000 }).toBe(2);
    const proposal = inbox.locator('[data-kind="proposal"]');
    const loan = inbox.locator('[data-kind="loan"]');
    // Each decided right here, with the Team page's own forms: no detour to the Team page.
    await proposal.getByTestId('proposal-approve').waitFor({ timeout: 30_000 });
    await loan.getByTestId('loan-approve').waitFor();
    expect(await inbox.getByTestId('inbox-decide-on-team').count()).toBe(0);
    expect(await loan.getByTestId('loan-until').count()).toBe(1);
    expect(await loan.getByTestId('loan-write').count()).toBe(1);
    // A decision needs a reason, as on the Team page.
    expect(await proposal.getByTestId('proposal-approve').isDisabled()).toBe(true);
    expect(await loan.getByTestId('loan-decline').isDisabled()).toBe(true);
    expect(await proposal.textContent()).toContain('rob 提议');
    expect(await loan.textContent()).toContain('bea 申请借阅');
    await proposal.getByTestId('proposal-reason').fill('回款及时，同意上调');
    await loan.getByTestId('loan-reason').fill('广交会由 rob 本人跟进');
    await inbox.screenshot({ path: screenshotPath('inbox-inline-decisions-zh') });
    // The side panel's compact inbox offers the same decisions.
    const monaPanel = await openPage(mona, 'sidepanel.html', 420);
    await monaPanel.getByTestId('inbox-toggle').click({ timeout: 60_000 });
    const compact = monaPanel.getByTestId('inbox');
    await compact.locator('[data-kind="loan"]').getByTestId('loan-approve').waitFor({ timeout: 30_000 });
    expect(await compact.locator('[data-kind="proposal"]').getByTestId('proposal-approve').count()).toBe(1);
    await compact.screenshot({ path: screenshotPath('inbox-panel-inline-decisions-zh') });
    await monaPanel.close();
    expect(await inbox.textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // no card ids shown

    // The Team page's tables below list the same two requests, still waiting.
    const proposalRow = desk.getByTestId('team-proposals').getByTestId('proposal-row');
    const loanRows = desk.getByTestId('team-loans').getByTestId('loan-row');
    await expect.poll(() => proposalRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('open');
    await expect.poll(() => loanRows.first().getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');

    await proposal.getByTestId('proposal-approve').click();
    await expect.poll(() => inbox.locator('[data-kind="proposal"]').count(), { timeout: 15_000 }).toBe(0);
    await waitUntil(async () => (await storedLimit()) === 15_000, 30_000, 'the approved proposal applied on the server');
    // The table follows the inbox's decision without a reload: no Approve button left there.
    await expect.poll(() => proposalRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('approved');
    expect(await proposalRow.getByTestId('proposal-approve').count()).toBe(0);
    await loan.getByTestId('loan-decline').click();
    await expect.poll(() => inbox.getByTestId('inbox-item').count(), { timeout: 15_000 }).toBe(0);
    await inbox.getByTestId('inbox-empty').waitFor();
    await expect.poll(() => loanRows.first().getAttribute('data-status'), { timeout: 15_000 }).toBe('declined');

    // The other way round: a new request, told by the server, reaches the inbox and the table;
    // decided in the table, it leaves the inbox at once (no reload).
    expect((await api('bea', 'POST', '/api/loans', { cardId: CARD, until: Date.now() + 3 * DAY, reason: '客户来访' })).status).toBe(201);
    await expect.poll(() => inbox.getByTestId('inbox-item').count(), { timeout: 30_000 }).toBe(1);
    const waiting = desk.getByTestId('team-loans').locator('[data-testid="loan-row"][data-status="requested"]');
    await waiting.waitFor({ timeout: 15_000 });
    await waiting.getByTestId('loan-reason').fill('rob 出差，bea 代为接待');
    await waiting.getByTestId('loan-approve').click();
    await expect.poll(() => inbox.getByTestId('inbox-item').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => desk.getByTestId('team-loans').locator('[data-testid="loan-row"][data-status="active"]').count(), { timeout: 15_000 }).toBe(1);

    // The server holds both decisions, with the manager's name and reasons.
    const proposals = (await api('rob', 'GET', '/api/proposals')).body.proposals as { status: string; decider: string; decisionReason: string }[];
    expect(proposals).toMatchObject([{ status: 'approved', decider: 'mona', decisionReason: '回款及时，同意上调' }]);
    const loans = (await api('bea', 'GET', '/api/loans')).body.loans as { cardId: string; status: string; approver: string; decisionReason: string }[];
    expect(loans.find((one) => one.cardId === OTHER)).toMatchObject({ status: 'declined', approver: 'mona', decisionReason: '广交会由 rob 本人跟进' });
    expect(loans.find((one) => one.cardId === CARD)).toMatchObject({ status: 'active', approver: 'mona', decisionReason: 'rob 出差，bea 代为接待' });
    // The inbox stays empty once the worker gathers it again.
    await desk.reload();
    await desk.getByTestId('inbox').getByTestId('inbox-empty').waitFor({ timeout: 30_000 });

    // The rep hears of his proposal's decision as from the Team page: his side panel lists it.
    const panel = await openPage(browsers.get('rob')!, 'sidepanel.html', 420);
    await panel.getByTestId('inbox-toggle').click({ timeout: 60_000 });
    const decision = panel.getByTestId('decision').and(panel.locator('[data-kind="proposal"]'));
    await decision.waitFor({ timeout: 60_000 });
    expect(await decision.textContent()).toMatch(/Your proposed change to 华信贸易有限公司 was approved by mona/);
  }, 240_000);
});
