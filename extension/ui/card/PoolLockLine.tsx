/**
 * Whether the customer is locked against returning to the customer pool (公海): "Locked by mona
 * on 6 Dec 2026", told by the server with the card's custody (GET /api/cards/:id/custody), and a
 * Lock / Unlock button for whoever the server lets lock it (a manager of the card's team, an
 * admin: the same people who decide for the card, `canDecideFor` in shared/rights/rights.ts, read
 * here as the card access's `controlled`). Signed out or before the server told, nothing shows.
 */
import { useState } from 'react';
import { formatDate } from '../../i18n/index.ts';
import type { CardAccessState } from '../common/card-access.tsx';
import { custodyFailureText } from '../common/custody-failure.ts';
import { useCustodyApi, useMe } from '../common/use-custody.ts';
import { useLanguage } from '../common/use-language.tsx';

type Lock = { by: string; at: number } | null;

export function PoolLockLine({ cardId, state }: { cardId: string; state: CardAccessState }) {
  const { language, t } = useLanguage();
  const api = useCustodyApi();
  const me = useMe(api);
  // What this page changed since the server last told (the custody is read again on the next live tick).
  const [changed, setChanged] = useState<{ told: Lock | undefined; lock: Lock }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const told = state.custody?.poolLock;
  if (!api || !state.custody || told === undefined) return null;
  const lock = changed && changed.told === told ? changed.lock : told;
  const mayLock = state.access.controlled;
  if (!lock && !mayLock) return null;

  async function set(locked: boolean): Promise<void> {
    setBusy(true);
    setFailure('');
    try {
      await api!.lockFromPool(cardId, locked);
      setChanged({ told, lock: locked ? { by: me?.user ?? '', at: Date.now() } : null });
    } catch (error) {
      setFailure(custodyFailureText(language, error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <p className="pool-lock no-print" data-testid="pool-lock" data-locked={lock ? 'yes' : 'no'}>
      {lock ? (
        <span className="chip locked" data-testid="pool-lock-state" title={t('pool.lockedHint')}>
          {lock.by ? t('pool.lockedBy', { by: lock.by, date: formatDate(language, lock.at) }) : t('pool.locked')}
        </span>
      ) : (
        <span className="muted" data-testid="pool-lock-state">{t('pool.notLocked')}</span>
      )}
      {mayLock ? (
        <button type="button" disabled={busy} onClick={() => void set(!lock)} data-testid={lock ? 'pool-unlock' : 'pool-lock-button'}>
          {lock ? t('pool.unlock') : t('pool.lock')}
        </button>
      ) : null}
      {failure ? <span className="error" role="alert" data-testid="pool-lock-failure">{failure}</span> : null}
    </p>
  );
}
