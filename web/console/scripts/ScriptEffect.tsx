// A script's effect (supervisors): for each variant, what followed its use — the share of
// satisfied ratings (CSAT), the share resolved, the mean handle time — each with its 95%
// interval, in a table and as bars with whiskers; per measure the server's verdict in
// words: not enough data yet (every variant in use needs 30 observations), no clear
// difference, or which variant wins (with p). "Promote variant N" keeps that one and
// retires the others (their figures kept); any variant may be promoted by hand, with a
// confirmation that says what the figures do and do not show.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { getLang, t, type StringKey } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { fmtPercent } from '../admin/routingApi';
import { effectOf, promote, situationName, type Effect, type Estimate, type Verdict, type VariantEffect } from './scriptsApi';
import { PageLink, ScriptText, langName } from './parts';

type Metric = 'csat' | 'resolution' | 'handle';
const METRICS: Metric[] = ['csat', 'resolution', 'handle'];
const estimateOf = (v: VariantEffect, m: Metric): Estimate => (m === 'handle' ? v.handle_ms : v[m]);

/** A duration in the console's language: "45 s", "4 min 20 s", "1 h 5 min". */
export function fmtDuration(ms: number | null): string {
  if (ms == null || !isFinite(ms)) return '—';
  const unit = (n: number, u: 'second' | 'minute' | 'hour') => {
    try {
      return new Intl.NumberFormat(getLang(), { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 }).format(n);
    } catch {
      return `${n} ${u === 'second' ? 's' : u === 'minute' ? 'min' : 'h'}`;
    }
  };
  const s = Math.round(ms / 1000);
  if (s < 60) return unit(s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${unit(m, 'minute')} ${unit(s % 60, 'second')}` : unit(m, 'minute');
  const h = Math.floor(m / 60);
  return m % 60 ? `${unit(h, 'hour')} ${unit(m % 60, 'minute')}` : unit(h, 'hour');
}

const fmtValue = (m: Metric, x: number | null) => (m === 'handle' ? fmtDuration(x) : fmtPercent(x, 0));

/** A duration in a few characters, for the bars: "45 s", "6.2 min", "1.5 h". */
function fmtShortDuration(ms: number): string {
  const f = (n: number, u: 'second' | 'minute' | 'hour', digits: number) => {
    try {
      return new Intl.NumberFormat(getLang(), { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: digits }).format(n);
    } catch {
      return `${n.toFixed(digits)} ${u === 'second' ? 's' : u === 'minute' ? 'min' : 'h'}`;
    }
  };
  if (ms < 60_000) return f(Math.round(ms / 1000), 'second', 0);
  if (ms < 3_600_000) return f(ms / 60_000, 'minute', ms < 600_000 ? 1 : 0);
  return f(ms / 3_600_000, 'hour', 1);
}

/** "82% (74–88%)"; "—" without data. */
export function fmtEstimate(m: Metric, e: Estimate): string {
  if (e.value == null) return '—';
  if (e.lower == null || e.upper == null) return fmtValue(m, e.value);
  return `${fmtValue(m, e.value)} (${fmtValue(m, e.lower)}–${fmtValue(m, e.upper)})`;
}

function fmtP(p: number | null): string {
  if (p == null) return '';
  if (p < 0.001) return 'p < ' + (0.001).toLocaleString(getLang());
  return 'p = ' + p.toLocaleString(getLang(), { maximumFractionDigits: 3, minimumFractionDigits: 2 });
}

const LABEL: Record<Metric, StringKey> = { csat: 'scripts.metric.csat', resolution: 'scripts.metric.resolution', handle: 'scripts.metric.handle' };

/** The verdict in words. */
function verdictText(m: Metric, v: Verdict, e: Effect): string {
  const inUse = e.variants.filter((x) => !x.retired);
  if (v.verdict === 'winner' && v.winner != null) return t(`scripts.winner.${m}` as StringKey, { n: v.winner, p: fmtP(v.p) });
  if (v.verdict === 'no_difference') return t('scripts.noDifference', { p: fmtP(v.p) });
  if (inUse.length < 2) return t('scripts.oneVariant');
  const fewest = Math.min(...inUse.map((x) => estimateOf(x, m).n));
  return t(`scripts.notEnough.${m}` as StringKey, { min: e.min_per_variant, n: fewest });
}

export function ScriptEffect({ id }: { id: number }) {
  const [effect, setEffect] = useState<Effect | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [promoting, setPromoting] = useState<{ variant: number; winner: boolean } | null>(null);

  async function load() {
    try {
      setEffect(await effectOf(id));
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setError(t('scripts.notFound'));
      else if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
    }
  }
  useEffect(() => {
    setEffect(null);
    void load();
  }, [id]);

  const back = (
    <PageLink route={{ section: 'scripts', tab: 'list', scriptId: null }} class="script-back" testid="effect-back">
      ← {t('scripts.allScripts')}
    </PageLink>
  );
  if (error)
    return (
      <section class="script-effect">
        {back}
        <ErrorNotice error={error} />
      </section>
    );
  if (!effect)
    return (
      <section class="script-effect">
        {back}
        <p class="card card-state">{t('common.loading')}</p>
      </section>
    );

  const s = effect.script;
  const inUse = effect.variants.filter((v) => !v.retired);
  const winners = [...new Set(METRICS.map((m) => effect[m]).filter((v) => v.verdict === 'winner' && v.winner != null).map((v) => v.winner!))].filter((w) => inUse.some((v) => v.id === w));
  const enough = METRICS.every((m) => effect[m].verdict !== 'not_enough_data');

  return (
    <section class="script-effect" aria-labelledby="effect-title" data-testid="script-effect">
      {back}
      <header class="effect-head">
        <h2 id="effect-title">{t('scripts.effectOf', { title: s.title })}</h2>
        <span class="canned-badges">
          <span class="canned-badge">{situationName(s.situation)}</span>
          <span class="canned-badge">{langName(s.language)}</span>
        </span>
      </header>
      <p class="muted small effect-hint">{t('scripts.effectHint', { min: effect.min_per_variant })}</p>

      <ul class="effect-verdicts" data-testid="effect-verdicts">
        {METRICS.map((m) => {
          const v = effect[m];
          return (
            <li key={m} class={'card effect-verdict is-' + v.verdict} data-testid={'effect-verdict-' + m} data-verdict={v.verdict}>
              <span class="effect-verdict-metric">{t(LABEL[m])}</span>
              <span class="effect-verdict-text">{verdictText(m, v, effect)}</span>
            </li>
          );
        })}
      </ul>
      {winners.length > 0 && (
        <div class="effect-promote" data-testid="effect-promote">
          {winners.map((w) => (
            <button key={w} type="button" class="btn btn-primary" onClick={() => setPromoting({ variant: w, winner: true })} data-testid="effect-promote-winner" data-variant={w}>
              {t('scripts.promoteN', { n: w })}
            </button>
          ))}
          <span class="muted small">{t('scripts.promoteHint')}</span>
        </div>
      )}

      <div class="card table-scroll effect-table-card">
        <table class="table table-compact effect-table" data-testid="effect-table">
          <caption class="sr-only">{t('scripts.effectTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('scripts.colVariant')}</th>
              <th scope="col" class="num">
                {t('scripts.colConversations')}
              </th>
              {METRICS.map((m) => (
                <th key={m} scope="col" class="num">
                  {t(LABEL[m])}
                </th>
              ))}
              <th scope="col">
                <span class="sr-only">{t('agents.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {effect.variants.map((v) => (
              <tr key={v.id} class={v.retired ? 'is-retired' : undefined} data-testid="effect-row" data-variant={v.id}>
                <th scope="row" class="effect-variant-cell">
                  <span class="effect-variant-name">
                    {t('canned.variant', { n: v.id })}
                    {v.retired && <span class="canned-badge">{t('scripts.retired')}</span>}
                    {winners.includes(v.id) && <span class="canned-badge effect-best">{t('scripts.best')}</span>}
                  </span>
                  <span class="effect-variant-text">
                    <ScriptText text={v.text} />
                  </span>
                </th>
                <td class="num" data-label={t('scripts.colConversations')}>
                  {v.conversations}
                </td>
                {METRICS.map((m) => {
                  const e = estimateOf(v, m);
                  return (
                    <td key={m} class="num effect-cell" data-label={t(LABEL[m])} data-testid={'effect-' + m}>
                      <span class="effect-value">{fmtValue(m, e.value)}</span>
                      {e.lower != null && e.upper != null && (
                        <span class="effect-range">
                          {fmtValue(m, e.lower)}–{fmtValue(m, e.upper)}
                        </span>
                      )}
                      <span class="effect-n">n = {e.n}</span>
                    </td>
                  );
                })}
                <td class="effect-actions">
                  {!v.retired && inUse.length > 1 && (
                    <button
                      type="button"
                      class="btn btn-ghost btn-sm"
                      onClick={() => setPromoting({ variant: v.id, winner: winners.includes(v.id) })}
                      aria-label={t('scripts.promoteN', { n: v.id })}
                      data-testid="effect-promote-variant"
                    >
                      {t('scripts.promote')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div class="effect-charts" aria-hidden="true">
        {METRICS.map((m) => (
          <Chart key={m} metric={m} variants={effect.variants} winner={effect[m].verdict === 'winner' ? effect[m].winner : null} />
        ))}
      </div>
      {!enough && <p class="muted small">{t('scripts.chartsHint')}</p>}

      {promoting && (
        <ConfirmDialog
          title={t('scripts.promoteN', { n: promoting.variant })}
          testid="promote-dialog"
          text={promoting.winner ? t('scripts.promoteWinnerText', { n: promoting.variant }) : t('scripts.promoteManualText', { n: promoting.variant })}
          confirm={t('scripts.promote')}
          confirmTestid="promote-confirm"
          safe={promoting.winner}
          onClose={() => setPromoting(null)}
          action={async () => {
            await promote(id, promoting.variant);
            setPromoting(null);
            toast(t('scripts.promoted', { n: promoting.variant }), 'success');
            await load();
          }}
        />
      )}
    </section>
  );
}

/** One measure as bars with their interval's whiskers; the figures are in the table (this is hidden from screen readers). */
function Chart({ metric, variants, winner }: { metric: Metric; variants: VariantEffect[]; winner: number | null }) {
  const rows = variants.filter((v) => !v.retired || estimateOf(v, metric).n > 0);
  const top = metric === 'handle' ? Math.max(1, ...rows.map((v) => estimateOf(v, metric).upper ?? estimateOf(v, metric).value ?? 0)) : 1;
  const pct = (x: number | null) => `${Math.max(0, Math.min(100, ((x ?? 0) / top) * 100))}%`;
  return (
    <figure class="card effect-chart" data-testid={'effect-chart-' + metric}>
      <figcaption>{t(LABEL[metric])}</figcaption>
      <ul>
        {rows.map((v) => {
          const e = estimateOf(v, metric);
          return (
            <li key={v.id} class={'effect-bar-row' + (v.retired ? ' is-retired' : '') + (winner === v.id ? ' is-winner' : '')}>
              <span class="effect-bar-label">{v.id}</span>
              <span class="effect-track">
                {e.value != null && <span class="effect-bar" style={{ width: pct(e.value) }} />}
                {e.lower != null && e.upper != null && <span class="effect-whisker" style={{ left: pct(e.lower), width: `calc(${pct(e.upper)} - ${pct(e.lower)})` }} />}
              </span>
              <span class="effect-bar-value">{e.value == null ? '—' : metric === 'handle' ? fmtShortDuration(e.value) : fmtValue(metric, e.value)}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
