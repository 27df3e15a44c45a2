// Conversation offers (push routing) and @mention notices.
// Keys while an offer is showing and the agent is not typing: Enter or A accepts
// the first offer, D declines it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { useNow } from '../hooks';
import {
  acceptOffer,
  clearDesk,
  declineOffer,
  dismissMention,
  dismissMentionsOf,
  expireOffers,
  holdMention,
  offerPreview,
  offerSecondsLeft,
  openMention,
  type MentionNotice,
  type Offer,
} from '../agentdesk';
import { agentColor, contactName, getState, useStore } from '../store';
import { isTypingTarget } from '../util';
import { Avatar } from './Avatar';
import { KindIcon, kindLabel } from './ConversationList';
import { IconX } from './Icons';
import './agentdesk.css';

function onOfferKey(e: KeyboardEvent) {
  const first = getState().offers.find((o) => !o.busy);
  if (!first || getState().helpOpen) return;
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
  if (isTypingTarget(e.target)) return;
  const target = e.target as HTMLElement | null;
  const key = e.key;
  if (key === 'Enter') {
    // Buttons and links keep their own Enter; elsewhere (page, list, offer card) Enter accepts.
    const inStack = !!target?.closest?.('.offer-stack');
    if (!inStack && target && target !== document.body && (target.tagName === 'BUTTON' || target.tagName === 'A' || target.closest('[data-testid="conversation-item"]')))
      return;
    if (inStack && (target!.tagName === 'BUTTON' || target!.tagName === 'A')) return;
  } else if (key !== 'a' && key !== 'A' && key !== 'd' && key !== 'D') {
    return;
  }
  e.preventDefault();
  e.stopPropagation();
  if (key === 'd' || key === 'D') void declineOffer(first.conversation.id);
  else void acceptOffer(first.conversation.id);
}

const PHONE = '(max-width: 640px)';

/**
 * Where the offer cards go: docked at the top of the conversation list (pushing it down,
 * never over it) in the inbox, where the list is on screen; elsewhere (another section, or
 * a phone showing a conversation) floating in a corner.
 */
