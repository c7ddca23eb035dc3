/** Saved register views (a name and the view's URL parameters), kept in the store's settings. */
import { useEffect, useState } from 'react';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { paramsToView, viewToParams, type RegisterView } from './register-view.ts';

export const SAVED_VIEWS_SETTING = 'registerViews';

interface SavedView {
  name: string;
  params: string;
}

function parseSaved(value: unknown): SavedView[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is SavedView => typeof v === 'object' && v !== null && typeof (v as SavedView).name === 'string' && typeof (v as SavedView).params === 'string');
}

export function SavedViews({ view, onChange }: { view: RegisterView; onChange: (v: RegisterView) => void }) {
  const { t } = useLanguage();
  const store = useStore();
  const [saved, setSaved] = useState<SavedView[]>([]);
  const [name, setName] = useState('');
  useEffect(() => {
    void store.getSetting<unknown>(SAVED_VIEWS_SETTING).then((value) => setSaved(parseSaved(value)));
  }, [store]);
  const current = viewToParams(view).toString();
  const chosen = saved.find((s) => s.params === current)?.name ?? '';
  const write = (next: SavedView[]) => {
    setSaved(next);
    void store.setSetting(SAVED_VIEWS_SETTING, next);
  };
  const save = () => {
    const trimmed = name.trim().slice(0, 80);
    if (!trimmed) return;
    write([...saved.filter((s) => s.name !== trimmed), { name: trimmed, params: current }].sort((a, b) => a.name.localeCompare(b.name)));
    setName('');
  };
  return (
    <div className="saved-views" data-testid="saved-views">
      <select aria-label={t('register.views')} data-testid="saved-view-select" value={chosen} onChange={(e) => {
        const found = saved.find((s) => s.name === e.target.value);
        if (found) onChange(paramsToView(new URLSearchParams(found.params)));
      }}>
        <option value="">{t('register.viewChoose')}</option>
        {saved.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name}
          </option>
        ))}
      </select>
      {chosen ? (
        <button type="button" className="link" onClick={() => write(saved.filter((s) => s.name !== chosen))}>
          {t('register.viewDelete')}
        </button>
      ) : null}
      <input data-testid="saved-view-name" placeholder={t('register.viewName')} value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && save()} />
      <button type="button" data-testid="saved-view-save" disabled={!name.trim()} onClick={save}>
        {t('register.viewSave')}
      </button>
    </div>
  );
}
