/**
 * Every editing surface the extension offers, as a table for the every-role e2e test
 * (every-role.test.ts): a row per surface, with what a user who may change the card does there
 * (`edit`) and what a read-only borrower must see instead (`notOffered`). A surface added to the
 * UI is one row here; the test drives each role through every row and then asks the server
 * whether it refused anything.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { EXTENSION_ID, SidePanel, waitFor, type Browser } from './harness.ts';

export interface Role {
  /** How the test names the role. */
  title: string;
  user: string;
  /** The card the role works on, its name as the panel's search finds it. */
  cardId: string;
  cardName: string;
  /** May change the card at all (false: a read-only loan). */
  write: boolean;
  /** May set the manager-only fields (else: "Propose change"). */
  controlled: boolean;
}

export interface SurfaceContext {
  role: Role;
  browser: Browser;
  /** The side panel with the role's card open. */
  panel: Page;
  /** The full card page of the role's card. */
  card: Page;
  /** Opens an extension page of the role's profile. */
  open(path: string, width?: number): Promise<Page>;
}

export interface Surface {
  name: string;
  edit(context: SurfaceContext): Promise<void>;
  notOffered(context: SurfaceContext): Promise<void>;
}

const stamp = (context: SurfaceContext, what: string) => `${what} by ${context.role.user}`;

/** Nothing of `locator` on the page, or every one of it disabled. */
async function absentOrDisabled(locator: Locator): Promise<void> {
  const count = await locator.count();
  for (let i = 0; i < count; i++) expect(await locator.nth(i).isDisabled(), `${locator} is offered`).toBe(true);
}

/** A base-data field of the card page: edited in place, or proposed where the role may not set it. */
async function editField(card: Page, key: string, value: string, reason?: string): Promise<string | null> {
  await card.getByTestId(`edit-${key}`).click();
  const input = card.getByTestId(`input-${key}`);
  if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
  else await input.fill(value);
  if (reason !== undefined) await card.getByTestId(`reason-${key}`).fill(reason);
  const label = await card.getByTestId(`save-${key}`).textContent();
  await card.getByTestId(`save-${key}`).click();
  await card.getByTestId(`input-${key}`).waitFor({ state: 'detached', timeout: 10_000 });
  return label;
}

function fieldSurface(kind: string, key: string, value: string, shown: RegExp): Surface {
  return {
    name: `card page: ${kind} field (${key})`,
    async edit({ card }) {
      expect(await editField(card, key, value)).toBe('Save');
      await waitFor(() => card.getByTestId(`edit-${key}`).textContent(), (text) => shown.test(text ?? ''), 10_000);
    },
    notOffered: async ({ card }) => absentOrDisabled(card.getByTestId(`edit-${key}`)),
  };
}

/** A manager-only field: a manager of the card's team sets it; anyone else proposes it. */
function controlledSurface(key: string, value: string, shown: RegExp): Surface {
  return {
    name: `card page: manager-only field (${key})`,
    async edit(context) {
      const { card, role } = context;
      const label = await editField(card, key, value, stamp(context, 'reviewed'));
      if (role.controlled) {
        expect(label).toBe('Save');
        await waitFor(() => card.getByTestId(`edit-${key}`).textContent(), (text) => shown.test(text ?? ''), 10_000);
      } else {
        expect(label).toBe('Propose change');
        await waitFor(() => card.getByTestId(`hint-${key}`).textContent(), (text) => shown.test(text ?? ''), 10_000);
      }
    },
    notOffered: async ({ card }) => absentOrDisabled(card.getByTestId(`edit-${key}`)),
  };
}

/** The card page's add-forms and record actions, as a locator for the read-only check. */
const cardButton = (card: Page, testId: string) => card.getByTestId(testId);

