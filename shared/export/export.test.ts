/**
 * Exports: CSV with BOM and formula escaping, XLSX through exceljs, vCard 4.0, sensitive fields
 * left out unless asked, and the round trip: export → import gives the same cards.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { CardView } from '../card-types.ts';
import { readCard } from '../card-read.ts';
import { analyseImport } from '../import/analyse.ts';
import { seedOfRecord } from '../import/plan.ts';
import { applyMutation } from '../mutations.ts';
import type { CardSeed, Mutation, MutationContext } from '../mutations-types.ts';
import { escapeFormula, toCsv } from './csv-write.ts';
import { loadExcel } from '../import/xlsx-read.ts';
import { exportColumns, registerTable, tableOfLines } from './register-table.ts';
import { lineOfState } from './state-lines.ts';
import { statementRows } from './statement.ts';
import { cardsToVcards } from './vcard-write.ts';
import { tableToXlsx } from './xlsx-write.ts';

let ids = 0;
const mctx: MutationContext = { actor: 'alice', now: Date.UTC(2026, 0, 5), newId: () => `id-${++ids}` };

function docOf(seed: CardSeed, id: string): Y.Doc {
  const doc = new Y.Doc();
  const created = applyMutation(doc, seed.create, mctx, id);
  if (!created.ok) throw new Error(created.message);
  for (const step of seed.steps ?? []) {
    const result = applyMutation(doc, { ...step, cardId: id } as Mutation, mctx, id);
    if (!result.ok) throw new Error(result.message);
  }
  return doc;
}

function cardOf(seed: CardSeed, id = `card-${++ids}`): CardView {
  return readCard(docOf(seed, id), id);
}

const CARDS: CardSeed[] = [
  {
    create: { type: 'card-create', name: '金鼎贸易有限公司', domains: ['jinding-trading.cn'], fields: { city: '上海', businessNumber: '91310115MA1K00001A', registeredCapital: 5_000_000, foundingDate: '2008-06-01', organisation: 'limited-company', keyCustomer: true, bankAccount: '6222 0000 1111', phone: '+86 21 6288 1234' } },
    steps: [{ type: 'contact-add', name: '李娜', email: 'li.na@jinding-trading.cn', role: 'business-contact', profile: { mobile: '13800138000', title: '采购经理' } }],
  },
  {
    create: { type: 'card-create', name: '=HYPERLINK("http://evil")', domains: ['example.de'], fields: { city: '@Berlin', industry: '-Trading' } },
    steps: [{ type: 'contact-add', name: 'Hans Müller', email: 'hans@example.de', role: 'business-contact' }],
  },
];

describe('register export', () => {
  const cards = CARDS.map((seed) => cardOf(seed));

  it('writes CSV in UTF-8 with a BOM and escapes cells that would run as formulas', () => {
    const table = registerTable(cards, new Map(), { language: 'zh-CN', includeSensitive: false });
    const csv = toCsv([table.header, ...table.rows]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain("'@Berlin");
    expect(csv).toContain("'-Trading");
    expect(csv).toContain("'+86 21 6288 1234");
    expect(escapeFormula('plain')).toBe('plain');
  });

  it('builds the same table from stored states (the export page and its worker) as from cards', () => {
    const stored = CARDS.map((seed, i) => ({ id: `stored-${i}`, state: Y.encodeStateAsUpdate(docOf(seed, `stored-${i}`)) }));
    const facts = new Map(stored.map((card, i) => [card.id, { abc: i === 0 ? 'A' : '', lastContact: Date.UTC(2026, 2, 4), receivables: 1234.567 }] as const));
    const views = stored.map((card) => cardOf(CARDS[stored.indexOf(card)]!, card.id));
    for (const language of ['zh-CN', 'en'] as const) {
      const options = { language, includeSensitive: false };
      const columns = exportColumns(language);
      const lines = stored.map((card) => lineOfState(card.id, card.state, facts.get(card.id), columns)).filter((line) => line !== null);
      const fromStates = tableOfLines(lines, columns, options);
      const fromViews = registerTable(views, facts, options);
      const plain = (table: typeof fromViews) => ({ keys: table.columns.map((column) => column.key), header: table.header, rows: table.rows, leftOut: table.leftOut });
      expect(plain(fromStates)).toEqual(plain(fromViews));
      expect(fromStates.rows[0]).toContain('2026-03-04');
      expect(fromStates.rows[0]).toContain(1234.57);
    }
    const unnamed = new Y.Doc();
    expect(lineOfState('nameless', Y.encodeStateAsUpdate(unnamed), undefined, exportColumns('en'))).toBeNull();
  });

  it('writes XLSX with a bold header, numbers as numbers and dates as Excel dates', async () => {
    const facts = new Map(cards.map((card) => [card.id, { abc: 'B', lastContact: Date.UTC(2026, 2, 4), receivables: 10 }] as const));
    const table = registerTable(cards, facts, { language: 'en', includeSensitive: false });
    const Excel = await loadExcel();
    const workbook = new Excel.Workbook();
    await workbook.xlsx.load((await tableToXlsx(table, 'Customers')).buffer as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Customers');
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    const column = (label: string) => table.header.indexOf(label) + 1;
    const first = sheet.getRow(2);
    expect(first.getCell(column('Registered capital')).value).toBe(5_000_000);
    expect(first.getCell(column('Last contact')).value).toEqual(new Date('2026-03-04T00:00:00Z'));
    expect(first.getCell(column('Last contact')).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(column('Founding date')).value).toEqual(new Date('2008-06-01T00:00:00Z'));
    expect(sheet.getRow(3).getCell(1).value).toBe('=HYPERLINK("http://evil")');
    expect(sheet.getRow(3).getCell(1).formula).toBeUndefined();
  });

  it('leaves sensitive fields out unless asked, and says which', () => {
    const without = registerTable(cards, new Map(), { language: 'en', includeSensitive: false });
    expect(without.header).not.toContain('Bank account');
    expect(without.leftOut).toEqual(['Bank account']);
    expect(JSON.stringify(without.rows)).not.toContain('6222');
    const withSensitive = registerTable(cards, new Map(), { language: 'en', includeSensitive: true });
    expect(withSensitive.header).toContain('Bank account');
  });

  it('round trip: CSV and XLSX exports import back into the same cards', async () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const table = registerTable(cards, new Map(), { language, includeSensitive: true });
      const files: [Uint8Array, string][] = [
        [new TextEncoder().encode(toCsv([table.header, ...table.rows])), 'export.csv'],
        [await tableToXlsx(table, '客户名册'), 'export.xlsx'],
      ];
      for (const [bytes, name] of files) {
        const analysis = await analyseImport(bytes, name);
        if (!analysis.ok) throw new Error(analysis.message);
        expect(analysis.value.errors).toEqual([]);
        const again = analysis.value.records.map((record) => cardOf(seedOfRecord(record)));
        const strip = (card: CardView) => ({ fields: { ...card.fields, createdAt: 0, createdBy: '' }, contacts: card.contacts.map((c) => ({ name: c.name, email: c.email, profile: c.profile })) });
        expect(again.map(strip), `${language} ${name}`).toEqual(cards.map(strip));
      }
    }
  });

  it('writes vCard 4.0 that reads back with the same people', async () => {
    const text = cardsToVcards(cards);
    expect(text).toContain('VERSION:4.0');
    expect(text).toContain('ORG:金鼎贸易有限公司');
    const analysis = await analyseImport(new TextEncoder().encode(text), 'people.vcf');
    if (!analysis.ok) throw new Error(analysis.message);
    expect(analysis.value.records.map((r) => r.contacts[0]?.name)).toEqual(['李娜', 'Hans Müller']);
    expect(analysis.value.records[0]!.contacts[0]).toMatchObject({ email: 'li.na@jinding-trading.cn', profile: { mobile: '13800138000', title: '采购经理' } });
  });

  it('writes a customer statement with a running balance', () => {
    const card = cardOf({ create: { type: 'card-create', name: 'X' }, steps: [{ type: 'ledger-add', kind: 'order', date: Date.UTC(2026, 0, 1), amount: 100 }, { type: 'ledger-add', kind: 'payment', date: Date.UTC(2026, 0, 9), amount: 40 }] });
    expect(statementRows(card, 'en').slice(2).map((row) => [row[0], row[1], row[3]])).toEqual([
      ['2026-01-01', 'Order', 100],
      ['2026-01-09', 'Payment', 60],
    ]);
  });
});
