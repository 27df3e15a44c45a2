import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { fmtDateTime, fmtDay, fmtSize, fmtTime, t, type StringKey } from '../i18n';
import { agentColor, discardOutbox, retryOutbox, useStore, type OutboxItem } from '../store';
import type { Attachment, ConvEvent, Conversation } from '../types';
import { Avatar } from './Avatar';
import { IconArrowDown, IconDownload, IconFile, Ticks } from './Icons';
import { RichText } from './RichText';
import { BotArticleLink, BotAvatar, BotText, emotionReasons, withoutArticleUrl } from './BotBits';
import { MailParts, mailAttachments } from '../mail/MailParts';
import { RatingNote } from '../csat/RatingNote';

type MsgState = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

const EMPTY: ConvEvent[] = [];
const GROUP_GAP = 5 * 60_000;

export function attachmentUrl(a: Attachment): string {
  // Only same-origin API paths: the server sends relative URLs.
  if (typeof a.url === 'string' && /^\/api\/v1\/attachments\/[^/?#]+$/.test(a.url)) return a.url;
  return '/api/v1/attachments/' + encodeURIComponent(a.id);
}

function isImage(a: Attachment): boolean {
  return /^image\/(png|jpe?g|gif|webp)$/i.test(a.content_type || '');
}

export function Attachments({ items }: { items: Attachment[] }) {
  if (!items?.length) return null;
  return (
    <div class="attachments">
      {items.map((a) =>
        isImage(a) ? (
          <a key={a.id} class="att-image" href={attachmentUrl(a)} target="_blank" rel="noopener noreferrer" title={t('msg.openImage', { name: a.name })}>
            <img src={attachmentUrl(a)} alt={a.name} loading="lazy" />
          </a>
        ) : (
          <a key={a.id} class="att-file" href={attachmentUrl(a)} download={a.name} title={t('msg.download', { name: a.name })}>
            <span class="att-file-icon">
              <IconFile size={18} />
            </span>
            <span class="att-file-text">
              <span class="att-file-name">{a.name}</span>
              <span class="att-file-size">{fmtSize(a.size)}</span>
            </span>
            <IconDownload size={16} class="att-file-dl" />
          </a>
        ),
      )}
    </div>
  );
}

function stateOf(e: ConvEvent, c: Conversation | undefined): MsgState {
  if (!c) return 'sent';
  if (e.seq <= c.visitor_read_seq) return 'read';
  if (e.seq <= c.visitor_delivered_seq) return 'delivered';
  return 'sent';
}

function StateMark({ state }: { state: MsgState }) {
  const label = t(('msg.' + state) as 'msg.sent');
  return (
    <span class={`msg-state msg-state-${state}`} data-testid="message-state" data-state={state} title={label} aria-label={label} role="img">
      <Ticks state={state} />
    </span>
  );
}

interface Row {
  key: string;
  day?: number;
  ev?: ConvEvent;
  pending?: OutboxItem;
  first: boolean;
  last: boolean;
}

function side(e: { author: { type: string } }): string {
  return e.author.type === 'visitor' ? 'in' : 'out';
}

function buildRows(events: ConvEvent[], pending: OutboxItem[], me: { id: number; name: string } | null): Row[] {
  type Item = { at: number; ev?: ConvEvent; pending?: OutboxItem; authorKey: string; kind: string };
  const items: Item[] = events.map((ev) => ({
    at: ev.created_at,
    ev,
    authorKey: `${ev.author.type}:${ev.author.id ?? ev.author.name}`,
    kind: ev.kind,
  }));
  for (const p of pending) items.push({ at: p.created_at, pending: p, authorKey: `agent:${me?.id}`, kind: 'message' });
  const rows: Row[] = [];
  let lastDay = '';
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const day = new Date(it.at).toDateString();
    if (day !== lastDay) {
      rows.push({ key: 'd' + it.at + i, day: it.at, first: false, last: false });
      lastDay = day;
    }
    const prev = items[i - 1];
    const next = items[i + 1];
    const groupable = it.kind !== 'system';
    const first =
      !groupable || !prev || prev.kind === 'system' || prev.authorKey !== it.authorKey || it.at - prev.at > GROUP_GAP || new Date(prev.at).toDateString() !== day;
    const last =
      !groupable || !next || next.kind === 'system' || next.authorKey !== it.authorKey || next.at - it.at > GROUP_GAP || new Date(next.at).toDateString() !== day;
    rows.push({ key: it.ev ? 's' + it.ev.seq : 'p' + it.pending!.client_id, ev: it.ev, pending: it.pending, first, last });
  }
  return rows;
}

export function MessageList({ conv, convId }: { conv: Conversation | undefined; convId: number }) {
  const events = useStore((s) => s.events[convId] ?? EMPTY);
  const outbox = useStore((s) => s.outbox);
  const me = useStore((s) => s.me);
  useStore((s) => s.agents);
  const pending = outbox.filter((o) => o.conversation_id === convId);
  const rows = buildRows(events, pending, me);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const lastCount = useRef(0);

  // New conversation: start at the bottom.
  useLayoutEffect(() => {
    atBottom.current = true;
    lastCount.current = 0;
    setShowJump(false);
  }, [convId]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const count = events.length + pending.length;
    if (count === lastCount.current) return;
    const grew = count > lastCount.current;
    lastCount.current = count;
    const mineJustSent = pending.length > 0 && grew;
    if (atBottom.current || mineJustSent) {
      el.scrollTop = el.scrollHeight;
      setShowJump(false);
    } else if (grew) {
      setShowJump(true);
    }
  });

  // Images load later and change the height: stay pinned to the bottom.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onLoad = () => {
      if (atBottom.current) el.scrollTop = el.scrollHeight;
    };
    el.addEventListener('load', onLoad, true);
    return () => el.removeEventListener('load', onLoad, true);
  }, []);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
    if (atBottom.current) setShowJump(false);
  }

  function jump() {
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    atBottom.current = true;
    setShowJump(false);
  }

  return (
    <div class="messages-wrap">
      <div class="messages" ref={scroller} onScroll={onScroll} role="log" aria-live="polite" aria-label={t('conv.messages')} tabIndex={0}>
        {rows.map((r) => {
          if (r.day != null)
            return (
              <div key={r.key} class="day-sep" role="separator">
                <span>{fmtDay(r.day)}</span>
              </div>
            );
          if (r.pending) return <PendingMessage key={r.key} item={r.pending} me={me} first={r.first} last={r.last} />;
          return <Message key={r.key} ev={r.ev!} conv={conv} first={r.first} last={r.last} myId={me?.id} />;
        })}
      </div>
      {showJump && (
        <button type="button" class="jump-latest" onClick={jump}>
          <IconArrowDown size={14} /> {t('conv.jumpLatest')}
        </button>
      )}
    </div>
  );
}

