/**
 * A correction, never an edit, in real Chromium against the real server: a rep records a
 * payment on the card page; the team's manager, on another profile, corrects its amount with a
 * reason; both profiles then show the old amount struck through with the rep's name and "corrected
 * by" the manager, and the new amount with the manager's name, and count the new one.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cid } from '../sync/helpers.ts';
import { waitFor } from './harness.ts';
import { startTeamServer, type TeamServer } from './team-server.ts';

const CARD = cid('e2e-correction');
let team: TeamServer;

beforeAll(async () => {
  team = await startTeamServer(
    [
      ['rob', 'rep'],
      ['mona', 'manager'],
    ],
    [{ id: CARD, owner: 'rob', name: 'Keller Feinmechanik GmbH' }],
  );
}, 180_000);

afterAll(async () => {
  await team?.close();
});

async function cardPage(user: string): Promise<Page> {
  const page = await team.page(user, `card.html?id=${CARD}`);
  // The card may still be on its way from the server: reload until it is here.
  await waitFor(
    async () => {
      if (await page.getByTestId('card-page-name').isVisible()) return true;
      await page.reload();
      await page.waitForTimeout(500);
      return page.getByTestId('card-page-name').isVisible();
    },
    (here) => here,
    30_000,
  );
  return page;
}

describe('a payment corrected by the manager', () => {
  it('shows the old and the new amount with both names on both profiles', async () => {
    const rob = await cardPage('rob');
    await rob.getByTestId('ledger-amount').fill('5000');
    await rob.getByTestId('ledger-add').click();
    await rob.getByTestId('ledger-row').filter({ hasText: '5,000' }).waitFor();
    await rob.getByTestId('ledger-kind').selectOption('payment');
    await rob.getByTestId('ledger-amount').fill('1200');
    await rob.getByTestId('ledger-add').click();
    await rob.getByTestId('ledger-row').filter({ hasText: '1,200' }).waitFor();
    expect(await rob.getByTestId('ledger-row').filter({ hasText: '1,200' }).getByTestId('ledger-by').textContent()).toContain('rob');

    const mona = await cardPage('mona');
    const row = mona.getByTestId('ledger-row').filter({ hasText: '1,200' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByTestId('ledger-correct').click();
    await mona.getByTestId('correct-amount').fill('2100');
    await mona.getByTestId('correct-save').click();
    // A correction without a reason is refused and nothing is written.
    await mona.getByTestId('ledger-correct-form').getByRole('alert').waitFor();
    await mona.getByTestId('correct-reason').fill('Bank statement shows 2,100');
    await mona.getByTestId('correct-save').click();

    for (const page of [mona, rob]) {
      const old = page.getByTestId('ledger-superseded');
      await old.waitFor({ timeout: 30_000 });
      expect(await old.getByTestId('ledger-amount-cell').locator('s').textContent()).toBe('1,200');
      expect(await old.getByTestId('ledger-by').textContent()).toContain('rob');
      expect(await page.getByTestId('ledger-corrected-by').textContent()).toMatch(/corrected by mona on .+: Bank statement shows 2,100/);
      const current = page.getByTestId('ledger-row').filter({ hasText: /Payment/ });
      expect(await current.count()).toBe(1);
      expect(await current.getByTestId('ledger-amount-cell').textContent()).toBe('2,100');
      expect(await current.getByTestId('ledger-by').textContent()).toContain('mona');
      // Receivables count the corrected payment: 5,000 - 2,100.
      await waitFor(() => page.getByTestId('ledger-receivables').textContent(), (text) => text === '2,900');
    }
    await rob.getByTestId('section-ledger').screenshot({ path: 'tests/e2e/screenshots/ledger-correction.png' });
  });
});
