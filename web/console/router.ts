// Tiny history-API router for /console/... paths.

export type View = 'unassigned' | 'mine' | 'all';
export type StatusFilter = 'open' | 'closed';
export type SettingsTab = 'agents' | 'inboxes' | 'routing' | 'kb' | 'bot' | 'coach' | 'survey' | 'surveys' | 'tickets' | 'sla' | 'audit' | 'privacy' | 'security' | 'workspaces';
/** The ticket views (GET /api/v1/tickets?view=); breaching_soon: SLA targets at risk or overdue, least time left first; complaints: a complaint not yet resolved. */
export type TicketView = 'mine_open' | 'unassigned' | 'breaching_soon' | 'complaints' | 'all_open' | 'pending' | 'follow_up_due' | 'solved' | 'closed';
export const TICKET_VIEWS: TicketView[] = ['mine_open', 'unassigned', 'breaching_soon', 'complaints', 'all_open', 'pending', 'follow_up_due', 'solved', 'closed'];
/** The reports' tabs: the overview (Q3: volumes, times, charts, agents, drill-down; /console/reports), the live dashboard, the NPS of a survey (Q2), and the older reports, one each. */
export type ReportTab = 'overview' | 'live' | 'csat' | 'nps' | 'sla' | 'self-service' | 'complaints' | 'coach';
export const REPORT_TABS: ReportTab[] = ['overview', 'live', 'csat', 'nps', 'sla', 'self-service', 'complaints', 'coach'];
/** The tabs whose filters are the address's query (so the report can be linked). */
const QUERY_TABS: ReportTab[] = ['overview', 'nps'];

/** The scripts page's tabs (P2): the scripts by situation, the proposals, and one script's effect (/console/scripts/:id/effect). */
export type ScriptsTab = 'list' | 'proposals' | 'effect';

export type Route =
  | { section: 'inbox'; view: View; status: StatusFilter; convId: number | null }
  | { section: 'settings'; tab: SettingsTab; inboxId: number | 'new' | null }
  | { section: 'tickets'; view: TicketView; tag: string | null; ticketId: number | null }
  | { section: 'supervisor' }
  | { section: 'simulator' }
  /** `query`: the overview's (or the NPS tab's) filters as the address's query (without '?'), so a report can be linked. */
  | { section: 'reports'; tab: ReportTab; query: string }
  | { section: 'account' }
  | { section: 'canned' }
  | { section: 'scripts'; tab: ScriptsTab; scriptId: number | null }
  | { section: 'contacts'; contactId: number | null };

const BASE = '/console';
const VIEWS: View[] = ['unassigned', 'mine', 'all'];

export function parseRoute(pathname: string, search: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean);
  const status: StatusFilter = new URLSearchParams(search).get('status') === 'closed' ? 'closed' : 'open';
  if (parts[0] === 'supervisor' || parts[0] === 'simulator' || parts[0] === 'account' || parts[0] === 'canned') return { section: parts[0] };
  if (parts[0] === 'reports') {
    const tab = REPORT_TABS.find((x) => x === parts[1]) ?? 'overview';
    return { section: 'reports', tab, query: QUERY_TABS.includes(tab) ? search.replace(/^\?/, '') : '' };
  }
  if (parts[0] === 'scripts') {
    if (parts[1] === 'proposals') return { section: 'scripts', tab: 'proposals', scriptId: null };
    const id = parts[1] && parts[2] === 'effect' ? toId(parts[1]) : null;
    return id != null ? { section: 'scripts', tab: 'effect', scriptId: id } : { section: 'scripts', tab: 'list', scriptId: null };
  }
  if (parts[0] === 'tickets') {
    const view = TICKET_VIEWS.find((v) => v === parts[1]) ?? 'mine_open';
    const tag = new URLSearchParams(search).get('tag');
    return { section: 'tickets', view, tag: tag || null, ticketId: parts[2] ? toId(parts[2]) : null };
  }
  if (parts[0] === 'contacts') return { section: 'contacts', contactId: parts[1] ? toId(parts[1]) : null };
  if (parts[0] === 'settings') {
    const tab: SettingsTab = (['inboxes', 'routing', 'kb', 'bot', 'coach', 'survey', 'surveys', 'tickets', 'sla', 'audit', 'privacy', 'security', 'workspaces'] as const).find((x) => x === parts[1]) ?? 'agents';
    let inboxId: number | 'new' | null = null;
    if (tab === 'inboxes' && parts[2]) inboxId = parts[2] === 'new' ? 'new' : toId(parts[2]);
    return { section: 'settings', tab, inboxId };
  }
  let view: View = 'mine';
  let idPart: string | undefined;
  if (parts[0] && (VIEWS as string[]).includes(parts[0])) {
    view = parts[0] as View;
    idPart = parts[1];
  } else if (parts[0] === 'c') {
    view = 'all';
    idPart = parts[1];
  }
  return { section: 'inbox', view, status, convId: idPart ? toId(idPart) : null };
}

function toId(s: string): number | null {
  const n = Number(s);
  return Number.isInteger(n) && n > 0 ? n : null;
}

export function formatRoute(r: Route): string {
  if (r.section === 'supervisor' || r.section === 'simulator' || r.section === 'account' || r.section === 'canned') return `${BASE}/${r.section}`;
  if (r.section === 'reports') return `${BASE}/reports` + (r.tab === 'overview' ? '' : '/' + r.tab) + (QUERY_TABS.includes(r.tab) && r.query ? '?' + r.query : '');
  if (r.section === 'scripts') {
    if (r.tab === 'proposals') return `${BASE}/scripts/proposals`;
    return r.tab === 'effect' && r.scriptId != null ? `${BASE}/scripts/${r.scriptId}/effect` : `${BASE}/scripts`;
  }
  if (r.section === 'tickets') {
    let p = `${BASE}/tickets/${r.view}`;
    if (r.ticketId != null) p += `/${r.ticketId}`;
    if (r.tag) p += `?tag=${encodeURIComponent(r.tag)}`;
    return p;
  }
  if (r.section === 'contacts') return r.contactId != null ? `${BASE}/contacts/${r.contactId}` : `${BASE}/contacts`;
  if (r.section === 'settings') {
    let p = `${BASE}/settings/${r.tab}`;
    if (r.tab === 'inboxes' && r.inboxId != null) p += `/${r.inboxId}`;
    return p;
  }
  let p = `${BASE}/${r.view}`;
  if (r.convId != null) p += `/${r.convId}`;
  if (r.status === 'closed') p += '?status=closed';
  return p;
}

export function currentRoute(): Route {
  return parseRoute(location.pathname, location.search);
}
