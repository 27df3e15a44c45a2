// NPS and custom surveys (Q2): the types of /api/v1/surveys and /reports/nps,
// the calls, and a refused save's problems by field ("name", "questions",
// "questions[2].label") — read here so the editor shows each under its field.
import { api, ApiError } from '../api';
import type { Lang } from '../../shared/languages';

export type QuestionType = 'nps' | 'rating' | 'choice' | 'text';
export const QUESTION_TYPES: QuestionType[] = ['nps', 'rating', 'choice', 'text'];

export interface Question {
  /** q1, q2…: assigned by the server, kept for life (answers are stored by it). */
  id: string;
  type: QuestionType;
  label: string;
  required: boolean;
  /** Rating only. */
  scale?: '3' | '5';
  /** Choice only: 2–10 different options. */
  options?: string[];
  multiple?: boolean;
}

/** A question in another language: its label, and a choice's options (as many, in order). */
export interface QuestionText {
  label?: string;
  options?: string[];
}
/** The survey in one language; what is missing is shown as written. */
export interface SurveyTranslation {
  name?: string;
  /** By question id (only saved questions have one). */
  questions?: Record<string, QuestionText>;
}
export type SurveyTranslations = Partial<Record<Lang, SurveyTranslation>>;

export interface Survey {
  id: number;
  name: string;
  status: 'active' | 'archived';
  questions: Question[];
  /** The customer's language's words (none on an older server). */
  translations?: SurveyTranslations;
  responses: number;
  created_at: number;
  updated_at: number;
}

/** A question as sent: the id only when it is kept. */
export type QuestionBody = Omit<Question, 'id'> & { id?: string };
export interface SurveyBody {
  name?: string;
  status?: Survey['status'];
  questions?: QuestionBody[];
  /** The whole set: it replaces the survey's. */
  translations?: SurveyTranslations;
}

export interface SurveyLink {
  token: string;
  /** "/s/<token>": the page is on this server. */
  url: string;
  expires_at: number;
}

export const LIMITS = { questions: 20, label: 300, name: 120, option: 100, optionsMin: 2, optionsMax: 10, text: 2000, linkDaysMax: 365 } as const;

export async function listSurveys(signal?: AbortSignal): Promise<Survey[]> {
  const r = await api.get<{ surveys: Survey[] }>('/surveys', { signal });
  return r.surveys ?? [];
}
export const createSurvey = (body: SurveyBody) => api.post<Survey>('/surveys', body);
export const updateSurvey = (id: number, body: SurveyBody) => api.patch<Survey>(`/surveys/${id}`, body);
export const deleteSurvey = (id: number) => api.del<{ deleted: boolean }>(`/surveys/${id}`);
export const createLink = (id: number, body: { contact_id?: number; conversation_id?: number; expires_in_days?: number }) => api.post<SurveyLink>(`/surveys/${id}/links`, body);

/** The survey endpoints are not on this server (an older one): the pages say so once. */
export const noEndpoint = (err: unknown) => err instanceof ApiError && ((err.status === 404 && /no such endpoint/i.test(err.message)) || err.status === 405 || err.status === 501);

/** A 422's problems by field (`{}` for any other error). */
export function fieldErrors(err: unknown): Record<string, string> {
  if (err instanceof ApiError && err.status === 422 && err.data?.error?.fields && typeof err.data.error.fields === 'object') return { ...err.data.error.fields };
  return {};
}

/** "translations.it.questions.q1.label" → {lang: "it", question: "q1", field: "label"}; "translations.it.name" → {lang, field: "name"}. */
export function translationField(key: string): { lang: string; question?: string; field: string } | null {
  const m = /^translations\.([a-z]{2})(?:\.questions\.([A-Za-z0-9_]+))?(?:\.(\w+))?$/.exec(key);
  if (!m) return null;
  return { lang: m[1], question: m[2], field: m[3] ?? '' };
}

/** "questions[3].label" or "questions.3.label" → {index: 3, field: "label"}; null for the survey's own fields. */
export function questionField(key: string): { index: number; field: string } | null {
  const m = /^questions(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?$/.exec(key);
  if (!m) return null;
  return { index: Number(m[1] ?? m[2]), field: m[3] ?? '' };
}

// ---- the NPS report ------------------------------------------------------------------------

export interface NpsFigures {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100..100; null without answers. */
  score: number | null;
  /** The 95% interval's ends. */
  lower: number | null;
  upper: number | null;
}

export interface QuestionSummary {
  id: string;
  type: QuestionType;
  label: string;
  /** Responses that answered it. */
  n: number;
  /** nps: "0".."10"; rating: "1".."3" or "1".."5". */
  distribution?: Record<string, number>;
  options?: { option: string; n: number }[];
  /** Text: the latest 50, newest first. */
  answers?: { text: string; at: number }[];
}

export interface NpsReport {
  survey_id: number;
  from: number;
  to: number;
  responses: number;
  truncated?: boolean;
  nps: NpsFigures;
  by_day: { date: string; n: number; score: number | null }[];
  questions: QuestionSummary[];
}

/** −100..100 as "+40", "−12", "0" (a real minus sign); null → "—". */
export function fmtScore(v: number | null | undefined, lang: string): string {
  if (v == null || !isFinite(v)) return '—';
  const r = Math.round(v);
  let s: string;
  try {
    s = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(Math.abs(r));
  } catch {
    s = String(Math.abs(r));
  }
  return r > 0 ? '+' + s : r < 0 ? '\u2212' + s : s;
}

/** Promoter (9–10), passive (7–8) or detractor (0–6). */
export function npsGroup(score: number): 'promoter' | 'passive' | 'detractor' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}
