// One chart of the reports: its heading, a "Show table" toggle and the CSV link;
// the canvas (Chart.js, loaded on first use from its own chunk) is an image named
// by the heading and described by a sentence of what it shows; the same numbers
// are in the table the toggle opens (and the table opens by itself if the chart
// cannot be drawn).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Chart, ChartConfiguration } from 'chart.js';
import { t } from '../i18n';
import { IconDownload } from '../components/Icons';

type ChartModule = typeof import('./chartjs');
let loading: Promise<ChartModule> | null = null;
/** The Chart.js chunk, imported once. */
export function loadCharts(): Promise<ChartModule> {
  loading ??= import('./chartjs').catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

/** A colour of the console's palette (a CSS custom property on :root). */
export function cssColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function CsvLink({ href, name, testid, label }: { href: string; name: string; testid: string; label?: string }) {
  return (
    <a class="btn btn-ghost btn-sm rp-csv" href={href} download={name} data-testid={testid} aria-label={label}>
      <IconDownload size={15} /> CSV
    </a>
  );
}

export function ChartBox({
  id,
  title,
  desc,
  csv,
  testid,
  config,
  version,
  onPick,
  table,
  height = 260,
  empty,
}: {
  id: string;
  title: string;
  /** One sentence of what the chart shows (its accessible description). */
  desc: string;
  csv: { href: string; name: string };
  testid: string;
  /** Builds the chart's configuration for a canvas `width` px wide; called again when `version` changes. */
  config: (width: number) => ChartConfiguration;
  version: unknown;
  /** A click on the n-th bar or point. */
  onPick?: (index: number) => void;
  table: ComponentChildren;
  height?: number;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string | null;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [showTable, setShowTable] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (empty) return;
    let live = true;
    loadCharts()
      .then((m) => {
        if (!live || !canvas.current) return;
        const cfg = config(canvas.current.parentElement?.clientWidth ?? 600);
        cfg.options = {
          ...cfg.options,
          onClick: (_e, els) => {
            if (els.length && pick.current) pick.current(els[0].index);
          },
          onHover: (e, els) => {
            const el = e.native?.target as HTMLElement | undefined;
            if (el) el.style.cursor = els.length && pick.current ? 'pointer' : 'default';
          },
        };
        if (chart.current) {
          chart.current.data = cfg.data;
          chart.current.options = cfg.options as any;
          chart.current.update();
        } else {
          chart.current = m.makeChart(canvas.current, cfg);
        }
        setFailed(false);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [version, empty]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );
  useEffect(() => {
    if (empty && chart.current) {
      chart.current.destroy();
      chart.current = null;
    }
  }, [empty]);

  const open = showTable || failed;
  return (
    <section class="card rp-chart" aria-labelledby={id + '-title'} data-testid={testid}>
      <header class="rp-chart-head">
        <h2 id={id + '-title'}>{title}</h2>
        <div class="rp-chart-actions">
          {!empty && (
            <button type="button" class="btn btn-ghost btn-sm" aria-expanded={open} aria-controls={id + '-table'} onClick={() => setShowTable(!showTable)} disabled={failed} data-testid={testid + '-toggle'}>
              {open ? t('rp.hideTable') : t('rp.showTable')}
            </button>
          )}
          <CsvLink href={csv.href} name={csv.name} testid={testid + '-csv'} label={t('rp.csvOf', { name: title })} />
        </div>
      </header>
      <p id={id + '-desc'} class="sr-only">
        {desc}
      </p>
      {empty ? (
        <p class="muted small rp-empty">{empty}</p>
      ) : (
        <>
          {failed && <p class="notice notice-warn">{t('rp.chartFailed')}</p>}
          <div class={'rp-canvas' + (failed ? ' is-hidden' : '')} style={{ height: `${height}px` }}>
            <canvas ref={canvas} role="img" aria-label={title} aria-describedby={id + '-desc'} data-testid={testid + '-canvas'} />
          </div>
          <div id={id + '-table'} class="rp-table-wrap" hidden={!open} data-testid={testid + '-table'}>
            {open && table}
          </div>
        </>
      )}
    </section>
  );
}
