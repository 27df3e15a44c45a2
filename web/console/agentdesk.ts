// The agent's routing day: conversation offers, @mention notices,
// the workspace routing catalogue (custom statuses, teams), the agent's status,
// and the conversation actions transfer / hold / internal note.
//
// Offers, mentions and the catalogue live in the store's state (offers,
// mentions, routing), so logging out clears them with the rest.

import { api, ApiError } from './api';
import { t, type StringKey } from './i18n';
import { beep, desktopNotify } from './notify';
import { mergeEvents, navigate, putConv, selectConversation } from './store/conversations';
import { contactName } from './store/selectors';
import { errorText, getState, setState, toast } from './store/state';
import type { Agent, AgentStatus, ConvEvent, Conversation, MentionNotice, Offer, RoutingCatalogue, ServerFrame } from './types';
import { uuid } from './util';
import { openTicket, refreshCountsSoon } from './tickets/data';

export type { MentionNotice, Offer, RoutingCatalogue };

const offers = () => getState().offers;
const mentions = () => getState().mentions;

/** Forgets the timers and the loaded catalogue; the state itself is emptied by the session. */
export function resetDesk(): void {
  for (const timer of mentionTimers.values()) clearTimeout(timer);
  mentionTimers.clear();
  routingLoad = null;
}

export function clearDesk(): void {
  resetDesk();
  setState({ offers: [], mentions: [], routing: null });
}

// ---- frames ------------------------------------------------------------------------

export function onDeskFrame(f: ServerFrame): void {
  if (f.type === 'offer') {
    const c = f.conversation;
    putConv(c);
    const timeout = Math.max(1, Number(f.timeout_s) || Math.round((f.expires_at - Date.now()) / 1000) || 30);
    const offer: Offer = { conversation: c, expires_at: f.expires_at, timeout_s: timeout, received_at: Date.now(), busy: false };
    setState({ offers: [...offers().filter((o) => o.conversation.id !== c.id), offer] });
    if (c.last_message && c.last_message.author_type !== 'visitor') void fetchQuestion(c.id);
    beep();
    desktopNotify(t('offer.notify', { name: contactName(c) }), offerPreview(c), 'offer-' + c.id, () => undefined);
  } else if (f.type === 'offer_withdrawn') {
    dropOffer(f.conversation_id);
  } else if (f.type === 'ticket_follow_up') {
    // A follow-up reminder came due on a ticket of this agent's.
    const label = t('tickets.followUpNotify', { number: f.conversation_id, subject: f.subject || f.contact_name || '' });
    toast(label, 'info');
    beep();
    desktopNotify(t('tickets.followUpDue'), label, 'follow-up-' + f.conversation_id, () => openTicket(f.conversation_id));
    refreshCountsSoon();
  } else if (f.type === 'mention') {
    const key = mentionKey(f.conversation_id, f.by?.id, f.body || '');
    // The same mention again (a replay after a reconnect): not shown twice, nor after it was dismissed.
    if (mentionsDone.has(key) || mentions().some((m) => mentionKey(m.conversation_id, m.by?.id, m.body) === key)) return;
    const n: MentionNotice = { id: ++mentionSeq, conversation_id: f.conversation_id, by: f.by, body: f.body || '', at: Date.now() };
    setState({ mentions: [...mentions(), n].slice(-3) });
    mentionTimers.set(n.id, window.setTimeout(() => dismissMention(n.id), 20_000));
    beep();
    desktopNotify(t('mention.title', { name: f.by?.name || '' }), n.body, 'mention-' + n.id, () => openMention(n));
  } else if (f.type === 'sla_alert') {
    // The SLA timer escalated a ticket to this agent (at risk, overdue, or its follow-up is due).
    const text =
      f.action === 'follow_up'
        ? t('sla.alertFollowUp', { number: String(f.conversation_id) })
        : t(f.badge === 'breached' ? 'sla.alertBreached' : 'sla.alertAtRisk', { number: String(f.conversation_id), metric: t(`sla.metric.${f.metric ?? 'first_response'}` as StringKey) });
    toast(text, 'info');
    desktopNotify(text, f.subject || '', 'sla-' + f.conversation_id, () => navigate({ section: 'inbox', view: 'all', status: 'open', convId: f.conversation_id }));
  }
}

