// FAQ bot and triage in the desk: badges for "with bot", "upset customer" and the
// detected language, the handoff reason, and the bot's links to help-center articles.
import type { ComponentChild } from 'preact';
import { languageName, t, type StringKey } from '../i18n';
import type { Conversation, ConvEvent, Ticket } from '../types';
import { IconAngry, IconBook, IconBot } from './Icons';
import { linkify, safeHref } from './RichText';
import './bot.css';

/** A translated word for a code ("emotion.swearing"), or the code itself when unknown. */
function word(prefix: string, code: string): string {
  const key = (prefix + code) as StringKey;
  const s = t(key);
  return s === key ? code.replace(/_/g, ' ') : s;
}

export const emotionReasons = (reasons: readonly string[] | undefined): string =>
  (reasons ?? []).map((r) => word('emotion.', r)).join(', ');

export const handoffReason = (reason: string | undefined): string => (reason ? word('handoff.', reason) : '');

export const botActive = (c: Conversation | undefined): boolean => c?.meta?.bot?.state === 'active';
export const isUpset = (c: Conversation | undefined): boolean => !!c?.meta?.emotion?.peak;

/** The language the customer writes in: detected, else the widget's. */
export const customerLanguage = (c: Conversation | undefined): string => (c?.meta?.detected_language || c?.language || '').toLowerCase();

export function UpsetBadge({ conv, compact }: { conv: Conversation; compact?: boolean }) {
  const reasons = emotionReasons(conv.meta?.emotion?.reasons);
  const why = reasons ? t('upset.why', { reasons }) : '';
  return (
    <span class={'badge badge-upset' + (compact ? ' badge-compact' : '')} data-testid="upset-badge" title={why ? `${t('upset.badge')}. ${why}` : t('upset.badge')}>
      <IconAngry size={compact ? 12 : 14} />
      <span>{t('upset.badge')}</span>
      {!compact && why && <span class="sr-only">. {why}</span>}
    </span>
  );
}

export function WithBotBadge({ compact }: { compact?: boolean }) {
  return (
    <span class={'badge badge-bot' + (compact ? ' badge-compact' : '')} data-testid="bot-badge" title={`${t('conv.withBot')}. ${t('conv.withBotHint')}`}>
      <IconBot size={compact ? 12 : 14} />
      <span>{t('conv.withBot')}</span>
    </span>
  );
}

export function LangBadge({ code }: { code: string }) {
  if (!code) return null;
  const name = languageName(code);
  return (
    <span class="badge badge-lang" data-testid="lang-badge" title={t('conv.language', { name })} aria-label={t('conv.language', { name })}>
      {code.toUpperCase()}
    </span>
  );
}

export function BotAvatar({ size = 'sm' }: { size?: 'xs' | 'sm' }) {
  return (
    <span class={`avatar avatar-${size} avatar-bot`} aria-hidden="true">
      <IconBot size={size === 'xs' ? 12 : 15} />
    </span>
  );
}

/** A same-origin help-center path ("/help/demo/articles/x?lang=it") as an absolute URL, else null. */
export function helpUrl(path: unknown): string | null {
  if (typeof path !== 'string' || !/^\/help\/[^\s]*$/.test(path)) return null;
  return safeHref(new URL(path, location.origin).href);
}

const HELP_PATH = /(^|\s)(\/help\/[^\s<>"'`]+?)(?=[.,;:!?)]*(\s|$))/g;

/** The bot's text: plain text, with http(s) URLs and the help center's own paths as links. */
export function BotText({ text }: { text: string }) {
  const out: ComponentChild[] = [];
  let last = 0;
  HELP_PATH.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HELP_PATH.exec(text))) {
    const start = m.index + m[1].length;
    const href = helpUrl(m[2]);
    if (!href) continue;
    out.push(...linkify(text.slice(last, start)));
    out.push(
      <a href={href} target="_blank" rel="noopener noreferrer">
        {m[2]}
      </a>,
    );
    last = start + m[2].length;
  }
  out.push(...linkify(text.slice(last)));
  return <span>{out}</span>;
}

/** A bot_article message's text without the article's path at its end: the card under it links there. */
export function withoutArticleUrl(ev: ConvEvent): string {
  const url = ev.notice?.code === 'bot_article' ? ev.notice.args?.url : null;
  return typeof url === 'string' && url && helpUrl(url) ? ev.body.split(url).join('').trim() : ev.body;
}

/** The article card under a bot_article message. */
export function BotArticleLink({ ev }: { ev: ConvEvent }) {
  const n = ev.notice;
  if (n?.code !== 'bot_article') return null;
  const href = helpUrl(n.args?.url);
  const title = typeof n.args?.title === 'string' ? n.args.title : '';
  if (!href || !title) return null;
  return (
    <a class="bot-article" href={href} target="_blank" rel="noopener noreferrer" data-testid="bot-article-link">
      <IconBook size={15} />
      <span>{t('msg.openArticle', { title })}</span>
    </a>
  );
}

/** A ticket's number, status and (when not normal) priority, e.g. "#12 · New · High". */
export function TicketBadge({ ticket, compact }: { ticket: Ticket | null | undefined; compact?: boolean }) {
  if (!ticket) return null;
  const status = t(`ticket.status.${ticket.status}` as const);
  const priority = t(`ticket.priority.${ticket.priority}` as const);
  const label = t('ticket.label', { number: String(ticket.number), status, priority });
  return (
    <span class={`badge badge-ticket ticket-${ticket.status} priority-${ticket.priority}` + (compact ? ' badge-compact' : '')} data-testid="ticket-badge" title={label} aria-label={label}>
      #{ticket.number} · {status}
      {ticket.priority !== 'normal' && <> · {priority}</>}
    </span>
  );
}
