// Application state and actions. A tiny observable store (no library): the
// state is replaced immutably, components subscribe through useStore().

import { useEffect, useReducer, useRef } from 'preact/hooks';
import { api, ApiError, onTwoFactorRequired, onUnauthorized, setCsrfToken, upload } from './api';
import { applyLang, detectLang, t, type Lang } from './i18n';
import { beep, desktopNotify, isMuted, notificationPermission, type Permission } from './notify';
import { Realtime, socketUrl, type SocketState } from './realtime';
import { currentRoute, formatRoute, type Route, type StatusFilter, type View } from './router';
import type { Agent, AgentStatus, Attachment, ConvEvent, Conversation, ServerFrame } from './types';
import { loadJSON, saveJSON, uuid } from './util';
import { onDeskFrame } from './agentdesk';

export interface OutboxItem {
  client_id: string;
  conversation_id: number;
  body: string;
  attachments: Attachment[];
  created_at: number;
  state: 'pending' | 'failed';
  error?: string;
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
}

export interface SecurityNotice {
  failed_logins: number;
  first_at: number;
  last_at: number;
  last_ip: string;
}

const initialLang = detectLang();
applyLang(initialLang);

// Everything that belongs to one signed-in agent: empty before login and after logout.
function signedOut() {
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

// ---- language ----------------------------------------------------------------

export function setLang(l: Lang): void {
  applyLang(l, true);
  setState({ lang: l });
  updateTitle();
}

// ---- routing -----------------------------------------------------------------

export function navigate(route: Route, replace = false, force = false): void {
  const url = formatRoute(route);
  if (url !== location.pathname + location.search) {
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
  }
  applyRoute(route, force);
}

function applyRoute(route: Route, force = false): void {
  const prev = state.route;
  setState({ route });
  if (route.section === 'inbox') {
    if (prev.section !== 'inbox' || prev.status !== route.status || prev.view !== route.view) setState({ cursor: null });
    if (state.listState[route.status] === 'idle') void loadList(route.status);
    if (route.convId != null && (force || prev.section !== 'inbox' || prev.convId !== route.convId)) {
      void openConversation(route.convId);
    }
  }
}

window.addEventListener('popstate', () => {
  if (state.phase === 'app') applyRoute(currentRoute());
});

export function selectView(view: View): void {
  const r = state.route;
  navigate({ section: 'inbox', view, status: r.section === 'inbox' ? r.status : 'open', convId: r.section === 'inbox' ? r.convId : null });
}

export function selectStatus(status: StatusFilter): void {
  const r = state.route;
  navigate({ section: 'inbox', view: r.section === 'inbox' ? r.view : 'mine', status, convId: r.section === 'inbox' ? r.convId : null });
}

export function selectConversation(id: number): void {
  const r = state.route;
  navigate({ section: 'inbox', view: r.section === 'inbox' ? r.view : 'all', status: r.section === 'inbox' ? r.status : 'open', convId: id });
}

// ---- selectors ---------------------------------------------------------------

export function activity(c: Conversation): number {
  return Math.max(c.updated_at || 0, c.last_message?.created_at || 0, c.created_at || 0);
}

export function inView(c: Conversation, view: View, me: Agent | null): boolean {
  if (view === 'unassigned') return !c.assignee;
  if (view === 'mine') return !!me && c.assignee?.id === me.id;
  return true;
}

export function listFor(s: State, view: View, status: StatusFilter): Conversation[] {
  return Object.values(s.convs)
    .filter((c) => c.status === status && inView(c, view, s.me))
    .sort((a, b) => activity(b) - activity(a) || b.id - a.id);
}

export function isUnread(c: Conversation): boolean {
  return !!c.last_message && c.last_message.author_type === 'visitor' && c.agent_read_seq < c.last_seq;
}

export function lastSeqOf(convId: number): number {
  const evs = state.events[convId];
  return evs && evs.length ? evs[evs.length - 1].seq : 0;
}

function openConvId(): number | null {
  return state.route.section === 'inbox' ? state.route.convId : null;
}

// ---- roles ----------------------------------------------------------------------

/** Supervisors and admins: the live view and the reports. */
export function isStaff(me: Agent | null | undefined): boolean {
  return me?.role === 'supervisor' || me?.role === 'admin';
}

export function isAdmin(me: Agent | null | undefined): boolean {
  return me?.role === 'admin';
}

/** Runs the installation: the Workspaces page. */
export function isSuperAdmin(me: Agent | null | undefined): boolean {
  return me?.super_admin === true;
}

/** Whether this person's role opens a page (the server refuses the rest with 403 anyway). */
export function canOpen(me: Agent | null | undefined, route: Route): boolean {
  switch (route.section) {
    case 'inbox':
    case 'account':
      return !!me;
    case 'supervisor':
    case 'reports':
      return isStaff(me);
    default:
      // Workspaces: the installation's super-admins only.
      return route.section === 'settings' && route.tab === 'workspaces' ? isAdmin(me) && isSuperAdmin(me) : isAdmin(me);
  }
}

// ---- auth ----------------------------------------------------------------------

onUnauthorized(() => sessionExpired());
// The workspace started requiring two-factor sign-in while this agent was working.
onTwoFactorRequired(() => {
  if (state.phase === 'app' && state.me) holdForTwoFactor(state.me, csrf);
});

let csrf = '';

export async function boot(): Promise<void> {
  try {
    const res = await api.get<{ agent: Agent; csrf_token: string; two_factor_setup_required?: boolean }>('/me', { quiet401: true });
    if (res.two_factor_setup_required) holdForTwoFactor(res.agent, res.csrf_token);
    else startApp(res.agent, res.csrf_token);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setState({ phase: 'login' });
    } else {
      // Server down at start: show the login form with the reason; retry quietly.
      setState({ phase: 'login', loginNotice: 'network' });
      setTimeout(() => {
        if (state.phase === 'login' && !state.me && state.loginNotice === 'network') void boot();
      }, 5000);
    }
  }
}

