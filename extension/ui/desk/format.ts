/** Small formatting helpers shared by the desk's sections. */
import { formatMoney, type Language } from '../../i18n/index.ts';

export const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

export function isoDate(time: number): string {
  return time ? new Date(time).toISOString().slice(0, 10) : '';
}

/** An axis label formatter for amounts (万 in Chinese, k in English above 10,000). */
export function axisMoney(language: Language): (value: number) => string {
  return (value) => {
    if (Math.abs(value) >= 10_000) return language === 'zh-CN' ? `${formatMoney(language, value / 10_000)}万` : `${formatMoney(language, value / 1000)}k`;
    return formatMoney(language, value);
  };
}

/** The desk's chart colours (ECharts defaults are fine; these keep classes and buckets steady). */
export const COLOURS = ['#1f6feb', '#12b76a', '#f79009', '#f04438', '#7a5af8', '#0ba5ec', '#667085'];
