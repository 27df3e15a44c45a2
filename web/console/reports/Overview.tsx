// Reports → Overview (Q3): for the period and filters in the address — the key
// figures (GET /reports/summary), conversations and the median first response per
// day (/daily), the hour-of-week heat map (/heatmap), channels (/channels) and the
// agents ranked (/agents); each with its CSV. A figure, a day or an hour opens the
// conversations it counts (/drill) with links into the conversation view.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import { api, ApiError } from '../api';
import { getLang, t, type StringKey } from '../i18n';
import { errorText, navigate, useStore } from '../store';
import { ErrorNotice } from '../components/Common';
import { IconRotate } from '../components/Icons';
import { ChartBox, CsvLink, cssColor } from './ChartBox';
import { DrillList } from './DrillList';
import { FilterBar } from './FilterBar';
import { Heatmap } from './Heatmap';
import {
  apiQuery,
  browserZone,
  channelLabel,
  csvHref,
  fieldProblems,
  fillDays,
  fmtCount,
  fmtIsoDate,
  fmtMs,
  fmtShare,
  formatQuery,
  parseQuery,
  rangeOf,
  type AgentRow,
  type AgentsReport,
  type ChannelRow,
  type ChannelsReport,
  type DailyReport,
  type Drill,
  type Filters,
  type HeatmapReport,
  type Summary,
  type SummaryReport,
} from './model';

interface Data {
  summary: SummaryReport | null;
  daily: DailyReport | null;
  heatmap: HeatmapReport | null;
  channels: ChannelsReport | null;
  agents: AgentsReport | null;
}
const NONE: Data = { summary: null, daily: null, heatmap: null, channels: null, agents: null };
const NAMES = ['summary', 'daily', 'heatmap', 'channels', 'agents'] as const;

function useReports(filters: Filters, range: { from: number; to: number }) {
  const [data, setData] = useState<Data>(NONE);
  const [errors, setErrors] = useState<Partial<Record<keyof Data, string>>>({});
  const [problems, setProblems] = useState<Record<string, string> | null>(null);
  const [loading, setLoading] = useState(true);
  const q = apiQuery(filters, range);
  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    Promise.allSettled(NAMES.map((n) => api.get<any>(`/reports/${n}?${q}`, { signal: ctl.signal }))).then((res) => {
      if (ctl.signal.aborted) return;
      const next: any = { ...NONE };
      const errs: Partial<Record<keyof Data, string>> = {};
      let refused: Record<string, string> | null = null;
      res.forEach((r, i) => {
        if (r.status === 'fulfilled') next[NAMES[i]] = r.value;
        else {
          const err = r.reason;
          if (err instanceof ApiError && err.status === 401) return;
          refused ??= fieldProblems(err);
          if (!fieldProblems(err)) errs[NAMES[i]] = errorText(err);
        }
      });
      setData(next);
      setErrors(errs);
      setProblems(refused);
      setLoading(false);
    });
    return () => ctl.abort();
  }, [q]);
  return { data, errors, problems, loading };
}

