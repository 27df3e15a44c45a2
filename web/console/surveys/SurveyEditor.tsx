// The survey editor: the name, then up to 20 questions — each an NPS (0–10, one
// per survey), a rating (1–3 or 1–5), a choice (2–10 options, one or several
// answers) or free text — with its label, Required, move up/down and delete;
// "Preview" shows it as the customer's page will; "Translations" words it in the
// customers' other languages (SurveyTranslations.tsx). A kept question sends its id
// (answers are stored by it); a refused field is named under it (422).
import { useRef, useState } from 'preact/hooks';
import { getLang, LANGS, t, type Lang, type StringKey } from '../i18n';
import { errorText } from '../store';
import { ErrorNotice, FieldError, FormActions, FormCardHeader, useSubmit } from '../components/Common';
import { IconArrowDown, IconPlus, IconX } from '../components/Icons';
import {
  createSurvey,
  fieldErrors,
  LIMITS,
  questionField,
  QUESTION_TYPES,
  translationField,
  updateSurvey,
  type QuestionBody,
  type QuestionType,
  type Survey,
  type SurveyTranslations as Translations,
} from './surveysApi';
import { SurveyPreview } from './SurveyPreview';
import { SurveyTranslations, translationsBody, translationsDraftOf, type TranslationDraft, type TranslationsDraft } from './SurveyTranslations';

interface OptionDraft {
  key: number;
  text: string;
}
export interface QuestionDraft {
  key: number;
  id?: string;
  type: QuestionType;
  label: string;
  required: boolean;
  scale: '3' | '5';
  options: OptionDraft[];
  multiple: boolean;
}
interface Draft {
  name: string;
  questions: QuestionDraft[];
  translations: TranslationsDraft;
}

let nextKey = 1;

export const TYPE_LABEL: Record<QuestionType, StringKey> = {
  nps: 'sv.type.nps',
  rating: 'sv.type.rating',
  choice: 'sv.type.choice',
  text: 'sv.type.text',
};
const TYPE_HINT: Record<QuestionType, StringKey> = {
  nps: 'sv.typeHint.nps',
  rating: 'sv.typeHint.rating',
  choice: 'sv.typeHint.choice',
  text: 'sv.typeHint.text',
};

function newQuestion(type: QuestionType): QuestionDraft {
  return {
    key: nextKey++,
    type,
    label: type === 'nps' ? t('sv.npsDefaultLabel') : '',
    required: type === 'nps',
    scale: '5',
    options: [
      { key: nextKey++, text: '' },
      { key: nextKey++, text: '' },
    ],
    multiple: false,
  };
}

function draftOf(s: Survey | null): Draft {
  if (!s) return { name: '', questions: [newQuestion('nps')], translations: {} };
  const questions: QuestionDraft[] = s.questions.map((q) => ({
    key: nextKey++,
    id: q.id,
    type: q.type,
    label: q.label,
    required: q.required,
    scale: q.scale === '3' ? '3' : '5',
    options: (q.options?.length ? q.options : ['', '']).map((text) => ({ key: nextKey++, text })),
    multiple: !!q.multiple,
  }));
  return { name: s.name, questions, translations: translationsDraftOf(s.translations, questions) };
}

function bodyOf(d: Draft): { name: string; questions: QuestionBody[]; translations: Translations } {
  return {
    name: d.name.trim(),
    questions: d.questions.map((q) => {
      const b: QuestionBody = { type: q.type, label: q.label.trim(), required: q.required };
      if (q.id) b.id = q.id;
      if (q.type === 'rating') b.scale = q.scale;
      if (q.type === 'choice') {
        b.options = q.options.map((o) => o.text.trim()).filter(Boolean);
        b.multiple = q.multiple;
      }
      return b;
    }),
    translations: translationsBody(d.translations, d.questions),
  };
}

