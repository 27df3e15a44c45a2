// The SLA badge in a ticket's header: the most urgent running clock's time left
// (or overdue), coloured ok / at risk / breached, with the whole sentence for
// screen readers (compact, in the header: the time alone; the metric is in the
// label and tooltip; with no room at all, the coloured dot). Fetched when the ticket changes (GET /conversations/:id/sla);
// between changes it counts down by itself once a minute, from the due instants.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtDateTime, t, type StringKey } from '../i18n';
import type { Conversation } from '../types';
import './sla.css';

export type SlaMetric = 'first_response' | 'next_response' | 'resolution';
export interface SlaClock {
  state: 'none' | 'running' | 'paused' | 'achieved';
  badge: 'none' | 'ok' | 'at_risk' | 'breached';
  due_at: number | null;
  at_risk_at: number | null;
  left_ms?: number;
  breached?: boolean;
}
export type SlaClocks = { policy: string | null; badge: string } & Partial<Record<SlaMetric, SlaClock>>;

const METRICS: SlaMetric[] = ['first_response', 'next_response', 'resolution'];
const MINUTE = 60_000;

/** "45 min", "5 h 20 min", "3 d 4 h". */
export function fmtSlaDuration(ms: number): string {
  const m = Math.max(0, Math.round(Math.abs(ms) / MINUTE));
  if (m < 60) return t('sla.minutes', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('sla.hoursMinutes', { h, m: m % 60 });
  return t('sla.daysHours', { d: Math.floor(h / 24), h: h % 24 });
}

/** The clock to show: the running one due first; else a paused one. */
export function urgentClock(c: SlaClocks): [SlaMetric, SlaClock] | null {
  let best: [SlaMetric, SlaClock] | null = null;
  for (const m of METRICS) {
    const clock = c[m];
    if (!clock || clock.state !== 'running' || clock.due_at == null) continue;
    if (!best || clock.due_at < (best[1].due_at ?? Infinity)) best = [m, clock];
  }
  if (best) return best;
  for (const m of METRICS) if (c[m]?.state === 'paused' && c[m]?.badge !== 'none') return [m, c[m]!];
  return null;
}

/** ok | at_risk | breached at `now`, from the instants (no refetch needed). */
export function levelAt(clock: SlaClock, now: number): 'ok' | 'at_risk' | 'breached' | 'paused' {
  if (clock.state === 'paused') return clock.breached ? 'breached' : 'paused';
  if (clock.breached || (clock.due_at != null && now >= clock.due_at)) return 'breached';
  if (clock.at_risk_at != null && now >= clock.at_risk_at) return 'at_risk';
  return 'ok';
}

/** Re-renders every minute. */
function useMinute(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), MINUTE);
    return () => clearInterval(id);
  }, []);
  return now;
}

export function SlaBadgeView({ clocks, now, compact }: { clocks: SlaClocks | null; now: number; compact?: boolean }) {
  if (!clocks?.policy) return null;
  const pick = urgentClock(clocks);
  if (!pick) return null;
  const [metric, clock] = pick;
  const level = levelAt(clock, now);
  const name = t(`sla.metric.${metric}` as StringKey);
  const left = clock.due_at != null ? clock.due_at - now : clock.left_ms ?? 0;
  const short =
    level === 'paused' ? t('sla.paused') : level === 'breached' ? t('sla.overdue', { time: fmtSlaDuration(left) }) : t('sla.left', { time: fmtSlaDuration(left) });
  const label = t('sla.label', { metric: name, state: t(`sla.state.${level}` as StringKey), time: short });
  return (
    <span
      class={`badge badge-sla sla-${level}` + (compact ? ' badge-compact' : '')}
      role="status"
      title={`${label} (${clocks.policy})`}
      aria-label={label}
      data-testid="sla-badge"
      data-level={level}
    >
      <span>{compact ? short : `${name} · ${short}`}</span>
    </span>
  );
}

// The header's badge and the properties' details show one ticket's clocks: they
// share one request per state of the ticket instead of asking twice. A fetch is
// reused for a short while only, so a policy an admin changed shows soon.
const SHARED_MS = 20_000;
const shared = new Map<number, { key: string; at: number; clocks: Promise<SlaClocks> }>();

function fetchClocks(id: number, key: string): Promise<SlaClocks> {
  const now = Date.now();
  const hit = shared.get(id);
  if (hit && hit.key === key && now - hit.at < SHARED_MS) return hit.clocks;
  for (const [k, v] of shared) if (now - v.at >= SHARED_MS) shared.delete(k);
  const clocks = api.get<SlaClocks>(`/conversations/${id}/sla`);
  shared.set(id, { key, at: now, clocks });
  clocks.catch(() => {
    if (shared.get(id)?.clocks === clocks) shared.delete(id);
  });
  return clocks;
}

/** A ticket's clocks, refetched when the ticket changes (null: not a ticket, or not loaded). */
function useSlaClocks(conv: Conversation): SlaClocks | null {
  const [clocks, setClocks] = useState<SlaClocks | null>(null);
  const ticket = conv.ticket;
  useEffect(() => {
    if (!ticket) return;
    let live = true;
    fetchClocks(conv.id, `${conv.last_seq}:${ticket.status}:${ticket.priority}`)
      .then((c) => live && setClocks(c))
      .catch(() => live && setClocks(null));
    return () => {
      live = false;
    };
  }, [conv.id, conv.last_seq, ticket?.status, ticket?.priority]);
  return ticket ? clocks : null;
}

/** The badge for a ticket, refetched when the ticket changes. */
export function SlaBadge({ conv, compact }: { conv: Conversation; compact?: boolean }) {
  const clocks = useSlaClocks(conv);
  const now = useMinute();
  return <SlaBadgeView clocks={clocks} now={now} compact={compact} />;
}

/** In the ticket's properties: the clock in words (the header has room for the time only), its policy and when it is due. */
export function SlaDetails({ conv }: { conv: Conversation }) {
  const clocks = useSlaClocks(conv);
  const now = useMinute();
  const pick = clocks?.policy ? urgentClock(clocks) : null;
  if (!clocks?.policy || !pick) return null;
  const due = pick[1].due_at;
  return (
    <div class="field sla-details" data-testid="tp-sla">
      <span class="field-label">{t('tickets.sla')}</span>
      <div>
        <SlaBadgeView clocks={clocks} now={now} />
      </div>
      <span class="muted small">{due != null ? t('tickets.slaDue', { policy: clocks.policy, time: fmtDateTime(due) }) : clocks.policy}</span>
    </div>
  );
}
