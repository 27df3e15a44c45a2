// Hand-written SVG charts for the simulator, hour by hour for one channel:
// service level (simulation vs Erlang C, with the target) over arrival bars, and
// agents on shift vs the agents Erlang C says are needed. Each chart has a
// <title> and <desc>; the page offers the same numbers as a table.
import { t } from '../i18n';
import type { SimHour } from '../admin/routingTypes';

const W = 720;
const H = 260;
const M = { top: 16, right: 48, bottom: 34, left: 48 };
const IW = W - M.left - M.right;
const IH = H - M.top - M.bottom;

export const hourLabel = (h: number) => String(h % 24).padStart(2, '0') + ':00';

/** A round axis maximum and step for counts. */
function niceMax(v: number, whole = false): { max: number; step: number } {
  if (v <= 0) return { max: 4, step: 1 };
  const raw = v / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const steps = (whole ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map((m) => Math.max(whole ? 1 : 0, m * mag));
  const step = steps.find((s) => s >= raw) ?? 10 * mag;
  return { max: Math.ceil(v / step) * step, step };
}

function band(n: number) {
  const bw = IW / Math.max(1, n);
  return { bw, x: (i: number) => M.left + i * bw, cx: (i: number) => M.left + i * bw + bw / 2 };
}

function XAxis({ hours }: { hours: SimHour[] }) {
  const { cx } = band(hours.length);
  const every = Math.ceil(hours.length / 12);
  return (
    <g class="ch-axis" aria-hidden="true">
      <line x1={M.left} x2={M.left + IW} y1={M.top + IH} y2={M.top + IH} />
      {hours.map((h, i) =>
        i % every === 0 ? (
          <text key={i} x={cx(i)} y={M.top + IH + 18} text-anchor="middle">
            {hourLabel(h.hour)}
          </text>
        ) : null,
      )}
    </g>
  );
}

function linePath(points: (readonly [number, number] | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += (pen ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1);
    pen = true;
  }
  return d;
}

export function ServiceLevelChart({ hours, target, id }: { hours: SimHour[]; target: { seconds: number; percent: number }; id: string }) {
  const { bw, x, cx } = band(hours.length);
  const arr = niceMax(Math.max(...hours.map((h) => h.sim.arrived), 0));
  const yPct = (p: number) => M.top + IH - (p / 100) * IH;
  const yArr = (n: number) => M.top + IH - (n / arr.max) * IH;
  const sim = hours.map((h, i) => (h.sim.service_level == null ? null : ([cx(i), yPct(h.sim.service_level * 100)] as const)));
  const erl = hours.map((h, i) => [cx(i), yPct(h.erlang_c.service_level * 100)] as const);
  const barW = Math.max(2, bw * 0.56);
  const arrTicks = [];
  for (let v = 0; v <= arr.max + 1e-9; v += arr.step) arrTicks.push(v);
  const worst = hours.reduce<SimHour | null>((w, h) => (h.sim.service_level != null && (!w || h.sim.service_level < w.sim.service_level!) ? h : w), null);
  const desc = t('sim.chartDesc', {
    hours: hours.length,
    target: `${target.percent}%`,
    seconds: target.seconds,
    worst: worst ? `${hourLabel(worst.hour)} (${Math.round((worst.sim.service_level ?? 0) * 100)}%)` : '—',
  });
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid="sim-chart">
      <title id={`${id}-t`}>{t('sim.chartTitle')}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      <g class="ch-grid" aria-hidden="true">
        {[0, 25, 50, 75, 100].map((p) => (
          <g key={p}>
            <line x1={M.left} x2={M.left + IW} y1={yPct(p)} y2={yPct(p)} />
            <text x={M.left - 8} y={yPct(p) + 4} text-anchor="end">
              {p}%
            </text>
          </g>
        ))}
        {arrTicks.map((v) => (
          <text key={v} class="ch-right" x={M.left + IW + 8} y={yArr(v) + 4} text-anchor="start">
            {v}
          </text>
        ))}
      </g>
      <g class="ch-bars" aria-hidden="true">
        {hours.map((h, i) => (
          <rect key={i} x={x(i) + (bw - barW) / 2} y={yArr(h.sim.arrived)} width={barW} height={Math.max(0, M.top + IH - yArr(h.sim.arrived))} rx={2}>
            <title>{`${hourLabel(h.hour)}: ${h.sim.arrived}`}</title>
          </rect>
        ))}
      </g>
      <line class="ch-target" x1={M.left} x2={M.left + IW} y1={yPct(target.percent)} y2={yPct(target.percent)} aria-hidden="true" />
      <path class="ch-erlang" d={linePath(erl)} aria-hidden="true" />
      <path class="ch-sim" d={linePath(sim)} aria-hidden="true" />
      <g class="ch-sim-dots" aria-hidden="true">
        {sim.map((p, i) =>
          p ? (
            <circle key={i} cx={p[0]} cy={p[1]} r={3.5}>
              <title>{`${hourLabel(hours[i].hour)}: ${Math.round((hours[i].sim.service_level ?? 0) * 1000) / 10}%`}</title>
            </circle>
          ) : null,
        )}
      </g>
      <XAxis hours={hours} />
    </svg>
  );
}

export function StaffingChart({ hours, id }: { hours: SimHour[]; id: string }) {
  const { bw, x } = band(hours.length);
  const top = niceMax(Math.max(...hours.map((h) => Math.max(h.agents, h.needed?.agents ?? 0)), 0), true);
  const y = (n: number) => M.top + IH - (n / top.max) * IH;
  const gw = Math.max(2, bw * 0.34);
  const ticks = [];
  for (let v = 0; v <= top.max + 1e-9; v += top.step) ticks.push(v);
  const short = hours.filter((h) => h.needed && h.needed.agents > h.agents).map((h) => hourLabel(h.hour));
  const desc = short.length ? t('sim.staffDescShort', { hours: short.join(', ') }) : t('sim.staffDescOk');
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid="sim-staff-chart">
      <title id={`${id}-t`}>{t('sim.staffTitle')}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      <g class="ch-grid" aria-hidden="true">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={M.left} x2={M.left + IW} y1={y(v)} y2={y(v)} />
            <text x={M.left - 8} y={y(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
      </g>
      <g aria-hidden="true">
        {hours.map((h, i) => {
          const x0 = x(i) + bw / 2 - gw - 1;
          const need = h.needed?.agents;
          return (
            <g key={i}>
              <rect class="ch-onshift" x={x0} y={y(h.agents)} width={gw} height={M.top + IH - y(h.agents)} rx={2}>
                <title>{`${hourLabel(h.hour)}: ${t('sim.onShift')} ${h.agents}`}</title>
              </rect>
              {need != null && (
                <rect class={'ch-needed' + (need > h.agents ? ' is-short' : '')} x={x0 + gw + 2} y={y(need)} width={gw} height={M.top + IH - y(need)} rx={2}>
                  <title>{`${hourLabel(h.hour)}: ${t('sim.needed')} ${need}`}</title>
                </rect>
              )}
            </g>
          );
        })}
      </g>
      <XAxis hours={hours} />
    </svg>
  );
}