/** What the server would refuse, said in the console's language, under the same keys. */
function validate(d: Draft): Record<string, string> {
  const e: Record<string, string> = {};
  if (!d.name.trim()) e.name = t('sv.errName');
  if (!d.questions.length) e.questions = t('sv.errNoQuestions');
  if (d.questions.filter((q) => q.type === 'nps').length > 1) e.questions = t('sv.errOneNps');
  d.questions.forEach((q, i) => {
    if (!q.label.trim()) e[`questions[${i}].label`] = t('sv.errLabel');
    if (q.type === 'choice') {
      const opts = q.options.map((o) => o.text.trim()).filter(Boolean);
      if (opts.length < LIMITS.optionsMin) e[`questions[${i}].options`] = t('sv.errOptionsFew');
      else if (new Set(opts).size !== opts.length) e[`questions[${i}].options`] = t('sv.errOptionsSame');
    }
  });
  return e;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The language the translations open on: the first one that is not the console's. */
const firstOther = (): Lang => LANGS.find((l) => l.code !== getLang())?.code ?? 'it';

export function SurveyEditor({ survey, onCancel, onSaved }: { survey: Survey | null; onCancel: () => void; onSaved: (s: Survey, created: boolean) => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(survey));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [mode, setMode] = useState<'edit' | 'preview' | 'translations'>('edit');
  const [trLang, setTrLang] = useState<Lang>(firstOther);
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, run } = useSubmit((err) => (Object.keys(fieldErrors(err)).length ? t('sv.invalid') : errorText(err)));
  const isNew = !survey;
  const hasNps = d.questions.some((q) => q.type === 'nps');
  const full = d.questions.length >= LIMITS.questions;

  const clearError = (...keys: string[]) =>
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e;
      const n = { ...e };
      for (const k of keys) delete n[k];
      return n;
    });
  /** The questions moved or went: the errors named by position no longer fit. */
  const dropQuestionErrors = () => setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('questions'))));

  function setQuestion(i: number, patch: Partial<QuestionDraft>) {
    setD((x) => ({ ...x, questions: x.questions.map((q, j) => (j === i ? { ...q, ...patch } : q)) }));
  }
  function addQuestion(type: QuestionType) {
    if (full || (type === 'nps' && hasNps)) return;
    const q = newQuestion(type);
    setD((x) => ({ ...x, questions: [...x.questions, q] }));
    clearError('questions');
    requestAnimationFrame(() => {
      const el = document.getElementById(`sv-q-${q.key}-label`) as HTMLTextAreaElement | null;
      el?.focus();
      el?.select();
    });
  }
  function move(i: number, by: -1 | 1) {
    const j = i + by;
    if (j < 0 || j >= d.questions.length) return;
    const qs = [...d.questions];
    [qs[i], qs[j]] = [qs[j], qs[i]];
    const key = qs[j].key;
    setD({ ...d, questions: qs });
    dropQuestionErrors();
    // The focus follows the question; at an end, to the other arrow.
    requestAnimationFrame(() => {
      const first = document.getElementById(`sv-q-${key}-${by < 0 ? 'up' : 'down'}`) as HTMLButtonElement | null;
      const other = document.getElementById(`sv-q-${key}-${by < 0 ? 'down' : 'up'}`) as HTMLButtonElement | null;
      (first && !first.disabled ? first : other)?.focus();
    });
  }
  function remove(i: number) {
    const qs = d.questions.filter((_, j) => j !== i);
    setD({ ...d, questions: qs });
    dropQuestionErrors();
    requestAnimationFrame(() => {
      const next = qs[Math.min(i, qs.length - 1)];
      (next ? document.getElementById(`sv-q-${next.key}-label`) : document.getElementById('sv-add-first'))?.focus();
    });
  }

  async function submit(e: Event) {
    e.preventDefault();
    const problems = validate(d);
    setErrors(problems);
    if (Object.keys(problems).length) {
      setMode('edit');
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    await run(async () => {
      try {
        const body = bodyOf(d);
        const saved = isNew ? await createSurvey(body) : await updateSurvey(survey!.id, body);
        onSaved(saved, isNew);
      } catch (err) {
        const fields = fieldErrors(err);
        if (Object.keys(fields).length) {
          setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, cap(v)])));
          // Only translations refused: their language is shown, else the questions.
          const keys = Object.keys(fields);
          const tr = keys.map(translationField);
          const lang = tr.find((f) => f && LANGS.some((l) => l.code === f.lang))?.lang as Lang | undefined;
          if (tr.every(Boolean) && lang) {
            setMode('translations');
            setTrLang(lang);
          } else setMode('edit');
          requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
        }
        throw err;
      }
    });
  }

  // Problems the fields below do not show (a field the server names that the form has not).
  const shown = (k: string) => {
    if (k === 'name' || k === 'questions') return true;
    const tr = translationField(k);
    if (tr) {
      if (!LANGS.some((l) => l.code === tr.lang)) return false;
      if (!tr.question) return tr.field === 'name';
      return d.questions.some((q) => q.id === tr.question) && ['label', 'options', ''].includes(tr.field);
    }
    const f = questionField(k);
    return !!f && f.index < d.questions.length && ['label', 'options', ''].includes(f.field);
  };
  const other = Object.entries(errors).filter(([k]) => !shown(k));

  return (
    <form ref={form} class="card form-card sv-form" onSubmit={submit} aria-labelledby="sv-form-title" noValidate data-testid="sv-form">
      <FormCardHeader id="sv-form-title" onCancel={onCancel}>
        {isNew ? t('sv.new') : t('sv.editTitle', { name: survey!.name })}
      </FormCardHeader>
      <label class="field sv-name">
        <span class="field-label">{t('sv.name')}</span>
        <input
          type="text"
          value={d.name}
          maxLength={LIMITS.name}
          placeholder={t('sv.namePlaceholder')}
          onInput={(e) => {
            const name = e.currentTarget.value;
            setD((x) => ({ ...x, name }));
            clearError('name');
          }}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby="sv-name-hint sv-name-err"
          data-testid="sv-name"
        />
        <span class="field-hint" id="sv-name-hint">
          {t('sv.nameHint')}
        </span>
        <FieldError id="sv-name-err" error={errors.name} testid="sv-error-name" />
      </label>

      {survey && survey.responses > 0 && (
        <p class="notice notice-info sv-answered-note" data-testid="sv-answered-note">
          {t('sv.answeredNote', { n: survey.responses })}
        </p>
      )}

      <div class="segmented sv-mode" role="group" aria-label={t('sv.modeLabel')}>
        <button type="button" class={'segmented-item' + (mode === 'edit' ? ' is-active' : '')} aria-pressed={mode === 'edit'} onClick={() => setMode('edit')} data-testid="sv-mode-edit">
          {t('sv.modeEdit', { n: d.questions.length })}
        </button>
        <button
          type="button"
          class={'segmented-item' + (mode === 'translations' ? ' is-active' : '')}
          aria-pressed={mode === 'translations'}
          onClick={() => setMode('translations')}
          data-testid="sv-mode-translations"
        >
          {t('sv.modeTranslations')}
        </button>
        <button type="button" class={'segmented-item' + (mode === 'preview' ? ' is-active' : '')} aria-pressed={mode === 'preview'} onClick={() => setMode('preview')} data-testid="sv-mode-preview">
          {t('sv.modePreview')}
        </button>
      </div>

      {mode === 'preview' ? (
        <SurveyPreview name={d.name.trim() || t('sv.untitled')} questions={d.questions} translations={d.translations} />
      ) : mode === 'translations' ? (
        <SurveyTranslations
          lang={trLang}
          onLang={setTrLang}
          name={d.name.trim()}
          questions={d.questions}
          translations={d.translations}
          errors={errors}
          isNew={isNew}
          onChange={(lang: Lang, tr: TranslationDraft, ...clear: string[]) => {
            setD((x) => ({ ...x, translations: { ...x.translations, [lang]: tr } }));
            clearError(...clear);
          }}
        />
      ) : (
        <>
          <FieldError id="sv-questions-err" error={errors.questions} testid="sv-error-questions" />
          <ol class="sv-questions" aria-label={t('sv.questions')} data-testid="sv-questions">
            {d.questions.map((q, i) => (
              <QuestionCard
                key={q.key}
                q={q}
                i={i}
                count={d.questions.length}
                npsTaken={hasNps && q.type !== 'nps'}
                errors={errors}
                onChange={(patch, ...clear) => {
                  setQuestion(i, patch);
                  clearError(...clear);
                }}
                onMove={(by) => move(i, by)}
                onRemove={() => remove(i)}
              />
            ))}
          </ol>
          <div class="sv-add" role="group" aria-labelledby="sv-add-label">
            <span class="field-label" id="sv-add-label">
              {full ? t('sv.addFull', { n: LIMITS.questions }) : t('sv.add')}
            </span>
            <div class="sv-add-buttons">
              {QUESTION_TYPES.map((type, k) => (
                <button
                  key={type}
                  id={k === 0 ? 'sv-add-first' : undefined}
                  type="button"
                  class="btn btn-secondary btn-sm"
                  onClick={() => addQuestion(type)}
                  disabled={full || (type === 'nps' && hasNps)}
                  title={type === 'nps' && hasNps ? t('sv.oneNps') : t(TYPE_HINT[type])}
                  data-testid={'sv-add-' + type}
                >
                  <IconPlus size={14} />
                  {t(TYPE_LABEL[type])}
                </button>
              ))}
            </div>
            {hasNps && !full && <span class="field-hint">{t('sv.oneNps')}</span>}
          </div>
        </>
      )}

      {other.length > 0 && (
        <p class="notice notice-error" role="alert" data-testid="sv-other-errors">
          {other.map(([k, m]) => `${k}: ${m}`).join(' · ')}
        </p>
      )}
      <ErrorNotice error={error} testid="sv-error" />
      <FormActions onCancel={onCancel} disabled={busy} testid="sv-save">
        {busy ? t('common.saving') : isNew ? t('sv.create') : t('common.save')}
      </FormActions>
    </form>
  );
}

