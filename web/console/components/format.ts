import { fmtDateTime, fmtTime } from '../i18n';
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

function part(v: number | string | null | undefined, withDate: boolean): string {
  const ms = toMs(v);
  if (ms == null) return typeof v === 'string' ? v : '';
  return withDate ? fmtDateTime(ms) : fmtTime(ms);
}

export function fmtWindow(cb: Callback | null | undefined): string {
  if (!cb) return '';
  const a = toMs(cb.window_from);
  const b = toMs(cb.window_to);
  const from = part(cb.window_from, true);
  if (!from && !cb.window_to) return '';
  const sameDay = a != null && b != null && new Date(a).toDateString() === new Date(b).toDateString();
  const to = part(cb.window_to, !sameDay);
  return to ? `${from} – ${to}` : from;
}
