// Conversations: the lists, the open conversation's detail and events, the
// page route that selects them, read receipts, typing and the simple actions.

import { api, ApiError } from '../api';
import { currentRoute, formatRoute, type Route, type StatusFilter, type View } from '../router';
import type { Agent, AgentStatus, ConvEvent, Conversation } from '../types';
import { send } from './socket';
import { errorText, getState, lastSeqOf, openConvId, saveOutbox, setState, toastError, updateTitle, type ConvDetail, type State } from './state';

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
  const prev = getState().route;
  setState({ route });
  if (route.section === 'inbox') {
    if (prev.section !== 'inbox' || prev.status !== route.status || prev.view !== route.view) setState({ cursor: null });
    if (getState().listState[route.status] === 'idle') void loadList(route.status);
    if (route.convId != null && (force || prev.section !== 'inbox' || prev.convId !== route.convId)) {
      void openConversation(route.convId);
    }
  }
}

window.addEventListener('popstate', () => {
  if (getState().phase === 'app') applyRoute(currentRoute());
});

/** The inbox's view and status as they are now, or the defaults off the inbox. */
function inboxRoute(defaults: { view: View; status: StatusFilter }) {
  const r = getState().route;
  return r.section === 'inbox' ? { view: r.view, status: r.status, convId: r.convId } : { ...defaults, convId: null };
}

export function selectView(view: View): void {
  const r = inboxRoute({ view, status: 'open' });
  navigate({ section: 'inbox', view, status: r.status, convId: r.convId });
}

export function selectStatus(status: StatusFilter): void {
  const r = inboxRoute({ view: 'mine', status });
  navigate({ section: 'inbox', view: r.view, status, convId: r.convId });
}

export function selectConversation(id: number): void {
  const r = inboxRoute({ view: 'all', status: 'open' });
  navigate({ section: 'inbox', view: r.view, status: r.status, convId: id });
}

// ---- data loading ---------------------------------------------------------------

export async function loadList(status: StatusFilter): Promise<void> {
  const first = getState().listState[status] !== 'loaded';
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
  } catch {
    // A list that loaded once stays: the socket keeps it live.
    if (first) setState((s) => ({ listState: { ...s.listState, [status]: 'error' } }));
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

/** Sets a conversation's detail state; the contact history stays unless the patch brings a new one. */
function setDetail(id: number, patch: Omit<ConvDetail, 'history'> & { history?: Conversation[] }): void {
  setState((s) => ({ details: { ...s.details, [id]: { history: s.details[id]?.history ?? [], ...patch } } }));
}

export async function openConversation(id: number): Promise<void> {
  setDetail(id, { loading: true, error: null, notFound: false });
  send({ type: 'subscribe', conversation_id: id, after_seq: lastSeqOf(id) });
  try {
    const [detail, evs] = await Promise.all([
      api.get<{ conversation: Conversation; contact_history: Conversation[] }>(`/conversations/${id}`),
      api.get<{ events: ConvEvent[] }>(`/conversations/${id}/events?after=${lastSeqOf(id)}`),
    ]);
    putConv(detail.conversation);
    mergeEvents(id, evs.events);
    setDetail(id, { loading: false, error: null, notFound: false, history: detail.contact_history ?? [] });
    maybeSendReceipt();
  } catch (err) {
    const notFound = err instanceof ApiError && err.status === 404;
    setDetail(id, { loading: false, error: notFound ? null : errorText(err), notFound });
  }
}

export function mergeEvents(convId: number, incoming: ConvEvent[]): void {
  if (!incoming.length) return;
  const state = getState();
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
  // An event with our client id is the server's copy of an outbox message: it arrived.
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

// ---- read receipts -------------------------------------------------------------------

const receiptSent: Record<number, number> = {};

export function maybeSendReceipt(): void {
  const id = openConvId();
  if (id == null || getState().phase !== 'app' || document.visibilityState !== 'visible') return;
  const seq = lastSeqOf(id);
  if (!seq || (receiptSent[id] ?? 0) >= seq) return;
  if (send({ type: 'receipt', conversation_id: id, delivered_seq: seq, read_seq: seq })) {
    receiptSent[id] = seq;
    const c = getState().convs[id];
    if (c && c.agent_read_seq < seq) {
      setState((s) => ({ convs: { ...s.convs, [id]: { ...c, agent_read_seq: seq, agent_delivered_seq: Math.max(seq, c.agent_delivered_seq) } } }));
      updateTitle();
    }
  }
}

document.addEventListener('visibilitychange', () => maybeSendReceipt());
window.addEventListener('focus', () => maybeSendReceipt());

// ---- typing ------------------------------------------------------------------------------

let typingConv: number | null = null;
let typingSentAt = 0;
let typingStopTimer: number | undefined;

export function noteTyping(convId: number): void {
  const now = Date.now();
  if (typingConv !== convId || now - typingSentAt >= 2000) {
    if (send({ type: 'typing', conversation_id: convId, typing: true })) {
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
    send({ type: 'typing', conversation_id: typingConv, typing: false });
    typingConv = null;
    typingSentAt = 0;
  }
}

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
  const me = getState().me;
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
