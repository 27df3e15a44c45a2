// The knowledge base page's lists (articles, intents, categories) and its header actions.
import { fmtRelative, t } from '../i18n';
import { TableHead } from '../components/Common';
import { IconDownload, IconExternal } from '../components/Icons';
import { KB_LANGS, type Kb, type KbArticle, type KbCategory, type KbIntent } from './kbTypes';

/** A row's Edit button. */
function EditCell({ onClick }: { onClick: () => void }) {
  return (
    <td class="cell-actions">
      <button type="button" class="btn btn-ghost btn-sm" onClick={onClick} data-testid="kb-edit">
        {t('common.edit')}
      </button>
    </td>
  );
}

/** Open the help center, export (JSON, CSV), import. */
export function KbHeaderActions({ kb, importing, onImport }: { kb: Kb | null; importing: boolean; onImport: () => void }) {
  return (
    <div class="kb-header-actions">
      {kb?.help_center && (
        <a class="btn btn-secondary btn-sm" href={kb.help_center} target="_blank" rel="noopener noreferrer" data-testid="kb-open-help">
          <IconExternal size={14} />
          {t('kb.openHelpCenter')}
        </a>
      )}
      <details class="kb-menu">
        <summary class="btn btn-secondary btn-sm" data-testid="kb-export">
          <IconDownload size={14} />
          {t('kb.export')}
        </summary>
        <div class="kb-menu-list">
          <a href="/api/v1/kb/export?format=json" download data-testid="kb-export-json">
            {t('kb.exportJson')}
          </a>
          <a href="/api/v1/kb/export?format=articles.csv" download>
            {t('kb.exportArticles')}
          </a>
          <a href="/api/v1/kb/export?format=intents.csv" download>
            {t('kb.exportIntents')}
          </a>
        </div>
      </details>
      <button type="button" class="btn btn-secondary btn-sm" onClick={onImport} aria-expanded={importing} data-testid="kb-import">
        {t('kb.import')}
      </button>
    </div>
  );
}

/** The articles of the chosen language; `filtered` when a language is chosen (the empty text says so). */
export function ArticlesTable({
  articles,
  filtered,
  editingId,
  onEdit,
  catName,
}: {
  articles: KbArticle[];
  filtered: boolean;
  editingId: number | undefined;
  onEdit: (a: KbArticle) => void;
  catName: (slug: string) => string;
}) {
  return (
    <div class="card">
      {articles.length === 0 ? (
        <p class="card-state">{filtered ? t('kb.emptyFiltered') : t('kb.empty')}</p>
      ) : (
        <table class="table table-compact" data-testid="kb-articles">
          <TableHead
            cols={[t('kb.colTitle'), t('kb.colLanguage'), t('kb.colCategory'), t('kb.colStatus'), { label: t('kb.colVotes'), class: 'num' }, t('kb.colUpdated')]}
            actions
          />
          <tbody>
            {articles.map((a) => (
              <tr key={a.id} data-testid="kb-article-row" data-slug={a.slug} class={editingId === a.id ? 'is-editing' : ''}>
                <td class="kb-title-cell">
                  <button type="button" class="link-button kb-row-link" onClick={() => onEdit(a)}>
                    {a.title}
                  </button>
                  <span class="kb-slug">{a.slug}</span>
                </td>
                <td>
                  <span class="badge badge-lang">{a.language.toUpperCase()}</span>
                </td>
                <td class="muted">{a.category ? catName(a.category) : '—'}</td>
                <td>
                  <span class={'status-badge ' + (a.published ? 'status-open' : 'status-closed')}>{a.published ? t('kb.published') : t('kb.draft')}</span>
                </td>
                <td class="num kb-votes" title={`${t('bot.helpful')}: ${a.helpful} · ${t('bot.notHelpful')}: ${a.not_helpful}`}>
                  <span class="vote-up">▲ {a.helpful}</span> <span class="vote-down">▼ {a.not_helpful}</span>
                </td>
                <td class="muted small">{fmtRelative(a.updated_at)}</td>
                <EditCell onClick={() => onEdit(a)} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function IntentsTable({
  intents,
  filtered,
  editingId,
  onEdit,
}: {
  intents: KbIntent[];
  filtered: boolean;
  editingId: number | undefined;
  onEdit: (x: KbIntent) => void;
}) {
  return (
    <div class="card">
      {intents.length === 0 ? (
        <p class="card-state">{filtered ? t('kb.emptyFiltered') : t('kb.empty')}</p>
      ) : (
        <table class="table table-compact" data-testid="kb-intents">
          <TableHead cols={[t('kb.colName'), t('kb.colLanguage'), t('kb.colQuestion'), { label: t('kb.colPhrasings'), class: 'num' }, t('kb.colStatus')]} actions />
          <tbody>
            {intents.map((x) => (
              <tr key={x.id} data-testid="kb-intent-row" data-name={x.name} class={editingId === x.id ? 'is-editing' : ''}>
                <td>
                  <button type="button" class="link-button kb-row-link" onClick={() => onEdit(x)}>
                    <code>{x.name}</code>
                  </button>
                </td>
                <td>
                  <span class="badge badge-lang">{x.language.toUpperCase()}</span>
                </td>
                <td class="kb-question">{x.question}</td>
                <td class="num">{x.phrasings.length}</td>
                <td>
                  <span class={'status-badge ' + (x.enabled ? 'status-open' : 'status-closed')}>{x.enabled ? t('kb.enabled') : t('kb.disabled')}</span>
                </td>
                <EditCell onClick={() => onEdit(x)} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function CategoriesTable({ categories, onEdit }: { categories: KbCategory[]; onEdit: (c: KbCategory) => void }) {
  return (
    <div class="card">
      {categories.length === 0 ? (
        <p class="card-state">{t('kb.empty')}</p>
      ) : (
        <table class="table table-compact" data-testid="kb-categories">
          <TableHead cols={[{ label: t('kb.colPosition'), class: 'num' }, t('kb.colSlug'), t('kb.colNames')]} actions />
          <tbody>
            {[...categories]
              .sort((a, b) => a.position - b.position)
              .map((c) => (
                <tr key={c.id} data-testid="kb-category-row" data-slug={c.slug}>
                  <td class="num">{c.position}</td>
                  <td>
                    <code>{c.slug}</code>
                  </td>
                  <td class="kb-names">
                    {KB_LANGS.filter((l) => c.names[l]).map((l) => (
                      <span key={l} class="kb-name">
                        <span class="badge badge-lang">{l.toUpperCase()}</span> {c.names[l]}
                      </span>
                    ))}
                  </td>
                  <EditCell onClick={() => onEdit(c)} />
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
