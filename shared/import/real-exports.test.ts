/**
 * The files people actually bring, through the shared import core: a register kept in Excel
 * (title, 制表人 line, merged company cells, 小计 / 合计, notes below) as XLSX and as Chinese
 * Excel's GBK CSV, and contact exports shaped exactly like Outlook's, Google Contacts', Apple's,
 * WeCom's, DingTalk's, Salesforce's and HubSpot's (tests/fixtures/import).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EAST_CHINA_REGISTER_CSV, eastChinaRegister, gbkCsv, utf8Csv, xlsxBytes } from '../../tests/import/fixtures.ts';
import { analyseImport, type Analysis } from './analyse.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../../tests/fixtures/import', name)));

async function analysed(bytes: Uint8Array, name: string, options: Parameters<typeof analyseImport>[2] = {}): Promise<Analysis> {
  const result = await analyseImport(bytes, name, options);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const byName = (a: Analysis) => new Map(a.records.map((r) => [String(r.fields.name), r]));
const noteOf = (a: Analysis, code: string) => a.notes.find((n) => n.code === code)?.params;

describe('a register kept in Excel', () => {
  it('finds the header below the title, 制表人 and blank rows; leaves out 小计, 合计 and the notes; reads merged cells and numbers as text', async () => {
    const a = await analysed(await xlsxBytes(eastChinaRegister), '华东区客户名册.xlsx');
    expect(a.headerRow).toBe(4);
    expect(a.headers).toEqual(['序号', '客户名称', '联系人', '手机', '邮箱', '城市', '统一编号', '年交易额']);
    expect(noteOf(a, 'header-row')).toEqual({ row: 4 });
    expect(noteOf(a, 'rows-above')).toEqual({ count: 2, rows: '1, 2' });
    expect(noteOf(a, 'totals-rows')).toEqual({ count: 2, rows: '8, 10' });
    expect(noteOf(a, 'notes-below')).toEqual({ count: 2, rows: '11, 12' });
    expect(a.candidates?.map((c) => c.row).slice(0, 4)).toEqual([1, 2, 4, 5]);
    expect(a.candidates?.[1]?.text).toBe('制表人：张三 · 日期：2026-12-01');
    // No customer named 合计, 小计 or 注.
    expect([...byName(a).keys()].sort()).toEqual(['南京长江机电有限公司', '金鼎贸易有限公司']);
    // The company merged over two rows is one customer with both people; phones as written.
    const jinding = byName(a).get('金鼎贸易有限公司')!;
    expect(jinding.rows).toEqual([5, 6]);
    expect(jinding.contacts.map((c) => [c.name, c.profile.mobile])).toEqual([['李娜', '13800138000'], ['张伟', '13800138001']]);
    expect(jinding.fields).toMatchObject({ businessNumber: '91310115MA1K00001A', yearlyAmount: 1_200_000 });
    // An 18-digit 统一编号 typed as a number has lost digits in Excel: refused, never stored wrong.
    expect(a.errors).toEqual([expect.objectContaining({ row: 7, column: '统一编号', code: 'digits-lost' })]);
    expect(a.sample[0]?.[3]).toBe('13800138000');
    // 序号 goes nowhere, and says so.
    expect(a.unmapped).toEqual([{ column: 0, header: '序号', filled: 4 }]);
  });

  it('reads the same register saved as a GBK CSV, and refuses the phone Excel wrote in exponent form', async () => {
    const a = await analysed(gbkCsv(EAST_CHINA_REGISTER_CSV), '华东区客户名册.csv');
    expect(a.encoding).toBe('gb18030');
    expect(a.headerRow).toBe(4);
    expect(noteOf(a, 'totals-rows')).toEqual({ count: 2, rows: '8, 10' });
    expect(noteOf(a, 'notes-below')).toEqual({ count: 2, rows: '11, 12' });
    expect([...byName(a).keys()].sort()).toEqual(['南京长江机电有限公司', '金鼎贸易有限公司']);
    expect(a.errors.map((e) => [e.row, e.column, e.code])).toEqual([[7, '手机', 'digits-lost'], [7, '统一编号', 'digits-lost']]);
  });

  it('takes another header row when the user picks one, and refuses an empty one with a clear reason', async () => {
    const bytes = await xlsxBytes(eastChinaRegister);
    const title = await analysed(bytes, 'r.xlsx', { headerRow: 2 });
    expect(title.headerRow).toBe(2);
    expect(title.headers[0]).toBe('制表人：张三');
    expect(title.mappingProblem).toBe('no-name-column');
    expect(await analyseImport(bytes, 'r.xlsx', { headerRow: 3 })).toMatchObject({ ok: false, code: 'no-header', params: { row: 3 } });
    expect(await analyseImport(bytes, 'r.xlsx', { headerRow: 999 })).toMatchObject({ ok: false, code: 'no-header' });
  });

  it('keeps an unmapped column as a note when asked', async () => {
    const a = await analysed(await xlsxBytes(eastChinaRegister), 'r.xlsx', { keepUnmapped: true });
    expect(a.keepUnmapped).toBe(true);
    expect(byName(a).get('南京长江机电有限公司')?.note).toBe('序号: 4');
  });

  it('does not take a data row for the header when only one of its values looks like a column name', async () => {
    const a = await analysed(utf8Csv('Firma,Ort\nAcme,City\nBeta,Town\n'), 'x.csv');
    expect(a.headerRow).toBe(1);
    expect(a.total).toBe(2);
  });
});

describe('contact exports, known by their headers', () => {
  it('Outlook: the person named from first and last name, the company as the customer, job title (not the salutation), department, every email and phone, the business address', async () => {
    const a = await analysed(fixture('outlook-contacts.csv'), 'contacts.csv');
    expect(a.format).toBe('outlook');
    expect(a.headerRow).toBe(1);
    const acme = byName(a).get('Acme Industrial Supply')!;
    // Kevin has no company but an acme-industrial.com address: he joins Acme by its domain.
    expect(acme.rows).toEqual([2, 3, 5]);
    expect(acme.groupedBy).toBe('domain');
    expect(acme.contacts.map((c) => c.name)).toEqual(['Sarah Johnson', 'David Miller', 'Kevin Lee']);
    const sarah = acme.contacts[0]!;
    expect(sarah).toMatchObject({ email: 'sarah.johnson@acme-industrial.com', phone: '+1 312 555 0100', profile: { title: 'Purchasing Manager', department: 'Purchasing', mobile: '+1 312 555 0199', otherEmails: 'purchasing@acme-industrial.com' } });
    expect(acme.fields).toMatchObject({ city: 'Chicago', address: '200 W Madison St, Suite 1200, IL, 60606, United States', website: 'https://acme-industrial.com', domains: ['acme-industrial.com'] });
    expect(acme.note).toBe('Met at the Canton Fair, spring 2026.');
    const huaxin = byName(a).get('华信贸易有限公司')!;
    expect(huaxin.contacts[0]).toMatchObject({ name: '王芳', email: 'wang.fang@huaxin-trade.cn', profile: { title: '采购经理', department: '采购部', mobile: '138 0013 8000' } });
    expect(byName(a).get('Tom Free')?.fields.nature).toBe('individual');
    expect(a.records).toHaveLength(3);
    expect(a.errors).toEqual([]);
    // The salutation and the rest are listed, not dropped silently.
    const unmapped = new Map(a.unmapped.map((u) => [u.header, u.filled]));
    expect(unmapped.get('Title')).toBe(4);
    expect(unmapped.get('Birthday')).toBe(5);
    expect(unmapped.get('Categories')).toBe(1);
  });

  it('Google Contacts: company as the customer, " ::: " splitting several emails and phones in one cell, title, department, address', async () => {
    const a = await analysed(fixture('google-contacts.csv'), 'contacts.csv');
    expect(a.format).toBe('google');
    expect([...byName(a).keys()]).toEqual(['Keller Maschinenbau GmbH', 'Sakura Components K.K.']);
    const keller = byName(a).get('Keller Maschinenbau GmbH')!;
    expect(keller.rows).toEqual([2, 3]);
    expect(keller.contacts[0]).toMatchObject({
      name: 'Martin Keller',
      email: 'm.keller@keller-maschinen.de',
      phone: '+49 711 555 0120',
      profile: { title: 'Einkaufsleiter', department: 'Einkauf', otherEmails: 'martin.keller@keller-maschinen.de, martin.keller@gmx.de', otherPhones: '+49 170 555 0121, +49 171 555 0122' },
    });
    expect(keller.fields).toMatchObject({ city: 'Stuttgart', address: 'Hauptstraße 5, 70173, Germany', website: 'https://keller-maschinen.de' });
    expect(byName(a).get('Sakura Components K.K.')?.note).toBe('Prefers email in English.');
    expect(a.unmapped.find((u) => u.header === 'Labels')?.filled).toBe(3);
  });

  it('Apple Contacts: Email (work), Phone (mobile), Address (work) columns', async () => {
    const a = await analysed(fixture('apple-contacts.csv'), 'contacts.csv');
    expect(a.format).toBe('apple');
    const dongfang = byName(a).get('东方电子股份有限公司')!;
    expect(dongfang.contacts[0]).toMatchObject({ name: '李明', email: 'li.ming@dongfang-elec.com', phone: '0755-8888 0202', profile: { mobile: '13900139000', title: '总经理', department: '管理层' } });
    expect(dongfang.fields).toMatchObject({ city: '深圳', address: '南山区科技园路 8 号, 广东, 518000, 中国' });
    expect(byName(a).get('Brightline Retail Ltd')?.contacts[0]?.profile.otherEmails).toBe('emily.c@outlook.com');
  });

  it('WeCom and DingTalk address books: people without a company column grouped into one customer by email domain', async () => {
    const wecom = await analysed(fixture('wecom-address-book.csv'), '通讯录.csv');
    expect(wecom.format).toBe('wecom');
    expect(wecom.records).toHaveLength(1);
    const jinding = wecom.records[0]!;
    expect(jinding.groupedBy).toBe('domain');
    expect(jinding.rows).toEqual([2, 3, 4]);
    expect(jinding.fields.domains).toEqual(['jinding-trading.cn']);
    // 个人邮箱 comes first in the file; the work address is the person's, the QQ one kept too.
    expect(jinding.contacts.map((c) => [c.name, c.email, c.profile.title, c.profile.department])).toEqual([
      ['张伟', 'zhang.wei@jinding-trading.cn', '销售总监', '金鼎贸易/销售部'],
      ['李娜', 'li.na@jinding-trading.cn', '采购经理', '金鼎贸易/采购部'],
      ['陈静', 'chen.jing@jinding-trading.cn', '财务', '金鼎贸易/财务部'],
    ]);
    expect(jinding.contacts[1]?.profile).toMatchObject({ otherEmails: 'lina1990@qq.com', mobile: '13800138002' });
    const ding = await analysed(fixture('dingtalk-address-book.csv'), '通讯录.csv');
    expect(ding.format).toBe('dingtalk');
    expect(ding.records).toHaveLength(1);
    expect(ding.records[0]!.contacts.map((c) => [c.name, c.profile.title, c.profile.mobile])).toEqual([['周敏', '外贸经理', '13900139001'], ['吴磊', '生产主管', '13900139002']]);
    expect(ding.records[0]!.fields.address).toBe('杭州市西湖区文三路 1 号');
  });

  it('Salesforce and HubSpot contact exports', async () => {
    const sf = await analysed(fixture('salesforce-contacts.csv'), 'report.csv');
    expect(sf.format).toBe('salesforce');
    const pacific = byName(sf).get('Pacific Rim Furniture')!;
    expect(pacific.contacts.map((c) => [c.name, c.profile.title, c.profile.department])).toEqual([['Kevin Nguyen', 'Head of Purchasing', 'Procurement'], ['Laura Kim', 'Controller', 'Finance']]);
    expect(pacific.fields).toMatchObject({ city: 'Los Angeles', address: '500 S Grand Ave, CA, 90071, USA' });
    expect(sf.unmapped.map((u) => u.header)).toEqual(['Contact Owner', 'Salutation', 'Lead Source', 'Birthdate', 'Contact ID']);
    const hs = await analysed(fixture('hubspot-contacts.csv'), 'hubspot.csv');
    expect(hs.format).toBe('hubspot');
    const aurora = byName(hs).get('Aurora Home Goods Inc.')!;
    expect(aurora.rows).toEqual([2, 3]);
    expect(aurora.contacts[0]).toMatchObject({ name: 'Olivia Tremblay', email: 'olivia.t@aurora-homegoods.ca', phone: '+1 416 555 0181', profile: { mobile: '+1 416 555 0182', title: 'Category Manager' } });
    expect(aurora.fields).toMatchObject({ city: 'Toronto', address: '100 King St W, ON, M5X 1A9, Canada' });
  });

  it('an Outlook export saved in GBK by Chinese Outlook reads the same', async () => {
    const text = new TextDecoder().decode(fixture('outlook-contacts.csv'));
    const a = await analysed(gbkCsv(text), 'contacts.csv');
    expect(a.format).toBe('outlook');
    expect(byName(a).get('华信贸易有限公司')?.contacts[0]?.name).toBe('王芳');
  });
});
