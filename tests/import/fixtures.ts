/**
 * Import fixtures made by the tests with the real libraries, never hand-typed binary: an XLSX
 * written by exceljs (Chinese headers, a merged title, a two-level merged header, dates, a
 * formula), CSVs in UTF-8 / UTF-8 with BOM / GBK (encoded by iconv-lite), and vCards shaped like
 * Outlook's (2.1, quoted-printable), Google Contacts' (3.0) and Apple Contacts' (3.0, item groups).
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export async function xlsxBytes(build: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户名单');
  build(sheet, workbook);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/**
 * A customer list as a Chinese office keeps it: a merged title line, a header whose 联系方式
 * group is merged over 电话 / 邮箱, dates, a formula, an empty row, one row with a bad email.
 */
export function chineseCustomerSheet(sheet: ExcelJS.Worksheet): void {
  sheet.addRow(['2026 年客户名单']);
  sheet.mergeCells('A1:H1');
  sheet.addRow(['客户名称', '统一编号', '联系人', '联系方式', '', '城市', '往来日期', '注册资本']);
  sheet.mergeCells('D2:E2');
  sheet.addRow(['', '', '', '电话', '邮箱', '', '', '']);
  sheet.mergeCells('A2:A3');
  sheet.mergeCells('B2:B3');
  sheet.mergeCells('C2:C3');
  sheet.mergeCells('F2:F3');
  sheet.mergeCells('G2:G3');
  sheet.mergeCells('H2:H3');
  sheet.addRow(['华信贸易有限公司', '91310000MA1FL0001X', '王芳', '021-5555 0101', 'wang.fang@huaxin-trade.cn', '上海', new Date(Date.UTC(2019, 2, 15)), 5_000_000]);
  sheet.addRow(['东方电子股份有限公司', '91440300MA5F00002Y', '李明', '0755-8888 0202', 'li.ming@dongfang-elec.com', '深圳', new Date(Date.UTC(2021, 10, 1)), { formula: '2000000*2', result: 4_000_000 }]);
  sheet.addRow([]);
  sheet.addRow(['北方机械厂', '', '赵强', '010-6666 0303', 'not-an-email', '北京', new Date(Date.UTC(2020, 0, 20)), 800_000]);
  sheet.getColumn(7).numFmt = 'yyyy-mm-dd';
}

export function gbkCsv(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gbk'));
}

export function utf8Csv(text: string, bom = false): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

/** Outlook's export: vCard 2.1, quoted-printable UTF-8 for Chinese, bare TYPE words. */
export const OUTLOOK_VCARD = [
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;LANGUAGE=zh-cn;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=BC=9F',
  'FN;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=BC=9F',
  'ORG;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:=E5=8D=8E=E6=98=9F=E7=94=B5=E5=AD=90=E6=9C=89=E9=99=90=E5=85=AC=E5=8F=B8;=E9=87=87=E8=B4=AD=E9=83=A8',
  'TITLE;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:=E9=87=87=E8=B4=AD=E7=BB=8F=E7=90=86',
  'TEL;WORK;VOICE:0755-8666 2001',
  'TEL;CELL;VOICE:138 0013 8000',
  'ADR;WORK;PREF;CHARSET=utf-8;ENCODING=QUOTED-PRINTABLE:;;=E7=A7=91=E6=8A=80=E5=9B=AD=E8=B7=AF 8 =E5=8F=B7;=',
  '=E6=B7=B1=E5=9C=B3;;518000;=E4=B8=AD=E5=9B=BD',
  'EMAIL;PREF;INTERNET:zhang.wei@huaxing-elec.com.cn',
  'END:VCARD',
  '',
].join('\r\n');

/** Google Contacts' export: vCard 3.0, TYPE lists, item groups for a website. */
export const GOOGLE_VCARDS = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Sarah Johnson',
  'N:Johnson;Sarah;;;',
  'EMAIL;TYPE=INTERNET;TYPE=WORK:sarah.johnson@acme-industrial.com',
  'TEL;TYPE=CELL:+1 312 555 0199',
  'ORG:Acme Industrial Supply;',
  'TITLE:Purchasing Manager',
  'item1.URL:https\\://acme-industrial.com',
  'item1.X-ABLabel:',
  'NOTE:Prefers calls before 10am\\, Chicago time.',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Tom Free',
  'N:Free;Tom;;;',
  'EMAIL;TYPE=INTERNET:tom.free@gmail.com',
  'END:VCARD',
  '',
].join('\n');

