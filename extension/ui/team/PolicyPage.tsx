/**
 * The company rules (shared/policy/policy.ts) on the dashboard: every signed-in user reads them;
 * an admin changes them here and saves them as a new version (POST /api/policy: the server checks
 * each value and refuses naming the rule and why, told here in the user's language by the rule's
 * label: policy-refusal.ts). Values show in words, never as keys.
 */
import { useEffect, useState } from 'react';
import { FIELDS, SECTIONS } from '../../../shared/fields.ts';
import { CLASS_BASES, EXPORT_SCOPES, formatPolicyValue, LOAN_APPROVERS, policyValue, RATINGS } from '../../../shared/policy/policy.ts';
import { formatDate, labelOf, type MessageKey } from '../../i18n/index.ts';
import type { CustodyApi } from '../../sync/custody-api.ts';
import { useCustodyApi } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useLoaded } from './use-loaded.ts';
import { policyRefusalText } from './policy-refusal.ts';

const GROUPS: { title: MessageKey; keys: string[] }[] = [
  { title: 'policy.group.classes', keys: ['classes.basis', 'classes.aShare', 'classes.bShare', 'classes.aAmount', 'classes.bAmount', 'stage.dormantDays', 'stage.lostDays'] },
  { title: 'policy.group.cadence', keys: ['cadence.A', 'cadence.B', 'cadence.C', 'cadence.prospect', 'cadence.first-deal', 'cadence.won-back'] },
  { title: 'policy.group.custody', keys: ['creditFloor', 'reasonFields', 'loans.approver', 'loans.maxDays', 'export.rep', 'export.manager', 'export.admin'] },
  {
    title: 'policy.group.pool',
    keys: ['pool.enabled', ...['A', 'B', 'C'].flatMap((c) => [`pool.rules.${c}.noContactDays`, `pool.rules.${c}.noDealDays`]), 'pool.warnDays', 'pool.exemptWon', 'pool.dailyClaims', 'pool.maxHeld', 'pool.reclaimDays'],
  },
];

/** The choices of a rule that takes one of a few values (the rest are numbers). */
const CHOICES: Record<string, readonly string[]> = {
  'classes.basis': CLASS_BASES,
  'loans.approver': LOAN_APPROVERS,
  'export.rep': EXPORT_SCOPES,
  'export.manager': EXPORT_SCOPES,
  'export.admin': EXPORT_SCOPES,
  'pool.enabled': ['true', 'false'],
  'pool.exemptWon': ['true', 'false'],
  creditFloor: ['', ...RATINGS],
};

export function PolicyPage() {
  const { t } = useLanguage();
  const api = useCustodyApi();
  if (!api) return <p className="muted" data-testid="policy-signed-out">{t('team.signIn')}</p>;
  return <Policy api={api} />;
}

