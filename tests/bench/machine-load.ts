/**
 * How busy the machine's cores were (every process on it, from /proc/stat): a bench run on a
 * shared or small machine is bound by its cores, and a figure beside its share of them says
 * whether a design or the machine set it. 0 where /proc/stat cannot be read.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Busy ms of the whole machine so far (all cores, every process). */
export function machineBusyMs(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    const idle = cpu[3]! + cpu[4]!;
    return (cpu.reduce((a, b) => a + b, 0) - idle) * 10;
  } catch {
    return 0;
  }
}

/** Runs `work` and answers with the share (0–1) of all the machine's cores that were busy meanwhile. */
export async function coresBusyDuring<T>(work: () => Promise<T>): Promise<{ value: T; coresBusy: number }> {
  const busyBefore = machineBusyMs();
  const startedAt = performance.now();
  const value = await work();
  const wallMs = performance.now() - startedAt;
  const busy = machineBusyMs() - busyBefore;
  return { value, coresBusy: wallMs > 0 ? Math.min(1, busy / (wallMs * cpus().length)) : 0 };
}
