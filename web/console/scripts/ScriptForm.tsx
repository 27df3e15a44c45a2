// The script form: a supervisor's new script or edit (saved at once), or an agent's
// proposal of a new script or of a change (sent for review, with a note). Title,
// situation, language, the variants (add, remove, {{variables}} inserted at the caret)
// and each refusal at its field (422).
import { useRef, useState } from 'preact/hooks';
import { LANGS, t } from '../i18n';
import { errorText } from '../store';
import { ErrorNotice, FieldError, FormActions, FormCardHeader, useSubmit } from '../components/Common';
import { IconPlus, IconX } from '../components/Icons';
import { VARIABLES, unknownVariables } from '../canned/cannedApi';
import {
  MAX_VARIANTS,
  SITUATIONS,
  activeVariants,
  createScript,
  fieldErrors,
  propose,
  situationName,
  updateScript,
  type Proposal,
  type Script,
  type Situation,
} from './scriptsApi';

/** create/edit: a supervisor's, saved at once; propose/propose-edit: an agent's, sent for review. */
export type FormMode = 'create' | 'edit' | 'propose' | 'propose-edit';

let nextKey = 1;

export function ScriptForm({
  mode,
  script,
  situation: initialSituation,
  language: initialLanguage,
  onCancel,
  onSaved,
}: {
  mode: FormMode;
  script?: Script | null;
  situation?: Situation;
  language?: string;
  onCancel: () => void;
  onSaved: (result: { script?: Script; proposal?: Proposal }) => void;
}) {
  const texts = script ? activeVariants(script).map((v) => v.text) : [''];
  const [title, setTitle] = useState(script?.title ?? '');
  const [situation, setSituation] = useState<Situation>(script?.situation ?? initialSituation ?? 'greeting');
  const [language, setLanguage] = useState(script?.language ?? initialLanguage ?? '');
  const [variants, setVariants] = useState(() => (texts.length ? texts : ['']).map((text) => ({ key: nextKey++, text })));
  const [note, setNote] = useState('');
  const [focus, setFocus] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const carets = useRef<Record<number, number>>({});
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, run } = useSubmit((err) => (Object.keys(fieldErrors(err)).length ? null : errorText(err)));
  const proposing = mode === 'propose' || mode === 'propose-edit';
  const headingId = 'script-form-title-' + (script?.id ?? 'new');

  function clear(...keys: string[]) {
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e;
      const n = { ...e };
      for (const k of keys) delete n[k];
      return n;
    });
  }
  function setVariant(i: number, text: string) {
    setVariants((vs) => vs.map((v, j) => (j === i ? { ...v, text } : v)));
    clear('variants');
  }
  function addVariant() {
    if (variants.length >= MAX_VARIANTS) return;
    const key = nextKey++;
    setVariants((vs) => [...vs, { key, text: '' }]);
    setFocus(variants.length);
    requestAnimationFrame(() => document.getElementById(`script-variant-${key}`)?.focus());
  }
  function removeVariant(i: number) {
    if (variants.length <= 1) return;
    const keep = variants[i + 1] ?? variants[i - 1];
    setVariants((vs) => vs.filter((_, j) => j !== i));
    setFocus((f) => Math.max(0, Math.min(f, variants.length - 2)));
    clear('variants');
    requestAnimationFrame(() => keep && document.getElementById(`script-variant-${keep.key}`)?.focus());
  }
  function insertVariable(name: string) {
    const i = Math.min(focus, variants.length - 1);
    const v = variants[i];
    const token = `{{${name}}}`;
    const at = Math.min(carets.current[v.key] ?? v.text.length, v.text.length);
    setVariant(i, v.text.slice(0, at) + token + v.text.slice(at));
    const caret = at + token.length;
    carets.current[v.key] = caret;
    requestAnimationFrame(() => {
      const el = document.getElementById(`script-variant-${v.key}`) as HTMLTextAreaElement | null;
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
  }

  async function submit(e: Event) {
    e.preventDefault();
    setErrors({});
    const body = { situation, language, title: title.trim(), variants: variants.map((v) => v.text.trim()).filter((x, i, all) => x || all.length === 1) };
    await run(async () => {
      try {
        if (mode === 'create') onSaved({ script: await createScript(body) });
        else if (mode === 'edit') onSaved({ script: await updateScript(script!.id, body) });
        else onSaved({ proposal: await propose({ ...body, ...(mode === 'propose-edit' && script ? { script_id: script.id } : {}), note: note.trim() }) });
      } catch (err) {
        const fields = fieldErrors(err);
        setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.charAt(0).toUpperCase() + v.slice(1)])));
        requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
        throw err;
      }
    });
  }

  const err = (k: string) => <FieldError id={`script-${k}-err-${script?.id ?? 'new'}`} error={errors[k]} testid={'script-error-' + k} />;
  const other = Object.entries(errors).filter(([k]) => !['situation', 'language', 'title', 'variants', 'note'].includes(k));
  const heading =
    mode === 'create' ? t('scripts.new') : mode === 'edit' ? t('scripts.edit') : mode === 'propose' ? t('scripts.proposeNew') : t('scripts.proposeChangeTo', { title: script?.title ?? '' });
  const suffix = script?.id ?? 'new';

  return (
    <form ref={form} class="card form-card script-form" onSubmit={submit} data-testid="script-form" data-mode={mode} aria-labelledby={headingId} noValidate>
      <FormCardHeader id={headingId} onCancel={onCancel}>
        {heading}
      </FormCardHeader>
      {proposing && <p class="muted small script-form-hint">{mode === 'propose' ? t('scripts.proposeNewHint') : t('scripts.proposeChangeHint')}</p>}
      {mode === 'edit' && <p class="muted small script-form-hint">{t('scripts.editHint')}</p>}
      <div class="form-grid script-form-grid">
        <label class="field script-form-title">
          <span class="field-label">{t('scripts.titleField')}</span>
          <input
            type="text"
            value={title}
            maxLength={120}
            onInput={(e) => {
              setTitle(e.currentTarget.value);
              clear('title');
            }}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={`script-title-err-${suffix}`}
            data-testid="script-title"
          />
          {err('title')}
        </label>
        <label class="field">
          <span class="field-label">{t('scripts.situation')}</span>
          <select
            value={situation}
            onChange={(e) => {
              setSituation(e.currentTarget.value as Situation);
              clear('situation');
            }}
            aria-invalid={errors.situation ? true : undefined}
            aria-describedby={`script-situation-err-${suffix}`}
            data-testid="script-situation"
          >
            {SITUATIONS.map((s) => (
              <option key={s} value={s}>
                {situationName(s)}
              </option>
            ))}
          </select>
          {err('situation')}
        </label>
        <label class="field">
          <span class="field-label">{t('scripts.language')}</span>
          <select
            value={language}
            onChange={(e) => {
              setLanguage(e.currentTarget.value);
              clear('language');
            }}
            aria-invalid={errors.language ? true : undefined}
            aria-describedby={`script-language-err-${suffix} script-language-hint-${suffix}`}
            data-testid="script-language"
          >
            <option value="">{t('canned.anyLanguage')}</option>
            {LANGS.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
          <span class="field-hint" id={`script-language-hint-${suffix}`}>
            {t('scripts.languageHint')}
          </span>
          {err('language')}
        </label>
      </div>

      <fieldset class="field script-variants-field">
        <legend class="field-label">{t('canned.variants')}</legend>
        <span class="field-hint">{t('scripts.variantsHint')}</span>
        {err('variants')}
        <ol class="script-variant-list">
          {variants.map((v, i) => {
            const unknown = unknownVariables(v.text);
            return (
              <li key={v.key} class={'script-variant-row' + (i === focus ? ' is-focused' : '')} data-testid="script-variant-row">
                <label class="field-label" for={`script-variant-${v.key}`}>
                  {t('canned.variant', { n: i + 1 })}
                </label>
                <div class="script-variant-edit">
                  <textarea
                    id={`script-variant-${v.key}`}
                    rows={3}
                    value={v.text}
                    maxLength={3000}
                    onInput={(e) => {
                      carets.current[v.key] = e.currentTarget.selectionStart ?? 0;
                      setVariant(i, e.currentTarget.value);
                    }}
                    onFocus={() => setFocus(i)}
                    onKeyUp={(e) => (carets.current[v.key] = e.currentTarget.selectionStart ?? 0)}
                    onClick={(e) => (carets.current[v.key] = e.currentTarget.selectionStart ?? 0)}
                    aria-invalid={errors.variants ? true : undefined}
                    aria-describedby={`script-variants-err-${suffix}`}
                    data-testid="script-variant-text"
                  />
                  {variants.length > 1 && (
                    <button type="button" class="icon-button" onClick={() => removeVariant(i)} aria-label={t('canned.removeVariant', { n: i + 1 })} data-testid="script-variant-remove">
                      <IconX size={16} />
                    </button>
                  )}
                </div>
                {unknown.length > 0 && <span class="field-error">{t('canned.unknownVariable', { names: unknown.map((n) => `{{${n}}}`).join(', ') })}</span>}
              </li>
            );
          })}
        </ol>
        {variants.length < MAX_VARIANTS && (
          <button type="button" class="btn btn-ghost btn-sm script-add-variant" onClick={addVariant} data-testid="script-variant-add">
            <IconPlus size={14} />
            {t('canned.addVariant')}
          </button>
        )}
      </fieldset>

      <div class="canned-vars">
        <span class="field-label">{t('canned.variables')}</span>
        <span class="canned-var-buttons">
          {VARIABLES.map((name) => (
            <button type="button" key={name} class="canned-var-button" onMouseDown={(e) => e.preventDefault()} onClick={() => insertVariable(name)}>
              {`{{${name}}}`}
            </button>
          ))}
        </span>
        <span class="field-hint">{t('canned.variablesHint')}</span>
      </div>

      {proposing && (
        <label class="field">
          <span class="field-label">{t('scripts.note')}</span>
          <textarea
            rows={2}
            value={note}
            maxLength={1000}
            onInput={(e) => {
              setNote(e.currentTarget.value);
              clear('note');
            }}
            placeholder={t('scripts.notePlaceholder')}
            aria-invalid={errors.note ? true : undefined}
            aria-describedby={`script-note-err-${suffix}`}
            data-testid="script-note"
          />
          {err('note')}
        </label>
      )}

      {other.length > 0 && <ErrorNotice error={other.map(([k, v]) => `${k}: ${v}`).join('; ')} />}
      <ErrorNotice error={error} />
      <FormActions onCancel={onCancel} disabled={busy} testid="script-save">
        {busy ? t('common.saving') : proposing ? t('scripts.sendProposal') : t('common.save')}
      </FormActions>
    </form>
  );
}