/**
 * What an offer card previews: the customer's last message (their question), never the
 * bot's or an agent's reply; until that is known (`question`, fetched), the subject.
 */
export function offerPreview(c: Conversation, question?: string): string {
  if (question) return question;
  if (c.last_message?.author_type === 'visitor' && c.last_message.body) return c.last_message.body;
  return c.subject || '';
}

/** The customer's last message of an offered conversation whose last message is someone else's. */
async function fetchQuestion(convId: number): Promise<void> {
  try {
    const r = await api.get<{ events: ConvEvent[] }>(`/conversations/${convId}/events?after=0`);
    const ev = [...(r?.events ?? [])].reverse().find((e) => e.kind === 'message' && e.author?.type === 'visitor' && e.body);
    if (!ev) return;
    setState({ offers: offers().map((o) => (o.conversation.id === convId ? { ...o, question: ev.body } : o)) });
  } catch {
    /* the subject stays */
  }
}

/** Seconds left on an offer, by the local clock from when it arrived. */
export function offerSecondsLeft(o: Offer, now = Date.now()): number {
  const bySkewFree = o.received_at + o.timeout_s * 1000 - now;
  return Math.max(0, Math.ceil(bySkewFree / 1000));
}

function dropOffer(convId: number): void {
  if (!offers().some((o) => o.conversation.id === convId)) return;
  setState({ offers: offers().filter((o) => o.conversation.id !== convId) });
}

/** Offers whose time ran out locally (the server's offer_withdrawn normally comes first). */
export function expireOffers(now = Date.now()): void {
  const live = offers().filter((o) => o.busy || offerSecondsLeft(o, now - 3000) > 0);
  if (live.length !== offers().length) setState({ offers: live });
}

function setBusy(convId: number, busy: boolean): void {
  setState({ offers: offers().map((o) => (o.conversation.id === convId ? { ...o, busy } : o)) });
}

export async function acceptOffer(convId: number): Promise<boolean> {
  const o = offers().find((x) => x.conversation.id === convId);
  if (!o || o.busy) return false;
  setBusy(convId, true);
  try {
    const c = await api.post<Conversation>(`/conversations/${convId}/accept`, {});
    if (c && c.id) putConv(c);
    dropOffer(convId);
    navigate({ section: 'inbox', view: 'mine', status: 'open', convId });
    return true;
  } catch (err) {
    offerFailed(convId, err);
    return false;
  }
}

export async function declineOffer(convId: number): Promise<void> {
  const o = offers().find((x) => x.conversation.id === convId);
  if (!o || o.busy) return;
  setBusy(convId, true);
  try {
    await api.post(`/conversations/${convId}/decline`, {});
    dropOffer(convId);
  } catch (err) {
    offerFailed(convId, err);
  }
}

function offerFailed(convId: number, err: unknown): void {
  if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
    dropOffer(convId);
    toast(t('offer.gone'), 'info');
  } else {
    setBusy(convId, false);
    if (!(err instanceof ApiError && err.status === 401)) toast(errorText(err), 'error');
  }
}

// ---- mentions -------------------------------------------------------------------------

let mentionSeq = 0;
const mentionTimers = new Map<number, number>();

/** Mentions dismissed or opened in this browser session: never shown again. */
const DONE_KEY = 'sb.console.mentionsDone';
const mentionsDone = new Set<string>(
  (() => {
    try {
      return JSON.parse(sessionStorage.getItem(DONE_KEY) || '[]') as string[];
    } catch {
      return [];
    }
  })(),
);
function mentionKey(convId: number, byId: number | undefined, body: string): string {
  return `${convId}:${byId ?? ''}:${body}`;
}

