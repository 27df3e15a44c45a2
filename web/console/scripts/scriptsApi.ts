// Scripts (P2, docs/PROTOCOL.md): what to say in each situation of seed 001 (greeting,
// information request, wrong company, hold, transfer, saying "no", closing), per language,
// in variants. Agents propose scripts and changes, supervisors approve them or edit
// directly; the composer asks which script fits the moment; each variant's effect (CSAT,
// resolution, handle time with 95% intervals and a verdict) and "promote the winner".
// The API calls, the shapes, and a client-side fill of {{variables}} for a script the
// server did not suggest.
import { api, ApiError } from '../api';
import { t, type StringKey } from '../i18n';
import type { Agent, Conversation } from '../types';
import { noEndpoint, pieces } from '../canned/cannedApi';
import type { EffectFigures } from '../components/VariantEffect';

export type Situation = 'greeting' | 'information' | 'wrong_company' | 'hold' | 'transfer' | 'saying_no' | 'closing';
export const SITUATIONS: Situation[] = ['greeting', 'information', 'wrong_company', 'hold', 'transfer', 'saying_no', 'closing'];
export const MAX_VARIANTS = 10;
/** The server's minimum of observations per variant before it compares them. */
export const MIN_PER_VARIANT = 30;

export interface ScriptVariant {
  id: number;
  text: string;
  retired: boolean;
  uses: number;
}

export interface Script {
  id: number;
  situation: Situation;
  /** "" for any language. */
  language: string;
  title: string;
  variants: ScriptVariant[];
  /** The variant offered next (the least used one in use), null when all are retired. */
  offer: number | null;
  created_at: number;
  updated_at: number;
}

export type ProposalStatus = 'pending' | 'approved' | 'rejected';

export interface Proposal {
  id: number;
  script_id: number | null;
  situation: Situation;
  language: string;
  title: string;
  variants: string[];
  note: string;
  status: ProposalStatus;
  proposed_by: number;
  reviewed_by: number | null;
  review_note: string;
  created_at: number;
  reviewed_at: number | null;
}

export interface Suggested {
  id: number;
  title: string;
  language: string;
  variant: number;
  /** The variant with the conversation's values filled in. */
  text: string;
  missing: string[];
}

export interface Suggestion {
  situation: Situation;
  language: string;
  scripts: Suggested[];
}

export type { Estimate, Verdict, VerdictKind, VariantEffect } from '../components/VariantEffect';

export interface Effect extends EffectFigures {
  script: Script;
}

export interface ScriptBody {
  situation: Situation;
  language: string;
  title: string;
  variants: string[];
}

export const SITUATION_LABEL: Record<Situation, StringKey> = {
  greeting: 'scripts.situation.greeting',
  information: 'scripts.situation.information',
  wrong_company: 'scripts.situation.wrong_company',
  hold: 'scripts.situation.hold',
  transfer: 'scripts.situation.transfer',
  saying_no: 'scripts.situation.saying_no',
  closing: 'scripts.situation.closing',
};

export function situationName(s: string): string {
  return (SITUATIONS as string[]).includes(s) ? t(SITUATION_LABEL[s as Situation]) : s;
}

// ---- the API ------------------------------------------------------------------------------

/** Set when the server has no scripts (an older server): the composer stops asking. */
let unavailable = false;
export function scriptsAvailable(): boolean {
  return !unavailable;
}
function note404(err: unknown): never {
  if (noEndpoint(err)) unavailable = true;
  throw err;
}

export async function listScripts(filter: { situation?: string; language?: string } = {}, signal?: AbortSignal): Promise<Script[]> {
  const p = new URLSearchParams();
  if (filter.situation) p.set('situation', filter.situation);
  if (filter.language) p.set('language', filter.language);
  const q = p.toString();
  try {
    const r = await api.get<{ scripts: Script[] }>('/scripts' + (q ? '?' + q : ''), { signal });
    return Array.isArray(r?.scripts) ? r.scripts : [];
  } catch (err) {
    return note404(err);
  }
}

export function createScript(body: ScriptBody & { note?: string }): Promise<Script> {
  return api.post<Script>('/scripts', body);
}

export function updateScript(id: number, body: Partial<ScriptBody>): Promise<Script> {
  return api.patch<Script>(`/scripts/${id}`, body);
}

export function deleteScript(id: number): Promise<unknown> {
  return api.del(`/scripts/${id}`);
}

export function propose(body: Partial<ScriptBody> & { script_id?: number; note: string }): Promise<Proposal> {
  return api.post<Proposal>('/scripts/proposals', body);
}

export async function listProposals(status?: ProposalStatus): Promise<Proposal[]> {
  try {
    const r = await api.get<{ proposals: Proposal[] }>('/scripts/proposals' + (status ? '?status=' + status : ''));
    return Array.isArray(r?.proposals) ? r.proposals : [];
  } catch (err) {
    return note404(err);
  }
}

export function reviewProposal(id: number, approve: boolean, note: string): Promise<Proposal> {
  return api.post<Proposal>(`/scripts/proposals/${id}/${approve ? 'approve' : 'reject'}`, note.trim() ? { note: note.trim() } : {});
}

