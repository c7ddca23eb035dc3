/**
 * Sample customers for the demo profile and for tests, made as the user who loads them: ~50 realistic Chinese and international
 * companies with their people, past contacts and orders, dated relative to `now`. Deterministic
 * (a fixed pseudo-random sequence), so every demo profile looks the same.
 * Includes the senders of the demo webmail: 李娜 <li.na@jinding-trading.cn> (金鼎贸易有限公司)
 * and Martin Keller <m.keller@keller-maschinen.de> (Keller Maschinenbau GmbH).
 */
import { seededRandom } from './random.ts';
import type { ContactRole, TimelineKind } from './card-types.ts';
import type { CardSeed, CardStep } from './mutations-types.ts';

const DAY = 86_400_000;

interface Company {
  name: string;
  domain: string;
  city: string;
  phone: string;
  category: string;
  people: [string, string, ContactRole][];
}

const CHINESE: Company[] = [
  { name: '金鼎贸易有限公司', domain: 'jinding-trading.cn', city: '上海', phone: '021-6288 1234', category: '贸易商', people: [['李娜', 'li.na', 'purchasing'], ['王强', 'wang.qiang', 'owner'], ['陈杰', 'chen.jie', 'payment-contact']] },
  { name: '深圳华星电子有限公司', domain: 'huaxing-elec.com.cn', city: '深圳', phone: '0755-8666 2001', category: '工厂', people: [['张伟', 'zhangwei', 'owner'], ['刘洋', 'liuyang', 'purchasing']] },
  { name: '杭州西湖丝绸有限公司', domain: 'xihu-silk.cn', city: '杭州', phone: '0571-8702 3344', category: '工厂', people: [['周敏', 'zhoumin', 'operator']] },
  { name: '北京远航物流股份有限公司', domain: 'yuanhang-logistics.com', city: '北京', phone: '010-6532 7788', category: '其他', people: [['赵磊', 'zhao.lei', 'business-contact'], ['孙丽', 'sun.li', 'payment-contact']] },
  { name: '广州百盛百货有限公司', domain: 'baisheng-dept.cn', city: '广州', phone: '020-8388 5566', category: '百货公司', people: [['黄丽华', 'huang.lihua', 'purchasing']] },
  { name: '成都天府食品有限公司', domain: 'tianfu-food.cn', city: '成都', phone: '028-8555 0909', category: '工厂', people: [['吴刚', 'wugang', 'owner'], ['郑雪', 'zheng.xue', 'purchasing']] },
  { name: '苏州精工机械有限公司', domain: 'jinggong-mach.com', city: '苏州', phone: '0512-6789 1122', category: '工厂', people: [['徐明', 'xu.ming', 'legal-representative']] },
  { name: '武汉长江建材有限公司', domain: 'changjiang-jc.cn', city: '武汉', phone: '027-8777 3030', category: '零售商', people: [['马超', 'machao', 'operator'], ['胡静', 'hu.jing', 'payment-contact']] },
  { name: '青岛海风渔业有限公司', domain: 'haifeng-fishery.cn', city: '青岛', phone: '0532-8210 4455', category: '其他', people: [['林峰', 'lin.feng', 'owner']] },
  { name: '南京紫金医疗器械有限公司', domain: 'zijin-med.com.cn', city: '南京', phone: '025-8456 1200', category: '工厂', people: [['何琳', 'he.lin', 'purchasing'], ['高远', 'gao.yuan', 'business-contact']] },
  { name: '厦门鹭岛茶业有限公司', domain: 'ludao-tea.cn', city: '厦门', phone: '0592-516 8899', category: '零售商', people: [['罗晓', 'luo.xiao', 'owner']] },
  { name: '天津渤海化工有限公司', domain: 'bohai-chem.com', city: '天津', phone: '022-2345 6677', category: '工厂', people: [['梁宇', 'liang.yu', 'purchasing'], ['宋佳', 'song.jia', 'payment-contact']] },
  { name: '西安秦川汽配有限公司', domain: 'qinchuan-auto.cn', city: '西安', phone: '029-8833 2211', category: '零售商', people: [['韩冰', 'han.bing', 'operator']] },
  { name: '宁波东海五金制品厂', domain: 'donghai-hardware.cn', city: '宁波', phone: '0574-8765 4321', category: '工厂', people: [['冯涛', 'feng.tao', 'owner'], ['曹颖', 'cao.ying', 'purchasing']] },
  { name: '长沙湘江文具有限公司', domain: 'xiangjiang-stationery.cn', city: '长沙', phone: '0731-8456 7890', category: '贸易商', people: [['邓辉', 'deng.hui', 'business-contact']] },
  { name: '重庆山城火锅连锁有限公司', domain: 'shancheng-hotpot.com', city: '重庆', phone: '023-6388 1188', category: '零售商', people: [['谢娟', 'xie.juan', 'purchasing']] },
  { name: '台北永丰商行', domain: 'yongfeng-trade.com.tw', city: '台北市', phone: '02-2345-6789', category: '贸易商', people: [['蔡淑芬', 'tsai.shufen', 'owner'], ['許志明', 'hsu.chihming', 'payment-contact']] },
  { name: '香港利达进出口有限公司', domain: 'leeta-hk.com', city: '香港', phone: '+852 2345 6789', category: '贸易商', people: [['陈家豪', 'kelvin.chan', 'business-contact']] },
  { name: '合肥徽商电器有限公司', domain: 'huishang-elec.cn', city: '合肥', phone: '0551-6555 3322', category: '零售商', people: [['潘悦', 'pan.yue', 'purchasing']] },
  { name: '昆明彩云花卉有限公司', domain: 'caiyun-flowers.cn', city: '昆明', phone: '0871-6333 8800', category: '其他', people: [['杨帆', 'yang.fan', 'owner']] },
  { name: '大连星海船舶配件有限公司', domain: 'xinghai-marine.cn', city: '大连', phone: '0411-8456 2323', category: '工厂', people: [['于洋', 'yu.yang', 'legal-representative'], ['姜红', 'jiang.hong', 'purchasing']] },
  { name: '福州闽江纺织有限公司', domain: 'minjiang-textile.cn', city: '福州', phone: '0591-8777 6655', category: '工厂', people: [['江涛', 'jiang.tao', 'operator']] },
  { name: '郑州中原粮油有限公司', domain: 'zhongyuan-grain.cn', city: '郑州', phone: '0371-6555 4433', category: '贸易商', people: [['田野', 'tian.ye', 'owner']] },
  { name: '无锡太湖光电科技有限公司', domain: 'taihu-opto.com', city: '无锡', phone: '0510-8222 7766', category: '工厂', people: [['秦雨', 'qin.yu', 'purchasing'], ['丁磊', 'ding.lei', 'business-contact']] },
  { name: '珠海横琴游艇有限公司', domain: 'hengqin-yacht.cn', city: '珠海', phone: '0756-8999 1010', category: '其他', people: [['钟磊', 'zhong.lei', 'owner']] },
];

