// My account: change one's own password (needs the current one; ends the other
// sessions) and see where one is signed in, ending any of those sessions.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { fmtDate, fmtDateTime, t } from '../i18n';
import { errorText, logout, toast, useStore } from '../store';
import { Avatar } from '../components/Avatar';
import { ErrorNotice, SettingsHeader, useSubmit } from '../components/Common';
import { IconKey, IconMonitor, IconPhone, IconShield } from '../components/Icons';
import { ConsoleLangSelect } from '../components/LanguagePicker';
import { roleName } from '../admin/Agents';
import { describeUserAgent } from './userAgent';
import { TwoFactorCard } from './TwoFactor';
import { ApiTokensCard } from './Tokens';
import '../security.css';

export interface SessionInfo {
  id: string;
  created_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
  current: boolean;
}

export function Account() {
  const me = useStore((s) => s.me);
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  async function loadSessions() {
    setLoadError(null);
    try {
      const res = await api.get<{ sessions: SessionInfo[] }>('/me/sessions');
      // This device first, then the newest.
      setSessions([...res.sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.created_at - a.created_at));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setLoadError(errorText(err));
    }
  }

  useEffect(() => {
    void loadSessions();
  }, []);

  if (!me) return null;
  return (
    <main class="settings-pane" data-testid="account-page">
      <div class="settings-content account-page">
        <SettingsHeader title={t('account.title')} subtitle={t('account.subtitle')} />
        <section class="card account-who" aria-label={t('account.profile')}>
          <Avatar name={me.name} color={me.avatar_color} size="md" />
          <div class="account-who-text">
            <strong>{me.name}</strong>
            <span class="muted small">{me.email}</span>
          </div>
          <span class={'role-badge role-' + me.role}>{roleName(me.role)}</span>
          <label class="account-lang">
            <span class="field-label">{t('top.language')}</span>
            <ConsoleLangSelect testid="account-lang" />
          </label>
        </section>
        <PasswordForm onChanged={() => void loadSessions()} />
        <TwoFactorCard />
        <Sessions sessions={sessions} error={loadError} reload={loadSessions} />
        <ApiTokensCard />
      </div>
    </main>
  );
}