/** A system event's text: its notice in the console's language, else the (English) body. */
export function systemText(ev: ConvEvent): string {
  const n = ev.notice;
  if (!n?.code) return ev.body;
  const args = n.args ?? {};
  const key = `notice.${n.code}${args.by ? '_by' : ''}` as StringKey;
  const template = t(key);
  // Unknown code, or an argument the server did not send: the body says it right.
  if (template === key || [...template.matchAll(/\{(\w+)\}/g)].some((m) => args[m[1]] == null)) return ev.body;
  return t(key, Object.fromEntries(Object.entries(args).map(([k, v]) => [k, Array.isArray(v) ? emotionReasons(v) : noticeWord(k, String(v))])));
}

/** A ticket's status or priority in a notice, in the console's language. */
function noticeWord(arg: string, v: string): string {
  const key = (arg === 'status' ? `ticket.status.${v}` : arg === 'priority' || arg === 'from' ? `ticket.priority.${v}` : '') as StringKey;
  const s = key ? t(key) : v;
  return s === key ? v : s;
}

function Message({ ev, conv, first, last, myId }: { ev: ConvEvent; conv: Conversation | undefined; first: boolean; last: boolean; myId?: number }) {
  const time = (
    <time class="msg-time" dateTime={new Date(ev.created_at).toISOString()} title={fmtDateTime(ev.created_at)}>
      {fmtTime(ev.created_at)}
    </time>
  );
  // A ticket's property changes are agent-only notes the server words: a quiet line, not a bubble.
  const ticketChange = ev.kind === 'note' && !!ev.notice?.code?.startsWith('ticket_');
  if (ev.kind === 'system' || ticketChange) {
    return (
      <div class={'msg-system' + (ticketChange ? ' msg-system-internal' : '')} data-testid="message" data-seq={ev.seq} data-kind={ev.kind}>
        <span class="msg-system-text">
          {ticketChange && <span class="sr-only">{t('msg.note')}: </span>}
          <RichText text={systemText(ev)} />
        </span>
        {time}
      </div>
    );
  }
  const dir = side(ev);
  const isNote = ev.kind === 'note';
  const isBot = ev.author.type === 'bot';
  // Internal notes the server words (the emotional-peak flag): in the console's language.
  const upset = isNote && ev.notice?.code === 'emotional_peak';
  const body = isNote && ev.notice?.code ? systemText(ev) : isBot ? withoutArticleUrl(ev) : ev.body;
  // The customer's end-of-chat rating: the score drawn, the comment quoted, in the console's language.
  const rating = isNote && ev.notice?.code === 'chat_rating' ? (ev.notice.args as Record<string, unknown> | undefined) : undefined;
  const authorName =
    ev.author.type === 'visitor'
      ? ev.author.name || (conv?.contact?.name ?? '') || t('who.visitor')
      : ev.author.type === 'system'
        ? t('who.system')
        : isBot
          ? ev.author.name || t('who.bot')
          : ev.author.name;
  const mine = ev.author.type === 'agent' && myId != null && ev.author.id === myId;
  return (
    <div
      class={`msg msg-${dir}` + (first ? ' msg-first' : '') + (last ? ' msg-last' : '') + (isNote ? ' msg-note' : '') + (isBot ? ' msg-bot' : '') + (upset ? ' msg-upset' : '')}
      data-testid="message"
      data-seq={ev.seq}
      data-author={ev.author.type}
      data-kind={ev.kind}
    >
      <div class="msg-avatar">
        {last && isBot && <BotAvatar />}
        {last && !isBot && (
          <Avatar
            name={authorName}
            color={ev.author.type === 'agent' ? agentColor(ev.author.id ?? undefined, authorName) : undefined}
            size="sm"
          />
        )}
      </div>
      <div class="msg-body">
        {first && (
          <div class="msg-author">
            {mine ? t('who.you') : authorName}
            {isNote && <span class="note-tag">{t('msg.note')}</span>}
            {isBot && <span class="bot-tag">{t('msg.botTag')}</span>}
          </div>
        )}
        {rating ? (
          <div class="bubble">
            <RatingNote args={rating} />
          </div>
        ) : (
          body && <div class="bubble">{isBot ? <BotText text={body} /> : <RichText text={body} />}</div>
        )}
        {isBot && <BotArticleLink ev={ev} />}
        <Attachments items={mailAttachments(ev, conv)} />
        <MailParts ev={ev} conv={conv} />
        <div class="msg-meta">
          {time}
          {dir === 'out' && !isNote && !isBot && <StateMark state={stateOf(ev, conv)} />}
        </div>
      </div>
    </div>
  );
}

