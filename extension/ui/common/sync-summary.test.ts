import { describe, expect, it } from 'vitest';
import { footerShown } from './sync-summary.ts';

describe('the footer’s sync state', () => {
  it('is "synced" only online with nothing waiting and nothing refused', () => {
    expect(footerShown({ state: 'online' })).toBe('synced');
    expect(footerShown({ state: 'online', pending: 0 })).toBe('synced');
    expect(footerShown({ state: 'online', pending: 800 })).toBe('waiting');
    expect(footerShown({ state: 'online', refused: 50 })).toBe('refused');
    expect(footerShown({ state: 'offline', pending: 3 })).toBe('offline');
    expect(footerShown({ state: 'offline', pending: 3, refused: 1 })).toBe('refused');
  });
});
