/**
 * The shared import core with fixtures made by the real libraries (tests/import/fixtures.ts):
 * XLSX from exceljs, GBK CSV from iconv-lite, vCards as Outlook, Google and Apple write them.
 */
import { describe, expect, it } from 'vitest';
import { APPLE_VCARD, chineseCustomerSheet, gbkCsv, GOOGLE_VCARDS, OUTLOOK_VCARD, utf8Csv, VCARD4, xlsxBytes } from '../../tests/import/fixtures.ts';
import { analyseImport } from './analyse.ts';
import { isoOfExcelSerial, numberOfText } from './cell-values.ts';
import { findDuplicates } from './duplicates.ts';
import { IMPORT_LIMITS } from './errors.ts';
import { guessMapping, mappingFromSaved, savedFromMapping } from './headers.ts';
import { buildPlan, fillSteps, seedOfRecord } from './plan.ts';
import { detectEncoding } from './text-decode.ts';
import type { ExistingCard } from './types.ts';

const CSV_ZH = '客户名称,联系人,手机,邮箱,地址,城市,行业,统一编号,开户行,备注\n' +
  '金鼎贸易有限公司,李娜,13800138000,li.na@jinding-trading.cn,上海市浦东新区世纪大道 100 号,上海,贸易,91310115MA1K00001A,招商银行上海分行,老客户\n' +
  '"杭州西湖丝绸有限公司",周敏,13900139000,zhoumin@qq.com,"杭州市西湖区, 文三路 1 号",杭州,纺织,,工商银行,\n';

