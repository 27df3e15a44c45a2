// One contact: who they are (name, notes, identities), every channel's
// conversations newest first, merging another contact into this one and undoing it.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fmtDate, fmtRelative, t, type StringKey } from '../i18n';
import { errorText, navigate, selectConversation, toast } from '../store';
import { Avatar } from '../components/Avatar';
import { ErrorNotice } from '../components/Common';
import { IconArrowLeft, IconMerge, IconRotate, IconX } from '../components/Icons';
import { ChannelIcon } from './ChannelBits';
import { ContactDetails, IdentityList } from './ContactEdit';
import { MergeDialog } from './MergeDialog';
import { ContactSurveyLink } from '../surveys/ContactSurveyLink';
import { displayName, getContact, getTimeline, undoMerge, type ContactMerge, type ContactProfile, type TimelineItem } from './contactsApi';

function statusText(item: TimelineItem): string {
  if (item.ticket_status) {
    const key = `ticket.status.${item.ticket_status}` as StringKey;
    const s = t(key);
    return s === key ? item.ticket_status : s;
  }
  return t(item.status === 'open' ? 'conv.statusOpen' : 'conv.statusClosed');
}

function TimelineRow({ item }: { item: TimelineItem }) {
  return (
    <li>
      <button type="button" class="timeline-item" onClick={() => selectConversation(item.id)} data-testid="timeline-item" data-id={item.id} data-channel={item.channel}>
        <ChannelIcon channel={item.channel} size={16} />
        <span class="timeline-body">
          <span class="timeline-top">
            <span class="timeline-subject truncate">{item.subject || item.last_message?.preview || t('list.noMessages')}</span>
            <span class="timeline-when">{fmtRelative(item.updated_at || item.created_at)}</span>
          </span>
          {item.subject && item.last_message && <span class="timeline-preview truncate">{item.last_message.preview}</span>}
          <span class="timeline-meta">
            <ChannelIcon channel={item.channel} label size={12} />
            {/* A ticket's status in the same colours as in the ticket list. */}
            <span class={item.ticket_status ? `badge ticket-status ticket-status-${item.ticket_status}` : 'status-badge status-' + item.status}>{statusText(item)}</span>
            {item.assignee && <span class="muted">{item.assignee.name}</span>}
            <span class="muted">#{item.id}</span>
          </span>
        </span>
      </button>
    </li>
  );
}

