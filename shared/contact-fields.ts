/**
 * The people on a card: their roles and the fields kept about each person — the base details
 * (DOMAIN.md §2) and the full Mackay 66 profile in its seven sections (DOMAIN.md appendix). One
 * entry per item: the card page renders from this list and contact-set-field validates with it.
 * "Topics never to raise" is sensitive: shown with a warning, left out of exports and prints
 * unless the user includes it.
 */
import type { ContactRole } from './card-types.ts';
import type { FieldType, Label } from './fields.ts';

export interface ContactFieldDef {
  key: string;
  section: string;
  type: FieldType;
  label: Label;
  sensitive?: boolean;
  important?: boolean;
}

export const CONTACT_ROLES: { value: ContactRole; label: Label }[] = [
  { value: 'owner', label: { en: 'Owner', zh: '所有者' } },
  { value: 'operator', label: { en: 'Operator', zh: '经营者' } },
  { value: 'legal-representative', label: { en: 'Legal representative', zh: '法人' } },
  { value: 'purchasing', label: { en: 'Purchasing', zh: '采购' } },
  { value: 'payment-contact', label: { en: 'Payment contact', zh: '付款接洽' } },
  { value: 'business-contact', label: { en: 'Business contact', zh: '业务接洽' } },
  { value: 'other', label: { en: 'Other', zh: '其他' } },
];

export const CONTACT_SECTIONS: { key: string; label: Label }[] = [
  { key: 'basics', label: { en: 'Contact details', zh: '联系资料' } },
  { key: 'person', label: { en: '1 · The person', zh: '1 · 个人资料' } },
  { key: 'education', label: { en: '2 · Education', zh: '2 · 教育背景' } },
  { key: 'family', label: { en: '3 · Family', zh: '3 · 家庭' } },
  { key: 'business', label: { en: '4 · Business background', zh: '4 · 业务背景' } },
  { key: 'interests', label: { en: '5 · Special interests', zh: '5 · 特殊兴趣' } },
  { key: 'lifestyle', label: { en: '6 · Lifestyle', zh: '6 · 生活方式' } },
  { key: 'relationship', label: { en: '7 · The person and you', zh: '7 · 与你的关系' } },
];

function c(section: string, key: string, type: FieldType, en: string, zh: string, extra: Partial<ContactFieldDef> = {}): ContactFieldDef {
  return { key, section, type, label: { en, zh }, ...extra };
}

