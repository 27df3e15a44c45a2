// How often each coach rule was shown to agents and how often its fix was used:
// GET /coach/stats?from&to (supervisors), per rule and language, most shown first.
// Under it, the effect on outcomes (GET /coach/effect?from&to): conversations where the
// agent took a suggestion against those where hints were shown and none taken — CSAT,
// resolution, handle time (components/VariantEffect.tsx), an association, not an experiment.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { languageName, t, type StringKey } from '../i18n';
import { errorText } from '../store';
import { ErrorNotice, TableHead } from '../components/Common';
import { fmtPercent } from '../admin/routingApi';
import { EffectTable, EffectVerdicts, type EffectFigures, type EffectWords } from '../components/VariantEffect';
import { noEndpoint } from '../canned/cannedApi';
import type { CoachStatRow } from './coachApi';
import './coach.css';

/** The two groups the server compares: 0 no suggestion taken, 1 a suggestion taken (its `text` is English: not shown). */
const GROUP: Record<number, StringKey> = { 0: 'coach.effect.group0', 1: 'coach.effect.group1' };
const groupName = (id: number) => (GROUP[id] ? t(GROUP[id]) : String(id));

const WORDS: EffectWords = {
  name: (v) => groupName(v.id),
  short: (v) => String(v.id),
  winner: (m, v, p) => t(`coach.effect.winner.${m}` as StringKey, { group: v ? groupName(v.id) : '?', p }),
  notEnough: (m, min, n) => t(`coach.effect.notEnough.${m}` as StringKey, { min, n }),
  noDifference: (p) => t('coach.effect.noDifference', { p }),
};

export function CoachStats({ days, children }: { days: number; children?: ComponentChildren }) {
  const [rows, setRows] = useState<CoachStatRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    const to = Date.now();
    api
      .get<{ rules: CoachStatRow[] }>(`/coach/stats?from=${to - days * 86400000}&to=${to}`)
      .then((r) => live && setRows(r?.rules ?? []))
      .catch((err) => live && !(err instanceof ApiError && err.status === 401) && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [days]);
  return (
    <section class="card form-section coach-stats" aria-labelledby="coach-stats-title" data-testid="coach-stats">
      <h2 id="coach-stats-title">{t('coach.stats')}</h2>
      <p class="muted small">{t('coach.statsHint')}</p>
      {children}
      <ErrorNotice error={error} />
      {!error && !rows ? (
        <p class="muted">{t('common.loading')}</p>
      ) : rows && rows.length === 0 ? (
        <p class="card-state muted" data-testid="coach-stats-empty">
          {t('coach.noStats')}
        </p>
      ) : rows ? (
        <div class="table-scroll">
          <table class="table table-compact" data-testid="coach-stats-table">
            <TableHead
              cols={[
                t('coach.colRule'),
                t('kb.colLanguage'),
                { label: t('coach.colShown'), class: 'num' },
                { label: t('coach.colAccepted'), class: 'num' },
                { label: t('coach.colRate'), class: 'num' },
              ]}
            />
            <tbody>
              {rows.map((r) => (
                <tr key={r.rule + ':' + r.language} data-testid="coach-stats-row" data-rule={r.rule} data-language={r.language}>
                  <td>
                    <code>{r.rule}</code>
                  </td>
                  <td>
                    <span class="badge badge-lang" title={languageName(r.language)}>
                      {(r.language || '?').toUpperCase()}
                    </span>
                  </td>
                  <td class="num" data-testid="coach-stats-shown">
                    {r.shown}
                  </td>
                  <td class="num" data-testid="coach-stats-accepted">
                    {r.accepted}
                  </td>
                  <td class="num">{r.shown > 0 ? fmtPercent(r.accepted / r.shown, 0) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <CoachEffect days={days} />
    </section>
  );
}

/** The coach's effect on outcomes over the same period: nothing on a server without it. */
function CoachEffect({ days }: { days: number }) {
  const [effect, setEffect] = useState<EffectFigures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    let live = true;
    setEffect(null);
    setError(null);
    const to = Date.now();
    api
      .get<EffectFigures>(`/coach/effect?from=${to - days * 86400000}&to=${to}`)
      .then((r) => live && setEffect(r))
      .catch((err) => {
        if (!live) return;
        if (noEndpoint(err)) setMissing(true);
        else if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
      });
    return () => {
      live = false;
    };
  }, [days]);
  if (missing) return null;
  return (
    <section class="coach-effect" aria-labelledby="coach-effect-title" data-testid="coach-effect">
      <h3 id="coach-effect-title">{t('coach.effect.title')}</h3>
      <p class="muted small">{t('coach.effect.hint', { min: effect?.min_per_variant ?? 30 })}</p>
      <p class="notice notice-info coach-effect-note" data-testid="coach-effect-note">
        {t('coach.effect.association')}
      </p>
      <ErrorNotice error={error} />
      {!effect ? (
        !error && <p class="muted">{t('common.loading')}</p>
      ) : (
        <>
          <EffectVerdicts effect={effect} words={WORDS} />
          <EffectTable effect={effect} words={WORDS} head={t('coach.effect.colGroup')} />
        </>
      )}
    </section>
  );
}
