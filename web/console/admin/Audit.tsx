// Settings → Audit log: who did what, when and from where; each entry opens onto
// what changed (before/after). Search, a category filter, paging by before_id, CSV export.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { getLang, t, type StringKey } from '../i18n';
import { errorText, useStore } from '../store';
import { ErrorNotice, SettingsHeader, TableHead } from '../components/Common';
import { IconChevronRight, IconDownload, IconSearch } from '../components/Icons';
import '../security.css';

export interface AuditEntry {
  id: number;
  at: number;
  actor: { type: string; id: number | null; name: string };
  ip: string;
  action: string;
  target: { type: string; id: string | number | null };
  before: unknown;
  after: unknown;
}

const PAGE = 50;

/** The category filter: a prefix ending in a dot filters by prefix on the server. */
export const CATEGORIES: { prefix: string; label: StringKey }[] = [
  { prefix: 'agent.', label: 'audit.cat.agents' },
  { prefix: 'inbox.', label: 'audit.cat.inboxes' },
  { prefix: 'auth.', label: 'audit.cat.auth' },
  { prefix: 'conversation.', label: 'audit.cat.conversations' },
  { prefix: 'kb.', label: 'audit.cat.kb' },
  { prefix: 'routing.', label: 'audit.cat.routing' },
  { prefix: 'bot.', label: 'audit.cat.bot' },
  { prefix: 'contact.', label: 'audit.cat.contacts' },
];

const ACTIONS = [
  'agent.create',
  'agent.update',
  'agent.routing',
  'inbox.create',
  'inbox.update',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_change',
  'auth.password_change_failed',
  'auth.session_end',
  'auth.sign_out_others',
  'conversation.assign',
  'conversation.transfer',
  'conversation.close',
  'conversation.reopen',
  'kb.article.create',
  'kb.article.update',
  'kb.article.delete',
  'kb.category.save',
  'kb.category.delete',
  'kb.intent.create',
  'kb.intent.update',
  'kb.intent.delete',
  'kb.import',
  'kb.export',
  'routing.update',
  'bot.update',
  'audit.export',
  'contact.update',
  'contact.merge',
  'contact.merge_undo',
] as const;

const isKnownAction = (a: string): a is (typeof ACTIONS)[number] => (ACTIONS as readonly string[]).includes(a);

/** "Agent updated" for "agent.update"; an action this console does not know shows as it is. */
export function actionLabel(action: string): string {
  return isKnownAction(action) ? t(`audit.a.${action}`) : action;
}

function targetLabel(type: string): string {
  const key = ('audit.t.' + type) as StringKey;
  const s = t(key);
  return s === key ? type : s;
}

