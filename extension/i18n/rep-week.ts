/** UI strings of the rep's week (corrections, terms and due dates, the collection plan, contact logging, cadence, closeness), both languages. */
export const repWeekEn = {
  'errors.already-corrected': 'This entry was already corrected: correct the latest correction instead.',
  'correct.action': 'Correct',
  'correct.by': 'by {by}',
  'correct.correctedBy': 'corrected by {by} on {date}: {reason}',
  'correct.correction': 'Correction by {by} on {date}: {reason}',
  'correct.reason': 'Reason for the correction (required)',
  'correct.save': 'Save correction',
  'correct.text': 'Corrected text',
  'terms.dueOn': 'due {date}',
} as const;

export const repWeekZh: Record<keyof typeof repWeekEn, string> = {
  'errors.already-corrected': '这条记录已被更正：请更正最新的那条更正。',
  'correct.action': '更正',
  'correct.by': '记录人 {by}',
  'correct.correctedBy': '已由 {by} 于 {date} 更正：{reason}',
  'correct.correction': '{by} 于 {date} 更正：{reason}',
  'correct.reason': '更正原因（必填）',
  'correct.save': '保存更正',
  'correct.text': '更正后的内容',
  'terms.dueOn': '{date} 到期',
};
