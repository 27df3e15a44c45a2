// The reports overview's data (GET /api/v1/reports/...) and its filters: the
// filters live in the address's query (period=7d&inbox_id=2…) so a report can
// be linked, and become the API's from/to (ms, in the browser's time zone) and tz.
import { ApiError } from '../api';
import { getLang, t, type StringKey } from '../i18n';

export interface Durations {
  n: number;
  mean_ms: number | null;
  median_ms: number | null;
  p90_ms: number | null;
}

export interface Summary {
  conversations: number;
  open: number;
  closed: number;
  first_response: Durations;
  response: Durations;
  wait: Durations;
  handle: Durations;
  abandoned: number;
  abandonment_rate: number | null;
  bot_handled: number;
  bot_deflected: number;
  deflection_rate: number | null;
  rated: number;
  rated_positive: number;
  csat: number | null;
}

interface Envelope {
  from: number;
  to: number;
  tz: string;
  truncated: boolean;
}

export type SummaryReport = Envelope & Summary;
export type DayRow = Summary & { date: string };
export type DailyReport = Envelope & { days: DayRow[] };
export type HeatmapReport = Envelope & { hours: number[][]; max: number };
export type ChannelRow = Summary & { channel: string };
export type ChannelsReport = Envelope & { channels: ChannelRow[] };
export type AgentRow = Summary & { agent_id: number; agent_name: string; rank: number; csat_lower: number };
export type AgentsReport = Envelope & { agents: AgentRow[] };

export interface DrillRow {
  id: number;
  channel: string;
  inbox_id: number;
  agent_id: number | null;
  agent_name: string;
  created_at: number;
  first_response_ms: number | null;
  closed_at: number | null;
  status: 'open' | 'closed';
  rated_positive: boolean | null;
}
export interface DrillReport {
  total: number;
  truncated: boolean;
  conversations: DrillRow[];
}

export interface LiveAgentRow {
  id: number;
  name: string;
  status: string;
  open: number;
}
export interface LiveReport {
  at: number;
  open: number;
  waiting: number;
  longest_wait_ms: number | null;
  agents_online: number;
  agents: LiveAgentRow[];
  today: Summary;
}

// ---- filters ---------------------------------------------------------------

