// The languages the product speaks, with their own names: the browser code's
// one list (src/core/core.h kLanguages is the server's; keep the two in step).
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'it', name: 'Italiano' },
  { code: 'ru', name: 'Русский' },
  { code: 'hu', name: 'Magyar' },
  { code: 'pl', name: 'Polski' },
] as const;

export type Lang = (typeof LANGUAGES)[number]['code'];
export const LANG_CODES: readonly Lang[] = LANGUAGES.map((l) => l.code);
