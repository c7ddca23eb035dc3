/**
 * Applies the company policy on this device (shared/policy/policy.ts): when the server tells a
 * version the device does not hold (the POLICY frame, after signing in and whenever an admin
 * changes it), the worker fetches it, keeps it as the `companyPolicy` setting, and writes the
 * rules the device derives with into the settings those derivations already read — the ABC
 * shares and the dormant / lost days ('classification'), the cadences per class and stage
 * ('reminders') — then recomputes the rows. Every open page hears of the settings change and
 * reads again, so a change reaches it without a reload; the settings page shows these values
 * read-only, "set by your company".
 */
import { normalisePolicy, type VersionedPolicy } from '../../shared/policy/policy.ts';
import type { ReminderSettings } from '../../shared/reminders/due.ts';
import { getCardStore } from '../store/index.ts';
import { createCustodyApi } from '../sync/custody-api.ts';

/** The setting the policy is kept in (read by the settings page). */
export const COMPANY_POLICY = 'companyPolicy';

let applying: Promise<void> | undefined;

/** Fetches and applies the policy when `version` is not the one held; one at a time. */
export function applyCompanyPolicy(version: number): Promise<void> {
  applying ??= apply(version).finally(() => {
    applying = undefined;
  });
  return applying;
}

async function apply(version: number): Promise<void> {
  const store = getCardStore();
  const held = await store.getSetting<VersionedPolicy>(COMPANY_POLICY);
  if (held?.version === version) return;
  const url = (await store.getSetting<string>('syncUrl')) ?? '';
  const token = (await store.getSetting<string>('syncToken')) ?? '';
  let fetched: VersionedPolicy;
  try {
    fetched = await createCustodyApi(url, token).policy();
  } catch {
    // Offline or an older server: the device keeps what it holds; the next POLICY frame asks again.
    return;
  }
  const policy = normalisePolicy(fetched.policy);
  await store.setSetting(COMPANY_POLICY, { ...fetched, policy });
  await store.setSetting('classification', { abc: { a: policy.classes.aShare, b: policy.classes.bShare }, stage: { ...policy.stage } });
  const reminders = await store.getSetting<Partial<ReminderSettings>>('reminders');
  await store.setSetting('reminders', {
    ...reminders,
    cadenceDays: { A: policy.cadence.A, B: policy.cadence.B, C: policy.cadence.C },
    stageCadenceDays: { prospect: policy.cadence.prospect, 'first-deal': policy.cadence['first-deal'], 'won-back': policy.cadence['won-back'] },
  });
  await store.refreshRows();
}