const INTERNATIONAL: Company[] = [
  { name: 'Keller Maschinenbau GmbH', domain: 'keller-maschinen.de', city: 'Stuttgart', phone: '+49 711 555 0120', category: 'Factory', people: [['Martin Keller', 'm.keller', 'owner'], ['Jonas Weber', 'j.weber', 'purchasing']] },
  { name: 'Acme Industrial Supply', domain: 'acme-industrial.com', city: 'Chicago', phone: '+1 312 555 0142', category: 'Retailer', people: [['Sarah Johnson', 'sarah.johnson', 'purchasing'], ['Mike Brown', 'mike.brown', 'payment-contact']] },
  { name: 'Brightline Retail Ltd', domain: 'brightline-retail.co.uk', city: 'Manchester', phone: '+44 161 555 0199', category: 'Department store', people: [['Emily Clarke', 'emily.clarke', 'purchasing']] },
  { name: 'Northwind Traders', domain: 'northwind-traders.com', city: 'Seattle', phone: '+1 206 555 0173', category: 'Trading company', people: [['Andrew Fuller', 'andrew.fuller', 'business-contact'], ['Nancy Davolio', 'nancy.davolio', 'operator']] },
  { name: 'Fjord Seafood AS', domain: 'fjord-seafood.no', city: 'Bergen', phone: '+47 55 55 01 23', category: 'Other', people: [['Ingrid Hansen', 'ingrid.hansen', 'owner']] },
  { name: 'Maison Lefèvre SARL', domain: 'maison-lefevre.fr', city: 'Lyon', phone: '+33 4 72 55 01 88', category: 'Retailer', people: [['Camille Lefèvre', 'camille', 'owner'], ['Hugo Martin', 'hugo.martin', 'payment-contact']] },
  { name: 'Sakura Components K.K.', domain: 'sakura-components.jp', city: 'Osaka', phone: '+81 6 5555 0134', category: 'Factory', people: [['Yuki Tanaka', 'y.tanaka', 'purchasing']] },
  { name: 'Pampas Agro S.A.', domain: 'pampas-agro.com.ar', city: 'Rosario', phone: '+54 341 555 0111', category: 'Other', people: [['Lucía Fernández', 'lucia.fernandez', 'business-contact']] },
  { name: 'Van der Berg Logistics B.V.', domain: 'vdberg-logistics.nl', city: 'Rotterdam', phone: '+31 10 555 0166', category: 'Other', people: [['Pieter van der Berg', 'pieter', 'owner'], ['Sanne de Vries', 'sanne', 'payment-contact']] },
  { name: 'Aurora Home Goods Inc.', domain: 'aurora-homegoods.ca', city: 'Toronto', phone: '+1 416 555 0181', category: 'Department store', people: [['Olivia Tremblay', 'olivia.t', 'purchasing']] },
  { name: 'Kangaroo Outdoor Pty Ltd', domain: 'kangaroo-outdoor.com.au', city: 'Melbourne', phone: '+61 3 5550 1234', category: 'Retailer', people: [['Jack Wilson', 'jack.wilson', 'operator']] },
  { name: 'Alpenblick Hotels AG', domain: 'alpenblick-hotels.ch', city: 'Zürich', phone: '+41 44 555 01 77', category: 'Other', people: [['Lukas Meier', 'lukas.meier', 'purchasing'], ['Anna Keller', 'anna.keller', 'payment-contact']] },
  { name: 'Bosphorus Textiles A.Ş.', domain: 'bosphorus-textiles.com.tr', city: 'Istanbul', phone: '+90 212 555 0144', category: 'Factory', people: [['Mehmet Yılmaz', 'mehmet.yilmaz', 'owner']] },
  { name: 'Seoul Bright Electronics Co.', domain: 'seoulbright.co.kr', city: 'Seoul', phone: '+82 2 555 0198', category: 'Factory', people: [['Kim Min-jun', 'minjun.kim', 'purchasing']] },
  { name: 'Mumbai Spice Exports', domain: 'mumbai-spice.in', city: 'Mumbai', phone: '+91 22 5550 1122', category: 'Trading company', people: [['Rahul Mehta', 'rahul.mehta', 'owner'], ['Anjali Shah', 'anjali.shah', 'payment-contact']] },
  { name: 'Nordic Design Studio ApS', domain: 'nordicdesign.dk', city: 'Copenhagen', phone: '+45 33 55 01 09', category: 'Retailer', people: [['Freja Nielsen', 'freja', 'operator']] },
  { name: 'Greenfield Organics LLC', domain: 'greenfield-organics.com', city: 'Austin', phone: '+1 512 555 0137', category: 'Retailer', people: [['Daniel Garcia', 'dgarcia', 'purchasing']] },
  { name: 'Atlas Building Materials', domain: 'atlas-bm.ae', city: 'Dubai', phone: '+971 4 555 0166', category: 'Trading company', people: [['Omar Haddad', 'omar.haddad', 'business-contact']] },
  { name: 'Vienna Coffee House GmbH', domain: 'vienna-coffeehouse.at', city: 'Wien', phone: '+43 1 555 0123', category: 'Retailer', people: [['Sophie Gruber', 'sophie.gruber', 'owner']] },
  { name: 'Pacific Rim Furniture', domain: 'pacificrim-furniture.com', city: 'Los Angeles', phone: '+1 213 555 0159', category: 'Department store', people: [['Kevin Nguyen', 'kevin.nguyen', 'purchasing'], ['Laura Kim', 'laura.kim', 'payment-contact']] },
  { name: 'Milano Moda S.r.l.', domain: 'milano-moda.it', city: 'Milano', phone: '+39 02 5550 1188', category: 'Retailer', people: [['Giulia Rossi', 'giulia.rossi', 'purchasing']] },
  { name: 'Cape Winelands Exports', domain: 'capewinelands.co.za', city: 'Stellenbosch', phone: '+27 21 555 0100', category: 'Trading company', people: [['Thabo Nkosi', 'thabo.nkosi', 'owner']] },
  { name: 'Baltic Amber Trading OÜ', domain: 'baltic-amber.ee', city: 'Tallinn', phone: '+372 555 0133', category: 'Trading company', people: [['Kadri Tamm', 'kadri.tamm', 'business-contact']] },
  { name: 'Rio Verde Packaging Ltda', domain: 'rioverde-pack.com.br', city: 'São Paulo', phone: '+55 11 5555 0177', category: 'Factory', people: [['Ana Souza', 'ana.souza', 'purchasing']] },
  { name: 'Helsinki Marine Oy', domain: 'helsinki-marine.fi', city: 'Helsinki', phone: '+358 9 555 0155', category: 'Other', people: [['Mikko Virtanen', 'mikko.virtanen', 'owner']] },
];

