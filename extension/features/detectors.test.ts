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

  it.each(['no-message.html', 'company-page.html', 'table-inbox-list.html'])('%s has no open message: no sender', (file) => {
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

describe('generic detector: label/value headers give the exact address and the sender\'s own name', () => {
  it.each([
    ['table-th-td.html', 'zhang.wei@acme.cn', 'Zhang Wei', 'Shipment schedule for December', ['test.user@ourco.com']],
    ['table-td-td.html', 'ana.souza@brasilcafe.com.br', 'Ana Souza', 'Pedido de café verde — safra 2026', ['rep@ourco.com', 'logistica@brasilcafe.com.br']],
    ['dl-header.html', 'olaf.nilsen@fjordfisk.no', 'Olaf Nilsen', 'Leveranse av laks, uke 49', ['rep@ourco.com']],
    ['compose-link-only.html', 'maria.garcia@iberica-aceites.es', 'María García', 'Muestras de aceite de oliva', ['rep@ourco.com']],
    ['chinese-label.html', 'wang.fang@huaxin-trade.cn', '王芳', '报价单确认（2027年第一季度）', ['rep@ourco.com']],
    ['inline-labels.html', 'k.tanaka@sakura-denki.jp', '田中 健', '部品の見積もりについて', ['rep@ourco.com']],
  ])('%s -> %s "%s"', (file, email, name, subject, recipients) => {
    const sender = detectSender(load(file), location);
    expect(sender).not.toBeNull();
    expect(sender!.email).toBe(email);
    expect(sender!.name).toBe(name);
    expect(sender!.subject).toBe(subject);
    expect(sender!.source).toBe('generic');
    expect(sender!.recipients).toEqual(recipients);
  });

  it('a From value holding only the address gives the address and an empty name', () => {
    const doc = load('table-th-td.html');
    doc.querySelector('span.contact')!.textContent = 'zhang.wei@acme.cn';
    doc.querySelector('a.add-contact')!.remove();
    expect(detectSender(doc, location)).toMatchObject({ email: 'zhang.wei@acme.cn', name: '' });
  });

  it('a From cell that runs into other labels is read only up to the next label', () => {
    const doc = load('table-th-td.html');
    const cell = doc.querySelector('span.contact')!.parentElement!;
    cell.textContent = 'Zhang Wei <zhang.wei@acme.cn> To: Test User <test.user@ourco.com> Date: 01:15:00 2025-11-03';
    expect(detectSender(doc, location)).toMatchObject({ email: 'zhang.wei@acme.cn', name: 'Zhang Wei' });
  });

  it('a From cell that runs into other labels gives no sender when its own part has no address', () => {
    const doc = load('table-th-td.html');
    doc.querySelector('span.contact')!.textContent = 'Zhang Wei To: Test User Date: 01:15:00 2025-11-03';
    expect(detectSender(doc, location)).toBeNull();
  });

  it('a one-line header region gives the sender\'s part only: an address without a name gives an empty name', () => {
    const doc = load('generic-webmail.html');
    const header = doc.querySelector('#message-header')!;
    header.textContent = 'From: chen.jie@example-partner.com To: rep@ourco.com Date: 2026-11-21 11:20';
    expect(detectSender(doc, location)).toMatchObject({ email: 'chen.jie@example-partner.com', name: '' });
  });

  it('a table header whose From has no address gives no sender, not a recipient\'s card', () => {
    const doc = load('table-th-td.html');
    doc.querySelector('span.contact')!.removeAttribute('title');
    doc.querySelector('a.add-contact')!.remove();
    expect(detectSender(doc, location)).toBeNull();
  });

  it('a Reply-To or Cc row is never taken for the sender', () => {
    const doc = load('table-td-td.html');
    doc.querySelector('td.value')!.textContent = 'Ana Souza';
    expect(detectSender(doc, location)).toBeNull();
  });

  it('a From row in a table outside the header (a forwarded note, a shipping form) never outranks the header', () => {
    const doc = load('dl-header.html');
    const row = doc.createElement('tr');
    const label = doc.createElement('th');
    label.textContent = 'From:';
    const value = doc.createElement('td');
    value.textContent = 'Lars Berg <lars.berg@quoted-example.se>';
    row.append(label, value);
    const table = doc.createElement('table');
    table.append(row);
    doc.querySelector('.mail-view')!.prepend(table);
    expect(detectSender(doc, location)).toMatchObject({ email: 'olaf.nilsen@fjordfisk.no', name: 'Olaf Nilsen' });
  });

  it('a Chinese label with an ASCII colon also works', () => {
    const doc = load('chinese-label.html');
    doc.querySelector('td.label')!.textContent = '发件人:';
    expect(detectSender(doc, location)).toMatchObject({ email: 'wang.fang@huaxin-trade.cn', name: '王芳' });
  });
});