export function dismissMention(id: number): void {
  clearTimeout(mentionTimers.get(id));
  mentionTimers.delete(id);
  const m = mentions().find((x) => x.id === id);
  if (m) {
    mentionsDone.add(mentionKey(m.conversation_id, m.by?.id, m.body));
    try {
      sessionStorage.setItem(DONE_KEY, JSON.stringify([...mentionsDone].slice(-200)));
    } catch {
      /* storage disabled */
    }
  }
  if (mentions().some((m) => m.id === id)) setState({ mentions: mentions().filter((m) => m.id !== id) });
}

/** Keeps a notice on screen while the agent reads it (hover / focus). */
export function holdMention(id: number): void {
  clearTimeout(mentionTimers.get(id));
  mentionTimers.delete(id);
}

/** The conversation opened (however: the notice, the list, a link): its mention notices go. */
export function dismissMentionsOf(convId: number): void {
  for (const m of mentions()) if (m.conversation_id === convId) dismissMention(m.id);
}

export function openMention(n: MentionNotice): void {
  dismissMention(n.id);
  selectConversation(n.conversation_id);
}

// ---- routing catalogue and status -------------------------------------------------------

let routingLoad: Promise<RoutingCatalogue | null> | null = null;

/** GET /api/v1/routing once per session (again with force). */
export function loadRouting(force = false): Promise<RoutingCatalogue | null> {
  if (routingLoad && !force) return routingLoad;
  routingLoad = api
    .get<RoutingCatalogue>('/routing')
    .then((r) => {
      const cat: RoutingCatalogue = { skills: r?.skills ?? [], teams: r?.teams ?? [], statuses: r?.statuses ?? [] };
      setState({ routing: cat });
      return cat;
    })
    .catch(() => {
      routingLoad = null; // not there yet (older server): try again next time
      return null;
    });
  return routingLoad;
}

export type StatusChoice = { status: AgentStatus } | { custom_status_id: number };

export async function setStatus(choice: StatusChoice): Promise<void> {
  const me = getState().me;
  if (!me) return;
  const optimistic: Agent =
    'status' in choice
      ? { ...me, status: choice.status, custom_status_id: null, status_since: Date.now() }
      : { ...me, custom_status_id: choice.custom_status_id, status_since: Date.now() };
  setState({ me: optimistic });
  try {
    const agent = await api.put<Agent>('/me/status', choice);
    if (agent && agent.id) setState({ me: { ...optimistic, ...agent } });
  } catch (err) {
    setState({ me });
    if (!(err instanceof ApiError && err.status === 401)) toast(errorText(err), 'error');
  }
}

// ---- conversation actions ------------------------------------------------------------------

export async function transferConversation(convId: number, target: { agent_id: number } | { team_id: number }, note: string): Promise<Conversation> {
  const body: Record<string, unknown> = { ...target };
  if (note.trim()) body.note = note.trim();
  const c = await api.post<Conversation>(`/conversations/${convId}/transfer`, body);
  if (c && c.id) putConv(c);
  return c;
}

export async function holdConversation(convId: number, message: string): Promise<void> {
  const ev = await api.post<ConvEvent>(`/conversations/${convId}/hold`, message.trim() ? { message: message.trim() } : {});
  if (ev && typeof ev.seq === 'number') mergeEvents(convId, [ev]);
}

export async function addNote(convId: number, body: string): Promise<void> {
  const ev = await api.post<ConvEvent>(`/conversations/${convId}/notes`, { body, client_id: uuid() });
  if (ev && typeof ev.seq === 'number') mergeEvents(convId, [ev]);
}

/** First name used for @mentions ("Anna Rossi" -> "Anna"). */
export function firstName(name: string): string {
  return (name || '').trim().split(/\s+/)[0] || '';
}
