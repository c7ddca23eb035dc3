/** UI strings of what may leave the archive (export, print, backup, restore) and the responsible person's reminders, both languages. */
export const archiveEn = {
  'takeOut.leftOut': '{count} card(s) left out: borrowed cards, and cards that are not yours to export, stay in the company.',
  'takeOut.nothing': 'None of these cards may leave this device: nothing was released.',
  'takeOut.offline': 'The server cannot be reached, so nothing was released: every export, print and backup is recorded by the company’s server first. Try again when you are online.',
  'takeOut.signedOut': 'These cards belong to your company account: sign in to export, print or back them up.',
  'takeOut.server': 'The server refused: {message}',
  'takeOut.asking': 'Asking the server…',
  'takeOut.printRefused': 'This card may not be printed: a borrowed card is read here, never copied out of the company.',
  'restore.leftOut': '{count} card(s) in the file were not restored: you may no longer read them.',
  'restore.offline': 'The server cannot be reached, so nothing was restored: a restore keeps only the cards you may read, and the server must confirm which. Try again when you are online.',
  'restore.signedOut': 'This device’s cards belong to your company account: sign in to restore a backup.',
  'backup.leftOut': '{count} card(s) were left out of the backup: borrowed cards and cards that are not yours stay in the company.',
} as const;

export const archiveZh: Record<keyof typeof archiveEn, string> = {
  'takeOut.leftOut': '已略去 {count} 张卡：借阅的卡和不归您导出的卡留在公司。',
  'takeOut.nothing': '这些卡都不能离开本设备：未导出任何内容。',
  'takeOut.offline': '无法连接服务器，未导出任何内容：每次导出、打印和备份都须先由公司服务器记录。请联网后重试。',
  'takeOut.signedOut': '这些卡属于您的公司账户：请先登录，再导出、打印或备份。',
  'takeOut.server': '服务器拒绝：{message}',
  'takeOut.asking': '正在询问服务器…',
  'takeOut.printRefused': '此卡不能打印：借阅的卡只能在此查看，不得复制出公司。',
  'restore.leftOut': '文件中有 {count} 张卡未恢复：您已无权查看。',
  'restore.offline': '无法连接服务器，未恢复任何内容：恢复只保留您有权查看的卡，须由服务器确认。请联网后重试。',
  'restore.signedOut': '本设备的卡属于您的公司账户：请先登录，再恢复备份。',
  'backup.leftOut': '备份中略去了 {count} 张卡：借阅的卡和不归您的卡留在公司。',
};
