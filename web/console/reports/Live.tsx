// Reports → Live: what is happening now (GET /reports/live, every 10 s while the
// page is in sight; paused in a hidden tab, fetched again as soon as it shows) —
// open conversations, customers waiting and the longest wait (ticking between
// polls), agents online with their open conversations, and today's key figures.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { fmtTime, t, type StringKey } from '../i18n';
import { errorText, useStore } from '../store';
import { ErrorNotice, StatCard, TableHead } from '../components/Common';
import { browserZone, fmtCount, fmtMs, fmtShare, type LiveReport } from './model';

export const LIVE_POLL_MS = 10_000;

function useLive() {
  const [live, setLive] = useState<LiveReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fetchedAt, setFetchedAt] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    let ctl: AbortController | null = null;
    async function poll() {
      clearTimeout(timer);
      timer = undefined;
      if (stopped || document.visibilityState !== 'visible') return; // resumed by visibilitychange
      ctl?.abort();
      ctl = new AbortController();
      try {
        const res = await api.get<LiveReport>(`/reports/live?tz=${encodeURIComponent(browserZone())}`, { signal: ctl.signal });
        if (stopped) return;
        setLive(res);
        setFetchedAt(Date.now());
        setError(null);
      } catch (err) {
        if (stopped || (err as Error)?.name === 'AbortError') return;
        if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
      }
      if (!stopped && document.visibilityState === 'visible') timer = window.setTimeout(poll, LIVE_POLL_MS);
    }
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void poll();
      else {
        clearTimeout(timer);
        timer = undefined;
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ctl?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
  return { live, error, fetchedAt };
}

function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, []);
  return now;
}

function statusLabel(s: string): string {
  const key = ('status.' + s) as StringKey;
  const v = t(key);
  return v === key ? s : v;
}

export function Live() {
  useStore((s) => s.lang);
  const { live, error, fetchedAt } = useLive();
  const now = useNow(1000);
  const since = fetchedAt ? now - fetchedAt : 0;
  const longest = live?.longest_wait_ms != null && live.waiting > 0 ? live.longest_wait_ms + since : live?.longest_wait_ms ?? null;
  const today = live?.today;
  const agents = [...(live?.agents ?? [])].sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
  return (
    <div class="rp-live" data-testid="rp-live">
      <div class="rp-live-head">
        <span class={'live-badge' + (error ? ' is-stale' : '')} role="status" aria-live="polite" data-testid="rp-live-badge">
          <span class="live-dot" aria-hidden="true" />
          {error ? t('sup.stale') : live ? t('sup.live') : t('common.loading')}
        </span>
        {live && (
          <span class="muted small" data-testid="rp-live-at">
            {t('rp.updatedAt', { time: fmtTime(live.at || fetchedAt), s: LIVE_POLL_MS / 1000 })}
          </span>
        )}
      </div>
      <ErrorNotice error={error} testid="rp-live-error" />
      {live && (
        <>
          <h2 class="subheading rp-subheading">{t('rp.liveNow')}</h2>
          <ul class="stat-row rp-kpis" aria-label={t('rp.liveNow')}>
            <StatCard label={t('rp.liveOpen')} value={fmtCount(live.open)} testid="live-open" />
            <StatCard label={t('rp.liveWaiting')} value={fmtCount(live.waiting)} testid="live-waiting" tone={live.waiting > 0 ? 'bad' : null} />
            <StatCard label={t('rp.liveLongest')} value={live.waiting > 0 ? fmtMs(longest) : '—'} testid="live-longest" />
            <StatCard label={t('rp.liveOnline')} value={fmtCount(live.agents_online)} testid="live-online" />
          </ul>
          {today && (
            <>
              <h2 class="subheading rp-subheading">{t('rp.liveToday')}</h2>
              <ul class="stat-row rp-kpis" aria-label={t('rp.liveToday')}>
                <StatCard label={t('rp.conversations')} value={fmtCount(today.conversations)} sub={t('rp.openClosed', { open: fmtCount(today.open), closed: fmtCount(today.closed) })} testid="live-today-conversations" />
                <StatCard label={t('rp.medianFirstResponse')} value={fmtMs(today.first_response.median_ms)} testid="live-today-first-response" />
                <StatCard label={t('rp.medianWait')} value={fmtMs(today.wait.median_ms)} testid="live-today-wait" />
                <StatCard label={t('rp.abandonment')} value={fmtShare(today.abandonment_rate)} sub={t('rp.nAbandoned', { n: fmtCount(today.abandoned) })} testid="live-today-abandonment" />
                <StatCard label={t('rp.csat')} value={fmtShare(today.csat)} sub={t('rp.nRated', { n: fmtCount(today.rated_positive), of: fmtCount(today.rated) })} testid="live-today-csat" />
              </ul>
            </>
          )}
          <section class="card rp-chart" aria-labelledby="rp-live-agents" data-testid="rp-live-agents">
            <header class="rp-chart-head">
              <h2 id="rp-live-agents">{t('rp.liveAgents')}</h2>
            </header>
            {agents.length === 0 ? (
              <p class="muted small rp-pad rp-empty">{t('rp.liveNoAgents')}</p>
            ) : (
              <div class="table-scroll">
                <table class="table table-compact rp-table">
                  <TableHead cols={[t('rp.colAgent'), t('rp.colStatus'), { label: t('rp.liveOpenCol'), class: 'num' }]} />
                  <tbody>
                    {agents.map((a) => (
                      <tr key={a.id} data-testid="rp-live-agent" data-id={a.id}>
                        <th scope="row">{a.name}</th>
                        <td>
                          <span class={'status-inline rp-presence rp-presence-' + a.status}>
                            <span class="rp-presence-dot" aria-hidden="true" />
                            {statusLabel(a.status)}
                          </span>
                        </td>
                        <td class="num">{fmtCount(a.open)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}
