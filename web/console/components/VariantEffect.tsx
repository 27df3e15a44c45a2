// The effect of variants on what followed them, as the server reports it for scripts,
// canned answers and the coach (GET …/effect): for each variant the share of satisfied
// ratings (CSAT), the share resolved and the mean handle time, each with its 95%
// interval, in a table and as bars with whiskers; per measure the server's verdict in
// words: not enough data yet (every variant compared needs min_per_variant
// observations), no clear difference, or which variant wins (with p). The pages say
// what a variant is called (its number, the coach's group) and add their own actions.
import type { ComponentChildren } from 'preact';
import { getLang, t, type StringKey } from '../i18n';
import { fmtPercent } from '../admin/routingApi';
import './effect.css';

export interface Estimate {
  n: number;
  value: number | null;
  lower: number | null;
  upper: number | null;
}

export type VerdictKind = 'not_enough_data' | 'no_difference' | 'winner';
export interface Verdict {
  verdict: VerdictKind;
  winner: number | null;
  p: number | null;
}

export interface VariantEffect {
  id: number;
  text: string;
  retired: boolean;
  conversations: number;
  csat: Estimate;
  resolution: Estimate;
  handle_ms: Estimate;
}

/** The figures every effect report has (scripts add `script`, canned answers `answer`, the coach from/to). */
export interface EffectFigures {
  min_per_variant: number;
  variants: VariantEffect[];
  csat: Verdict;
  resolution: Verdict;
  handle: Verdict;
}

export type Metric = 'csat' | 'resolution' | 'handle';
export const METRICS: Metric[] = ['csat', 'resolution', 'handle'];
export const estimateOf = (v: VariantEffect, m: Metric): Estimate => (m === 'handle' ? v.handle_ms : v[m]);
export const METRIC_LABEL: Record<Metric, StringKey> = { csat: 'scripts.metric.csat', resolution: 'scripts.metric.resolution', handle: 'scripts.metric.handle' };

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

export function fmtP(p: number | null): string {
  if (p == null) return '';
  if (p < 0.001) return 'p < ' + (0.001).toLocaleString(getLang());
  return 'p = ' + p.toLocaleString(getLang(), { maximumFractionDigits: 3, minimumFractionDigits: 2 });
}

/** How a report names its variants: in rows, on the bars, and in a verdict. */
export interface EffectWords {
  /** The row's heading: "Variant 2", or the coach's "No suggestion taken". */
  name: (v: VariantEffect) => string;
  /** The bar's label, a character or two: "2". */
  short: (v: VariantEffect) => string;
  /** The winner in words: "Variant 2 satisfies customers best (p = 0.01)." */
  winner: (m: Metric, v: VariantEffect | undefined, p: string) => string;
  /** Not enough data yet, with the minimum and the fewest observations. */
  notEnough: (m: Metric, min: number, fewest: number) => string;
  /** No clear difference. */
  noDifference: (p: string) => string;
}

/** Variants named by their numbers: `number(id)` (scripts' ids are their numbers; canned answers' ids are indices from 0). */
export function numberedWords(number: (id: number) => number): EffectWords {
  return {
    name: (v) => t('canned.variant', { n: number(v.id) }),
    short: (v) => String(number(v.id)),
    winner: (m, v, p) => t(`scripts.winner.${m}` as StringKey, { n: v ? number(v.id) : '?', p }),
    notEnough: (m, min, n) => t(`scripts.notEnough.${m}` as StringKey, { min, n }),
    noDifference: (p) => t('scripts.noDifference', { p }),
  };
}

/** The verdict in words. */
export function verdictText(m: Metric, e: EffectFigures, words: EffectWords): string {
  const v = e[m];
  const inUse = e.variants.filter((x) => !x.retired);
  if (v.verdict === 'winner' && v.winner != null) return words.winner(m, e.variants.find((x) => x.id === v.winner), fmtP(v.p));
  if (v.verdict === 'no_difference') return words.noDifference(fmtP(v.p));
  if (inUse.length < 2) return t('scripts.oneVariant');
  const fewest = Math.min(...inUse.map((x) => estimateOf(x, m).n));
  return words.notEnough(m, e.min_per_variant, fewest);
}

/** The variants in use that win on some measure. */
export function winnersOf(e: EffectFigures): number[] {
  const inUse = e.variants.filter((v) => !v.retired);
  return [...new Set(METRICS.map((m) => e[m]).filter((v) => v.verdict === 'winner' && v.winner != null).map((v) => v.winner!))].filter((w) => inUse.some((v) => v.id === w));
}

