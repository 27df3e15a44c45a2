// The e-mail side of the composer on a mail ticket: To (the customer where they last wrote from, fixed), Cc
// (the ticket's participants to start with) and Bcc as address chips, the last
// customer mail quoted below the reply (folded; on by default), and the
// signature the mail will carry. Composer.tsx asks mailReplyOptions() on send.
import { useEffect, useState } from 'preact/hooks';
import { fmtDateTime, t } from '../i18n';
import { useStore } from '../store';
import type { ConvEvent, Conversation } from '../types';
import { IconX } from '../components/Icons';
import { addressText, isMailTicket, useTicketMail, validAddress, type MailAddr } from './mailApi';

interface Draft {
  cc: MailAddr[] | null; // null: not touched, the participants as the server has them
  bcc: MailAddr[];
  showCc: boolean;
  showBcc: boolean;
  quote: boolean;
}

const drafts = new Map<number, Draft>();
const EMPTY: ConvEvent[] = [];
const MAX_QUOTE = 16_000; // characters; the server takes 64 KiB
const fresh = (): Draft => ({ cc: null, bcc: [], showCc: false, showBcc: false, quote: true });

function lastCustomerMail(events: ConvEvent[]): ConvEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i].kind === 'message' && events[i].author.type === 'visitor') return events[i];
  return undefined;
}

function quoteOf(ev: ConvEvent | undefined, fallbackName: string): string {
  if (!ev?.body) return '';
  const who = ev.author.name || fallbackName;
  const quoted = t('mail.quoteIntro', { time: fmtDateTime(ev.created_at), name: who }) + '\n' + ev.body.split('\n').map((l) => '> ' + l).join('\n');
  return quoted.length > MAX_QUOTE ? quoted.slice(0, MAX_QUOTE) + '\n> […]' : quoted;
}

/** What the mail route takes with the reply; undefined when this is no mail ticket. */
export function mailReplyOptions(conv: Conversation | undefined, events: ConvEvent[]): { cc: MailAddr[] | null; bcc: MailAddr[]; quote: string } | undefined {
  if (!conv || !isMailTicket(conv)) return undefined;
  const d = drafts.get(conv.id) ?? fresh();
  return { cc: d.cc, bcc: d.bcc, quote: d.quote ? quoteOf(lastCustomerMail(events), conv.contact?.name || conv.contact?.email || '') : '' };
}

/** After a send the copies stay (they are the ticket's), the Bcc goes. */
export function resetMailDraft(convId: number) {
  const d = drafts.get(convId);
  if (d) drafts.set(convId, { ...d, bcc: [], quote: true });
}