let dtf: { lang: string; f: Intl.DateTimeFormat } | null = null;
function fmtAt(ms: number): string {
  if (!dtf || dtf.lang !== getLang()) dtf = { lang: getLang(), f: new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium', timeStyle: 'medium' }) };
  return dtf.f.format(ms);
}

function query(q: string, action: string, beforeId?: number | null): string {
  const p = new URLSearchParams();
  if (q.trim()) p.set('q', q.trim());
  if (action) p.set('action', action);
  if (beforeId != null) {
    p.set('limit', String(PAGE));
    p.set('before_id', String(beforeId));
  } else if (beforeId === null) {
    p.set('limit', String(PAGE));
  }
  return p.toString();
}

export function AuditLog() {
  const [q, setQ] = useState('');
  const [action, setAction] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const seq = useRef(0);

  async function load(more: boolean) {
    const my = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const res = await api.get<{ entries: AuditEntry[]; next_before_id: number | null }>('/audit?' + query(q, action, more ? next : null));
      if (my !== seq.current) return;
      setEntries((old) => (more && old ? [...old, ...res.entries] : res.entries));
      setNext(res.next_before_id ?? null);
      if (!more) setOpen(new Set());
    } catch (err) {
      if (my !== seq.current) return;
      if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
    } finally {
      if (my === seq.current) setLoading(false);
    }
  }

  // The search waits for a pause in typing; the category applies at once.
  useEffect(() => {
    const id = setTimeout(() => void load(false), entries ? 300 : 0);
    return () => clearTimeout(id);
  }, [q, action]);

  function toggle(id: number) {
    const s = new Set(open);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    setOpen(s);
  }

  const exportQuery = query(q, action);
  return (
    <div class="settings-content settings-wide audit-page" data-testid="audit-page">
      <SettingsHeader title={t('audit.title')} subtitle={t('audit.subtitle')}>
        <a class="btn btn-secondary" href={'/api/v1/audit/export' + (exportQuery ? '?' + exportQuery : '')} download data-testid="audit-export">
          <IconDownload size={16} />
          {t('audit.export')}
        </a>
      </SettingsHeader>

      <form class="audit-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label class="field audit-search">
          <span class="field-label">{t('audit.search')}</span>
          <span class="input-icon">
            <IconSearch size={16} />
            <input type="search" value={q} placeholder={t('audit.searchPlaceholder')} onInput={(e) => setQ(e.currentTarget.value)} data-testid="audit-search" />
          </span>
        </label>
        <label class="field audit-category">
          <span class="field-label">{t('audit.category')}</span>
          <select value={action} onChange={(e) => setAction(e.currentTarget.value)} data-testid="audit-category">
            <option value="">{t('audit.cat.all')}</option>
            {CATEGORIES.map((c) => (
              <option key={c.prefix} value={c.prefix}>
                {t(c.label)}
              </option>
            ))}
          </select>
        </label>
      </form>

      <ErrorNotice error={error} />
      <div class="card">
        {!entries ? (
          <p class="card-state">{loading ? t('common.loading') : ''}</p>
        ) : entries.length === 0 ? (
          <p class="card-state" data-testid="audit-empty">
            {q || action ? t('audit.noMatch') : t('audit.empty')}
          </p>
        ) : (
          <div class="table-scroll">
            <table class="table table-compact audit-table" data-testid="audit-table" aria-busy={loading ? 'true' : undefined}>
              <TableHead cols={[t('audit.colTime'), t('audit.colActor'), t('audit.colAction'), t('audit.colTarget'), t('audit.colIp')]} />
              <tbody>
                {entries.map((e) => {
                  const isOpen = open.has(e.id);
                  return (
                    <Fragment key={e.id}>
                      <tr class={'audit-row' + (isOpen ? ' is-open' : '')} data-testid="audit-row" data-action={e.action}>
                        <td class="nowrap">
                          <button
                            type="button"
                            class="audit-toggle"
                            aria-expanded={isOpen}
                            aria-controls={'audit-detail-' + e.id}
                            onClick={() => toggle(e.id)}
                            data-testid="audit-toggle"
                          >
                            <IconChevronRight size={15} class="audit-chevron" />
                            <time dateTime={new Date(e.at).toISOString()}>{fmtAt(e.at)}</time>
                          </button>
                        </td>
                        <td>{e.actor?.name || targetLabel(e.actor?.type ?? '')}</td>
                        <td>
                          <span class={'audit-action audit-action-' + e.action.split('.')[0]} title={e.action} data-testid="audit-action">
                            {actionLabel(e.action)}
                          </span>
                        </td>
                        <td class="audit-target">
                          <TargetCell entry={e} />
                        </td>
                        <td class="muted small nowrap mono">{e.ip || '—'}</td>
                      </tr>
                      {isOpen && (
                        <tr class="audit-detail" id={'audit-detail-' + e.id}>
                          <td colSpan={5}>
                            <Diff before={e.before} after={e.after} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {entries && entries.length > 0 && (
        <div class="audit-more">
          {next != null ? (
            <button type="button" class="btn btn-secondary" onClick={() => load(true)} disabled={loading} data-testid="audit-more">
              {loading ? t('common.loading') : t('audit.more')}
            </button>
          ) : (
            <span class="muted small">{t('audit.end')}</span>
          )}
        </div>
      )}
    </div>
  );
}

function TargetCell({ entry }: { entry: AuditEntry }) {
  const agents = useStore((s) => s.agents);
  const tg = entry.target;
  if (!tg || !tg.type) return <span class="muted">—</span>;
  // A name from what the entry recorded or from the loaded agents, else the id.
  const rec = (entry.after ?? entry.before) as Record<string, unknown> | null;
  let name = rec && typeof rec === 'object' && typeof rec.name === 'string' ? rec.name : rec && typeof rec.title === 'string' ? (rec.title as string) : '';
  if (!name && tg.type === 'agent') name = agents.find((a) => String(a.id) === String(tg.id))?.name ?? '';
  return (
    <span>
      <span class="muted">{targetLabel(tg.type)}</span> {name ? <span>{name}</span> : tg.id != null && <span class="mono small">#{String(tg.id)}</span>}
    </span>
  );
}

type Flat = Record<string, string>;

/** Nested objects as dotted keys ("routing.capacity.chat"); arrays and scalars as JSON. */
function flatten(v: unknown, prefix = '', out: Flat = {}): Flat {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v as object);
    if (!keys.length && prefix) out[prefix] = '{}';
    for (const k of keys) flatten((v as Record<string, unknown>)[k], prefix ? prefix + '.' + k : k, out);
  } else if (prefix) {
    out[prefix] = v === undefined ? '' : JSON.stringify(v);
  } else if (v != null) {
    out['value'] = JSON.stringify(v);
  }
  return out;
}

export function Diff({ before, after }: { before: unknown; after: unknown }) {
  const [showSame, setShowSame] = useState(false);
  if (before == null && after == null) return <p class="muted small audit-nodiff">{t('audit.noDetails')}</p>;
  const b = flatten(before);
  const a = flatten(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changed = keys.filter((k) => b[k] !== a[k]);
  const same = keys.filter((k) => b[k] === a[k]);
  // Changed keys first; the unchanged ones on request when there are changes.
  const ordered = changed.length && !showSame ? changed : [...changed, ...same];
  return (
    <div class="audit-diff">
      <p class="small muted audit-diff-summary">
        {before == null ? t('audit.created') : after == null ? t('audit.removed') : changed.length ? t('audit.changedCount', { count: changed.length }) : t('audit.noChange')}
      </p>
      <table class="diff-table" data-testid="audit-diff">
        <thead>
          <tr>
            <th scope="col">{t('audit.field')}</th>
            <th scope="col">{t('audit.before')}</th>
            <th scope="col">{t('audit.after')}</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((k) => {
            const ch = b[k] !== a[k];
            return (
              <tr key={k} class={ch ? 'is-changed' : undefined} data-testid={ch ? 'diff-changed' : 'diff-same'}>
                <th scope="row" class="mono">
                  {ch && <span class="sr-only">{t('audit.changed')}: </span>}
                  {k}
                </th>
                <td class={'mono' + (ch && k in b ? ' diff-old' : '')}>{k in b ? b[k] : <span class="muted">—</span>}</td>
                <td class={'mono' + (ch && k in a ? ' diff-new' : '')}>{k in a ? a[k] : <span class="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {changed.length > 0 && same.length > 0 && (
        <button type="button" class="link-button small audit-same" onClick={() => setShowSame(!showSame)} aria-pressed={showSame} data-testid="audit-show-same">
          {showSame ? t('audit.hideSame') : t('audit.showSame', { count: same.length })}
        </button>
      )}
    </div>
  );
}