export const PRESETS = ['today', '7d', '30d', '90d', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export const METRICS = ['all', 'open', 'unanswered', 'abandoned', 'bot_deflected', 'rated_negative', 'rated_positive'] as const;
export type Metric = (typeof METRICS)[number];

export interface Filters {
  period: Preset;
  /** Custom period: the first and the last day (YYYY-MM-DD, both included). */
  from: string;
  to: string;
  inbox_id: string;
  team_id: string;
  agent_id: string;
  channel: string;
}

/** What the drill-down lists: a metric, for one day or one hour of the week, or the whole period. */
export interface Drill {
  metric: Metric;
  day?: string;
  weekday?: number;
  hour?: number;
}

export interface ReportQuery {
  filters: Filters;
  drill: Drill | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^\d+$/;

export const DEFAULT_FILTERS: Filters = { period: '30d', from: '', to: '', inbox_id: '', team_id: '', agent_id: '', channel: '' };

function intIn(s: string | null, lo: number, hi: number): number | undefined {
  if (s == null || !/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= lo && n <= hi ? n : undefined;
}

/** The address's query → filters and drill-down; anything unknown or malformed is left at its default. */
export function parseQuery(query: string): ReportQuery {
  const q = new URLSearchParams(query);
  const f: Filters = { ...DEFAULT_FILTERS };
  const period = q.get('period');
  if (period && (PRESETS as readonly string[]).includes(period)) f.period = period as Preset;
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  if (DATE.test(from)) f.from = from;
  if (DATE.test(to)) f.to = to;
  if (f.period === 'custom' && (!f.from || !f.to)) {
    // A custom period needs both days: the last 30 days fill what is missing.
    const r = presetDays('30d');
    f.from ||= r.from;
    f.to ||= r.to;
  }
  for (const k of ['inbox_id', 'team_id', 'agent_id'] as const) {
    const v = q.get(k) ?? '';
    if (ID.test(v)) f[k] = v;
  }
  const ch = q.get('channel') ?? '';
  if (/^[a-z_]{1,32}$/.test(ch)) f.channel = ch;
  let drill: Drill | null = null;
  const m = q.get('drill');
  if (m && (METRICS as readonly string[]).includes(m)) {
    drill = { metric: m as Metric };
    const day = q.get('day') ?? '';
    const weekday = intIn(q.get('weekday'), 0, 6);
    const hour = intIn(q.get('hour'), 0, 23);
    if (DATE.test(day)) drill.day = day;
    else if (weekday != null && hour != null) {
      drill.weekday = weekday;
      drill.hour = hour;
    }
  }
  return { filters: f, drill };
}

/** Filters and drill-down → the address's query (defaults left out). */
export function formatQuery({ filters: f, drill }: ReportQuery): string {
  const q = new URLSearchParams();
  if (f.period !== DEFAULT_FILTERS.period) q.set('period', f.period);
  if (f.period === 'custom') {
    q.set('from', f.from);
    q.set('to', f.to);
  }
  for (const k of ['inbox_id', 'team_id', 'agent_id', 'channel'] as const) if (f[k]) q.set(k, f[k]);
  if (drill) {
    q.set('drill', drill.metric);
    if (drill.day) q.set('day', drill.day);
    if (drill.weekday != null && drill.hour != null) {
      q.set('weekday', String(drill.weekday));
      q.set('hour', String(drill.hour));
    }
  }
  return q.toString();
}

/** A local date as YYYY-MM-DD. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** YYYY-MM-DD → the local midnight starting that day (ms). */
export function dayStart(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d).getTime();
}

/** A preset's first and last day (today included). */
export function presetDays(p: Exclude<Preset, 'custom'>, now = Date.now()): { from: string; to: string } {
  const n = p === 'today' ? 1 : parseInt(p, 10);
  const today = new Date(now);
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (n - 1));
  return { from: isoDate(first), to: isoDate(today) };
}

/** The period in ms: from the first day's midnight to now (a preset) or to the end of the last day (custom). */
export function rangeOf(f: Filters, now = Date.now()): { from: number; to: number } {
  if (f.period !== 'custom') return { from: dayStart(presetDays(f.period, now).from), to: now };
  const from = dayStart(f.from);
  const [y, m, d] = f.to.split('-').map(Number);
  const to = new Date(y, m - 1, d + 1).getTime(); // the day after the last, at midnight
  return { from, to };
}

export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const NO_TIMES: Durations = { n: 0, mean_ms: null, median_ms: null, p90_ms: null };
export const EMPTY_SUMMARY: Summary = {
  conversations: 0,
  open: 0,
  closed: 0,
  first_response: NO_TIMES,
  response: NO_TIMES,
  wait: NO_TIMES,
  handle: NO_TIMES,
  abandoned: 0,
  abandonment_rate: null,
  bot_handled: 0,
  bot_deflected: 0,
  deflection_rate: null,
  rated: 0,
  rated_positive: 0,
  csat: null,
};

/**
 * Every day of the period, oldest first: the days the report has, and the others
 * (the report may start at the first conversation and end at the last) empty — so
 * the chart's axis is the whole period.
 */
export function fillDays(days: DayRow[], range: { from: number; to: number }): DayRow[] {
  const have = new Map(days.map((d) => [d.date, d]));
  const out: DayRow[] = [];
  const first = new Date(range.from);
  const last = isoDate(new Date(Math.max(range.from, range.to - 1)));
  for (let i = 0; i < 400; i++) {
    const date = isoDate(new Date(first.getFullYear(), first.getMonth(), first.getDate() + i));
    out.push(have.get(date) ?? { date, ...EMPTY_SUMMARY });
    have.delete(date);
    if (date >= last) break;
  }
  // Any day the period did not foresee (another zone's edge) is kept, in order.
  return have.size ? [...out, ...have.values()].sort((a, b) => a.date.localeCompare(b.date)) : out;
}

/** The API query of a report for these filters over `range` (and `extra`, e.g. format=csv). */
export function apiQuery(f: Filters, range: { from: number; to: number }, extra: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  q.set('from', String(range.from));
  q.set('to', String(range.to));
  for (const k of ['inbox_id', 'team_id', 'agent_id', 'channel'] as const) if (f[k]) q.set(k, f[k]);
  q.set('tz', browserZone());
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

export type ReportName = 'summary' | 'daily' | 'heatmap' | 'channels' | 'agents' | 'drill';

/** The CSV download of a report with the same filters (a same-origin link: the session cookie goes with it). */
export function csvHref(name: ReportName, f: Filters, range: { from: number; to: number }, extra: Record<string, string | number | undefined> = {}): string {
  return `/api/v1/reports/${name}?${apiQuery(f, range, { ...extra, format: 'csv' })}`;
}

/**
 * A refused query's problems by field: the 422 {"error": {"fields": {...}}} the other
 * console pages read, or {"errors": [{"field", "message"}]}. Null for any other error.
 */
export function fieldProblems(err: unknown): Record<string, string> | null {
  if (!(err instanceof ApiError) || (err.status !== 422 && err.status !== 400)) return null;
  const d = err.data;
  if (d?.error?.fields && typeof d.error.fields === 'object') return d.error.fields as Record<string, string>;
  if (Array.isArray(d?.errors)) {
    const out: Record<string, string> = {};
    for (const e of d.errors) if (e && typeof e.field === 'string') out[e.field] ||= String(e.message ?? '');
    return out;
  }
  return err.status === 422 ? { '': err.message } : null;
}

// ---- formatting --------------------------------------------------------------

/** A duration, humanised in the console's language: "45 s", "1 min 20 s", "2 h 05 min", "3 d 4 h"; null → "—". */
export function fmtMs(ms: number | null | undefined): string {
  // A number and its unit never part at the end of a line ("1 min 32 s" may break only between the two).
  return durText(ms).replace(/(\d) /g, '$1\u00a0');
}

function durText(ms: number | null | undefined): string {
  if (ms == null || !isFinite(ms)) return '—';
  const v = Math.max(0, Math.round(ms / 1000));
  if (ms > 0 && v === 0) return t('dur.s', { n: '<1' });
  if (v < 60) return t('dur.s', { n: v });
  if (v < 3600) return v % 60 ? t('dur.min', { m: Math.floor(v / 60), s: v % 60 }) : t('dur.m', { m: v / 60 });
  if (v < 86400) return t('dur.h', { h: Math.floor(v / 3600), m: String(Math.floor((v % 3600) / 60)).padStart(2, '0') });
  return t('rp.durDays', { d: Math.floor(v / 86400), h: Math.floor((v % 86400) / 3600) });
}

/** A share 0..1 as a percentage in the console's language ("12.5%"); null → "—". */
export function fmtShare(x: number | null | undefined, digits = 1): string {
  if (x == null || !isFinite(x)) return '—';
  try {
    return new Intl.NumberFormat(getLang(), { style: 'percent', maximumFractionDigits: digits }).format(x);
  } catch {
    return `${Math.round(x * 1000) / 10}%`;
  }
}

export function fmtCount(n: number): string {
  try {
    return new Intl.NumberFormat(getLang()).format(n);
  } catch {
    return String(n);
  }
}

/** YYYY-MM-DD in the console's language: "3 Nov" (short) or "Monday 3 November 2025" (long). */
export function fmtIsoDate(date: string, style: 'short' | 'long' = 'short'): string {
  const ms = dayStart(date) + 12 * 3600e3;
  try {
    const o: Intl.DateTimeFormatOptions = style === 'short' ? { day: 'numeric', month: 'short' } : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
    return new Intl.DateTimeFormat(getLang(), o).format(ms);
  } catch {
    return date;
  }
}

export function channelLabel(c: string): string {
  const key = `channel.${c}` as StringKey;
  const s = t(key);
  return s === key ? c : s;
}

export const hourRange = (h: number) => `${String(h).padStart(2, '0')}:00–${String((h + 1) % 24).padStart(2, '0')}:00`;