function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [fresh, setFresh] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ current?: string; fresh?: string; confirm?: string; form?: string }>({});
  // Errors go to the fields (errors), not to useSubmit's single message.
  const { busy, run } = useSubmit((err) => {
    if (err instanceof ApiError && err.code === 'wrong_password') {
      setErrors({ current: t('account.wrongCurrent') });
      setCurrent('');
      currentRef.current?.focus();
    } else if (err instanceof ApiError && err.status === 429) {
      setErrors({ form: err.retryAfter ? t('account.rateLimitedFor', { seconds: err.retryAfter }) : t('login.rateLimited') });
    } else if (err instanceof ApiError && err.status === 400) {
      setErrors({ fresh: err.message });
      freshRef.current?.focus();
    } else if (!(err instanceof ApiError && err.status === 401)) {
      setErrors({ form: errorText(err) });
    }
    return null;
  });
  const currentRef = useRef<HTMLInputElement>(null);
  const freshRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const errs: typeof errors = {};
    if (!current) errs.current = t('account.currentRequired');
    if (fresh.length < 8) errs.fresh = t('agents.passwordShort');
    else if (fresh === current) errs.fresh = t('account.sameAsCurrent');
    if (!errs.fresh && confirm !== fresh) errs.confirm = t('account.mismatch');
    setErrors(errs);
    if (errs.current) return currentRef.current?.focus();
    if (errs.fresh) return freshRef.current?.focus();
    if (errs.confirm) return confirmRef.current?.focus();
    await run(async () => {
      const res = await api.put<{ ok: boolean; ended_sessions: number }>('/me/password', { current_password: current, new_password: fresh });
      setCurrent('');
      setFresh('');
      setConfirm('');
      const n = res.ended_sessions ?? 0;
      toast(n > 0 ? t('account.changedEnded', { count: n }) : t('account.changedNone'), 'success');
      onChanged();
    });
  }

  const field = (
    id: 'current' | 'fresh' | 'confirm',
    label: string,
    value: string,
    set: (v: string) => void,
    ref: typeof currentRef,
    autocomplete: string,
    hint?: string,
  ) => {
    const err = errors[id];
    const describedBy = [hint ? `pw-${id}-hint` : '', err ? `pw-${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div class="field">
        <label class="field-label" for={`pw-${id}`}>
          {label}
        </label>
        <input
          id={`pw-${id}`}
          ref={ref}
          type="password"
          autocomplete={autocomplete}
          value={value}
          onInput={(e) => {
            set(e.currentTarget.value);
            if (errors[id]) setErrors({ ...errors, [id]: undefined });
          }}
          aria-invalid={err ? 'true' : undefined}
          aria-describedby={describedBy}
          data-testid={`password-${id}`}
        />
        {hint && !err && (
          <span class="field-hint" id={`pw-${id}-hint`}>
            {hint}
          </span>
        )}
        {err && (
          <span class="field-error" id={`pw-${id}-error`} data-testid={`password-${id}-error`}>
            {err}
          </span>
        )}
      </div>
    );
  };

  return (
    <form class="card form-section account-section" onSubmit={submit} noValidate aria-labelledby="pw-title" data-testid="password-form">
      <h2 id="pw-title" class="section-title">
        <IconKey size={17} />
        {t('account.passwordTitle')}
      </h2>
      <p class="muted small">{t('account.passwordHint')}</p>
      <ErrorNotice error={errors.form} testid="password-error" />
      <div class="password-fields">
        {field('current', t('account.currentPassword'), current, setCurrent, currentRef, 'current-password')}
        {field('fresh', t('agents.newPassword'), fresh, setFresh, freshRef, 'new-password', t('agents.passwordHint'))}
        {field('confirm', t('account.confirmPassword'), confirm, setConfirm, confirmRef, 'new-password')}
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="password-save">
          {busy ? t('common.saving') : t('account.changePassword')}
        </button>
      </div>
    </form>
  );
}

function Sessions({ sessions, error, reload }: { sessions: SessionInfo[] | null; error: string | null; reload: () => Promise<void> }) {
  const [busy, setBusy] = useState<string | null>(null);
  const others = sessions?.filter((s) => !s.current).length ?? 0;

  async function end(s: SessionInfo) {
    setBusy(s.id);
    try {
      await api.del(`/me/sessions/${encodeURIComponent(s.id)}`);
      toast(t('sessions.ended', { device: describeUserAgent(s.user_agent) }), 'success');
      await reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) await reload();
      else if (!(err instanceof ApiError && err.status === 401)) toast(errorText(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  async function endOthers() {
    setBusy('others');
    try {
      const res = await api.post<{ ended: number }>('/me/sessions/sign-out-others');
      toast(t('sessions.endedOthers', { count: res.ended ?? 0 }), 'success');
      await reload();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) toast(errorText(err), 'error');
    } finally {
      setBusy(null);
    }
  }

  return (
    <section class="card form-section account-section" aria-labelledby="sessions-title" data-testid="sessions">
      <div class="section-head">
        <div>
          <h2 id="sessions-title" class="section-title">
            <IconShield size={17} />
            {t('sessions.title')}
          </h2>
          <p class="muted small">{t('sessions.hint')}</p>
        </div>
        <button type="button" class="btn btn-secondary btn-sm" onClick={endOthers} disabled={busy != null || others === 0} data-testid="sign-out-others">
          {t('sessions.signOutOthers')}
        </button>
      </div>
      <ErrorNotice error={error} />
      {!sessions ? (
        !error && <p class="muted">{t('common.loading')}</p>
      ) : (
        <ul class="session-list" data-testid="session-list">
          {sessions.map((s) => {
            const device = describeUserAgent(s.user_agent);
            const mobile = /Mobile|Android|iPhone|iPad/i.test(s.user_agent);
            return (
              <li key={s.id} class={'session' + (s.current ? ' is-current' : '')} data-testid="session" data-current={s.current ? 'true' : 'false'}>
                <span class="session-icon" aria-hidden="true">
                  {mobile ? <IconPhone size={18} /> : <IconMonitor size={18} />}
                </span>
                <div class="session-text">
                  <span class="session-device">
                    <span data-testid="session-device">{device}</span>
                    {s.current && (
                      <span class="badge-current" data-testid="session-current">
                        {t('sessions.thisDevice')}
                      </span>
                    )}
                  </span>
                  <span class="muted small session-meta">
                    <span>{t('sessions.ip', { ip: s.ip || '—' })}</span>
                    <span title={fmtDateTime(s.created_at)}>{t('sessions.since', { when: fmtDateTime(s.created_at) })}</span>
                    <span class="session-expires" title={fmtDateTime(s.expires_at)}>
                      {t('sessions.expires', { when: fmtDate(s.expires_at) })}
                    </span>
                  </span>
                </div>
                {s.current ? (
                  <button type="button" class="btn btn-ghost btn-sm" onClick={() => logout()} data-testid="session-logout">
                    {t('top.logout')}
                  </button>
                ) : (
                  <button
                    type="button"
                    class="btn btn-ghost btn-sm btn-danger"
                    onClick={() => end(s)}
                    disabled={busy != null}
                    aria-label={t('sessions.signOutDevice', { device, ip: s.ip })}
                    data-testid="session-end"
                  >
                    {t('sessions.signOut')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