export function Overview({ query }: { query: string }) {
  useStore((s) => s.lang);
  const { filters, drill } = useMemo(() => parseQuery(query), [query]);
  const filterKey = formatQuery({ filters, drill: null });
  const [tick, setTick] = useState(0);
  // The period in ms, fixed when the filters change (or Refresh is pressed), so the
  // charts, the CSV links and the drill-down all count the same conversations.
  const range = useMemo(() => rangeOf(filters), [filterKey, tick]);
  const { data, errors, problems, loading } = useReports(filters, range);
  const [focusToken, setFocusToken] = useState(0);

  const go = (f: Filters, d: Drill | null) => navigate({ section: 'reports', tab: 'overview', query: formatQuery({ filters: f, drill: d }) });
  const pick = (d: Drill) => {
    go(filters, d);
    setFocusToken((n) => n + 1);
  };
  const s = data.summary;
  // Field problems the filter bar does not show under a field of its own.
  const atField = (k: string) => (k === 'from' || k === 'to' ? filters.period === 'custom' : ['inbox_id', 'team_id', 'agent_id', 'channel'].includes(k));
  const otherProblems = problems ? Object.entries(problems).filter(([k]) => !atField(k)) : [];
  const truncated = NAMES.some((n) => data[n]?.truncated);

  return (
    <div class={'rp-overview' + (loading ? ' is-loading' : '')} aria-busy={loading} data-testid="rp-overview">
      <FilterBar filters={filters} problems={problems} onChange={(f) => go(f, null)} seen={data.channels?.channels.map((c) => c.channel)}>
        <button type="button" class="btn btn-secondary btn-sm rp-refresh" onClick={() => setTick((n) => n + 1)} data-testid="rp-refresh">
          <IconRotate size={15} /> {t('rp.refresh')}
        </button>
      </FilterBar>
      <p class="muted small rp-zone">{t('rp.zone', { tz: browserZone() })}</p>
      {otherProblems.length > 0 && (
        <p class="notice notice-error" role="alert" data-testid="rp-problems">
          {otherProblems.map(([k, m]) => (k ? `${k}: ${m}` : m)).join(' · ')}
        </p>
      )}
      {truncated && <p class="notice notice-warn" data-testid="rp-truncated">{t('rp.truncated')}</p>}
      {/* A failure (the network, the server) said once, not once per report. */}
      {[...new Set(Object.values(errors))].map((e) => (
        <ErrorNotice key={e} error={e} testid="rp-error" />
      ))}

      {s && <Kpis s={s} pick={pick} />}

      {drill && <DrillList drill={drill} filters={filters} range={range} onChange={(d) => go(filters, d)} onClose={() => go(filters, null)} focusToken={focusToken} />}

      {data.daily && <DailyChart report={data.daily} filters={filters} range={range} pick={(day) => pick({ metric: 'all', day })} />}

      {data.heatmap && (
        <section class="card rp-chart" aria-labelledby="rp-heat-title" data-testid="rp-heatmap">
          <header class="rp-chart-head">
            <h2 id="rp-heat-title">{t('rp.heatTitle')}</h2>
            <div class="rp-chart-actions">
              <CsvLink href={csvHref('heatmap', filters, range)} name="heatmap.csv" testid="rp-heatmap-csv" label={t('rp.csvOf', { name: t('rp.heatTitle') })} />
            </div>
          </header>
          <p class="muted small rp-pad">{t('rp.heatHint')}</p>
          <Heatmap
            report={data.heatmap}
            caption={t('rp.heatCaption', { tz: data.heatmap.tz || browserZone() })}
            selected={drill?.weekday != null && drill.hour != null ? { weekday: drill.weekday, hour: drill.hour } : null}
            onPick={(weekday, hour) => pick({ metric: 'all', weekday, hour })}
          />
        </section>
      )}

      {data.channels && <ChannelsChart report={data.channels} filters={filters} range={range} />}

      {data.agents && <AgentsTable report={data.agents} filters={filters} range={range} />}
    </div>
  );
}

// ---- key figures ---------------------------------------------------------------

function Kpi({ label, value, sub, testid, tone, onDrill, drillLabel }: { label: string; value: ComponentChildren; sub?: ComponentChildren; testid: string; tone?: 'good' | 'bad' | null; onDrill?: () => void; drillLabel?: string }) {
  const body = (
    <>
      <span class="stat-label">{label}</span>
      <span class="stat-value" data-testid={testid}>
        {value}
      </span>
      {sub != null && <span class="stat-sub">{sub}</span>}
    </>
  );
  return (
    <li class={'stat-card rp-kpi' + (tone ? ' is-' + tone : '') + (onDrill ? ' is-drill' : '')}>
      {onDrill ? (
        <button type="button" class="rp-kpi-button" onClick={onDrill} title={drillLabel} data-testid={testid + '-drill'}>
          {body}
          <span class="rp-kpi-more" aria-hidden="true">
            {t('rp.list')} →
          </span>
          <span class="sr-only">{drillLabel}</span>
        </button>
      ) : (
        body
      )}
    </li>
  );
}

