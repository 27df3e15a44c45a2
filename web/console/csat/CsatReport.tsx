// The CSAT part of the reports: GET /reports/csat for the period the page picks —
// the share of satisfied ratings with its 95% interval, the ratings by score (a
// bar chart that is a table: the bars are drawn in its cells), the agents ranked
// by the interval's lower end (a "few ratings" badge under 5), per channel, the
// latest comments (as text), and the same ratings as a CSV download.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { fmtDateTime, getLang, t, type StringKey } from '../i18n';
import { errorText, navigate } from '../store';
import { ErrorNotice, StatCard, TableHead } from '../components/Common';
import { IconDownload } from '../components/Icons';
import { Score } from './RatingNote';
import './csat.css';

interface Tally {
  responses: number;
  positive: number;
  csat_pct: number | null;
  csat_low_pct: number;
  csat_high_pct: number;
  low_sample: boolean;
}
interface AgentRow extends Tally {
  agent_id: number;
  agent_name: string;
  rank: number;
}
interface ChannelRow extends Tally {
  channel: string;
}
interface Comment {
  conversation_id: number;
  score: number;
  scale: string;
  positive: boolean;
  comment: string;
  agent_name: string;
  at: number;
}
export interface CsatReportData extends Tally {
  from: number;
  to: number;
  by_agent: AgentRow[];
  by_channel: ChannelRow[];
  distribution: Record<string, Record<string, number>>;
  comments: Comment[];
  truncated: boolean;
}

/** 87.5 -> "87.5%" in the console's language; null -> "—". */
export function pct(v: number | null | undefined): string {
  if (v == null || !isFinite(v)) return '—';
  try {
    return new Intl.NumberFormat(getLang(), { style: 'percent', maximumFractionDigits: 1 }).format(v / 100);
  } catch {
    return `${v}%`;
  }
}

const range = (r: Tally) => (r.responses ? t('csat.range', { low: pct(r.csat_low_pct), high: pct(r.csat_high_pct) }) : '—');

function channelName(c: string): string {
  const key = `channel.${c}` as StringKey;
  const s = t(key);
  return s === key ? c : s;
}

/** A score's words in the distribution: "3 · Very satisfied", "4 stars", "Thumb up". */
function scoreLabel(scale: string, score: string): string {
  if (scale === 'thumbs') return t(score === '1' ? 'csat.up' : 'csat.down');
  if (scale === '5') return score === '1' ? t('csat.star') : t('csat.stars', { n: score });
  return `${score} · ${t(`csat.s3_${score}` as StringKey)}`;
}

function Few() {
  return (
    <span class="badge badge-compact csat-few" title={t('csat.fewHint')} data-testid="csat-few">
      {t('csat.few')}
    </span>
  );
}