export function useOffersInList(): boolean {
  const route = useStore((s) => s.route);
  const [phone, setPhone] = useState(() => window.matchMedia(PHONE).matches);
  useEffect(() => {
    const mq = window.matchMedia(PHONE);
    const on = () => setPhone(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return route.section === 'inbox' && (route.convId == null || !phone);
}

/** The offer cards: `docked` at the top of the conversation list, or floating. */
export function OfferCards({ docked }: { docked: boolean }) {
  const offers = useStore((s) => s.offers);
  const now = useNow(offers.length ? 500 : 30_000);
  if (!offers.length) return null;
  return (
    <section class={'offer-stack' + (docked ? ' is-docked' : ' is-floating')} aria-label={t('offer.region')} data-testid="offer-stack">
      {offers.map((o, i) => (
        <OfferCard key={o.conversation.id} offer={o} first={i === 0} now={now} />
      ))}
    </section>
  );
}

export function OfferStack() {
  const offers = useStore((s) => s.offers);
  const mentions = useStore((s) => s.mentions);
  const openConv = useStore((s) => (s.route.section === 'inbox' ? s.route.convId : null));
  const inList = useOffersInList();
  const now = useNow(offers.length ? 500 : 30_000);

  // The conversation a mention is about is open: its notice has done its job.
  useEffect(() => {
    if (openConv != null) dismissMentionsOf(openConv);
  }, [openConv, mentions]);
  const [announce, setAnnounce] = useState('');
  const seen = useRef(new Set<number>());

  useEffect(() => {
    // Capture phase: runs before the console's own shortcuts (Enter opens the list cursor).
    document.addEventListener('keydown', onOfferKey, true);
    return () => {
      document.removeEventListener('keydown', onOfferKey, true);
      clearDesk();
    };
  }, []);

  useEffect(() => {
    expireOffers(now);
  }, [now]);

  // One spoken announcement per new offer (the cards' countdowns are not live regions).
  useEffect(() => {
    for (const o of offers) {
      if (seen.current.has(o.conversation.id)) continue;
      seen.current.add(o.conversation.id);
      setAnnounce(t('offer.announce', { name: contactName(o.conversation), s: offerSecondsLeft(o) }));
    }
    const live = new Set(offers.map((o) => o.conversation.id));
    for (const id of seen.current) if (!live.has(id)) seen.current.delete(id);
  }, [offers]);

  return (
    <>
      <div class="sr-only" role="status" aria-live="assertive" data-testid="offer-announcer">
        {announce}
      </div>
      {!inList && <OfferCards docked={false} />}
      {mentions.length > 0 && (
        <section class="mention-stack" aria-label={t('mention.region')} aria-live="polite">
          {mentions.map((m) => (
            <MentionCard key={m.id} n={m} />
          ))}
        </section>
      )}
    </>
  );
}

function fmtCountdown(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

function OfferCard({ offer, first, now }: { offer: Offer; first: boolean; now: number }) {
  const c = offer.conversation;
  const name = contactName(c);
  const left = offerSecondsLeft(offer, now);
  const frac = Math.max(0, Math.min(1, (offer.received_at + offer.timeout_s * 1000 - now) / (offer.timeout_s * 1000)));
  const preview = offerPreview(c, offer.question);
  const subject = c.subject && c.subject !== preview ? c.subject : '';
  const channel = kindLabel(c.kind);
  const id = 'offer-' + c.id;
  const urgent = left <= 5;
  return (
    <article
      class={'offer-card' + (first ? ' is-first' : '') + (urgent ? ' is-urgent' : '')}
      aria-labelledby={id + '-title'}
      aria-describedby={id + '-body'}
      data-testid="offer-card"
      data-conversation-id={c.id}
      aria-busy={offer.busy ? 'true' : undefined}
    >
      <header class="offer-top">
        <span class="offer-kicker">
          <KindIcon kind={c.kind} size={14} />
          {t('offer.heading', { channel })}
        </span>
        <span class="offer-countdown" data-testid="offer-countdown" title={t('offer.expires', { s: left })}>
          <span aria-hidden="true">{fmtCountdown(left)}</span>
          <span class="sr-only">{t('offer.expires', { s: left })}</span>
        </span>
      </header>
      <div class="offer-main">
        <Avatar name={name} size="md" />
        <div class="offer-text">
          <h2 class="offer-name" id={id + '-title'}>
            {name}
          </h2>
          {subject && <div class="offer-subject">{subject}</div>}
          <p class="offer-preview" id={id + '-body'}>
            {preview || t('list.noMessages')}
          </p>
        </div>
      </div>
      <div class="offer-progress" aria-hidden="true">
        <span style={{ transform: `scaleX(${frac})` }} />
      </div>
      <div class="offer-actions">
        <OfferButton class="btn-secondary" onClick={() => declineOffer(c.id)} offer={offer} first={first} testid="offer-decline" keys="D" kbd="D">
          {t('offer.decline')}
        </OfferButton>
        <OfferButton class="btn-primary" onClick={() => acceptOffer(c.id)} offer={offer} first={first} testid="offer-accept" keys="Enter A" kbd="Enter">
          {t('offer.accept')}
        </OfferButton>
      </div>
    </article>
  );
}

/** Decline or accept; on the first offer its keys are announced and the main one shown. */
function OfferButton({
  class: cls,
  onClick,
  offer,
  first,
  testid,
  keys,
  kbd,
  children,
}: {
  class: string;
  onClick: () => void;
  offer: Offer;
  first: boolean;
  testid: string;
  keys: string;
  kbd: string;
  children: ComponentChildren;
}) {
  return (
    <button type="button" class={'btn ' + cls} onClick={onClick} disabled={offer.busy} data-testid={testid} aria-keyshortcuts={first ? keys : undefined}>
      {children}
      {first && <kbd aria-hidden="true">{kbd}</kbd>}
    </button>
  );
}

function MentionCard({ n }: { n: MentionNotice }) {
  const conv = useStore((s) => s.convs[n.conversation_id]);
  const where = conv ? contactName(conv) : '#' + n.conversation_id;
  return (
    <article class="mention-card" data-testid="mention-notice" onMouseEnter={() => holdMention(n.id)} onFocusCapture={() => holdMention(n.id)}>
      <div class="mention-head">
        <Avatar name={n.by?.name || '?'} color={agentColor(n.by?.id, n.by?.name || '')} size="sm" />
        <div class="mention-title">
          <strong>{t('mention.title', { name: n.by?.name || '' })}</strong>
          <span class="muted small">{t('mention.in', { name: where })}</span>
        </div>
        <button type="button" class="toast-close" onClick={() => dismissMention(n.id)} aria-label={t('common.dismiss')}>
          <IconX size={14} />
        </button>
      </div>
      {n.body && <p class="mention-body">{n.body}</p>}
      <button type="button" class="link-button" onClick={() => openMention(n)} data-testid="mention-open">
        {t('mention.open')}
      </button>
    </article>
  );
}
