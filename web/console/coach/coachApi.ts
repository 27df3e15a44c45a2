// The etiquette coach's API (docs/COACH.md): the check of a draft, the feedback
// batch (rules shown / suggestions used) and the per-language RULES the admins edit.
// Offsets are UTF-16 code units: JavaScript string indices, no conversion.
import { api, ApiError } from '../api';

export type CoachKind =
  | 'phrase'
  | 'impolite_word'
  | 'bare_no'
  | 'greeting_short'
  | 'greeting_long'
  | 'greeting_informal'
  | 'closing_without_question'
  | 'name_spelling'
  | 'long_sentence'
  | 'long_word'
  | 'missing_keyword';

export const COACH_KINDS: readonly CoachKind[] = [
  'phrase',
  'impolite_word',
  'bare_no',
  'greeting_short',
  'greeting_long',
  'greeting_informal',
  'closing_without_question',
  'name_spelling',
  'long_sentence',
  'long_word',
  'missing_keyword',
];

/** An edit: replace [start, end) of the draft with `text` (start == end: insert). */
export interface CoachSuggestion {
  text: string;
  start: number;
  end: number;
}

export interface CoachFlag {
  rule: string;
  kind: string;
  /** -1 (or missing) when the flag is about the whole message: listed, not underlined. */
  start?: number;
  end?: number;
  text?: string;
  suggestions?: CoachSuggestion[];
  params?: Record<string, string | number | null | undefined>;
}

export interface CoachResult {
  language: string;
  flags: CoachFlag[];
}

/** Whether the flag has a range in the text it was computed for (`len`) to underline. */
export function hasRange(f: CoachFlag, len: number): boolean {
  return typeof f.start === 'number' && typeof f.end === 'number' && f.start >= 0 && f.end > f.start && f.end <= len;
}

/** A suggestion that can still be applied to a text of length `len`. */
export function validSuggestion(s: CoachSuggestion, len: number): boolean {
  return typeof s?.text === 'string' && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end >= s.start && s.end <= len;
}

export function applySuggestion(text: string, s: CoachSuggestion): { text: string; caret: number } {
  return { text: text.slice(0, s.start) + s.text + text.slice(s.end), caret: s.start + s.text.length };
}

/**
 * The flags of `prev` (computed for `before`) carried over to `after`, so the underlines stay put
 * while the agent types and the next answer is on its way: one edited region (common prefix and
 * suffix) is found; ranges before it stay, ranges after it shift, ranges it touches are dropped.
 */
export function carryFlags(flags: CoachFlag[], before: string, after: string): CoachFlag[] {
  if (before === after) return flags;
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  const oldEnd = before.length - s; // the edit replaced before[p, oldEnd)
  const delta = after.length - before.length;
  const move = (a: number, b: number): [number, number] | null => (b <= p ? [a, b] : a >= oldEnd ? [a + delta, b + delta] : null);
  const out: CoachFlag[] = [];
  for (const f of flags) {
    if (!hasRange(f, before.length)) {
      out.push(f);
      continue;
    }
    const r = move(f.start!, f.end!);
    if (!r) continue;
    const suggestions = (f.suggestions ?? [])
      .map((x) => {
        const m = move(x.start, x.end);
        return m ? { ...x, start: m[0], end: m[1] } : null;
      })
      .filter((x): x is CoachSuggestion => !!x);
    out.push({ ...f, start: r[0], end: r[1], text: after.slice(r[0], r[1]), suggestions });
  }
  return out;
}

// ---- check ---------------------------------------------------------------------------

/** Set when the server has no coach (an older server): the console stops asking. */
let unavailable = false;

/** "no such endpoint" (the router's 404), not a conversation that is gone. */
const noEndpoint = (err: unknown) =>
  err instanceof ApiError && ((err.status === 404 && /no such endpoint/i.test(err.message)) || err.status === 405 || err.status === 501);

export function coachAvailable(): boolean {
  return !unavailable;
}

