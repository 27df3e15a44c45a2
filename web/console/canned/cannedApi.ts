// Canned answers (P1, docs/PROTOCOL.md): stored replies with a /shortcut, one to ten
// variants (the least used is offered next) with {{variables}} filled from the
// conversation, and ticket fields a predefined answer sets. The API calls, the
// "/query" under the caret, and the client-side preview of a variant with sample values.
// An answer may keep files (each use sends fresh copies, /attach), and supervisors see
// which variant did better (/effect, components/VariantEffect.tsx).
import { api, ApiError } from '../api';
import type { EffectFigures } from '../components/VariantEffect';
import type { Attachment, TicketPriority, TicketStatus } from '../types';

export type CannedScope = 'personal' | 'team' | 'workspace';
export const SCOPES: CannedScope[] = ['personal', 'team', 'workspace'];
export const MAX_VARIANTS = 10;
/** The most files an answer keeps. */
export const MAX_FILES = 5;

export interface CannedVariant {
  index: number;
  text: string;
  uses: number;
}

export interface CannedActions {
  status?: TicketStatus;
  priority?: TicketPriority;
  tags?: string[];
}

export interface CannedAnswer {
  id: number;
  scope: CannedScope;
  team_id: number | null;
  owner_id: number | null;
  /** "" for any language. */
  language: string;
  shortcut: string;
  title: string;
  variants: CannedVariant[];
  uses: number;
  next_variant: number;
  actions: CannedActions;
  /** The answer's files (none on an older server). */
  attachments?: Attachment[];
  editable: boolean;
  created_at: number;
  updated_at: number;
}

export interface CannedRender {
  text: string;
  variant: number;
  variants: number;
  missing: string[];
  actions: CannedActions;
}

export interface CannedBody {
  scope: CannedScope;
  team_id: number | null;
  language: string;
  shortcut: string;
  title: string;
  variants: string[];
  actions: CannedActions;
  /** The files as they should be: ids the answer has and fresh uploads (at most 5). */
  attachment_ids: string[];
}

/** GET /canned/:id/effect: each variant's CSAT, resolution and handle time (variant ids are indices from 0). */
export interface CannedEffect extends EffectFigures {
  answer: CannedAnswer;
}

// ---- the API ---------------------------------------------------------------------------

/** Set when the server has no canned answers (an older server): the composer stops asking. */
let unavailable = false;

/** "no such endpoint" (the router's 404), not an answer that is gone. */
export const noEndpoint = (err: unknown) =>
  err instanceof ApiError && ((err.status === 404 && /no such endpoint/i.test(err.message)) || err.status === 405 || err.status === 501);

export function cannedAvailable(): boolean {
  return !unavailable;
}

/** The answers the agent may see, best match for `q` first (at most 200). */
export async function listCanned(q: string, language?: string, signal?: AbortSignal): Promise<CannedAnswer[]> {
  const p = new URLSearchParams({ q });
  if (language) p.set('language', language);
  try {
    const r = await api.get<{ answers: CannedAnswer[] }>('/canned?' + p.toString(), { signal });
    return Array.isArray(r?.answers) ? r.answers : [];
  } catch (err) {
    if (noEndpoint(err)) unavailable = true;
    throw err;
  }
}

/** The picker's search: [] when there is no API, it failed or it was aborted. */
export async function searchCanned(q: string, language: string | undefined, signal: AbortSignal): Promise<CannedAnswer[] | null> {
  if (unavailable) return [];
  try {
    return await listCanned(q, language, signal);
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') return null;
    return [];
  }
}

export function renderCanned(id: number, body: { conversation_id?: number; variant?: number }): Promise<CannedRender> {
  return api.post<CannedRender>(`/canned/${id}/render`, body);
}

/**
 * Counts a use of `variant` in the conversation (which links the variant to its outcome); best
 * effort: a lost count is no reason to bother the agent.
 */
export function countUse(id: number, variant: number, conversationId?: number): void {
  api.post(`/canned/${id}/used`, conversationId ? { variant, conversation_id: conversationId } : { variant }).catch(() => undefined);
}

