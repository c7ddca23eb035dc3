/**
 * Every role through every editing surface, in real Chromium with the built extension against
 * one real server: a rep on her own card, a read-only borrower, a write borrower and a manager on
 * a team card, each in a profile of their own, drive each row of role-surfaces.ts (side panel,
 * card page, capture, import, visit plan). After each role the server's audit holds no refusal
 * of that user, the device keeps no refused change and its outbox is empty; the read-only
 * borrower is offered no editor anywhere and told "on loan, read-only until …".
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardStep } from '../../shared/mutations-types.ts';
import { cid, openStorage, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { callApiOk, launchBrowser, newProfileDir, openPage, seedTeam, signInOn, waitFor, type SeedCard } from './harness.ts';
import { panelOn, SURFACES, type Role, type SurfaceContext } from './role-surfaces.ts';

const DAY = 86_400_000;
const USERS = [
  ['rob', 'rep'],
  ['lin', 'rep'],
  ['rita', 'rep'],
  ['otto', 'rep'],
  ['wes', 'rep'],
  ['mona', 'manager'],
] as const;

const ROLES: Role[] = [
  { title: 'a rep on her own card', user: 'rob', cardId: cid('roles-own'), cardName: 'Roles Own Trading', write: true, controlled: false },
  { title: 'a read-only borrower', user: 'otto', cardId: cid('roles-read-loan'), cardName: 'Roles Read Loan Ltd', write: false, controlled: false },
  { title: 'a write borrower', user: 'wes', cardId: cid('roles-write-loan'), cardName: 'Roles Write Loan Ltd', write: true, controlled: false },
  { title: 'a manager on a team card', user: 'mona', cardId: cid('roles-team'), cardName: 'Roles Team Card GmbH', write: true, controlled: true },
];
const OWNERS: Record<string, string> = { rob: 'rob', otto: 'rita', wes: 'rita', mona: 'lin' };

/** What every card holds before the test: changed fields (to restore), a person, a note, an order. */
function seedSteps(now: number): CardStep[] {
  return [
    { type: 'card-set-field', field: 'industry', value: 'Hardware' },
    { type: 'card-set-field', field: 'industry', value: 'Hardware and tools' },
    { type: 'card-set-field', field: 'creditLimitApproved', value: 50_000, reason: 'seed' },
    { type: 'card-set-field', field: 'creditLimitApproved', value: 70_000, reason: 'seed review' },
    { type: 'contact-add', name: 'Olivia Brandt', email: 'olivia@roles.example' },
    { type: 'note-add', kind: 'visit', text: 'First visit at the warehouse', at: now - 20 * DAY, followUp: now - 2 * DAY },
    { type: 'ledger-add', kind: 'order', date: now - 20 * DAY, amount: 5_000 },
  ];
}

/**
 * The role's card as the server holds it, written by its owner; the follow-up is the role's own
 * (a due list holds only what its user promised on others' cards: shared/reminders/responsible.ts).
 */
function roleCard(role: Role): SeedCard {
  const owner = OWNERS[role.user]!;
  const steps = seedSteps(Date.now()).map((step) => ({ actor: step.type === 'note-add' && step.followUp !== undefined ? role.user : owner, step }));
  return { id: role.cardId, owner, name: role.cardName, steps };
}

let server: ServerProcess;
let dataDir: string;
let tokens: Map<string, string>;

const api = <T>(user: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => callApiOk<T>(server.url, tokens.get(user)!, method, path, body);

/** A loan asked by the borrower and approved by the team's manager. */
async function lend(cardId: string, borrower: string, write: boolean): Promise<void> {
  const { loan } = await api<{ loan: { id: number } }>(borrower, 'POST', '/api/loans', { cardId, until: Date.now() + 14 * DAY, reason: 'covering the visits' });
  await api('mona', 'POST', `/api/loans/${loan.id}/decision`, { approve: true, write, reason: 'agreed' });
}

/** What the server's audit says it refused of `user`'s changes. */
async function refusalsOf(user: string): Promise<string[]> {
  const storage = await openStorage(dataDir);
  try {
    return (await storage.auditOf({ user, limit: 100_000 })).filter((event) => event.action === 'refuse').map((event) => `${event.cardId}: ${event.detail}`);
  } finally {
    await storage.close();
  }
}

/** How many changes the device keeps as refused, and how many wait in its outbox. */
function deviceQueues(page: Page): Promise<{ refused: number; pending: number }> {
  return page.evaluate(
    () =>
      new Promise<{ refused: number; pending: number }>((resolve, reject) => {
        const open = indexedDB.open('customer-cards');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['refused', 'pending'], 'readonly');
          const refused = tx.objectStore('refused').count();
          const pending = tx.objectStore('pending').count();
          tx.oncomplete = () => {
            open.result.close();
            resolve({ refused: refused.result, pending: pending.result });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

beforeAll(async () => {
  ({ dataDir, tokens } = await seedTeam(
    USERS.map(([name, role]) => [name, role, 'north']),
    ROLES.map(roleCard),
  ));
  server = await startServerProcess(dataDir);
  await lend(ROLES[1]!.cardId, 'otto', false);
  await lend(ROLES[2]!.cardId, 'wes', true);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('every role through every editing surface: nothing shown as saved that the server refuses', () => {
  it.each(ROLES)('$title ($user)', async (role) => {
    const browser = await launchBrowser(newProfileDir());
    try {
      const settings = await openPage(browser, 'settings.html', 1200, 800);
      await signInOn(settings, server.url, tokens.get(role.user)!);
      const open = (path: string, width = 1200) => openPage(browser, path, width);
      const panel = await panelOn(browser, role.cardName);
      const card = await open(`card.html?id=${role.cardId}`, 1300);
      await card.getByTestId('card-page-name').waitFor({ timeout: 20_000 });
      // The page knows the card's custody (owner from the server) before anything is tried.
      await waitFor(() => card.getByTestId('card-page-owner').textContent(), (text) => (text ?? '').includes(OWNERS[role.user]!), 10_000);
      const context: SurfaceContext = { role, browser, panel, card, open };
      if (!role.write) {
        await waitFor(() => card.getByTestId('read-only-loan').textContent().catch(() => ''), (text) => /read-only until/.test(text ?? ''), 10_000);
        // Not one editor on the card page: every input, choice and button of its sections is off.
        const enabled = await card.locator('.access-fieldset').locator('input:enabled, select:enabled, textarea:enabled, button:enabled').count();
        expect(enabled).toBe(0);
      }
      const failures: string[] = [];
      for (const surface of SURFACES) {
        try {
          await (role.write ? surface.edit(context) : surface.notOffered(context));
        } catch (error) {
          failures.push(`${surface.name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        }
      }
      // Everything sent, nothing refused: on the device and on the server (all told at once).
      const shown = await waitFor(() => settings.getByTestId('sync-status').getAttribute('data-shown'), (state) => state === 'synced' || state === 'refused', 60_000).catch((error: Error) => error.message);
      const queues = await deviceQueues(settings);
      await new Promise((resolve) => setTimeout(resolve, 500)); // the server writes its audit in batches of 200 ms
      expect({ failures, shown, queues, refusedByServer: await refusalsOf(role.user) }).toEqual({ failures: [], shown: 'synced', queues: { refused: 0, pending: 0 }, refusedByServer: [] });
    } finally {
      await browser.close();
    }
  }, 300_000);
});
