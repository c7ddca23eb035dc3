/**
 * The team's reminders on the desk (issue #25): a manager's own Today and badge hold only what
 * she is responsible for; her reps' items show here instead, as a digest per rep (overdue, today,
 * this week) and the team's overdue items, each opening its card. Read from the cards this device
 * holds (shared/reminders/responsible.ts `teamDigest`).
 */
import { useEffect, useState } from 'react';
import type { RepDigest } from '../../../shared/reminders/responsible.ts';
import { describeDue, describeWhen } from '../../reminders/describe.ts';
import { loadTeamDigest } from '../../reminders/due-list.ts';
import type { Member } from '../../sync/custody-api.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore, useStoreVersion } from '../common/use-store.ts';

/** Overdue items listed at most (the digest's counts cover all). */
const LISTED = 50;

export function TeamDigest({ me, members }: { me: string; members: readonly Member[] }) {
  const { language, t } = useLanguage();
  const store = useStore();
  const version = useStoreVersion();
  const [digest, setDigest] = useState<RepDigest[]>();
  const reps = members.filter((member) => member.name !== me && !member.disabled).map((member) => member.name);
  const key = reps.join('\n');
  useEffect(() => {
    let live = true;
    void loadTeamDigest(store, key ? key.split('\n') : [], Date.now()).then((found) => live && setDigest(found));
    return () => {
      live = false;
    };
  }, [store, version, key]);
  if (!digest) return null;
  const overdue = digest.flatMap((rep) => rep.overdueItems.map((item) => ({ rep: rep.rep, item }))).sort((a, b) => b.item.daysOverdue - a.item.daysOverdue);
  return (
    <section className="dashboard-section team-digest" data-testid="team-digest">
      <h2>{t('digest.title')}</h2>
      <p className="muted">{t('digest.hint')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('team.person')}</th>
            <th className="number">{t('due.overdue')}</th>
            <th className="number">{t('due.today')}</th>
            <th className="number">{t('due.this-week')}</th>
          </tr>
        </thead>
        <tbody>
          {digest.map((rep) => (
            <tr key={rep.rep} data-testid="digest-rep" data-rep={rep.rep}>
              <td>{rep.rep}</td>
              <td className={`number${rep.overdue > 0 ? ' error' : ''}`} data-testid="digest-overdue">{rep.overdue}</td>
              <td className="number">{rep.today}</td>
              <td className="number">{rep.thisWeek}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('digest.overdueItems')}</h3>
      {overdue.length === 0 ? (
        <p className="muted">{t('digest.none')}</p>
      ) : (
        <ul className="digest-items">
          {overdue.slice(0, LISTED).map(({ rep, item }) => (
            <li key={item.id} data-testid="digest-item">
              <a href={`card.html?id=${encodeURIComponent(item.cardId)}`} target="_blank" rel="noreferrer">
                {item.context.cardName}
              </a>{' '}
              · {rep} · {describeDue(language, item)} · <span className="error">{describeWhen(language, item)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
