import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';
import { unlockAudio } from '../notify';
import { login, useStore, type WorkspaceChoice } from '../store';
import { LanguagePicker, LoginBrand } from './LanguagePicker';
import '../security.css';

export function Login() {
  const notice = useStore((s) => s.loginNotice);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPw, setShowPw] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const pwRef = useRef<HTMLInputElement>(null);
  // The password opens accounts in several workspaces: pick one (409 choose_workspace).
  const [workspaces, setWorkspaces] = useState<WorkspaceChoice[] | null>(null);
  const chooser = useRef<HTMLDivElement>(null);
  // The account signs in with two-factor (401 otp_required): ask for a code and send it with the password.
  const [otpStep, setOtpStep] = useState(false);
  const [otp, setOtp] = useState('');
  const [chosenWs, setChosenWs] = useState<number | undefined>(undefined);
  const otpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (otpStep) otpRef.current?.focus();
  }, [otpStep]);

  useEffect(() => {
    if (workspaces) chooser.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [workspaces]);

  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  async function attempt(workspaceId?: number, code?: string) {
    if (busy) return;
    unlockAudio();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password, workspaceId, code);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'choose_workspace' && Array.isArray(err.data?.workspaces) && workspaceId == null) {
        setWorkspaces(err.data.workspaces as WorkspaceChoice[]);
        setBusy(false);
        return;
      }
      if (err instanceof ApiError && err.status === 401 && (err.code === 'otp_required' || err.code === 'otp_invalid')) {
        setChosenWs(workspaceId);
        setWorkspaces(null);
        if (err.code === 'otp_invalid' || otpStep) setError(t('login.otpInvalid'));
        setOtpStep(true);
        setOtp('');
        setBusy(false);
        setTimeout(() => otpRef.current?.focus());
        return;
      }
      let msg: string;
      if (err instanceof ApiError && (err.status === 401 || err.status === 400 || err.status === 404)) msg = t('login.wrong');
      else if (err instanceof ApiError && err.status === 429) msg = t('login.rateLimited');
      else if (err instanceof ApiError && err.status === 503) msg = t('login.busy');
      else if (err instanceof ApiError && err.status === 0) msg = t('login.network');
      else msg = t('login.failed', { message: (err as Error).message });
      setError(msg);
      setWorkspaces(null);
      setOtpStep(false);
      setOtp('');
      setPassword('');
      setBusy(false);
      setTimeout(() => pwRef.current?.focus());
    }
  }

  function submit(e: Event) {
    e.preventDefault();
    void attempt();
  }

  function submitOtp(e: Event) {
    e.preventDefault();
    const code = otp.trim();
    if (!code) {
      setError(t('login.otpMissing'));
      otpRef.current?.focus();
      return;
    }
    void attempt(chosenWs, code);
  }

  function back() {
    setWorkspaces(null);
    setOtpStep(false);
    setOtp('');
    setChosenWs(undefined);
    setError(null);
    setPassword('');
    setTimeout(() => pwRef.current?.focus());
  }

  return (
    <div class="login-page">
      <main class="login-card" aria-labelledby="login-title">
        <LoginBrand />
        <h1 id="login-title">{t('login.title')}</h1>
        <p class="muted">{t('login.subtitle')}</p>
        {notice && !error && (
          <p class={'notice ' + (notice === 'loggedOut' ? 'notice-info' : 'notice-warn')} role="status" data-testid="login-notice">
            {notice === 'expired' ? t('login.expired') : notice === 'network' ? t('login.network') : t('login.loggedOut')}
          </p>
        )}
        {error && (
          <p class="notice notice-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        {otpStep ? (
          <form onSubmit={submitOtp} noValidate data-testid="otp-step">
            <h2 class="workspace-title">{t('login.otpTitle')}</h2>
            <div class="field">
              <label class="field-label" for="login-otp">
                {t('login.otpLabel')}
              </label>
              <input
                id="login-otp"
                ref={otpRef}
                class="otp-input otp-login"
                name="otp"
                autocomplete="one-time-code"
                autocapitalize="characters"
                spellcheck={false}
                maxLength={20}
                value={otp}
                onInput={(e) => setOtp(e.currentTarget.value)}
                aria-invalid={error ? 'true' : undefined}
                aria-describedby="login-otp-hint"
                data-testid="login-otp"
              />
              <span class="field-hint" id="login-otp-hint">
                {t('login.otpHint')}
              </span>
            </div>
            <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="login-otp-submit">
              {busy ? t('login.submitting') : t('login.otpSubmit')}
            </button>
            <p class="otp-back">
              <button type="button" class="link-button small" onClick={back} data-testid="otp-back">
                {t('login.otherAccount')}
              </button>
            </p>
          </form>
        ) : workspaces ? (
          <div class="workspace-chooser" ref={chooser} role="group" aria-labelledby="ws-title" data-testid="workspace-chooser">
            <h2 id="ws-title" class="workspace-title">
              {t('login.chooseWorkspace')}
            </h2>
            <p class="muted small">{t('login.chooseWorkspaceHint', { email: email.trim() })}</p>
            <ul class="workspace-list">
              {workspaces.map((w) => (
                <li key={w.id}>
                  <button type="button" class="workspace-option" onClick={() => attempt(w.id)} disabled={busy} data-testid="workspace-option" data-id={w.id}>
                    <span class="workspace-initial" aria-hidden="true">
                      {(w.name.trim()[0] || '?').toUpperCase()}
                    </span>
                    <span class="workspace-name">{w.name}</span>
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" class="link-button small" onClick={back} data-testid="workspace-back">
              {t('login.otherAccount')}
            </button>
          </div>
        ) : (
          <form onSubmit={submit} noValidate={false}>
            <label class="field">
              <span class="field-label">{t('login.email')}</span>
              <input
                ref={emailRef}
                type="email"
                name="email"
                autocomplete="username"
                required
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
                data-testid="login-email"
                aria-invalid={error ? 'true' : undefined}
              />
            </label>
            <label class="field">
              <span class="field-label">{t('login.password')}</span>
              <span class="password-wrap">
                <input
                  ref={pwRef}
                  type={showPw ? 'text' : ('password' as 'text')}
                  name="password"
                  autocomplete="current-password"
                  required
                  value={password}
                  onInput={(e) => setPassword(e.currentTarget.value)}
                  data-testid="login-password"
                  aria-invalid={error ? 'true' : undefined}
                />
                <button
                  type="button"
                  class="link-button password-toggle"
                  onClick={() => setShowPw(!showPw)}
                  aria-pressed={showPw}
                >
                  {showPw ? t('login.hidePassword') : t('login.showPassword')}
                </button>
              </span>
            </label>
            <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
              {busy ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        )}
        <div class="login-foot">
          <LanguagePicker id="login-lang" />
        </div>
      </main>
    </div>
  );
}
