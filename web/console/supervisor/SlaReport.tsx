// The SLA report in Reports: achieved share per metric, first-response times
// (percentiles of answered tickets) and breaches by policy, metric and priority,
// over tickets created in the period — GET /reports/sla?from&to.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t, type StringKey } from '../i18n';
import { errorText, navigate } from '../store';
import { formatRoute } from '../router';
import type { Conversation } from '../types';
import { ErrorNotice, StatCard, TableHead } from '../components/Common';
import { fmtSlaDuration, SlaBadgeView, type SlaClocks } from '../components/SlaBadge';

interface MetricFigures {
  measured: number;
  achieved: number;
  achieved_percent: number | null;
}
export interface SlaReportData {
  tickets: number;
  breaches: { policy: string; metric: string; priority: string; breaches: number }[];
  metrics: Record<'first_response' | 'next_response' | 'resolution', MetricFigures>;
  first_response: { count: number; p50_ms: number; p90_ms: number; p95_ms: number; max_ms: number };
}

const DAY = 86_400_000;
const pct = (m: MetricFigures) => (m.achieved_percent == null ? '—' : `${Math.round(m.achieved_percent)} %`);

export function SlaReportView({ report }: { report: SlaReportData }) {
  const fr = report.first_response;
  return (
    <>
      <ul class="stat-row">
        <StatCard label={t('sla.reportTickets')} value={report.tickets} testid="sla-stat-tickets" />
        <StatCard label={t('sla.achievedFirst')} value={pct(report.metrics.first_response)} testid="sla-stat-first" tone="good" />
        <StatCard label={t('sla.achievedResolution')} value={pct(report.metrics.resolution)} testid="sla-stat-resolution" />
        <StatCard label={t('sla.p50')} value={fr.count ? fmtSlaDuration(fr.p50_ms) : '—'} testid="sla-stat-p50" />
        <StatCard label={t('sla.p90')} value={fr.count ? fmtSlaDuration(fr.p90_ms) : '—'} />
      </ul>
      <h3 class="subheading">{t('sla.breaches')}</h3>
      {report.breaches.length === 0 ? (
        <p class="muted small" data-testid="sla-no-breaches">{t('sla.noBreaches')}</p>
      ) : (
        <table class="table table-compact" data-testid="sla-breaches">
          <TableHead cols={[t('sla.name'), t('sla.colMetric'), t('sla.colPriority'), { label: t('sla.breaches'), class: 'num' }]} />
          <tbody>
            {report.breaches.map((b, i) => (
              <tr key={i}>
                <td>{b.policy}</td>
                <td>{t(`sla.metric.${b.metric}` as StringKey)}</td>
                <td>{t(`ticket.priority.${b.priority}` as StringKey)}</td>
                <td class="num">{b.breaches}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function SlaReport({ days }: { days: number }) {
  const [report, setReport] = useState<SlaReportData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setReport(null);
    const to = Date.now();
    api
      .get<SlaReportData>(`/reports/sla?from=${to - days * DAY}&to=${to}`)
      .then((r) => live && setReport(r))
      .catch((err) => live && !(err instanceof ApiError && err.status === 401) && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [days]);
  return (
    <section class="card form-section" aria-labelledby="sla-report-title" data-testid="sla-report">
      <h2 id="sla-report-title">{t('sla.report')}</h2>
      <p class="muted small">{t('sla.reportHint')}</p>
      <ErrorNotice error={error} />
      {!error && (report ? <SlaReportView report={report} /> : <p class="muted">{t('common.loading')}</p>)}
    </section>
  );
}

type AtRiskTicket = Conversation & { sla: SlaClocks };

/** Tickets breaching soon or breached now, soonest first — GET /sla/at-risk. */
export function BreachingSoon() {
  const [data, setData] = useState<{ count: number; tickets: AtRiskTicket[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ count: number; tickets: AtRiskTicket[] }>('/sla/at-risk')
      .then(setData)
      .catch((err) => !(err instanceof ApiError && err.status === 401) && setError(errorText(err)));
  }, []);
  const now = Date.now();
  return (
    <section class="card form-section" aria-labelledby="sla-risk-title" data-testid="sla-at-risk">
      <h2 id="sla-risk-title">
        {t('sla.breachingSoon')} {data && <span class="nav-count sla-count" data-testid="sla-at-risk-count">{data.count}</span>}
      </h2>
      <ErrorNotice error={error} />
      {!data ? (
        !error && <p class="muted">{t('common.loading')}</p>
      ) : data.tickets.length === 0 ? (
        <p class="muted small">{t('sla.nothingAtRisk')}</p>
      ) : (
        <table class="table table-compact">
          <TableHead cols={[t('sla.colTicket'), t('sla.colCustomer'), t('sla.colClock')]} />
          <tbody>
            {data.tickets.slice(0, 20).map((c) => {
              const route = { section: 'inbox', view: 'all', status: 'open', convId: c.id } as const;
              return (
                <tr key={c.id}>
                  <td>
                    <a
                      href={formatRoute(route)}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(route);
                      }}
                    >
                      #{c.id} {c.subject}
                    </a>
                  </td>
                  <td>{c.contact?.name || c.contact?.email}</td>
                  <td>
                    <SlaBadgeView clocks={c.sla} now={now} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
