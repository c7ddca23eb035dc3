/** Settings → sign in with the one-time invitation code an admin gave (instead of a token). */
import { useState } from 'react';
import { redeemInvitation } from '../../sync/invitation.ts';
import { useLanguage } from '../common/use-language.tsx';

export function InvitationCode({ serverUrl, onToken }: { serverUrl: string; onToken: (token: string) => Promise<void> }) {
  const { t } = useLanguage();
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string }>();
  const [busy, setBusy] = useState(false);

  async function redeem(): Promise<void> {
    if (!code.trim()) return setMessage({ kind: 'error', text: t('invite.missing') });
    setBusy(true);
    const result = await redeemInvitation(serverUrl, code.trim());
    setBusy(false);
    if (!result.ok) return setMessage({ kind: 'error', text: t(`invite.error.${result.code}`) });
    await onToken(result.token);
    setCode('');
    setMessage({ kind: 'saved', text: t('invite.done', { user: result.user }) });
  }

  return (
    <form
      className="invitation-code"
      onSubmit={(event) => {
        event.preventDefault();
        void redeem();
      }}
    >
      <label>
        <span>{t('invite.code')}</span>
        <input value={code} onChange={(event) => setCode(event.target.value)} placeholder="XXXX-XXXX-XXXX" autoComplete="off" spellCheck={false} data-testid="invitation-code" />
        <small className="hint">{t('invite.hint')}</small>
      </label>
      <button type="submit" disabled={busy} data-testid="invitation-redeem">
        {t('invite.redeem')}
      </button>
      {message ? (
        <p className={message.kind === 'error' ? 'error' : 'saved'} role="status" data-testid="invitation-message">
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
