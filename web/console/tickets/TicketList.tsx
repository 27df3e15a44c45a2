// A ticket view: filters, the list (newest change first, paged), multi-select
// with a bulk bar. Keyboard: ↑/↓ (or j/k) move between tickets, x selects,
// Enter opens, Escape clears the selection.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtDateTime, fmtRelative, t, type StringKey } from '../i18n';
import { useNow } from '../hooks';
import type { Route } from '../router';
import { errorText, navigate, useStore } from '../store';
import type { Conversation, Inbox, TicketRow } from '../types';
import { ErrorNotice } from '../components/Common';
import { KindIcon } from '../components/ConversationList';
import { IconCheckCircle, IconPlus, IconSearch, IconX } from '../components/Icons';
import { bulkChange, changeError, listTickets, NO_FILTERS, PRIORITIES, STATUSES, type BulkChanges, type TicketFilters } from './data';
import { ComplaintMarker, PriorityBadge, SlaBadge, StatusBadge, TagList } from './bits';

type TicketsRoute = Extract<Route, { section: 'tickets' }>;

/** A row as the list got it, brought up to date by what the console heard since (realtime). */
function live(row: TicketRow, conv: Conversation | undefined): TicketRow {
  if (!conv?.ticket || conv.updated_at < row.updated_at) return row;
  const tk = conv.ticket;
  return {
    ...row,
    subject: conv.subject,
    status: tk.status,
    priority: tk.priority,
    tags: tk.tags,
    assignee: conv.assignee,
    follow_up_at: tk.follow_up_at,
    updated_at: conv.updated_at,
  };
}

