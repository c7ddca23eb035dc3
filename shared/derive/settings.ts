/**
 * The user's classification settings: the ABC thresholds and the days after which a customer
 * counts as dormant or lost. Kept in the store's settings ('classification'); defaults here.
 */
import { DEFAULT_ABC, type AbcThresholds } from './abc.ts';
import { DEFAULT_STAGE, type StageSettings } from './stage.ts';

export interface ClassificationSettings {
  abc: AbcThresholds;
  stage: StageSettings;
}

export const DEFAULT_CLASSIFICATION: ClassificationSettings = { abc: DEFAULT_ABC, stage: DEFAULT_STAGE };

/** Settings as saved (possibly partial or out of range) made safe to use. */
export function normaliseClassification(saved: Partial<{ abc: Partial<AbcThresholds>; stage: Partial<StageSettings> }> | undefined): ClassificationSettings {
  const a = clamp(saved?.abc?.a, 0.05, 0.99, DEFAULT_ABC.a);
  const b = clamp(saved?.abc?.b, a, 1, Math.max(a, DEFAULT_ABC.b));
  const dormantDays = Math.round(clamp(saved?.stage?.dormantDays, 1, 3650, DEFAULT_STAGE.dormantDays));
  const lostDays = Math.round(clamp(saved?.stage?.lostDays, dormantDays, 7300, Math.max(dormantDays, DEFAULT_STAGE.lostDays)));
  return { abc: { a, b }, stage: { dormantDays, lostDays } };
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}
