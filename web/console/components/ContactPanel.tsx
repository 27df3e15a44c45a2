import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { fmtDate, fmtDateTime, fmtRelative, languageName, t } from '../i18n';
import { contactName, navigate, selectConversation, useStore } from '../store';
import { ChannelIcon } from '../contacts/ChannelBits';
import { getContact, type ContactProfile } from '../contacts/contactsApi';
import '../contacts/contacts.css';
import type { Conversation, CurrentPage } from '../types';
import { useNow } from '../hooks';
import { parseUserAgent } from '../util';
import { Avatar } from './Avatar';
import { ContactPrivacy } from './ContactPrivacy';
import { KindIcon } from './ConversationList';
import { fmtWindow } from './format';
import { IconContacts, IconCalendar, IconGlobe, IconHistory, IconLanguage, IconLink, IconMail, IconMonitor, IconPhone, IconClock } from './Icons';
import { safeHref } from './RichText';

const NO_HISTORY: Conversation[] = [];

function Row({ icon, label, children }: { icon: ComponentChildren; label: string; children: ComponentChildren }) {
  return (
    <div class="kv">
      <dt>
        <span class="kv-icon" aria-hidden="true">
          {icon}
        </span>
        {label}
      </dt>
      <dd>{children}</dd>
    </div>
  );
}

function UrlValue({ url }: { url: string }) {
  const href = safeHref(url);
  let shown = url;
  try {
    const u = new URL(url);
    shown = u.host + (u.pathname === '/' ? '' : u.pathname) + u.search;
  } catch {
    /* not a URL: show as text */
  }
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer" title={url} class="truncate">
      {shown}
    </a>
  ) : (
    <span class="truncate">{url}</span>
  );
}

/** Seen within this long: the visitor is on the page now (the widget's heartbeat is every 60 s). */
const ONLINE_MS = 90_000;

/** The visitor's current page, its title, and a dot: online (seen in the last 90 s) or "last seen 5 min ago". */
function CurrentPageValue({ page }: { page: CurrentPage }) {
  const now = useNow(10_000);
  const online = now - page.at <= ONLINE_MS;
  return (
    <span class="current-page" data-testid="contact-current-page" data-online={online ? 'true' : 'false'}>
      <UrlValue url={page.url} />
      {page.title && (
        <span class="current-page-title" title={page.title}>
          {page.title}
        </span>
      )}
      <span class="current-page-seen">
        <span class={'cp-dot' + (online ? ' is-online' : '')} aria-hidden="true" />
        <span data-testid="contact-current-seen">{online ? t('contact.online') : t('contact.lastSeen', { time: fmtRelative(page.at, now) })}</span>
      </span>
    </span>
  );
}

/** Every channel this person has used (one customer record, R5), and the way to their page. */
function ContactChannels({ contactId, version }: { contactId: number; version: number }) {
  const [profile, setProfile] = useState<ContactProfile | null>(null);
  useEffect(() => {
    let live = true;
    getContact(contactId)
      .then((p) => live && setProfile(p))
      .catch(() => live && setProfile(null));
    return () => {
      live = false;
    };
  }, [contactId, version]);
  return (
    <section class="panel-section" data-testid="contact-channels">
      <h3 class="panel-heading">{t('contacts.channelsUsed')}</h3>
      {profile && (
        <p class="panel-channels">
          {profile.channels.map((ch) => (
            <span key={ch.channel} class="channel-count">
              <ChannelIcon channel={ch.channel} label size={12} />
              <span class="channel-n">{ch.conversations}</span>
            </span>
          ))}
        </p>
      )}
      <button type="button" class="link-button panel-link" onClick={() => navigate({ section: 'contacts', contactId })} data-testid="contact-open-page">
        <IconContacts size={14} /> {t('contacts.openPage')}
      </button>
    </section>
  );
}

