/** Reminder settings: the contact cadence per ABC class (the company's, read-only, once it set them), and whether notifications can show. */
import { useEffect, useState } from 'react';
import { DEFAULT_REMINDERS, type ReminderSettings } from '../../../shared/reminders/due.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { useCompanyPolicy } from '../common/use-company-policy.ts';

export function RemindersSettings() {
  const store = useStore();
  const { t } = useLanguage();
  const [cadence, setCadence] = useState(DEFAULT_REMINDERS.cadenceDays);
  const [level, setLevel] = useState<string>();
  const company = useCompanyPolicy();
  useEffect(() => {
    void store.getSetting<Partial<ReminderSettings>>('reminders').then((saved) => setCadence({ ...DEFAULT_REMINDERS.cadenceDays, ...saved?.cadenceDays }));
    // Firefox has no permission level to read (its build leaves the call out).
    if (!import.meta.env.FIREFOX && chrome.notifications.getPermissionLevel) void chrome.notifications.getPermissionLevel().then(setLevel);
  }, [store]);
  const save = (cls: 'A' | 'B' | 'C', value: string) => {
    const days = Math.max(1, Math.min(3650, Math.round(Number(value)) || DEFAULT_REMINDERS.cadenceDays[cls]));
    const next = { ...cadence, [cls]: days };
    setCadence(next);
    void store.getSetting<Partial<ReminderSettings>>('reminders').then((saved) => store.setSetting('reminders', { ...saved, cadenceDays: next }));
  };
  return (
    <section className="settings-section" data-testid="settings-reminders">
      <h2>{t('settings.reminders')}</h2>
      {company ? <p className="muted">{(company.version > 0 ? t('policy.setByCompany', { version: company.version }) : t('policy.setByCompanyDefaults'))}</p> : null}
      {(['A', 'B', 'C'] as const).map((cls) => (
        <label key={cls}>
          <span>{t(`settings.cadence${cls}` as MessageKey)}</span>
          {company ? (
            <input type="number" readOnly value={company.policy.cadence[cls]} data-testid={`cadence-${cls}`} />
          ) : (
            <input type="number" min={1} max={3650} defaultValue={cadence[cls]} key={`${cls}-${cadence[cls]}`} onBlur={(e) => save(cls, e.target.value)} data-testid={`cadence-${cls}`} />
          )}
        </label>
      ))}
      {level ? <p className={level === 'granted' ? 'muted' : 'error'} data-testid="notification-level">{level === 'granted' ? t('settings.notificationsOn') : t('settings.notificationsDenied')}</p> : null}
    </section>
  );
}
