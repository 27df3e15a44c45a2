// The overview's filters: the period (today, 7, 30, 90 days, or two days picked),
// and an inbox, a team, an agent, a channel. Every change is a new address (the
// report can be linked); a refused value is named under its field.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { t, type StringKey } from '../i18n';
import { useStore } from '../store';
import type { Inbox } from '../types';
import { FieldError } from '../components/Common';
import { useCatalogue } from '../admin/routingApi';
import { channelLabel, DEFAULT_FILTERS, isoDate, presetDays, PRESETS, type Filters, type Preset } from './model';

let inboxCache: Inbox[] | null = null;

function useInboxes(): Inbox[] {
  const [inboxes, setInboxes] = useState<Inbox[]>(inboxCache ?? []);
  useEffect(() => {
    api
      .get<{ inboxes: Inbox[] } | Inbox[]>('/inboxes')
      .then((r) => {
        inboxCache = Array.isArray(r) ? r : r.inboxes ?? [];
        setInboxes(inboxCache);
      })
      .catch(() => {
        /* the filter offers what it has */
      });
  }, []);
  return inboxes;
}

/** The conversation kinds the reports count by (GET /reports/…?channel=); any other a report names is offered too. */
export const REPORT_CHANNELS = ['chat', 'email', 'callback', 'offline'];

/** `seen`: channels the reports named; `children`: more buttons at the end of the bar (Refresh). */
export function FilterBar({
  filters,
  problems,
  onChange,
  seen = [],
  children,
}: {
  filters: Filters;
  problems: Record<string, string> | null;
  onChange: (f: Filters) => void;
  seen?: string[];
  children?: ComponentChildren;
}) {
  const inboxes = useInboxes();
  const { catalogue } = useCatalogue();
  const agents = useStore((s) => s.agents);
  const teams = (catalogue?.teams ?? []).filter((x) => x.id != null);
  const people = agents.filter((a) => a.active !== false || String(a.id) === filters.agent_id).sort((a, b) => a.name.localeCompare(b.name));
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const today = isoDate(new Date());
  const changed = Object.keys(DEFAULT_FILTERS).some((k) => filters[k as keyof Filters] !== DEFAULT_FILTERS[k as keyof Filters]);
  const err = (k: string) => problems?.[k] || null;

  function setPeriod(p: Preset) {
    if (p === 'custom') {
      // Start from the days the preset showed.
      const d = filters.period === 'custom' ? { from: filters.from, to: filters.to } : presetDays(filters.period);
      set({ period: p, ...d });
    } else set({ period: p, from: '', to: '' });
  }

  const select = (key: 'inbox_id' | 'team_id' | 'agent_id' | 'channel', label: string, all: string, options: { value: string; label: string }[]) => (
    <label class="rp-field">
      <span class="field-label">{label}</span>
      <select value={filters[key]} onChange={(e) => set({ [key]: e.currentTarget.value })} aria-invalid={err(key) ? true : undefined} aria-describedby={err(key) ? `rp-err-${key}` : undefined} data-testid={'rp-' + key.replace('_id', '')}>
        <option value="">{all}</option>
        {/* A linked id this console does not list is kept, by number. */}
        {filters[key] && !options.some((o) => o.value === filters[key]) && <option value={filters[key]}>#{filters[key]}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`rp-err-${key}`} error={err(key)} />
    </label>
  );

  return (
    <form class="card rp-filters" aria-label={t('rp.filters')} onSubmit={(e) => e.preventDefault()} data-testid="rp-filters">
      <label class="rp-field rp-period">
        <span class="field-label">{t('rp.period')}</span>
        <select value={filters.period} onChange={(e) => setPeriod(e.currentTarget.value as Preset)} data-testid="rp-period">
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(`rp.preset.${p}` as StringKey)}
            </option>
          ))}
        </select>
      </label>
      {filters.period === 'custom' && (
        <>
          <label class="rp-field rp-date">
            <span class="field-label">{t('rp.from')}</span>
            <input type="date" value={filters.from} max={filters.to || today} required onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })} aria-invalid={err('from') ? true : undefined} aria-describedby={err('from') ? 'rp-err-from' : undefined} data-testid="rp-from" />
            <FieldError id="rp-err-from" error={err('from')} testid="rp-from-error" />
          </label>
          <label class="rp-field rp-date">
            <span class="field-label">{t('rp.to')}</span>
            <input type="date" value={filters.to} min={filters.from} max={today} required onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })} aria-invalid={err('to') ? true : undefined} aria-describedby={err('to') ? 'rp-err-to' : undefined} data-testid="rp-to" />
            <FieldError id="rp-err-to" error={err('to')} testid="rp-to-error" />
          </label>
        </>
      )}
      {select(
        'inbox_id',
        t('rp.inbox'),
        t('rp.allInboxes'),
        inboxes.map((i) => ({ value: String(i.id), label: i.name })),
      )}
      {(teams.length > 0 || !!filters.team_id) &&
        select(
          'team_id',
          t('rp.team'),
          t('rp.allTeams'),
          teams.map((x) => ({ value: String(x.id), label: x.name })),
        )}
      {select(
        'agent_id',
        t('rp.agent'),
        t('rp.allAgents'),
        people.map((a) => ({ value: String(a.id), label: a.name })),
      )}
      {select(
        'channel',
        t('rp.channel'),
        t('rp.allChannels'),
        [...new Set([...REPORT_CHANNELS, ...seen])].map((c) => ({ value: c, label: channelLabel(c) })),
      )}
      <div class="rp-filter-actions">
        {changed && (
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => onChange({ ...DEFAULT_FILTERS })} data-testid="rp-reset">
            {t('rp.reset')}
          </button>
        )}
        {children}
      </div>
    </form>
  );
}