function PendingMessage({ item, me, first, last }: { item: OutboxItem; me: { id: number; name: string; avatar_color?: string } | null; first: boolean; last: boolean }) {
  const failed = item.state === 'failed';
  return (
    <div
      class={'msg msg-out msg-pending' + (first ? ' msg-first' : '') + (last ? ' msg-last' : '') + (failed ? ' msg-failed' : '')}
      data-testid="message"
      data-client-id={item.client_id}
      data-pending="true"
    >
      <div class="msg-avatar">{last && me && <Avatar name={me.name} color={me.avatar_color} size="sm" />}</div>
      <div class="msg-body">
        {first && <div class="msg-author">{t('who.you')}</div>}
        {item.body && (
          <div class="bubble">
            <RichText text={item.body} />
          </div>
        )}
        <Attachments items={item.attachments} />
        <div class="msg-meta">
          <time class="msg-time">{fmtTime(item.created_at)}</time>
          <StateMark state={failed ? 'failed' : 'sending'} />
          {failed && (
            <span class="msg-failed-actions">
              <span class="msg-error" role="alert">
                {t('msg.failed')}
                {item.error ? ': ' + item.error : ''}
              </span>
              <button type="button" class="link-button" onClick={() => retryOutbox(item.client_id)}>
                {t('msg.retry')}
              </button>
              <button type="button" class="link-button" onClick={() => discardOutbox(item.client_id)}>
                {t('msg.discard')}
              </button>
            </span>
          )}
        </div>
      </div>
    </div>
  );
}