export const SURFACES: Surface[] = [
  {
    // First: the follow-up the card was seeded with is still due (later rows log contacts).
    name: 'due list: a follow-up marked done',
    async edit(context) {
      const today = await context.open('dashboard.html?tab=today');
      const item = () => today.locator('[data-testid="due-item"][data-kind="follow-up"]').filter({ hasText: context.role.cardName });
      await item().first().waitFor({ timeout: 20_000 });
      await item().first().getByTestId('due-done').click();
      await waitFor(() => item().count(), (count) => count === 0, 10_000);
      await today.close();
    },
    async notOffered(context) {
      const today = await context.open('dashboard.html?tab=today');
      const items = today.getByTestId('due-item').filter({ hasText: context.role.cardName });
      await items.first().waitFor({ timeout: 20_000 });
      await today.waitForTimeout(2_000); // the loans are asked of the server
      expect(await items.getByTestId('due-done').count()).toBe(0);
      await today.close();
    },
  },
  {
    name: 'side panel: quick note',
    async edit(context) {
      const text = stamp(context, 'quick note');
      await context.panel.getByTestId('quick-note').fill(text);
      await context.panel.getByTestId('save-note').click();
      await context.panel.getByTestId('timeline').getByText(text).waitFor({ timeout: 10_000 });
    },
    notOffered: async ({ panel }) => {
      expect(await panel.getByTestId('quick-note').count()).toBe(0);
      expect(await panel.getByTestId('read-only-loan').textContent()).toMatch(/read-only until/);
    },
  },
  {
    name: 'side panel: log a contact',
    async edit(context) {
      const { panel } = context;
      await panel.getByTestId('log-contact-open').click();
      await panel.getByTestId('log-kind-call').click();
      await panel.getByTestId('log-text').fill(stamp(context, 'call'));
      await panel.getByTestId('log-outcome').fill('wants a quote');
      await panel.getByTestId('log-save').click();
      await panel.getByTestId('log-saved').waitFor({ timeout: 10_000 });
    },
    notOffered: async ({ panel }) => expect(await panel.getByTestId('log-contact-open').count()).toBe(0),
  },
  fieldSurface('text', 'city', 'Ningbo', /^Ningbo$/),
  fieldSurface('choice', 'organisation', 'limited-company', /Limited company/),
  fieldSurface('number', 'paymentTermsDays', '45', /^45$/),
  fieldSurface('money', 'registeredCapital', '2000000', /2,000,000/),
  fieldSurface('date', 'foundingDate', '2001-05-04', /2001/),
  fieldSurface('yes/no', 'keyCustomer', 'true', /Yes/),
  fieldSurface('long text', 'mainGoods', 'Valves and fittings', /Valves and fittings/),
  fieldSurface('list', 'tags', 'trade-fair, north', /trade-fair/),
  controlledSurface('creditLimitApproved', '80000', /80,000/),
  controlledSurface('creditRating', 'A', /\bA\b/),
  controlledSurface('creditLimitManager', '60000', /60,000/),
  {
    name: 'card page: the owner moves by handover only',
    async edit({ card }) {
      expect(await card.getByTestId('edit-owner').count()).toBe(0);
      await card.getByTestId('value-owner').waitFor();
    },
    notOffered: async ({ card }) => expect(await card.getByTestId('edit-owner').count()).toBe(0),
  },
  {
    name: 'card page: add a person',
    async edit(context) {
      const { card } = context;
      await card.getByTestId('new-person-name').fill(`Grace ${context.role.user}`);
      await card.getByTestId('new-person-email').fill(`grace.${context.role.user}@example.com`);
      await card.getByTestId('section-people').getByRole('button', { name: 'Add a person' }).click();
      await card.getByTestId('person-card').filter({ hasText: `Grace ${context.role.user}` }).waitFor({ timeout: 10_000 });
    },
    notOffered: async ({ card }) => absentOrDisabled(card.getByTestId('new-person-name')),
  },
  {
    name: "card page: a person's field",
    async edit({ card }) {
      const person = card.getByTestId('person-card').first();
      const edit = person.locator('[data-testid^="edit-"][data-testid$="-mobile"]');
      const key = (await edit.getAttribute('data-testid'))!.slice('edit-'.length);
      await edit.click();
      await card.getByTestId(`input-${key}`).fill('+86 138 0000 1111');
      await card.getByTestId(`save-${key}`).click();
      await waitFor(() => card.getByTestId(`edit-${key}`).textContent(), (text) => /138/.test(text ?? ''), 10_000);
    },
    notOffered: async ({ card }) => absentOrDisabled(card.getByTestId('person-card').first().locator('[data-testid^="edit-"]')),
  },
  {
    name: 'card page: closeness',
    async edit({ card }) {
      const closeness = card.getByTestId('closeness').first();
      await closeness.getByTestId('closeness-sign-news-first').click();
      await closeness.getByTestId('closeness-set').selectOption('friendly');
      await closeness.getByTestId('closeness-reason').fill('lunch together');
      await closeness.getByTestId('closeness-save').click();
      await waitFor(() => closeness.getByTestId('closeness-level').textContent(), (text) => text === 'Friendly', 10_000);
    },
    notOffered: async ({ card }) => {
      const closeness = card.getByTestId('closeness').first();
      await absentOrDisabled(closeness.locator('input, select, button'));
    },
  },
  {
    name: 'card page: a timeline entry',
    async edit(context) {
      const { card } = context;
      const text = stamp(context, 'meeting notes');
      await card.getByTestId('entry-kind').selectOption('meeting');
      await card.getByTestId('entry-text').fill(text);
      await card.getByTestId('entry-add').click();
      await card.getByTestId('section-timeline').getByText(text).first().waitFor({ timeout: 10_000 });
    },
    notOffered: async ({ card }) => {
      await absentOrDisabled(cardButton(card, 'entry-text'));
      await absentOrDisabled(cardButton(card, 'entry-add'));
    },
  },
  {
    name: 'card page: a timeline correction',
    async edit(context) {
      const { card } = context;
      await card.getByTestId('timeline-correct').first().click();
      const form = card.getByTestId('timeline-correct-form');
      await form.getByTestId('correct-text').fill(stamp(context, 'corrected entry'));
      await form.getByTestId('correct-reason').fill('wrong customer named');
      await form.getByTestId('correct-save').click();
      await card.getByTestId('section-timeline').getByText(stamp(context, 'corrected entry')).first().waitFor({ timeout: 10_000 });
    },
    notOffered: async ({ card }) => absentOrDisabled(cardButton(card, 'timeline-correct')),
  },
  {
    name: 'card page: an order',
    async edit({ card }) {
      await card.getByTestId('ledger-kind').selectOption('order');
      await card.getByTestId('ledger-amount').fill('12345');
      await card.getByTestId('ledger-add').click();
      await card.getByTestId('ledger-row').filter({ hasText: '12,345' }).waitFor({ timeout: 10_000 });
    },
    notOffered: async ({ card }) => {
      await absentOrDisabled(cardButton(card, 'ledger-amount'));
      await absentOrDisabled(cardButton(card, 'ledger-add'));
    },
  },
  {
    name: 'card page: a payment',
    async edit({ card }) {
      await card.getByTestId('ledger-kind').selectOption('payment');
      await card.getByTestId('ledger-amount').fill('3210');
      await card.getByTestId('ledger-add').click();
      await card.getByTestId('ledger-row').filter({ hasText: '3,210' }).waitFor({ timeout: 10_000 });
    },
    notOffered: async ({ card }) => absentOrDisabled(cardButton(card, 'ledger-kind')),
  },
  {
    name: 'card page: a ledger correction',
    async edit({ card }) {
      const row = card.getByTestId('ledger-row').filter({ hasText: '3,210' });
      await row.getByTestId('ledger-correct').click();
      await card.getByTestId('correct-amount').fill('3300');
      await card.getByTestId('ledger-correct-form').getByTestId('correct-reason').fill('bank statement says 3,300');
      await card.getByTestId('ledger-correct-form').getByTestId('correct-save').click();
      await card.getByTestId('ledger-superseded').filter({ hasText: '3,210' }).waitFor({ timeout: 10_000 });
    },
    notOffered: async ({ card }) => absentOrDisabled(cardButton(card, 'ledger-correct')),
  },
  {
    name: 'card page: restore an earlier value of a field',
    async edit({ card }) {
      await card.getByTestId('history-field').selectOption('industry');
      await card.getByTestId('history-row').first().getByTestId('history-restore').click();
      await waitFor(() => card.getByTestId('edit-industry').textContent(), (text) => text === 'Hardware', 10_000);
      await card.getByTestId('history-field').selectOption('');
    },
    notOffered: async ({ card }) => absentOrDisabled(card.getByTestId('history-restore')),
  },
  {
    name: 'card page: restore an earlier value of a manager-only field',
    async edit(context) {
      const { card, role } = context;
      await card.getByTestId('history-field').selectOption('creditLimitApproved');
      const row = card.getByTestId('history-row').filter({ hasText: 'seed' }).first();
      const restore = row.getByTestId('history-restore');
      expect(await restore.textContent()).toBe(role.controlled ? 'Restore this value' : 'Propose this value');
      await restore.click();
      if (role.controlled) await waitFor(() => card.getByTestId('edit-creditLimitApproved').textContent(), (text) => text === '50,000', 10_000);
      else await waitFor(() => card.getByTestId('history-message').textContent(), (text) => /Proposed/.test(text ?? ''), 10_000);
      await card.getByTestId('history-field').selectOption('');
    },
    notOffered: async ({ card }) => absentOrDisabled(card.getByTestId('history-restore')),
  },
  {
    name: 'capture: a selection saved as a note',
    async edit(context) {
      const capture = await openCapture(context, stamp(context, 'captured rates'));
      await capture.getByTestId('capture-search').fill(context.role.cardName);
      await capture.getByTestId('capture-pick').filter({ hasText: context.role.cardName }).click();
      await waitFor(async () => (capture.isClosed() ? 'closed' : await capture.getByTestId('capture-status').textContent().catch(() => '')), (text) => text === 'closed' || /Saved/.test(text ?? ''), 10_000);
      if (!capture.isClosed()) await capture.close();
    },
    notOffered: async (context) => {
      const capture = await openCapture(context, 'Visit notes');
      await capture.getByTestId('capture-search').fill(context.role.cardName);
      await waitFor(() => capture.getByTestId('capture-read-only').textContent().catch(() => ''), (text) => /read-only until/.test(text ?? ''), 10_000);
      expect(await capture.getByTestId('capture-pick').filter({ hasText: context.role.cardName }).count()).toBe(0);
      await capture.close();
    },
  },
  {
    name: 'capture: a selection logged as a contact',
    async edit(context) {
      const capture = await openCapture(context, stamp(context, 'captured call'));
      await capture.getByTestId('capture-as-contact').check();
      await capture.getByTestId('capture-search').fill(context.role.cardName);
      await capture.getByTestId('capture-pick').filter({ hasText: context.role.cardName }).click();
      await capture.getByTestId('log-save').click();
      await waitFor(async () => (capture.isClosed() ? 'closed' : await capture.getByTestId('capture-status').textContent().catch(() => '')), (text) => text === 'closed' || /Logged/i.test(text ?? ''), 10_000);
      if (!capture.isClosed()) await capture.close();
    },
    notOffered: async (context) => {
      const capture = await openCapture(context, 'Visit notes');
      await capture.getByTestId('capture-as-contact').check();
      await capture.getByTestId('capture-search').fill(context.role.cardName);
      await capture.getByTestId('capture-read-only').waitFor({ timeout: 10_000 });
      expect(await capture.getByTestId('log-save').count()).toBe(0);
      await capture.close();
    },
  },
  {
    // Offered to every role: the new cards are the importer's own. A controlled column is a
    // proposal or left out for a rep; a manager's import sets it.
    name: 'import: a file with an approved credit limit column',
    edit: importSurface,
    notOffered: importSurface,
  },
  {
    name: 'register: a visit plan',
    async edit(context) {
      const message = await planVisit(context);
      expect(message).toBe('1 visit(s) planned');
    },
    notOffered: async (context) => {
      const message = await planVisit(context);
      expect(message).toMatch(/0 visit\(s\) planned.*1 card\(s\) on a read-only loan left out/);
    },
  },
];

