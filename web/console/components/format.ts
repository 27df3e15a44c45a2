import { fmtShortDay, fmtTime } from '../i18n';
import type { Callback } from '../types';

// The call-back window is documented only as {window_from, window_to}; accept
// epoch milliseconds (the protocol's time convention), ISO strings or "HH:MM".
function toMs(v: number | string | null | undefined): number | null {
  if (v == null || v === '') return null;
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v;
  if (/^\d+$/.test(v)) return toMs(Number(v));
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/** "Today 14:00–16:00", "Tomorrow 09:00–10:00", "Nov 23 17:00 – Nov 24 09:00". */
export function fmtWindow(cb: Callback | null | undefined): string {
  if (!cb) return '';
  const a = toMs(cb.window_from);
  const b = toMs(cb.window_to);
  if (a == null && b == null) {
    const parts = [cb.window_from, cb.window_to].filter((x) => typeof x === 'string' && x) as string[];
    return parts.join('–');
  }
  if (a != null && b != null) {
    const sameDay = new Date(a).toDateString() === new Date(b).toDateString();
    return sameDay
      ? `${fmtShortDay(a)} ${fmtTime(a)}–${fmtTime(b)}`
      : `${fmtShortDay(a)} ${fmtTime(a)} – ${fmtShortDay(b)} ${fmtTime(b)}`;
  }
  const one = (a ?? b)!;
  return `${fmtShortDay(one)} ${fmtTime(one)}`;
}
