/**
 * The store as the extension's pages and background use it: one lazily opened CardStore per
 * extension context, writing as the user named in the settings.
 */
import { createCardStore, type CardStore } from './card-store.ts';

export type { CardStore, CardSeed, CardStep } from './card-store.ts';

let store: CardStore | undefined;
let actorName = 'me';

export function getCardStore(): CardStore {
  if (!store) {
    store = createCardStore({ actor: () => actorName });
    void store.getSetting<string>('userName').then((name) => {
      if (name) actorName = name;
    });
    store.onChange(() => {
      void store?.getSetting<string>('userName').then((name) => {
        if (name) actorName = name;
      });
    });
  }
  return store;
}