function Chips({ id, label, list, onChange, testid }: { id: string; label: string; list: MailAddr[]; onChange: (l: MailAddr[]) => void; testid: string }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  function add(raw: string): boolean {
    const parts = raw.split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean);
    const bad = parts.filter((p) => !validAddress(p));
    if (bad.length) {
      setError(t('mail.badAddress', { address: bad[0] }));
      return false;
    }
    const next = [...list];
    for (const p of parts) if (!next.some((a) => a.address.toLowerCase() === p.toLowerCase())) next.push({ name: '', address: p.toLowerCase() });
    if (next.length > 20) {
      setError(t('mail.tooMany'));
      return false;
    }
    onChange(next);
    setError(null);
    return true;
  }
  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Enter' || e.key === ',' || e.key === ';') {
      if (!text.trim()) return;
      e.preventDefault();
      if (add(text)) setText('');
    } else if (e.key === 'Backspace' && !text && list.length) {
      onChange(list.slice(0, -1));
    }
  }
  return (
    <div class="mail-field">
      <label class="mail-field-label" for={id}>
        {label}
      </label>
      <div class={'mail-chips' + (error ? ' has-error' : '')}>
        {list.map((a) => (
          <span key={a.address} class="mail-chip" data-testid={testid + '-chip'}>
            {addressText(a)}
            <button type="button" class="mail-chip-x" aria-label={t('mail.removeAddress', { address: a.address })} onClick={() => onChange(list.filter((x) => x !== a))}>
              <IconX size={11} />
            </button>
          </span>
        ))}
        <input
          id={id}
          type="email"
          multiple
          value={text}
          autocomplete="off"
          placeholder={list.length ? '' : t('mail.addAddress')}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? id + '-error' : undefined}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setError(null);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => text.trim() && add(text) && setText('')}
          data-testid={testid}
        />
      </div>
      {error && (
        <span class="field-error mail-field-error" id={id + '-error'} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

export function MailComposerFields({ conv }: { conv: Conversation }) {
  const convId = conv.id;
  const events = useStore((s) => s.events[convId] ?? EMPTY);
  const data = useTicketMail(convId, true, `${conv.last_seq}`);
  const [draft, setDraftState] = useState<Draft>(() => drafts.get(convId) ?? fresh());
  const [showQuote, setShowQuote] = useState(false);
  useEffect(() => setDraftState(drafts.get(convId) ?? fresh()), [convId]);
  function setDraft(d: Draft) {
    drafts.set(convId, d);
    setDraftState(d);
  }
  const cc = draft.cc ?? data?.participants ?? [];
  const last = lastCustomerMail(events);
  const quote = quoteOf(last, conv.contact?.name || conv.contact?.email || '');
  const to = data?.to ?? { name: conv.contact?.name ?? '', address: conv.contact?.email ?? '' };
  const showCc = draft.showCc || cc.length > 0;
  const [showSignature, setShowSignature] = useState(false);
  return (
    <div class="mail-compose" data-testid="mail-compose">
      <div class="mail-field">
        <span class="mail-field-label" id={`mail-to-${convId}`}>
          {t('mail.to')}
        </span>
        <span class="mail-to" aria-labelledby={`mail-to-${convId}`} title={addressText(to)} data-testid="mail-to">
          {addressText(to)}
        </span>
        {(!showCc || !draft.showBcc) && (
          <span class="mail-copy-toggles">
            {!showCc && (
              <button type="button" class="link-button mail-copy-toggle" onClick={() => setDraft({ ...draft, showCc: true })} data-testid="mail-show-cc">
                {t('mail.addCc')}
              </button>
            )}
            {!draft.showBcc && (
              <button type="button" class="link-button mail-copy-toggle" onClick={() => setDraft({ ...draft, showBcc: true })} data-testid="mail-show-bcc">
                {t('mail.addBcc')}
              </button>
            )}
          </span>
        )}
      </div>
      {showCc && <Chips id={`mail-cc-${convId}`} label={t('mail.cc')} list={cc} onChange={(l) => setDraft({ ...draft, cc: l })} testid="mail-cc" />}
      {draft.showBcc && <Chips id={`mail-bcc-${convId}`} label={t('mail.bcc')} list={draft.bcc} onChange={(l) => setDraft({ ...draft, bcc: l })} testid="mail-bcc" />}
      {(quote || data?.signature) && (
        <div class="mail-compose-foot">
          {quote && (
            <>
              <label class="checkbox">
                <input type="checkbox" checked={draft.quote} onChange={(e) => setDraft({ ...draft, quote: e.currentTarget.checked })} data-testid="mail-quote-include" />
                {t('mail.includeQuote')}
              </label>
              <button type="button" class="mail-quote-toggle" aria-expanded={showQuote} aria-label={showQuote ? t('mail.hideQuoted') : t('mail.showQuoted')} title={showQuote ? t('mail.hideQuoted') : t('mail.showQuoted')} onClick={() => setShowQuote(!showQuote)}>
                …
              </button>
            </>
          )}
          {data?.signature && (
            <button type="button" class="link-button mail-signature-toggle" aria-expanded={showSignature} onClick={() => setShowSignature(!showSignature)}>
              {t('mail.signature')}
            </button>
          )}
          {showQuote && quote && <pre class="mail-quoted">{quote}</pre>}
          {data?.signature && (
            <pre class="mail-signature" hidden={!showSignature} data-testid="mail-signature">
              {data.signature}
            </pre>
          )}
        </div>
      )}
    </div>
  );
}