/** Apple Contacts' export: vCard 3.0, item-grouped emails with labels, a folded photo. */
export const APPLE_VCARD = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'PRODID:-//Apple Inc.//macOS 14.0//EN',
  'N:Keller;Martin;;;',
  'FN:Martin Keller',
  'ORG:Keller Maschinenbau GmbH;',
  'item1.EMAIL;type=INTERNET;type=pref:m.keller@keller-maschinen.de',
  'item1.X-ABLabel:_$!<Work>!$_',
  'TEL;type=WORK;type=VOICE;type=pref:+49 711 555 0120',
  'item2.ADR;type=WORK;type=pref:;;Hauptstraße 5;Stuttgart;;70173;Germany',
  'BDAY;value=date:1970-05-04',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRof',
  ' Hh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIy',
  'END:VCARD',
  '',
].join('\r\n');

/** vCard 4.0 (RFC 6350): tel URIs, PREF parameter. */
export const VCARD4 = [
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:Yuki Tanaka',
  'N:Tanaka;Yuki;;;',
  'ORG:Sakura Components K.K.',
  'EMAIL;TYPE=work;PREF=1:y.tanaka@sakura-components.jp',
  'TEL;VALUE=uri;TYPE="work,voice":tel:+81-6-5555-0134',
  'END:VCARD',
  '',
].join('\r\n');

/**
 * A customer register as it is kept in Excel: a merged title line, a "制表人：… 日期：…" line
 * and a blank row above the header; phones and ids typed as numbers; a company written once
 * and merged down over its two people; a 小计 row after the first region, a 合计 row at the
 * end, and notes below the table.
 */
export function eastChinaRegister(sheet: ExcelJS.Worksheet): void {
  sheet.addRow(['2026年华东区客户名册']);
  sheet.mergeCells('A1:H1');
  sheet.addRow(['制表人：张三', '', '', '', '', '日期：2026-12-01']);
  sheet.addRow([]);
  sheet.addRow(['序号', '客户名称', '联系人', '手机', '邮箱', '城市', '统一编号', '年交易额']);
  sheet.addRow([1, '金鼎贸易有限公司', '李娜', 13800138000, 'li.na@jinding-trading.cn', '上海', '91310115MA1K00001A', 1_200_000]);
  sheet.addRow([2, '', '张伟', 13800138001, 'zhang.wei@jinding-trading.cn', '上海', '', null]);
  sheet.mergeCells('B5:B6');
  sheet.addRow([3, '杭州西湖丝绸有限公司', '周敏', 13900139000, 'zhou.min@xihu-silk.com', '杭州', 913301006096123456, 800_000]);
  sheet.addRow(['小计', '', '', '', '', '', '', { formula: 'SUM(H5:H7)', result: 2_000_000 }]);
  sheet.addRow([4, '南京长江机电有限公司', '孙强', 13700137000, 'sun.qiang@changjiang-me.cn', '南京', '91320100MA1N00004C', 500_000]);
  sheet.addRow(['合计', '', '', '', '', '', '', { formula: 'H8+H9', result: 2_500_000 }]);
  sheet.mergeCells('A10:G10');
  sheet.addRow(['注：年交易额单位为元，数据截至 2026 年 11 月 30 日。']);
  sheet.addRow(['审核：李四']);
}

/** The same register saved by Excel as CSV in Chinese (GBK), the long id shown as Excel shows it. */
export const EAST_CHINA_REGISTER_CSV = [
  '2026年华东区客户名册,,,,,,,',
  '制表人：张三,,,,,日期：2026-12-01,,',
  ',,,,,,,',
  '序号,客户名称,联系人,手机,邮箱,城市,统一编号,年交易额',
  '1,金鼎贸易有限公司,李娜,13800138000,li.na@jinding-trading.cn,上海,91310115MA1K00001A,1200000',
  '2,金鼎贸易有限公司,张伟,13800138001,zhang.wei@jinding-trading.cn,上海,,',
  '3,杭州西湖丝绸有限公司,周敏,1.39001E+10,zhou.min@xihu-silk.com,杭州,9.13301E+17,800000',
  '小计,,,,,,,2000000',
  '4,南京长江机电有限公司,孙强,13700137000,sun.qiang@changjiang-me.cn,南京,91320100MA1N00004C,500000',
  '合计,,,,,,,2500000',
  '注：年交易额单位为元，数据截至 2026 年 11 月 30 日。,,,,,,,',
  '审核：李四,,,,,,,',
  '',
].join('\r\n');