/** One e-mail may open several workspaces: the 409 choose_workspace answer lists them. */
export interface WorkspaceChoice {
  id: number;
  name: string;
}

/** Signs in; `otp` is a code from the authenticator app or a recovery code (401 otp_required asks for it). */
export async function login(email: string, password: string, workspaceId?: number, otp?: string): Promise<void> {
  const body: Record<string, unknown> = { email, password };
  if (workspaceId != null) body.workspace_id = workspaceId;
  if (otp) body.otp = otp;
  const res = await api.post<{ agent: Agent; csrf_token: string; security_notice: SecurityNotice | null; two_factor_setup_required?: boolean }>(
    '/auth/login',
    body,
    { quiet401: true },
  );
  if (res.two_factor_setup_required) holdForTwoFactor(res.agent, res.csrf_token);
  else startApp(res.agent, res.csrf_token);
  if (res.security_notice) setState({ securityNotice: res.security_notice });
}

/** Only the two-factor setup (and logout) until it is done: every other API answers 403 two_factor_required. */
function holdForTwoFactor(me: Agent, token: string): void {
  socket?.stop();
  socket = null;
  csrf = token;
  setCsrfToken(token);
  setState({ ...signedOut(), phase: 'twofactor', me, loginNotice: null });
  updateTitle();
}

/** The forced setup is done: on to the console. */
export function twoFactorSetupDone(): void {
  const me = state.me;
  if (state.phase !== 'twofactor' || !me) return;
  startApp({ ...me, two_factor: true }, csrf);
}

export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout', {}, { quiet401: true });
  } catch {
    /* the session is gone either way */
  }
  stopApp('loggedOut');
}

function sessionExpired(): void {
  if (state.phase !== 'app' && state.phase !== 'twofactor') return;
  stopApp('expired');
}

function stopApp(notice: State['loginNotice']): void {
  socket?.stop();
  socket = null;
  setCsrfToken('');
  setState({ ...signedOut(), phase: 'login', loginNotice: notice });
  updateTitle();
}

function outboxKey(): string {
  return 'sb.console.outbox.' + (state.me?.id ?? 0);
}

function saveOutbox(): void {
  saveJSON(outboxKey(), state.outbox);
}

function startApp(me: Agent, token: string): void {
  csrf = token;
  setCsrfToken(token);
  const outbox = loadJSON<OutboxItem[]>('sb.console.outbox.' + me.id, []).filter(
    (o) => o && typeof o.client_id === 'string' && typeof o.conversation_id === 'number',
  );
  let route = currentRoute();
  if (!canOpen(me, route)) route = { section: 'inbox', view: 'mine', status: 'open', convId: null };
  setState({ phase: 'app', me, loginNotice: null, outbox });
  navigate(route, true, true);
  if (state.listState.open === 'idle') void loadList('open');
  void loadAgents();
  socket = new Realtime(socketUrl(), {
    onFrame: handleFrame,
    onOpen: onSocketOpen,
    onState: (s) => setState({ socket: s }),
    onTrouble: () => {
      // The socket keeps failing: maybe the session expired. /me answers 401 then.
      void api.get('/me').catch(() => undefined);
    },
  });
  socket.start();
  // Messages stored while the socket was down: send them by REST right away.
  setTimeout(() => flushOutbox(), 1500);
}

