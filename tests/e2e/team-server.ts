/**
 * A real sync server with one team's users, each signed in on a browser profile of their own
 * (the custody test's setup, for the e2e tests that need a rep and a manager on the same cards):
 * the data folder is harness.ts's `seedTeam`, with everyone in team north.
 */
import type { Page } from 'playwright-core';
import { startServerProcess, type ServerProcess } from '../sync/helpers.ts';
import { launchBrowser, newProfileDir, openPage, seedTeam, signIn, type Browser, type SeedCard } from './harness.ts';

export interface TeamServer {
  server: ServerProcess;
  /** The server's data folder (the admin CLI's --data). */
  dataDir: string;
  browsers: Map<string, Browser>;
  /** An extension page of a user's profile (settings.html unless told). */
  page(user: string, path?: string): Promise<Page>;
  close(): Promise<void>;
}

/** `withoutBrowser`: users who own cards but open no profile (fewer browsers on a busy machine). */
export async function startTeamServer(users: [string, 'rep' | 'manager' | 'admin'][], cards: SeedCard[], options: { language?: string; withoutBrowser?: string[] } = {}): Promise<TeamServer> {
  const { dataDir, tokens } = await seedTeam(users.map(([name, role]) => [name, role, 'north']), cards);
  const server = await startServerProcess(dataDir);
  const browsers = new Map<string, Browser>();
  const page = (user: string, path = 'settings.html') => openPage(browsers.get(user)!, path, 1200);
  for (const [name] of users) {
    if (options.withoutBrowser?.includes(name)) continue;
    const browser = await launchBrowser(newProfileDir(), options.language ? { language: options.language } : {});
    browsers.set(name, browser);
    await signIn(browser, server.url, tokens.get(name)!);
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