export function ContactPanel({ convId }: { convId: number }) {
  const conv = useStore((s) => s.convs[convId]);
  const history = useStore((s) => s.details[convId]?.history ?? NO_HISTORY);
  const convs = useStore((s) => s.convs);
  if (!conv) return <aside class="contact-pane" data-testid="contact-panel" aria-label={t('contact.panel')} />;

  const c = conv.contact;
  const name = contactName(conv);
  const ua = parseUserAgent(conv.meta?.user_agent ?? '');
  const cb = conv.meta?.callback;
  const notGiven = <span class="muted">{t('contact.notGiven')}</span>;
  // Prefer live copies of history entries (they may have changed since the detail load).
  const past = history.filter((h) => h.id !== conv.id).map((h) => convs[h.id] ?? h);

  return (
    <aside class="contact-pane" data-testid="contact-panel" aria-label={t('contact.panel')}>
      <section class="contact-card">
        <Avatar name={name} size="lg" />
        <h2 class="contact-name" data-testid="contact-name">
          {name}
        </h2>
        {c?.created_at ? (
          <p class="muted small">
            {t('contact.firstSeen')} {fmtDate(c.created_at)}
          </p>
        ) : null}
      </section>

      {c?.id ? <ContactChannels contactId={c.id} version={history.length} /> : null}

      <section class="panel-section">
        <dl class="kv-list">
          <Row icon={<IconMail size={14} />} label={t('contact.email')}>
            {c?.email ? (
              <a href={'mailto:' + encodeURIComponent(c.email).replace(/%40/g, '@')} class="truncate" data-testid="contact-email">
                {c.email}
              </a>
            ) : (
              notGiven
            )}
          </Row>
          <Row icon={<IconPhone size={14} />} label={t('contact.phone')}>
            {cb?.phone || c?.phone ? (
              <a href={'tel:' + (cb?.phone || c?.phone || '').replace(/[^\d+]/g, '')} data-testid="contact-phone">
                {cb?.phone || c?.phone}
              </a>
            ) : (
              notGiven
            )}
          </Row>
          {cb && (
            <Row icon={<IconClock size={14} />} label={t('contact.callback')}>
              <span data-testid="contact-callback">{fmtWindow(cb) || '—'}</span>
            </Row>
          )}
          {conv.language && (
            <Row icon={<IconLanguage size={14} />} label={t('contact.language')}>
              {languageName(conv.language)}
            </Row>
          )}
          {conv.meta?.detected_language && conv.meta.detected_language !== conv.language && (
            <Row icon={<IconLanguage size={14} />} label={t('contact.detectedLanguage')}>
              <span data-testid="contact-detected-language">{languageName(conv.meta.detected_language)}</span>
            </Row>
          )}
        </dl>
      </section>

      <section class="panel-section">
        <h3 class="panel-heading">{t('contact.visitor')}</h3>
        <dl class="kv-list">
          {conv.meta?.current_page?.url && (
            <Row icon={<IconMonitor size={14} />} label={t('contact.page')}>
              <CurrentPageValue page={conv.meta.current_page} />
            </Row>
          )}
          {conv.meta?.page_url && (
            <Row icon={<IconLink size={14} />} label={t('contact.startedOn')}>
              <span data-testid="contact-started-on">
                <UrlValue url={conv.meta.page_url} />
              </span>
            </Row>
          )}
          {conv.meta?.referrer && (
            <Row icon={<IconGlobe size={14} />} label={t('contact.referrer')}>
              <UrlValue url={conv.meta.referrer} />
            </Row>
          )}
          {ua?.browser && (
            <Row icon={<IconGlobe size={14} />} label={t('contact.browser')}>
              <span title={conv.meta.user_agent}>{ua.browser}</span>
            </Row>
          )}
          {ua?.os && (
            <Row icon={<IconMonitor size={14} />} label={t('contact.os')}>
              <span title={conv.meta.user_agent}>{ua.os}</span>
            </Row>
          )}
          <Row icon={<IconCalendar size={14} />} label={t('contact.started')}>
            {fmtDateTime(conv.created_at)}
          </Row>
        </dl>
      </section>

      <section class="panel-section">
        <h3 class="panel-heading">
          <IconHistory size={14} /> {t('contact.history')}
        </h3>
        {past.length === 0 ? (
          <p class="muted small">{t('contact.noHistory')}</p>
        ) : (
          <ul class="history-list">
            {past.map((h) => (
              <li key={h.id}>
                <button type="button" class="history-item" onClick={() => selectConversation(h.id)} data-testid="history-item" data-id={h.id}>
                  <KindIcon kind={h.kind} size={14} />
                  <span class="history-text">
                    <span class="history-top">
                      <span class="history-preview">{h.subject || h.last_message?.body || t('list.noMessages')}</span>
                    </span>
                    <span class="history-meta">
                      <span class={'status-badge status-' + h.status}>{t(h.status === 'open' ? 'conv.statusOpen' : 'conv.statusClosed')}</span>
                      <span>{fmtRelative(h.updated_at || h.created_at)}</span>
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ContactPrivacy conv={conv} />
    </aside>
  );
}
