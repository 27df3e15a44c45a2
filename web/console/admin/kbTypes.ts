// Knowledge base and FAQ bot shapes (GET /api/v1/kb, /bot, /bot/unanswered, /reports/self-service).
import { LANG_CODES, type Lang } from '../../shared/languages';

export const KB_LANGS: readonly Lang[] = LANG_CODES;

export interface KbCategory {
  id: number;
  slug: string;
  position: number;
  names: Partial<Record<string, string>>;
}

export interface KbArticle {
  id: number;
  slug: string;
  language: string;
  category: string;
  title: string;
  body: string;
  keywords: string[];
  published: boolean;
  helpful: number;
  not_helpful: number;
  updated_at: number;
  html?: string;
}

export interface KbIntent {
  id: number;
  name: string;
  language: string;
  question: string;
  phrasings: string[];
  answer: string;
  enabled: boolean;
  updated_at: number;
}

export interface Kb {
  version: number;
  categories: KbCategory[];
  articles: KbArticle[];
  intents: KbIntent[];
  revision: number;
  help_center: string;
}

export interface BotConfig {
  enabled: boolean;
  name: string;
  min_confidence: number | null;
}

export interface Unanswered {
  text: string;
  language: string;
  count: number;
  last_at: number;
  last_conversation_id: number | null;
}

export interface SelfServiceReport {
  deflection: { shown: number; helped: number; continued: number; rate: number | null };
  articles: { id: number; slug: string; language: string; title: string; helpful: number; not_helpful: number }[];
  bot: { unanswered_or_handed_off: number };
}

/** An intent draft handed from the bot page ("Add as intent") to the knowledge base page. */
let intentPrefill: Partial<KbIntent> | null = null;
export function setIntentPrefill(p: Partial<KbIntent> | null): void {
  intentPrefill = p;
}
export function takeIntentPrefill(): Partial<KbIntent> | null {
  const p = intentPrefill;
  intentPrefill = null;
  return p;
}
