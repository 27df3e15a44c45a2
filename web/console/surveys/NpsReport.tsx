// Reports → NPS (Q2): one survey over a period (both in the address: ?survey=3&
// period=7d, so the report can be linked) — GET /reports/nps: the score (% promoters
// − % detractors, −100..+100) with its 95% interval, promoters / passives /
// detractors as a stacked bar with their numbers, the score and answers per day
// (Chart.js, loaded on first use, with its table), each question's answers (the
// 0–10 or 1–5 distribution, the choices counted, the latest written answers — as
// text), and every response as CSV. Supervisors get a survey link here too.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import { ApiError, api } from '../api';
import { fmtDateTime, getLang, t, type StringKey } from '../i18n';
import { errorText, isAdmin, navigate, useStore } from '../store';
import { ErrorNotice, FieldError } from '../components/Common';
import { IconLink, IconRotate } from '../components/Icons';
import { ChartBox, CsvLink, cssColor } from '../reports/ChartBox';
import { browserZone, fieldProblems, fmtCount, fmtIsoDate, isoDate, presetDays, PRESETS, rangeOf, DEFAULT_FILTERS, type Preset } from '../reports/model';
import { fmtScore, listSurveys, noEndpoint, type NpsReport as Report, type QuestionSummary, type Survey } from './surveysApi';
import { TYPE_LABEL } from './SurveyEditor';
import { LinkDialog } from './LinkDialog';
import './surveys.css';