export const CONTACT_FIELDS: ContactFieldDef[] = [
  c('basics', 'name', 'text', 'Name', '姓名', { important: true }),
  c('basics', 'role', 'enum', 'Role', '角色'),
  c('basics', 'email', 'email', 'Email', '邮箱', { important: true }),
  c('basics', 'phone', 'phone', 'Phone', '电话', { important: true }),
  c('basics', 'mobile', 'phone', 'Mobile', '手机'),
  // Contact exports (Outlook, Google, CRMs) carry these; an import keeps them rather than drop them.
  c('basics', 'otherEmails', 'text', 'Other emails', '其他邮箱'),
  c('basics', 'otherPhones', 'text', 'Other phones', '其他电话'),
  c('basics', 'department', 'text', 'Department', '部门'),
  c('person', 'nickname', 'text', 'Nickname', '昵称'),
  c('person', 'title', 'text', 'Title', '职务', { important: true }),
  c('person', 'homeAddress', 'longtext', 'Home address', '住址'),
  c('person', 'homePhone', 'phone', 'Home phone', '住宅电话'),
  c('person', 'birthDate', 'date', 'Birth date', '出生日期', { important: true }),
  c('person', 'birthplace', 'text', 'Birthplace / hometown', '籍贯'),
  c('person', 'appearance', 'longtext', 'Appearance', '外貌特征'),
  c('person', 'personality', 'longtext', 'Personality', '性格'),
  c('person', 'abilities', 'longtext', 'Abilities', '能力'),
  c('education', 'highSchool', 'text', 'High school and year', '高中及毕业年份'),
  c('education', 'college', 'text', 'College, year, degrees', '大学、年份、学位'),
  c('education', 'honours', 'text', 'Honours, advanced degrees', '荣誉、进修学位'),
  c('education', 'collegeClubs', 'text', 'Fraternity / clubs, sports', '社团、运动'),
  c('education', 'extracurricular', 'longtext', 'Extracurricular activities', '课外活动'),
  c('education', 'noCollegeNote', 'longtext', 'If no college: sensitive about it? What instead', '未读大学：是否介意？其他经历'),
  c('education', 'military', 'text', 'Military service, rank, attitude', '服役、军衔、态度'),
  c('family', 'married', 'boolean', 'Married', '已婚'),
  c('family', 'spouseName', 'text', 'Spouse’s name', '配偶姓名', { important: true }),
  c('family', 'spouseEducation', 'text', 'Spouse’s education', '配偶教育程度'),
  c('family', 'spouseInterests', 'longtext', 'Spouse’s interests and affiliations', '配偶兴趣及所属团体'),
  c('family', 'weddingAnniversary', 'date', 'Wedding anniversary', '结婚纪念日'),
  c('family', 'childrenNames', 'longtext', 'Children: names, ages, schooling', '子女姓名、年龄、学校'),
  c('family', 'childrenInterests', 'longtext', 'Children’s interests', '子女兴趣'),
  c('business', 'previousEmployers', 'longtext', 'Previous employers (company, place, dates, title)', '以前的雇主（公司、地点、时间、职务）'),
  c('business', 'earlierPositions', 'longtext', 'Earlier positions at the present company', '在现公司的历任职位'),
  c('business', 'statusSymbols', 'longtext', 'Status symbols in the office', '办公室里的身份象征'),
  c('business', 'tradeAssociations', 'longtext', 'Trade associations and offices held', '行业协会及职务'),
  c('business', 'mentors', 'text', 'Mentors', '导师'),
  c('business', 'relationsWithUs', 'longtext', 'Relationships with others in our company', '与本公司其他人的关系'),
  c('business', 'whoElseKnows', 'longtext', 'Who else knows them, and how', '还有谁认识他，如何认识'),
  c('business', 'proudestBusinessAchievement', 'longtext', 'Proudest business achievement', '最得意的业务成就'),
  c('business', 'businessGoals', 'longtext', 'Long-range and immediate business goals', '长期与近期业务目标'),
  c('business', 'greatestConcern', 'longtext', 'Greatest current concern', '目前最关心的事', { important: true }),
  c('business', 'presentOrFuture', 'text', 'Thinks mostly about the present or the future', '着眼现在还是未来'),
  c('interests', 'clubs', 'longtext', 'Clubs and service organisations', '俱乐部、服务团体'),
  c('interests', 'politics', 'longtext', 'Politics', '政治倾向'),
  c('interests', 'community', 'longtext', 'Community activities', '社区活动'),
  c('interests', 'religion', 'text', 'Religion', '宗教信仰'),
  c('interests', 'topicsToAvoid', 'longtext', 'Confidential topics never to raise', '切勿提及的话题', { sensitive: true }),
  c('interests', 'strongFeelings', 'longtext', 'Subjects they feel strongly about', '特别在意的话题'),
  c('interests', 'caresAbout', 'longtext', 'What they care about', '关心的事', { important: true }),
  c('lifestyle', 'health', 'longtext', 'Health', '健康状况'),
  c('lifestyle', 'drinking', 'text', 'Drinking', '饮酒习惯'),
  c('lifestyle', 'smoking', 'text', 'Smoking', '吸烟习惯'),
  c('lifestyle', 'favouritePlaces', 'longtext', 'Favourite places for lunch and dinner, dishes', '喜欢的餐厅和菜式'),
  c('lifestyle', 'objectsToOthersPaying', 'boolean', 'Objects to others paying', '介意别人买单'),
  c('lifestyle', 'hobbies', 'longtext', 'Hobbies and recreation', '嗜好与娱乐', { important: true }),
  c('lifestyle', 'vacations', 'text', 'Vacation habits', '度假习惯'),
  c('lifestyle', 'sports', 'text', 'Spectator sports and teams', '喜欢观看的运动及球队'),
  c('lifestyle', 'cars', 'text', 'Car(s)', '座驾'),
  c('lifestyle', 'conversationTopics', 'longtext', 'Conversational interests', '爱聊的话题'),
  c('lifestyle', 'wantsToImpress', 'longtext', 'Whom they want to impress, how they want to be seen', '想给谁留下印象、希望被如何看待'),
  c('lifestyle', 'adjectives', 'text', 'Adjectives that describe them', '形容他的词'),
  c('lifestyle', 'proudestPersonalAchievement', 'longtext', 'Proudest personal achievement', '最得意的个人成就'),
  c('lifestyle', 'personalGoals', 'longtext', 'Long-range and immediate personal goals', '长期与近期个人目标'),
  c('relationship', 'ethics', 'longtext', 'Moral or ethical considerations', '道德或伦理上的顾虑'),
  c('relationship', 'feelsObligated', 'longtext', 'Feels obligated to you, us or competitors (why)', '对你、本公司或竞争对手是否有亏欠感（原因）'),
  c('relationship', 'changeOfHabit', 'longtext', 'Does our proposal ask them to change a habit?', '我们的提案是否要求他改变习惯'),
  c('relationship', 'othersOpinions', 'text', 'Concern for others’ opinions / self-centred / highly ethical', '在意他人看法／自我中心／重道德'),
  c('relationship', 'keyProblems', 'longtext', 'Key problems as they see them', '他眼中的关键问题'),
  c('relationship', 'managementPriorities', 'longtext', 'Priorities of their management, conflicts with them', '其管理层的优先事项及冲突'),
  c('relationship', 'howWeCanHelp', 'longtext', 'Can we help, and how', '我们能否帮忙、如何帮'),
  c('relationship', 'competitorAnswers', 'longtext', 'Does a competitor have better answers than we do?', '竞争对手的答案是否比我们更好'),
];

const byKey = new Map(CONTACT_FIELDS.map((field) => [field.key, field]));

export function contactFieldByKey(key: string): ContactFieldDef | undefined {
  return byKey.get(key);
}