/** The three verdicts, a card each. */
export function EffectVerdicts({ effect, words }: { effect: EffectFigures; words: EffectWords }) {
  return (
    <ul class="effect-verdicts" data-testid="effect-verdicts">
      {METRICS.map((m) => {
        const v = effect[m];
        return (
          <li key={m} class={'card effect-verdict is-' + v.verdict} data-testid={'effect-verdict-' + m} data-verdict={v.verdict}>
            <span class="effect-verdict-metric">{t(METRIC_LABEL[m])}</span>
            <span class="effect-verdict-text">{verdictText(m, effect, words)}</span>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The figures per variant with their 95% intervals (a card per variant on a phone); `text` shows
 * each variant's text under its name (rendered by the page: scripts mark their {{variables}}),
 * `actions` a last column of buttons; `head` names the first column ("Variant").
 */
export function EffectTable({
  effect,
  words,
  text,
  actions,
  head,
}: {
  effect: EffectFigures;
  words: EffectWords;
  text?: (v: VariantEffect) => ComponentChildren;
  actions?: (v: VariantEffect) => ComponentChildren;
  head?: string;
}) {
  const winners = winnersOf(effect);
  return (
    <div class="card table-scroll effect-table-card">
      <table class="table table-compact effect-table" data-testid="effect-table">
        <caption class="sr-only">{t('scripts.effectTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{head ?? t('scripts.colVariant')}</th>
            <th scope="col" class="num">
              {t('scripts.colConversations')}
            </th>
            {METRICS.map((m) => (
              <th key={m} scope="col" class="num">
                {t(METRIC_LABEL[m])}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span class="sr-only">{t('agents.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {effect.variants.map((v) => (
            <tr key={v.id} class={v.retired ? 'is-retired' : undefined} data-testid="effect-row" data-variant={v.id}>
              <th scope="row" class="effect-variant-cell">
                <span class="effect-variant-name">
                  {words.name(v)}
                  {v.retired && <span class="canned-badge">{t('scripts.retired')}</span>}
                  {winners.includes(v.id) && <span class="canned-badge effect-best">{t('scripts.best')}</span>}
                </span>
                {text && <span class="effect-variant-text">{text(v)}</span>}
              </th>
              <td class="num" data-label={t('scripts.colConversations')} data-testid="effect-conversations">
                {v.conversations}
              </td>
              {METRICS.map((m) => {
                const e = estimateOf(v, m);
                return (
                  <td key={m} class="num effect-cell" data-label={t(METRIC_LABEL[m])} data-testid={'effect-' + m}>
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
              {actions && <td class="effect-actions">{actions(v)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Each measure as bars with their interval's whiskers, and the hint under them when the data is still thin. */
export function EffectCharts({ effect, words }: { effect: EffectFigures; words: EffectWords }) {
  const enough = METRICS.every((m) => effect[m].verdict !== 'not_enough_data');
  return (
    <>
      <div class="effect-charts" aria-hidden="true">
        {METRICS.map((m) => (
          <Chart key={m} metric={m} variants={effect.variants} words={words} winner={effect[m].verdict === 'winner' ? effect[m].winner : null} />
        ))}
      </div>
      {!enough && <p class="muted small">{t('scripts.chartsHint')}</p>}
    </>
  );
}

/** One measure as bars with their interval's whiskers; the figures are in the table (this is hidden from screen readers). */
function Chart({ metric, variants, words, winner }: { metric: Metric; variants: VariantEffect[]; words: EffectWords; winner: number | null }) {
  const rows = variants.filter((v) => !v.retired || estimateOf(v, metric).n > 0);
  const top = metric === 'handle' ? Math.max(1, ...rows.map((v) => estimateOf(v, metric).upper ?? estimateOf(v, metric).value ?? 0)) : 1;
  const pct = (x: number | null) => `${Math.max(0, Math.min(100, ((x ?? 0) / top) * 100))}%`;
  return (
    <figure class="card effect-chart" data-testid={'effect-chart-' + metric}>
      <figcaption>{t(METRIC_LABEL[metric])}</figcaption>
      <ul>
        {rows.map((v) => {
          const e = estimateOf(v, metric);
          return (
            <li key={v.id} class={'effect-bar-row' + (v.retired ? ' is-retired' : '') + (winner === v.id ? ' is-winner' : '')}>
              <span class="effect-bar-label">{words.short(v)}</span>
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
