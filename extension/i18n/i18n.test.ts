import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { resolveLanguage, translate } from './index.ts';
import { zhCN } from './zh-CN.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import { AUDIT_ACTIONS } from '../../shared/audit-actions.ts';

describe('i18n', () => {
  it('has the same keys in both languages, none empty', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    expect(Object.values(zhCN).filter((text) => !text.trim())).toEqual([]);
  });

  it('translates every error code', () => {
    for (const code of ERROR_CODES) expect(Object.keys(en)).toContain(`errors.${code}`);
  });

  it('names every action the server audits, in both languages', () => {
    for (const action of AUDIT_ACTIONS) {
      expect(Object.keys(en)).toContain(`audit.${action}`);
      expect(translate('zh-CN', `audit.${action}`)).not.toBe(translate('en', `audit.${action}`));
    }
  });

  it('shows a key it does not know as itself instead of failing', () => {
    expect(translate('en', 'audit.some-future-action' as never)).toBe('audit.some-future-action');
  });

  it('follows the browser unless the user chose', () => {
    expect(resolveLanguage('auto', 'zh-TW')).toBe('zh-CN');
    expect(resolveLanguage(undefined, 'de-DE')).toBe('en');
    expect(resolveLanguage('en', 'zh-CN')).toBe('en');
  });

  it('fills parameters', () => {
    expect(translate('zh-CN', 'panel.cardCount', { count: 12 })).toBe('共 12 张资料卡');
    expect(translate('en', 'errors.too-long', { max: 200 })).toContain('200');
  });
});

describe('personName', () => {
  it('shows the device’s own user before sign-in as “you”, nobody as a dash, and others by name', async () => {
    const { personName } = await import('./index.ts');
    const { LOCAL_ACTOR } = await import('../store/local-actor.ts');
    expect(personName('en', LOCAL_ACTOR)).toBe('you');
    expect(personName('zh-CN', LOCAL_ACTOR)).toBe('我');
    expect(personName('en', '')).toBe('—');
    expect(personName('zh-CN', '王芳')).toBe('王芳');
  });
});