const NOTES_ZH: [TimelineKind, string][] = [
  ['visit', '拜访客户工厂，参观了新生产线，对方计划明年扩产。'],
  ['call', '电话确认下季度订单数量，客户希望价格维持不变。'],
  ['email', '寄送了新产品目录和报价单。'],
  ['meeting', '在展会上见面，讨论了长期合作框架。'],
  ['note', '客户女儿今年高考，下次拜访可以问候。'],
  ['complaint', '上批货有少量包装破损，已安排补发。'],
  ['worth-sharing', '客户正在考察越南的供应商，需要关注价格竞争。'],
  ['call', '催收上月货款，对方承诺本周内付款。'],
];

const NOTES_EN: [TimelineKind, string][] = [
  ['visit', 'Visited their warehouse; they are consolidating suppliers next year.'],
  ['call', 'Confirmed Q1 volumes. Asked for a 3% discount on repeat orders.'],
  ['email', 'Sent the new catalogue and updated price list.'],
  ['meeting', 'Met at the trade fair; discussed an annual framework agreement.'],
  ['note', 'Big football fan (supports the local club). Avoid scheduling calls on match days.'],
  ['complaint', 'Late delivery of the October shipment; expedited the next one at our cost.'],
  ['worth-sharing', 'They are evaluating a competitor from Vietnam on price.'],
  ['call', 'Reminded them of the overdue invoice; payment promised by Friday.'],
];


