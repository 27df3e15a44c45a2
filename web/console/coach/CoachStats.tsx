// How often each coach rule was shown to agents and how often its fix was used:
// GET /coach/stats?from&to (supervisors), per rule and language, most shown first.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { languageName, t } from '../i18n';
import { errorText } from '../store';
import { ErrorNotice, TableHead } from '../components/Common';
import { fmtPercent } from '../admin/routingApi';
import type { CoachStatRow } from './coachApi';
import './coach.css';

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
    </section>
  );
}