function Kpis({ s, pick }: { s: Summary; pick: (d: Drill) => void }) {
  const within = (d: Summary['first_response']) => (d.p90_ms == null ? t('rp.noData') : t('rp.p90', { d: fmtMs(d.p90_ms) }));
  return (
    <ul class="stat-row rp-kpis" aria-label={t('rp.kpis')} data-testid="rp-kpis">
      <Kpi
        label={t('rp.conversations')}
        value={fmtCount(s.conversations)}
        sub={t('rp.openClosed', { open: fmtCount(s.open), closed: fmtCount(s.closed) })}
        testid="kpi-conversations"
        onDrill={() => pick({ metric: 'all' })}
        drillLabel={t('rp.drillKpi', { what: t('rp.metric.all') })}
      />
      <Kpi label={t('rp.medianFirstResponse')} value={fmtMs(s.first_response.median_ms)} sub={within(s.first_response)} testid="kpi-first-response" onDrill={() => pick({ metric: 'unanswered' })} drillLabel={t('rp.drillKpi', { what: t('rp.metric.unanswered') })} />
      <Kpi label={t('rp.medianHandle')} value={fmtMs(s.handle.median_ms)} sub={within(s.handle)} testid="kpi-handle" />
      <Kpi label={t('rp.medianWait')} value={fmtMs(s.wait.median_ms)} sub={within(s.wait)} testid="kpi-wait" />
      <Kpi
        label={t('rp.abandonment')}
        value={fmtShare(s.abandonment_rate)}
        sub={t('rp.nAbandoned', { n: fmtCount(s.abandoned) })}
        testid="kpi-abandonment"
        tone={s.abandonment_rate != null && s.abandonment_rate > 0.1 ? 'bad' : null}
        onDrill={() => pick({ metric: 'abandoned' })}
        drillLabel={t('rp.drillKpi', { what: t('rp.metric.abandoned') })}
      />
      <Kpi
        label={t('rp.deflection')}
        value={fmtShare(s.deflection_rate)}
        sub={t('rp.nDeflected', { n: fmtCount(s.bot_deflected), of: fmtCount(s.bot_handled) })}
        testid="kpi-deflection"
        onDrill={() => pick({ metric: 'bot_deflected' })}
        drillLabel={t('rp.drillKpi', { what: t('rp.metric.bot_deflected') })}
      />
      <Kpi
        label={t('rp.csat')}
        value={fmtShare(s.csat)}
        sub={t('rp.nRated', { n: fmtCount(s.rated_positive), of: fmtCount(s.rated) })}
        testid="kpi-csat"
        tone={s.csat == null ? null : s.csat >= 0.8 ? 'good' : s.csat < 0.5 ? 'bad' : null}
        onDrill={() => pick({ metric: 'rated_negative' })}
        drillLabel={t('rp.drillKpi', { what: t('rp.metric.rated_negative') })}
      />
    </ul>
  );
}

// ---- charts ----------------------------------------------------------------------

/** The unit a time axis counts in, for the largest value on it, and the least top the axis shows. */
function timeUnit(maxMs: number): { div: number; top: number; label: (v: number) => string } {
  if (maxMs < 120_000) return { div: 1000, top: 10, label: (v) => t('dur.s', { n: v }) };
  if (maxMs < 3 * 3600_000) return { div: 60_000, top: 5, label: (v) => t('dur.m', { m: v }) };
  return { div: 3600_000, top: 4, label: (v) => t('rp.hoursAxis', { h: v }) };
}

