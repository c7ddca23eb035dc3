/**
 * The sender of the open message in each tab, as the content scripts last reported it, per
 * frame (a webmail may show the message in a same-origin iframe; the router has already refused
 * frames of other origins). The top frame decides: its sender wins, a sub-frame's counts only
 * while the top frame shows none. Kept in memory and mirrored in chrome.storage.session so a
 * restarted service worker still knows; nothing is written to disk.
 */
import type { SenderInfo } from '../../shared/card-types.ts';

export interface FrameSender {
  sender: SenderInfo | null;
  at: number;
}

const SESSION_KEY = 'tabSenders';
const tabs = new Map<number, Map<number, FrameSender>>();
let restored: Promise<void> | undefined;

function restore(): Promise<void> {
  restored ??= chrome.storage.session
    .get(SESSION_KEY)
    .then((items) => {
      const saved = items[SESSION_KEY] as Record<string, Record<string, FrameSender>> | undefined;
      for (const [tabId, frames] of Object.entries(saved ?? {})) {
        tabs.set(Number(tabId), new Map(Object.entries(frames).map(([frameId, value]) => [Number(frameId), value])));
      }
    })
    .catch(() => undefined);
  return restored;
}

function persist(): void {
  const plain: Record<string, Record<string, FrameSender>> = {};
  for (const [tabId, frames] of tabs) plain[tabId] = Object.fromEntries(frames);
  void chrome.storage.session.set({ [SESSION_KEY]: plain }).catch(() => undefined);
}

/** The tab's sender: the top frame's if it found one, else the most recent sub-frame report. */
export function effective(frames: ReadonlyMap<number, FrameSender> | undefined): SenderInfo | null {
  const top = frames?.get(0)?.sender;
  if (top) return top;
  let best: FrameSender | undefined;
  for (const frame of frames?.values() ?? []) if (frame.sender && (!best || frame.at > best.at)) best = frame;
  return best?.sender ?? null;
}

export async function senderOfTab(tabId: number): Promise<SenderInfo | null> {
  await restore();
  return effective(tabs.get(tabId));
}

/** Records a frame's report; returns the tab's sender if it changed, undefined if not. */
export async function recordSender(tabId: number, frameId: number, sender: SenderInfo | null, now = Date.now()): Promise<{ changed: boolean; sender: SenderInfo | null }> {
  await restore();
  const before = effective(tabs.get(tabId));
  const frames = tabs.get(tabId) ?? new Map<number, FrameSender>();
  if (frameId === 0 && sender === null) {
    // The top frame navigated or shows no message: forget every frame's report.
    frames.clear();
  }
  frames.set(frameId, { sender, at: now });
  tabs.set(tabId, frames);
  persist();
  const after = effective(frames);
  return { changed: JSON.stringify(before) !== JSON.stringify(after), sender: after };
}

export async function forgetTab(tabId: number): Promise<void> {
  await restore();
  if (tabs.delete(tabId)) persist();
}
