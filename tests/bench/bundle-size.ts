/** The side panel's JavaScript, gzipped, as built into .output/chrome-mv3. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function sidePanelGzipBytes(outputDir = join(process.cwd(), '.output', 'chrome-mv3')): { files: string[]; gzipBytes: number } {
  const html = readFileSync(join(outputDir, 'sidepanel.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((match) => match[1]!.replace(/^\//, ''));
  const chunkDir = join(outputDir, 'chunks');
  const files = scripts.length > 0 ? scripts : readdirSync(chunkDir).filter((f) => f.startsWith('sidepanel')).map((f) => `chunks/${f}`);
  const gzipBytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(outputDir, file))).byteLength, 0);
  return { files, gzipBytes };
}
