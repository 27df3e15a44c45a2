import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, navigate, toast } from '../store';
import type { Inbox } from '../types';
import { safeColor } from '../util';
import { IconArrowLeft, IconChat, IconClock, IconGlobe, IconPlus } from '../components/Icons';
import { SettingsHeader } from '../components/Common';
import { InboxForm } from './InboxForm';
import { InboxEmail } from './InboxEmail';

export function Inboxes({ inboxId }: { inboxId: number | 'new' | null }) {
  const [inboxes, setInboxes] = useState<Inbox[] | null>(null);
  const [failed, setFailed] = useState(false);

  async function load() {
    setFailed(false);
    try {
      const res = await api.get<{ inboxes: Inbox[] } | Inbox[]>('/inboxes');
      setInboxes(Array.isArray(res) ? res : res.inboxes);
    } catch (err) {
      setFailed(true);
      if (!(err instanceof ApiError && err.status === 401)) toast(errorText(err), 'error');
    }
  }

  useEffect(() => {
    void load();
  }, []);

  const toList = () => navigate({ section: 'settings', tab: 'inboxes', inboxId: null });

  if (inboxId != null) {
    const inbox = inboxId === 'new' ? null : inboxes?.find((i) => i.id === inboxId);
    return (
      <div class="settings-content">
        <button type="button" class="back-link" onClick={toList}>
          <IconArrowLeft size={15} /> {t('inboxes.back')}
        </button>
        {inboxId !== 'new' && !inbox ? (
          <p class="muted">{failed ? t('error.notFound') : inboxes ? t('error.notFound') : t('common.loading')}</p>
        ) : (
          <InboxForm
            key={inboxId}
            inbox={inbox ?? null}
            onSaved={(saved, created) => {
              setInboxes((list) => (created ? [...(list ?? []), saved] : (list ?? []).map((x) => (x.id === saved.id ? saved : x))));
              if (created) navigate({ section: 'settings', tab: 'inboxes', inboxId: saved.id }, true);
            }}
          />
        )}
        {typeof inboxId === 'number' && inbox && <InboxEmail key={'email-' + inboxId} inboxId={inboxId} />}
      </div>
    );
  }

  return (
    <div class="settings-content">
      <SettingsHeader title={t('inboxes.title')} subtitle={t('inboxes.subtitle')}>
        <button type="button" class="btn btn-primary" onClick={() => navigate({ section: 'settings', tab: 'inboxes', inboxId: 'new' })} data-testid="inbox-new">
          <IconPlus size={16} />
          {t('inboxes.new')}
        </button>
      </SettingsHeader>
      {!inboxes && !failed && <p class="muted">{t('common.loading')}</p>}
      {failed && (
        <button type="button" class="btn btn-secondary btn-sm" onClick={load}>
          {t('common.retry')}
        </button>
      )}
      {inboxes && !inboxes.length && <div class="card card-state">{t('inboxes.empty')}</div>}
      {inboxes && inboxes.length > 0 && (
        <ul class="inbox-grid" data-testid="inbox-list">
          {inboxes.map((i) => (
            <li key={i.id}>
              <button
                type="button"
                class="inbox-card"
                onClick={() => navigate({ section: 'settings', tab: 'inboxes', inboxId: i.id })}
                data-testid="inbox-item"
                data-id={i.id}
              >
                <span class="inbox-swatch" style={{ background: safeColor(i.widget?.color) }} aria-hidden="true">
                  <IconChat size={18} />
                </span>
                <span class="inbox-card-text">
                  <span class="inbox-card-name">{i.name}</span>
                  <span class="inbox-card-meta">
                    <IconGlobe size={13} /> {i.timezone || 'UTC'}
                  </span>
                  <span class="inbox-card-meta">
                    <IconClock size={13} /> {i.business_hours?.weekly?.length ? t('inboxes.hoursCustom') : t('inboxes.hoursAlways')}
                  </span>
                </span>
                <span class="inbox-card-edit">{t('common.edit')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
