import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { resolveLanguage, translate } from './index.ts';
import { zhCN } from './zh-CN.ts';
import { ERROR_CODES } from '../../shared/errors.ts';

describe('i18n', () => {
  it('has the same keys in both languages, none empty', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    expect(Object.values(zhCN).filter((text) => !text.trim())).toEqual([]);
  });

  it('translates every error code', () => {
    for (const code of ERROR_CODES) expect(Object.keys(en)).toContain(`errors.${code}`);
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
