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
import { normaliseClassification, type ClassificationSettings } from '../../shared/derive/settings.ts';
import { DEFAULT_STAGE_CADENCE } from '../../shared/reminders/cadence.ts';
import { DEFAULT_REMINDERS, type ReminderSettings } from '../../shared/reminders/due.ts';
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
    fetched = await createCustodyApi(url, token).policy(version);
  } catch {
    // Offline or an older server: the device keeps what it holds; the next POLICY frame asks again.
    return;
  }
  const policy = normalisePolicy(fetched.policy);
  await store.setSetting(COMPANY_POLICY, { ...fetched, policy });
  const classification = { abc: { a: policy.classes.aShare, b: policy.classes.bShare }, stage: { ...policy.stage } };
  const reminders = await store.getSetting<Partial<ReminderSettings>>('reminders');
  const cadences = {
    cadenceDays: { A: policy.cadence.A, B: policy.cadence.B, C: policy.cadence.C },
    stageCadenceDays: { prospect: policy.cadence.prospect, 'first-deal': policy.cadence['first-deal'], 'won-back': policy.cadence['won-back'] },
  };
  const derivedWith = normaliseClassification(await store.getSetting<Partial<ClassificationSettings>>('classification'));
  const heldCadence = { ...DEFAULT_REMINDERS.cadenceDays, ...reminders?.cadenceDays };
  const heldStageCadence = { ...DEFAULT_STAGE_CADENCE, ...reminders?.stageCadenceDays };
  const unchanged =
    derivedWith.abc.a === classification.abc.a && derivedWith.abc.b === classification.abc.b && derivedWith.stage.dormantDays === classification.stage.dormantDays && derivedWith.stage.lostDays === classification.stage.lostDays &&
    (['A', 'B', 'C'] as const).every((cls) => heldCadence[cls] === cadences.cadenceDays[cls]) &&
    (['prospect', 'first-deal', 'won-back'] as const).every((stage) => heldStageCadence[stage] === cadences.stageCadenceDays[stage]);
  // Rows are derived with these values: recomputed only when the device derived with others (a
  // first sign-in on the company's defaults, the usual case, costs nothing).
  if (unchanged) return;
  await store.setSetting('classification', classification);
  await store.setSetting('reminders', { ...reminders, ...cadences });
  await store.refreshRows();
}
