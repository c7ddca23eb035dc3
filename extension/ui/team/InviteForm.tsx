/**
 * Inviting a colleague from the Team desk (admins, shared/rights mayInvite): the server makes a
 * one-time code valid for a day (POST /api/invitations), shown here to pass on; the colleague
 * types it in the extension's Settings and is signed in with a token of their own.
 */
import { useState } from 'react';
import { CustodyApiError, type CustodyApi, type Member } from '../../sync/custody-api.ts';
import { formatDate } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';

export function InviteForm({ api, members }: { api: CustodyApi; members: readonly Member[] }) {
  const { language, t } = useLanguage();
  const [user, setUser] = useState('');
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<{ user: string; code: string; expiresAt: number }>();
  const [error, setError] = useState<string>();
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    setMade(undefined);
    try {
      setMade(await api.invite(user.trim()));
    } catch (failure) {
      // The server's refusals the user can act on, in the UI's language; anything else as it came.
      const code = failure instanceof CustodyApiError ? failure.code : '';
      setError(code === 'unknown-user' || code === 'user-disabled' || code === 'forbidden' ? t(`invite.adminError.${code}`, { user: user.trim() }) : failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="dashboard-section" data-testid="team-invite">
      <h2>{t('invite.adminTitle')}</h2>
      <p className="muted">{t('invite.adminHint')}</p>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label>
          {t('invite.adminUser')}{' '}
          <input list="invite-members" value={user} onChange={(event) => setUser(event.target.value)} data-testid="invite-user" />
          <datalist id="invite-members">
            {members.filter((m) => !m.disabled).map((m) => (
              <option key={m.name} value={m.name} />
            ))}
          </datalist>
        </label>
        <button type="submit" disabled={busy || !user.trim()} data-testid="invite-make">
          {t('invite.adminMake')}
        </button>
      </form>
      {made ? (
        <p role="status" data-testid="invite-made">
          {t('invite.adminMade', { user: made.user, date: formatDate(language, made.expiresAt) })} <code data-testid="invite-code">{made.code}</code>
        </p>
      ) : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
    </section>
  );
}
