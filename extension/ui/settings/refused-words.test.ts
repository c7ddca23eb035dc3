import { describe, expect, it } from 'vitest';
import type { RefusedChange } from '../../store/db.ts';
import { changeInWords, reasonInWords, todoOf } from './refused-words.ts';

const SERVER_MESSAGE = 'Only a manager of the card’s team may change creditLimitApproved: propose the change instead';
const limit: RefusedChange = {
  cardId: 'c1',
  code: 'controlled-field',
  message: SERVER_MESSAGE,
  at: 0,
  update: new Uint8Array(),
  steps: [{ mutation: 'card-set-field', target: 'creditLimitApproved', to: 50000 }],
  stepCount: 1,
};

describe('a refused change in words', () => {
  it('names the field by its label and the reason in Chinese, never the internal key', () => {
    const words = [...changeInWords('zh-CN', limit), reasonInWords('zh-CN', limit)].join(' ');
    expect(words).not.toMatch(/creditLimitApproved|[A-Za-z]{6,}/);
    expect(words).toContain('50,000');
    expect(reasonInWords('zh-CN', limit)).toMatch(/经理/);
    expect(todoOf(limit)).toBe('propose');
  });

  it('speaks English in the English UI and counts what a whole state held beyond the kept steps', () => {
    const whole: RefusedChange = { ...limit, code: 'not-found', message: 'No such card', steps: [{ mutation: 'card-create', target: 'name', to: '华信贸易' }], stepCount: 31 };
    expect(changeInWords('en', whole)).toEqual(['Created the card “华信贸易”', '… and 30 more change(s)']);
    // A whole card refused for a controlled field: its creation and that field first, the rest counted.
    const many: RefusedChange = {
      ...limit,
      steps: [
        { mutation: 'card-create', target: 'name', to: 'Acme' },
        ...['city', 'phone', 'category', 'website', 'industry'].map((target) => ({ mutation: 'card-set-field', target, to: 'x' })),
        { mutation: 'card-set-field', target: 'creditLimitApproved', to: 500000 },
      ],
      stepCount: 7,
    };
    const lines = changeInWords('en', many);
    expect(lines.slice(0, 2)).toEqual(['Created the card “Acme”', 'Credit limit · Approved: 500,000']);
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toBe('… and 3 more change(s)');
    expect(reasonInWords('en', whole)).not.toContain('No such card');
    expect(todoOf(whole)).toBe('access');
    expect(reasonInWords('en', { ...limit, code: 'something-new' })).toBe('The server refused this change.');
  });
});
