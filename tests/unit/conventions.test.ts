/**
 * Tests that guard the project's conventions: no HTML injection or eval anywhere in product
 * code, the extension's permissions stay on the allowlist, every webmail detector is registered,
 * and only the store imports dexie or yjs inside the extension.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const productFiles = [...sourceFiles('extension'), ...sourceFiles('shared'), ...sourceFiles('sync-server')];

describe('conventions', () => {
  it('never turns text into HTML or code', () => {
    const forbidden = /innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write\(|\beval\(|new Function\(/;
    const offenders = productFiles.filter((file) => forbidden.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps dexie and yjs behind the store inside the extension', () => {
    const allowed = /^extension\/(store|sync)\//;
    const offenders = productFiles
      .filter((file) => file.startsWith('extension/') && !allowed.test(file))
      .filter((file) => /from ['"](dexie|yjs)['"]/.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('asks only for the permissions on the allowlist', () => {
    const config = readFileSync(join(root, 'wxt.config.ts'), 'utf8');
    const match = /permissions:\s*\[([^\]]*)\]/.exec(config);
    expect(match).not.toBeNull();
    const permissions = (match?.[1] ?? '').split(',').map((item) => item.trim().replace(/['"]/g, '')).filter(Boolean);
    const allowlist = ['sidePanel', 'storage', 'unlimitedStorage', 'tabs', 'alarms', 'notifications', 'contextMenus', 'scripting', 'activeTab'];
    expect(permissions.filter((permission) => !allowlist.includes(permission))).toEqual([]);
  });

  it('registers every webmail detector in the features index', () => {
    const featureDir = join(root, 'extension', 'features');
    const detectors = readdirSync(featureDir).filter((name) => name.endsWith('-sender.ts'));
    expect(detectors.length).toBeGreaterThanOrEqual(3);
    const index = readFileSync(join(featureDir, 'index.ts'), 'utf8');
    for (const file of detectors) expect(index, `${file} is not registered`).toContain(`./${file}`);
  });

});
