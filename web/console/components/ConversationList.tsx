import { useMemo } from 'preact/hooks';
import { fmtDateTime, fmtRelative, t } from '../i18n';
import { useNow } from '../hooks';
import type { StatusFilter, View } from '../router';
import { agentColor, contactName, isUnread, listFor, loadList, selectConversation, setState, useStore } from '../store';
import type { Conversation } from '../types';
import { Avatar } from './Avatar';
import { IconChat, IconMail, IconPhone } from './Icons';
import { fmtWindow } from './format';
import { OfferCards, useOffersInList } from './OfferStack';
import { botActive, isUpset, UpsetBadge, WithBotBadge } from './BotBits';

// The channel's name, for icons, headings and offers.
export const kindLabel = (kind: Conversation['kind']) => t(`kind.${kind}` as const);

export function KindIcon({ kind, size = 16 }: { kind: Conversation['kind']; size?: number }) {
  const label = kindLabel(kind);
  const Icon = kind === 'callback' ? IconPhone : kind === 'offline' || kind === 'email' ? IconMail : IconChat;
  return (
    <span class={`kind-icon kind-${kind}`} title={label} role="img" aria-label={label}>
      <Icon size={size} />
    </span>
  );
}

export function ConversationList({ view, status, selectedId }: { view: View; status: StatusFilter; selectedId: number | null }) {
  const convs = useStore((s) => s.convs);
  const me = useStore((s) => s.me);
  const listState = useStore((s) => s.listState[status]);
  const cursor = useStore((s) => s.cursor);
  useStore((s) => s.agents);
  const now = useNow(30_000);
  const list = useMemo(() => listFor({ convs, me }, view, status), [convs, me, view, status]);

  const offersHere = useOffersInList();
  const title = t(('view.' + view) as 'view.all');
  const emptyKey = status === 'closed' ? 'list.empty.closed' : (`list.empty.${view}` as const);

  return (
    <section class="list-pane" aria-labelledby="list-title">
      <header class="pane-header">
        <h1 id="list-title" class="pane-title">
          {title}
          <span class="pane-title-sub">· {t(status === 'open' ? 'filter.open' : 'filter.closed')}</span>
        </h1>
        <span class="pane-count" aria-hidden="true">
          {listState === 'loaded' ? list.length : ''}
        </span>
      </header>
      {offersHere && <OfferCards docked />}
      {listState === 'loading' && !list.length && <div class="list-state">{t('list.loading')}</div>}
      {listState === 'error' && !list.length && (
        <div class="list-state">
          <p>{t('list.loadError')}</p>
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => loadList(status)}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {listState === 'loaded' && !list.length && (
        <div class="list-state list-empty">
          <p>{t(emptyKey)}</p>
        </div>
      )}
      <ul class="conv-list" aria-label={t('list.label')} data-testid="conversation-list">
        {list.map((c) => (
          <li key={c.id}>
            <Item
              c={c}
              selected={c.id === selectedId}
              cursor={c.id === cursor}
              mine={!!me && c.assignee?.id === me.id}
              myId={me?.id}
              now={now}
              onOpen={() => {
                setState({ cursor: c.id });
                selectConversation(c.id);
              }}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Item({
  c,
  selected,
  cursor,
  now,
  onOpen,
}: {
  c: Conversation;
  selected: boolean;
  cursor: boolean;
  mine: boolean;
  myId?: number;
  now: number;
  onOpen: () => void;
}) {
  const unread = isUnread(c);
  const name = contactName(c);
  const at = c.last_message?.created_at ?? c.updated_at ?? c.created_at;
  let preview: string;
  let prefix = '';
  if (c.last_message) {
    preview = c.last_message.body?.trim() || t('list.attachment');
    if (c.last_message.author_type === 'agent') prefix = t('list.you') + ' ';
    else if (c.last_message.author_type === 'bot') prefix = (c.last_message.author_name || t('who.bot')) + ': ';
  } else {
    preview = c.subject || t('list.noMessages');
  }
  const cb = c.kind === 'callback' ? c.meta?.callback : null;
  return (
    <button
      type="button"
      class={'conv-item' + (selected ? ' is-selected' : '') + (cursor ? ' is-cursor' : '') + (unread ? ' is-unread' : '')}
      aria-current={selected ? 'true' : undefined}
      onClick={onOpen}
      data-testid="conversation-item"
      data-id={c.id}
      data-unread={unread ? 'true' : 'false'}
      data-upset={isUpset(c) ? 'true' : undefined}
    >
      <KindIcon kind={c.kind} />
      <span class="conv-main">
        <span class="conv-top">
          <span class="conv-name">{name}</span>
          <time class="conv-time" dateTime={new Date(at).toISOString()} title={fmtDateTime(at)}>
            {fmtRelative(at, now)}
          </time>
        </span>
        {(isUpset(c) || botActive(c)) && (
          <span class="conv-badges">
            {isUpset(c) && <UpsetBadge conv={c} compact />}
            {botActive(c) && <WithBotBadge compact />}
          </span>
        )}
        {cb && (
          <span class="conv-callback">
            <IconPhone size={12} /> {cb.phone}
            {fmtWindow(cb) && <span class="muted"> · {fmtWindow(cb)}</span>}
          </span>
        )}
        <span class="conv-bottom">
          <span class="conv-preview">
            {prefix && <span class="conv-prefix">{prefix}</span>}
            {preview}
          </span>
          {unread && <span class="unread-dot" role="img" aria-label={t('list.unread')} />}
          {c.assignee ? (
            <Avatar
              name={c.assignee.name}
              color={agentColor(c.assignee.id, c.assignee.name)}
              size="xs"
              title={t('list.assignedTo', { name: c.assignee.name })}
            />
          ) : (
            <span class="avatar avatar-xs avatar-empty" title={t('list.unassigned')} />
          )}
        </span>
      </span>
    </button>
  );
}
