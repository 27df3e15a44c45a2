// The complaints part of the reports section: GET /reports/complaints for the
// period the page picks (open, resolved, time to resolve, categories,
// recurrence, the playbook steps most often skipped).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import type { StringKey } from '../i18n/en';
import { errorText } from '../store';
import { ErrorNotice, StatCard, TableHead } from '../components/Common';
import { categoryLabel } from './ComplaintPanel';
import './complaints.css';

interface Report {
  total: number;
  open: number;
  resolved: number;
  time_to_resolve: { count: number; median_ms: number | null; p90_ms: number | null };
  by_category: { category: string | null; total: number; open: number; resolved: number; repeats: number }[];
  recurrence: { days: number; contact_repeats: number; same_category_repeats: number; repeat_contacts: number };
  skipped_steps: { step: string; skipped: number; of: number }[];
}

/** 95 min -> "1 h 35 min"; 3 days -> "3 d 0 h"; under a minute -> "< 1 min". */
export function fmtSpan(ms: number | null): string {
  if (ms == null) return '—';
  if (ms < 60000) return '< 1 min';
  const min = Math.round(ms / 60000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function ComplaintsReport({ days }: { days: number }) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setReport(null);
    setError(null);
    const to = Date.now();
    api
      .get<Report>(`/reports/complaints?from=${to - days * 86400000}&to=${to}`)
      .then((r) => live && setReport(r))
      .catch((err) => live && !(err instanceof ApiError && err.status === 401) && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [days]);
  return (
    <section class="card form-section complaints-report" aria-labelledby="complaints-report-title" data-testid="complaints-report">
      <h2 id="complaints-report-title">{t('complaints.report')}</h2>
      <p class="muted small">{t('complaints.reportHint')}</p>
      <ErrorNotice error={error} />
      {!error && !report && <p class="muted">{t('common.loading')}</p>}
      {report && <ReportBody r={report} />}
    </section>
  );
}

function ReportBody({ r }: { r: Report }) {
  if (r.total === 0) return <p class="muted small">{t('complaints.none')}</p>;
  const skipped = r.skipped_steps.filter((s) => s.skipped > 0);
  return (
    <>
      <ul class="stat-row">
        <StatCard label={t('complaints.total')} value={r.total} testid="complaints-total" />
        <StatCard label={t('complaints.open')} value={r.open} testid="complaints-open" tone={r.open ? 'bad' : null} />
        <StatCard label={t('complaints.resolved')} value={r.resolved} testid="complaints-resolved" tone="good" />
        <StatCard label={t('complaints.median')} value={fmtSpan(r.time_to_resolve.median_ms)} testid="complaints-median" />
        <StatCard label={t('complaints.p90')} value={fmtSpan(r.time_to_resolve.p90_ms)} />
      </ul>
      <h3 class="subheading">{t('complaints.recurrence', { days: String(r.recurrence.days) })}</h3>
      <p class="muted small">{t('complaints.recurrenceHint')}</p>
      <ul class="stat-row">
        <StatCard label={t('complaints.contactRepeats')} value={r.recurrence.contact_repeats} testid="complaints-repeats" />
        <StatCard label={t('complaints.sameCategory')} value={r.recurrence.same_category_repeats} />
        <StatCard label={t('complaints.repeatContacts')} value={r.recurrence.repeat_contacts} />
      </ul>
      <h3 class="subheading">{t('complaints.byCategory')}</h3>
      <table class="table table-compact" data-testid="complaints-categories">
        <TableHead
          cols={[
            t('complaints.colCategory'),
            { label: t('complaints.total'), class: 'num' },
            { label: t('complaints.open'), class: 'num' },
            { label: t('complaints.resolved'), class: 'num' },
            { label: t('complaints.colRepeats'), class: 'num' },
          ]}
        />
        <tbody>
          {r.by_category.map((c) => (
            <tr key={c.category ?? ''}>
              <td>{categoryLabel(c.category)}</td>
              <td class="num">{c.total}</td>
              <td class="num">{c.open}</td>
              <td class="num">{c.resolved}</td>
              <td class="num">{c.repeats}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {skipped.length > 0 && (
        <>
          <h3 class="subheading">{t('complaints.skipped', { count: String(r.resolved) })}</h3>
          <table class="table table-compact" data-testid="complaints-skipped">
            <TableHead cols={[t('complaints.colStep'), { label: t('complaints.colSkipped'), class: 'num' }]} />
            <tbody>
              {skipped.map((s) => (
                <tr key={s.step}>
                  <td>{t(`complaint.step.${s.step}` as StringKey)}</td>
                  <td class="num">
                    {s.skipped} / {s.of}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
