/**
 * The store as the extension's pages and background use it: one lazily opened CardStore per
 * extension context. Records name the signed-in server user (the sync identity; the server
 * refuses records naming anyone else); before the first sign-in, the name in the settings.
 */
import type { SyncIdentity } from '../sync/types.ts';
import { CHANGES_CHANNEL, createCardStore, type CardStore } from './card-store.ts';
import { LOCAL_ACTOR } from './local-actor.ts';

export type { CardStore, CardSeed, CardStep } from './card-store.ts';

let store: CardStore | undefined;
let actorName = LOCAL_ACTOR;

async function readActor(current: CardStore): Promise<void> {
  const [identity, name] = await Promise.all([current.getSetting<SyncIdentity>('syncIdentity'), current.getSetting<string>('userName')]);
  actorName = identity?.user || name || LOCAL_ACTOR;
}

export function getCardStore(): CardStore {
  if (!store) {
    const current = createCardStore({ actor: () => actorName });
    store = current;
    void readActor(current);
    // Settings written in another context (the worker binds the sync identity) are announced here.
    if (typeof BroadcastChannel !== 'undefined') {
      new BroadcastChannel(CHANGES_CHANNEL).onmessage = (event: MessageEvent<{ setting?: string }>) => {
        if (event.data?.setting === 'syncIdentity' || event.data?.setting === 'userName') void readActor(current);
      };
    }
    current.onChange(() => void readActor(current));
  }
  return store;
}
