import { describe, expect, it } from 'vitest';
import { decideClaims } from './customer-claims.ts';

const real = { cardId: 'b', owner: 'rob', emails: ['li@acme.cn'], domains: ['acme.cn'] };
const listed = { cardId: 'a', owner: 'sue', emails: [], domains: ['acme.cn'] };

describe('decideClaims', () => {
  it('prefers the card whose people write from the domain over one that only lists it', () => {
    expect(decideClaims([listed, real], { domain: 'acme.cn' })).toEqual({ strongest: [real], conflict: false });
  });
  it('calls equal claims of different owners a conflict', () => {
    const copy = { ...listed, emails: ['wang@acme.cn'] };
    expect(decideClaims([real, copy], { domain: 'acme.cn' })?.conflict).toBe(true);
    expect(decideClaims([real, { ...real, cardId: 'c' }], { domain: 'acme.cn' })?.conflict).toBe(false);
  });
  it('matches an email only where the card holds it', () => {
    expect(decideClaims([listed, real], { email: 'li@acme.cn' })?.strongest).toEqual([real]);
    expect(decideClaims([listed], { email: 'li@acme.cn' })).toBeUndefined();
  });
});
