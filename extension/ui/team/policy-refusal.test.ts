/**
 * Every refusal the company rules can get from the server (shared/policy/policy.ts, as
 * policy-service.ts sends it: code, English message, rule key and why) is told in both
 * languages naming the rule by its label, never by its key or the server's English sentence.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, POLICY_KEYS, PolicyError, withPolicyValues } from '../../../shared/policy/policy.ts';
import { translate } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { CustodyApiError } from '../../sync/custody-api.ts';
import { policyRefusalText } from './policy-refusal.ts';

/** The refusal as the server sends it for these entries (policy-service.ts → api.ts). */
function refusalOf(entries: [string, string][]): CustodyApiError {
  try {
    withPolicyValues(DEFAULT_POLICY, entries);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const body = JSON.parse(JSON.stringify({ key: error.key, refusal: error.refusal, error: 'invalid-policy', message: error.message })) as Record<string, unknown>;
    return new CustodyApiError('invalid-policy', error.message, 400, body);
  }
  throw new Error(`not refused: ${JSON.stringify(entries)}`);
}

const CASES: { entries: [string, string][]; rule: string; other?: string }[] = [
  { entries: [['stage.lostDays', 'forever']], rule: 'stage.lostDays' },
  { entries: [['loans.maxDays', '400']], rule: 'loans.maxDays' },
  { entries: [['classes.aShare', '3']], rule: 'classes.aShare' },
  { entries: [['classes.aAmount', '-5']], rule: 'classes.aAmount' },
  { entries: [['loans.approver', 'anyone']], rule: 'loans.approver' },
  { entries: [['pool.enabled', 'maybe']], rule: 'pool.enabled' },
  { entries: [['reasonFields', 'phone,noSuchField']], rule: 'reasonFields' },
  { entries: [['stage.dormantDays', 'x'.repeat(2001)]], rule: 'stage.dormantDays' },
  { entries: [['classes.aShare', '0.9'], ['classes.bShare', '0.8']], rule: 'classes.bShare', other: 'classes.aShare' },
  { entries: [['classes.bAmount', '200000']], rule: 'classes.bAmount', other: 'classes.aAmount' },
  { entries: [['stage.lostDays', '100']], rule: 'stage.lostDays', other: 'stage.dormantDays' },
  { entries: [['pool.rules.C.noContactDays', '5']], rule: 'pool.rules.C.noContactDays', other: 'pool.warnDays' },
];

const RAW_KEY = new RegExp(`(${POLICY_KEYS.map((entry) => entry.key.replace(/\./g, '\\.')).join('|')})(?![\\w.])`);

describe('the company rules page tells a server refusal in the user’s language', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    it(`names the rule by its label, never by its key (${language})`, () => {
      for (const { entries, rule, other } of CASES) {
        const failure = refusalOf(entries);
        expect(failure.detail.key, JSON.stringify(entries)).toBe(rule);
        const text = policyRefusalText(language, failure);
        expect(text, JSON.stringify(entries)).toContain(translate(language, `policy.key.${rule}` as MessageKey));
        if (other) expect(text).toContain(translate(language, `policy.key.${other}` as MessageKey));
        expect(text, text).not.toMatch(RAW_KEY);
        expect(text).not.toContain(failure.message);
        if (language === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }

  it('tells the numbers and choices of the rule in words', () => {
    expect(policyRefusalText('zh-CN', refusalOf([['loans.maxDays', '400']]))).toBe('“最长借阅天数”须为 1 到 366 之间的整数。');
    expect(policyRefusalText('en', refusalOf([['loans.approver', 'anyone']]))).toBe('“Loans are approved by” is one of: the team’s manager, the general manager, either.');
    expect(policyRefusalText('zh-CN', refusalOf([['pool.rules.C.noContactDays', '5']]))).toBe('“C 类：几天未联系退回（0：不退回）”须大于“提前几天提醒负责人”（7），以便先提醒负责人。');
  });

  it('tells the other refusals, and anything unknown, without a key or the server’s English', () => {
    const forbidden = new CustodyApiError('forbidden', 'Only an admin sets the company policy', 403);
    expect(policyRefusalText('zh-CN', forbidden)).toBe('只有管理员可以修改公司规则。');
    expect(policyRefusalText('zh-CN', new CustodyApiError('busy', 'The policy is being changed by someone else; try again', 409))).toMatch(/其他人正在修改/);
    expect(policyRefusalText('zh-CN', new CustodyApiError('offline', 'The server cannot be reached'))).not.toMatch(/server/i);
    // An older server (no detail), a hostile one (odd shapes): a general sentence, or the rule's label when it is a rule.
    expect(policyRefusalText('zh-CN', new CustodyApiError('invalid-policy', 'stage.lostDays must be more than stage.dormantDays', 400))).toBe('服务器拒绝了这些规则，未保存任何改动。');
    expect(policyRefusalText('zh-CN', new CustodyApiError('invalid-policy', 'x', 400, { key: 'loans.maxDays', refusal: { kind: 'made-up' } }))).toBe('服务器拒绝了“最长借阅天数”的取值，未保存任何改动。');
    expect(policyRefusalText('en', new CustodyApiError('invalid-policy', 'x', 400, { key: '__proto__', refusal: { kind: 'whole', min: 1, max: 2 } }))).toBe('The server refused these rules. Nothing was saved.');
    expect(policyRefusalText('en', new CustodyApiError('invalid-policy', 'x', 400, { key: 'stage.lostDays', refusal: { kind: 'more-than', other: 'constructor' } }))).not.toMatch(/constructor|stage\./);
    expect(policyRefusalText('en', refusalOf([['nope', '1']]))).toMatch(/does not know one of these rules/);
    expect(policyRefusalText('en', new Error('boom'))).toBe('The server refused these rules. Nothing was saved.');
  });
});