/** The flags for `text`, or null when the coach cannot answer (no coach, failure, aborted). */
export async function checkDraft(text: string, conversationId: number, signal?: AbortSignal): Promise<CoachResult | null> {
  if (unavailable) return null;
  try {
    const r = await api.post<CoachResult>('/coach/check', { text, conversation_id: conversationId }, { signal });
    if (!r || !Array.isArray(r.flags)) return null;
    return { language: typeof r.language === 'string' ? r.language : '', flags: r.flags.filter((f) => f && typeof f.rule === 'string') };
  } catch (err) {
    if (noEndpoint(err)) unavailable = true;
    return null;
  }
}

// ---- feedback ------------------------------------------------------------------------

export interface CoachEvent {
  rule: string;
  language: string;
  action: 'shown' | 'accepted';
}

const FLUSH_MS = 3000;
const MAX_EVENTS = 100;
/** What is to be sent, each event with the conversation whose draft it was about (the coach's effect). */
let queue: { conv: number; event: CoachEvent }[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

/** The rules already reported as shown, per conversation, for the draft being written. */
const shownByConv = new Map<number, Set<string>>();

function schedule() {
  if (timer == null) timer = setTimeout(() => void flushCoachFeedback(), FLUSH_MS);
}

/** Reports the rules of `flags` not yet reported for this conversation's draft. */
export function reportShown(convId: number, language: string, flags: CoachFlag[]): void {
  if (unavailable) return;
  let seen = shownByConv.get(convId);
  if (!seen) shownByConv.set(convId, (seen = new Set()));
  for (const f of flags) {
    if (seen.has(f.rule)) continue;
    seen.add(f.rule);
    queue.push({ conv: convId, event: { rule: f.rule, language, action: 'shown' } });
  }
  if (queue.length) schedule();
}

/** The agent took a suggestion of `rule` in this conversation's draft. */
export function reportAccepted(convId: number, rule: string, language: string): void {
  if (unavailable) return;
  queue.push({ conv: convId, event: { rule, language, action: 'accepted' } });
  schedule();
}

/** The message was sent: the next draft reports its rules afresh; what is queued goes now. */
export function coachDraftSent(convId: number): void {
  shownByConv.delete(convId);
  void flushCoachFeedback();
}

/**
 * Sends what is queued, a batch (at most 100 events) per conversation with its conversation_id;
 * failures are dropped: this is statistics.
 */
export async function flushCoachFeedback(): Promise<void> {
  if (timer != null) {
    clearTimeout(timer);
    timer = null;
  }
  while (queue.length) {
    const conv = queue[0].conv;
    const mine = queue.filter((q) => q.conv === conv).slice(0, MAX_EVENTS);
    queue = queue.filter((q) => !mine.includes(q));
    if (unavailable) continue;
    try {
      await api.post('/coach/feedback', { events: mine.map((q) => q.event), conversation_id: conv });
    } catch (err) {
      if (noEndpoint(err)) unavailable = true;
    }
  }
}

if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && queue.length) void flushCoachFeedback();
  });
}

// ---- the agent's switch ----------------------------------------------------------------

const HIDE_KEY = 'sb.console.coachHidden';

export function coachHidden(): boolean {
  try {
    return localStorage.getItem(HIDE_KEY) === '1';
  } catch {
    return false;
  }
}

export function setCoachHidden(hidden: boolean): void {
  try {
    if (hidden) localStorage.setItem(HIDE_KEY, '1');
    else localStorage.removeItem(HIDE_KEY);
  } catch {
    /* storage disabled: for this page only */
  }
}

// ---- rules (admins) and stats (supervisors) ---------------------------------------------

export interface PhraseRule {
  id: string;
  match: string[];
  suggest: string[];
}

export interface RequiredRule {
  id: string;
  any: string[];
  when: 'first' | 'closing' | 'any';
}

export interface CoachRules {
  phrases: PhraseRule[];
  impolite_words: string[];
  no: { words: string[]; followed_by: string[]; suggest: string };
  greeting: { min_words: number; max_words: number; informal: string[]; suggest: string };
  closing: { closers: string[]; questions: string[]; suggest: string };
  readability: { max_sentence_words: number; max_word_letters: number };
  name_check: boolean;
  required: RequiredRule[];
  [more: string]: unknown;
}

export interface CoachRulesAnswer {
  languages: Record<string, CoachRules>;
  customized: string[];
}

export interface CoachStatRow {
  rule: string;
  language: string;
  shown: number;
  accepted: number;
}
