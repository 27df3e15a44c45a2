// The workspace's routing catalogue (skills, teams, custom statuses), fetched once
// and shared by the routing page, the agent and inbox editors and the supervisor view.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { getLang, t } from '../i18n';
import { errorText } from '../store';
import type { Channel, RoutingCatalogue } from './routingTypes';
import '../supervisor/supervisor.css';

let cached: RoutingCatalogue | null = null;
let inflight: Promise<RoutingCatalogue> | null = null;
const subs = new Set<(c: RoutingCatalogue) => void>();

export function loadCatalogue(force = false): Promise<RoutingCatalogue> {
  if (cached && !force) return Promise.resolve(cached);
  if (!inflight || force) {
    inflight = api
      .get<RoutingCatalogue>('/routing')
      .then((c) => {
        setCatalogue(c);
        return c;
      })
      .finally(() => {
        inflight = null;
      });
  }
  return inflight;
}

export function setCatalogue(c: RoutingCatalogue): void {
  cached = { skills: c.skills ?? [], teams: c.teams ?? [], statuses: c.statuses ?? [] };
  subs.forEach((f) => f(cached!));
}

/** The catalogue (null while loading) and a load error, if any. */
export function useCatalogue(): { catalogue: RoutingCatalogue | null; error: string | null; reload: () => void } {
  const [catalogue, set] = useState<RoutingCatalogue | null>(cached);
  const [error, setError] = useState<string | null>(null);
  const reload = () => {
    setError(null);
    loadCatalogue(true).catch((err) => {
      if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
    });
  };
  useEffect(() => {
    subs.add(set);
    // Loaded between this render and the effect (another page asked first): take it now.
    if (cached) set(cached);
    else {
      loadCatalogue().catch((err) => {
        if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
      });
    }
    return () => {
      subs.delete(set);
    };
  }, []);
  return { catalogue, error, reload };
}

export function channelName(c: Channel): string {
  return t(`channel.${c}`);
}

/** The server's own message for a bad request, a conflict, a too large body or a busy simulator; the console's words otherwise. */
export function formError(err: unknown): string {
  return err instanceof ApiError && [400, 409, 413, 429].includes(err.status) && err.message ? err.message : errorText(err);
}

/** "45 s", "3 min", "1 h 05 min" */
export function fmtDuration(s: number | null | undefined): string {
  if (s == null || !isFinite(s)) return '—';
  const v = Math.max(0, Math.round(s));
  if (v < 60) return t('dur.s', { n: v });
  if (v < 3600) return v % 60 ? t('dur.min', { m: Math.floor(v / 60), s: v % 60 }) : t('dur.m', { m: v / 60 });
  return t('dur.h', { h: Math.floor(v / 3600), m: String(Math.floor((v % 3600) / 60)).padStart(2, '0') });
}

export function fmtPercent(x: number | null | undefined, digits = 1): string {
  if (x == null || !isFinite(x)) return '—';
  try {
    return new Intl.NumberFormat(getLang(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
  } catch {
    return (x * 100).toFixed(digits) + '%';
  }
}