describe('reading files', () => {
  it('reads an exceljs workbook: title line, merged two-level header, dates, numbers, a formula, an empty row', async () => {
    const result = await analyseImport(await xlsxBytes(chineseCustomerSheet), '客户.xlsx');
    if (!result.ok) throw new Error(result.message);
    const a = result.value;
    expect(a.headers).toEqual(['客户名称', '统一编号', '联系人', '电话', '邮箱', '城市', '往来日期', '注册资本']);
    expect(a.mapping).toEqual(['name', 'businessNumber', 'contact.name', 'phone', 'contact.email', 'city', 'firstTradeDate', 'registeredCapital']);
    // The sub-heading row (its merged-down cells read as their values) names every column: it is the header.
    expect(a.headerRow).toBe(3);
    expect(a.notes.map((n) => n.code).sort()).toEqual(['empty-rows', 'formulas', 'header-row', 'rows-above']);
    expect(a.records.map((r) => r.row)).toEqual([4, 5]);
    expect(a.records[0]!.fields).toMatchObject({ name: '华信贸易有限公司', firstTradeDate: '2019-03-15', registeredCapital: 5_000_000, domains: ['huaxin-trade.cn'] });
    expect(a.records[1]!.fields.registeredCapital).toBe(4_000_000);
    // The refused row: its number as the sheet shows it, the column, the value and why.
    expect(a.errors).toEqual([{ row: 7, column: '邮箱', value: 'not-an-email', code: 'invalid-email', reason: '"not-an-email" is not a valid email address' }]);
  });

  it('detects GBK (what Excel in Chinese saves), UTF-8 and UTF-8 with BOM, and reads all three the same', async () => {
    const gbk = gbkCsv(CSV_ZH);
    expect(detectEncoding(gbk)).toBe('gb18030');
    expect(detectEncoding(utf8Csv(CSV_ZH))).toBe('utf-8');
    expect(detectEncoding(utf8Csv(CSV_ZH, true))).toBe('utf-8-bom');
    // A UTF-8 export cut in the middle of a character is still UTF-8.
    expect(detectEncoding(utf8Csv('客户名称,城市\n金鼎').subarray(0, 22))).toBe('utf-8');
    const reads = await Promise.all([gbk, utf8Csv(CSV_ZH), utf8Csv(CSV_ZH, true)].map((bytes) => analyseImport(bytes, 'list.csv')));
    const records = reads.map((r) => (r.ok ? r.value.records : []));
    expect(records[0]).toEqual(records[1]);
    expect(records[1]).toEqual(records[2]);
    const [jinding, xihu] = records[0]!;
    expect(jinding!.fields).toMatchObject({ name: '金鼎贸易有限公司', city: '上海', industry: '贸易', businessNumber: '91310115MA1K00001A', bank: '招商银行上海分行', domains: ['jinding-trading.cn'] });
    expect(jinding!.contacts[0]).toMatchObject({ name: '李娜', email: 'li.na@jinding-trading.cn', profile: { mobile: '13800138000' } });
    expect(jinding!.note).toBe('老客户');
    // A free-mail address never becomes a company domain.
    expect(xihu!.fields.domains).toBeUndefined();
    expect(xihu!.fields.address).toBe('杭州市西湖区, 文三路 1 号');
    // Read in the wrong encoding on purpose: the user can change it and see the difference.
    const asGbk = await analyseImport(utf8Csv(CSV_ZH), 'list.csv', { encoding: 'gbk' });
    expect(asGbk.ok && asGbk.value.headers[0]).not.toBe('客户名称');
  });

  it('refuses binary garbage renamed .csv, an old .xls, an empty file and a file over the size limit, with clear codes', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect(await analyseImport(garbage, 'photo.csv')).toMatchObject({ ok: false, code: 'not-text' });
    expect(await analyseImport(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'old.xls')).toMatchObject({ ok: false, code: 'old-xls' });
    expect(await analyseImport(new Uint8Array(0), 'empty.csv')).toMatchObject({ ok: false, code: 'empty-file' });
    const big = new Uint8Array(IMPORT_LIMITS.maxBytes + 1);
    expect(await analyseImport(big, 'big.csv')).toMatchObject({ ok: false, code: 'file-too-large' });
    // A ZIP that is not a workbook, named .csv: read as what it is.
    expect(await analyseImport(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'x.csv')).toMatchObject({ ok: false, code: 'not-xlsx' });
  });

  it('refuses a sheet with more rows than the limit as a whole, before importing any', async () => {
    const lines = ['Company,City', ...Array.from({ length: IMPORT_LIMITS.maxRows + 5 }, (_, i) => `Firm ${i},Town`)];
    expect(await analyseImport(utf8Csv(lines.join('\n')), 'huge.csv')).toMatchObject({ ok: false, code: 'too-many-rows' });
  });

  it('reads numbers and dates written as text', () => {
    expect(numberOfText('1,234.50')).toBe(1234.5);
    expect(numberOfText('￥12.5万')).toBe(125_000);
    expect(numberOfText('30%')).toBe(30);
    expect(numberOfText('many')).toBeNaN();
    expect(isoOfExcelSerial(45366)).toBe('2024-03-15');
  });

  it('reports each invalid cell with its row and column and imports none of that row', async () => {
    const csv = 'Company,Staff,Founded,Website,Email\nGood Ltd,12,2020/03/05,good.example.com,a@good.example.com\nBad Ltd,many,05/03/2020,,b@bad.example.com\n,3,,,\n';
    const result = await analyseImport(utf8Csv(csv), 'x.csv');
    if (!result.ok) throw new Error(result.message);
    expect(result.value.records.map((r) => r.fields.name)).toEqual(['Good Ltd']);
    expect(result.value.records[0]!.fields).toMatchObject({ staffCount: 12, foundingDate: '2020-03-05', website: 'https://good.example.com' });
    expect(result.value.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'Staff', 'invalid-value'],
      [3, 'Founded', 'invalid-date'],
      [4, 'Company', 'empty-name'],
    ]);
  });
});

