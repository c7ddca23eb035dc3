/**
 * The sample customers (shared/demo-data.ts) on this device: made as the device's user (so a
 * server they later reach takes them as that user's), and their ids kept in the settings
 * ('sampleCardIds'), so "remove the sample customers" removes exactly those cards, with their
 * unsent changes, and never a real one.
 */
import { demoSeeds } from '../../shared/demo-data.ts';
import type { Result } from '../../shared/errors.ts';
import type { CardRemoval } from './card-removal.ts';
import type { LocalWrites } from './local-writes.ts';
import type { StoreContext } from './store-context.ts';

const SAMPLE_IDS = 'setting:sampleCardIds';

export interface SampleCards {
  loadSampleCards(now: number): Promise<Result<{ imported: number; ids: string[] }>>;
  sampleCardCount(): Promise<number>;
  /** Removes the sample customers from this device; resolves to how many were removed. */
  removeSampleCards(): Promise<number>;
}

export function createSampleCards(ctx: StoreContext, writes: LocalWrites, removal: CardRemoval): SampleCards {
  const { db } = ctx;
  const kept = async () => ((await db.meta.get(SAMPLE_IDS))?.value as string[] | undefined) ?? [];
  return {
    async loadSampleCards(now) {
      const result = await writes.importCards(demoSeeds(now));
      if (result.ok) await db.meta.put({ key: SAMPLE_IDS, value: [...(await kept()), ...result.value.ids] });
      return result;
    },
    async sampleCardCount() {
      const ids = await kept();
      if (ids.length === 0) return 0;
      return (await db.docs.bulkGet(ids)).filter(Boolean).length + (await db.packs.where('cardIds').anyOf(ids).count());
    },
    async removeSampleCards() {
      const ids = await kept();
      if (ids.length === 0) return 0;
      await removal.removeCards(ids);
      await db.meta.delete(SAMPLE_IDS);
      return ids.length;
    },
  };
}
