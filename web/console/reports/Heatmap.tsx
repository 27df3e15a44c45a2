// Conversations started per hour of the week as a table whose cells are coloured
// by how busy the hour was (six steps; the count is in each cell's name and, when
// not zero, in the cell). Weekdays are rows and hours columns; on a narrow screen
// the table turns (hours as rows) so it fits. The cells are one keyboard stop:
// arrows, Home and End move between them, Enter or Space lists that hour's
// conversations.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t, weekdayName } from '../i18n';
import { fmtCount, hourRange, type HeatmapReport } from './model';

/** Monday first: the console's languages are European. */
const DAYS = [1, 2, 3, 4, 5, 6, 0];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function level(n: number, max: number): number {
  if (!n || max <= 0) return 0;
  return Math.min(5, Math.max(1, Math.ceil((5 * n) / max)));
}

function useNarrow(ref: { current: HTMLElement | null }, below: number): boolean {
  const [narrow, setNarrow] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setNarrow(el.clientWidth > 0 && el.clientWidth < below);
    check();
    const ro = new ResizeObserver(check);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return narrow;
}

export function Heatmap({
  report,
  selected,
  onPick,
  caption,
}: {
  report: HeatmapReport;
  selected: { weekday: number; hour: number } | null;
  onPick: (weekday: number, hour: number) => void;
  caption: string;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const narrow = useNarrow(wrap, 720);
  // The one cell in the tab order: [row, column] of the table as drawn.
  const [cursor, setCursor] = useState<[number, number]>([0, 9]);
  const focusNext = useRef(false);
  const rows = narrow ? HOURS.length : DAYS.length;
  const cols = narrow ? DAYS.length : HOURS.length;
  const at = (r: number, c: number) => (narrow ? { weekday: DAYS[c], hour: HOURS[r] } : { weekday: DAYS[r], hour: HOURS[c] });
  const max = Math.max(report.max || 0, ...report.hours.flat());

  const wasNarrow = useRef(narrow);
  useEffect(() => {
    // The same cell stays current when the table turns.
    if (wasNarrow.current === narrow) return;
    wasNarrow.current = narrow;
    setCursor(([r, c]) => [c, r]);
  }, [narrow]);
  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    wrap.current?.querySelector<HTMLButtonElement>(`button[data-r="${cursor[0]}"][data-c="${cursor[1]}"]`)?.focus();
  }, [cursor]);

  function onKey(e: KeyboardEvent, r: number, c: number) {
    let [nr, nc] = [r, c];
    if (e.key === 'ArrowRight') nc++;
    else if (e.key === 'ArrowLeft') nc--;
    else if (e.key === 'ArrowDown') nr++;
    else if (e.key === 'ArrowUp') nr--;
    else if (e.key === 'Home') nc = 0;
    else if (e.key === 'End') nc = cols - 1;
    else return;
    e.preventDefault();
    nr = Math.max(0, Math.min(rows - 1, nr));
    nc = Math.max(0, Math.min(cols - 1, nc));
    focusNext.current = true;
    setCursor([nr, nc]);
  }

  const cell = (r: number, c: number) => {
    const { weekday, hour } = at(r, c);
    const n = report.hours[weekday]?.[hour] ?? 0;
    const on = selected?.weekday === weekday && selected?.hour === hour;
    const label = t(n === 1 ? 'rp.heatCellOne' : 'rp.heatCell', { day: weekdayName(weekday), hours: hourRange(hour), n: fmtCount(n) });
    return (
      <td key={c} class={'rp-heat-cell rp-heat-' + level(n, max)}>
        <button
          type="button"
          tabIndex={cursor[0] === r && cursor[1] === c ? 0 : -1}
          aria-label={label}
          aria-pressed={on}
          title={label}
          data-r={r}
          data-c={c}
          data-weekday={weekday}
          data-hour={hour}
          data-count={n}
          onKeyDown={(e) => onKey(e, r, c)}
          onFocus={() => setCursor([r, c])}
          onClick={() => onPick(weekday, hour)}
        >
          {n > 0 ? fmtCount(n) : ''}
        </button>
      </td>
    );
  };

  return (
    <div ref={wrap} class={'rp-heat-wrap' + (narrow ? ' is-narrow' : '')}>
      <table class="rp-heat" data-testid="rp-heatmap-grid" data-orientation={narrow ? 'hours' : 'days'}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <td class="rp-heat-corner" />
            {narrow
              ? DAYS.map((d) => (
                  <th key={d} scope="col" abbr={weekdayName(d)}>
                    {weekdayName(d, 'short')}
                  </th>
                ))
              : HOURS.map((h) => (
                  <th key={h} scope="col" abbr={hourRange(h)}>
                    {String(h).padStart(2, '0')}
                  </th>
                ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, r) => (
            <tr key={r}>
              {narrow ? (
                <th scope="row" abbr={hourRange(HOURS[r])}>
                  {String(HOURS[r]).padStart(2, '0')}:00
                </th>
              ) : (
                <th scope="row" abbr={weekdayName(DAYS[r])}>
                  {weekdayName(DAYS[r], 'short')}
                </th>
              )}
              {Array.from({ length: cols }, (_, c) => cell(r, c))}
            </tr>
          ))}
        </tbody>
      </table>
      <div class="rp-heat-legend" aria-hidden="true">
        <span>{t('rp.fewer')}</span>
        {[0, 1, 2, 3, 4, 5].map((l) => (
          <span key={l} class={'rp-heat-swatch rp-heat-' + l} />
        ))}
        <span>{t('rp.more')}</span>
      </div>
    </div>
  );
}