interface NpsQuery {
  survey: number | null;
  period: Preset;
  from: string;
  to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseNpsQuery(query: string): NpsQuery {
  const q = new URLSearchParams(query);
  const id = Number(q.get('survey'));
  const period = q.get('period');
  const out: NpsQuery = {
    survey: Number.isInteger(id) && id > 0 ? id : null,
    period: period && (PRESETS as readonly string[]).includes(period) ? (period as Preset) : '30d',
    from: DATE.test(q.get('from') ?? '') ? q.get('from')! : '',
    to: DATE.test(q.get('to') ?? '') ? q.get('to')! : '',
  };
  if (out.period === 'custom' && (!out.from || !out.to)) {
    const r = presetDays('30d');
    out.from ||= r.from;
    out.to ||= r.to;
  }
  return out;
}

export function formatNpsQuery(f: NpsQuery): string {
  const q = new URLSearchParams();
  if (f.survey != null) q.set('survey', String(f.survey));
  if (f.period !== '30d') q.set('period', f.period);
  if (f.period === 'custom') {
    q.set('from', f.from);
    q.set('to', f.to);
  }
  return q.toString();
}

/** The survey a report opens on: the one asked for, else the first active one with an NPS question, else any. */
function defaultSurvey(list: Survey[], asked: number | null): Survey | null {
  return list.find((s) => s.id === asked) ?? list.find((s) => s.status === 'active' && s.questions.some((q) => q.type === 'nps')) ?? list.find((s) => s.status === 'active') ?? list[0] ?? null;
}

function pct(part: number, whole: number): string {
  if (!whole) return '—';
  try {
    return new Intl.NumberFormat(getLang(), { style: 'percent', maximumFractionDigits: 0 }).format(part / whole);
  } catch {
    return `${Math.round((100 * part) / whole)}%`;
  }
}

/** Under this many NPS answers the score and its interval are said to be rough. */
const FEW = 10;

let lastQuery = '';
/** The NPS tab's filters as last seen, for the tab's link. */
export const npsQuery = () => lastQuery;

export function NpsReport({ query }: { query: string }) {
  useStore((s) => s.lang);
  const admin = useStore((s) => isAdmin(s.me));
  const f = useMemo(() => parseNpsQuery(query), [query]);
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string> | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [linkFor, setLinkFor] = useState<Survey | null>(null);
  lastQuery = query;

  useEffect(() => {
    const ctl = new AbortController();
    listSurveys(ctl.signal)
      .then((l) => setSurveys(l))
      .catch((err) => {
        if ((err as Error)?.name === 'AbortError') return;
        if (noEndpoint(err)) setMissing(true);
        else if (!(err instanceof ApiError && err.status === 401)) setListError(errorText(err));
        setSurveys([]);
      });
    return () => ctl.abort();
  }, []);

  const survey = surveys ? defaultSurvey(surveys, f.survey) : null;
  const filterKey = formatNpsQuery({ ...f, survey: survey?.id ?? null });
  const range = useMemo(() => rangeOf({ ...DEFAULT_FILTERS, period: f.period, from: f.from, to: f.to }), [filterKey, tick]);
  const zone = browserZone();
  const params = survey ? `survey_id=${survey.id}&from=${range.from}&to=${range.to}&tz=${encodeURIComponent(zone)}` : '';

  useEffect(() => {
    if (!survey) return;
    const ctl = new AbortController();
    setLoading(true);
    api
      .get<Report>(`/reports/nps?${params}`, { signal: ctl.signal })
      .then((r) => {
        setReport(r);
        setError(null);
        setProblems(null);
      })
      .catch((err) => {
        if ((err as Error)?.name === 'AbortError' || (err instanceof ApiError && err.status === 401)) return;
        const p = fieldProblems(err);
        setProblems(p);
        setError(p ? null : errorText(err));
        setReport(null);
      })
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [params]);

  const go = (patch: Partial<NpsQuery>) => navigate({ section: 'reports', tab: 'nps', query: formatNpsQuery({ ...f, survey: survey?.id ?? null, ...patch }) });
  function setPeriod(p: Preset) {
    if (p === 'custom') go({ period: p, ...(f.period === 'custom' ? { from: f.from, to: f.to } : presetDays(f.period)) });
    else go({ period: p, from: '', to: '' });
  }
  const today = isoDate(new Date());
  const err = (k: string) => problems?.[k] || null;
  const otherProblems = problems ? Object.entries(problems).filter(([k]) => !(f.period === 'custom' && (k === 'from' || k === 'to'))) : [];

  if (missing)
    return (
      <p class="notice notice-warn" data-testid="nps-unavailable">
        {t('sv.unavailable')}
      </p>
    );
  if (!surveys) return <p class="muted">{t('common.loading')}</p>;
  if (!survey)
    return (
      <section class="card form-section nps-empty" data-testid="nps-no-surveys">
        <ErrorNotice error={listError} />
        <h2>{t('nps.noSurveys')}</h2>
        <p class="muted">{admin ? t('nps.noSurveysAdmin') : t('nps.noSurveysAsk')}</p>
        {admin && (
          <p>
            <a
              class="btn btn-primary"
              href="/console/settings/surveys"
              onClick={(e) => {
                e.preventDefault();
                navigate({ section: 'settings', tab: 'surveys', inboxId: null });
              }}
            >
              {t('nps.createSurvey')}
            </a>
          </p>
        )}
      </section>
    );

  const csv = `/api/v1/reports/nps?${params}&format=csv`;
  const current = report && report.survey_id === survey.id ? report : null;
  const hasNps = survey.questions.some((q) => q.type === 'nps');

  return (
    <div class={'nps-report' + (loading ? ' is-loading' : '')} aria-busy={loading} data-testid="nps-report">
      <form class="card rp-filters" aria-label={t('rp.filters')} onSubmit={(e) => e.preventDefault()} data-testid="nps-filters">
        <label class="rp-field nps-survey-field">
          <span class="field-label">{t('nps.survey')}</span>
          <select value={String(survey.id)} onChange={(e) => go({ survey: Number(e.currentTarget.value) })} data-testid="nps-survey">
            {surveys.map((s) => (
              <option key={s.id} value={s.id}>
                {s.status === 'archived' ? t('nps.archivedOption', { name: s.name }) : s.name}
              </option>
            ))}
          </select>
        </label>
        <label class="rp-field rp-period">
          <span class="field-label">{t('rp.period')}</span>
          <select value={f.period} onChange={(e) => setPeriod(e.currentTarget.value as Preset)} data-testid="nps-period">
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(`rp.preset.${p}` as StringKey)}
              </option>
            ))}
          </select>
        </label>
        {f.period === 'custom' && (
          <>
            <label class="rp-field rp-date">
              <span class="field-label">{t('rp.from')}</span>
              <input type="date" value={f.from} max={f.to || today} required onChange={(e) => e.currentTarget.value && go({ from: e.currentTarget.value })} aria-invalid={err('from') ? true : undefined} aria-describedby={err('from') ? 'nps-err-from' : undefined} data-testid="nps-from" />
              <FieldError id="nps-err-from" error={err('from')} testid="nps-from-error" />
            </label>
            <label class="rp-field rp-date">
              <span class="field-label">{t('rp.to')}</span>
              <input type="date" value={f.to} min={f.from} max={today} required onChange={(e) => e.currentTarget.value && go({ to: e.currentTarget.value })} aria-invalid={err('to') ? true : undefined} aria-describedby={err('to') ? 'nps-err-to' : undefined} data-testid="nps-to" />
              <FieldError id="nps-err-to" error={err('to')} testid="nps-to-error" />
            </label>
          </>
        )}
        <div class="rp-filter-actions">
          {survey.status === 'active' && (
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => setLinkFor(survey)} data-testid="nps-get-link">
              <IconLink size={15} /> {t('sv.getLink')}
            </button>
          )}
          <button type="button" class="btn btn-secondary btn-sm rp-refresh" onClick={() => setTick((n) => n + 1)} data-testid="nps-refresh">
            <IconRotate size={15} /> {t('rp.refresh')}
          </button>
        </div>
      </form>
      <p class="muted small rp-zone">{t('rp.zone', { tz: zone })}</p>
      {otherProblems.length > 0 && (
        <p class="notice notice-error" role="alert" data-testid="nps-problems">
          {otherProblems.map(([k, m]) => (k ? `${k}: ${m}` : m)).join(' · ')}
        </p>
      )}
      <ErrorNotice error={error} testid="nps-error" />
      {current?.truncated && <p class="notice notice-warn">{t('nps.truncated')}</p>}

      {current && (
        <>
          <ScoreCard r={current} hasNps={hasNps} csv={csv} surveyName={survey.name} />
          {hasNps && current.nps.n > 0 && <DailyChart r={current} range={range} csv={csv} />}
          <section class="nps-questions" aria-labelledby="nps-questions-title">
            <h2 id="nps-questions-title" class="nps-section-title">
              {t('nps.questionsTitle')}
            </h2>
            {current.questions.map((q, i) => (
              <QuestionCard key={q.id} q={q} n={i + 1} responses={current.responses} />
            ))}
          </section>
        </>
      )}
      {linkFor && <LinkDialog survey={linkFor} onClose={() => setLinkFor(null)} />}
    </div>
  );
}

