// Settings → Security: require two-factor sign-in for the whole workspace (only once
// the admin has it), and every personal API token in the workspace.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, navigate, toast } from '../store';
import { ErrorNotice, SettingsHeader, useSubmit } from '../components/Common';
import { IconPhone } from '../components/Icons';
import { WorkspaceTokens } from '../account/Tokens';
import '../security.css';

interface SecuritySettings {
  require_2fa: boolean;
  agents_without_2fa: number;
}

export function Security() {
  const [cfg, setCfg] = useState<SecuritySettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const [ownFirst, setOwnFirst] = useState(false);

  useEffect(() => {
    api
      .get<SecuritySettings>('/admin/security')
      .then(setCfg)
      .catch((err) => !(err instanceof ApiError && err.status === 401) && setLoadError(errorText(err)));
  }, []);

  async function toggle(on: boolean) {
    if (busy) return;
    setOwnFirst(false);
    await run(
      async () => {
        const res = await api.put<SecuritySettings>('/admin/security', { require_2fa: on });
        setCfg(res);
        toast(t(res.require_2fa ? 'security.requiredOn' : 'security.requiredOff'), 'success');
      },
      (err) => {
        if (err instanceof ApiError && err.code === 'own_two_factor_first') setOwnFirst(true);
        else if (!(err instanceof ApiError && err.status === 401)) return errorText(err);
        return null;
      },
    );
  }

  const without = cfg?.agents_without_2fa ?? 0;
  return (
    <div class="settings-content account-page" data-testid="security-page">
      <SettingsHeader title={t('security.title')} subtitle={t('security.subtitle')} />
      <ErrorNotice error={loadError} />
      <section class="card form-section account-section" aria-labelledby="sec-2fa-title">
        <h2 id="sec-2fa-title" class="section-title">
          <IconPhone size={17} />
          {t('twofa.title')}
        </h2>
        <p class="muted small">{t('security.requireHint')}</p>
        <ErrorNotice error={error} testid="security-error" />
        {ownFirst && (
          <div class="notice notice-warn security-own-first" role="alert" data-testid="security-own-first">
            <span>{t('security.ownFirst')}</span>
            <button type="button" class="btn btn-secondary btn-sm" onClick={() => navigate({ section: 'account' })} data-testid="security-go-account">
              {t('security.openAccount')}
            </button>
          </div>
        )}
        {!cfg ? (
          !loadError && <p class="muted">{t('common.loading')}</p>
        ) : (
          <div class="security-require">
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={cfg.require_2fa}
                disabled={busy}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  e.currentTarget.checked = cfg.require_2fa; // shown as saved, not as clicked
                  void toggle(on);
                }}
                aria-describedby="sec-2fa-count"
                data-testid="require-2fa"
              />
              <span class="switch-track" aria-hidden="true" />
              <span class="switch-label">{t('security.require')}</span>
            </label>
            <p id="sec-2fa-count" class={'security-count' + (without > 0 ? ' has-missing' : '')} data-testid="agents-without-2fa" data-count={without}>
              {without > 0 ? t(cfg.require_2fa ? 'security.withoutPending' : 'security.without', { count: without }) : t('security.allHave')}
            </p>
          </div>
        )}
      </section>
      <WorkspaceTokens />
    </div>
  );
}
