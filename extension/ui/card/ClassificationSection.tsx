import type { CardIndexRow, CardView } from '../../../shared/card-types.ts';
import { withOverride, type ClassValue } from '../../../shared/derive/classification.ts';
import { deriveStage } from '../../../shared/derive/stage.ts';
import { fieldsOfSection, OPTIONS } from '../../../shared/fields.ts';
import { labelOf } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { CardFieldRow } from './CardFieldRow.tsx';

function ClassLine({ title, value, options, testId }: { title: string; value: ClassValue; options: { value: string; label: { en: string; zh: string } }[]; testId: string }) {
  const { language, t } = useLanguage();
  const name = (v: string) => {
    const option = options.find((o) => o.value === v);
    return option ? labelOf(language, option.label) : v || t('cardPage.empty');
  };
  return (
    <div className="class-line" data-testid={testId}>
      <span className="class-title">{title}</span>
      <strong className="class-value">{name(value.effective)}</strong>
      <span className="muted">{t('cardPage.derived', { value: name(value.derived) })}</span>
      {value.override ? <span className="override">{t('cardPage.overridden', { value: name(value.override) })}</span> : null}
      {value.reason ? <span className="muted">{t('cardPage.because', { reason: value.reason })}</span> : null}
    </div>
  );
}

export function ClassificationSection({ card, row, now }: { card: CardView; row: CardIndexRow | undefined; now: number }) {
  const { t } = useLanguage();
  const abc = withOverride(card, 'abcOverride', row?.abcDerived ?? '');
  const stage = withOverride(card, 'stageOverride', deriveStage(card.ledger, card.timeline, now));
  return (
    <section className="card-page-section" data-testid="section-classification">
      <h2>{t('cardPage.classification')}</h2>
      <ClassLine title={t('cardPage.abc')} value={abc} options={OPTIONS.abc} testId="class-abc" />
      <ClassLine title={t('cardPage.stage')} value={stage} options={OPTIONS.stage} testId="class-stage" />
      <div className="field-grid">
        {fieldsOfSection('classification').map((def) => (
          <CardFieldRow key={def.key} card={card} def={def} />
        ))}
      </div>
    </section>
  );
}
