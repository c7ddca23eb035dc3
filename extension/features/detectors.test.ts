import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { gmailSender } from './gmail-sender.ts';
import { detectSender } from './index.ts';
import { outlookSender } from './outlook-sender.ts';

const fixtures = join(process.cwd(), 'tests', 'fixtures', 'webmail');
const location = { hostname: '127.0.0.1', href: 'http://127.0.0.1:5178/fixture' };

function load(name: string): Document {
  return parseHTML(readFileSync(join(fixtures, name), 'utf8')).document as unknown as Document;
}

describe('sender detectors against the fixtures', () => {
  it.each([
    ['gmail-thread.html', 'li.na@jinding-trading.cn', '李娜', '关于2027年第一季度订单的确认', 'gmail'],
    ['gmail-unknown.html', 'olivia.brandt@nordlicht-optik.de', 'Olivia Brandt', 'Anfrage: Präzisionslinsen für Messgeräte', 'gmail'],
    ['outlook-reading-pane.html', 'm.keller@keller-maschinen.de', 'Martin Keller', 'Angebot Ersatzteile Q1', 'outlook'],
    ['outlook-unknown.html', 'priya.raman@sundar-textiles.in', 'Priya Raman', 'Cotton yarn samples for spring collection', 'outlook'],
    ['generic-webmail.html', 'chen.jie@example-partner.com', 'Chen Jie', 'Partnership proposal for 2027', 'generic'],
  ])('%s -> %s', (file, email, name, subject, source) => {
    const sender = detectSender(load(file), location);
    expect(sender).toMatchObject({ email, name, subject, source });
  });

  it.each(['no-message.html', 'company-page.html'])('%s has no open message: no sender', (file) => {
    expect(detectSender(load(file), location)).toBeNull();
  });
});

describe('traps', () => {
  it('Gmail: the last expanded message decides, not the collapsed ones, recipients or the quoted body', () => {
    const sender = detectSender(load('gmail-thread.html'), location)!;
    expect(sender.email).not.toBe('wang.qiang@jinding-trading.cn');
    expect(sender.recipients).toEqual(['rep@ourco.com', 'chen.jie@jinding-trading.cn']);
    expect(sender.recipients).not.toContain('zhao.min@other-supplier.com');
  });

  it('Gmail: with every message collapsed there is no sender', () => {
    const doc = load('gmail-thread.html');
    for (const el of Array.from(doc.querySelectorAll('.h7'))) {
      el.setAttribute('class', 'kv');
      el.setAttribute('aria-expanded', 'false');
    }
    expect(gmailSender.detect(doc, location)).toBeNull();
  });

  it('Gmail: a header sender without its address gives no sender (no guess from the body)', () => {
    const doc = load('gmail-unknown.html');
    const header = doc.querySelector('td.gF span.gD')!;
    header.removeAttribute('email');
    expect(gmailSender.detect(doc, location)).toBeNull();
  });

  it('Outlook: German labels, recipients without the sender, not the quoted Von: line', () => {
    const sender = detectSender(load('outlook-reading-pane.html'), location)!;
    expect(sender.recipients).toEqual(['rep@ourco.com', 'einkauf@keller-maschinen.de', 'j.weber@keller-maschinen.de']);
    expect(sender.recipients).not.toContain('anna.schmidt@weber-logistik.de');
  });

  it('Outlook: the address can come from the header mailto or title when aria-label has none', () => {
    const doc = load('outlook-reading-pane.html');
    const button = doc.querySelector('[data-testid="message-header-from-button"]')!;
    button.setAttribute('aria-label', 'Von: Martin Keller');
    button.setAttribute('title', 'm.keller@keller-maschinen.de');
    expect(outlookSender.detect(doc, location)?.email).toBe('m.keller@keller-maschinen.de');
  });

  it('Outlook: a reading pane whose From has no address gives no sender', () => {
    const doc = load('outlook-unknown.html');
    const from = doc.querySelector('[data-testid="message-header-from-button"]')!;
    from.removeAttribute('title');
    expect(detectSender(doc, location)).toBeNull();
  });

  it('Generic: a quoted address and the footer are ignored', () => {
    const sender = detectSender(load('generic-webmail.html'), location)!;
    expect(sender.recipients).toEqual(['rep@ourco.com']);
  });
});
