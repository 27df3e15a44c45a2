// The drill-down: which conversations a figure counts (GET /reports/drill) — for
// the whole period, one day (a bar of the daily chart) or one hour of the week (a
// heat-map cell) — newest first, at most 200, each a link into the conversation.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { fmtDateTime, t, weekdayName, type StringKey } from '../i18n';
import { errorText, navigate } from '../store';
import { ErrorNotice, TableHead } from '../components/Common';
import { IconX } from '../components/Icons';
import { CsvLink } from './ChartBox';
import { apiQuery, channelLabel, csvHref, fmtCount, fmtIsoDate, fmtMs, hourRange, METRICS, type Drill, type DrillReport, type Filters, type Metric } from './model';

export function drillScope(d: Drill): string {
  if (d.day) return fmtIsoDate(d.day, 'long');
  if (d.weekday != null && d.hour != null) return t('rp.scopeHour', { day: weekdayName(d.weekday), hours: hourRange(d.hour) });
  return t('rp.scopePeriod');
}

export function DrillList({
  drill,
  filters,
  range,
  onChange,
  onClose,
  focusToken,
}: {
  drill: Drill;
  filters: Filters;
  range: { from: number; to: number };
  onChange: (d: Drill) => void;
  onClose: () => void;
  /** Changes when a figure was just picked: the heading takes the focus. */
  focusToken: number;
}) {
  const [data, setData] = useState<DrillReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const extra = { metric: drill.metric, day: drill.day, weekday: drill.weekday, hour: drill.hour };
  const q = apiQuery(filters, range, extra);

  useEffect(() => {
    const ctl = new AbortController();
    setData(null);
    setError(null);
    api
      .get<DrillReport>(`/reports/drill?${q}`, { signal: ctl.signal })
      .then((r) => setData(r))
      .catch((err) => {
        if ((err as Error)?.name === 'AbortError' || (err instanceof ApiError && err.status === 401)) return;
        setError(errorText(err));
      });
    return () => ctl.abort();
  }, [q]);

  useEffect(() => {
    if (focusToken && heading.current) {
      heading.current.focus({ preventScroll: true });
      heading.current.closest('section')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }, [focusToken]);

  const rows = data?.conversations ?? [];
  return (
    <section class="card rp-drill" aria-labelledby="rp-drill-title" data-testid="rp-drill">
      <header class="rp-chart-head">
        <h2 id="rp-drill-title" tabIndex={-1} ref={heading}>
          {t('rp.drillTitle', { scope: drillScope(drill) })}
        </h2>
        <div class="rp-chart-actions">
          <label class="rp-inline-field">
            <span class="sr-only">{t('rp.drillWhich')}</span>
            <select value={drill.metric} onChange={(e) => onChange({ ...drill, metric: e.currentTarget.value as Metric })} data-testid="rp-drill-metric">
              {METRICS.map((m) => (
                <option key={m} value={m}>
                  {t(`rp.metric.${m}` as StringKey)}
                </option>
              ))}
            </select>
          </label>
          <CsvLink href={csvHref('drill', filters, range, extra)} name="conversations.csv" testid="rp-drill-csv" label={t('rp.csvOf', { name: t('rp.drillCsvName') })} />
          <button type="button" class="icon-button" onClick={onClose} aria-label={t('rp.drillClose')} data-testid="rp-drill-close">
            <IconX />
          </button>
        </div>
      </header>
      <ErrorNotice error={error} />
      {!error && !data && <p class="muted rp-pad">{t('common.loading')}</p>}
      {data && (
        <p class="muted small rp-pad" role="status" data-testid="rp-drill-count">
          {data.total > rows.length ? t('rp.drillSome', { shown: fmtCount(rows.length), total: fmtCount(data.total) }) : data.total === 1 ? t('rp.drillOne') : t('rp.drillAll', { n: fmtCount(data.total) })}
        </p>
      )}
      {data && rows.length > 0 && (
        <div class="table-scroll">
          <table class="table table-compact rp-table rp-stack" data-testid="rp-drill-table">
            <TableHead
              cols={[
                t('rp.colConversation'),
                t('rp.colChannel'),
                t('rp.colAgent'),
                t('rp.colStarted'),
                { label: t('rp.colFirstResponse'), class: 'num' },
                t('rp.colStatus'),
                t('rp.colRating'),
              ]}
            />
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} data-testid="rp-drill-row" data-id={c.id}>
                  <td class="rp-lead">
                    <a
                      href={`/console/c/${c.id}`}
                      onClick={(e) => {
                        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                        e.preventDefault();
                        navigate({ section: 'inbox', view: 'all', status: c.status === 'closed' ? 'closed' : 'open', convId: c.id });
                      }}
                      data-testid="rp-drill-link"
                    >
                      #{c.id}
                    </a>
                    <span class="rp-narrow"> · {channelLabel(c.channel)}</span>
                  </td>
                  <td class="rp-wide">{channelLabel(c.channel)}</td>
                  <td data-label={t('rp.colAgent')}>{c.agent_name || <span class="muted">{t('rp.nobody')}</span>}</td>
                  <td class="rp-nowrap" data-label={t('rp.colStarted')}>{fmtDateTime(c.created_at)}</td>
                  <td class="num" data-label={t('rp.colFirstResponse')}>{c.first_response_ms == null ? <span class="muted">{t('rp.noReply')}</span> : fmtMs(c.first_response_ms)}</td>
                  <td class="rp-status-cell">
                    <span class={'badge badge-compact rp-status rp-status-' + c.status}>{t(c.status === 'closed' ? 'rp.statusClosed' : 'rp.statusOpen')}</span>
                  </td>
                  <td data-label={t('rp.colRating')}>{c.rated_positive == null ? <span class="muted">—</span> : c.rated_positive ? <span class="rp-good">{t('rp.ratedGood')}</span> : <span class="rp-bad">{t('rp.ratedBad')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
