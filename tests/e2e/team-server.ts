/**
 * A real sync server with one team's users, each signed in on a browser profile of their own
 * (the custody test's setup, for the e2e tests that need a rep and a manager on the same cards).
 */
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { applyMutation } from '../../shared/mutations.ts';
import type { CardStep, Mutation } from '../../shared/mutations-types.ts';
import { hashToken, newToken } from '../../sync-server/custody/auth.ts';
import { rowOfState } from '../../sync-server/card-row.ts';
import { openSqliteStorage } from '../../sync-server/storage/storage-sqlite.ts';
import { newDataDir, startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { EXTENSION_ID, launchBrowser, newProfileDir, waitFor, type Browser } from './harness.ts';

export interface TeamServer {
  server: ServerProcess;
  /** The server's data folder (the admin CLI's --data). */
  dataDir: string;
  browsers: Map<string, Browser>;
  /** An extension page of a user's profile (settings.html unless told). */
  page(user: string, path?: string): Promise<Page>;
  close(): Promise<void>;
}

/** A card on the server before the test: its owner, name and the steps that fill it. */
export interface TeamCard {
  id: string;
  owner: string;
  name: string;
  steps?: CardStep[];
}

/** A card as the server stores it, made with the real mutations by its owner. */
function serverCard({ id, owner, name, steps = [] }: TeamCard) {
  const doc = new Y.Doc();
  const context = { actor: owner, now: Date.now(), newId: () => crypto.randomUUID() };
  for (const step of [{ type: 'card-create', name } as const, ...steps]) {
    const result = applyMutation(doc, { ...step, cardId: id } as Mutation, context, id);
    if (!result.ok) throw new Error(result.message);
  }
  const state = Y.encodeStateAsUpdate(doc);
  return { id, owner, state, row: rowOfState(state, id) };
}

/** `withoutBrowser`: users who own cards but open no profile (fewer browsers on a busy machine). */
export async function startTeamServer(users: [string, 'rep' | 'manager' | 'admin'][], cards: TeamCard[], options: { language?: string; withoutBrowser?: string[] } = {}): Promise<TeamServer> {
  const dataDir = newDataDir();
  const storage = openSqliteStorage(dataDir);
  await storage.addTeam('north');
  const tokens = new Map<string, string>();
  for (const [name, role] of users) {
    await storage.addUser(name, role, 'north');
    const token = newToken();
    await storage.addToken(hashToken(token), name);
    tokens.set(name, token);
  }
  await storage.importCards(cards.map(serverCard));
  await storage.close();
  const server = await startServerProcess(dataDir);
  const browsers = new Map<string, Browser>();
  const page = async (user: string, path = 'settings.html') => {
    const opened = await browsers.get(user)!.context.newPage();
    await opened.setViewportSize({ width: 1200, height: 900 });
    await opened.goto(`chrome-extension://${EXTENSION_ID}/${path}`);
    return opened;
  };
  for (const [name] of users) {
    if (options.withoutBrowser?.includes(name)) continue;
    const browser = await launchBrowser(newProfileDir(), options.language ? { language: options.language } : {});
    browsers.set(name, browser);
    const settings = await page(name);
    await settings.getByTestId('server-url').fill(server.url);
    await settings.getByTestId('server-token').fill(tokens.get(name)!);
    await settings.getByTestId('sign-in').click();
    await waitFor(() => settings.getByTestId('sync-status').getAttribute('data-state'), (state) => state === 'online', 30_000);
    await settings.close();
  }
  return {
    server,
    dataDir,
    browsers,
    page,
    async close() {
      for (const browser of browsers.values()) await browser.close();
      await server.stop();
    },
  };
}
