// The survey as the customer's page (/s/<token>, web/survey/) will show it, with the
// page's own words: as written (in the console's language), or as a customer of one of
// the languages reads it, with the translations (SurveyTranslations.tsx) where given.
// Answers can be tried, nothing is sent.
import { useState } from 'preact/hooks';
import { getLang, LANGS, t, type Lang } from '../i18n';
import { fill, MAX_TEXT, SURVEY_STRINGS } from '../../survey/strings';
import type { QuestionDraft } from './SurveyEditor';
import type { TranslationsDraft } from './SurveyTranslations';

export function SurveyPreview({ name, questions, translations = {} }: { name: string; questions: QuestionDraft[]; translations?: TranslationsDraft }) {
  /** '' as written; else the customer's language. */
  const [lang, setLang] = useState<Lang | ''>('');
  const S = SURVEY_STRINGS[lang || getLang()];
  const tr = lang ? translations[lang] : undefined;
  const textOf = (q: QuestionDraft) => (q.id ? tr?.questions[q.id] : undefined);
  const [texts, setTexts] = useState<Record<number, string>>({});
  return (
    <section class="sv-pv" aria-label={t('sv.previewLabel')} data-testid="sv-preview">
      <p class="field-hint sv-pv-note">{t('sv.previewHint')}</p>
      <label class="sv-pv-lang">
        <span class="field-label">{t('sv.previewIn')}</span>
        <select value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang | '')} data-testid="sv-pv-lang">
          <option value="">{t('sv.previewAsWritten')}</option>
          {LANGS.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <div class="sv-pv-page" lang={lang || undefined}>
        <h3 class="sv-pv-title">{tr?.name.trim() || name}</h3>
        {questions.some((q) => q.required) && <p class="sv-pv-muted">{S.requiredNote}</p>}
        {questions.length === 0 && <p class="sv-pv-muted">{t('sv.errNoQuestions')}</p>}
        {questions.map((q) => {
          const id = `sv-pv-${q.key}`;
          const own = textOf(q);
          const label = own?.label.trim() || q.label.trim() || t('sv.noLabel');
          const top = q.type === 'nps' ? 10 : q.scale === '3' ? 3 : 5;
          const from = q.type === 'nps' ? 0 : 1;
          return (
            <fieldset key={q.key} class="sv-pv-q" data-testid="sv-preview-question">
              <legend class={'sv-pv-legend' + (q.label.trim() ? '' : ' is-empty')}>
                {label}
                {q.required && (
                  <>
                    <span class="sv-pv-req" aria-hidden="true">
                      {' '}
                      *
                    </span>
                    <span class="sr-only"> ({S.required})</span>
                  </>
                )}
              </legend>
              {(q.type === 'nps' || q.type === 'rating') && (
                <>
                  <div class={'sv-pv-scale sv-pv-scale-' + (top - from + 1)}>
                    {Array.from({ length: top - from + 1 }, (_, k) => from + k).map((n) => (
                      <label key={n} class="sv-pv-pill">
                        <input type="radio" name={id} value={n} />
                        <span>{n}</span>
                      </label>
                    ))}
                  </div>
                  <div class={'sv-pv-ends sv-pv-ends-' + (top - from + 1)}>
                    <span>{q.type === 'nps' ? S.npsLow : S.ratingLow}</span>
                    <span>{q.type === 'nps' ? S.npsHigh : S.ratingHigh}</span>
                  </div>
                </>
              )}
              {q.type === 'choice' && (
                <>
                  <p class="sv-pv-muted sv-pv-hint">{q.multiple ? S.chooseSeveral : S.chooseOne}</p>
                  <div class="sv-pv-options">
                    {q.options
                      .filter((o) => o.text.trim())
                      .map((o) => own?.options[o.key]?.trim() || o.text.trim())
                      .map((o, k) => (
                        <label key={k} class="sv-pv-option">
                          <input type={q.multiple ? 'checkbox' : 'radio'} name={id} value={o} />
                          <span>{o}</span>
                        </label>
                      ))}
                  </div>
                </>
              )}
              {q.type === 'text' && (
                <>
                  <textarea rows={3} maxLength={MAX_TEXT} aria-label={label} value={texts[q.key] ?? ''} onInput={(e) => setTexts({ ...texts, [q.key]: e.currentTarget.value })} />
                  <span class="sv-pv-count">{fill(S.charsLeft, { n: MAX_TEXT - (texts[q.key]?.length ?? 0) })}</span>
                </>
              )}
            </fieldset>
          );
        })}
        <button type="button" class="btn btn-primary sv-pv-submit" aria-disabled="true" title={t('sv.previewHint')} onClick={(e) => e.preventDefault()}>
          {S.submit}
        </button>
      </div>
    </section>
  );
}
