/** Gives customers a planned visit day (the card's plannedVisit, shared/reminders/visits.ts); says how many took it. */
import type { CardStoreApi } from '../../store/api.ts';

export async function planVisits(store: CardStoreApi, cardIds: readonly string[], day: string, reason?: string): Promise<number> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return 0;
  let planned = 0;
  for (const cardId of cardIds) {
    // The reason, when the company's rules need one for the visit date (BulkReason.tsx).
    const result = await store.mutate({ type: 'card-set-field', cardId, field: 'plannedVisit', value: day, ...(reason ? { reason } : {}) });
    if (result.ok) planned++;
  }
  return planned;
}