// ---- data loading ---------------------------------------------------------------

export async function loadList(status: StatusFilter): Promise<void> {
  const first = state.listState[status] !== 'loaded';
  if (first) setState((s) => ({ listState: { ...s.listState, [status]: 'loading' } }));
  try {
    const res = await api.get<{ conversations: Conversation[] }>(`/conversations?view=all&status=${status}`);
    const fresh = new Set(res.conversations.map((c) => c.id));
    setState((s) => {
      const convs = { ...s.convs };
      // Drop stale entries of this status that the server no longer lists (changed while we were away).
      for (const c of Object.values(convs)) {
        if (c.status === status && !fresh.has(c.id) && c.id !== openConvId()) delete convs[c.id];
      }
      for (const c of res.conversations) convs[c.id] = mergeConv(convs[c.id], c);
      return { convs, listState: { ...s.listState, [status]: 'loaded' } };
    });
    updateTitle();
  } catch (err) {
    if (first) setState((s) => ({ listState: { ...s.listState, [status]: 'error' } }));
    if (!(err instanceof ApiError && err.status === 401) && !first) {
      /* keep the old list; the socket keeps it live */
    }
  }
}

export async function loadAgents(): Promise<void> {
  try {
    const res = await api.get<{ agents: Agent[] } | Agent[]>('/agents');
    const agents = Array.isArray(res) ? res : res.agents;
    setState({ agents });
  } catch {
    /* not allowed for plain agents on some servers: avatars fall back to hashed colours */
  }
}

/** Keeps the newest copy: frames can arrive out of order with REST answers. */
function mergeConv(old: Conversation | undefined, c: Conversation): Conversation {
  if (!old) return c;
  const ov = (old as { version?: number }).version;
  const nv = (c as { version?: number }).version;
  if (typeof ov === 'number' && typeof nv === 'number' ? ov > nv : (old.updated_at || 0) > (c.updated_at || 0)) return old;
  return {
    ...c,
    // Receipts and seqs only grow.
    last_seq: Math.max(c.last_seq, old.last_seq),
    agent_read_seq: Math.max(c.agent_read_seq, old.agent_read_seq),
    agent_delivered_seq: Math.max(c.agent_delivered_seq, old.agent_delivered_seq),
    visitor_read_seq: Math.max(c.visitor_read_seq, old.visitor_read_seq),
    visitor_delivered_seq: Math.max(c.visitor_delivered_seq, old.visitor_delivered_seq),
    last_message: c.last_seq >= old.last_seq ? c.last_message : old.last_message,
  };
}

export function putConv(c: Conversation): void {
  setState((s) => ({ convs: { ...s.convs, [c.id]: mergeConv(s.convs[c.id], c) } }));
  updateTitle();
}

export async function openConversation(id: number): Promise<void> {
  setState((s) => ({
    details: { ...s.details, [id]: { history: s.details[id]?.history ?? [], loading: true, error: null, notFound: false } },
  }));
  subscribe(id);
  try {
    const [detail, evs] = await Promise.all([
      api.get<{ conversation: Conversation; contact_history: Conversation[] }>(`/conversations/${id}`),
      api.get<{ events: ConvEvent[] }>(`/conversations/${id}/events?after=${lastSeqOf(id)}`),
    ]);
    putConv(detail.conversation);
    mergeEvents(id, evs.events);
    setState((s) => ({
      details: { ...s.details, [id]: { loading: false, error: null, notFound: false, history: detail.contact_history ?? [] } },
    }));
    maybeSendReceipt();
  } catch (err) {
    const notFound = err instanceof ApiError && err.status === 404;
    setState((s) => ({
      details: {
        ...s.details,
        [id]: { history: s.details[id]?.history ?? [], loading: false, error: notFound ? null : errorText(err), notFound },
      },
    }));
  }
}