// ---- the score --------------------------------------------------------------------------------

function ScoreCard({ r, hasNps, csv, surveyName }: { r: Report; hasNps: boolean; csv: string; surveyName: string }) {
  const lang = getLang();
  const { n, promoters, passives, detractors, score, lower, upper } = r.nps;
  const tone = score == null ? '' : score >= 30 ? ' is-good' : score < 0 ? ' is-bad' : '';
  const groups = [
    { key: 'promoters', label: t('nps.promoters'), range: '9–10', n: promoters },
    { key: 'passives', label: t('nps.passives'), range: '7–8', n: passives },
    { key: 'detractors', label: t('nps.detractors'), range: '0–6', n: detractors },
  ];
  return (
    <section class="card nps-score-card" aria-labelledby="nps-score-title" data-testid="nps-score-card">
      <header class="rp-chart-head">
        <h2 id="nps-score-title">{t('nps.scoreTitle')}</h2>
        <div class="rp-chart-actions">
          <CsvLink href={csv} name={`survey-${r.survey_id}.csv`} testid="nps-csv" label={t('nps.csvLabel', { name: surveyName })} />
        </div>
      </header>
      {!hasNps ? (
        <p class="muted rp-pad nps-no-nps" data-testid="nps-no-question">
          {t('nps.noNpsQuestion', { n: fmtCount(r.responses) })}
        </p>
      ) : n === 0 ? (
        <p class="muted rp-pad" data-testid="nps-none">
          {r.responses ? t('nps.noNpsAnswers', { n: fmtCount(r.responses) }) : t('nps.none')}
        </p>
      ) : (
        <div class="nps-score-body">
          <div class={'nps-big' + tone}>
            <span class="nps-big-value" data-testid="nps-score">
              {fmtScore(score, lang)}
            </span>
            <span class="nps-big-label">{t('nps.scoreLabel')}</span>
            <span class="nps-interval" data-testid="nps-interval">
              {lower != null && upper != null ? t('nps.interval', { low: fmtScore(lower, lang), high: fmtScore(upper, lang) }) : '—'}
            </span>
            <span class="nps-n" data-testid="nps-n">
              {t('nps.nAnswers', { n: fmtCount(n) })}
              {r.responses !== n && <> · {t('nps.nResponses', { n: fmtCount(r.responses) })}</>}
            </span>
            {n < FEW && (
              <span class="badge badge-compact nps-few" title={t('nps.fewHint', { n: FEW })} data-testid="nps-few">
                {t('nps.few')}
              </span>
            )}
          </div>
          <div class="nps-split">
            {/* The bar is a picture of the list under it, which has the numbers. */}
            <div class="nps-bar" aria-hidden="true" data-testid="nps-bar">
              {groups.map((g) => g.n > 0 && <span key={g.key} class={'nps-seg nps-' + g.key} style={{ flexGrow: g.n }} title={`${g.label}: ${g.n}`} />)}
            </div>
            <ul class="nps-legend" aria-label={t('nps.splitLabel')}>
              {groups.map((g) => (
                <li key={g.key} class={'nps-legend-' + g.key} data-testid={'nps-' + g.key}>
                  <span class={'nps-dot nps-' + g.key} aria-hidden="true" />
                  <span class="nps-legend-name">
                    {g.label} <span class="nps-legend-range">({g.range})</span>
                  </span>
                  <span class="nps-legend-n" data-testid={'nps-' + g.key + '-n'}>
                    {fmtCount(g.n)}
                  </span>
                  <span class="nps-legend-pct">{pct(g.n, n)}</span>
                </li>
              ))}
            </ul>
            <p class="field-hint nps-how">{t('nps.how')}</p>
          </div>
        </div>
      )}
    </section>
  );
}

