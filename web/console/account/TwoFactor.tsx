// Two-factor sign-in (TOTP): the setup (QR code, key, a code to confirm, then the
// recovery codes shown once), the My account card (status, new recovery codes,
// turn off) and the full page an agent sees when the workspace requires it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, getState, logout, setState, toast, twoFactorSetupDone, useStore } from '../store';
import { ErrorNotice, FieldError, FormActions, useSubmit } from '../components/Common';
import { Dialog } from '../components/ConvRoutingActions';
import { IconCheck, IconDownload, IconLogout, IconPhone } from '../components/Icons';
import { LanguagePicker, LoginBrand } from '../components/LanguagePicker';
import { QrCode } from '../components/QrCode';
import { useCopied } from '../admin/EmbedSnippet';
import '../security.css';

interface SetupInfo {
  secret: string;
  otpauth_url: string;
}

/** "JBSW Y3DP EHPK 3PXP": the key in groups of four, easier to type. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** A code field: digits for the app's code; letters and dashes too when recovery codes are accepted. */
function CodeInput({
  id,
  value,
  onInput,
  invalid,
  describedBy,
  inputRef,
  testid,
}: {
  id: string;
  value: string;
  onInput: (v: string) => void;
  invalid: boolean;
  describedBy?: string;
  inputRef?: { current: HTMLInputElement | null };
  testid: string;
}) {
  return (
    <input
      id={id}
      ref={inputRef}
      class="otp-input"
      inputMode="numeric"
      autocomplete="one-time-code"
      maxLength={6}
      pattern="[0-9]*"
      spellcheck={false}
      value={value}
      onInput={(e) => onInput(e.currentTarget.value.replace(/\D/g, ''))}
      aria-invalid={invalid ? 'true' : undefined}
      aria-describedby={describedBy}
      data-testid={testid}
    />
  );
}

/** Setup: asks the server for a new key, shows it as a QR code and as text, then a code turns it on; then the recovery codes. */
export function TwoFactorSetup({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const [info, setInfo] = useState<SetupInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const [codes, setCodes] = useState<string[] | null>(null);
  const { copied, copy } = useCopied();
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api
      .post<SetupInfo>('/me/2fa/setup', {})
      .then(setInfo)
      .catch((err) => !(err instanceof ApiError && err.status === 401) && setLoadError(errorText(err)));
  }, []);

  async function confirm(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!/^\d{6}$/.test(code)) {
      setError(t('twofa.codeFormat'));
      codeRef.current?.focus();
      return;
    }
    await run(
      async () => {
        const res = await api.post<{ enabled: boolean; recovery_codes: string[] }>('/me/2fa/enable', { code });
        const me = getState().me;
        if (me) setState({ me: { ...me, two_factor: true } });
        setCodes(res.recovery_codes ?? []);
      },
      (err) => {
        setCode('');
        setTimeout(() => codeRef.current?.focus());
        if (err instanceof ApiError && err.code === 'otp_invalid') return t('twofa.otpInvalid');
        return err instanceof ApiError && err.status === 401 ? null : errorText(err);
      },
    );
  }

  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} intro={t('twofa.enabled')} />;
  if (loadError) return <ErrorNotice error={loadError} />;
  if (!info) return <p class="muted">{t('common.loading')}</p>;
  return (
    <form class="twofa-setup" onSubmit={confirm} noValidate data-testid="twofa-setup">
      <div class="twofa-step">
        <span class="twofa-step-num" aria-hidden="true">
          1
        </span>
        <div class="twofa-step-body">
          <h3>{t('twofa.stepScan')}</h3>
          <p class="muted small">{t('twofa.scan')}</p>
          <div class="twofa-qr-row">
            <QrCode text={info.otpauth_url} label={t('twofa.qrAlt')} testid="twofa-qr" />
            <div class="twofa-key">
              <span class="field-label">{t('twofa.manual')}</span>
              <code class="twofa-secret" data-testid="twofa-secret" data-secret={info.secret}>
                {grouped(info.secret)}
              </code>
              <button type="button" class="btn btn-secondary btn-sm" onClick={() => copy(info.secret)} data-testid="twofa-copy-secret">
                {copied ? t('common.copied') : t('twofa.copyKey')}
              </button>
            </div>
          </div>
        </div>
      </div>
      <div class="twofa-step">
        <span class="twofa-step-num" aria-hidden="true">
          2
        </span>
        <div class="twofa-step-body">
          <h3>
            <label for="twofa-code">{t('twofa.stepCode')}</label>
          </h3>
          <span class="muted small" id="twofa-code-hint">
            {t('twofa.codeHint')}
          </span>
          <div class="twofa-confirm">
            <CodeInput
              id="twofa-code"
              inputRef={codeRef}
              value={code}
              onInput={(v) => {
                setCode(v);
                if (error) setError(null);
              }}
              invalid={!!error}
              describedBy={error ? 'twofa-code-error' : 'twofa-code-hint'}
              testid="twofa-code"
            />
            <button type="submit" class="btn btn-primary" disabled={busy} data-testid="twofa-enable">
              {busy ? t('twofa.confirming') : t('twofa.confirm')}
            </button>
            {onCancel && (
              <button type="button" class="btn btn-ghost" onClick={onCancel}>
                {t('common.cancel')}
              </button>
            )}
          </div>
          <FieldError id="twofa-code-error" error={error} testid="twofa-error" />
        </div>
      </div>
    </form>
  );
}

