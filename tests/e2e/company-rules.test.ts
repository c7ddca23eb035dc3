/**
 * The company rules in real Chromium with the built extension against the real server:
 * - a field the company lists in `reasonFields`: the rep's card page asks for a reason, refuses to
 *   save without one (on the device, before anything is sent), and the server stores the change
 *   with the reason;
 * - Lock against the customer pool on the card page: the admin locks and unlocks, the page says
 *   "locked by … on …" in Chinese; the rep sees the state and no button;
 * - the Company rules page tells the server's refusals in Chinese and English naming the rule by
 *   its label, never by its key;
 * - a tag or a planned visit given to many customers from the register asks once for the reason
 *   those fields need, and offers neither change without it.
 * Screenshots in Chinese (tests/e2e/screenshots).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCardState } from '../../shared/card-read.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { cid, startServerProcess, waitUntil, type ServerProcess } from '../sync/helpers.ts';
import { callApi, launchBrowser, newProfileDir, openPage, screenshotPath, seedTeam, setLanguage, signIn, waitFor, type Browser } from './harness.ts';

const CARD = cid('e2e-company-rules');
let server: ServerProcess;
let dataDir: string;
let tokens: Map<string, string>;
const browsers = new Map<string, Browser>();

async function stored() {
  const storage = openSqliteStorage(dataDir);
  try {
    return { card: readCardState((await storage.getCard(CARD))!.state, CARD), locks: await storage.poolLocks() };
  } finally {
    await storage.close();
  }
}

beforeAll(async () => {
  ({ dataDir, tokens } = await seedTeam(
    [
      ['rob', 'rep', 'north'],
      ['mona', 'manager', 'north'],
      ['gm', 'admin', null],
    ],
    [{ id: CARD, owner: 'rob', name: '华信贸易有限公司', steps: [{ type: 'card-set-field', field: 'city', value: '杭州' }] }],
  ));
  server = await startServerProcess(dataDir);
  for (const user of ['rob', 'gm']) {
    const browser = await launchBrowser(newProfileDir());
    browsers.set(user, browser);
    await signIn(browser, server.url, tokens.get(user)!);
  }
}, 240_000);

afterAll(async () => {
  for (const browser of browsers.values()) await browser.close().catch(() => undefined);
  await server?.stop();
});

/** The policy the profile's device holds (the worker fetches it when the server tells a new version). */
const heldReasonFields = (user: string) =>
  browsers.get(user)!.worker.evaluate(`(async () => (await globalThis.customerCards.store.getSetting('companyPolicy'))?.policy?.reasonFields ?? [])()`) as Promise<string[]>;