function DailyChart({ report, filters, range, pick }: { report: DailyReport; filters: Filters; range: { from: number; to: number }; pick: (day: string) => void }) {
  const days = useMemo(() => fillDays(report.days, range), [report, range]);
  const total = days.reduce((n, d) => n + d.conversations, 0);
  const busiest = days.reduce<(typeof days)[number] | null>((b, d) => (d.conversations > (b?.conversations ?? 0) ? d : b), null);
  const desc = t('rp.dailyDesc', {
    days: fmtCount(days.length),
    total: fmtCount(total),
    busiest: busiest ? `${fmtIsoDate(busiest.date, 'long')} (${fmtCount(busiest.conversations)})` : '—',
  });
  const config = (width: number): ChartConfiguration => {
    const accent = cssColor('--accent', '#4f46e5');
    const amber = '#d97706';
    const narrow = width < 480; // a phone: no axis titles (the legend names the two), smaller points
    const maxMs = Math.max(0, ...days.map((d) => d.first_response.median_ms ?? 0));
    const unit = timeUnit(maxMs);
    return {
      type: 'bar',
      data: {
        labels: days.map((d) => fmtIsoDate(d.date)),
        datasets: [
          { type: 'bar', label: t('rp.conversations'), data: days.map((d) => d.conversations), backgroundColor: accent + 'b3', hoverBackgroundColor: accent, borderRadius: 3, maxBarThickness: 40, yAxisID: 'y', order: 2 },
          {
            type: 'line',
            label: t('rp.medianFirstResponse'),
            data: days.map((d) => (d.first_response.median_ms == null ? null : d.first_response.median_ms / unit.div)),
            borderColor: amber,
            backgroundColor: amber,
            pointRadius: days.length > 45 ? 0 : narrow || days.length > 20 ? 2 : 3,
            borderWidth: 2,
            spanGaps: true,
            yAxisID: 'y1',
            order: 1,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: getLang(),
        interaction: { mode: 'index', intersect: false },
        // Turned to a phone's width (or back): the axis titles go (or come back).
        onResize: (chart, size) => {
          const show = size.width >= 480;
          const sc = chart.options.scales as Record<string, { title?: { display?: boolean } }>;
          if (sc.y?.title && sc.y.title.display !== show) {
            sc.y.title.display = show;
            if (sc.y1?.title) sc.y1.title.display = show;
            chart.update('none');
          }
        },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0, autoSkipPadding: 8 } },
          y: { beginAtZero: true, suggestedMax: 4, ticks: { precision: 0 }, title: { display: !narrow, text: t('rp.conversations') } },
          y1: {
            position: 'right',
            beginAtZero: true,
            suggestedMax: unit.top,
            grid: { drawOnChartArea: false },
            ticks: { precision: 0, callback: (v) => unit.label(Number(v)) },
            title: { display: !narrow, text: t('rp.medianFirstResponse') },
          },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? fmtIsoDate(days[items[0].dataIndex].date, 'long') : ''),
              label: (ctx) => (ctx.datasetIndex === 1 ? `${ctx.dataset.label}: ${fmtMs(days[ctx.dataIndex].first_response.median_ms)}` : `${ctx.dataset.label}: ${fmtCount(Number(ctx.raw))}`),
            },
          },
        },
      },
    };
  };
  return (
    <ChartBox
      id="rp-daily"
      testid="rp-daily"
      title={t('rp.dailyTitle')}
      desc={desc}
      csv={{ href: csvHref('daily', filters, range), name: 'daily.csv' }}
      config={config}
      version={days}
      onPick={(i) => days[i] && pick(days[i].date)}
      empty={days.length === 0 ? t('rp.none') : null}
      table={
        <table class="table table-compact rp-table">
          <caption class="sr-only">{t('rp.dailyTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rp.colDay')}</th>
              <th scope="col" class="num">{t('rp.conversations')}</th>
              <th scope="col" class="num">{t('rp.medianFirstResponse')}</th>
              <th scope="col" class="num rp-wide">{t('rp.colAbandoned')}</th>
              <th scope="col" class="num rp-wide">{t('rp.csat')}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date} data-date={d.date}>
                <th scope="row">
                  {d.conversations > 0 ? (
                    <button type="button" class="link-button" onClick={() => pick(d.date)} title={t('rp.listDay', { day: fmtIsoDate(d.date, 'long') })} data-testid="rp-day-drill">
                      {fmtIsoDate(d.date)}
                      <span class="sr-only"> — {t('rp.list')}</span>
                    </button>
                  ) : (
                    fmtIsoDate(d.date)
                  )}
                </th>
                <td class="num">{fmtCount(d.conversations)}</td>
                <td class="num">{fmtMs(d.first_response.median_ms)}</td>
                <td class="num rp-wide">{fmtCount(d.abandoned)}</td>
                <td class="num rp-wide">{fmtShare(d.csat, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

const CHANNEL_COLS: { label: StringKey; value: (c: ChannelRow) => string }[] = [
  { label: 'rp.conversations', value: (c) => fmtCount(c.conversations) },
  { label: 'rp.colOpen', value: (c) => fmtCount(c.open) },
  { label: 'rp.medianFirstResponse', value: (c) => fmtMs(c.first_response.median_ms) },
  { label: 'rp.medianHandle', value: (c) => fmtMs(c.handle.median_ms) },
  { label: 'rp.abandonment', value: (c) => fmtShare(c.abandonment_rate) },
  { label: 'rp.deflection', value: (c) => fmtShare(c.deflection_rate) },
  { label: 'rp.csat', value: (c) => fmtShare(c.csat, 0) },
];

function ChannelsChart({ report, filters, range }: { report: ChannelsReport; filters: Filters; range: { from: number; to: number } }) {
  const rows = [...report.channels].sort((a, b) => b.conversations - a.conversations);
  const desc = rows.length ? rows.map((c) => `${channelLabel(c.channel)}: ${fmtCount(c.conversations)}`).join(', ') : t('rp.none');
  const config = (): ChartConfiguration => {
    const accent = cssColor('--accent', '#4f46e5');
    return {
      type: 'bar',
      data: {
        labels: rows.map((c) => channelLabel(c.channel)),
        datasets: [
          { label: t('rp.colClosed'), data: rows.map((c) => c.closed), backgroundColor: accent + 'b3', hoverBackgroundColor: accent, borderRadius: 3, maxBarThickness: 28, stack: 'c' },
          { label: t('rp.colOpen'), data: rows.map((c) => c.open), backgroundColor: '#f59e0bb3', hoverBackgroundColor: '#f59e0b', borderRadius: 3, maxBarThickness: 28, stack: 'c' },
        ],
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: getLang(),
        scales: { x: { stacked: true, beginAtZero: true, suggestedMax: 4, ticks: { precision: 0 } }, y: { stacked: true, grid: { display: false } } },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } } },
      },
    };
  };
  return (
    <ChartBox
      id="rp-channels"
      testid="rp-channels"
      title={t('rp.channelsTitle')}
      desc={desc}
      csv={{ href: csvHref('channels', filters, range), name: 'channels.csv' }}
      config={config}
      version={report}
      height={Math.max(140, 56 + rows.length * 38)}
      empty={rows.length === 0 ? t('rp.none') : null}
      table={
        <table class="table table-compact rp-table rp-stack">
          <caption class="sr-only">{t('rp.channelsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rp.colChannel')}</th>
              {CHANNEL_COLS.map((c) => (
                <th key={c.label} scope="col" class="num">
                  {t(c.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.channel} data-channel={c.channel}>
                <th scope="row" class="rp-lead">
                  {channelLabel(c.channel)}
                </th>
                {CHANNEL_COLS.map((col) => (
                  <td key={col.label} class="num" data-label={t(col.label)}>
                    {col.value(c)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

// ---- agents ----------------------------------------------------------------------

type SortKey = 'rank' | 'name' | 'conversations' | 'first_response' | 'handle' | 'abandoned' | 'csat';
const SORTS: { key: SortKey; label: StringKey; num: boolean; value: (a: AgentRow) => number | string | null }[] = [
  { key: 'rank', label: 'rp.colRank', num: true, value: (a) => a.rank },
  { key: 'name', label: 'rp.colAgent', num: false, value: (a) => a.agent_name },
  { key: 'conversations', label: 'rp.conversations', num: true, value: (a) => a.conversations },
  { key: 'first_response', label: 'rp.medianFirstResponse', num: true, value: (a) => a.first_response.median_ms },
  { key: 'handle', label: 'rp.medianHandle', num: true, value: (a) => a.handle.median_ms },
  { key: 'abandoned', label: 'rp.colAbandoned', num: true, value: (a) => a.abandoned },
  { key: 'csat', label: 'rp.csat', num: true, value: (a) => a.csat },
];

function AgentsTable({ report, filters, range }: { report: AgentsReport; filters: Filters; range: { from: number; to: number } }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'rank', desc: false });
  const col = SORTS.find((c) => c.key === sort.key)!;
  const rows = [...report.agents].sort((a, b) => {
    const va = col.value(a);
    const vb = col.value(b);
    if (va == null && vb == null) return a.rank - b.rank;
    if (va == null) return 1; // no figure: last, whichever the order
    if (vb == null) return -1;
    const c = typeof va === 'string' ? va.localeCompare(vb as string, getLang()) : va - (vb as number);
    return (sort.desc ? -c : c) || a.rank - b.rank;
  });
  const by = (key: SortKey) => setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: key === 'conversations' || key === 'csat' }));
  return (
    <section class="card rp-chart rp-agents" aria-labelledby="rp-agents-title" data-testid="rp-agents">
      <header class="rp-chart-head">
        <h2 id="rp-agents-title">{t('rp.agentsTitle')}</h2>
        <div class="rp-chart-actions">
          <CsvLink href={csvHref('agents', filters, range)} name="agents.csv" testid="rp-agents-csv" label={t('rp.csvOf', { name: t('rp.agentsTitle') })} />
        </div>
      </header>
      <p class="muted small rp-pad">{t('rp.agentsHint')}</p>
      {rows.length === 0 ? (
        <p class="muted small rp-pad rp-empty">{t('rp.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="table table-compact rp-table rp-stack" data-testid="rp-agents-table">
            <thead>
              <tr>
                {SORTS.map((c) => (
                  <th key={c.key} scope="col" class={(c.num ? 'num' : '') + (c.key === 'rank' ? ' rp-rank' : '')} aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}>
                    <button type="button" class="rp-sort" onClick={() => by(c.key)} data-testid={'rp-sort-' + c.key}>
                      {t(c.label)}
                      <span class="rp-sort-mark" aria-hidden="true">
                        {sort.key === c.key ? (sort.desc ? '▼' : '▲') : ''}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.agent_id} data-testid="rp-agent-row" data-rank={a.rank} data-id={a.agent_id}>
                  <td class="num rp-rank">#{a.rank}</td>
                  <th scope="row" class="rp-lead">
                    <span class="rp-narrow">#{a.rank} </span>
                    {a.agent_name || `#${a.agent_id}`}
                  </th>
                  <td class="num" data-label={t('rp.conversations')}>{fmtCount(a.conversations)}</td>
                  <td class="num" data-label={t('rp.medianFirstResponse')}>{fmtMs(a.first_response.median_ms)}</td>
                  <td class="num" data-label={t('rp.medianHandle')}>{fmtMs(a.handle.median_ms)}</td>
                  <td class="num" data-label={t('rp.colAbandoned')}>{fmtCount(a.abandoned)}</td>
                  <td class="num" data-label={t('rp.csat')}>
                    {fmtShare(a.csat, 0)}
                    {a.rated > 0 && <span class="rp-sub"> {t('rp.ofRatings', { n: fmtCount(a.rated) })}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
