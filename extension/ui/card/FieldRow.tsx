/** One field, shown as text and edited in place; fields whose change needs a reason ask for it. */
import { useState } from 'react';
import type { FieldValue } from '../../../shared/card-types.ts';
import type { AppError } from '../../../shared/errors.ts';
import type { FieldType, Label } from '../../../shared/fields.ts';
import { errorMessage, labelOf } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { formatValue, fromInputText, toInputText } from './format-value.ts';

export interface FieldRowProps {
  fieldKey: string;
  label: Label;
  type: FieldType;
  value: FieldValue | undefined;
  options?: { value: string; label: Label }[];
  /** A change needs a reason (a controlled field, or one the company's policy lists): the reason is asked, not optional. */
  controlled?: boolean;
  sensitive?: boolean;
  /** Resolves to nothing on success, else the error (or a readable message). */
  onSave: (value: FieldValue, reason: string) => Promise<AppError | string | undefined>;
  /** Not editable here (the owner changes only by handover); `hint` says why. */
  readOnly?: boolean;
  /** The save button's text (e.g. "Propose change" for a rep on a controlled field). */
  saveLabel?: string;
  /** A line under the field (e.g. "Proposed … waiting for your manager"). */
  hint?: string;
}

export function FieldRow(props: FieldRowProps) {
  const { language, t } = useLanguage();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const shown = formatValue(language, props, props.value, [t('cardPage.yes'), t('cardPage.no')]);

  const start = () => {
    setText(toInputText(props.value));
    setReason('');
    setError(undefined);
    setEditing(true);
  };
  const save = async () => {
    const failure = await props.onSave(fromInputText(props.type, text), reason);
    if (typeof failure === 'string') setError(failure);
    else if (failure) setError(errorMessage(language, failure));
    else setEditing(false);
  };

  const input = () => {
    const common = { value: text, 'data-testid': `input-${props.fieldKey}`, onChange: (e: { target: { value: string } }) => setText(e.target.value) };
    if (props.type === 'longtext') return <textarea rows={3} {...common} />;
    if (props.type === 'enum' || props.type === 'boolean') {
      const options = props.type === 'boolean' ? [{ value: 'true', label: { en: 'Yes', zh: '是' } }, { value: 'false', label: { en: 'No', zh: '否' } }] : props.options ?? [];
      return (
        <select {...common}>
          <option value="">{t('cardPage.empty')}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {labelOf(language, option.label)}
            </option>
          ))}
        </select>
      );
    }
    const type = props.type === 'date' ? 'date' : props.type === 'number' || props.type === 'money' ? 'text' : 'text';
    return <input type={type} inputMode={props.type === 'number' || props.type === 'money' ? 'decimal' : undefined} {...common} />;
  };

  return (
    <div className={`field-row${props.sensitive ? ' sensitive' : ''}`} data-testid={`field-${props.fieldKey}`} data-sensitive={props.sensitive ? 'true' : undefined}>
      <div className="field-label">{labelOf(language, props.label)}</div>
      {editing ? (
        <form
          className="field-editor"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          {input()}
          <input
            className="reason"
            placeholder={props.controlled ? t('cardPage.reason') : t('cardPage.reasonOptional')}
            value={reason}
            maxLength={1000}
            onChange={(e) => setReason(e.target.value)}
            data-testid={`reason-${props.fieldKey}`}
          />
          {error ? <p className="error" role="alert">{error}</p> : null}
          <div className="field-actions">
            <button type="submit" className="primary" data-testid={`save-${props.fieldKey}`}>
              {props.saveLabel ?? t('cardPage.save')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('cardPage.cancel')}
            </button>
          </div>
        </form>
      ) : props.readOnly ? (
        <span className="field-value read-only" data-testid={`value-${props.fieldKey}`}>
          {shown || <span className="muted">{t('cardPage.empty')}</span>}
        </span>
      ) : (
        <button type="button" className="field-value" onClick={start} title={t('cardPage.edit')} data-testid={`edit-${props.fieldKey}`}>
          {shown || <span className="muted">{t('cardPage.empty')}</span>}
        </button>
      )}
      {props.hint ? <p className="hint" data-testid={`hint-${props.fieldKey}`}>{props.hint}</p> : null}
      {props.sensitive ? <p className="hint warning">{t('cardPage.sensitiveWarning')}</p> : null}
    </div>
  );
}
