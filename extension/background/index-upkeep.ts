/**
 * Keeps the local index current in the service worker: at start, rows built by another row
 * version are rebuilt from the Yjs state (an extension update changed the rules); once a day,
 * and at start when the day has changed, every row's date-dependent fields (stage, overdue,
 * 12-month purchases, class) are brought up to date from the rows alone.
 */
import { getCardStore } from '../store/index.ts';

const ALARM = 'index-refresh';

async function refreshIfNewDay(): Promise<void> {
  const store = getCardStore();
  await store.ensureIndexVersion();
  const refreshedOn = await store.getSetting<string>('rowsRefreshedOn');
  const today = new Date().toDateString();
  if (refreshedOn === today) return;
  // Once a day (it reads every row): rows that were stored without their pinyin terms get them.
  await store.fillPinyin();
  await store.refreshRows();
  await store.setSetting('rowsRefreshedOn', today);
}

export function startIndexUpkeep(): void {
  void chrome.alarms.create(ALARM, { periodInMinutes: 60 });
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) void refreshIfNewDay().catch((error) => console.error('customer-cards: index refresh failed', error));
  });
  void refreshIfNewDay().catch((error) => console.error('customer-cards: index refresh failed', error));
}
