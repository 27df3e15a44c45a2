// The knowledge base editors: article, intent, category, and the import form.
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, request } from '../api';
import { languageName, t } from '../i18n';
import { toast } from '../store';
import { ErrorNotice, FieldError, FormActions, FormCardHeader, useSubmit } from '../components/Common';
import { MdPreview, MdToolbar, mdKeys } from './KbMarkdown';
import { IconExternal } from '../components/Icons';
import { formError } from './routingApi';
import { KB_LANGS, type KbArticle, type KbCategory, type KbIntent } from './kbTypes';

/** A knowledge-base language; `all`: with "All languages" first (the list filter). */
export function LangSelect({
  value,
  onChange,
  testid,
  all,
  class: cls = 'field',
}: {
  value: string;
  onChange: (v: string) => void;
  testid: string;
  all?: boolean;
  class?: string;
}) {
  return (
    <label class={cls}>
      <span class="field-label">{t('kb.language')}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)} data-testid={testid}>
        {all && <option value="all">{t('kb.allLanguages')}</option>}
        {KB_LANGS.map((l) => (
          <option key={l} value={l}>
            {languageName(l)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The frame of the article, intent and category editors: title and error, the fields, then Delete (when editing), `foot` and Cancel / Save. */
function KbForm(props: {
  testid: string;
  title: string;
  onSubmit: (e: Event) => void;
  onCancel: () => void;
  onDelete?: () => void;
  busy: boolean;
  error: string | null;
  /** The form's own ref (the article editor finds its marked fields in it). */
  formRef?: RefObject<HTMLFormElement | null>;
  foot?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { onCancel, busy } = props;
  return (
    <form class="card form-card kb-form" ref={props.formRef} onSubmit={props.onSubmit} data-testid={props.testid} aria-labelledby="kb-form-title" noValidate>
      <FormCardHeader id="kb-form-title" onCancel={onCancel}>
        {props.title}
      </FormCardHeader>
      <ErrorNotice error={props.error} testid="kb-error" />
      {props.children}
      <div class="kb-form-foot">
        {props.onDelete && <DeleteButton onClick={props.onDelete} testid="kb-delete" />}
        {props.foot}
        <FormActions class="kb-actions" onCancel={onCancel} disabled={busy} testid="kb-save">
          {busy ? t('common.saving') : t('common.save')}
        </FormActions>
      </div>
    </form>
  );
}

function DeleteButton({ onClick, testid }: { onClick: () => void; testid: string }) {
  return (
    <button type="button" class="btn btn-ghost btn-danger kb-delete" onClick={onClick} data-testid={testid}>
      {t('kb.delete')}
    </button>
  );
}

type FieldErrors = Partial<Record<'title' | 'slug' | 'body' | 'keywords' | 'category', string>>;

/** A 400 about one of the article's fields ("article.slug: use lower-case…"): that field and what to say. */
function fieldOf(err: unknown): { field: keyof FieldErrors; text: string } | null {
  if (err instanceof ApiError && err.status === 409 && /already exists/.test(err.message || '')) return { field: 'slug', text: t('kb.errSlugTaken') };
  if (!(err instanceof ApiError) || err.status !== 400) return null;
  const m = /^(?:[\w\[\]]+\.)?(title|slug|body|keywords|category)\b:?\s*(.*)$/.exec(err.message || '');
  if (!m) return null;
  const field = m[1] as keyof FieldErrors;
  const why = m[2] || '';
  const text =
    field === 'title' && /required|empty/.test(why)
      ? t('kb.errTitle')
      : field === 'body' && /required|empty/.test(why)
        ? t('kb.errBody')
        : (field === 'slug' || field === 'category') && /lower-case|required|empty/.test(why)
          ? t('kb.errSlug')
          : /longer than|too long|more than/.test(why)
            ? t('kb.errTooLong')
            : err.message;
  return { field, text };
}

/** Focuses the form's first field when it opens. */
function useFirstFocus() {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

/** What the article, intent and category editors are given. */
type EditorProps<T, Saved = void> = { item: Partial<T>; onCancel: () => void; onSaved: (x: Saved) => void; onDelete: (x: T) => void };

export function ArticleForm({
  item,
  categories,
  onCancel,
  onSaved,
  onDelete,
  helpHref,
}: EditorProps<KbArticle, KbArticle> & { categories: KbCategory[]; helpHref: (path: string) => string }) {
  const [d, setD] = useState({
    title: item.title ?? '',
    slug: item.slug ?? '',
    language: item.language ?? 'en',
    category: item.category ?? '',
    body: item.body ?? '',
    keywords: (item.keywords ?? []).join(', '),
    published: item.published ?? true,
  });
  const [dirty, setDirty] = useState(false);
  const [mode, setMode] = useState<'write' | 'split' | 'preview'>('split');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const invalid = (f: keyof FieldErrors) => (fieldErrors[f] ? { 'aria-invalid': true as const, 'aria-describedby': `kb-article-${f}-error` } : {});
  const [html, setHtml] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const first = useFirstFocus();
  const set = (patch: Partial<typeof d>) => {
    setD((x) => ({ ...x, ...patch }));
    setDirty(true);
    // A field's error goes as it is edited.
    const touched = Object.keys(patch).filter((k) => k in fieldErrors);
    if (touched.length) setFieldErrors((x) => Object.fromEntries(Object.entries(x).filter(([k]) => !touched.includes(k))));
  };

  useEffect(() => {
    if (mode !== 'preview' || !item.id) return;
    let live = true;
    api
      .get<KbArticle>(`/kb/articles/${item.id}`)
      .then((a) => live && setHtml(a.html ?? ''))
      .catch((err) => live && setError(formError(err)));
    return () => {
      live = false;
    };
  }, [mode, item.id, item.updated_at]);

  /** Marks the first invalid field's view: scrolled to (centred) and focused. */
  function focusFirstError() {
    requestAnimationFrame(() => {
      const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .notice-error');
      if (!el) return;
      el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      el.focus({ preventScroll: true });
    });
  }

  async function submit(e: Event) {
    e.preventDefault();
    const body = {
      ...d,
      title: d.title.trim(),
      slug: d.slug.trim(),
      keywords: d.keywords
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    };
    // Checked here first, in the console's language, at each field.
    const found: FieldErrors = {};
    if (!body.title) found.title = t('kb.errTitle');
    if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(body.slug)) found.slug = t('kb.errSlug');
    if (!body.body.trim()) found.body = t('kb.errBody');
    setFieldErrors(found);
    if (Object.keys(found).length) {
      setError(null);
      if (found.body && mode === 'preview') setMode('split');
      focusFirstError();
      return;
    }
    let failed: unknown = null;
    await run(
      async () => {
        const a = item.id ? await api.put<KbArticle>(`/kb/articles/${item.id}`, body) : await api.post<KbArticle>('/kb/articles', body);
        setDirty(false);
        onSaved(a);
      },
      (err) => {
        failed = err;
        // "article.slug: use lower-case letters…": said at that field.
        const f = fieldOf(err);
        if (f) {
          setFieldErrors({ [f.field]: f.text });
          return null;
        }
        return formError(err);
      },
    );
    if (failed) focusFirstError();
  }

  const title = item.id ? t('kb.editArticle') : t('kb.newArticle');
  return (
    <KbForm
      testid="kb-article-form"
      title={title}
      onSubmit={submit}
      onCancel={onCancel}
      onDelete={item.id ? () => onDelete(item as KbArticle) : undefined}
      busy={busy}
      error={error}
      formRef={formRef}
      foot={
        !!item.id &&
        item.published && (
          <a class="link-button kb-view" href={helpHref(`/articles/${encodeURIComponent(item.slug ?? '')}?lang=${item.language}`)} target="_blank" rel="noopener noreferrer">
            <IconExternal size={13} /> {t('kb.view')}
          </a>
        )
      }
    >
      <div class="form-grid">
        <label class="field kb-span2">
          <span class="field-label">{t('kb.fTitle')}</span>
          <input ref={first} value={d.title} maxLength={200} onInput={(e) => set({ title: e.currentTarget.value })} data-testid="kb-article-title" {...invalid('title')} />
          <FieldError id="kb-article-title-error" error={fieldErrors.title} testid="kb-article-title-error" />
        </label>
        <label class="field">
          <span class="field-label">{t('kb.fSlug')}</span>
          <input value={d.slug} maxLength={100} placeholder="how-to-return" onInput={(e) => set({ slug: e.currentTarget.value })} data-testid="kb-article-slug" {...invalid('slug')} />
          <FieldError id="kb-article-slug-error" error={fieldErrors.slug} testid="kb-article-slug-error" />
          <span class="field-hint">{t('kb.fSlugHint')}</span>
        </label>
        <div class="kb-pair">
          <LangSelect value={d.language} onChange={(language) => set({ language })} testid="kb-article-language" />
          <label class="field">
            <span class="field-label">{t('kb.fCategory')}</span>
            <select value={d.category} onChange={(e) => set({ category: e.currentTarget.value })} data-testid="kb-article-category">
              <option value="">{t('kb.noCategory')}</option>
              {d.category && !categories.some((c) => c.slug === d.category) && <option value={d.category}>{d.category}</option>}
              {categories.map((c) => (
                <option key={c.id} value={c.slug}>
                  {c.names[d.language] || c.names.en || c.slug}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <div class="field">
        <div class="kb-body-head">
          <span class="field-label" id="kb-body-label">
            {t('kb.fBody')}
          </span>
          <div class="segmented segmented-inline kb-mode" role="group" aria-labelledby="kb-body-label">
            {(['write', 'split', 'preview'] as const).map((m) => (
              <button
                key={m}
                type="button"
                class={'segmented-item' + (mode === m ? ' is-active' : '')}
                aria-pressed={mode === m}
                onClick={() => setMode(m)}
                data-testid={'kb-mode-' + m}
              >
                {t(m === 'write' ? 'kb.write' : m === 'split' ? 'kb.split' : 'kb.preview')}
              </button>
            ))}
          </div>
        </div>
        {mode !== 'preview' ? (
          <>
            <MdToolbar area={bodyRef} controls="kb-article-body" onChange={(body) => set({ body })} />
            <div class={'kb-editor' + (mode === 'split' ? ' is-split' : '')}>
              <textarea
                id="kb-article-body"
                ref={bodyRef}
                class="kb-body"
                rows={12}
                value={d.body}
                aria-labelledby="kb-body-label"
                onInput={(e) => set({ body: e.currentTarget.value })}
                onKeyDown={(e) => mdKeys(e, (body) => set({ body }))}
                data-testid="kb-article-body"
                {...invalid('body')}
              />
              {mode === 'split' && <MdPreview source={d.body} />}
            </div>
            <FieldError id="kb-article-body-error" error={fieldErrors.body} testid="kb-article-body-error" />
          </>
        ) : !item.id ? (
          <p class="kb-preview muted">{t('kb.previewHint')}</p>
        ) : (
          <>
            {dirty && <p class="field-hint">{t('kb.previewStale')}</p>}
            {/* The server renders and sanitizes the Markdown. */}
            <div class="kb-preview help-article" data-testid="kb-preview" dangerouslySetInnerHTML={{ __html: html ?? '' }} />
          </>
        )}
      </div>
      <label class="field">
        <span class="field-label">{t('kb.fKeywords')}</span>
        <input value={d.keywords} onInput={(e) => set({ keywords: e.currentTarget.value })} data-testid="kb-article-keywords" {...invalid('keywords')} />
        <FieldError id="kb-article-keywords-error" error={fieldErrors.keywords} testid="kb-article-keywords-error" />
        <span class="field-hint">{t('kb.fKeywordsHint')}</span>
      </label>
      <label class="checkbox kb-check">
        <input type="checkbox" checked={d.published} onChange={(e) => set({ published: e.currentTarget.checked })} data-testid="kb-article-published" />
        {t('kb.fPublished')}
      </label>
    </KbForm>
  );
}

export function IntentForm({ item, onCancel, onSaved, onDelete }: EditorProps<KbIntent>) {
  const [d, setD] = useState({
    name: item.name ?? '',
    language: item.language ?? 'en',
    question: item.question ?? '',
    phrasings: (item.phrasings ?? []).join('\n'),
    answer: item.answer ?? '',
    enabled: item.enabled ?? true,
  });
  const { busy, error, run } = useSubmit();
  const first = useFirstFocus();
  const set = (patch: Partial<typeof d>) => setD((x) => ({ ...x, ...patch }));

  async function submit(e: Event) {
    e.preventDefault();
    const body = {
      ...d,
      name: d.name.trim(),
      question: d.question.trim(),
      answer: d.answer.trim(),
      phrasings: d.phrasings
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean),
    };
    await run(async () => {
      if (item.id) await api.put(`/kb/intents/${item.id}`, body);
      else await api.post('/kb/intents', body);
      onSaved();
    });
  }

  return (
    <KbForm
      testid="kb-intent-form"
      title={item.id ? t('kb.editIntent') : t('kb.newIntent')}
      onSubmit={submit}
      onCancel={onCancel}
      onDelete={item.id ? () => onDelete(item as KbIntent) : undefined}
      busy={busy}
      error={error}
    >
      <div class="form-grid">
        <label class="field">
          <span class="field-label">{t('kb.fName')}</span>
          <input ref={first} value={d.name} maxLength={100} placeholder="returns.how" onInput={(e) => set({ name: e.currentTarget.value })} data-testid="kb-intent-name" />
          <span class="field-hint">{t('kb.fNameHint')}</span>
        </label>
        <LangSelect value={d.language} onChange={(language) => set({ language })} testid="kb-intent-language" />
      </div>
      <label class="field">
        <span class="field-label">{t('kb.fQuestion')}</span>
        <input value={d.question} maxLength={300} onInput={(e) => set({ question: e.currentTarget.value })} data-testid="kb-intent-question" />
      </label>
      <label class="field">
        <span class="field-label">{t('kb.fPhrasings')}</span>
        <textarea rows={5} value={d.phrasings} onInput={(e) => set({ phrasings: e.currentTarget.value })} data-testid="kb-intent-phrasings" />
        <span class="field-hint">{t('kb.fPhrasingsHint')}</span>
      </label>
      <label class="field">
        <span class="field-label">{t('kb.fAnswer')}</span>
        <textarea rows={4} value={d.answer} onInput={(e) => set({ answer: e.currentTarget.value })} data-testid="kb-intent-answer" />
      </label>
      <label class="checkbox kb-check">
        <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} data-testid="kb-intent-enabled" />
        {t('kb.fEnabled')}
      </label>
    </KbForm>
  );
}

export function CategoryForm({ item, onCancel, onSaved, onDelete }: EditorProps<KbCategory>) {
  const [slug, setSlug] = useState(item.slug ?? '');
  const [position, setPosition] = useState(String(item.position ?? 1));
  const [names, setNames] = useState<Partial<Record<string, string>>>({ ...(item.names ?? {}) });
  const { busy, error, run } = useSubmit();
  const first = useFirstFocus();

  async function submit(e: Event) {
    e.preventDefault();
    const clean = Object.fromEntries(Object.entries(names).filter(([, v]) => v && v.trim()).map(([k, v]) => [k, v!.trim()]));
    await run(async () => {
      await api.post('/kb/categories', { slug: slug.trim(), position: Number(position) || 0, names: clean });
      onSaved();
    });
  }

  return (
    <KbForm
      testid="kb-category-form"
      title={item.id ? t('kb.editCategory') : t('kb.newCategory')}
      onSubmit={submit}
      onCancel={onCancel}
      onDelete={item.id ? () => onDelete(item as KbCategory) : undefined}
      busy={busy}
      error={error}
    >
      <div class="form-grid">
        <label class="field">
          <span class="field-label">{t('kb.fSlug')}</span>
          <input ref={first} value={slug} maxLength={60} disabled={!!item.id} onInput={(e) => setSlug(e.currentTarget.value)} data-testid="kb-category-slug" />
        </label>
        <label class="field">
          <span class="field-label">{t('kb.fPosition')}</span>
          <input type="number" min={0} value={position} onInput={(e) => setPosition(e.currentTarget.value)} data-testid="kb-category-position" />
        </label>
      </div>
      <fieldset class="field kb-names-field">
        <legend class="field-label">{t('kb.fNames')}</legend>
        <div class="kb-names-grid">
          {KB_LANGS.map((l) => (
            <label key={l} class="kb-name-input">
              <span class="badge badge-lang" title={languageName(l)}>
                {l.toUpperCase()}
              </span>
              <input
                value={names[l] ?? ''}
                maxLength={80}
                aria-label={`${t('kb.fNames')}: ${languageName(l)}`}
                onInput={(e) => setNames((n) => ({ ...n, [l]: e.currentTarget.value }))}
                data-testid={'kb-category-name-' + l}
              />
            </label>
          ))}
        </div>
      </fieldset>
    </KbForm>
  );
}

export function ImportForm({ onCancel, onDone }: { onCancel: () => void; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState<'articles' | 'intents'>('articles');
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const { busy, error, run } = useSubmit();
  const isCsv = !!file && /\.csv$/i.test(file.name);

  async function submit(e: Event) {
    e.preventDefault();
    if (!file) return;
    if (mode === 'replace' && !confirm(t('kb.replaceConfirm'))) return;
    await run(async () => {
      const q = `?mode=${mode}` + (isCsv ? `&table=${table}` : '');
      const res = await request<{ categories: number; articles: number; intents: number }>('POST', '/kb/import' + q, undefined, {
        raw: file,
        headers: { 'Content-Type': isCsv ? 'text/csv' : 'application/json' },
      });
      toast(t('kb.imported', { categories: res.categories ?? 0, articles: res.articles ?? 0, intents: res.intents ?? 0 }), 'success');
      onDone();
    });
  }

  return (
    <form class="card form-card kb-form" onSubmit={submit} data-testid="kb-import-form" aria-labelledby="kb-import-title">
      <FormCardHeader id="kb-import-title" onCancel={onCancel}>
        {t('kb.importTitle')}
      </FormCardHeader>
      <ErrorNotice error={error} testid="kb-import-error" />
      <label class="field">
        <span class="field-label">{t('kb.importFile')}</span>
        <input type="file" accept=".json,.csv,application/json,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} data-testid="kb-import-file" />
      </label>
      {isCsv && (
        <fieldset class="field">
          <legend class="field-label">{t('kb.importTable')}</legend>
          <div class="radio-row">
            {(['articles', 'intents'] as const).map((x) => (
              <label key={x} class="radio">
                <input type="radio" name="kb-import-table" checked={table === x} onChange={() => setTable(x)} data-testid={'kb-import-table-' + x} />
                {t(x === 'articles' ? 'kb.tabArticles' : 'kb.tabIntents')}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <fieldset class="field">
        <legend class="field-label">{t('kb.importMode')}</legend>
        <div class="radio-col">
          {(['merge', 'replace'] as const).map((x) => (
            <label key={x} class="radio">
              <input type="radio" name="kb-import-mode" checked={mode === x} onChange={() => setMode(x)} data-testid={'kb-import-mode-' + x} />
              {t(x === 'merge' ? 'kb.modeMerge' : 'kb.modeReplace')}
            </label>
          ))}
        </div>
      </fieldset>
      <FormActions onCancel={onCancel} disabled={busy || !file} testid="kb-import-submit">
        {t('kb.import')}
      </FormActions>
    </form>
  );
}
