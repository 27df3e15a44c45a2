// Settings → Etiquette coach: the rules in force per language (GET /coach/rules), edited
// as lists one per line and saved whole (PUT /coach/rules/:lang; a 422 names the bad
// field), or put back to the shipped defaults (DELETE); and how the hints fare (stats).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { LANGS, t, type Lang } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice, SettingsHeader, useSubmit } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { IconPlus, IconX } from '../components/Icons';
import { BotPeriod } from '../admin/BotSections';
import type { CoachRules, CoachRulesAnswer, RequiredRule } from './coachApi';
import { CoachStats } from './CoachStats';
import './coach.css';

// ---- the form's model: the lists as text, one item a line ---------------------------------

interface PhraseDraft {
  key: number;
  id: string;
  match: string;
  suggest: string;
}
interface RequiredDraft {
  key: number;
  id: string;
  any: string;
  when: RequiredRule['when'];
}
interface Draft {
  phrases: PhraseDraft[];
  impolite: string;
  noWords: string;
  noFollowed: string;
  noSuggest: string;
  minWords: string;
  maxWords: string;
  informal: string;
  greetingSuggest: string;
  closers: string;
  questions: string;
  closingSuggest: string;
  maxSentence: string;
  maxWord: string;
  nameCheck: boolean;
  required: RequiredDraft[];
}

let nextKey = 1;
const lines = (a: unknown) => (Array.isArray(a) ? a.filter((x) => typeof x === 'string').join('\n') : '');
const list = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
const num = (n: unknown) => (typeof n === 'number' && isFinite(n) ? String(n) : '');
const str = (s: unknown) => (typeof s === 'string' ? s : '');
const WHEN: RequiredRule['when'][] = ['first', 'closing', 'any'];
/** A list's textarea shows all its lines (from `min` up to 10; longer ones scroll). */
const rowsFor = (s: string, min: number) => Math.min(10, Math.max(min, s.split('\n').length));

function toDraft(r: Partial<CoachRules> | undefined): Draft {
  const x = r ?? {};
  return {
    phrases: (Array.isArray(x.phrases) ? x.phrases : []).map((p) => ({ key: nextKey++, id: str(p?.id), match: lines(p?.match), suggest: lines(p?.suggest) })),
    impolite: lines(x.impolite_words),
    noWords: lines(x.no?.words),
    noFollowed: lines(x.no?.followed_by),
    noSuggest: str(x.no?.suggest),
    minWords: num(x.greeting?.min_words),
    maxWords: num(x.greeting?.max_words),
    informal: lines(x.greeting?.informal),
    greetingSuggest: str(x.greeting?.suggest),
    closers: lines(x.closing?.closers),
    questions: lines(x.closing?.questions),
    closingSuggest: str(x.closing?.suggest),
    maxSentence: num(x.readability?.max_sentence_words),
    maxWord: num(x.readability?.max_word_letters),
    nameCheck: x.name_check !== false,
    required: (Array.isArray(x.required) ? x.required : []).map((q) => ({
      key: nextKey++,
      id: str(q?.id),
      any: lines(q?.any),
      when: WHEN.includes(q?.when) ? q.when : 'any',
    })),
  };
}

/** A whole number ≥ 0, or NaN. */
const whole = (s: string) => (/^\s*\d{1,6}\s*$/.test(s) ? Number(s) : NaN);

/** An id for a row left without one: its first phrase in lower-case ASCII, else `custom_N`. */
function autoId(first: string, i: number, prefix: string): string {
  const slug = first
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return slug || `${prefix}_${i + 1}`;
}

/** The RULES object to PUT: the form over the rules as loaded (fields the form does not know are kept). */
function fromDraft(d: Draft, base: Partial<CoachRules> | undefined): CoachRules {
  const b = (base ?? {}) as CoachRules;
  return {
    ...b,
    phrases: d.phrases.map((p, i) => ({ id: p.id.trim() || autoId(list(p.match)[0] ?? '', i, 'phrase'), match: list(p.match), suggest: list(p.suggest) })),
    impolite_words: list(d.impolite),
    no: { ...(b.no ?? {}), words: list(d.noWords), followed_by: list(d.noFollowed), suggest: d.noSuggest.trim() },
    greeting: { ...(b.greeting ?? {}), min_words: whole(d.minWords), max_words: whole(d.maxWords), informal: list(d.informal), suggest: d.greetingSuggest.trim() },
    closing: { ...(b.closing ?? {}), closers: list(d.closers), questions: list(d.questions), suggest: d.closingSuggest.trim() },
    readability: { ...(b.readability ?? {}), max_sentence_words: whole(d.maxSentence), max_word_letters: whole(d.maxWord) },
    name_check: d.nameCheck,
    required: d.required.map((q, i) => ({ id: q.id.trim() || autoId(list(q.any)[0] ?? '', i, 'keyword'), any: list(q.any), when: q.when })),
  };
}