describe('header recognition and saved mappings', () => {
  it('maps common Chinese and English headers onto the catalogue', () => {
    expect(guessMapping(['Company', 'Contact', 'Phone', 'E-mail', 'City', 'Industry', 'Notes', 'Whatever'])).toEqual(['name', 'contact.name', 'phone', 'contact.email', 'city', 'industry', 'note', '']);
    expect(guessMapping(['公司名称', '联系人', '电话', '手机', '邮箱', '地址', '城市', '行业', '统一编号', '开户行'])).toEqual(['name', 'contact.name', 'phone', 'contact.mobile', 'contact.email', 'address', 'city', 'industry', 'businessNumber', 'bank']);
    // "Name" is the company unless another column names it; a field's own label works too.
    expect(guessMapping(['Name', 'Email'])).toEqual(['name', 'contact.email']);
    expect(guessMapping(['Company Name', 'Name', '信用等级', 'Payment terms (days)'])).toEqual(['name', 'contact.name', 'creditRating', 'paymentTermsDays']);
  });

  it('applies a saved mapping by header text, whatever the column order', () => {
    const saved = savedFromMapping('Old CRM', ['Firma', 'Ort'], ['name', 'city']);
    expect(mappingFromSaved(['Ort', 'Extra', 'Firma'], saved)).toEqual(['city', '', 'name']);
  });
});

describe('vCards', () => {
  it('reads Outlook (2.1, quoted-printable), Google (3.0) and Apple (3.0, grouped) exports and vCard 4.0', async () => {
    const text = OUTLOOK_VCARD + GOOGLE_VCARDS + APPLE_VCARD + VCARD4;
    const result = await analyseImport(utf8Csv(text), 'contacts.vcf');
    if (!result.ok) throw new Error(result.message);
    const byName = new Map(result.value.records.map((r) => [r.fields.name, r]));
    expect(byName.get('华星电子有限公司')?.contacts[0]).toMatchObject({ name: '张伟', email: 'zhang.wei@huaxing-elec.com.cn', phone: '0755-8666 2001', profile: { mobile: '138 0013 8000', title: '采购经理' } });
    expect(byName.get('华星电子有限公司')?.fields).toMatchObject({ city: '深圳', domains: ['huaxing-elec.com.cn'] });
    expect(byName.get('Acme Industrial Supply')?.fields.website).toBe('https://acme-industrial.com');
    expect(byName.get('Acme Industrial Supply')?.note).toBe('Sarah Johnson: Prefers calls before 10am, Chicago time.');
    expect(byName.get('Keller Maschinenbau GmbH')?.contacts[0]).toMatchObject({ email: 'm.keller@keller-maschinen.de', phone: '+49 711 555 0120', profile: { birthDate: '1970-05-04' } });
    expect(byName.get('Keller Maschinenbau GmbH')?.fields.city).toBe('Stuttgart');
    expect(byName.get('Sakura Components K.K.')?.contacts[0]?.phone).toBe('+81-6-5555-0134');
    // No company and a free-mail address: the person is the customer.
    expect(byName.get('Tom Free')?.fields).toMatchObject({ nature: 'individual' });
    expect(byName.get('Tom Free')?.fields.domains).toBeUndefined();
  });

  it('attaches a person without a company to the card of their email domain', async () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Jonas Weber\nEMAIL:j.weber@keller-maschinen.de\nEND:VCARD\n';
    const result = await analyseImport(utf8Csv(vcard), 'jonas.vcf', { existing: [{ id: 'k', name: 'Keller Maschinenbau GmbH', emails: [], domains: ['keller-maschinen.de'] }] });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.duplicates).toEqual([{ row: 1, cardId: 'k', cardName: 'Keller Maschinenbau GmbH', by: 'domain' }]);
  });
});

