// Interface language: a string table per language, plus Intl-based formatting
// of dates, times, relative times and file sizes in the same locale.

// English is in the bundle (and the fallback for any missing key); the other
// languages are separate chunks, loaded on demand by loadLang() before they are used.
import en, { type StringKey, type StringTable } from './i18n/en';

import { LANGUAGES, type Lang } from '../shared/languages';

export type { Lang };
export const LANGS: readonly { code: Lang; name: string }[] = LANGUAGES;

const TABLES: Partial<Record<Lang, StringTable>> = { en };
const LOADERS: Record<Lang, () => Promise<{ default: StringTable }>> = {
  en: async () => ({ default: en }),
  it: () => import('./i18n/it'),
  ru: () => import('./i18n/ru'),
  hu: () => import('./i18n/hu'),
  pl: () => import('./i18n/pl'),
};
const pending = new Map<Lang, Promise<void>>();

/** Fetches a language's strings (a chunk of its own) once; resolves when t() can use them. */
export function loadLang(l: Lang): Promise<void> {
  if (TABLES[l]) return Promise.resolve();
  let p = pending.get(l);
  if (!p) {
    p = LOADERS[l]().then(
      (m) => {
        TABLES[l] = m.default;
      },
      (err) => {
        pending.delete(l); // a later switch may retry (e.g. after a deploy or a network blip)
        throw err;
      },
    );
    pending.set(l, p);
  }
  return p;
}

export function isLoaded(l: Lang): boolean {
  return !!TABLES[l];
}
const STORAGE_KEY = 'sb.console.lang';

let lang: Lang = 'en';

function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && x in LOADERS;
}

export function detectLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    /* storage disabled */
  }
  const prefs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const p of prefs) {
    const code = (p || '').toLowerCase().split('-')[0];
    if (isLang(code)) return code;
  }
  return 'en';
}

export function getLang(): Lang {
  return lang;
}

/** Switches the language for t() and the formatters; `remember` stores the override. */
export function applyLang(l: Lang, remember = false): void {
  lang = l;
  document.documentElement.lang = l;
  cache.clear();
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* ignore */
    }
  }
}

export type { StringKey };

export function t(key: StringKey, vars?: Record<string, string | number>): string {
  const s = TABLES[lang]?.[key] ?? en[key] ?? key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

// ---- formatting -------------------------------------------------------------

const cache = new Map<string, any>();
function cached<T>(key: string, make: () => T): T {
  let v = cache.get(key);
  if (!v) {
    v = make();
    cache.set(key, v);
  }
  return v as T;
}

const dtf = (name: string, o: Intl.DateTimeFormatOptions) => cached('dtf:' + name, () => new Intl.DateTimeFormat(lang, o));

export function fmtTime(ms: number): string {
  return dtf('time', { hour: 'numeric', minute: '2-digit' }).format(ms);
}

export function fmtDateTime(ms: number): string {
  return dtf('dt', { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export function fmtDate(ms: number): string {
  return dtf('date', { dateStyle: 'medium' }).format(ms);
}

export function fmtFullDate(ms: number): string {
  return dtf('full', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(ms);
}

function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** "Today", "Yesterday" or a full date, for separators between days. */
export function fmtDay(ms: number, now = Date.now()): string {
  const diff = Math.round((startOfDay(now) - startOfDay(ms)) / 86_400_000);
  if (diff === 0) return t('day.today');
  if (diff === 1) return t('day.yesterday');
  return fmtFullDate(ms);
}

/** "Today", "Tomorrow", "Yesterday" or a short date ("Nov 23"), for compact ranges. */
export function fmtShortDay(ms: number, now = Date.now()): string {
  const diff = Math.round((startOfDay(ms) - startOfDay(now)) / 86_400_000);
  if (diff === 0) return t('day.today');
  if (diff === -1) return t('day.yesterday');
  if (diff === 1) {
    const rtf = cached('rtf-long', () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })) as Intl.RelativeTimeFormat;
    const s = rtf.format(1, 'day');
    return s.charAt(0).toLocaleUpperCase(lang) + s.slice(1);
  }
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return sameYear ? dtf('md', { day: 'numeric', month: 'short' }).format(ms) : fmtDate(ms);
}

/** Compact relative time for lists: "now", "5 min ago", "3 hr ago", then a date. */
export function fmtRelative(ms: number, now = Date.now()): string {
  const rtf = cached('rtf', () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' })) as Intl.RelativeTimeFormat;
  const sec = Math.round((ms - now) / 1000);
  const abs = Math.abs(sec);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(sec / 60), 'minute');
  if (abs < 86_400 && startOfDay(ms) === startOfDay(now)) return rtf.format(Math.round(sec / 3600), 'hour');
  const days = Math.round((startOfDay(ms) - startOfDay(now)) / 86_400_000);
  if (days === -1) return t('day.yesterday');
  if (Math.abs(days) < 7) return dtf('wd', { weekday: 'short' }).format(ms);
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return sameYear ? dtf('md', { day: 'numeric', month: 'short' }).format(ms) : fmtDate(ms);
}

export function fmtSize(bytes: number): string {
  const nf = (unit: string, digits: number) =>
    cached('nf:' + unit + digits, () => {
      try {
        return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits });
      } catch {
        return new Intl.NumberFormat(lang, { maximumFractionDigits: digits });
      }
    }) as Intl.NumberFormat;
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return nf('kilobyte', 0).format(bytes / 1024);
  return nf('megabyte', 1).format(bytes / (1024 * 1024));
}

/** Weekday name for 0 = Sunday … 6 = Saturday. */
export function weekdayName(day: number, style: 'long' | 'short' = 'long'): string {
  // 2024-01-07 was a Sunday.
  const d = new Date(2024, 0, 7 + day, 12);
  return dtf('wd-' + style, { weekday: style }).format(d);
}

/** Name of a language code in the interface language ("Italian", "italiano"…). */
export function languageName(code: string): string {
  if (!code) return '';
  try {
    const dn = cached('dn', () => new (Intl as any).DisplayNames([lang], { type: 'language' }));
    const name = dn.of(code);
    return name ? name.charAt(0).toLocaleUpperCase(lang) + name.slice(1) : code;
  } catch {
    return code;
  }
}