export function mergeEvents(convId: number, incoming: ConvEvent[]): void {
  if (!incoming.length) return;
  const cur = state.events[convId] ?? [];
  const bySeq = new Map<number, ConvEvent>();
  for (const e of cur) bySeq.set(e.seq, e);
  let added = false;
  for (const e of incoming) {
    if (!bySeq.has(e.seq)) {
      bySeq.set(e.seq, e);
      added = true;
    }
  }
  const clientIds = new Set(incoming.map((e) => e.client_id).filter(Boolean));
  const outbox = state.outbox.filter((o) => !clientIds.has(o.client_id));
  const outboxChanged = outbox.length !== state.outbox.length;
  if (!added && !outboxChanged) return;
  const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const last = events[events.length - 1];
  const patch: Partial<State> = { events: { ...state.events, [convId]: events } };
  if (outboxChanged) patch.outbox = outbox;
  // Keep the conversation summary in step with what we saw.
  const c = state.convs[convId];
  if (c && last.seq > c.last_seq) {
    const lastMsg = [...events].reverse().find((e) => e.kind === 'message');
    patch.convs = {
      ...state.convs,
      [convId]: {
        ...c,
        last_seq: last.seq,
        updated_at: Math.max(c.updated_at, last.created_at),
        last_message: lastMsg
          ? { body: lastMsg.body, author_type: lastMsg.author.type, created_at: lastMsg.created_at }
          : c.last_message,
      },
    };
  }
  // A message from the visitor ends their typing indicator.
  if (incoming.some((e) => e.author.type === 'visitor') && state.typing[convId]) {
    const typing = { ...state.typing };
    delete typing[convId];
    patch.typing = typing;
  }
  setState(patch);
  if (outboxChanged) saveOutbox();
  if (convId === openConvId()) maybeSendReceipt();
}

// ---- realtime --------------------------------------------------------------------

let socket: Realtime | null = null;
const subscribed = new Set<number>();

export function socketRetryNow(): void {
  socket?.kick();
}

function subscribe(id: number): void {
  if (!socket) return;
  if (socket.send({ type: 'subscribe', conversation_id: id, after_seq: lastSeqOf(id) })) subscribed.add(id);
}

function onSocketOpen(): void {
  subscribed.clear();
  const open = openConvId();
  // Re-send every message without an ack, with its original client id.
  for (const o of state.outbox) {
    if (o.state === 'pending') sendFrame(o);
  }
  // Catch up on conversation changes missed while we were away.
  void loadList('open');
  if (state.listState.closed !== 'idle') void loadList('closed');
  // Re-subscribes from the last seq we hold and refreshes the detail.
  if (open != null) void openConversation(open);
}

function handleFrame(f: ServerFrame): void {
  switch (f.type) {
    case 'hello':
      break;
    case 'event':
      mergeEvents(f.event.conversation_id, [f.event]);
      break;
    case 'ack':
      mergeEvents(f.event.conversation_id, [f.event]);
      removeOutbox(f.client_id);
      break;
    case 'conversation':
      onConversationFrame(f.conversation);
      break;
    case 'typing':
      if (f.who !== 'visitor') break;
      setState((s) => {
        const typing = { ...s.typing };
        if (f.typing) typing[f.conversation_id] = { name: f.name, until: Date.now() + 6000 };
        else delete typing[f.conversation_id];
        return { typing };
      });
      break;
    case 'receipt': {
      const c = state.convs[f.conversation_id];
      if (!c) break;
      const upd: Conversation =
        f.who === 'visitor'
          ? {
              ...c,
              visitor_delivered_seq: Math.max(c.visitor_delivered_seq, f.delivered_seq ?? 0),
              visitor_read_seq: Math.max(c.visitor_read_seq, f.read_seq ?? 0),
            }
          : {
              ...c,
              agent_delivered_seq: Math.max(c.agent_delivered_seq, f.delivered_seq ?? 0),
              agent_read_seq: Math.max(c.agent_read_seq, f.read_seq ?? 0),
            };
      setState((s) => ({ convs: { ...s.convs, [c.id]: upd } }));
      updateTitle();
      break;
    }
    case 'offer':
    case 'offer_withdrawn':
    case 'mention':
      onDeskFrame(f);
      break;
    case 'error':
      if (f.client_id) {
        markFailed(f.client_id, f.message || f.code);
      } else if (f.code === 'unauthenticated') {
        sessionExpired();
      } else if (f.code !== 'not_found' || openConvId() == null) {
        toast(t('error.generic', { message: f.message || f.code }), 'error');
      }
      break;
    default:
      break;
  }
}