describe('duplicates and the plan', () => {
  const existing: ExistingCard[] = [
    { id: 'c1', name: 'Jinding', emails: [], domains: [], businessNumber: '91310115 MA1K00001A' },
    { id: 'c2', name: 'Other', emails: ['zhoumin@qq.com'], domains: [] },
    { id: 'c3', name: 'Free', emails: [], domains: ['gmail.com'] },
    { id: 'c4', name: 'ACME Inc.', emails: [], domains: [] },
  ];

  it('matches by 统一编号, email, company domain (never free-mail) and name', async () => {
    const csv = 'Company,统一编号,Email\nX,91310115MA1K00001A,\nY,,zhoumin@qq.com\nZ,,z@gmail.com\nAcme Inc,,\nNew Co,,\n';
    const result = await analyseImport(utf8Csv(csv), 'x.csv', { existing });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.duplicates.map((d) => [d.row, d.cardId, d.by])).toEqual([
      [2, 'c1', 'business-number'],
      [3, 'c2', 'email'],
      [5, 'c4', 'name'],
    ]);
    const plan = buildPlan('x.csv', result.value.records, result.value.duplicates, { all: 'skip', rows: { 3: 'fill', 5: 'create' } });
    expect(plan.creates.map((r) => r.row)).toEqual([4, 5, 6]);
    expect(plan.fills.map((f) => [f.cardId, f.record.row])).toEqual([['c2', 3]]);
    expect(plan.skipped).toEqual([2]);
    expect(plan.reason).toBe('import x.csv');
  });

  it('groups rows of one company into one card with all its people', async () => {
    const csv = 'Company,Contact,Email,City\nKeller GmbH,Martin,m@keller.de,\nKeller GmbH,Jonas,j@keller.de,Stuttgart\n';
    const result = await analyseImport(utf8Csv(csv), 'x.csv');
    if (!result.ok) throw new Error(result.message);
    expect(result.value.records).toHaveLength(1);
    expect(result.value.records[0]!.contacts.map((c) => c.name)).toEqual(['Martin', 'Jonas']);
    expect(result.value.records[0]!.fields.city).toBe('Stuttgart');
  });

  it('fills only empty fields, adds only new people, and gives every change the import reason', () => {
    const record = { row: 2, fields: { name: 'X', city: 'Berlin', industry: 'Tools' }, contacts: [{ name: 'A', email: 'a@x.de', phone: '', profile: {} }, { name: 'B', email: 'b@x.de', phone: '', profile: {} }] };
    const view = { id: 'c', fields: { name: 'X', city: 'München' }, contacts: [{ id: 'p', name: 'A', email: 'a@x.de', role: 'other' as const, phone: '', profile: {}, createdAt: 0 }], timeline: [], ledger: [], history: [] };
    expect(fillSteps(view, record, 'import x.csv')).toEqual([
      { type: 'card-set-field', field: 'industry', value: 'Tools', reason: 'import x.csv' },
      { type: 'contact-add', name: 'B', email: 'b@x.de', role: 'business-contact' },
    ]);
    expect(seedOfRecord(record).create).toEqual({ type: 'card-create', name: 'X', domains: [], fields: { city: 'Berlin', industry: 'Tools' } });
  });

  it('finds nothing among no cards', () => {
    expect(findDuplicates([], [])).toEqual([]);
  });
});

describe('a sheet over the row limit', () => {
  it('is refused from its declared size, before the workbook is loaded', async () => {
    const { xlsxBytes: write } = await import('../../tests/import/fixtures.ts');
    const { declaredRows } = await import('./xlsx-peek.ts');
    const big = await write((sheet) => {
      sheet.addRow(['客户名称', '城市']);
      for (let i = 0; i < IMPORT_LIMITS.maxRows + 10; i++) sheet.addRow([`公司${i}`, '上海']);
    });
    expect(await declaredRows(big)).toBe(IMPORT_LIMITS.maxRows + 11);
    const started = performance.now();
    expect(await analyseImport(big, 'big.xlsx')).toMatchObject({ ok: false, code: 'too-many-rows', params: { rows: IMPORT_LIMITS.maxRows + 10 } });
    expect(performance.now() - started).toBeLessThan(1_000);
    // A used range stretched by formatting alone is not believed; the full reader decides.
    const sparse = await write((sheet) => {
      sheet.addRow(['Company']);
      sheet.addRow(['Acme']);
      sheet.getCell(`A${IMPORT_LIMITS.maxRows + 100}`).numFmt = '0.00';
      sheet.getCell(`A${IMPORT_LIMITS.maxRows + 100}`).value = ' ';
    });
    expect(await declaredRows(sparse)).toBeUndefined();
  }, 60_000);
});
