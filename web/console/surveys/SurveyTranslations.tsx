// The survey editor's Translations: the survey in another language, for customers who
// read it (the public page asks for theirs). Pick a language; the survey's name, each
// saved question's label and each choice option get a field with the original as its
// placeholder and hint. Empty means "the original". New questions have no id until
// saved, so they are translated after saving (said at each). Sent as the survey's whole
// `translations` with the save; a refused field (translations.it.questions.q1.label) is
// named under it and its language is marked.
import { LANGS, t, type Lang } from '../i18n';
import { FieldError } from '../components/Common';
import { LIMITS, translationField, type SurveyTranslations } from './surveysApi';
import type { QuestionDraft } from './SurveyEditor';
import { TYPE_LABEL } from './SurveyEditor';

/** One question's words in one language: the label, and each option by its draft key. */
export interface QuestionTextDraft {
  label: string;
  options: Record<number, string>;
}
export interface TranslationDraft {
  name: string;
  /** By question id. */
  questions: Record<string, QuestionTextDraft>;
}
export type TranslationsDraft = Partial<Record<Lang, TranslationDraft>>;

export const emptyTranslation = (): TranslationDraft => ({ name: '', questions: {} });

/** The saved translations as the form edits them (an option written as the original shows empty: the same). */
export function translationsDraftOf(saved: SurveyTranslations | undefined, questions: QuestionDraft[]): TranslationsDraft {
  const out: TranslationsDraft = {};
  for (const { code } of LANGS) {
    const tr = saved?.[code];
    if (!tr) continue;
    const d = emptyTranslation();
    d.name = tr.name ?? '';
    for (const q of questions) {
      const text = q.id ? tr.questions?.[q.id] : undefined;
      if (!text) continue;
      const options: Record<number, string> = {};
      q.options.forEach((o, k) => {
        const v = text.options?.[k] ?? '';
        if (v && v !== o.text) options[o.key] = v;
      });
      d.questions[q.id!] = { label: text.label ?? '', options };
    }
    out[code] = d;
  }
  return out;
}

/**
 * The translations to send: per language its name and the saved questions' labels and options
 * (empty ones left out; a choice's options all or none — an empty one is sent as the original,
 * so they stay as many as the question has). Languages with nothing are left out.
 */
export function translationsBody(tr: TranslationsDraft, questions: QuestionDraft[]): SurveyTranslations {
  const out: SurveyTranslations = {};
  for (const { code } of LANGS) {
    const d = tr[code];
    if (!d) continue;
    const one: NonNullable<SurveyTranslations[Lang]> = {};
    const name = d.name.trim();
    if (name) one.name = name;
    const texts: Record<string, { label?: string; options?: string[] }> = {};
    for (const q of questions) {
      const text = q.id ? d.questions[q.id] : undefined;
      if (!text) continue;
      const entry: { label?: string; options?: string[] } = {};
      const label = text.label.trim();
      if (label) entry.label = label;
      if (q.type === 'choice') {
        const kept = q.options.filter((o) => o.text.trim());
        if (kept.some((o) => (text.options[o.key] ?? '').trim())) entry.options = kept.map((o) => (text.options[o.key] ?? '').trim() || o.text.trim());
      }
      if (entry.label || entry.options) texts[q.id!] = entry;
    }
    if (Object.keys(texts).length) one.questions = texts;
    if (one.name || one.questions) out[code] = one;
  }
  return out;
}

/** How many fields of a language are filled in (its picker shows it). */
export function filledCount(d: TranslationDraft | undefined, questions: QuestionDraft[]): number {
  if (!d) return 0;
  let n = d.name.trim() ? 1 : 0;
  for (const q of questions) {
    const text = q.id ? d.questions[q.id] : undefined;
    if (!text) continue;
    if (text.label.trim()) n++;
    if (q.type === 'choice') n += q.options.filter((o) => o.text.trim() && (text.options[o.key] ?? '').trim()).length;
  }
  return n;
}