async function openCapture(context: SurfaceContext, text: string): Promise<Page> {
  await context.browser.worker.evaluate((pending) => chrome.storage.session.set({ pendingCapture: pending }), { mode: 'selection', text, title: 'Price list', url: 'https://example.com/prices' });
  return context.open('capture.html', 500);
}

async function importSurface(context: SurfaceContext): Promise<void> {
  const { role } = context;
  const csv = `Company,City,Credit limit\nImported ${role.user} One,Leeds,30000\nImported ${role.user} Two,York,40000\n`;
  const transfer = await context.open('transfer.html#import');
  await transfer.getByTestId('import-file').setInputFiles({ name: `${role.user}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await transfer.getByTestId('import-summary').waitFor({ timeout: 20_000 });
  if (role.controlled) expect(await transfer.getByTestId('import-held-back').count()).toBe(0);
  else expect(await transfer.getByTestId('import-held-back-column').getAttribute('data-outcome')).toBe('propose');
  await transfer.getByTestId('import-start').click();
  await waitFor(() => transfer.getByTestId('import-result').textContent().catch(() => ''), (text) => /2 new/.test(text ?? ''), 30_000);
  await transfer.close();
}

async function planVisit(context: SurfaceContext): Promise<string | null> {
  const register = await context.open(`dashboard.html?tab=register`, 1400);
  const line = register.locator(`[data-testid="register-row"][data-card-id="${context.role.cardId}"]`);
  await line.waitFor({ timeout: 20_000 });
  await line.locator('input[type=checkbox]').check();
  await register.getByTestId('visit-plan').click();
  const message = await waitFor(() => register.getByTestId('tag-message').textContent().catch(() => ''), (text) => /visit/.test(text ?? ''), 10_000);
  await register.close();
  return message;
}

/** The side panel with `name` picked from a search. */
export async function panelOn(browser: Browser, name: string): Promise<Page> {
  const panel = await SidePanel.open(browser);
  await waitFor(
    async () => {
      await panel.search(name);
      return panel.page.getByTestId('search-results').getByText(name, { exact: true }).count();
    },
    (count) => count > 0,
    30_000,
  );
  await panel.page.getByTestId('search-results').getByText(name, { exact: true }).click();
  await panel.cardName().waitFor();
  return panel.page;
}

export const extensionUrl = (path: string) => `chrome-extension://${EXTENSION_ID}/${path}`;