// ---- per day ----------------------------------------------------------------------------------

function DailyChart({ r, range, csv }: { r: Report; range: { from: number; to: number }; csv: string }) {
  // Every day of the period: the days without answers are gaps in the line.
  const days = useMemo(() => {
    const have = new Map(r.by_day.map((d) => [d.date, d]));
    const out: { date: string; n: number; score: number | null }[] = [];
    const first = new Date(range.from);
    const last = isoDate(new Date(Math.max(range.from, range.to - 1)));
    for (let i = 0; i < 400; i++) {
      const date = isoDate(new Date(first.getFullYear(), first.getMonth(), first.getDate() + i));
      out.push(have.get(date) ?? { date, n: 0, score: null });
      have.delete(date);
      if (date >= last) break;
    }
    return have.size ? [...out, ...have.values()].sort((a, b) => a.date.localeCompare(b.date)) : out;
  }, [r, range]);
  const answered = days.filter((d) => d.n > 0);
  const lang = getLang();
  const desc = t('nps.dailyDesc', { days: fmtCount(answered.length), all: fmtCount(days.length) });
  const config = (width: number): ChartConfiguration => {
    const accent = cssColor('--accent', '#4f46e5');
    const narrow = width < 480;
    return {
      type: 'bar',
      data: {
        labels: days.map((d) => fmtIsoDate(d.date)),
        datasets: [
          {
            type: 'line',
            label: t('nps.scoreLabel'),
            data: days.map((d) => d.score),
            borderColor: accent,
            backgroundColor: accent,
            pointRadius: days.length > 60 ? 2 : 3,
            borderWidth: 2,
            spanGaps: true,
            // A point at +100 or −100 drawn whole, not cut by the chart's edge.
            clip: 6,
            yAxisID: 'y',
            order: 1,
          },
          { type: 'bar', label: t('nps.answersAxis'), data: days.map((d) => d.n), backgroundColor: '#94a3b866', hoverBackgroundColor: '#94a3b8', borderRadius: 3, maxBarThickness: 28, yAxisID: 'y1', order: 2 },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: lang,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0, autoSkipPadding: 8 } },
          y: { min: -100, max: 100, ticks: { stepSize: 50, callback: (v) => fmtScore(Number(v), lang) }, title: { display: !narrow, text: t('nps.scoreLabel') } },
          y1: { position: 'right', beginAtZero: true, suggestedMax: 4, grid: { drawOnChartArea: false }, ticks: { precision: 0 }, title: { display: !narrow, text: t('nps.answersAxis') } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? fmtIsoDate(days[items[0].dataIndex].date, 'long') : ''),
              label: (ctx) => (ctx.datasetIndex === 0 ? `${ctx.dataset.label}: ${fmtScore(days[ctx.dataIndex].score, lang)}` : `${ctx.dataset.label}: ${fmtCount(Number(ctx.raw))}`),
            },
          },
        },
      },
    };
  };
  return (
    <ChartBox
      id="nps-daily"
      testid="nps-daily"
      title={t('nps.dailyTitle')}
      desc={desc}
      csv={{ href: csv, name: `survey-${r.survey_id}.csv` }}
      config={config}
      version={days}
      height={240}
      table={
        <table class="table table-compact rp-table">
          <caption class="sr-only">{t('nps.dailyTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rp.colDay')}</th>
              <th scope="col" class="num">
                {t('nps.answersAxis')}
              </th>
              <th scope="col" class="num">
                {t('nps.scoreLabel')}
              </th>
            </tr>
          </thead>
          <tbody>
            {answered.map((d) => (
              <tr key={d.date}>
                <th scope="row">{fmtIsoDate(d.date, 'long')}</th>
                <td class="num">{fmtCount(d.n)}</td>
                <td class="num">{fmtScore(d.score, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

// ---- each question --------------------------------------------------------------------------

function QuestionCard({ q, n, responses }: { q: QuestionSummary; n: number; responses: number }) {
  const id = `nps-q-${q.id}`;
  return (
    <section class="card nps-q" aria-labelledby={id} data-testid="nps-question" data-type={q.type} data-id={q.id}>
      <header class="nps-q-head">
        <h3 id={id}>
          <span class="nps-q-num">{n}</span>
          <span class="nps-q-label">{q.label}</span>
        </h3>
        <span class="nps-q-meta">
          {t(TYPE_LABEL[q.type])} · {t('nps.answeredBy', { n: fmtCount(q.n), of: fmtCount(responses) })}
        </span>
      </header>
      {q.n === 0 ? (
        <p class="muted small nps-q-none">{t('nps.noAnswers')}</p>
      ) : q.type === 'text' ? (
        <TextAnswers q={q} />
      ) : q.type === 'choice' ? (
        <Bars caption={q.label} rows={(q.options ?? []).map((o) => ({ key: o.option, label: o.option, n: o.n }))} total={q.n} note={t('nps.choiceNote')} />
      ) : (
        <Bars
          caption={q.label}
          numeric
          rows={Object.entries(q.distribution ?? {})
            .sort((a, b) => Number(a[0]) - Number(b[0]))
            .map(([k, v]) => ({ key: k, label: k, n: v, tone: q.type === 'nps' ? (Number(k) >= 9 ? 'promoters' : Number(k) >= 7 ? 'passives' : 'detractors') : undefined }))}
          total={q.n}
        />
      )}
    </section>
  );
}

/** A distribution as a table whose bars are drawn in its cells (hidden from screen readers: the numbers are there). */
function Bars({ caption, rows, total, numeric, note }: { caption: string; rows: { key: string; label: string; n: number; tone?: string }[]; total: number; numeric?: boolean; note?: string }) {
  const most = Math.max(1, ...rows.map((r) => r.n));
  return (
    <>
      <table class={'table table-compact nps-dist' + (numeric ? ' is-numeric' : '')} data-testid="nps-dist">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{numeric ? t('nps.colScore') : t('nps.colOption')}</th>
            <th scope="col" class="num">
              {t('nps.colAnswers')}
            </th>
            <th scope="col" class="num">
              {t('nps.colShare')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{r.label}</th>
              <td class="num nps-bar-cell">
                <span class="nps-cell-bar" aria-hidden="true">
                  {r.n > 0 && <span class={'nps-cell-fill' + (r.tone ? ' nps-' + r.tone : '')} style={{ width: `${(100 * r.n) / most}%` }} />}
                </span>
                {fmtCount(r.n)}
              </td>
              <td class="num">{pct(r.n, total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {note && <p class="field-hint nps-note">{note}</p>}
    </>
  );
}

function TextAnswers({ q }: { q: QuestionSummary }) {
  const list = q.answers ?? [];
  return (
    <>
      <ul class="nps-texts" aria-label={t('nps.latestAnswers')} data-testid="nps-texts">
        {list.map((a, i) => (
          <li key={i} data-testid="nps-text">
            {/* Text, never HTML: Preact sets it as a text node. */}
            <blockquote class="nps-text-body">{a.text}</blockquote>
            <span class="muted small">{fmtDateTime(a.at)}</span>
          </li>
        ))}
      </ul>
      {q.n > list.length && <p class="field-hint nps-note">{t('nps.latestOf', { shown: fmtCount(list.length), n: fmtCount(q.n) })}</p>}
    </>
  );
}