function QuestionCard({
  q,
  i,
  count,
  npsTaken,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  q: QuestionDraft;
  i: number;
  count: number;
  /** Another question is the NPS one. */
  npsTaken: boolean;
  errors: Record<string, string>;
  onChange: (patch: Partial<QuestionDraft>, ...clear: string[]) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const at = `questions[${i}]`;
  const id = `sv-q-${q.key}`;
  const n = i + 1;
  const labelErr = errors[`${at}.label`];
  const optionsErr = errors[`${at}.options`];
  const ownErr = errors[at];
  function setOption(k: number, text: string) {
    onChange({ options: q.options.map((o, j) => (j === k ? { ...o, text } : o)) }, `${at}.options`);
  }
  function addOption() {
    if (q.options.length >= LIMITS.optionsMax) return;
    const o = { key: nextKey++, text: '' };
    onChange({ options: [...q.options, o] }, `${at}.options`);
    requestAnimationFrame(() => document.getElementById(`${id}-opt-${o.key}`)?.focus());
  }
  function removeOption(k: number) {
    if (q.options.length <= LIMITS.optionsMin) return;
    const rest = q.options.filter((_, j) => j !== k);
    onChange({ options: rest }, `${at}.options`);
    requestAnimationFrame(() => document.getElementById(`${id}-opt-${rest[Math.min(k, rest.length - 1)].key}`)?.focus());
  }
  function setType(type: QuestionType) {
    const patch: Partial<QuestionDraft> = { type };
    // An NPS question starts from the usual wording when it has none of its own.
    if (type === 'nps' && !q.label.trim()) patch.label = t('sv.npsDefaultLabel');
    onChange(patch, `${at}.type`, `${at}.label`, `${at}.options`, `${at}.scale`, 'questions');
  }

  return (
    <li class="sv-q" data-testid="sv-question" data-type={q.type}>
      <div class="sv-q-head">
        <h3 class="sv-q-title" id={`${id}-title`}>
          <span class="sv-q-num" aria-hidden="true">
            {n}
          </span>
          <span class="sr-only">{t('sv.questionN', { n })}</span>
        </h3>
        <label class="sv-q-type">
          <span class="sr-only">{t('sv.typeOf', { n })}</span>
          <select value={q.type} onChange={(e) => setType(e.currentTarget.value as QuestionType)} data-testid="sv-q-type">
            {QUESTION_TYPES.map((type) => (
              <option key={type} value={type} disabled={type === 'nps' && npsTaken}>
                {t(TYPE_LABEL[type])}
              </option>
            ))}
          </select>
        </label>
        <div class="sv-q-tools">
          <button type="button" id={`${id}-up`} class="icon-button sv-up" onClick={() => onMove(-1)} disabled={i === 0} aria-label={t('sv.moveUp', { n })} title={t('sv.moveUp', { n })} data-testid="sv-q-up">
            <IconArrowDown size={16} />
          </button>
          <button type="button" id={`${id}-down`} class="icon-button" onClick={() => onMove(1)} disabled={i === count - 1} aria-label={t('sv.moveDown', { n })} title={t('sv.moveDown', { n })} data-testid="sv-q-down">
            <IconArrowDown size={16} />
          </button>
          <button type="button" class="icon-button sv-q-remove" onClick={onRemove} aria-label={t('sv.removeQuestion', { n })} title={t('sv.removeQuestion', { n })} data-testid="sv-q-remove">
            <IconX size={16} />
          </button>
        </div>
      </div>
      <FieldError id={`${id}-err`} error={ownErr} />
      <label class="field sv-q-label">
        <span class="field-label">{t('sv.label')}</span>
        <textarea
          id={`${id}-label`}
          rows={2}
          value={q.label}
          maxLength={LIMITS.label}
          placeholder={t(q.type === 'text' ? 'sv.labelPlaceholderText' : q.type === 'choice' ? 'sv.labelPlaceholderChoice' : 'sv.labelPlaceholder')}
          onInput={(e) => onChange({ label: e.currentTarget.value }, `${at}.label`)}
          aria-invalid={labelErr ? true : undefined}
          aria-describedby={`${id}-hint ${id}-label-err`}
          data-testid="sv-q-label"
        />
        <span class="sv-q-under">
          <span class="field-hint" id={`${id}-hint`}>
            {t(TYPE_HINT[q.type])}
          </span>
          <span class="field-hint sv-count" aria-hidden="true">
            {q.label.length} / {LIMITS.label}
          </span>
        </span>
        <FieldError id={`${id}-label-err`} error={labelErr} testid="sv-q-label-error" />
      </label>

      {q.type === 'rating' && (
        <fieldset class="field sv-scale">
          <legend class="field-label">{t('sv.scale')}</legend>
          <div class="sv-radios">
            {(['3', '5'] as const).map((s) => (
              <label key={s} class={'sv-choice' + (q.scale === s ? ' is-active' : '')}>
                <input type="radio" name={`${id}-scale`} value={s} checked={q.scale === s} onChange={() => onChange({ scale: s }, `${at}.scale`)} data-testid={'sv-q-scale-' + s} />
                <span>{t(s === '3' ? 'sv.scale3' : 'sv.scale5')}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}

      {q.type === 'choice' && (
        <fieldset class="field sv-options" aria-describedby={optionsErr ? `${id}-options-err` : undefined}>
          <legend class="field-label">{t('sv.options')}</legend>
          <ol class="sv-option-list">
            {q.options.map((o, k) => (
              <li key={o.key} class="sv-option">
                <span class="sv-option-mark" aria-hidden="true">
                  {q.multiple ? '☐' : '○'}
                </span>
                <input
                  id={`${id}-opt-${o.key}`}
                  type="text"
                  value={o.text}
                  maxLength={LIMITS.option}
                  aria-label={t('sv.optionN', { n: k + 1 })}
                  aria-invalid={optionsErr && !o.text.trim() ? true : undefined}
                  onInput={(e) => setOption(k, e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      if (k === q.options.length - 1) addOption();
                      else document.getElementById(`${id}-opt-${q.options[k + 1].key}`)?.focus();
                    }
                  }}
                  data-testid="sv-q-option"
                />
                <button type="button" class="icon-button" onClick={() => removeOption(k)} disabled={q.options.length <= LIMITS.optionsMin} aria-label={t('sv.removeOption', { n: k + 1 })} data-testid="sv-q-option-remove">
                  <IconX size={15} />
                </button>
              </li>
            ))}
          </ol>
          <FieldError id={`${id}-options-err`} error={optionsErr} testid="sv-q-options-error" />
          <div class="sv-options-foot">
            {q.options.length < LIMITS.optionsMax ? (
              <button type="button" class="btn btn-ghost btn-sm" onClick={addOption} data-testid="sv-q-option-add">
                <IconPlus size={14} />
                {t('sv.addOption')}
              </button>
            ) : (
              <span class="field-hint">{t('sv.optionsFull', { n: LIMITS.optionsMax })}</span>
            )}
            <label class="switch">
              <input type="checkbox" checked={q.multiple} onChange={(e) => onChange({ multiple: e.currentTarget.checked })} data-testid="sv-q-multiple" />
              <span class="switch-track" aria-hidden="true" />
              <span class="switch-label">{t('sv.multiple')}</span>
            </label>
          </div>
        </fieldset>
      )}

      <label class="switch sv-required">
        <input type="checkbox" checked={q.required} onChange={(e) => onChange({ required: e.currentTarget.checked })} data-testid="sv-q-required" />
        <span class="switch-track" aria-hidden="true" />
        <span class="switch-label">{t('sv.required')}</span>
      </label>
    </li>
  );
}
