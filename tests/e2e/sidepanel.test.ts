/**
 * The foundation's acceptance in real Chromium with the built extension: the side panel shows
 * the sender's card for the Gmail and Outlook fixtures, creates a card for an unknown sender,
 * takes quick notes, follows tab and message switches, and keeps everything across a relaunch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures, type FixtureServer } from '../tools/serve-fixtures.ts';
import { evaluateInRealSidePanel, launchBrowser, newProfileDir, SidePanel, tabIdOf, waitFor, type Browser } from './harness.ts';

let fixtures: FixtureServer;
let profile: string;
let browser: Browser;

beforeAll(async () => {
  fixtures = await serveFixtures();
  profile = newProfileDir();
  browser = await launchBrowser(profile);
  const panel = await SidePanel.open(browser);
  await panel.loadDemoData();
  await panel.page.close();
});

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
});

async function openMail(file: string) {
  const page = await browser.context.newPage();
  await page.goto(fixtures.url + file);
  const tabId = await tabIdOf(browser, page);
  const panel = await SidePanel.open(browser, tabId);
  return { page, panel, tabId };
}

describe('side panel beside Gmail', () => {
  it('shows the known sender’s card, and switches when another message opens', async () => {
    const { page, panel } = await openMail('gmail-thread.html');
    await expect.poll(() => panel.cardName().textContent()).toBe('金鼎贸易有限公司');
    await expect.poll(() => panel.page.locator('.person.highlighted .person-name').textContent()).toBe('李娜');
    await panel.screenshot('sidepanel-gmail-known');
    await page.getByText('Next thread').click();
    await expect.poll(() => panel.cardName().textContent()).toBe('Keller Maschinenbau GmbH');
    await page.close();
    await panel.page.close();
  });

  it('offers “create card” for an unknown sender, then shows it and takes a quick note', async () => {
    const { page, panel } = await openMail('gmail-unknown.html');
    await panel.page.getByTestId('unknown-sender').waitFor();
    expect(await panel.page.getByTestId('create-company').inputValue()).toBe('Nordlicht Optik');
    expect(await panel.page.getByTestId('create-person').inputValue()).toBe('Olivia Brandt');
    await panel.screenshot('sidepanel-gmail-unknown');
    await panel.createCardFromSender();
    expect(await panel.cardName().textContent()).toBe('Nordlicht Optik');
    await panel.addNote('Asked for lens price list — send by Friday');
    await panel.screenshot('sidepanel-gmail-created');
    await page.close();
    await panel.page.close();
  });
});

describe('side panel beside Outlook on the web', () => {
  it('shows the known sender’s card', async () => {
    const { page, panel } = await openMail('outlook-reading-pane.html');
    await expect.poll(() => panel.cardName().textContent()).toBe('Keller Maschinenbau GmbH');
    await page.close();
    await panel.page.close();
  });

  it('creates a card for an unknown sender and takes a note', async () => {
    const { page, panel } = await openMail('outlook-unknown.html');
    await panel.createCardFromSender('Sundar Textiles');
    await panel.addNote('样品下周寄出 — samples ship next week');
    await page.close();
    await panel.page.close();
  });
});

describe('nothing to show', () => {
  it('shows no card on a page without an open message', async () => {
    const { page, panel } = await openMail('company-page.html');
    await panel.page.getByTestId('no-message').waitFor();
    expect(await panel.cardName().count()).toBe(0);
    await page.close();
    await panel.page.close();
  });
});

describe('search', () => {
  it('finds customers by Chinese text and opens the card', async () => {
    const panel = await SidePanel.open(browser);
    await panel.search('华星');
    await panel.page.getByTestId('search-results').getByText('深圳华星电子有限公司').click();
    await expect.poll(() => panel.cardName().textContent()).toBe('深圳华星电子有限公司');
    await panel.page.close();
  });
});

describe('the real side panel', () => {
  it('opens beside the webmail and follows the active tab', async () => {
    const gmail = await browser.context.newPage();
    await gmail.goto(fixtures.url + 'gmail-thread.html');
    const outlook = await browser.context.newPage();
    await outlook.goto(fixtures.url + 'outlook-reading-pane.html');
    // chrome.sidePanel.open needs a user gesture: a real click on a button in an extension page.
    const opener = await SidePanel.open(browser);
    await opener.page.evaluate(() => {
      const button = document.createElement('button');
      button.id = 'open-real-panel';
      button.textContent = 'open side panel';
      button.addEventListener('click', () => {
        void chrome.windows.getCurrent().then((window) => chrome.sidePanel.open({ windowId: window.id! }));
      });
      document.body.prepend(button);
    });
    await opener.page.click('#open-real-panel');
    const cardName = () => evaluateInRealSidePanel(browser, `document.querySelector('[data-testid="card-name"]')?.textContent ?? null`);
    await gmail.bringToFront();
    await waitFor(cardName, (name) => name === '金鼎贸易有限公司', 20_000);
    await outlook.bringToFront();
    await waitFor(cardName, (name) => name === 'Keller Maschinenbau GmbH', 20_000);
    await gmail.close();
    await outlook.close();
    await opener.page.close();
  });
});

describe('languages', () => {
  it('speaks Chinese when chosen', async () => {
    const { page, panel } = await openMail('gmail-thread.html');
    await panel.cardName().waitFor();
    await panel.page.getByTestId('language-switch').selectOption('zh-CN');
    await panel.page.getByText('最近往来').waitFor();
    expect(await panel.page.getByTestId('save-note').textContent()).toBe('保存备注');
    await panel.screenshot('sidepanel-zh-CN');
    await panel.page.getByTestId('language-switch').selectOption('auto');
    await page.close();
    await panel.page.close();
  });
});

describe('after relaunching the browser profile', () => {
  it('still has the created cards and their notes', async () => {
    await browser.close();
    browser = await launchBrowser(profile);
    const gmail = await openMail('gmail-unknown.html');
    await expect.poll(() => gmail.panel.cardName().textContent(), { timeout: 15_000 }).toBe('Nordlicht Optik');
    await gmail.panel.page.getByText('Asked for lens price list — send by Friday').waitFor();
    const outlook = await openMail('outlook-unknown.html');
    await expect.poll(() => outlook.panel.cardName().textContent(), { timeout: 15_000 }).toBe('Sundar Textiles');
    await outlook.panel.page.getByText('样品下周寄出 — samples ship next week').waitFor();
  });
});