function Timeline({ id, version }: { id: number; version: number }) {
  const [items, setItems] = useState<TimelineItem[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    getTimeline(id)
      .then((p) => live && (setItems(p.items), setNext(p.next)))
      .catch((err) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [id, version]);
  async function more() {
    if (next == null) return;
    const p = await getTimeline(id, next);
    setItems((cur) => [...(cur ?? []), ...p.items]);
    setNext(p.next);
  }
  return (
    <section class="card contact-timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title" class="contact-section-title">
        {t('contacts.timeline')}
      </h2>
      <ErrorNotice error={error} />
      {items == null ? (
        !error && <p class="card-state">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p class="card-state">{t('contacts.noConversations')}</p>
      ) : (
        <ul class="timeline" data-testid="contact-timeline">
          {items.map((it) => (
            <TimelineRow key={it.id} item={it} />
          ))}
        </ul>
      )}
      {next != null && (
        <button type="button" class="btn btn-ghost btn-sm timeline-more" onClick={() => void more()}>
          {t('contacts.older')}
        </button>
      )}
    </section>
  );
}

/** After a merge: what moved, and the way back. */
function UndoBanner({ merge, fromName, onUndone, onDismiss }: { merge: ContactMerge; fromName: string; onUndone: () => void; onDismiss: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function undo() {
    setBusy(true);
    setError(null);
    try {
      await undoMerge(merge.id);
      toast(t('contacts.undone'), 'success');
      onUndone();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? t('contacts.undoRefused', { why: err.message }) : errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="notice notice-info merge-banner" role="status" data-testid="merge-banner">
      <span>{t('contacts.mergedBanner', { name: fromName, conversations: merge.conversations.length, identities: merge.identities.length })}</span>
      <span class="merge-banner-actions">
        <button type="button" class="btn btn-sm" onClick={() => void undo()} disabled={busy} data-testid="merge-undo">
          <IconRotate size={14} /> {t('contacts.undo')}
        </button>
        <button type="button" class="icon-button" onClick={onDismiss} aria-label={t('common.dismiss')}>
          <IconX size={14} />
        </button>
      </span>
      {error && (
        <span class="merge-banner-error" role="alert" data-testid="merge-undo-error">
          {error}
        </span>
      )}
    </div>
  );
}

function Header({ c, onMerge }: { c: ContactProfile; onMerge: () => void }) {
  return (
    <header class="contact-head card">
      <Avatar name={displayName(c)} size="lg" />
      <div class="contact-head-text">
        <h1 data-testid="contact-page-name">{displayName(c)}</h1>
        <p class="muted small">
          {t('contact.firstSeen')} {fmtDate(c.created_at)} · {t('contacts.counts', { n: c.conversations, open: c.open_conversations })}
        </p>
        <p class="channel-tags" aria-label={t('contacts.channelsUsed')}>
          {c.channels.map((ch) => (
            <span key={ch.channel} class="channel-count">
              <ChannelIcon channel={ch.channel} label size={13} />
              <span class="channel-n">{ch.conversations}</span>
            </span>
          ))}
        </p>
      </div>
      {!c.merged_into && !c.erased && (
        <div class="contact-head-actions">
          <ContactSurveyLink contactId={c.id} />
          <button type="button" class="btn" onClick={onMerge} data-testid="contact-merge">
            <IconMerge size={16} /> {t('contacts.merge')}
          </button>
        </div>
      )}
    </header>
  );
}

export function ContactPage({ id }: { id: number }) {
  const [c, setC] = useState<ContactProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState<{ merge: ContactMerge; name: string } | null>(null);
  useEffect(() => {
    let live = true;
    getContact(id)
      .then((x) => live && (setC(x), setError(null)))
      .catch((err) => live && setError(err instanceof ApiError && err.status === 404 ? t('contacts.notFound') : errorText(err)));
    return () => {
      live = false;
    };
  }, [id, version]);
  const reload = () => setVersion((v) => v + 1);
  const back = (
    <button type="button" class="link-button contacts-back" onClick={() => navigate({ section: 'contacts', contactId: null })} data-testid="contacts-back">
      <IconArrowLeft size={14} /> {t('contacts.all')}
    </button>
  );
  if (!c)
    return (
      <div class="settings-content contacts-page">
        {back}
        {error ? <ErrorNotice error={error} testid="contact-error" /> : <p class="muted">{t('common.loading')}</p>}
      </div>
    );
  return (
    <div class="settings-content contacts-page contact-page" data-testid="contact-page" data-id={c.id}>
      {back}
      {c.merged_into && (
        <p class="notice notice-warn" data-testid="contact-merged-away">
          {t('contacts.mergedAway')}{' '}
          <button type="button" class="link-button" onClick={() => navigate({ section: 'contacts', contactId: c.merged_into })}>
            {t('contacts.openSurvivor', { id: c.merged_into })}
          </button>
        </p>
      )}
      {merged && <UndoBanner merge={merged.merge} fromName={merged.name} onUndone={() => (setMerged(null), reload())} onDismiss={() => setMerged(null)} />}
      <Header c={c} onMerge={() => setMerging(true)} />
      <div class="contact-columns">
        <div class="contact-side">
          <IdentityList c={c} onChange={setC} />
          <ContactDetails c={c} onChange={setC} />
        </div>
        <Timeline id={c.id} version={version} />
      </div>
      {merging && (
        <MergeDialog
          into={c}
          onClose={() => setMerging(false)}
          onMerged={(merge, from) => {
            setMerging(false);
            setMerged({ merge, name: displayName(from) });
            reload();
          }}
        />
      )}
    </div>
  );
}
