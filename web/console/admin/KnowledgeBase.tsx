// Settings → Knowledge base: help-center articles, bot intents and categories,
// filtered by language; JSON/CSV import and export; a link to the public help center.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, toast } from '../store';
import { SettingsHeader } from '../components/Common';
import { IconPlus } from '../components/Icons';
import { ArticleForm, CategoryForm, ImportForm, IntentForm, LangSelect } from './KbForms';
import { ArticlesTable, CategoriesTable, IntentsTable, KbHeaderActions } from './KbTables';
import { formError } from './routingApi';
import { takeIntentPrefill, type Kb, type KbArticle, type KbCategory, type KbIntent } from './kbTypes';
import './kb.css';

type Tab = 'articles' | 'intents' | 'categories';
type Editing =
  | { kind: 'article'; item: Partial<KbArticle> }
  | { kind: 'intent'; item: Partial<KbIntent> }
  | { kind: 'category'; item: Partial<KbCategory> }
  | null;

const LANG_KEY = 'sb.console.kbLang';

export function KnowledgeBase() {
  const [kb, setKb] = useState<Kb | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const prefill = useRef(takeIntentPrefill());
  const [tab, setTab] = useState<Tab>(prefill.current ? 'intents' : 'articles');
  const [lang, setLangFilter] = useState<string>(() => {
    try {
      return localStorage.getItem(LANG_KEY) || 'all';
    } catch {
      return 'all';
    }
  });
  const [editing, setEditing] = useState<Editing>(prefill.current ? { kind: 'intent', item: { enabled: true, ...prefill.current } } : null);
  const [importing, setImporting] = useState(false);

  async function load() {
    setLoadError(null);
    try {
      setKb(await api.get<Kb>('/kb'));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setLoadError(errorText(err));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  function pickLang(l: string) {
    setLangFilter(l);
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      /* ignore */
    }
  }

  async function remove(path: string, name: string) {
    if (!confirm(t('kb.deleteConfirm', { name }))) return;
    try {
      await api.del(path);
      toast(t('kb.deleted'), 'success');
      setEditing(null);
      await load();
    } catch (err) {
      toast(formError(err), 'error');
    }
  }

  function saved() {
    toast(t('kb.saved'), 'success');
    void load();
  }

  /** An editor's Cancel closes it; the intent and category editors close on saving too. */
  const cancel = () => setEditing(null);
  function closeSaved() {
    setEditing(null);
    saved();
  }

  const inLang = <T extends { language: string }>(xs: T[]) => (lang === 'all' ? xs : xs.filter((x) => x.language === lang));
  const newLang = lang === 'all' ? 'en' : lang;
  const catName = (slug: string) => {
    const c = kb?.categories.find((x) => x.slug === slug);
    return c ? c.names[lang === 'all' ? 'en' : lang] || c.names.en || c.slug : slug;
  };
  const helpHref = (path: string) => (kb ? kb.help_center + path : '#');

  return (
    <div class="settings-content settings-wide kb-page" data-testid="kb-page">
      <SettingsHeader title={t('kb.title')} subtitle={t('kb.subtitle')}>
        <KbHeaderActions kb={kb} importing={importing} onImport={() => setImporting((v) => !v)} />
      </SettingsHeader>

      {importing && (
        <ImportForm
          onCancel={() => setImporting(false)}
          onDone={() => {
            setImporting(false);
            void load();
          }}
        />
      )}

      <div class="kb-toolbar">
        <div class="segmented kb-tabs" role="tablist" aria-label={t('kb.tabs')}>
          {(['articles', 'intents', 'categories'] as const).map((x) => (
            <button
              key={x}
              type="button"
              role="tab"
              aria-selected={tab === x}
              class={'segmented-item' + (tab === x ? ' is-active' : '')}
              onClick={() => {
                setTab(x);
                setEditing(null);
              }}
              data-testid={'kb-tab-' + x}
            >
              {t(x === 'articles' ? 'kb.tabArticles' : x === 'intents' ? 'kb.tabIntents' : 'kb.tabCategories')}
              {kb && <span class="kb-count">{x === 'categories' ? kb.categories.length : (x === 'articles' ? inLang(kb.articles) : inLang(kb.intents)).length}</span>}
            </button>
          ))}
        </div>
        {tab !== 'categories' && <LangSelect class="kb-lang" all value={lang} onChange={pickLang} testid="kb-lang" />}
        <span class="kb-spacer" />
        <button
          type="button"
          class="btn btn-primary btn-sm"
          onClick={() =>
            setEditing(
              tab === 'articles'
                ? { kind: 'article', item: { language: newLang, published: true, keywords: [], category: '' } }
                : tab === 'intents'
                  ? { kind: 'intent', item: { language: newLang, enabled: true, phrasings: [] } }
                  : { kind: 'category', item: { position: (kb?.categories.length ?? 0) + 1, names: {} } },
            )
          }
          data-testid="kb-new"
        >
          <IconPlus size={15} />
          {t(tab === 'articles' ? 'kb.newArticle' : tab === 'intents' ? 'kb.newIntent' : 'kb.newCategory')}
        </button>
      </div>

      {editing?.kind === 'article' && kb && (
        <ArticleForm
          key={editing.item.id ?? 'new'}
          item={editing.item}
          categories={kb.categories}
          onCancel={cancel}
          onSaved={(a) => {
            setEditing({ kind: 'article', item: a });
            saved();
          }}
          onDelete={(a) => remove(`/kb/articles/${a.id}`, a.title)}
          helpHref={helpHref}
        />
      )}
      {editing?.kind === 'intent' && (
        <IntentForm key={editing.item.id ?? 'new'} item={editing.item} onCancel={cancel} onSaved={closeSaved} onDelete={(x) => remove(`/kb/intents/${x.id}`, x.name)} />
      )}
      {editing?.kind === 'category' && (
        <CategoryForm key={editing.item.id ?? 'new'} item={editing.item} onCancel={cancel} onSaved={closeSaved} onDelete={(x) => remove(`/kb/categories/${x.id}`, x.slug)} />
      )}

      {loadError && (
        <p class="notice notice-error" role="alert">
          {loadError}{' '}
          <button type="button" class="link-button" onClick={load}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!kb && !loadError && <p class="muted">{t('common.loading')}</p>}

      {kb && tab === 'articles' && (
        <ArticlesTable
          articles={inLang(kb.articles)}
          filtered={lang !== 'all'}
          editingId={editing?.kind === 'article' ? editing.item.id : undefined}
          onEdit={(a) => setEditing({ kind: 'article', item: a })}
          catName={catName}
        />
      )}

      {kb && tab === 'intents' && (
        <IntentsTable
          intents={inLang(kb.intents)}
          filtered={lang !== 'all'}
          editingId={editing?.kind === 'intent' ? editing.item.id : undefined}
          onEdit={(x) => setEditing({ kind: 'intent', item: x })}
        />
      )}

      {kb && tab === 'categories' && <CategoriesTable categories={kb.categories} onEdit={(c) => setEditing({ kind: 'category', item: c })} />}
    </div>
  );
}