function Policy({ api }: { api: CustodyApi }) {
  const { t, language } = useLanguage();
  const me = useLoaded(() => api.me(), [api]);
  const current = useLoaded(() => api.policy(), [api]);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ version: number } | 'unchanged'>();
  const [error, setError] = useState<string>();
  const admin = me.value?.role === 'admin';
  useEffect(() => setDraft({}), [current.value]);
  if (current.error) return <p className="error">{current.error}</p>;
  const versioned = current.value;
  if (!versioned) return <p className="muted">{t('panel.loading')}</p>;
  const text = (key: string) => draft[key] ?? formatPolicyValue(policyValue(versioned.policy, key));
  const shown = (key: string, value: string): string => {
    if (key === 'reasonFields') return value.split(',').filter(Boolean).map((field) => { const def = FIELDS.find((f) => f.key === field); return def ? labelOf(language, def.label) : field; }).join(language === 'en' ? ', ' : '、');
    if (CHOICES[key] && key !== 'creditFloor') return t(`policy.value.${value}` as MessageKey);
    if (key.endsWith('Share')) return `${Math.round(Number(value) * 100)} %`;
    return value === '' ? '—' : value;
  };
  const save = async () => {
    setError(undefined);
    setNotice(undefined);
    try {
      const saved = await api.setPolicy(draft);
      setNotice(saved.changes.length > 0 ? { version: saved.policy.version } : 'unchanged');
      current.reload();
    } catch (failure) {
      // Told in the user's language, naming the rule by its label (policy-refusal.ts), never by its key.
      setError(policyRefusalText(language, failure));
    }
  };
  return (
    <div className="team-desk" data-testid="policy-page">
      <p className="muted">
        {t('policy.intro')} {admin ? '' : t('policy.adminOnly')}
      </p>
      <p className="muted" data-testid="policy-version">
        {versioned.version === 0 ? t('policy.defaults') : t('policy.version', { version: versioned.version, date: formatDate(language, versioned.at), by: versioned.by })}
      </p>
      {GROUPS.map((group) => (
        <section key={group.title} className="dashboard-section">
          <h2>{t(group.title)}</h2>
          <table className="table">
            <tbody>
              {group.keys.map((key) => (
                <tr key={key}>
                  <td>{t(`policy.key.${key}` as MessageKey)}</td>
                  <td>
                    {!admin ? shown(key, text(key)) : key === 'reasonFields' ? (
                      <ReasonFieldsEditor value={text(key)} onChange={(value) => setDraft({ ...draft, [key]: value })} summary={shown(key, text(key))} />
                    ) : (
                      <Editor rule={key} value={text(key)} onChange={(value) => setDraft({ ...draft, [key]: value })} shown={shown} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {admin ? (
        <div className="settings-actions">
          <button type="button" className="primary" disabled={Object.keys(draft).length === 0} onClick={() => void save()} data-testid="policy-save">
            {t('policy.save')}
          </button>
          {notice ? <span className="saved" data-testid="policy-notice">{notice === 'unchanged' ? t('policy.unchanged') : t('policy.saved', notice)}</span> : null}
        </div>
      ) : null}
      {error ? <p className="error" data-testid="policy-error">{error}</p> : null}
    </div>
  );
}

/**
 * The fields whose change needs a reason, ticked by section. The controlled fields always need
 * one (ticked, not to be unticked); the owner moves only by a handover, which has its own reason.
 */
function ReasonFieldsEditor({ value, onChange, summary }: { value: string; onChange: (value: string) => void; summary: string }) {
  const { language, t } = useLanguage();
  const chosen = new Set(value.split(',').filter(Boolean));
  const toggle = (key: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    onChange(FIELDS.filter((field) => next.has(field.key)).map((field) => field.key).join(','));
  };
  return (
    <details className="reason-fields" data-testid="policy-reasonFields">
      <summary>
        {summary} · <span className="link">{t('policy.reasonFields.choose')}</span>
      </summary>
      {SECTIONS.map((section) => {
        const fields = FIELDS.filter((field) => field.section === section.key && field.setBy !== 'server');
        if (fields.length === 0) return null;
        return (
          <fieldset key={section.key}>
            <legend>{labelOf(language, section.label)}</legend>
            {fields.map((field) => (
              <label key={field.key} title={field.controlled ? t('policy.reasonFields.always') : undefined}>
                <input type="checkbox" checked={field.controlled === true || chosen.has(field.key)} disabled={field.controlled === true} onChange={(e) => toggle(field.key, e.target.checked)} data-testid={`reason-field-${field.key}`} />{' '}
                {labelOf(language, field.label)}
              </label>
            ))}
          </fieldset>
        );
      })}
      <p className="muted">{t('policy.reasonFields.always')}</p>
    </details>
  );
}

function Editor({ rule, value, onChange, shown }: { rule: string; value: string; onChange: (value: string) => void; shown: (key: string, value: string) => string }) {
  const choices = CHOICES[rule];
  if (choices) {
    return (
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={`policy-${rule}`}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {shown(rule, choice)}
          </option>
        ))}
      </select>
    );
  }
  return <input value={value} onChange={(e) => onChange(e.target.value)} inputMode="decimal" size={10} data-testid={`policy-${rule}`} />;
}
