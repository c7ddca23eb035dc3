import { describe, expect, it } from 'vitest';
import { contactFieldByKey, CONTACT_FIELDS, CONTACT_SECTIONS } from './contact-fields.ts';
import { validateContactValue } from './contact-validate.ts';
import { fieldByKey, FIELDS, SECTIONS, validateFieldValue } from './fields.ts';

const check = (key: string, value: string | number | boolean | null) => validateFieldValue(fieldByKey(key)!, value);

describe('field catalogue', () => {
  it('puts every field in a known section, with both labels, once', () => {
    const sections = new Set(SECTIONS.map((s) => s.key));
    expect(FIELDS.every((f) => sections.has(f.section) && f.label.en && f.label.zh)).toBe(true);
    expect(new Set(FIELDS.map((f) => f.key)).size).toBe(FIELDS.length);
  });

  it('marks the controlled fields', () => {
    expect(FIELDS.filter((f) => f.controlled).map((f) => f.key).sort()).toEqual(['abcOverride', 'creditLimitApproved', 'creditRating', 'owner', 'stageOverride']);
  });

  it.each([
    ['registeredCapital', '1,200,000', { ok: true, value: 1_200_000 }],
    ['registeredCapital', 'lots', { ok: false, code: 'invalid-amount' }],
    ['creditLimitApproved', -5, { ok: false, code: 'invalid-amount' }],
    ['staffCount', '42', { ok: true, value: 42 }],
    ['settlementDay', 32, { ok: false, code: 'invalid-value' }],
    ['foundingDate', '2019-02-29', { ok: false, code: 'invalid-date' }],
    ['foundingDate', '2020-02-29', { ok: true, value: '2020-02-29' }],
    ['organisation', 'limited-company', { ok: true, value: 'limited-company' }],
    ['organisation', 'cartel', { ok: false, code: 'invalid-value' }],
    ['website', 'www.acme.com', { ok: true, value: 'https://www.acme.com' }],
    ['website', 'not a site', { ok: false, code: 'invalid-value' }],
    ['phone', '+86 (21) 6288-1234 转 8', { ok: true }],
    ['phone', 'call me', { ok: false, code: 'invalid-value' }],
    ['keyCustomer', true, { ok: true, value: true }],
    ['address', 'x'.repeat(501), { ok: false, code: 'too-long' }],
    ['city', '', { ok: true, value: null }],
  ] as const)('%s = %j', (key, value, expected) => {
    expect(check(key, value)).toMatchObject(expected);
  });
});

describe('people', () => {
  it('holds the Mackay 66 profile in its seven sections and marks topics to avoid as sensitive', () => {
    const mackay = CONTACT_SECTIONS.filter((s) => s.key !== 'basics').map((s) => s.key);
    expect(mackay).toHaveLength(7);
    for (const section of mackay) expect(CONTACT_FIELDS.some((f) => f.section === section)).toBe(true);
    expect(contactFieldByKey('topicsToAvoid')?.sensitive).toBe(true);
    expect(CONTACT_FIELDS.filter((f) => f.sensitive).map((f) => f.key)).toEqual(['topicsToAvoid']);
  });

  it('validates a person’s dates and yes/no fields', () => {
    expect(validateContactValue('birthDate', '1980-13-01')).toMatchObject({ ok: false, code: 'invalid-date' });
    expect(validateContactValue('weddingAnniversary', '2005-05-20')).toMatchObject({ ok: true, value: '2005-05-20' });
    expect(validateContactValue('married', 'maybe')).toMatchObject({ ok: false, code: 'invalid-value' });
    expect(validateContactValue('email', 'x@')).toMatchObject({ ok: false, code: 'invalid-email' });
  });
});