// A contact was erased (GDPR): the events held here still show what was erased,
// and no new event says so; drop them and read the conversation again.
function rereadIfErased(prev: Conversation | undefined, c: Conversation): void {
  if (!c.meta?.erased_at || prev?.meta?.erased_at === c.meta.erased_at || !state.events[c.id]) return;
  const events = { ...state.events };
  delete events[c.id];
  setState({ events });
  if (state.details[c.id]) void openConversation(c.id);
}

function onConversationFrame(c: Conversation): void {
  const prev = state.convs[c.id];
  const me = state.me;
  const listReady = state.listState.open === 'loaded';
  putConv(c);
  rereadIfErased(prev, c);
  if (!listReady || !me) return;
  const mineOrFree = !c.assignee || c.assignee.id === me.id;
  const isNew = !prev && c.status === 'open';
  const becameWaiting =
    !!prev && c.kind === 'chat' && c.status === 'open' && !c.assignee && !(prev.status === 'open' && !prev.assignee);
  const visitorWrote =
    !!prev && c.status === 'open' && mineOrFree && c.last_seq > prev.last_seq && c.last_message?.author_type === 'visitor';
  const viewing = openConvId() === c.id && document.visibilityState === 'visible';
  const name = contactName(c);
  if (isNew || becameWaiting) {
    beep();
    const key = c.kind === 'callback' ? 'notify.callback' : c.kind === 'offline' ? 'notify.offline' : 'notify.newChat';
    desktopNotify(t(key, { name }), c.last_message?.body ?? '', 'conv-' + c.id, () => selectConversation(c.id));
  } else if (visitorWrote && !viewing) {
    beep();
    desktopNotify(t('notify.newMessage', { name }), c.last_message?.body ?? '', 'conv-' + c.id, () => selectConversation(c.id));
  }
}

export function contactName(c: Conversation): string {
  return c.contact?.name?.trim() || t('contact.unknownName', { id: c.contact?.id ?? c.id });
}

// ---- read receipts -------------------------------------------------------------------

const receiptSent: Record<number, number> = {};

export function maybeSendReceipt(): void {
  const id = openConvId();
  if (id == null || state.phase !== 'app' || document.visibilityState !== 'visible') return;
  const seq = lastSeqOf(id);
  if (!seq || (receiptSent[id] ?? 0) >= seq) return;
  if (socket?.send({ type: 'receipt', conversation_id: id, delivered_seq: seq, read_seq: seq })) {
    receiptSent[id] = seq;
    const c = state.convs[id];
    if (c && c.agent_read_seq < seq) {
      setState((s) => ({ convs: { ...s.convs, [id]: { ...c, agent_read_seq: seq, agent_delivered_seq: Math.max(seq, c.agent_delivered_seq) } } }));
      updateTitle();
    }
  }
}

document.addEventListener('visibilitychange', () => {
  maybeSendReceipt();
});
window.addEventListener('focus', () => maybeSendReceipt());
window.addEventListener('online', () => socket?.kick());

// ---- title ------------------------------------------------------------------------------

export function unreadCount(s: State = state): number {
  let n = 0;
  for (const c of Object.values(s.convs)) {
    if (c.status === 'open' && isUnread(c) && (!c.assignee || c.assignee.id === s.me?.id)) n++;
  }
  return n;
}

function updateTitle(): void {
  const n = state.phase === 'app' ? unreadCount() : 0;
  const base = t('app.name');
  const title = n > 0 ? `(${n}) ${base}` : base;
  if (document.title !== title) document.title = title;
}

// ---- typing ------------------------------------------------------------------------------

let typingConv: number | null = null;
let typingSentAt = 0;
let typingStopTimer: number | undefined;

export function noteTyping(convId: number): void {
  const now = Date.now();
  if (typingConv !== convId || now - typingSentAt >= 2000) {
    if (socket?.send({ type: 'typing', conversation_id: convId, typing: true })) {
      typingConv = convId;
      typingSentAt = now;
    }
  }
  clearTimeout(typingStopTimer);
  typingStopTimer = window.setTimeout(() => stopTyping(), 3000);
}

export function stopTyping(): void {
  clearTimeout(typingStopTimer);
  if (typingConv != null) {
    socket?.send({ type: 'typing', conversation_id: typingConv, typing: false });
    typingConv = null;
    typingSentAt = 0;
  }
}

