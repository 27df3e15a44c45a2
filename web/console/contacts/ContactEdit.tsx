// A contact's identities (add an address or number, remove one) and its details
// (name, agents' notes). The server normalises and validates; a 409 names the
// contact that already has the identity.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice } from '../components/Common';
import { IconPlus, IconX } from '../components/Icons';
import { IdentityIcon } from './ChannelBits';
import { identityLabel, identityText, patchContact, type ContactPatch, type ContactProfile, type Identity } from './contactsApi';

/** The message of a refused edit: the field's own words for a 422, the reason for a 409. */
function editError(err: unknown): string {
  if (err instanceof ApiError && err.status === 422) {
    const fields = (err.data?.error?.fields ?? {}) as Record<string, string>;
    return Object.values(fields)[0] ?? err.message;
  }
  if (err instanceof ApiError && err.status === 409) return t('contacts.identityTaken', { why: err.message });
  return errorText(err);
}

function useEdit(c: ContactProfile, onChange: (c: ContactProfile) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(body: ContactPatch, done?: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      onChange(await patchContact(c.id, body));
      if (done) toast(done, 'success');
      return true;
    } catch (err) {
      setError(editError(err));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

const editable = (c: ContactProfile) => !c.merged_into && !c.erased;

export function IdentityList({ c, onChange }: { c: ContactProfile; onChange: (c: ContactProfile) => void }) {
  const { busy, error, run } = useEdit(c, onChange);
  const [kind, setKind] = useState<'email' | 'phone'>('email');
  const [value, setValue] = useState('');
  async function add(e: Event) {
    e.preventDefault();
    if (!value.trim()) return;
    if (await run({ add_identities: [{ kind, value }] })) setValue('');
  }
  const remove = (i: Identity) => void run({ remove_identities: [i] });
  return (
    <section class="card contact-card-section" aria-labelledby="identities-title">
      <h2 id="identities-title" class="contact-section-title">
        {t('contacts.identities')}
      </h2>
      <ul class="identity-list" data-testid="identity-list">
        {c.identities.map((i) => (
          <li key={i.kind + i.value} class="identity" data-kind={i.kind}>
            <span class="identity-icon" title={identityLabel(i.kind)} aria-hidden="true">
              <IdentityIcon kind={i.kind} />
            </span>
            <span class="sr-only">{identityLabel(i.kind)}: </span>
            <span class="identity-value truncate" title={i.value}>
              {identityText(i)}
            </span>
            {editable(c) && (
              <button type="button" class="icon-button" onClick={() => remove(i)} disabled={busy} aria-label={t('contacts.removeIdentity', { value: identityText(i) })}>
                <IconX size={14} />
              </button>
            )}
          </li>
        ))}
        {c.identities.length === 0 && <li class="muted small">{t('contacts.noIdentities')}</li>}
      </ul>
      {editable(c) && (
        <form class="identity-add" onSubmit={add}>
          <label class="sr-only" for="identity-kind">
            {t('contacts.identityKind')}
          </label>
          <select id="identity-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'email' | 'phone')}>
            <option value="email">{identityLabel('email')}</option>
            <option value="phone">{identityLabel('phone')}</option>
          </select>
          <label class="sr-only" for="identity-value">
            {t('contacts.identityValue')}
          </label>
          <input
            id="identity-value"
            type="text"
            inputMode={kind === 'email' ? 'email' : 'tel'}
            value={value}
            placeholder={kind === 'email' ? 'name@example.com' : '+39 06 1234 5678'}
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-invalid={error ? 'true' : undefined}
            data-testid="identity-value"
          />
          <button type="submit" class="btn btn-sm" disabled={busy || !value.trim()} data-testid="identity-add">
            <IconPlus size={14} /> {t('common.add')}
          </button>
        </form>
      )}
      <ErrorNotice error={error} testid="identity-error" />
    </section>
  );
}

export function ContactDetails({ c, onChange }: { c: ContactProfile; onChange: (c: ContactProfile) => void }) {
  const { busy, error, run } = useEdit(c, onChange);
  const [name, setName] = useState(c.name);
  const [notes, setNotes] = useState(c.notes);
  useEffect(() => {
    setName(c.name);
    setNotes(c.notes);
  }, [c.name, c.notes]);
  const dirty = name !== c.name || notes !== c.notes;
  async function save(e: Event) {
    e.preventDefault();
    await run({ name, notes }, t('common.saved'));
  }
  return (
    <section class="card contact-card-section" aria-labelledby="details-title">
      <h2 id="details-title" class="contact-section-title">
        {t('contacts.details')}
      </h2>
      <form onSubmit={save}>
        <label class="field">
          <span class="field-label">{t('contacts.name')}</span>
          <input value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} disabled={!editable(c)} data-testid="contact-name-input" />
        </label>
        <label class="field">
          <span class="field-label">{t('contacts.notes')}</span>
          <textarea rows={4} value={notes} maxLength={5000} placeholder={t('contacts.notesHint')} onInput={(e) => setNotes(e.currentTarget.value)} disabled={!editable(c)} data-testid="contact-notes" />
        </label>
        <ErrorNotice error={error} />
        {editable(c) && (
          <button type="submit" class="btn btn-primary btn-sm" disabled={busy || !dirty} data-testid="contact-save">
            {busy ? t('common.saving') : t('common.save')}
          </button>
        )}
      </form>
    </section>
  );
}
