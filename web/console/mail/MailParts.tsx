// What a message of a mail ticket shows beyond its text: the mail's headers,
// bounce and auto-reply badges, the original formatting in a sandboxed frame,
// the folded quoted history, the raw source, and for our replies the delivery
// state with a retry. Mounted by Messages.tsx under each message.
import { useState } from 'preact/hooks';
import { fmtDateTime, t } from '../i18n';
import { errorText, toast } from '../store';
import type { Attachment, ConvEvent, Conversation } from '../types';
import { IconAlert, IconCheck, IconClock, IconDownload, IconMail, IconRotate } from '../components/Icons';
import { addressText, isMailTicket, mailOfEvent, retryDelivery, useTicketMail, type Delivery, type MailAddr, type MailEntry } from './mailApi';

const isSource = (a: Attachment) => a.name === 'message.eml' && /^message\/rfc822$/i.test(a.content_type || '');

/** The raw source the ingest keeps with every mail ("message.eml"). */
function sourceOf(ev: ConvEvent): Attachment | undefined {
  return ev.attachments?.find(isSource);
}

/**
 * A mail's attachments to list under it: not its raw source, which MailParts offers
 * as "download original", nor the images its HTML shows (they are in the original
 * formatting, and in the source).
 */
export function mailAttachments(ev: ConvEvent, conv: Conversation | undefined): Attachment[] {
  return isMailTicket(conv) && ev.author.type !== 'agent' ? (ev.attachments ?? []).filter((a) => !isSource(a) && !a.inline) : ev.attachments;
}

function Addresses({ label, list }: { label: string; list: MailAddr[] }) {
  if (!list.length) return null;
  return (
    <div class="mail-head-row">
      <dt>{label}</dt>
      <dd>{list.map(addressText).join(', ')}</dd>
    </div>
  );
}

function MailHeaders({ mail }: { mail: MailEntry }) {
  return (
    <dl class="mail-head" data-testid="mail-headers">
      {mail.subject && (
        <div class="mail-head-row">
          <dt>{t('mail.subject')}</dt>
          <dd class="mail-subject">{mail.subject}</dd>
        </div>
      )}
      {mail.from.address && <Addresses label={t('mail.from')} list={[mail.from]} />}
      <Addresses label={t('mail.to')} list={mail.to} />
      <Addresses label={t('mail.cc')} list={mail.cc} />
      <Addresses label={t('mail.bcc')} list={mail.bcc} />
    </dl>
  );
}

/** The sanitised HTML in a frame of its own: sandboxed, its own CSP, no cookies. */
function OriginalFormatting({ convId, mail }: { convId: number; mail: MailEntry }) {
  const [remote, setRemote] = useState(false);
  const hasRemote = /\sdata-src="https?:/i.test(mail.html);
  const src = `/api/v1/conversations/${convId}/mail/${mail.event_id}/html` + (remote ? '?remote=1' : '');
  return (
    <div class="mail-original">
      {hasRemote && !remote && (
        <div class="mail-remote-bar" role="note">
          <span>{t('mail.remoteBlocked')}</span>
          <button type="button" class="btn btn-secondary btn-xs" onClick={() => setRemote(true)} data-testid="mail-load-remote">
            {t('mail.loadRemote')}
          </button>
        </div>
      )}
      <iframe
        class="mail-frame"
        src={src}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerpolicy="no-referrer"
        title={t('mail.frameTitle', { subject: mail.subject || t('mail.noSubject') })}
        data-testid="mail-frame"
      />
    </div>
  );
}

function DeliveryState({ convId, eventId, delivery }: { convId: number; eventId: number; delivery: Delivery }) {
  const [busy, setBusy] = useState(false);
  async function retry() {
    setBusy(true);
    try {
      await retryDelivery(convId, eventId);
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  }
  const { status } = delivery;
  return (
    <div class={`mail-delivery mail-delivery-${status}`} data-testid="mail-delivery" data-status={status} role={status === 'failed' ? 'alert' : 'status'}>
      {status === 'sent' ? <IconCheck size={13} /> : status === 'failed' ? <IconAlert size={13} /> : <IconClock size={13} />}
      <span>
        {status === 'sent'
          ? t('mail.sent', { time: fmtDateTime(delivery.sent_at ?? 0) })
          : status === 'failed'
            ? t('mail.failed', { error: delivery.last_error || '—' })
            : delivery.attempts > 0
              ? t('mail.retrying', { error: delivery.last_error || '—' })
              : t('mail.queued')}
      </span>
      {status === 'failed' && (
        <button type="button" class="link-button" onClick={retry} disabled={busy} data-testid="mail-retry">
          <IconRotate size={13} /> {t('mail.retry')}
        </button>
      )}
    </div>
  );
}

export function MailParts({ ev, conv }: { ev: ConvEvent; conv: Conversation | undefined }) {
  const mailTicket = isMailTicket(conv);
  const convId = conv?.id ?? ev.conversation_id;
  const data = useTicketMail(convId, mailTicket, `${conv?.last_seq ?? 0}`);
  const [showHtml, setShowHtml] = useState(false);
  const [showQuote, setShowQuote] = useState(false);
  if (!mailTicket) return null;
  const mail = mailOfEvent(data, ev.id);
  const code = ev.notice?.code;
  const source = sourceOf(ev);
  const badge = code === 'mail_bounce' ? 'bounce' : code === 'mail_auto_reply' ? 'auto' : null;
  if (!mail && !badge) return null;
  return (
    <div class="mail-parts" data-testid="mail-parts" data-event={ev.id}>
      {badge && (
        <span class={`mail-badge mail-badge-${badge}`} data-testid="mail-badge" data-kind={badge}>
          {badge === 'bounce' ? <IconAlert size={12} /> : <IconMail size={12} />}
          {badge === 'bounce' ? t('mail.bounce') : t('mail.autoReply')}
        </span>
      )}
      {mail && mail.direction === 'in' && <MailHeaders mail={mail} />}
      {mail && mail.direction === 'out' && (mail.cc.length > 0 || mail.bcc.length > 0) && <MailHeaders mail={{ ...mail, subject: '', from: { name: '', address: '' } }} />}
      {mail?.quoted && (
        <div class="mail-quoted-wrap">
          <button
            type="button"
            class="mail-quote-toggle"
            aria-expanded={showQuote}
            aria-label={showQuote ? t('mail.hideQuoted') : t('mail.showQuoted')}
            title={showQuote ? t('mail.hideQuoted') : t('mail.showQuoted')}
            onClick={() => setShowQuote(!showQuote)}
            data-testid="mail-quote-toggle"
          >
            …
          </button>
          {showQuote && (
            <pre class="mail-quoted" data-testid="mail-quoted">
              {mail.quoted}
            </pre>
          )}
        </div>
      )}
      {(mail?.html || source) && (
        <div class="mail-tools">
          {mail?.html && mail.event_id != null && (
            <button type="button" class="link-button" aria-expanded={showHtml} onClick={() => setShowHtml(!showHtml)} data-testid="mail-show-html">
              {showHtml ? t('mail.hideOriginal') : t('mail.showOriginal')}
            </button>
          )}
          {source && (
            <a class="link-button" href={`/api/v1/attachments/${encodeURIComponent(source.id)}`} download="message.eml" data-testid="mail-source">
              <IconDownload size={13} /> {t('mail.downloadSource')}
            </a>
          )}
        </div>
      )}
      {showHtml && mail?.html && <OriginalFormatting convId={convId} mail={mail} />}
      {mail?.delivery && mail.event_id != null && <DeliveryState convId={convId} eventId={mail.event_id} delivery={mail.delivery} />}
    </div>
  );
}
