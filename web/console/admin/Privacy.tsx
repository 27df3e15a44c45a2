// Settings → Privacy: how long closed conversations are kept (GDPR retention).
// The server's janitor deletes older ones hourly; empty keeps them forever.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice, SettingsHeader, useSubmit } from '../components/Common';

interface Retention {
  retention_days: number | null;
}

const MAX_DAYS = 3650;

export function Privacy() {
  const [loaded, setLoaded] = useState(false);
  const [days, setDays] = useState('');
  const [dirty, setDirty] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  const take = (r: Retention) => {
    setDays(r.retention_days == null ? '' : String(r.retention_days));
    setDirty(false);
    setLoaded(true);
  };

  useEffect(() => {
    api
      .get<Retention>('/admin/retention')
      .then(take)
      .catch((err) => !(err instanceof ApiError && err.status === 401) && setLoadError(errorText(err)));
  }, []);

  const value = days.trim() === '' ? null : Number(days.trim());
  const bad = value != null && !(Number.isInteger(value) && value >= 1 && value <= MAX_DAYS);

  async function save(e: Event) {
    e.preventDefault();
    if (bad) return;
    await run(async () => {
      take(await api.put<Retention>('/admin/retention', { retention_days: value }));
      toast(t('privacy.saved'), 'success');
    });
  }

  return (
    <div class="settings-content" data-testid="privacy-page">
      <SettingsHeader title={t('privacy.title')} subtitle={t('privacy.subtitle')} />
      <ErrorNotice error={loadError} />
      <form class="card form-section" onSubmit={save} aria-labelledby="privacy-sec-retention" noValidate>
        <h2 id="privacy-sec-retention">{t('privacy.retention')}</h2>
        <ErrorNotice error={error} testid="privacy-error" />
        {!loaded ? (
          <p class="muted">{t('common.loading')}</p>
        ) : (
          <>
            <label class="field">
              <span class="field-label">{t('privacy.retentionDays')}</span>
              <input
                inputMode="numeric"
                value={days}
                placeholder={t('privacy.forever')}
                aria-invalid={bad ? 'true' : undefined}
                aria-describedby="privacy-days-hint"
                onInput={(e) => {
                  setDays(e.currentTarget.value);
                  setDirty(true);
                }}
                data-testid="retention-days"
              />
              <span id="privacy-days-hint" class={bad ? 'field-error' : 'field-hint'}>
                {t('privacy.retentionHint', { max: MAX_DAYS })}
              </span>
            </label>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy || !dirty || bad} data-testid="retention-save">
                {busy ? t('common.saving') : t('common.save')}
              </button>
            </div>
          </>
        )}
      </form>
    </div>
  );
}