/** The scripts for the moment in a conversation; null when aborted, not available or refused. */
export async function suggest(conversationId: number, draft: string, signal: AbortSignal): Promise<Suggestion | null> {
  if (unavailable) return null;
  const p = new URLSearchParams({ conversation_id: String(conversationId), draft: draft.slice(0, 4000) });
  try {
    const r = await api.get<Suggestion>('/scripts/suggest?' + p.toString(), { signal });
    return r && Array.isArray(r.scripts) ? r : null;
  } catch (err) {
    if (noEndpoint(err)) unavailable = true;
    return null;
  }
}

/** Counts the insertion of `variant` (best effort: a lost count is no reason to bother the agent). */
export function countUse(id: number, conversationId: number, variant: number): void {
  api.post(`/scripts/${id}/used`, { conversation_id: conversationId, variant }).catch(() => undefined);
}

export function effectOf(id: number): Promise<Effect> {
  return api.get<Effect>(`/scripts/${id}/effect`);
}

export function promote(id: number, variant: number): Promise<Script> {
  return api.post<Script>(`/scripts/${id}/promote`, { variant });
}

/** A refusal's messages per field (422), e.g. {title: "…", variants: "…"}. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (err instanceof ApiError && err.status === 422 && err.data?.error?.fields) return err.data.error.fields as Record<string, string>;
  return {};
}

// ---- filling {{variables}} in the browser ---------------------------------------------------

/**
 * The values the console knows for a conversation (the server knows more: the inbox's name and
 * hours, the workspace's name). Used for a script the agent picks from another situation, which
 * the server did not fill; what is missing is named, as the server does.
 */
export function knownValues(conv: Conversation | undefined, me: Agent | null): Record<string, string> {
  const first = (s: string) => (s || '').trim().split(/\s+/)[0] ?? '';
  const v: Record<string, string> = {};
  if (me) {
    v['agent.name'] = me.name;
    v['agent.first_name'] = first(me.name);
  }
  if (conv) {
    v['conversation.id'] = String(conv.id);
    v['contact.name'] = conv.contact?.name ?? '';
    v['contact.first_name'] = first(conv.contact?.name ?? '');
    v['contact.email'] = conv.contact?.email ?? '';
    v['contact.phone'] = conv.contact?.phone ?? '';
    if (conv.ticket) {
      v['ticket.subject'] = conv.subject;
      for (const [k, x] of Object.entries(conv.ticket.custom_fields ?? {})) v['ticket.custom.' + k] = String(x);
    }
  }
  return v;
}

/** A variant with `values` filled in: a value, else the fallback after |, else empty and named in `missing`. */
export function fill(text: string, values: Record<string, string>): { text: string; missing: string[] } {
  let out = '';
  const missing: string[] = [];
  for (const p of pieces(text)) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    const v = values[p.name];
    if (v) out += v;
    else if (p.fallback) out += p.fallback;
    else if (!missing.includes(p.name)) missing.push(p.name);
  }
  return { text: out, missing };
}

/** The variants in use (not retired), in their order. */
export function activeVariants(s: Script): ScriptVariant[] {
  return s.variants.filter((v) => !v.retired);
}

// ---- comparing texts ------------------------------------------------------------------------

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

/** A word-level diff of two texts (longest common subsequence over words and spaces). */
export function wordDiff(a: string, b: string): DiffPart[] {
  const split = (s: string) => s.match(/\s+|[^\s]+/g) ?? [];
  const x = split(a);
  const y = split(b);
  // Long texts: the table would be too big for little use; show them as replaced.
  if (x.length * y.length > 250_000) return [{ kind: 'removed', text: a }, { kind: 'added', text: b }];
  const n = x.length;
  const m = y.length;
  const L: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      push('same', x[i]);
      i++;
      j++;
    } else if (L[i + 1][j] >= L[i][j + 1]) push('removed', x[i++]);
    else push('added', y[j++]);
  }
  while (i < n) push('removed', x[i++]);
  while (j < m) push('added', y[j++]);
  return tidy(out);
}

/**
 * Reads as a person would: a space alone between two changes is part of the change, and each
 * run of changes is said once, what goes then what comes ("Thanks" → "Thank you", not
 * "Thanks", "Thank", " ", "you").
 */
function tidy(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) out.push({ kind: 'removed', text: removed });
    if (added) out.push({ kind: 'added', text: added });
    removed = added = '';
  };
  parts.forEach((p, k) => {
    const between = p.kind === 'same' && !p.text.trim() && k > 0 && k < parts.length - 1 && parts[k - 1].kind !== 'same' && parts[k + 1].kind !== 'same';
    if (p.kind === 'same' && !between) {
      flush();
      out.push(p);
      return;
    }
    if (p.kind !== 'added') removed += p.text;
    if (p.kind !== 'removed') added += p.text;
  });
  flush();
  return out;
}

/**
 * What a proposal does to a script's texts: the texts kept, and the ones replaced (paired in
 * order with the new ones, shown as a word diff), the ones only added and only retired.
 */
export function variantChanges(current: string[], proposed: string[]): { kind: 'kept' | 'changed' | 'added' | 'retired'; before?: string; after?: string }[] {
  const removed = current.filter((x) => !proposed.includes(x));
  const out: { kind: 'kept' | 'changed' | 'added' | 'retired'; before?: string; after?: string }[] = [];
  let r = 0;
  for (const text of proposed) {
    if (current.includes(text)) out.push({ kind: 'kept', before: text, after: text });
    else if (r < removed.length) out.push({ kind: 'changed', before: removed[r++], after: text });
    else out.push({ kind: 'added', after: text });
  }
  for (; r < removed.length; r++) out.push({ kind: 'retired', before: removed[r] });
  return out;
}