/** The ten recovery codes, shown once: copy, download, and a tick that they are saved before going on. */
export function RecoveryCodes({ codes, onDone, intro }: { codes: string[]; onDone: () => void; intro?: string }) {
  const [saved, setSaved] = useState(false);
  const { copied, copy } = useCopied();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const text = codes.join('\n') + '\n';

  function download() {
    const me = getState().me;
    const body = `${t('twofa.codesFileHead', { email: me?.email ?? '' })}\n\n${text}`;
    const url = URL.createObjectURL(new Blob([body], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'switchboard-recovery-codes.txt';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <div class="recovery" data-testid="recovery-codes">
      {intro && (
        <p class="notice notice-success" role="status">
          <IconCheck size={16} /> {intro}
        </p>
      )}
      <h3 tabIndex={-1} ref={heading}>
        {t('twofa.codesTitle')}
      </h3>
      <p class="muted small">{t('twofa.codesHint')}</p>
      <ol class="recovery-list" data-testid="recovery-list">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div class="recovery-actions">
        <button type="button" class="btn btn-secondary btn-sm" onClick={() => copy(text)} data-testid="recovery-copy">
          {copied ? t('common.copied') : t('common.copy')}
        </button>
        <button type="button" class="btn btn-secondary btn-sm" onClick={download} data-testid="recovery-download">
          <IconDownload size={15} />
          {t('twofa.download')}
        </button>
      </div>
      <label class="checkbox recovery-saved">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} data-testid="recovery-saved" />
        <span>{t('twofa.saved')}</span>
      </label>
      <div class="form-actions">
        <button type="button" class="btn btn-primary" disabled={!saved} onClick={onDone} data-testid="recovery-done">
          {t('twofa.done')}
        </button>
      </div>
    </div>
  );
}

type Mode = 'idle' | 'setup' | 'codes';

/** My account: status, set up, new recovery codes, turn off. */
export function TwoFactorCard() {
  const on = useStore((s) => !!s.me?.two_factor);
  const [mode, setMode] = useState<Mode>('idle');
  const [dialog, setDialog] = useState<'codes' | 'off' | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);

  return (
    <section class="card form-section account-section" aria-labelledby="twofa-title" data-testid="twofa-card">
      <div class="section-head">
        <div>
          <h2 id="twofa-title" class="section-title">
            <IconPhone size={17} />
            {t('twofa.title')}
            <span class={'twofa-status ' + (on ? 'is-on' : 'is-off')} data-testid="twofa-status" data-on={on ? 'true' : 'false'}>
              {on ? t('twofa.on') : t('twofa.off')}
            </span>
          </h2>
          <p class="muted small">{t('twofa.hint')}</p>
        </div>
        {mode === 'idle' && !on && (
          <button type="button" class="btn btn-primary btn-sm" onClick={() => setMode('setup')} data-testid="twofa-start">
            {t('twofa.setUp')}
          </button>
        )}
      </div>
      {mode === 'setup' && (
        <TwoFactorSetup
          onCancel={() => setMode('idle')}
          onDone={() => {
            setMode('idle');
            toast(t('twofa.enabled'), 'success');
          }}
        />
      )}
      {mode === 'codes' && codes && <RecoveryCodes codes={codes} onDone={() => (setMode('idle'), setCodes(null))} />}
      {mode === 'idle' && on && (
        <div class="twofa-manage">
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => setDialog('codes')} aria-haspopup="dialog" data-testid="twofa-new-codes">
            {t('twofa.newCodes')}
          </button>
          <button type="button" class="btn btn-ghost btn-sm btn-danger" onClick={() => setDialog('off')} aria-haspopup="dialog" data-testid="twofa-disable">
            {t('twofa.turnOff')}
          </button>
        </div>
      )}
      {dialog === 'codes' && (
        <NewCodesDialog
          onClose={() => setDialog(null)}
          onDone={(c) => {
            setDialog(null);
            setCodes(c);
            setMode('codes');
          }}
        />
      )}
      {dialog === 'off' && <TurnOffDialog onClose={() => setDialog(null)} />}
    </section>
  );
}

