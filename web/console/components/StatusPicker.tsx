// The agent's own status: online / busy / away / offline plus the workspace's
// custom statuses (GET /api/v1/routing), with the time spent in it.
import { useEffect } from 'preact/hooks';
import { fmtTime, t } from '../i18n';
import { useNow } from '../hooks';
import { loadRouting, setStatus } from '../agentdesk';
import { useStore } from '../store';
import type { AgentStatus } from '../types';

const BUILT_IN: AgentStatus[] = ['online', 'busy', 'away', 'offline'];

/** "less than a minute", "12 min", "2 h 5 min". */
export function fmtDuration(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  if (min < 1) return t('status.lessMin');
  if (min < 60) return t('status.min', { n: min });
  return t('status.hours', { h: Math.floor(min / 60), m: min % 60 });
}

export function StatusPicker() {
  const me = useStore((s) => s.me);
  const routing = useStore((s) => s.routing);
  const now = useNow(30_000);

  useEffect(() => {
    void loadRouting();
  }, []);

  if (!me) return null;
  const custom = routing?.statuses ?? [];
  const customId = me.custom_status_id ?? null;
  const current = customId != null && custom.some((c) => c.id === customId) ? 'c:' + customId : me.status;
  const since = typeof me.status_since === 'number' && me.status_since > 0 ? me.status_since : null;
  const dot = me.status === 'busy' ? 'busy' : me.status;

  function onChange(v: string) {
    if (v.startsWith('c:')) void setStatus({ custom_status_id: Number(v.slice(2)) });
    else void setStatus({ status: v as AgentStatus });
  }

  return (
    <div class="status-picker status-picker-rich" title={t('top.status')}>
      <span class={`presence-dot presence-${dot}`} aria-hidden="true" />
      <select
        value={current}
        onChange={(e) => onChange(e.currentTarget.value)}
        data-testid="status-select"
        aria-label={t('top.status')}
        aria-describedby={since ? 'status-since' : undefined}
      >
        {BUILT_IN.map((s) => (
          <option value={s} key={s}>
            {t(('status.' + s) as 'status.online')}
          </option>
        ))}
        {custom.length > 0 && (
          <optgroup label={t('status.custom')}>
            {custom.map((c) => (
              <option value={'c:' + c.id} key={c.id} title={t(c.routable ? 'status.takesChats' : 'status.noChats')}>
                {c.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {since && (
        <span class="status-since" id="status-since" data-testid="status-since" title={t('status.sinceTitle', { time: fmtTime(since) })}>
          {fmtDuration(now - since)}
        </span>
      )}
    </div>
  );
}