function seedFor(company: Company, index: number, now: number, chinese: boolean): CardSeed {
  const random = seededRandom(index * 7919 + 17);
  const [first, ...others] = company.people;
  const createdAt = now - Math.floor(200 + random() * 500) * DAY;
  const steps: CardStep[] = [
    { type: 'card-set-field', field: 'city', value: company.city },
    { type: 'card-set-field', field: 'phone', value: company.phone },
    { type: 'card-set-field', field: 'category', value: company.category },
    { type: 'card-set-field', field: 'website', value: `https://www.${company.domain}` },
  ];
  for (const [name, local, role] of others) steps.push({ type: 'contact-add', name, email: `${local}@${company.domain}`, role });
  const notes = chinese ? NOTES_ZH : NOTES_EN;
  const noteCount = 2 + Math.floor(random() * 5);
  for (let i = 0; i < noteCount; i++) {
    const [kind, text] = notes[Math.floor(random() * notes.length)]!;
    const at = now - Math.floor(random() * 180 + 1) * DAY;
    const step: CardStep = { type: 'note-add', kind, text, at };
    if (i === 0 && random() < 0.5) step.followUp = now + Math.floor(random() * 20 - 5) * DAY;
    steps.push(step);
  }
  const orders = Math.floor(random() * 6);
  for (let i = 0; i < orders; i++) {
    const date = now - Math.floor(random() * 360 + 5) * DAY;
    const amount = Math.round((5 + random() * 195) * 1000);
    steps.push({ type: 'ledger-add', kind: 'order', date, amount, products: chinese ? '标准件 / 定制件' : 'Standard and custom parts' });
    if (random() < 0.75) steps.push({ type: 'ledger-add', kind: 'payment', date: date + 45 * DAY, amount: random() < 0.8 ? amount : Math.round(amount / 2) });
  }
  return {
    create: { type: 'card-create', name: company.name, domains: [company.domain], contact: { name: first![0], email: `${first![1]}@${company.domain}`, role: first![2] } },
    steps,
    // No actor: the sample customers are the loading user's own (records naming a fictional rep
    // are refused by any server the device later signs in to).
    at: createdAt,
  };
}

/** The sample customers, their contacts and history, dated relative to `now`. */
export function demoSeeds(now: number): CardSeed[] {
  return [...CHINESE.map((c, i) => seedFor(c, i, now, true)), ...INTERNATIONAL.map((c, i) => seedFor(c, i + 100, now, false))];
}
