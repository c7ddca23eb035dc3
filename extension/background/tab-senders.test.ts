import { describe, expect, it } from 'vitest';
import type { SenderInfo } from '../../shared/card-types.ts';
import { effective, type FrameSender } from './tab-senders.ts';

function sender(email: string): SenderInfo {
  return { email, name: '', subject: '', recipients: [], url: 'https://mail.example.com/', source: 'generic' };
}

function frames(entries: [number, SenderInfo | null, number][]): Map<number, FrameSender> {
  return new Map(entries.map(([frameId, found, at]) => [frameId, { sender: found, at }]));
}

describe('effective: the top frame decides the tab\'s sender', () => {
  it('prefers the top frame over a newer sub-frame report', () => {
    expect(effective(frames([[0, sender('top@acme.cn'), 1], [4, sender('frame@acme.cn'), 2]]))?.email).toBe('top@acme.cn');
  });

  it('uses the newest sub-frame report while the top frame shows no sender', () => {
    expect(effective(frames([[0, null, 3], [4, sender('old@acme.cn'), 1], [5, sender('new@acme.cn'), 2]]))?.email).toBe('new@acme.cn');
  });

  it('is null for an unknown tab or no reports', () => {
    expect(effective(undefined)).toBeNull();
    expect(effective(frames([[0, null, 1]]))).toBeNull();
  });
});
