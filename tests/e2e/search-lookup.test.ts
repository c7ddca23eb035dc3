/**
 * Whose customer is this, from the side panel's search, in real Chromium against the real
 * server: a rep searches a colleague's customer by its company domain, is told only the company,
 * the owner and the team, and asks to borrow it; the manager approves on the Team desk and the
 * card comes to the rep's device, where the same search now finds it. A name search asks the
 * server nothing. Screenshots in English and Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cid } from '../sync/helpers.ts';
import { SidePanel, waitFor } from './harness.ts';
import { startTeamServer, type TeamServer } from './team-server.ts';

const NORDLICHT = cid('e2e-search-nordlicht');
let team: TeamServer;

beforeAll(async () => {
  team = await startTeamServer(
    [['rob', 'rep'], ['rita', 'rep'], ['mona', 'manager']],
    [{ id: NORDLICHT, owner: 'rita', name: 'Nordlicht Optik GmbH', steps: [{ type: 'card-set-field', field: 'domains', value: ['nordlicht-optik.de'] }, { type: 'contact-add', name: 'Olivia Brandt', email: 'olivia.brandt@nordlicht-optik.de', role: 'purchasing' }] }],
    { withoutBrowser: ['rita'] },
  );
}, 180_000);

afterAll(() => team?.close());

describe('the colleague lookup from search', () => {
  it('a search for a colleague’s customer names the owner and offers Ask to borrow; approved, the card comes', async () => {
    const rob = team.browsers.get('rob')!;
    const panel = await SidePanel.open(rob);
    // A name is searched on this device only: no match, and a hint how to ask whose customer it is.
    await panel.search('Nordlicht Optik');
    await panel.page.getByTestId('search-empty').waitFor({ timeout: 20_000 });
    await panel.page.getByTestId('search-colleague-hint').waitFor({ timeout: 10_000 });
    expect(await panel.page.getByTestId('colleague-customer').count()).toBe(0);

    await panel.search('nordlicht-optik.de');
    const colleague = panel.page.getByTestId('colleague-customer');
    await colleague.waitFor({ timeout: 20_000 });
    expect(await colleague.textContent()).toContain('Nordlicht Optik GmbH');
    expect(await colleague.textContent()).toMatch(/rita.*north/);
    // Only the company, the owner and the team: none of the card's people.
    expect(await colleague.textContent()).not.toContain('Olivia');
    await panel.page.getByTestId('ask-to-borrow').click();
    await panel.page.getByTestId('borrow-reason').fill('Covering the visit to Olivia while Rita is away');
    await panel.screenshot('search-lookup-en');
    await panel.page.getByTestId('language-switch').selectOption('zh-CN');
    await waitFor(() => panel.page.getByTestId('search-empty').textContent(), (text) => !!text && /[\u4e00-\u9fff]/.test(text), 10_000);
    await panel.screenshot('search-lookup-zh');
    await panel.page.getByTestId('language-switch').selectOption('auto');
    await waitFor(() => panel.page.getByTestId('search-empty').textContent(), (text) => !!text?.startsWith('No customer'), 10_000);
    await panel.page.getByTestId('borrow-send').click();
    await panel.page.getByTestId('borrow-sent').waitFor({ timeout: 20_000 });

    const desk = await team.page('mona', 'dashboard.html#team');
    const row = desk.getByTestId('loan-row').filter({ hasText: 'Nordlicht Optik GmbH' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain('rob');
    await row.getByTestId('loan-reason').fill('Approved for the visit');
    await row.getByTestId('loan-approve').click();
    await desk.getByTestId('loan-row').filter({ hasText: 'Nordlicht Optik GmbH' }).and(desk.locator('[data-status="active"]')).waitFor({ timeout: 10_000 });

    // The borrowed card arrives: a search now finds it on the device.
    await panel.search('');
    await panel.search('Nordlicht');
    await panel.page.getByTestId('search-results').getByText('Nordlicht Optik GmbH').waitFor({ timeout: 30_000 });
  });
});