/** Fresh copies of the answer's files, the agent's own uploads, to send in the conversation. */
export async function attachCanned(id: number, conversationId: number): Promise<Attachment[]> {
  const r = await api.post<{ attachments: Attachment[] }>(`/canned/${id}/attach`, { conversation_id: conversationId });
  return Array.isArray(r?.attachments) ? r.attachments : [];
}

export function cannedEffect(id: number): Promise<CannedEffect> {
  return api.get<CannedEffect>(`/canned/${id}/effect`);
}

export function createCanned(body: CannedBody): Promise<CannedAnswer> {
  return api.post<CannedAnswer>('/canned', body);
}

export function updateCanned(id: number, body: CannedBody): Promise<CannedAnswer> {
  return api.patch<CannedAnswer>(`/canned/${id}`, body);
}

export function deleteCanned(id: number): Promise<unknown> {
  return api.del(`/canned/${id}`);
}

/** A refusal's messages per field ("shortcut", "variants[1]", "actions.status"): 422, and 409 (shortcut taken). */
export function cannedFieldErrors(err: unknown): Record<string, string> {
  if (err instanceof ApiError && (err.status === 422 || err.status === 409) && err.data?.error?.fields) return err.data.error.fields as Record<string, string>;
  return {};
}

// ---- the "/query" under the caret ----------------------------------------------------------

export interface SlashQuery {
  /** Index of the "/". */
  start: number;
  /** Caret position (end of the typed query). */
  end: number;
  query: string;
}

/** The "/query" right before the caret, when the "/" starts the draft or follows a space. */
export function slashAt(text: string, caret: number): SlashQuery | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)\/([\p{L}\p{N}_-]{0,40})$/u.exec(before);
  if (!m) return null;
  return { start: caret - m[2].length - 1, end: caret, query: m[2] };
}

// ---- variables ----------------------------------------------------------------------------

/** The variables a variant may use (docs/PROTOCOL.md), plus ticket.custom.<key>. */
export const VARIABLES = [
  'contact.name',
  'contact.first_name',
  'contact.email',
  'contact.phone',
  'agent.name',
  'agent.first_name',
  'inbox.name',
  'inbox.hours_today',
  'workspace.name',
  'conversation.id',
  'ticket.subject',
] as const;

export function knownVariable(name: string): boolean {
  return (VARIABLES as readonly string[]).includes(name) || /^ticket\.custom\.[A-Za-z0-9_]+$/.test(name);
}

export type Piece = { text: string } | { name: string; fallback: string; raw: string };

/** A variant cut into text and {{placeholders}} (an unclosed "{{" is text), as the server reads it. */
export function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  let from = 0;
  for (let at = text.indexOf('{{'); at >= 0; at = text.indexOf('{{', from)) {
    const end = text.indexOf('}}', at + 2);
    if (end < 0) break;
    if (at > from) out.push({ text: text.slice(from, at) });
    const inner = text.slice(at + 2, end);
    const bar = inner.indexOf('|');
    out.push({
      name: (bar >= 0 ? inner.slice(0, bar) : inner).trim(),
      fallback: bar >= 0 ? inner.slice(bar + 1).trim() : '',
      raw: text.slice(at, end + 2),
    });
    from = end + 2;
  }
  if (from < text.length) out.push({ text: text.slice(from) });
  return out;
}

/** The unknown {{names}} of a variant. */
export function unknownVariables(text: string): string[] {
  const out: string[] = [];
  for (const p of pieces(text)) if ('name' in p && !knownVariable(p.name) && !out.includes(p.name)) out.push(p.name);
  return out;
}

/**
 * Where the first of `missing` landed in `rendered` (the server leaves a missing value empty):
 * the caret goes there so the agent can type it. Found by walking the variant's text pieces
 * through the rendered text; null when that cannot be told (two placeholders side by side).
 */
export function missingCaret(template: string, rendered: string, missing: string[]): number | null {
  if (!missing.length) return null;
  const ps = pieces(template.trim());
  let pos = 0;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if ('text' in p) {
      if (!rendered.startsWith(p.text, pos)) return null;
      pos += p.text.length;
      continue;
    }
    if (missing.includes(p.name) && !p.fallback) return pos;
    const next = ps[i + 1];
    if (!next) return null;
    if (!('text' in next)) return null;
    const at = rendered.indexOf(next.text, pos);
    if (at < 0) return null;
    pos = at;
  }
  return null;
}