// ---- sending ------------------------------------------------------------------------------

export function sendMessage(convId: number, body: string, attachments: Attachment[]): void {
  stopTyping();
  const item: OutboxItem = {
    client_id: uuid(),
    conversation_id: convId,
    body,
    attachments,
    created_at: Date.now(),
    state: 'pending',
  };
  setState((s) => ({ outbox: [...s.outbox, item] }));
  saveOutbox();
  deliver(item);
}

function deliver(item: OutboxItem): void {
  if (sendFrame(item)) {
    // Belt and braces: if no ack comes in a while, try the REST path (same client id, so no duplicate).
    setTimeout(() => {
      if (state.outbox.some((o) => o.client_id === item.client_id && o.state === 'pending')) void sendRest(item);
    }, 12_000);
  } else {
    void sendRest(item);
  }
}

function sendFrame(item: OutboxItem): boolean {
  return !!socket?.send({
    type: 'send',
    conversation_id: item.conversation_id,
    client_id: item.client_id,
    body: item.body,
    attachment_ids: item.attachments.map((a) => a.id),
  });
}

const restInFlight = new Set<string>();

async function sendRest(item: OutboxItem): Promise<void> {
  if (restInFlight.has(item.client_id)) return;
  restInFlight.add(item.client_id);
  try {
    const ev = await api.post<ConvEvent>(`/conversations/${item.conversation_id}/messages`, {
      client_id: item.client_id,
      body: item.body,
      attachment_ids: item.attachments.map((a) => a.id),
    });
    mergeEvents(item.conversation_id, [ev]);
    removeOutbox(item.client_id);
  } catch (err) {
    if (err instanceof ApiError && err.status !== 0 && err.status !== 401 && err.status < 500 && err.status !== 429) {
      markFailed(item.client_id, errorText(err));
    }
    // Network trouble / 5xx: stays pending; sent again when the socket is back.
  } finally {
    restInFlight.delete(item.client_id);
  }
}

function flushOutbox(): void {
  if (socket?.isOpen) return; // onSocketOpen already re-sent them
  for (const o of state.outbox) if (o.state === 'pending') void sendRest(o);
}

function removeOutbox(clientId: string): void {
  if (!state.outbox.some((o) => o.client_id === clientId)) return;
  setState((s) => ({ outbox: s.outbox.filter((o) => o.client_id !== clientId) }));
  saveOutbox();
}

function markFailed(clientId: string, error: string): void {
  setState((s) => ({
    outbox: s.outbox.map((o) => (o.client_id === clientId ? { ...o, state: 'failed' as const, error } : o)),
  }));
  saveOutbox();
}

export function retryOutbox(clientId: string): void {
  const item = state.outbox.find((o) => o.client_id === clientId);
  if (!item) return;
  const again = { ...item, state: 'pending' as const, error: undefined };
  setState((s) => ({ outbox: s.outbox.map((o) => (o.client_id === clientId ? again : o)) }));
  saveOutbox();
  deliver(again);
}

export function discardOutbox(clientId: string): void {
  removeOutbox(clientId);
}

export { upload };

// ---- conversation actions --------------------------------------------------------------------

async function conversationAction(convId: number, action: 'assign' | 'close' | 'reopen'): Promise<void> {
  try {
    putConv(await api.post<Conversation>(`/conversations/${convId}/${action}`, {}));
  } catch (err) {
    toastError(err);
  }
}

export const assignToMe = (convId: number) => conversationAction(convId, 'assign');
export const closeConversation = (convId: number) => conversationAction(convId, 'close');
export const reopenConversation = (convId: number) => conversationAction(convId, 'reopen');

export async function setMyStatus(status: AgentStatus): Promise<void> {
  const me = state.me;
  if (!me) return;
  setState({ me: { ...me, status } });
  try {
    const agent = await api.put<Agent>('/me/status', { status });
    if (agent && agent.id) setState({ me: { ...me, ...agent } });
  } catch (err) {
    setState({ me });
    toastError(err);
  }
}

export function agentColor(id: number | undefined, name: string): string {
  const a = id != null ? state.agents.find((x) => x.id === id) : undefined;
  if (a?.avatar_color) return a.avatar_color;
  if (state.me && state.me.id === id) return state.me.avatar_color;
  return '';
}