export function TicketList({ route }: { route: TicketsRoute }) {
  const [filters, setFilters] = useState<TicketFilters>({ ...NO_FILTERS, tag: route.tag ?? '' });
  // Folded or not by the agent; until then, open when a filter is set.
  const [filtersOpen, setFiltersOpen] = useState<boolean | null>(null);
  const [rows, setRows] = useState<TicketRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [inboxes, setInboxes] = useState<Inbox[]>([]);
  const convs = useStore((s) => s.convs);
  const counts = useStore((s) => s.ticketCounts);
  const now = useNow(30_000);
  const reqRef = useRef<AbortController | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  useEffect(() => setFilters((f) => ({ ...f, tag: route.tag ?? '' })), [route.tag]);
  useEffect(() => {
    api
      .get<{ inboxes: Inbox[] }>('/inboxes')
      .then((r) => setInboxes(r.inboxes ?? []))
      .catch(() => setInboxes([]));
  }, []);

  async function load(more = false) {
    reqRef.current?.abort();
    const ctl = new AbortController();
    reqRef.current = ctl;
    setLoading(true);
    setError(null);
    try {
      const page = await listTickets(route.view, filters, more ? next : null, ctl.signal);
      setRows((prev) => (more && prev ? [...prev, ...page.tickets] : page.tickets));
      setNext(page.next_before);
      if (!more) setSelected(new Set());
    } catch (err) {
      if ((err as Error)?.name !== 'AbortError') setError(errorText(err));
    } finally {
      if (reqRef.current === ctl) setLoading(false);
    }
  }

  // Search waits for a pause in typing; the selects apply at once.
  useEffect(() => {
    const timer = window.setTimeout(() => void load(), filters.q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [route.view, filters.status, filters.priority, filters.tag, filters.inbox, filters.q]);

  const shown = useMemo(() => (rows ?? []).map((r) => live(r, convs[r.id])), [rows, convs]);
  const tagOptions = useMemo(() => {
    const set = new Set((counts?.tags ?? []).map((x) => x.tag));
    if (filters.tag) set.add(filters.tag);
    return [...set];
  }, [counts, filters.tag]);

  function set<K extends keyof TicketFilters>(k: K, v: TicketFilters[K]) {
    setFilters((f) => ({ ...f, [k]: v }));
    if (k === 'tag') navigate({ ...route, tag: (v as string) || null }, true);
  }
  function toggle(id: number) {
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  }
  const allSelected = shown.length > 0 && shown.every((r) => selected.has(r.id));
  function toggleAll() {
    setSelected(allSelected ? new Set() : new Set(shown.map((r) => r.id)));
  }

  function onKeyDown(e: KeyboardEvent) {
    const target = e.target as HTMLElement;
    const rowEl = target.closest<HTMLElement>('tr[data-id]');
    if (!rowEl || e.ctrlKey || e.metaKey || e.altKey) return;
    const id = Number(rowEl.dataset.id);
    const focusRow = (el: Element | null) => el?.querySelector<HTMLElement>('.ticket-open')?.focus();
    if (e.key === 'ArrowDown' || e.key === 'j') {
      e.preventDefault();
      focusRow(rowEl.nextElementSibling);
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      e.preventDefault();
      focusRow(rowEl.previousElementSibling);
    } else if (e.key === 'x') {
      e.preventDefault();
      toggle(id);
    } else if (e.key === 'Escape' && selected.size) {
      e.preventDefault();
      setSelected(new Set());
    }
  }

  const activeFilters = [filters.status, filters.priority, filters.tag, filters.inbox].filter(Boolean).length;
  const filtersShown = filtersOpen ?? activeFilters > 0;

  const title = route.tag ? t('tickets.tagTitle', { tag: route.tag }) : t(`tickets.view.${route.view}` as const);
  const total = counts?.views?.[route.view];

  return (
    <main class="settings-pane tickets-pane" aria-busy={loading ? 'true' : undefined}>
      <div class="tickets-content">
        <header class="tickets-header">
          <div>
            <h1 data-testid="tickets-title">
              {title}
              {total != null && !route.tag && <span class="tickets-total"> · {total >= 10_000 ? '10k+' : total}</span>}
            </h1>
          </div>
          <div class="tickets-tools">
            <label class="input-icon tickets-search">
              <IconSearch size={16} />
              <span class="sr-only">{t('tickets.search')}</span>
              <input type="search" value={filters.q} placeholder={t('tickets.searchPlaceholder')} onInput={(e) => set('q', e.currentTarget.value)} data-testid="tickets-search" />
            </label>
            {/* Narrow lists only (tickets.css): the filters fold behind this button unless one is set. */}
            <button
              type="button"
              class="btn btn-secondary tickets-filter-toggle"
              aria-expanded={filtersShown}
              aria-controls="ticket-filters"
              onClick={() => setFiltersOpen(!filtersShown)}
              data-testid="tickets-filter-toggle"
            >
              {t('tickets.filterToggle')}
              {activeFilters > 0 && <span class="nav-count">{activeFilters}</span>}
            </button>
          </div>
        </header>

        <form
          id="ticket-filters"
          class={'tickets-filters' + (filtersShown ? ' is-open' : '')}
          role="search"
          aria-label={t('tickets.filters')}
          onSubmit={(e) => e.preventDefault()}
        >
          <label class="field">
            <span class="field-label">{t('tickets.status')}</span>
            <select value={filters.status} onChange={(e) => set('status', e.currentTarget.value as TicketFilters['status'])} data-testid="filter-status">
              <option value="">{t('tickets.any')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`ticket.status.${s}` as const)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field-label">{t('tickets.priority')}</span>
            <select value={filters.priority} onChange={(e) => set('priority', e.currentTarget.value as TicketFilters['priority'])} data-testid="filter-priority">
              <option value="">{t('tickets.any')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`ticket.priority.${p}` as const)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field-label">{t('tickets.tag')}</span>
            <select value={filters.tag} onChange={(e) => set('tag', e.currentTarget.value)} data-testid="filter-tag">
              <option value="">{t('tickets.any')}</option>
              {tagOptions.map((tag) => (
                <option key={tag} value={tag}>
                  {tag}
                </option>
              ))}
            </select>
          </label>
          {inboxes.length > 1 && (
            <label class="field">
              <span class="field-label">{t('tickets.inbox')}</span>
              <select value={filters.inbox} onChange={(e) => set('inbox', e.currentTarget.value)} data-testid="filter-inbox">
                <option value="">{t('tickets.any')}</option>
                {inboxes.map((i) => (
                  <option key={i.id} value={String(i.id)}>
                    {i.name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </form>

        {selected.size > 0 && <BulkBar ids={[...selected]} onDone={() => void load()} onClear={() => setSelected(new Set())} />}

        <ErrorNotice error={error} />
        <div class="card tickets-card">
          {!rows ? (
            <p class="card-state">{loading ? t('common.loading') : ''}</p>
          ) : shown.length === 0 ? (
            <EmptyTickets
              view={route.view}
              filtered={Object.values(filters).some(Boolean)}
              onClear={() => {
                setFilters({ ...NO_FILTERS });
                if (route.tag) navigate({ ...route, tag: null }, true);
              }}
            />
          ) : (
            <table class="table tickets-table" ref={tableRef} onKeyDown={onKeyDown} data-testid="tickets-table">
              <thead>
                <tr>
                  <th scope="col" class="ticket-check">
                    <input type="checkbox" checked={allSelected} onChange={toggleAll} aria-label={t('tickets.selectAll')} data-testid="select-all" />
                  </th>
                  <th scope="col">{t('tickets.colSubject')}</th>
                  <th scope="col">{t('tickets.colStatus')}</th>
                  <th scope="col">{t('tickets.colAssignee')}</th>
                  <th scope="col" class="num">
                    {t('tickets.colUpdated')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.id} data-id={r.id} class={selected.has(r.id) ? 'is-selected' : undefined} data-testid="ticket-row">
                    <td class="ticket-check">
                      <input type="checkbox" checked={selected.has(r.id)} onChange={() => toggle(r.id)} aria-label={t('tickets.select', { number: r.id })} data-testid="ticket-select" />
                    </td>
                    <td class="ticket-main">
                      <button type="button" class="ticket-open" onClick={() => navigate({ ...route, ticketId: r.id })} data-testid="ticket-open">
                        <KindIcon kind={r.kind} size={14} />
                        <span class="ticket-number">#{r.id}</span>
                        <span class="ticket-subject">{r.subject || t('tickets.noSubject')}</span>
                      </button>
                      <div class="ticket-meta">
                        <span class="ticket-contact">{r.contact.name || r.contact.email || t('who.visitor')}</span>
                        <ComplaintMarker complaint={r.complaint} />
                        <TagList tags={r.tags} />
                        {r.follow_up_due && (
                          <span class="badge badge-followup" data-testid="follow-up-due">
                            {t('tickets.followUpDue')}
                          </span>
                        )}
                        <SlaBadge sla={r.sla} now={now} />
                      </div>
                    </td>
                    <td class="ticket-state">
                      <StatusBadge status={r.status} />
                      <PriorityBadge priority={r.priority} />
                    </td>
                    <td class="ticket-assignee">{r.assignee?.name ?? <span class="muted">{t('tickets.nobody')}</span>}</td>
                    <td class="num nowrap muted small">
                      <time dateTime={new Date(r.updated_at).toISOString()} title={fmtDateTime(r.updated_at)}>
                        {fmtRelative(r.updated_at, now)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {rows && rows.length > 0 && next && (
          <div class="tickets-more">
            <button type="button" class="btn btn-secondary" onClick={() => void load(true)} disabled={loading} data-testid="tickets-more">
              {loading ? t('common.loading') : t('tickets.more')}
            </button>
          </div>
        )}
        {shown.length > 0 && <p class="muted small tickets-keys">{t('tickets.keys')}</p>}
      </div>
    </main>
  );
}

const EMPTY_HINTS: Partial<Record<TicketsRoute['view'], StringKey>> = {
  mine_open: 'tickets.emptyHint.mine_open',
  unassigned: 'tickets.emptyHint.unassigned',
  breaching_soon: 'tickets.emptyHint.breaching_soon',
  complaints: 'tickets.emptyHint.complaints',
  follow_up_due: 'tickets.emptyHint.follow_up_due',
};

/** Nothing to show: says why (a view with nothing in it, or filters that match nothing) and the way on. */
function EmptyTickets({ view, filtered, onClear }: { view: TicketsRoute['view']; filtered: boolean; onClear: () => void }) {
  const hint = EMPTY_HINTS[view];
  return (
    <div class="card-state tickets-empty" data-testid="tickets-empty">
      {filtered ? <IconSearch size={24} /> : <IconCheckCircle size={24} />}
      <p class="tickets-empty-title">{filtered ? t('tickets.emptyFiltered') : t('tickets.empty')}</p>
      {filtered ? (
        <button type="button" class="btn btn-secondary btn-sm" onClick={onClear} data-testid="tickets-clear-filters">
          {t('tickets.clearFilters')}
        </button>
      ) : (
        hint && <p class="small">{t(hint)}</p>
      )}
    </div>
  );
}

/** The selection's actions: status, priority, a tag to add, the assignee. */
function BulkBar({ ids, onDone, onClear }: { ids: number[]; onDone: () => void; onClear: () => void }) {
  const agents = useStore((s) => s.agents);
  const me = useStore((s) => s.me);
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function apply(changes: BulkChanges) {
    setBusy(true);
    setError(null);
    try {
      await bulkChange(ids, changes);
      onDone();
    } catch (err) {
      setError(changeError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="bulk-bar" role="toolbar" aria-label={t('tickets.bulk')} data-testid="bulk-bar">
      <strong class="bulk-count">{t('tickets.selected', { count: ids.length })}</strong>
      <label class="bulk-field">
        <span class="sr-only">{t('tickets.setStatus')}</span>
        <select value="" disabled={busy} onChange={(e) => e.currentTarget.value && void apply({ status: e.currentTarget.value as BulkChanges['status'] })} data-testid="bulk-status">
          <option value="">{t('tickets.setStatus')}</option>
          {STATUSES.filter((s) => s !== 'new').map((s) => (
            <option key={s} value={s}>
              {t(`ticket.status.${s}` as const)}
            </option>
          ))}
        </select>
      </label>
      <label class="bulk-field">
        <span class="sr-only">{t('tickets.setPriority')}</span>
        <select value="" disabled={busy} onChange={(e) => e.currentTarget.value && void apply({ priority: e.currentTarget.value as BulkChanges['priority'] })} data-testid="bulk-priority">
          <option value="">{t('tickets.setPriority')}</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`ticket.priority.${p}` as const)}
            </option>
          ))}
        </select>
      </label>
      <label class="bulk-field">
        <span class="sr-only">{t('tickets.assignTo')}</span>
        <select
          value=""
          disabled={busy}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (v) void apply({ assignee_id: v === 'none' ? null : Number(v) });
          }}
          data-testid="bulk-assign"
        >
          <option value="">{t('tickets.assignTo')}</option>
          {me && <option value={String(me.id)}>{t('tickets.me')}</option>}
          <option value="none">{t('tickets.nobody')}</option>
          {agents
            .filter((a) => a.id !== me?.id && a.active !== false)
            .map((a) => (
              <option key={a.id} value={String(a.id)}>
                {a.name}
              </option>
            ))}
        </select>
      </label>
      <form
        class="bulk-tag"
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim()) void apply({ add_tags: [tag.trim()] }).then(() => setTag(''));
        }}
      >
        <label>
          <span class="sr-only">{t('tickets.addTag')}</span>
          <input type="text" value={tag} maxLength={40} placeholder={t('tickets.addTag')} onInput={(e) => setTag(e.currentTarget.value)} disabled={busy} data-testid="bulk-tag" />
        </label>
        <button type="submit" class="btn btn-secondary btn-sm" disabled={busy || !tag.trim()} title={t('tickets.add')}>
          <IconPlus size={14} />
          <span class="bulk-add-label">{t('tickets.add')}</span>
        </button>
      </form>
      <button type="button" class="icon-button bulk-clear" onClick={onClear} aria-label={t('tickets.clearSelection')} data-testid="bulk-clear">
        <IconX size={16} />
      </button>
      <ErrorNotice error={error} class="bulk-error" />
    </div>
  );
}
