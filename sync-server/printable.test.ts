import { describe, expect, it } from 'vitest';
import { printable } from './printable.ts';

describe('printable', () => {
  it('keeps ordinary text, Chinese included', () => {
    expect(printable('拜访客户 visit')).toBe('拜访客户 visit');
  });
  it('escapes what could split a field or a line', () => {
    expect(printable('a\nb\tc\r\\d\u2028e\u0000')).toBe('a\\nb\\tc\\r\\\\d\\u2028e\\u0000');
    expect(printable('x\ny').split('\n')).toHaveLength(1);
  });
});
