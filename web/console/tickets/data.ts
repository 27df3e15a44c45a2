// The help desk's data: ticket lists and view counts, changes (one or in bulk),
// merge and split, chats turned tickets, custom field definitions.
import { api, ApiError } from '../api';
import { t } from '../i18n';
import type { TicketView } from '../router';
import { errorText, getState, navigate, putConv, setState, toast } from '../store';
import type { Conversation, TicketCounts, TicketField, TicketPriority, TicketRow, TicketStatus } from '../types';

export const STATUSES: TicketStatus[] = ['new', 'open', 'pending_customer', 'on_hold', 'solved', 'closed'];
export const PRIORITIES: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

export interface TicketFilters {
  status: TicketStatus | '';
  priority: TicketPriority | '';
  tag: string;
  inbox: string;
  q: string;
}

export const NO_FILTERS: TicketFilters = { status: '', priority: '', tag: '', inbox: '', q: '' };

export interface TicketPage {
  tickets: TicketRow[];
  next_before: string | null;
  now: number;
}

export function listTickets(view: TicketView, f: TicketFilters, before?: string | null, signal?: AbortSignal): Promise<TicketPage> {
  const p = new URLSearchParams({ view, limit: '50' });
  if (f.status) p.set('status', f.status);
  if (f.priority) p.set('priority', f.priority);
  if (f.tag) p.set('tag', f.tag);
  if (f.inbox) p.set('inbox', f.inbox);
  if (f.q.trim()) p.set('q', f.q.trim());
  if (before) p.set('before', before);
  return api.get<TicketPage>('/tickets?' + p.toString(), { signal });
}

let countsTimer: number | null = null;

/** The views' counts; called when the section opens and (debounced) after changes. */
export async function loadCounts(): Promise<void> {
  try {
    setState({ ticketCounts: await api.get<TicketCounts>('/tickets/views') });
  } catch {
    /* the counts are a convenience: the list itself shows errors */
  }
}

export function refreshCountsSoon(): void {
  if (countsTimer != null) clearTimeout(countsTimer);
  countsTimer = window.setTimeout(() => {
    countsTimer = null;
    if (getState().route.section === 'tickets') void loadCounts();
  }, 400);
}

/** What a change may carry (PATCH /tickets/:id). */
export interface TicketPatch {
  status?: TicketStatus;
  priority?: TicketPriority;
  tags?: string[];
  assignee_id?: number | null;
  team_id?: number | null;
  custom_fields?: Record<string, string | number | null>;
  follow_up_at?: number | null;
  subject?: string;
}

/** A refused change's message per field ("status", "custom_fields.size"). */
export function fieldErrors(err: unknown): Record<string, string> {
  if (err instanceof ApiError && err.status === 422 && err.data?.error?.fields) return err.data.error.fields as Record<string, string>;
  return {};
}

export function changeError(err: unknown): string {
  if (err instanceof ApiError && [403, 409, 422].includes(err.status) && err.message) return err.message;
  return errorText(err);
}

export async function patchTicket(id: number, patch: TicketPatch): Promise<Conversation> {
  const c = await api.patch<Conversation>(`/tickets/${id}`, patch);
  putConv(c);
  refreshCountsSoon();
  return c;
}

export interface BulkResult {
  results: { id: number; ok: boolean; status?: number; error?: { code: string; message: string }; ticket?: TicketRow }[];
  ok: number;
  failed: number;
}

export interface BulkChanges {
  status?: TicketStatus;
  priority?: TicketPriority;
  add_tags?: string[];
  remove_tags?: string[];
  assignee_id?: number | null;
}

export async function bulkChange(ids: number[], changes: BulkChanges): Promise<BulkResult> {
  const r = await api.post<BulkResult>('/tickets/bulk', { ids, changes });
  refreshCountsSoon();
  if (r.failed) toast(t('tickets.bulkPartial', { ok: r.ok, failed: r.failed }), 'error');
  else toast(t('tickets.bulkDone', { count: r.ok }), 'success');
  return r;
}

export async function mergeTicket(id: number, into: number): Promise<Conversation> {
  const r = await api.post<{ ticket: Conversation }>(`/tickets/${id}/merge`, { into });
  putConv(r.ticket);
  refreshCountsSoon();
  return r.ticket;
}

export async function splitTicket(id: number, eventId: number): Promise<Conversation> {
  const r = await api.post<{ ticket: Conversation }>(`/tickets/${id}/split`, { event_id: eventId });
  putConv(r.ticket);
  refreshCountsSoon();
  return r.ticket;
}

/** A chat that cannot be finished now: a ticket with a follow-up in `hours` (seed 004: 24 h). */
export async function chatToTicket(id: number, body: { status: TicketStatus; subject?: string; follow_up_hours: number }): Promise<Conversation> {
  const c = await api.post<Conversation>(`/conversations/${id}/ticket`, body);
  putConv(c);
  return c;
}

export function openTicket(id: number): void {
  const r = getState().route;
  if (r.section === 'tickets') navigate({ ...r, ticketId: id });
  else navigate({ section: 'tickets', view: 'all_open', tag: null, ticketId: id });
}

// ---- custom field definitions (shared by the properties panel and the settings tab) ----

let fieldsCache: TicketField[] | null = null;
const fieldSubs = new Set<(f: TicketField[]) => void>();

export async function loadFields(force = false): Promise<TicketField[]> {
  if (fieldsCache && !force) return fieldsCache;
  const r = await api.get<{ fields: TicketField[] }>('/ticket-fields');
  fieldsCache = r.fields;
  fieldSubs.forEach((f) => f(r.fields));
  return r.fields;
}

export function onFields(f: (fields: TicketField[]) => void): () => void {
  fieldSubs.add(f);
  return () => fieldSubs.delete(f);
}

export function cachedFields(): TicketField[] | null {
  return fieldsCache;
}

/** A `datetime-local` value for an instant, in the browser's zone. */
export function toLocalInput(ms: number | null | undefined): string {
  if (!ms) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(v: string): number | null {
  if (!v) return null;
  const ms = new Date(v).getTime();
  return Number.isFinite(ms) ? ms : null;
}
