// Contacts (R5): the list with search, and one contact's page. The route is
// /console/contacts[/:id].
import { useEffect, useRef, useState } from 'preact/hooks';
import { fmtRelative, t } from '../i18n';
import { navigate } from '../store';
import { Avatar } from '../components/Avatar';
import { ErrorNotice, SettingsHeader, TableHead } from '../components/Common';
import { IconSearch } from '../components/Icons';
import { ChannelIcon } from './ChannelBits';
import { ContactPage } from './ContactPage';
import { displayName, type ContactProfile } from './contactsApi';
import { useContactSearch } from './useContactSearch';
import './contacts.css';

function ContactRow({ c }: { c: ContactProfile }) {
  const open = () => navigate({ section: 'contacts', contactId: c.id });
  return (
    <tr class="contact-row" data-testid="contact-row" data-id={c.id}>
      <td>
        <button type="button" class="contact-link" onClick={open} data-testid="contact-open">
          <Avatar name={displayName(c)} size="sm" />
          <span class="truncate">{displayName(c)}</span>
        </button>
      </td>
      <td class="cell-muted">
        <span class="truncate cell-text" title={c.email}>
          {c.email || '—'}
        </span>
      </td>
      <td class="cell-muted nowrap">{c.phone || '—'}</td>
      <td>
        <span class="channel-dots">
          {c.channels.map((ch) => (
            <ChannelIcon key={ch.channel} channel={ch.channel} />
          ))}
        </span>
      </td>
      <td class="num">{c.conversations}</td>
      <td class="cell-muted nowrap">{c.last_activity_at ? fmtRelative(c.last_activity_at) : '—'}</td>
    </tr>
  );
}

function ContactList() {
  const [q, setQ] = useState('');
  const { items, next, error, more } = useContactSearch(q);
  // The page is for finding someone: the search box takes the focus.
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <div class="settings-content settings-wide contacts-page" data-testid="contacts-page">
      <SettingsHeader title={t('contacts.title')} subtitle={t('contacts.subtitle')} />
      <form class="contacts-search" role="search" onSubmit={(e) => e.preventDefault()}>
        <label class="sr-only" for="contacts-q">
          {t('contacts.search')}
        </label>
        <span class="contacts-search-icon" aria-hidden="true">
          <IconSearch size={16} />
        </span>
        <input
          id="contacts-q"
          type="search"
          value={q}
          placeholder={t('contacts.searchPlaceholder')}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="contacts-search"
          ref={input}
        />
      </form>
      <ErrorNotice error={error} />
      <section class="card contacts-card" aria-live="polite" aria-busy={items == null}>
        {items == null ? (
          <p class="card-state">{t('common.loading')}</p>
        ) : items.length === 0 ? (
          <p class="card-state" data-testid="contacts-empty">
            {q.trim() ? t('contacts.noMatch', { q: q.trim() }) : t('contacts.none')}
          </p>
        ) : (
          <table class="table contacts-table">
            <TableHead
              cols={[t('contacts.colName'), t('contact.email'), t('contact.phone'), t('contacts.colChannels'), { label: t('contacts.colConversations'), class: 'num' }, t('contacts.colLast')]}
            />
            <tbody>
              {items.map((c) => (
                <ContactRow key={c.id} c={c} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {next != null && (
        <p class="contacts-more">
          <button type="button" class="btn btn-ghost" onClick={() => void more()} data-testid="contacts-more">
            {t('contacts.more')}
          </button>
        </p>
      )}
    </div>
  );
}

export function Contacts({ contactId }: { contactId: number | null }) {
  return <main class="settings-pane">{contactId == null ? <ContactList /> : <ContactPage key={contactId} id={contactId} />}</main>;
}