describe('the company rules, on the pages that apply them', () => {
  it('asks the rep for a reason on a field the company lists, and the server stores it with the reason', async () => {
    const set = await callApi(server.url, tokens.get('gm')!, 'POST', '/api/policy', { values: { reasonFields: 'phone' } });
    expect(set.status).toBe(200);
    await waitFor(() => heldReasonFields('rob'), (fields) => fields.includes('phone'), 30_000);

    const rob = await openPage(browsers.get('rob')!, `card.html?id=${CARD}`);
    await rob.getByTestId('card-page-name').waitFor({ timeout: 30_000 });
    // A field the policy does not list: the reason is optional.
    await rob.getByTestId('edit-city').click();
    expect(await rob.getByTestId('reason-city').getAttribute('placeholder')).toBe('Reason (optional)');
    await rob.getByRole('button', { name: 'Cancel' }).click();
    // The listed one asks for it, and will not save without it.
    await rob.getByTestId('edit-phone').click();
    expect(await rob.getByTestId('reason-phone').getAttribute('placeholder')).toBe('Reason for this change (required)');
    await rob.getByTestId('input-phone').fill('0571-8888 1234');
    await rob.getByTestId('save-phone').click();
    await rob.getByTestId('field-phone').getByRole('alert').waitFor();
    expect(await rob.getByTestId('field-phone').getByRole('alert').textContent()).toBe('This change needs a reason.');
    await rob.getByTestId('reason-phone').fill('The customer moved to a new office');
    await rob.getByTestId('save-phone').click();
    await expect.poll(() => rob.getByTestId('edit-phone').textContent(), { timeout: 10_000 }).toBe('0571-8888 1234');
    // Accepted by the server, with the reason in the card's history.
    await waitUntil(async () => (await stored()).card.fields.phone === '0571-8888 1234', 30_000, 'the phone stored on the server');
    const records = (await stored()).card.history.filter((record) => record.target === 'phone');
    expect(records.map((record) => [record.by, record.reason])).toEqual([['rob', 'The customer moved to a new office']]);
    await rob.close();
  }, 120_000);

  it('locks a customer against the pool from the card page, and says who locked it and when, in Chinese', async () => {
    const gm = browsers.get('gm')!;
    await setLanguage(gm, 'zh-CN');
    const page = await openPage(gm, `card.html?id=${CARD}`);
    await page.getByTestId('card-page-name').waitFor({ timeout: 30_000 });
    const line = page.getByTestId('pool-lock');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.getAttribute('data-locked')).toBe('no');
    expect(await page.getByTestId('pool-lock-state').textContent()).toBe('未锁定：按公司规则可能退回公海');
    await page.getByTestId('pool-lock-button').click();
    await expect.poll(() => line.getAttribute('data-locked'), { timeout: 10_000 }).toBe('yes');
    await waitUntil(async () => (await stored()).locks.get(CARD)?.by === 'gm', 10_000, 'the lock stored on the server');
    // What the server tells after a reload, not only what the page remembers.
    await page.reload();
    await expect.poll(() => page.getByTestId('pool-lock-state').textContent(), { timeout: 30_000 }).toMatch(/^已由 gm 于 .+ 锁定：不会退回公海$/);
    expect(await page.getByTestId('pool-unlock').textContent()).toBe('解除锁定');
    await page.locator('.card-page-header').screenshot({ path: screenshotPath('pool-lock-zh') });

    // The rep sees the lock, and no button: only his team's manager or an admin may lock.
    const rob = await openPage(browsers.get('rob')!, `card.html?id=${CARD}`);
    await expect.poll(() => rob.getByTestId('pool-lock-state').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/^Locked by gm on .+: never returns to the pool$/);
    expect(await rob.getByTestId('pool-lock-button').count()).toBe(0);
    expect(await rob.getByTestId('pool-unlock').count()).toBe(0);
    await rob.close();

    await page.getByTestId('pool-unlock').click();
    await expect.poll(() => line.getAttribute('data-locked'), { timeout: 10_000 }).toBe('no');
    await waitUntil(async () => !(await stored()).locks.has(CARD), 10_000, 'the lock removed on the server');
    await page.close();
  }, 120_000);

  it('tells the server’s refusals of the company rules in Chinese and English, by the rule’s label', async () => {
    const gm = browsers.get('gm')!;
    await setLanguage(gm, 'zh-CN');
    const page: Page = await openPage(gm, 'dashboard.html?tab=rules');
    await page.getByTestId('policy-page').waitFor({ timeout: 30_000 });
    await page.getByTestId('policy-loans.maxDays').waitFor({ timeout: 30_000 });
    // A value out of range: the server refuses; the page names the rule by its Chinese label.
    await page.getByTestId('policy-loans.maxDays').fill('999');
    await page.getByTestId('policy-save').click();
    await expect.poll(() => page.getByTestId('policy-error').textContent().catch(() => ''), { timeout: 15_000 }).toBe('“最长借阅天数”须为 1 到 366 之间的整数。');
    // A rule across two keys: both named by their labels.
    await page.getByTestId('policy-loans.maxDays').fill('30');
    await page.getByTestId('policy-stage.lostDays').fill('100');
    await page.getByTestId('policy-save').click();
    await expect.poll(() => page.getByTestId('policy-error').textContent().catch(() => ''), { timeout: 15_000 }).toBe('“超过几天没有订单视为流失”须大于“超过几天没有订单视为休眠”。');
    const shown = (await page.getByTestId('policy-error').textContent()) ?? '';
    expect(shown).not.toMatch(/stage\.|loans\.|lostDays|dormantDays/);
    await page.getByTestId('policy-page').screenshot({ path: screenshotPath('policy-refusal-zh') });
    // The same in English.
    await setLanguage(gm, 'en');
    await page.reload();
    await page.getByTestId('policy-stage.lostDays').waitFor({ timeout: 30_000 });
    await page.getByTestId('policy-stage.lostDays').fill('100');
    await page.getByTestId('policy-save').click();
    await expect.poll(() => page.getByTestId('policy-error').textContent().catch(() => ''), { timeout: 15_000 }).toBe('“Lost after … days without an order” must be more than “Dormant after … days without an order”.');
    // Nothing was stored by the refused saves: the one version is the reason fields'.
    expect((await callApi(server.url, tokens.get('gm')!, 'GET', '/api/policy')).body.version).toBe(1);
    await page.close();
  }, 120_000);

  it('asks once for the reason of a tag or a planned visit given to many customers when the rules list those fields, and stores it with each', async () => {
    const set = await callApi(server.url, tokens.get('gm')!, 'POST', '/api/policy', { values: { reasonFields: 'phone,tags,plannedVisit' } });
    expect(set.status).toBe(200);
    await waitFor(() => heldReasonFields('rob'), (fields) => fields.includes('tags') && fields.includes('plannedVisit'), 30_000);
    const rob = await openPage(browsers.get('rob')!, 'dashboard.html?tab=register');
    const rows = rob.getByTestId('register-row');
    await waitFor(() => rows.allTextContents(), (texts) => texts.some((text) => text.includes('华信贸易有限公司')), 30_000);
    await rows.filter({ hasText: '华信贸易有限公司' }).locator('input[type=checkbox]').check();
    await rob.getByTestId('tag-input').fill('展会');
    // No reason yet: neither change is offered (the server would refuse it).
    expect(await rob.getByTestId('selection-reason').getAttribute('placeholder')).toBe('Reason for this change (required)');
    expect(await rob.getByTestId('tag-add').isDisabled()).toBe(true);
    expect(await rob.getByTestId('visit-plan').isDisabled()).toBe(true);
    await rob.getByTestId('selection-reason').fill('Met them at the Canton Fair');
    await rob.getByTestId('tag-add').click();
    await waitFor(() => rob.getByTestId('tag-message').textContent().catch(() => ''), (text) => /Tagged 1 cards/.test(text ?? ''), 10_000);
    await rob.getByTestId('visit-plan').click();
    await waitFor(() => rob.getByTestId('tag-message').textContent().catch(() => ''), (text) => /1 visit\(s\) planned/.test(text ?? ''), 10_000);
    await rob.locator('.selection-actions').screenshot({ path: screenshotPath('bulk-reason-en') });
    // Accepted by the server, each with the reason in the card's history.
    await waitUntil(async () => {
      const { card } = await stored();
      return Array.isArray(card.fields.tags) && card.fields.tags.includes('展会') && typeof card.fields.plannedVisit === 'string';
    }, 30_000, 'the tag and the visit stored on the server');
    const records = (await stored()).card.history.filter((record) => record.target === 'tags' || record.target === 'plannedVisit');
    expect(records.map((record) => [record.target, record.by, record.reason])).toEqual([
      ['tags', 'rob', 'Met them at the Canton Fair'],
      ['plannedVisit', 'rob', 'Met them at the Canton Fair'],
    ]);
    await rob.close();
  }, 120_000);

  it('lets the admin tick the fields that need a reason on the rules page; the controlled ones stay ticked', async () => {
    const gm = browsers.get('gm')!;
    await setLanguage(gm, 'en');
    const page = await openPage(gm, 'dashboard.html?tab=rules');
    const editor = page.getByTestId('policy-reasonFields');
    await editor.waitFor({ timeout: 30_000 });
    await editor.locator('summary').click();
    // The rules as the previous test left them: phone, tags and the planned visit, besides the controlled ones.
    expect(await editor.getByTestId('reason-field-phone').isChecked()).toBe(true);
    expect(await editor.getByTestId('reason-field-plannedVisit').isChecked()).toBe(true);
    expect(await editor.getByTestId('reason-field-fax').isChecked()).toBe(false);
    // A controlled field always needs a reason: ticked, and not to be unticked; the owner is not offered.
    expect(await editor.getByTestId('reason-field-creditRating').isChecked()).toBe(true);
    expect(await editor.getByTestId('reason-field-creditRating').isDisabled()).toBe(true);
    expect(await editor.getByTestId('reason-field-owner').count()).toBe(0);
    await editor.getByTestId('reason-field-plannedVisit').uncheck();
    await editor.getByTestId('reason-field-fax').check();
    await page.getByTestId('policy-reasonFields').screenshot({ path: screenshotPath('policy-reason-fields-en') });
    await page.getByTestId('policy-save').click();
    await page.getByTestId('policy-notice').waitFor({ timeout: 15_000 });
    // Stored by the server as a new version, and the rep's device follows it.
    const reasonFields = (await callApi(server.url, tokens.get('gm')!, 'GET', '/api/policy')).body.policy.reasonFields as string[];
    expect(reasonFields).toEqual(expect.arrayContaining(['creditRating', 'phone', 'fax', 'tags']));
    expect(reasonFields).not.toContain('plannedVisit');
    await waitFor(() => heldReasonFields('rob'), (fields) => fields.includes('fax') && !fields.includes('plannedVisit'), 30_000);
    // The same editor in Chinese.
    await setLanguage(gm, 'zh-CN');
    await page.reload();
    await page.getByTestId('policy-reasonFields').locator('summary').click({ timeout: 30_000 });
    expect(await page.getByTestId('policy-reasonFields').textContent()).toContain('传真');
    await page.getByTestId('policy-reasonFields').screenshot({ path: screenshotPath('policy-reason-fields-zh') });
    await page.close();
  }, 120_000);
});
