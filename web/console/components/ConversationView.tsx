import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { useNow } from '../hooks';
import {
  agentColor,
  assignToMe,
  closeConversation,
  contactName,
  openConversation,
  reopenConversation,
  useStore,
} from '../store';
import { Avatar } from './Avatar';
import { useSubmit } from './Common';
import { Composer, type ComposerHandle } from './Composer';
import { KindIcon, kindLabel } from './ConversationList';
import { fmtWindow } from './format';
import { IconCheckCircle, IconPanel, IconRotate, IconUser, IconPaperclip } from './Icons';
import { MessageList } from './Messages';
import { ConvRoutingActions } from './ConvRoutingActions';
import { SlaBadge } from './SlaBadge';
import { botActive, customerLanguage, handoffReason, isUpset, LangBadge, TicketBadge, UpsetBadge, WithBotBadge } from './BotBits';
import { IconBot } from './Icons';
import { MakeTicketButton } from '../tickets/TicketPanel';
import { ComplaintAction, ComplaintPanel } from '../complaints/ComplaintPanel';
import { MoreMenu, useHeaderFit } from './HeaderOverflow';

/** `panel` names what the header's panel button shows: the contact (inbox) or the ticket's properties (help desk). */
export function ConversationView({
  convId,
  contactOpen,
  onToggleContact,
  panel = 'contact',
}: {
  convId: number;
  contactOpen: boolean;
  onToggleContact: () => void;
  panel?: 'contact' | 'ticket';
}) {
  const conv = useStore((s) => s.convs[convId]);
  const detail = useStore((s) => s.details[convId]);
  const me = useStore((s) => s.me);
  const typing = useStore((s) => s.typing[convId]);
  useStore((s) => s.agents);
  const now = useNow(1000);
  const composer = useRef<ComposerHandle | null>(null);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const headerRef = useRef<HTMLElement>(null);
  const barRef = useRef<HTMLDivElement>(null);
  const overflow = useHeaderFit(headerRef, barRef, !!conv);
  // The actions toast their own errors (conversationAction); nothing to show here.
  const { busy, run } = useSubmit(() => null);

  if (!conv) {
    return (
      <main class="conv-pane conv-pane-empty" aria-busy={detail?.loading ? 'true' : undefined}>
        <div class="placeholder">
          {detail?.notFound ? (
            <p>{t('conv.notFound')}</p>
          ) : detail?.error ? (
            <>
              <p>{t('conv.loadError')}</p>
              <button type="button" class="btn btn-secondary" onClick={() => openConversation(convId)}>
                {t('conv.retry')}
              </button>
            </>
          ) : (
            <p class="muted">{t('conv.loading')}</p>
          )}
        </div>
      </main>
    );
  }

  const name = contactName(conv);
  const mine = !!me && conv.assignee?.id === me.id;
  const closed = conv.status === 'closed';
  const panelLabel =
    panel === 'ticket'
      ? t(contactOpen ? 'tickets.hideProperties' : 'tickets.showProperties')
      : t(contactOpen ? 'conv.hideContact' : 'conv.showContact');
  const cb = conv.kind === 'callback' ? conv.meta?.callback : null;
  const subtitle = [
    kindLabel(conv.kind),
    cb?.phone,
    fmtWindow(cb),
    conv.subject && !(conv.kind === 'callback' && /call-?\s?back/i.test(conv.subject)) ? conv.subject : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const typingName = typing && typing.until > now ? typing.name || conv.contact?.name || t('who.visitor') : null;

  async function act(fn: (id: number) => Promise<void>) {
    await run(() => fn(convId));
  }

  function hasFiles(e: DragEvent) {
    return !!e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  }

  return (
    <main
      class="conv-pane"
      aria-labelledby="conv-title"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        dragDepth.current++;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (!dragDepth.current) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        dragDepth.current = 0;
        setDragging(false);
        const files = Array.from(e.dataTransfer?.files ?? []);
        if (files.length) composer.current?.addFiles(files);
      }}
    >
      <header class="conv-header" ref={headerRef}>
        <div class="conv-heading">
          <KindIcon kind={conv.kind} size={18} />
          <div class="conv-heading-text">
            <div class="conv-title-row">
              <h2 id="conv-title" class="conv-title" title={name}>
                {name}
              </h2>
              <LangBadge code={customerLanguage(conv)} />
            </div>
            <div class="conv-sub-row">
              <TicketBadge ticket={conv.ticket} compact />
              <SlaBadge conv={conv} compact />
              {isUpset(conv) && <UpsetBadge conv={conv} compact />}
              {botActive(conv) && <WithBotBadge compact />}
              <div class="conv-subtitle" title={subtitle}>
                {subtitle}
              </div>
            </div>

          </div>
        </div>
        <div class="conv-actions" role="toolbar" aria-label={t('conv.actions')} ref={barRef}>
          {conv.assignee && (
            <span class="assignee-chip" data-testid="assignee" title={mine ? t('conv.assignedToYou') : t('conv.assignedTo', { name: conv.assignee.name })}>
              <Avatar name={conv.assignee.name} color={agentColor(conv.assignee.id, conv.assignee.name)} size="xs" />
              <span class="assignee-name">{mine ? t('conv.assignedToYou') : conv.assignee.name}</span>
            </span>
          )}
          {!mine && (
            <button type="button" class="btn btn-secondary btn-sm" onClick={() => act(assignToMe)} disabled={busy} title={t('conv.assignMe')} data-testid="assign-me" data-rank="5">
              <IconUser size={15} />
              <span class="desk-btn-label">{t('conv.assignMe')}</span>
            </button>
          )}
          <ConvRoutingActions conv={conv} />
          <MakeTicketButton conv={conv} />
          <ComplaintAction convId={convId} />
          <MoreMenu bar={barRef} count={overflow} />
          {closed ? (
            <button type="button" class="btn btn-secondary btn-sm" onClick={() => act(reopenConversation)} disabled={busy} title={t('conv.reopen')} data-testid="reopen-conversation">
              <IconRotate size={15} />
              <span class="desk-btn-label">{t('conv.reopen')}</span>
            </button>
          ) : (
            <button type="button" class="btn btn-success btn-sm" onClick={() => act(closeConversation)} disabled={busy} title={t('conv.close')} data-testid="close-conversation">
              <IconCheckCircle size={15} />
              <span class="desk-btn-label">{t('conv.close')}</span>
            </button>
          )}
          <button
            type="button"
            class={'icon-button' + (contactOpen ? ' is-active' : '')}
            onClick={onToggleContact}
            aria-pressed={contactOpen}
            aria-label={panelLabel}
            title={panelLabel}
          >
            <IconPanel />
          </button>
        </div>
      </header>
      <ComplaintPanel convId={convId} />
      {conv.meta?.bot?.state === 'handed_off' && conv.meta.bot.reason && !closed && (
        <div class="conv-handoff" data-testid="handoff-reason">
          <IconBot size={14} />
          {t('conv.handedOff', { reason: handoffReason(conv.meta.bot.reason) })}
        </div>
      )}
      {closed && (
        <div class="conv-closed-banner" role="status">
          {t('conv.closedBanner')}
        </div>
      )}
      <MessageList conv={conv} convId={convId} />
      <div class="typing-row" aria-live="polite">
        {typingName && (
          <span class="typing" data-testid="typing">
            <span class="typing-dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {t('conv.typing', { name: typingName })}
          </span>
        )}
      </div>
      <Composer convId={convId} handle={composer} />
      {dragging && (
        <div class="drop-overlay" aria-hidden="true">
          <IconPaperclip size={28} />
          <span>{t('composer.drop')}</span>
        </div>
      )}
    </main>
  );
}

export function NoConversation() {
  return (
    <main class="conv-pane conv-pane-empty">
      <div class="placeholder">
        <div class="placeholder-art" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
        <h2>{t('conv.placeholderTitle')}</h2>
        <p class="muted">{t('conv.placeholderHint')}</p>
      </div>
    </main>
  );
}
