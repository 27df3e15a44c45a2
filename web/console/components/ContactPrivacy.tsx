// GDPR tools for admins in the contact panel: download everything kept about the
// contact (a zip from the server), or erase it after a confirmation.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { fmtDateTime, t } from '../i18n';
import { useStore } from '../store';
import type { Conversation } from '../types';
import { useSubmit } from './Common';

interface EraseSummary {
  conversations: number;
  messages_redacted: number;
  attachments_deleted: number;
}

export function ContactPrivacy({ conv }: { conv: Conversation }) {
  const me = useStore((s) => s.me);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useSubmit((err) => t('privacy.eraseFailed', { message: err instanceof ApiError ? err.message : String(err) }));
  const message = error ? { error: true, text: error } : done ? { error: false, text: done } : null;
  const contactId = conv.contact?.id;
  if (me?.role !== 'admin' || !contactId) return null;
  const erasedAt = conv.meta?.erased_at ?? null;

  const erase = async () => {
    if (!confirm(t('privacy.eraseConfirm'))) return;
    setDone(null);
    await run(async () => {
      const r = await api.post<EraseSummary>(`/contacts/${contactId}/erase`);
      setDone(t('privacy.erased', { conversations: r.conversations, messages: r.messages_redacted, files: r.attachments_deleted }));
    });
  };

  return (
    <section class="panel-section" data-testid="contact-privacy">
      <h3 class="panel-heading">{t('privacy.heading')}</h3>
      {erasedAt !== null && (
        <p class="muted small" data-testid="contact-erased">
          {t('privacy.erasedAt', { date: fmtDateTime(erasedAt) })}
        </p>
      )}
      {message && (
        <p class={'notice ' + (message.error ? 'notice-error' : 'notice-info')} role="status" data-testid="privacy-message">
          {message.text}
        </p>
      )}
      <div class="privacy-actions">
        <a class="btn btn-secondary btn-sm" href={`/api/v1/contacts/${contactId}/export`} download data-testid="export-contact">
          {t('privacy.export')}
        </a>
        <button type="button" class="btn btn-secondary btn-sm btn-danger-text" onClick={erase} disabled={busy} data-testid="erase-contact">
          {t('privacy.erase')}
        </button>
      </div>
    </section>
  );
}
