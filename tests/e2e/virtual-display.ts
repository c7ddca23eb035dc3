/**
 * A virtual screen for the few e2e tests that need the browser's own UI: headless Chromium never
 * settles a permission prompt (chrome.permissions.request waits forever), so these tests run
 * Chromium headed on a private Xvfb display and answer its prompt with the keyboard through
 * xdotool, as a user would. Fails loudly (never skips) when Xvfb or xdotool is missing.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface VirtualDisplay {
  /** The X display name, e.g. ":93". */
  display: string;
  close(): Promise<void>;
}

function need(tool: string, install: string): void {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is missing: the permission-prompt e2e tests need it. Install it with "apt-get install -y ${install}".`);
  }
}

/** Starts Xvfb on the first free display from :90. */
export async function startVirtualDisplay(): Promise<VirtualDisplay> {
  need('Xvfb', 'xvfb');
  need('xdotool', 'xdotool');
  for (let n = 90; n < 190; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const display = `:${n}`;
    const server: ChildProcess = spawn('Xvfb', [display, '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    for (let waited = 0; waited < 10_000 && server.exitCode === null; waited += 50) {
      if (existsSync(`/tmp/.X11-unix/X${n}`)) {
        return {
          display,
          close: async () => {
            server.kill('SIGTERM');
            await exited;
          },
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    server.kill('SIGKILL');
    await exited;
  }
  throw new Error('Xvfb could not start on any display from :90 to :189');
}

/**
 * Answers the browser's permission prompt on `display` as a user would with the keyboard: the
 * prompt opens with the focus on its Cancel button, so Tab then Enter allows, Escape declines.
 */
export function answerPermissionPrompt(display: string, allow: boolean): void {
  const env = { ...process.env, DISPLAY: display };
  const windows = execFileSync('xdotool', ['search', '--onlyvisible', '--class', 'chromium'], { env, encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  const window = windows.at(-1);
  if (!window) throw new Error(`No Chromium window on ${display} to answer the prompt in`);
  // No window manager runs on the virtual screen: focus the window directly (activation needs one).
  execFileSync('xdotool', ['windowfocus', '--sync', window], { env });
  execFileSync('xdotool', ['key', '--delay', '120', ...(allow ? ['Tab', 'Return'] : ['Escape'])], { env });
}
