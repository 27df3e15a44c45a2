// Merge another contact into this one: search it, see what will move (its
// conversations by channel and its identities), confirm. The page then offers undo.
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fmtRelative, t } from '../i18n';
import { errorText } from '../store';
import { Avatar } from '../components/Avatar';
import { ErrorNotice, FormActions } from '../components/Common';
import { Dialog } from '../components/ConvRoutingActions';
import { ChannelIcon, IdentityIcon } from './ChannelBits';
import { useContactSearch } from './useContactSearch';
import { displayName, identityLabel, identityText, mergeContacts, type ContactMerge, type ContactProfile } from './contactsApi';

function Preview({ from, into }: { from: ContactProfile; into: ContactProfile }) {
  return (
    <div class="merge-preview" data-testid="merge-preview" aria-live="polite">
      <p>{t('contacts.mergePreview', { from: displayName(from), into: displayName(into) })}</p>
      <ul class="merge-moves">
        {from.channels.map((ch) => (
          <li key={ch.channel}>
            <ChannelIcon channel={ch.channel} label size={13} /> <strong>{ch.conversations}</strong>
          </li>
        ))}
        {from.channels.length === 0 && <li class="muted">{t('contacts.noConversations')}</li>}
      </ul>
      <ul class="merge-identities">
        {from.identities.map((i) => (
          <li key={i.kind + i.value}>
            <span aria-hidden="true">
              <IdentityIcon kind={i.kind} size={13} />
            </span>
            <span class="sr-only">{identityLabel(i.kind)}: </span>
            <span class="truncate" title={i.value}>
              {identityText(i)}
            </span>
          </li>
        ))}
      </ul>
      <p class="muted small">{t('contacts.mergeHint')}</p>
    </div>
  );
}

export function MergeDialog({ into, onClose, onMerged }: { into: ContactProfile; onClose: () => void; onMerged: (m: ContactMerge, from: ContactProfile) => void }) {
  const [q, setQ] = useState('');
  const { items, error: searchError } = useContactSearch(q);
  const [from, setFrom] = useState<ContactProfile | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = (items ?? []).filter((c) => c.id !== into.id).slice(0, 8);
  async function submit(e: Event) {
    e.preventDefault();
    if (!from) return;
    setBusy(true);
    setError(null);
    try {
      const r = await mergeContacts(into.id, from.id);
      onMerged(r.merge, from);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? err.message : errorText(err));
      setBusy(false);
    }
  }
  return (
    <Dialog title={t('contacts.mergeTitle', { name: displayName(into) })} onClose={onClose} testid="merge-dialog">
      <form class="desk-form merge-form" onSubmit={submit}>
        <label class="field">
          <span class="field-label">{t('contacts.mergeSearch')}</span>
          <input type="search" value={q} placeholder={t('contacts.searchPlaceholder')} onInput={(e) => setQ(e.currentTarget.value)} data-testid="merge-search" data-autofocus />
        </label>
        <ErrorNotice error={searchError} />
        <div class="merge-candidates" role="radiogroup" aria-label={t('contacts.mergeCandidates')}>
          {candidates.map((c) => (
            <label key={c.id} class={'merge-candidate' + (from?.id === c.id ? ' is-selected' : '')} data-testid="merge-candidate" data-id={c.id}>
              <input type="radio" name="merge-from" checked={from?.id === c.id} onChange={() => setFrom(c)} />
              <Avatar name={displayName(c)} size="sm" />
              <span class="merge-candidate-text">
                <span class="truncate">{displayName(c)}</span>
                <span class="muted small truncate">
                  {[c.email, c.phone].filter(Boolean).join(' · ') || t('contacts.noIdentities')}
                  {c.last_activity_at ? ' · ' + fmtRelative(c.last_activity_at) : ''}
                </span>
              </span>
            </label>
          ))}
          {items != null && candidates.length === 0 && <p class="muted small">{t('contacts.noMatch', { q: q.trim() || '…' })}</p>}
        </div>
        {from && <Preview from={from} into={into} />}
        <ErrorNotice error={error} testid="merge-error" />
        <FormActions class="dialog-actions" onCancel={onClose} disabled={busy || !from} testid="merge-confirm">
          {t('contacts.mergeConfirm')}
        </FormActions>
      </form>
    </Dialog>
  );
}
