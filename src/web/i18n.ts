/**
 * Japanese and English. The language comes from `?lang=` (remembered in a cookie and, when signed in, on
 * the user), then the cookie, then the user's stored choice, then the browser's Accept-Language.
 */
import { MESSAGES, type MessageKey } from './messages.js';

export type Lang = 'en' | 'ja';
export const LANGS: readonly Lang[] = ['en', 'ja'];
export const LANG_COOKIE = 'numreg_lang';

export const isLang = (x: unknown): x is Lang => x === 'en' || x === 'ja';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const column = lang === 'ja' ? 1 : 0;
  return (key, params) => {
    let text: string = MESSAGES[key][column];
    if (params) text = text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
    return text;
  };
}

/** Picks en or ja from an Accept-Language header by quality; English when neither is listed. */
export function negotiateLang(header: string | undefined): Lang {
  if (!header) return 'en';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    const base = tag.toLowerCase().split('-')[0];
    if ((base === 'en' || base === 'ja') && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang: base, q };
  }
  return best?.lang ?? 'en';
}