/** The save's error: the server's 422 names the field; others as usual. */
function saveError(err: unknown): string | null {
  if (err instanceof ApiError && err.status === 401) return null;
  if (err instanceof ApiError && (err.status === 422 || err.status === 400) && err.message) {
    const field = err.data?.error?.field;
    return field && !err.message.includes(String(field)) ? `${field}: ${err.message}` : err.message;
  }
  return errorText(err);
}

// ---- the page --------------------------------------------------------------------------

export function CoachSettings() {
  const [data, setData] = useState<CoachRulesAnswer | null>(null);
  const [drafts, setDrafts] = useState<Partial<Record<Lang, Draft>>>({});
  const [dirty, setDirty] = useState<Partial<Record<Lang, boolean>>>({});
  const [lang, setLang] = useState<Lang>('en');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [resetting, setResetting] = useState(false);
  const [days, setDays] = useState(30);
  const { busy, error, setError, run } = useSubmit(saveError);
  const tabs = useRef<HTMLDivElement>(null);

  async function load(only?: Lang) {
    const r = await api.get<CoachRulesAnswer>('/coach/rules');
    const answer: CoachRulesAnswer = { languages: r?.languages ?? {}, customized: Array.isArray(r?.customized) ? r.customized : [] };
    setData(answer);
    // Keep the unsaved edits of the other languages.
    setDrafts((old) => {
      const next: Partial<Record<Lang, Draft>> = {};
      for (const l of LANGS) next[l.code] = only && only !== l.code && old[l.code] ? old[l.code] : toDraft(answer.languages[l.code]);
      return next;
    });
    setDirty((old) => (only ? { ...old, [only]: false } : {}));
  }

  useEffect(() => {
    load().catch((err) => !(err instanceof ApiError && err.status === 401) && setLoadError(errorText(err)));
  }, []);

  const d = drafts[lang];
  const langName = LANGS.find((x) => x.code === lang)?.name ?? lang;
  const customized = new Set(data?.customized ?? []);

  function set(patch: Partial<Draft>) {
    setDrafts((all) => ({ ...all, [lang]: { ...all[lang]!, ...patch } }));
    setDirty((all) => ({ ...all, [lang]: true }));
  }
  function setPhrase(key: number, patch: Partial<PhraseDraft>) {
    set({ phrases: d!.phrases.map((p) => (p.key === key ? { ...p, ...patch } : p)) });
  }
  function setRequired(key: number, patch: Partial<RequiredDraft>) {
    set({ required: d!.required.map((q) => (q.key === key ? { ...q, ...patch } : q)) });
  }
  function addRow(kind: 'phrase' | 'required') {
    const key = nextKey++;
    if (kind === 'phrase') set({ phrases: [...d!.phrases, { key, id: '', match: '', suggest: '' }] });
    else set({ required: [...d!.required, { key, id: '', any: '', when: 'any' }] });
    requestAnimationFrame(() => document.getElementById(`coach-${kind}-${key}-id`)?.focus());
  }

  function pick(l: Lang, focus = false) {
    setLang(l);
    setError(null);
    if (focus) requestAnimationFrame(() => tabs.current?.querySelector<HTMLElement>(`[data-lang="${l}"]`)?.focus());
  }
  function onTabKey(e: KeyboardEvent) {
    const i = LANGS.findIndex((x) => x.code === lang);
    const n = LANGS.length;
    const to = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i + n - 1) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    pick(LANGS[to].code, true);
  }

  const numbers = d ? { minWords: whole(d.minWords), maxWords: whole(d.maxWords), maxSentence: whole(d.maxSentence), maxWord: whole(d.maxWord) } : null;
  const badNumber = numbers ? Object.values(numbers).some((x) => isNaN(x)) : false;

  async function save(e: Event) {
    e.preventDefault();
    if (!d || badNumber) return;
    const l = lang;
    const ok = await run(async () => {
      await api.put(`/coach/rules/${l}`, fromDraft(d, data?.languages[l]));
      await load(l);
    });
    if (ok) toast(t('coach.saved', { lang: langName }), 'success');
  }


  return (
    <div class="settings-content settings-wide coach-rules" data-testid="coach-page">
      <SettingsHeader title={t('coach.title')} subtitle={t('coach.subtitle')} />
      <ErrorNotice error={loadError} />

      <div class="coach-tabs" role="tablist" aria-label={t('coach.language')} ref={tabs} onKeyDown={onTabKey}>
        {LANGS.map((l) => (
          <button
            key={l.code}
            type="button"
            role="tab"
            id={'coach-tab-' + l.code}
            class="coach-tab"
            aria-selected={lang === l.code}
            aria-controls="coach-panel"
            tabIndex={lang === l.code ? 0 : -1}
            data-lang={l.code}
            onClick={() => pick(l.code)}
            data-testid={'coach-tab-' + l.code}
          >
            {l.name}
            {customized.has(l.code) && (
              <span class="coach-tab-dot" title={t('coach.customized')}>
                <span class="sr-only">{t('coach.customized')}</span>
              </span>
            )}
            {dirty[l.code] && <span aria-hidden="true">*</span>}
          </button>
        ))}
      </div>

      <div role="tabpanel" id="coach-panel" aria-labelledby={'coach-tab-' + lang}>
        {!d ? (
          !loadError && <p class="muted">{t('common.loading')}</p>
        ) : (
          <form onSubmit={save} noValidate data-testid="coach-form" data-lang={lang}>
            <section class="card form-section" aria-labelledby="coach-sec-phrases">
              <h2 id="coach-sec-phrases">{t('coach.phrases')}</h2>
              <p class="muted small">{t('coach.phrasesHint')}</p>
              <ul class="coach-rows">
                {d.phrases.map((p) => (
                  <li key={p.key} class="coach-row" data-testid="coach-phrase">
                    <label class="field">
                      <span class="field-label">{t('coach.colId')}</span>
                      <input id={`coach-phrase-${p.key}-id`} value={p.id} placeholder="dont_know" onInput={(e) => setPhrase(p.key, { id: e.currentTarget.value })} data-testid="coach-phrase-id" />
                    </label>
                    <label class="field">
                      <span class="field-label">{t('coach.colMatch')}</span>
                      <textarea rows={rowsFor(p.match, 3)} value={p.match} onInput={(e) => setPhrase(p.key, { match: e.currentTarget.value })} data-testid="coach-phrase-match" />
                    </label>
                    <label class="field">
                      <span class="field-label">{t('coach.colSuggest')}</span>
                      <textarea rows={rowsFor(p.suggest, 3)} value={p.suggest} onInput={(e) => setPhrase(p.key, { suggest: e.currentTarget.value })} data-testid="coach-phrase-suggest" />
                    </label>
                    <button
                      type="button"
                      class="icon-button"
                      aria-label={t('coach.removePhrase', { id: p.id || list(p.match)[0] || '' })}
                      title={t('coach.removePhrase', { id: p.id || list(p.match)[0] || '' })}
                      onClick={() => set({ phrases: d.phrases.filter((x) => x.key !== p.key) })}
                    >
                      <IconX />
                    </button>
                  </li>
                ))}
              </ul>
              <p>
                <button type="button" class="btn btn-secondary btn-sm" onClick={() => addRow('phrase')} data-testid="coach-add-phrase">
                  <IconPlus size={15} />
                  {t('coach.addPhrase')}
                </button>
              </p>
            </section>

            <section class="card form-section" aria-labelledby="coach-sec-words">
              <h2 id="coach-sec-words">{t('coach.words')}</h2>
              <p class="muted small">{t('coach.wordsHint')}</p>
              <div class="form-grid">
                <label class="field">
                  <span class="field-label">{t('coach.impolite')}</span>
                  <textarea rows={rowsFor(d.impolite, 5)} value={d.impolite} onInput={(e) => set({ impolite: e.currentTarget.value })} data-testid="coach-impolite" />
                  <span class="field-hint">{t('coach.onePerLine')}</span>
                </label>
                <div>
                  <label class="field">
                    <span class="field-label">{t('coach.noWords')}</span>
                    <textarea rows={rowsFor(d.noWords, 2)} value={d.noWords} onInput={(e) => set({ noWords: e.currentTarget.value })} data-testid="coach-no-words" />
                  </label>
                  <label class="field">
                    <span class="field-label">{t('coach.noFollowed')}</span>
                    <textarea rows={rowsFor(d.noFollowed, 3)} value={d.noFollowed} onInput={(e) => set({ noFollowed: e.currentTarget.value })} data-testid="coach-no-followed" />
                  </label>
                </div>
              </div>
              <label class="field">
                <span class="field-label">{t('coach.noSuggest')}</span>
                <input value={d.noSuggest} onInput={(e) => set({ noSuggest: e.currentTarget.value })} data-testid="coach-no-suggest" />
              </label>
            </section>

            <section class="card form-section" aria-labelledby="coach-sec-greeting">
              <h2 id="coach-sec-greeting">{t('coach.greeting')}</h2>
              <p class="muted small">{t('coach.greetingHint')}</p>
              <div class="coach-numbers">
                <NumberField label={t('coach.minWords')} value={d.minWords} bad={isNaN(numbers!.minWords)} onInput={(v) => set({ minWords: v })} testid="coach-min-words" />
                <NumberField label={t('coach.maxWords')} value={d.maxWords} bad={isNaN(numbers!.maxWords)} onInput={(v) => set({ maxWords: v })} testid="coach-max-words" />
              </div>
              <div class="form-grid">
                <label class="field">
                  <span class="field-label">{t('coach.informal')}</span>
                  <textarea rows={rowsFor(d.informal, 3)} value={d.informal} onInput={(e) => set({ informal: e.currentTarget.value })} data-testid="coach-informal" />
                  <span class="field-hint">{t('coach.onePerLine')}</span>
                </label>
                <label class="field">
                  <span class="field-label">{t('coach.greetingSuggest')}</span>
                  <textarea rows={rowsFor(d.greetingSuggest, 3)} value={d.greetingSuggest} onInput={(e) => set({ greetingSuggest: e.currentTarget.value })} data-testid="coach-greeting-suggest" />
                  <span class="field-hint">{t('coach.greetingVars')}</span>
                </label>
              </div>
            </section>

            <section class="card form-section" aria-labelledby="coach-sec-closing">
              <h2 id="coach-sec-closing">{t('coach.closing')}</h2>
              <p class="muted small">{t('coach.closingHint')}</p>
              <div class="form-grid">
                <label class="field">
                  <span class="field-label">{t('coach.closers')}</span>
                  <textarea rows={rowsFor(d.closers, 3)} value={d.closers} onInput={(e) => set({ closers: e.currentTarget.value })} data-testid="coach-closers" />
                </label>
                <label class="field">
                  <span class="field-label">{t('coach.questions')}</span>
                  <textarea rows={rowsFor(d.questions, 3)} value={d.questions} onInput={(e) => set({ questions: e.currentTarget.value })} data-testid="coach-questions" />
                </label>
              </div>
              <label class="field">
                <span class="field-label">{t('coach.closingSuggest')}</span>
                <input value={d.closingSuggest} onInput={(e) => set({ closingSuggest: e.currentTarget.value })} data-testid="coach-closing-suggest" />
              </label>
            </section>

            <section class="card form-section" aria-labelledby="coach-sec-readability">
              <h2 id="coach-sec-readability">{t('coach.readability')}</h2>
              <p class="muted small">{t('coach.readabilityHint')}</p>
              <div class="coach-numbers">
                <NumberField label={t('coach.maxSentence')} value={d.maxSentence} bad={isNaN(numbers!.maxSentence)} onInput={(v) => set({ maxSentence: v })} testid="coach-max-sentence" />
                <NumberField label={t('coach.maxWord')} value={d.maxWord} bad={isNaN(numbers!.maxWord)} onInput={(v) => set({ maxWord: v })} testid="coach-max-word" />
              </div>
              <p>
                <label class="switch">
                  <input type="checkbox" checked={d.nameCheck} onChange={(e) => set({ nameCheck: e.currentTarget.checked })} data-testid="coach-name-check" />
                  <span class="switch-track" aria-hidden="true" />
                  <span class="switch-label">{t('coach.nameCheck')}</span>
                </label>
              </p>
            </section>

            <section class="card form-section" aria-labelledby="coach-sec-required">
              <h2 id="coach-sec-required">{t('coach.required')}</h2>
              <p class="muted small">{t('coach.requiredHint')}</p>
              {d.required.length > 0 && (
                <ul class="coach-rows">
                  {d.required.map((q) => (
                    <li key={q.key} class="coach-row coach-row-required" data-testid="coach-required">
                      <label class="field">
                        <span class="field-label">{t('coach.colId')}</span>
                        <input id={`coach-required-${q.key}-id`} value={q.id} placeholder="recording" onInput={(e) => setRequired(q.key, { id: e.currentTarget.value })} data-testid="coach-required-id" />
                      </label>
                      <label class="field">
                        <span class="field-label">{t('coach.colAny')}</span>
                        <textarea rows={rowsFor(q.any, 2)} value={q.any} onInput={(e) => setRequired(q.key, { any: e.currentTarget.value })} data-testid="coach-required-any" />
                      </label>
                      <label class="field">
                        <span class="field-label">{t('coach.colWhen')}</span>
                        <select value={q.when} onChange={(e) => setRequired(q.key, { when: e.currentTarget.value as RequiredRule['when'] })} data-testid="coach-required-when">
                          {WHEN.map((w) => (
                            <option key={w} value={w}>
                              {t(`coach.when.${w}` as const)}
                            </option>
                          ))}
                        </select>
                      </label>
                      <button
                        type="button"
                        class="icon-button"
                        aria-label={t('coach.removeRequired', { id: q.id || list(q.any)[0] || '' })}
                        title={t('coach.removeRequired', { id: q.id || list(q.any)[0] || '' })}
                        onClick={() => set({ required: d.required.filter((x) => x.key !== q.key) })}
                      >
                        <IconX />
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <p>
                <button type="button" class="btn btn-secondary btn-sm" onClick={() => addRow('required')} data-testid="coach-add-required">
                  <IconPlus size={15} />
                  {t('coach.addRequired')}
                </button>
              </p>
            </section>

            <div class="form-actions-sticky">
              <ErrorNotice error={error} testid="coach-rules-error" />
              <div class="coach-form-foot">
                <span class="coach-status" data-testid="coach-rules-status">
                  {customized.has(lang) ? t('coach.isCustomized', { lang: langName }) : t('coach.isDefault', { lang: langName })}
                  {dirty[lang] ? ' · ' + t('coach.unsaved') : ''}
                </span>
                <div class="form-actions">
                  <button type="button" class="btn btn-ghost" disabled={busy || !customized.has(lang)} onClick={() => setResetting(true)} data-testid="coach-reset">
                    {t('coach.reset')}
                  </button>
                  <button type="submit" class="btn btn-primary" disabled={busy || !dirty[lang] || badNumber} data-testid="coach-save">
                    {busy ? t('common.saving') : t('coach.save', { lang: langName })}
                  </button>
                </div>
              </div>
            </div>
          </form>
        )}
      </div>

      <CoachStats days={days}>
        <BotPeriod days={days} onDays={setDays} testId="coach-days" />
      </CoachStats>

      {resetting && (
        <ConfirmDialog
          title={t('coach.reset')}
          testid="coach-reset-dialog"
          text={t('coach.resetConfirm', { lang: langName })}
          confirm={t('coach.reset')}
          confirmTestid="coach-reset-confirm"
          onClose={() => setResetting(false)}
          describe={saveError}
          action={async () => {
            await api.del(`/coach/rules/${lang}`);
            await load(lang);
            setResetting(false);
            toast(t('coach.resetDone', { lang: langName }), 'success');
          }}
        />
      )}
    </div>
  );
}

function NumberField({ label, value, bad, onInput, testid }: { label: string; value: string; bad: boolean; onInput: (v: string) => void; testid: string }) {
  const id = testid + '-hint';
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      <input inputMode="numeric" value={value} aria-invalid={bad ? 'true' : undefined} aria-describedby={bad ? id : undefined} onInput={(e) => onInput(e.currentTarget.value)} data-testid={testid} />
      {bad && (
        <span class="field-error" id={id}>
          {t('coach.badNumber')}
        </span>
      )}
    </label>
  );
}
