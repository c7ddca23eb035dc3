/**
 * `npm run zip`: the store builds and their zips in .output/store — Chrome (Edge takes the same
 * zip) and Firefox with the sources zip its reviewers ask for. A store build has no fixed
 * `key` and no loopback hosts (wxt.config.ts, CARDS_STORE_BUILD=1); the tests' own build in
 * .output/chrome-mv3 is left as it is.
 */
import { spawnSync } from 'node:child_process';

const env = { ...process.env, CARDS_STORE_BUILD: '1' };
for (const args of [['wxt', 'zip'], ['wxt', 'zip', '-b', 'firefox']]) {
  const result = spawnSync('npx', args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`npm run zip: "npx ${args.join(' ')}" failed`);
    process.exit(result.status ?? 1);
  }
}