export function CsatReport({ days }: { days: number }) {
  const [report, setReport] = useState<CsatReportData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [span, setSpan] = useState<{ from: number; to: number } | null>(null);
  useEffect(() => {
    let live = true;
    setReport(null);
    setError(null);
    const to = Date.now();
    const from = to - days * 86400000;
    setSpan({ from, to });
    api
      .get<CsatReportData>(`/reports/csat?from=${from}&to=${to}`)
      .then((r) => live && setReport(r))
      .catch((err) => live && !(err instanceof ApiError && err.status === 401) && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [days]);
  const csv = span ? `/api/v1/reports/csat?from=${span.from}&to=${span.to}&format=csv` : undefined;
  return (
    <section class="card form-section csat-report" aria-labelledby="csat-report-title" data-testid="csat-report">
      <header class="csat-head">
        <h2 id="csat-report-title">{t('csat.report')}</h2>
        {csv && (
          <a class="btn btn-ghost btn-sm" href={csv} download="csat.csv" data-testid="csat-csv">
            <IconDownload size={15} /> {t('csat.download')}
          </a>
        )}
      </header>
      <p class="muted small">{t('csat.reportHint')}</p>
      <ErrorNotice error={error} />
      {!error && !report && <p class="muted">{t('common.loading')}</p>}
      {report && <Body r={report} />}
    </section>
  );
}

function Body({ r }: { r: CsatReportData }) {
  if (r.responses === 0) return <p class="muted small" data-testid="csat-none">{t('csat.none')}</p>;
  return (
    <>
      {r.truncated && <p class="notice notice-warn">{t('csat.truncated')}</p>}
      <ul class="stat-row">
        <StatCard
          label={t('csat.pct')}
          value={pct(r.csat_pct)}
          testid="csat-pct"
          tone={r.csat_pct == null ? null : r.csat_pct >= 80 ? 'good' : r.csat_pct < 50 ? 'bad' : null}
          sub={
            <>
              {t('csat.interval')}: <span data-testid="csat-range">{range(r)}</span> {r.low_sample && <Few />}
            </>
          }
        />
        <StatCard label={t('csat.responses')} value={r.responses} testid="csat-responses" />
        <StatCard label={t('csat.positive')} value={r.positive} testid="csat-positive" />
      </ul>
      <Distribution d={r.distribution} />
      <h3 class="subheading">{t('csat.byAgent')}</h3>
      <p class="muted small">{t('csat.rankHint')}</p>
      <div class="table-scroll">
        <table class="table table-compact csat-table" data-testid="csat-agents">
          <TableHead
            cols={[
              { label: t('csat.colRank'), class: 'num csat-wide' },
              t('csat.colAgent'),
              { label: t('csat.responses'), class: 'num' },
              { label: t('csat.pct'), class: 'num' },
              { label: t('csat.interval'), class: 'csat-wide' },
            ]}
          />
          <tbody>
            {r.by_agent.map((a) => (
              <tr key={a.agent_id} data-testid="csat-agent-row" data-rank={a.rank}>
                <td class="num csat-wide">#{a.rank}</td>
                <td>
                  <span class="csat-narrow">#{a.rank} </span>
                  {a.agent_name} {a.low_sample && <Few />}
                </td>
                <td class="num">{a.responses}</td>
                <Share row={a} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 class="subheading">{t('csat.byChannel')}</h3>
      <div class="table-scroll">
        <table class="table table-compact csat-table" data-testid="csat-channels">
          <TableHead cols={[t('csat.colChannel'), { label: t('csat.responses'), class: 'num' }, { label: t('csat.pct'), class: 'num' }, { label: t('csat.interval'), class: 'csat-wide' }]} />
          <tbody>
            {r.by_channel.map((c) => (
              <tr key={c.channel}>
                <td>
                  {channelName(c.channel)} {c.low_sample && <Few />}
                </td>
                <td class="num">{c.responses}</td>
                <Share row={c} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 class="subheading">{t('csat.comments')}</h3>
      {r.comments.length === 0 ? (
        <p class="muted small">{t('csat.noComments')}</p>
      ) : (
        <ul class="csat-comments" data-testid="csat-comments">
          {r.comments.map((c) => (
            <li key={c.conversation_id + ':' + c.at} data-testid="csat-comment">
              <div class="csat-comment-meta">
                <Score score={c.score} scale={c.scale} />
                <span class="muted small">
                  {c.agent_name && <>{c.agent_name} · </>}
                  {fmtDateTime(c.at)} ·{' '}
                  <a
                    href={`/console/c/${c.conversation_id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ section: 'inbox', view: 'all', status: 'closed', convId: c.conversation_id });
                    }}
                  >
                    {t('csat.conversation', { id: c.conversation_id })}
                  </a>
                </span>
              </div>
              <blockquote class="csat-comment-text">{c.comment}</blockquote>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** CSAT and its interval: two cells, or on a narrow screen one (the interval under the figure). */
function Share({ row }: { row: Tally }) {
  return (
    <>
      <td class="num">
        {pct(row.csat_pct)}
        <span class="csat-narrow csat-range-sub">{range(row)}</span>
      </td>
      <td class="csat-range csat-wide">{range(row)}</td>
    </>
  );
}

/** Ratings by score, one table per scale in use: the bar in its cell is the chart (hidden from screen readers, the numbers are there). */
function Distribution({ d }: { d: CsatReportData['distribution'] }) {
  const scales = (['3', '5', 'thumbs'] as const).filter((s) => d[s]);
  if (!scales.length) return null;
  return (
    <>
      <h3 class="subheading">{t('csat.distribution')}</h3>
      <div class="csat-dists">
        {scales.map((s) => {
          const counts = d[s];
          // Best first: 3..1, 5..1, up then down.
          const scores = Object.keys(counts).sort((a, b) => Number(b) - Number(a));
          const total = scores.reduce((n, k) => n + counts[k], 0);
          const most = Math.max(1, ...scores.map((k) => counts[k]));
          return (
            <table key={s} class="table table-compact csat-dist" data-testid={'csat-dist-' + s}>
              <caption>{t(`csat.scale_${s}` as StringKey)}</caption>
              <TableHead cols={[t('csat.colScore'), { label: t('csat.responses'), class: 'num' }, { label: t('csat.colShare'), class: 'num' }]} />
              <tbody>
                {scores.map((k) => (
                  <tr key={k} data-score={k}>
                    <th scope="row">{scoreLabel(s, k)}</th>
                    <td class="num csat-bar-cell">
                      <span class="csat-bar" aria-hidden="true">
                        {counts[k] > 0 && <span class={'csat-bar-fill csat-' + s + '-' + k} style={{ width: `${(100 * counts[k]) / most}%` }} />}
                      </span>
                      {counts[k]}
                    </td>
                    <td class="num">{total ? pct((100 * counts[k]) / total) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        })}
      </div>
    </>
  );
}
