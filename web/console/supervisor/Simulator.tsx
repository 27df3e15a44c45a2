// Simulator (admins): edit a staffing scenario, run it on the server
// (POST /simulate, the real routing core in virtual time) and read the day:
// headline numbers per channel and hour-by-hour charts against Erlang C.
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { channelName, fmtDuration, fmtPercent } from '../admin/routingApi';
import type { Channel, SimResult } from '../admin/routingTypes';
import { hourLabel, ServiceLevelChart, StaffingChart } from './Charts';
import { DEFAULT_SCENARIO } from './defaultScenario';
import { IconPlay } from '../components/Icons';
import { ErrorNotice, SettingsHeader, StatCard, useSubmit } from '../components/Common';

// Kept across visits to the page (not across reloads).
const memory: { text: string; findAgents: boolean; result: SimResult | null; channel: Channel | null } = {
  text: DEFAULT_SCENARIO,
  findAgents: true,
  result: null,
  channel: null,
};

export function Simulator() {
  const [text, setTextState] = useState(memory.text);
  const [findAgents, setFindAgents] = useState(memory.findAgents);
  const [result, setResult] = useState<SimResult | null>(memory.result);
  const [channel, setChannelState] = useState<Channel | null>(memory.channel);
  const { busy, error, run: runSubmit } = useSubmit();
  const [showTable, setShowTable] = useState(false);
  const resultsRef = useRef<HTMLElement>(null);

  const setText = (v: string) => {
    memory.text = v;
    setTextState(v);
  };
  const setChannel = (c: Channel) => {
    memory.channel = c;
    setChannelState(c);
  };

  async function run(e?: Event) {
    e?.preventDefault();
    await runSubmit(async () => {
      const res = await api.post<SimResult>('/simulate' + (findAgents ? '?find_agents=1' : ''), undefined, {
        raw: new Blob([text], { type: 'application/json' }),
        headers: { 'Content-Type': 'application/json' },
      });
      memory.result = res;
      memory.findAgents = findAgents;
      setResult(res);
      const chans = res.channels.map((c) => c.channel);
      if (!channel || !chans.includes(channel)) setChannel(chans.includes('chat') ? 'chat' : chans[0]);
      requestAnimationFrame(() => resultsRef.current?.focus());
    });
  }

  const ch = result?.channels.find((c) => c.channel === channel) ?? result?.channels[0];
  const hours = result && ch ? result.hourly.filter((h) => h.channel === ch.channel) : [];
  const hasNeeded = hours.some((h) => h.needed);
  const occ = result && ch ? channelOccupancy(result, ch.channel) : null;
  const slOk = ch?.service_level != null && ch.service_level * 100 >= ch.target.percent;

  return (
    <main class="settings-pane" data-testid="simulator">
      <div class="settings-content settings-wide">
        <SettingsHeader title={t('sim.title')} subtitle={t('sim.subtitle')} />

        <form class="card form-section sim-editor" onSubmit={run} aria-labelledby="sim-scenario">
          <h2 id="sim-scenario">{t('sim.scenario')}</h2>
          <p class="muted small" id="sim-scenario-hint">
            {t('sim.scenarioHint')}
          </p>
          <label class="sr-only" for="sim-text">
            {t('sim.scenarioLabel')}
          </label>
          <textarea
            id="sim-text"
            class="code-input"
            rows={16}
            spellcheck={false}
            autocapitalize="off"
            value={text}
            aria-describedby={'sim-scenario-hint' + (error ? ' sim-error' : '')}
            aria-invalid={error ? 'true' : undefined}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void run(e);
            }}
            data-testid="sim-scenario"
          />
          <ErrorNotice error={error} id="sim-error" testid="sim-error" />
          <div class="sim-actions">
            <label class="checkbox">
              <input type="checkbox" checked={findAgents} onChange={(e) => setFindAgents(e.currentTarget.checked)} data-testid="sim-find-agents" />
              {t('sim.findAgents')}
            </label>
            <span class="topbar-spacer" />
            <button type="button" class="btn btn-ghost" onClick={() => setText(DEFAULT_SCENARIO)} disabled={text === DEFAULT_SCENARIO}>
              {t('sim.reset')}
            </button>
            <button type="submit" class="btn btn-primary" disabled={busy || !text.trim()} data-testid="sim-run">
              <IconPlay size={14} />
              {busy ? t('sim.running') : t('sim.run')}
            </button>
          </div>
          <p class="muted small">{t('sim.runHint')}</p>
        </form>

        {result && ch && (
          <section class="sim-results" aria-labelledby="sim-results-title" tabIndex={-1} ref={resultsRef} data-testid="sim-results">
            <div class="sim-results-head">
              <h2 id="sim-results-title">{t('sim.results', { seed: result.seed, from: hourLabel(result.start_hour), hours: result.hours })}</h2>
              {result.channels.length > 1 && (
                <div class="segmented segmented-inline" role="group" aria-label={t('sim.channel')}>
                  {result.channels.map((c) => (
                    <button
                      type="button"
                      key={c.channel}
                      class={'segmented-item' + (c.channel === ch.channel ? ' is-active' : '')}
                      aria-pressed={c.channel === ch.channel}
                      onClick={() => setChannel(c.channel)}
                      data-testid={'sim-channel-' + c.channel}
                    >
                      {channelName(c.channel)}
                    </button>
                  ))}
                </div>
              )}
            </div>

            <ul class="stat-row" data-testid="sim-headline">
              <StatCard
                label={t('sim.serviceLevel')}
                value={fmtPercent(ch.service_level)}
                testid="sim-sl"
                tone={ch.service_level == null ? null : slOk ? 'good' : 'bad'}
                sub={t('sim.target', { percent: ch.target.percent, seconds: fmtDuration(ch.target.seconds) })}
              />
              <StatCard label={t('sim.avgWait')} value={fmtDuration(ch.avg_wait_s)} sub={t('sim.p90', { d: fmtDuration(ch.p90_wait_s) })} />
              <StatCard label={t('sim.abandonment')} value={fmtPercent(ch.abandonment)} sub={t('sim.answered', { answered: ch.answered, arrived: ch.arrived })} />
              <StatCard label={t('sim.occupancy')} value={fmtPercent(occ)} sub={t('sim.occupancyHint')} />
              <StatCard label={t('sim.promise')} value={fmtPercent(ch.estimate.kept_share)} sub={t('sim.promiseHint', { d: fmtDuration(ch.estimate.mean_abs_error_s) })} />
            </ul>

            <ChartCard
              title={t('sim.chartTitle')}
              legend={[
                ['sim', t('sim.legendSim')],
                ['erlang', t('sim.legendErlang')],
                ['target', t('sim.legendTarget')],
                ['bars', t('sim.legendArrivals')],
              ]}
            >
              <ServiceLevelChart hours={hours} target={ch.target} id={'sl-' + ch.channel} />
            </ChartCard>

            <ChartCard
              title={t('sim.staffTitle')}
              legend={[
                ['onshift', t('sim.onShift')],
                hasNeeded && ['needed', t('sim.needed')],
                hours.some((h) => h.needed && h.needed.agents > h.agents) && ['short', t('sim.short')],
              ]}
            >
              {!hasNeeded && <p class="muted small chart-note">{t('sim.neededOff')}</p>}
              <StaffingChart hours={hours} id={'st-' + ch.channel} />
            </ChartCard>

            <p>
              <button type="button" class="btn btn-secondary btn-sm" aria-expanded={showTable} aria-controls="sim-table" onClick={() => setShowTable(!showTable)} data-testid="sim-table-toggle">
                {showTable ? t('sim.hideTable') : t('sim.showTable')}
              </button>
            </p>
            {showTable && (
              <div class="card table-scroll" id="sim-table">
                <table class="table table-compact" data-testid="sim-table">
                  <caption class="sr-only">{t('sim.tableCaption', { channel: channelName(ch.channel) })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('sim.hour')}</th>
                      <th scope="col" class="num">{t('sim.arrivals')}</th>
                      <th scope="col" class="num">{t('sim.legendSim')}</th>
                      <th scope="col" class="num">{t('sim.legendErlang')}</th>
                      <th scope="col" class="num">{t('sim.asaSim')}</th>
                      <th scope="col" class="num">{t('sim.asaErlang')}</th>
                      <th scope="col" class="num">{t('sim.abandonment')}</th>
                      <th scope="col" class="num">{t('sim.onShift')}</th>
                      {hasNeeded && <th scope="col" class="num">{t('sim.needed')}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {hours.map((h) => (
                      <tr key={h.hour}>
                        <th scope="row">{hourLabel(h.hour)}</th>
                        <td class="num">{h.sim.arrived}</td>
                        <td class="num">{fmtPercent(h.sim.service_level)}</td>
                        <td class="num">{fmtPercent(h.erlang_c.service_level)}</td>
                        <td class="num">{fmtDuration(h.sim.avg_wait_s)}</td>
                        <td class="num">{h.erlang_c.asa_s == null ? t('sim.overload') : fmtDuration(h.erlang_c.asa_s)}</td>
                        <td class="num">{fmtPercent(h.sim.abandonment)}</td>
                        <td class="num">{h.agents}</td>
                        {hasNeeded && <td class={'num' + (h.needed && h.needed.agents > h.agents ? ' is-short' : '')}>{h.needed?.agents ?? '—'}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}

            <details class="card sim-agents">
              <summary>{t('sim.agents', { n: result.agents.length })}</summary>
              <div class="table-scroll">
                <table class="table table-compact">
                  <thead>
                    <tr>
                      <th scope="col">{t('agents.name')}</th>
                      <th scope="col">{t('sim.shift')}</th>
                      <th scope="col" class="num">{t('sim.assigned')}</th>
                      <th scope="col" class="num">{t('sim.occupancy')}</th>
                      <th scope="col" class="num">{t('sim.overtime')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.agents.map((a) => (
                      <tr key={a.id}>
                        <td>{a.name}</td>
                        <td>
                          {hourLabel(a.shift.start)}–{hourLabel(a.shift.end)}
                        </td>
                        <td class="num">{a.assigned}</td>
                        <td class="num">{fmtPercent(a.occupancy)}</td>
                        <td class="num">{fmtDuration(a.overtime_s)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </section>
        )}
      </div>
    </main>
  );
}

/** A chart in its card, under its title and legend: [swatch, label] a line; a false entry is left out. */
function ChartCard({ title, legend, children }: { title: string; legend: ([string, string] | false)[]; children: ComponentChildren }) {
  return (
    <div class="card chart-card">
      <div class="chart-head">
        <h3>{title}</h3>
        <ul class="legend" aria-hidden="true">
          {legend.map(
            (l) =>
              l && (
                <li key={l[0]}>
                  <span class={'sw sw-' + l[0]} />
                  {l[1]}
                </li>
              ),
          )}
        </ul>
      </div>
      {children}
    </div>
  );
}

/** Slot-time used / offered on this channel, over the agents who serve it. */
function channelOccupancy(r: SimResult, c: Channel): number | null {
  let used = 0;
  let offered = 0;
  for (const a of r.agents) {
    const o = a.channel_occupancy?.[c];
    if (o == null) continue;
    used += o * a.logged_in_s;
    offered += a.logged_in_s;
  }
  return offered ? used / offered : null;
}
