/**
 * The customer pool and the company rules in real Chromium with the built extension, against the
 * real server: an admin's rules turn the pool on (the CLI), the server's sweep (on a clock the
 * test moves) first warns the owner — his pool tab says when the customer returns — then returns
 * the customer; a colleague claims it on the dashboard and the card arrives on her device; the
 * admin changes a rule on the Company rules tab. Screenshots in English and Chinese.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cid } from '../sync/helpers.ts';
import { storedCardCount, waitFor } from './harness.ts';
import { startTeamServer, type TeamServer } from './team-server.ts';

const OLD = cid('e2e-pool-old');
const DAY = 86_400_000;
let team: TeamServer;

function admin(...args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', '--data', team.dataDir, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`admin ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(process.cwd(), 'tests', 'e2e', 'screenshots', `${name}.png`), fullPage: true });

async function inChinese(page: Page, name: string): Promise<void> {
  await page.getByTestId('language-switch').selectOption('zh-CN');
  await shot(page, `${name}-zh`);
  await page.getByTestId('language-switch').selectOption('en');
}

describe('the customer pool on the dashboard', () => {
  beforeAll(async () => {
    team = await startTeamServer(
      [
        ['rob', 'rep'],
        ['rita', 'rep'],
        ['gm', 'admin'],
      ],
      [{ id: OLD, owner: 'rob', name: '华信贸易 Huaxin Trading' }],
    );
    admin('policy', 'set', 'pool.enabled', 'true');
  }, 180_000);
  afterAll(() => team?.close());

  it('warns the owner, returns the customer, and a colleague claims it from the pool', async () => {
    // 40 days on: the card (made today, never contacted) is past class C's 30 days; its owner is warned first.
    expect(admin('pool', 'sweep', '--at', new Date(Date.now() + 40 * DAY).toISOString())).toMatch(/1 owner warning/);
    const robs = await team.page('rob', 'dashboard.html?tab=pool');
    await robs.getByTestId('pool-mine').waitFor();
    expect(await robs.getByTestId('pool-mine').textContent()).toMatch(/Huaxin Trading — Returns to the pool on/);
    await shot(robs, 'pool-owner-warning');
    await inChinese(robs, 'pool-owner-warning');
    expect(await storedCardCount(robs)).toBe(1);

    expect(admin('pool', 'sweep', '--at', new Date(Date.now() + 50 * DAY).toISOString())).toMatch(/1 customer\(s\) returned/);
    await waitFor(() => storedCardCount(robs), (count) => count === 0, 15_000);

    const ritas = await team.page('rita', 'dashboard.html?tab=pool');
    await ritas.getByTestId('pool-line').waitFor();
    const line = await ritas.getByTestId('pool-line').textContent();
    expect(line).toContain('华信贸易 Huaxin Trading');
    expect(line).toContain('No contact for too long');
    expect(line).toContain('rob');
    await shot(ritas, 'pool-list');
    await inChinese(ritas, 'pool-list');
    expect(await storedCardCount(ritas)).toBe(0);
    await ritas.getByTestId('pool-claim').click();
    await ritas.getByTestId('pool-notice').waitFor();
    await waitFor(() => storedCardCount(ritas), (count) => count === 1, 15_000);
    expect(await ritas.getByTestId('pool-line').count()).toBe(0);
  }, 180_000);

  it('an admin changes a rule on the Company rules tab; a rep reads the rules', async () => {
    const gms = await team.page('gm', 'dashboard.html?tab=rules');
    await gms.getByTestId('policy-stage.dormantDays').waitFor();
    await gms.getByTestId('policy-stage.dormantDays').fill('150');
    await gms.getByTestId('policy-save').click();
    await gms.getByTestId('policy-notice').waitFor();
    expect(await gms.getByTestId('policy-notice').textContent()).toMatch(/Saved as version \d+/);
    await gms.getByTestId('policy-stage.lostDays').fill('100');
    await gms.getByTestId('policy-save').click();
    await gms.getByTestId('policy-error').waitFor();
    // Told by the rules' labels, never their keys (extension/ui/team/policy-refusal.ts).
    expect(await gms.getByTestId('policy-error').textContent()).toBe('“Lost after … days without an order” must be more than “Dormant after … days without an order”.');
    await gms.getByTestId('policy-stage.lostDays').fill('365');
    await shot(gms, 'policy-admin');
    await inChinese(gms, 'policy-admin');
    const robs = await team.page('rob', 'dashboard.html?tab=rules');
    await robs.getByTestId('policy-version').waitFor();
    expect(await robs.getByTestId('policy-page').textContent()).toContain('Only an admin changes them');
    expect(await robs.getByTestId('policy-stage.dormantDays').count()).toBe(0);
    // The rep's settings show the company's value read-only.
    const settings = await team.page('rob', 'settings.html');
    await waitFor(() => settings.getByTestId('company-dormant-days').textContent().catch(() => ''), (text) => text === '150', 15_000);
    expect(await settings.getByTestId('set-by-company').textContent()).toMatch(/Set by your company/);
    await settings.getByTestId('settings-classification').screenshot({ path: join(process.cwd(), 'tests', 'e2e', 'screenshots', 'settings-set-by-company.png') });
  }, 180_000);
});