export function SurveyTranslations({
  lang,
  onLang,
  name,
  questions,
  translations,
  errors,
  onChange,
  isNew,
}: {
  lang: Lang;
  onLang: (l: Lang) => void;
  /** The survey's name as written (the draft's). */
  name: string;
  questions: QuestionDraft[];
  translations: TranslationsDraft;
  errors: Record<string, string>;
  /** A change to `lang`'s translation; `clear` names the refusals it answers. */
  onChange: (lang: Lang, d: TranslationDraft, ...clear: string[]) => void;
  isNew: boolean;
}) {
  const d = translations[lang] ?? emptyTranslation();
  const at = `translations.${lang}`;
  const langName = LANGS.find((l) => l.code === lang)?.name ?? lang;
  const badLangs = new Set(Object.keys(errors).map((k) => translationField(k)?.lang).filter(Boolean));
  const unsaved = questions.filter((q) => !q.id).length;
  const setQuestion = (id: string, patch: Partial<QuestionTextDraft>, ...clear: string[]) => {
    const cur = d.questions[id] ?? { label: '', options: {} };
    onChange(lang, { ...d, questions: { ...d.questions, [id]: { ...cur, ...patch } } }, ...clear);
  };
  const nameErr = errors[`${at}.name`];

  return (
    <section class="sv-tr" aria-labelledby="sv-tr-title" data-testid="sv-translations" data-lang={lang}>
      <h3 id="sv-tr-title" class="sr-only">
        {t('sv.trTitle')}
      </h3>
      <p class="field-hint sv-tr-hint">{t('sv.trHint')}</p>
      <div class="lang-tabs" role="group" aria-label={t('sv.trLanguage')}>
        {LANGS.map((l) => {
          const n = filledCount(translations[l.code], questions);
          const bad = badLangs.has(l.code);
          return (
            <button
              key={l.code}
              type="button"
              lang={l.code}
              class={'lang-tab' + (l.code === lang ? ' is-active' : '') + (bad ? ' is-invalid' : '')}
              aria-pressed={l.code === lang}
              onClick={() => onLang(l.code)}
              data-testid={'sv-tr-lang-' + l.code}
            >
              {l.name}
              {n > 0 && (
                <>
                  <span class="lang-tab-count" aria-hidden="true" title={t('sv.trFilled', { n })}>
                    {n}
                  </span>
                  <span class="sr-only"> ({t('sv.trFilled', { n })})</span>
                </>
              )}
              {bad && <span class="sr-only"> ({t('sv.trHasErrors')})</span>}
            </button>
          );
        })}
      </div>

      {(isNew || unsaved > 0) && (
        <p class="notice notice-info sv-tr-unsaved" data-testid="sv-tr-unsaved">
          {isNew ? t('sv.trSaveFirst') : t('sv.trNewQuestions', { n: unsaved })}
        </p>
      )}

      <label class="field sv-name">
        <span class="field-label">{t('sv.trName', { lang: langName })}</span>
        <input
          type="text"
          lang={lang}
          value={d.name}
          maxLength={LIMITS.name}
          placeholder={name}
          onInput={(e) => onChange(lang, { ...d, name: e.currentTarget.value }, `${at}.name`)}
          aria-invalid={nameErr ? true : undefined}
          aria-describedby={`sv-tr-name-orig sv-tr-name-err`}
          data-testid="sv-tr-name"
        />
        <span class="field-hint sv-tr-orig" id="sv-tr-name-orig">
          {t('sv.trOriginal', { text: name || t('sv.untitled') })}
        </span>
        <FieldError id="sv-tr-name-err" error={nameErr} testid="sv-tr-name-error" />
      </label>

      <ol class="sv-questions sv-tr-questions" aria-label={t('sv.questions')}>
        {questions.map((q, i) => {
          const n = i + 1;
          const id = `sv-tr-q-${q.key}`;
          const head = (
            <div class="sv-q-head">
              <h4 class="sv-q-title">
                <span class="sv-q-num" aria-hidden="true">
                  {n}
                </span>
                <span class="sr-only">{t('sv.questionN', { n })}</span>
              </h4>
              <span class="badge badge-compact sv-tr-type">{t(TYPE_LABEL[q.type])}</span>
            </div>
          );
          if (!q.id)
            return (
              <li key={q.key} class="sv-q sv-tr-q is-new" data-testid="sv-tr-question" data-new="true">
                {head}
                <p class="field-hint sv-tr-later">{t('sv.trLater')}</p>
              </li>
            );
          const text = d.questions[q.id] ?? { label: '', options: {} };
          const qAt = `${at}.questions.${q.id}`;
          const labelErr = errors[`${qAt}.label`];
          const optionsErr = errors[`${qAt}.options`];
          const ownErr = errors[qAt];
          const options = q.type === 'choice' ? q.options.filter((o) => o.text.trim()) : [];
          return (
            <li key={q.key} class="sv-q sv-tr-q" data-testid="sv-tr-question" data-id={q.id}>
              {head}
              <FieldError id={`${id}-err`} error={ownErr} />
              <label class="field">
                <span class="field-label">{t('sv.trLabel', { lang: langName })}</span>
                <textarea
                  id={`${id}-label`}
                  lang={lang}
                  rows={2}
                  value={text.label}
                  maxLength={LIMITS.label}
                  placeholder={q.label}
                  onInput={(e) => setQuestion(q.id!, { label: e.currentTarget.value }, `${qAt}.label`, qAt)}
                  aria-invalid={labelErr ? true : undefined}
                  aria-describedby={`${id}-orig ${id}-label-err`}
                  data-testid="sv-tr-label"
                />
                <span class="field-hint sv-tr-orig" id={`${id}-orig`}>
                  {t('sv.trOriginal', { text: q.label.trim() || t('sv.noLabel') })}
                </span>
                <FieldError id={`${id}-label-err`} error={labelErr} testid="sv-tr-label-error" />
              </label>
              {options.length > 0 && (
                <fieldset class="field sv-options" aria-describedby={`${id}-opts-hint${optionsErr ? ` ${id}-options-err` : ''}`}>
                  <legend class="field-label">{t('sv.trOptions', { lang: langName })}</legend>
                  <span class="field-hint" id={`${id}-opts-hint`}>
                    {t('sv.trOptionsHint')}
                  </span>
                  <ol class="sv-option-list">
                    {options.map((o, k) => (
                      <li key={o.key} class="sv-option sv-tr-option">
                        <span class="sv-tr-option-orig" aria-hidden="true" title={o.text}>
                          {o.text}
                        </span>
                        <input
                          type="text"
                          lang={lang}
                          value={text.options[o.key] ?? ''}
                          maxLength={LIMITS.option}
                          placeholder={o.text}
                          aria-label={t('sv.trOptionN', { n: k + 1, text: o.text, lang: langName })}
                          aria-invalid={optionsErr ? true : undefined}
                          onInput={(e) => setQuestion(q.id!, { options: { ...text.options, [o.key]: e.currentTarget.value } }, `${qAt}.options`, qAt)}
                          data-testid="sv-tr-option"
                        />
                      </li>
                    ))}
                  </ol>
                  <FieldError id={`${id}-options-err`} error={optionsErr} testid="sv-tr-options-error" />
                </fieldset>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