function NewCodesDialog({ onClose, onDone }: { onClose: () => void; onDone: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const ref = useRef<HTMLInputElement>(null);
  async function submit(e: Event) {
    e.preventDefault();
    if (!/^\d{6}$/.test(code)) return setError(t('twofa.codeFormat'));
    await run(
      async () => {
        const res = await api.post<{ recovery_codes: string[] }>('/me/2fa/recovery-codes', { code });
        onDone(res.recovery_codes ?? []);
      },
      (err) => {
        setCode('');
        setTimeout(() => ref.current?.focus());
        return err instanceof ApiError && err.code === 'otp_invalid' ? t('twofa.otpInvalid') : errorText(err);
      },
    );
  }
  return (
    <Dialog title={t('twofa.newCodes')} onClose={onClose} testid="twofa-codes-dialog">
      <form class="desk-form" onSubmit={submit} noValidate>
        <p class="dialog-text">{t('twofa.newCodesText')}</p>
        <div class="field">
          <label class="field-label" for="twofa-regen-code">
            {t('twofa.code')}
          </label>
          <CodeInput
            id="twofa-regen-code"
            inputRef={ref}
            value={code}
            onInput={setCode}
            invalid={!!error}
            describedBy={error ? 'twofa-regen-error' : undefined}
            testid="twofa-regen-code"
          />
          <FieldError id="twofa-regen-error" error={error} />
        </div>
        <FormActions class="dialog-actions" onCancel={onClose} disabled={busy} testid="twofa-regen-submit">
          {t('twofa.newCodesCreate')}
        </FormActions>
      </form>
    </Dialog>
  );
}

function TurnOffDialog({ onClose }: { onClose: () => void }) {
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const [required, setRequired] = useState(false);
  const pwRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (required) closeRef.current?.focus();
  }, [required]);
  async function submit(e: Event) {
    e.preventDefault();
    if (!password) {
      setError(t('account.currentRequired'));
      pwRef.current?.focus();
      return;
    }
    await run(
      async () => {
        await api.post('/me/2fa/disable', { password });
        const me = getState().me;
        if (me) setState({ me: { ...me, two_factor: false } });
        toast(t('twofa.turnedOff'), 'success');
        onClose();
      },
      (err) => {
        setPassword('');
        setTimeout(() => pwRef.current?.focus());
        if (err instanceof ApiError && err.code === 'wrong_password') return t('twofa.wrongPassword');
        if (!(err instanceof ApiError && err.status === 409)) return errorText(err);
        setRequired(true);
        return null;
      },
    );
  }
  return (
    <Dialog title={t('twofa.turnOffTitle')} onClose={onClose} testid="twofa-off-dialog">
      {required ? (
        <div class="desk-form">
          <p class="notice notice-warn" role="alert" data-testid="twofa-required">
            {t('twofa.requiredByWorkspace')}
          </p>
          <div class="form-actions dialog-actions">
            <button type="button" class="btn btn-primary" onClick={onClose} ref={closeRef}>
              {t('common.close')}
            </button>
          </div>
        </div>
      ) : (
        <form class="desk-form" onSubmit={submit} noValidate>
          <p class="dialog-text">{t('twofa.turnOffText')}</p>
          <div class="field">
            <label class="field-label" for="twofa-off-pw">
              {t('login.password')}
            </label>
            <input
              id="twofa-off-pw"
              ref={pwRef}
              type="password"
              autocomplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'twofa-off-error' : undefined}
              data-testid="twofa-off-password"
            />
            <FieldError id="twofa-off-error" error={error} testid="twofa-off-error" />
          </div>
          <FormActions class="dialog-actions" onCancel={onClose} disabled={busy} danger testid="twofa-off-submit">
            {t('twofa.turnOff')}
          </FormActions>
        </form>
      )}
    </Dialog>
  );
}

/** The whole console while the workspace requires two-factor sign-in and this agent has none: the setup, and log out. */
export function ForcedTwoFactor() {
  const me = useStore((s) => s.me);
  return (
    <div class="login-page twofa-page">
      <main class="login-card twofa-card" aria-labelledby="twofa-forced-title" data-testid="twofa-forced">
        <LoginBrand />
        <h1 id="twofa-forced-title">{t('twofa.forcedTitle')}</h1>
        <p class="muted">{t('twofa.forcedText', { email: me?.email ?? '' })}</p>
        <TwoFactorSetup onDone={() => twoFactorSetupDone()} />
        <div class="login-foot twofa-foot">
          <button type="button" class="link-button small" onClick={() => logout()} data-testid="twofa-logout">
            <IconLogout size={15} />
            {t('top.logout')}
          </button>
          <LanguagePicker id="twofa-lang" />
        </div>
      </main>
    </div>
  );
}
