// Application state: a tiny observable store (no library). The state is
// replaced immutably, components subscribe through useStore(). Everything
// else in store/ is actions on this state:
//   selectors.ts      pure reads (lists, unread, roles, names)
//   socket.ts         the one WebSocket connection
//   conversations.ts  lists, details, events, navigation, receipts, typing
//   outbox.ts         messages on their way to the server
//   realtime.ts       frames from the server
//   session.ts        sign-in, two-factor hold, logout

import { useEffect, useReducer, useRef } from 'preact/hooks';
import { ApiError } from '../api';
import { applyLang, detectLang, loadLang, t, type Lang } from '../i18n';
import { isMuted, notificationPermission, type Permission } from '../notify';
import type { SocketState } from '../realtime';
import { currentRoute, type Route, type StatusFilter } from '../router';
import type { Agent, Attachment, ConvEvent, Conversation, MentionNotice, Offer, RoutingCatalogue, TicketCounts } from '../types';
import { saveJSON } from '../util';

export interface OutboxItem {
  client_id: string;
  conversation_id: number;
  body: string;
  attachments: Attachment[];
  created_at: number;
  state: 'pending' | 'failed';
  error?: string;
  /** A reply on a mail ticket: its Cc/Bcc and quote go by REST to the mail route. */
  mail?: { cc: { name: string; address: string }[] | null; bcc: { name: string; address: string }[]; quote: string };
}

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error' | 'success';
}

export interface ConvDetail {
  loading: boolean;
  error: string | null;
  notFound: boolean;
  history: Conversation[];
}

export interface SecurityNotice {
  failed_logins: number;
  first_at: number;
  last_at: number;
  last_ip: string;
}

export interface State {
  /** twofactor: signed in, but the workspace requires two-factor sign-in and this agent must set it up first. */
  phase: 'loading' | 'login' | 'twofactor' | 'app';
  loginNotice: 'expired' | 'loggedOut' | 'network' | null;
  me: Agent | null;
  lang: Lang;
  route: Route;
  convs: Record<number, Conversation>;
  listState: Record<StatusFilter, 'idle' | 'loading' | 'loaded' | 'error'>;
  details: Record<number, ConvDetail>;
  events: Record<number, ConvEvent[]>;
  typing: Record<number, { name: string; until: number }>;
  outbox: OutboxItem[];
  socket: SocketState;
  agents: Agent[];
  toasts: Toast[];
  permission: Permission;
  muted: boolean;
  helpOpen: boolean;
  /** Conversation under the keyboard cursor in the visible list (by id: the list reorders live). */
  cursor: number | null;
  /** Failed sign-ins on this account since the last login, shown once after signing in. */
  securityNotice: SecurityNotice | null;
  /** Conversations offered to this agent (push routing), newest last. */
  offers: Offer[];
  /** @mention notices on screen (at most three). */
  mentions: MentionNotice[];
  /** The workspace routing catalogue (custom statuses, teams, skills), once loaded. */
  routing: RoutingCatalogue | null;
  /** Ticket views' counts and top tags (GET /tickets/views), loaded in the Tickets section. */
  ticketCounts: TicketCounts | null;
}

const initialLang = detectLang();
applyLang(initialLang);

/** Everything that belongs to one signed-in agent: empty before login and after logout. */
export function signedOut() {
  return {
    me: null,
    convs: {},
    listState: { open: 'idle', closed: 'idle' },
    details: {},
    events: {},
    typing: {},
    outbox: [],
    socket: 'closed',
    agents: [],
    helpOpen: false,
    securityNotice: null,
    offers: [],
    mentions: [],
    routing: null,
    ticketCounts: null,
  } satisfies Partial<State>;
}

let state: State = {
  ...signedOut(),
  phase: 'loading',
  loginNotice: null,
  lang: initialLang,
  route: currentRoute(),
  toasts: [],
  permission: notificationPermission(),
  muted: isMuted(),
  cursor: null,
};

const listeners = new Set<() => void>();

export function getState(): State {
  return state;
}

export function setState(patch: Partial<State> | ((s: State) => Partial<State>)): void {
  const p = typeof patch === 'function' ? patch(state) : patch;
  state = { ...state, ...p };
  listeners.forEach((l) => l());
}

/** Subscribes a component to a slice of the state; re-renders when it changes (by identity). */
export function useStore<T>(select: (s: State) => T): T {
  const [, force] = useReducer((x: number) => x + 1, 0);
  const selRef = useRef(select);
  selRef.current = select;
  const valRef = useRef<T>(select(state));
  valRef.current = select(state);
  useEffect(() => {
    const check = () => {
      const next = selRef.current(state);
      if (!Object.is(next, valRef.current)) {
        valRef.current = next;
        force(0);
      }
    };
    listeners.add(check);
    check();
    return () => {
      listeners.delete(check);
    };
  }, []);
  return valRef.current;
}

// ---- toasts -----------------------------------------------------------------

let toastSeq = 0;
export function toast(text: string, kind: Toast['kind'] = 'info'): void {
  const id = ++toastSeq;
  setState((s) => ({ toasts: [...s.toasts, { id, text, kind }].slice(-4) }));
  setTimeout(() => dismissToast(id), kind === 'error' ? 7000 : 4000);
}

export function dismissToast(id: number): void {
  setState((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) }));
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 403) return t('error.forbidden');
    if (err.status === 404) return t('error.notFound');
    if (err.status === 429) return t('error.rateLimited');
    if (err.status === 409 && err.message) return err.message.charAt(0).toUpperCase() + err.message.slice(1); // "Agent is at capacity for chat"
    return t('error.generic', { message: err.message });
  }
  return t('error.generic', { message: String((err as Error)?.message ?? err) });
}

export function toastError(err: unknown): void {
  if (err instanceof ApiError && err.status === 401) return; // handled: back to login
  toast(errorText(err), 'error');
}

// ---- language and title ----------------------------------------------------------

let langWanted: Lang | null = null;

/** Switches the console's language, once its strings (a chunk of their own) are loaded. */
export function setLang(l: Lang): Promise<void> {
  langWanted = l;
  return loadLang(l).then(
    () => {
      if (langWanted !== l) return; // a later choice won
      applyLang(l, true);
      setState({ lang: l });
      updateTitle();
    },
    (err) => toastError(err),
  );
}

export function isUnread(c: Conversation): boolean {
  return !!c.last_message && c.last_message.author_type === 'visitor' && c.agent_read_seq < c.last_seq;
}

export function unreadCount(s: State = state): number {
  let n = 0;
  for (const c of Object.values(s.convs)) {
    if (c.status === 'open' && isUnread(c) && (!c.assignee || c.assignee.id === s.me?.id)) n++;
  }
  return n;
}

export function updateTitle(): void {
  const n = state.phase === 'app' ? unreadCount() : 0;
  const base = t('app.name');
  const title = n > 0 ? `(${n}) ${base}` : base;
  if (document.title !== title) document.title = title;
}

// ---- small reads used by every action module ------------------------------------------

export function openConvId(): number | null {
  const r = state.route;
  return r.section === 'inbox' ? r.convId : r.section === 'tickets' ? r.ticketId : null;
}

export function lastSeqOf(convId: number): number {
  const evs = state.events[convId];
  return evs && evs.length ? evs[evs.length - 1].seq : 0;
}

/** The outbox survives reloads, per agent. */
export function outboxKey(agentId: number | undefined): string {
  return 'sb.console.outbox.' + (agentId ?? 0);
}

export function saveOutbox(): void {
  saveJSON(outboxKey(state.me?.id), state.outbox);
}
