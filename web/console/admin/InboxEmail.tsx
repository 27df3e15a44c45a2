// The e-mail side of an inbox (GET/PUT /inboxes/:id/email): the mailbox (IMAP in,
// SMTP out), the address and name mail goes out with, the company data of the
// signature, the acknowledgement's answer-time promise; a connection test that
// names the step that failed, and the poller's state. Its own form and save,
// under the inbox editor (passwords are write-only: empty keeps the saved one).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t, type StringKey } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice, useSubmit } from '../components/Common';
import { IconAlert, IconCheckCircle, IconMail, IconRotate } from '../components/Icons';

type Security = 'tls' | 'starttls' | 'none';
interface Server {
  host: string;
  port: number;
  security: Security;
  user: string;
  password_set?: boolean;
}
interface Company {
  name: string;
  department: string;
  address: string;
  phone: string;
  email: string;
  tax_id: string;
  website: string;
}
export interface EmailSettings {
  enabled: boolean;
  imap: Server;
  smtp: Server;
  folder: string;
  from_address: string;
  display_name: string;
  allow_self_signed: boolean;
  aliases: string[];
  company: Company;
  answer_promise: string;
  acknowledge: boolean;
}
interface Check {
  ok: boolean;
  stage: string;
  message: string;
}
interface Status {
  running: boolean;
  elsewhere?: boolean; // cluster mode: the node that leads the workspace fetches
  idling?: boolean;
  last_error?: string;
  connections?: number;
  last_uid?: number;
}

interface Form {
  s: EmailSettings;
  imapPassword: string;
  smtpPassword: string;
  aliases: string;
}

const COMPANY_FIELDS: (keyof Company)[] = ['name', 'department', 'address', 'phone', 'email', 'tax_id', 'website'];
const STAGES = ['settings', 'dns', 'connect', 'tls', 'auth', 'mailbox', 'mail_from', 'rcpt', 'data', 'protocol'];

function formOf(s: EmailSettings): Form {
  return { s, imapPassword: '', smtpPassword: '', aliases: (s.aliases ?? []).join(', ') };
}

/** The body PUT and the test take: a password only when one was typed. */
function bodyOf(f: Form) {
  const server = (x: Server, pw: string) => ({ host: x.host.trim(), port: Number(x.port) || 0, security: x.security, user: x.user.trim(), ...(pw ? { password: pw } : {}) });
  return {
    enabled: f.s.enabled,
    imap: server(f.s.imap, f.imapPassword),
    smtp: server(f.s.smtp, f.smtpPassword),
    folder: f.s.folder.trim() || 'INBOX',
    from_address: f.s.from_address.trim(),
    display_name: f.s.display_name.trim(),
    allow_self_signed: f.s.allow_self_signed,
    aliases: f.aliases.split(/[,;\s]+/).map((a) => a.trim()).filter(Boolean),
    company: f.s.company,
    answer_promise: f.s.answer_promise.trim(),
    acknowledge: f.s.acknowledge,
  };
}

function stageText(stage: string): string {
  return STAGES.includes(stage) ? t(`email.stage.${stage}` as StringKey) : stage;
}

function ServerFields({ side, value, password, onChange, onPassword }: { side: 'imap' | 'smtp'; value: Server; password: string; onChange: (s: Server) => void; onPassword: (p: string) => void }) {
  const id = (k: string) => `email-${side}-${k}`;
  return (
    <fieldset class="email-server" data-testid={`email-${side}`}>
      <legend>{side === 'imap' ? t('email.imap') : t('email.smtp')}</legend>
      <p class="muted small">{side === 'imap' ? t('email.imapHint') : t('email.smtpHint')}</p>
      <div class="form-grid email-grid">
        <label class="field email-host">
          <span class="field-label">{t('email.host')}</span>
          <input id={id('host')} value={value.host} placeholder={side === 'imap' ? 'imap.example.com' : 'smtp.example.com'} autocomplete="off" spellcheck={false} onInput={(e) => onChange({ ...value, host: e.currentTarget.value })} data-testid={id('host')} />
        </label>
        <label class="field email-port">
          <span class="field-label">{t('email.port')}</span>
          <input id={id('port')} type="number" min={1} max={65535} inputMode="numeric" value={value.port || ''} onInput={(e) => onChange({ ...value, port: Number(e.currentTarget.value) })} data-testid={id('port')} />
        </label>
        <label class="field">
          <span class="field-label">{t('email.security')}</span>
          <select id={id('security')} value={value.security} onChange={(e) => onChange({ ...value, security: e.currentTarget.value as Security })} data-testid={id('security')}>
            <option value="tls">{t('email.securityTls')}</option>
            <option value="starttls">{t('email.securityStarttls')}</option>
            <option value="none">{t('email.securityNone')}</option>
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('email.user')}</span>
          <input id={id('user')} value={value.user} autocomplete="off" spellcheck={false} onInput={(e) => onChange({ ...value, user: e.currentTarget.value })} data-testid={id('user')} />
        </label>
        <label class="field">
          <span class="field-label">{t('email.password')}</span>
          <input
            id={id('password')}
            type="password"
            value={password}
            autocomplete="new-password"
            placeholder={value.password_set ? t('email.passwordUnchanged') : ''}
            onInput={(e) => onPassword(e.currentTarget.value)}
            data-testid={id('password')}
          />
        </label>
      </div>
    </fieldset>
  );
}

function CheckResult({ side, check }: { side: 'imap' | 'smtp'; check: Check }) {
  return (
    <li class={'email-check ' + (check.ok ? 'is-ok' : 'is-failed')} data-testid={`email-check-${side}`} data-ok={check.ok ? 'true' : 'false'} data-stage={check.stage}>
      {check.ok ? <IconCheckCircle size={16} /> : <IconAlert size={16} />}
      <span>
        <strong>{side === 'imap' ? t('email.imap') : t('email.smtp')}</strong>{' '}
        {check.ok ? t('email.checkOk') : t('email.checkFailed', { stage: stageText(check.stage) })}
        {!check.ok && check.message && <span class="email-check-message">{check.message}</span>}
      </span>
    </li>
  );
}

function StatusLine({ status, onRefresh }: { status: Status | null; onRefresh: () => void }) {
  const text = !status
    ? t('common.loading')
    : !status.running
      ? t(status.elsewhere ? 'email.statusElsewhere' : 'email.statusOff')
      : status.last_error
        ? t('email.statusError', { error: status.last_error })
        : status.idling
          ? t('email.statusIdle')
          : t('email.statusPolling');
  const state = !status ? 'loading' : !status.running ? (status.elsewhere ? 'elsewhere' : 'off') : status.last_error ? 'error' : status.idling ? 'idle' : 'polling';
  return (
    <div class={`email-status email-status-${state}`} role="status" data-testid="email-status" data-state={state}>
      <span class="email-status-dot" aria-hidden="true" />
      <span>{text}</span>
      <button type="button" class="icon-button" onClick={onRefresh} aria-label={t('email.statusRefresh')} title={t('email.statusRefresh')}>
        <IconRotate size={14} />
      </button>
    </div>
  );
}

export function InboxEmail({ inboxId }: { inboxId: number }) {
  const [form, setForm] = useState<Form | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [checks, setChecks] = useState<{ imap: Check; smtp: Check } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const describe = (err: unknown) => (err instanceof ApiError && (err.status === 422 || err.status === 400) ? err.message : errorText(err));
  const save = useSubmit(describe);
  const test = useSubmit(describe);

  async function loadStatus() {
    try {
      setStatus(await api.get<Status>(`/inboxes/${inboxId}/email/status`));
    } catch {
      setStatus({ running: false });
    }
  }

  useEffect(() => {
    api
      .get<EmailSettings>(`/inboxes/${inboxId}/email`)
      .then((s) => setForm(formOf(s)))
      .catch((err) => setLoadError(errorText(err)));
    void loadStatus();
  }, [inboxId]);

  if (!form)
    return (
      <section class="card form-section" aria-labelledby="sec-email">
        <h2 id="sec-email">{t('email.title')}</h2>
        {loadError ? <ErrorNotice error={loadError} /> : <p class="muted">{t('common.loading')}</p>}
      </section>
    );

  const s = form.s;
  const set = (patch: Partial<EmailSettings>) => setForm({ ...form, s: { ...s, ...patch } });

  async function submit(e: Event) {
    e.preventDefault();
    await save.run(async () => {
      const saved = await api.put<EmailSettings>(`/inboxes/${inboxId}/email`, bodyOf(form!));
      setForm(formOf(saved));
      toast(t('email.saved'), 'success');
      setTimeout(loadStatus, 1500); // the poller restarts with the new settings
    });
  }

  async function runTest() {
    setChecks(null);
    await test.run(async () => setChecks(await api.post<{ imap: Check; smtp: Check }>(`/inboxes/${inboxId}/email/test`, bodyOf(form!))));
  }

  return (
    <form class="card form-section email-settings" aria-labelledby="sec-email" onSubmit={submit} noValidate data-testid="email-settings">
      <div class="email-title-row">
        <h2 id="sec-email">
          <IconMail size={18} /> {t('email.title')}
        </h2>
        <label class="switch">
          <input type="checkbox" checked={s.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} data-testid="email-enabled" />
          <span class="switch-track" aria-hidden="true" />
          <span class="switch-label">{s.enabled ? t('email.enabled') : t('email.disabled')}</span>
        </label>
      </div>
      <p class="muted small">{t('email.subtitle')}</p>
      <StatusLine status={status} onRefresh={loadStatus} />
      <ErrorNotice error={save.error} testid="email-error" />

      <div class="form-grid">
        <label class="field">
          <span class="field-label">{t('email.fromAddress')}</span>
          <input type="email" value={s.from_address} placeholder="support@example.com" spellcheck={false} onInput={(e) => set({ from_address: e.currentTarget.value })} data-testid="email-from" />
        </label>
        <label class="field">
          <span class="field-label">{t('email.displayName')}</span>
          <input value={s.display_name} placeholder={t('email.displayNamePlaceholder')} onInput={(e) => set({ display_name: e.currentTarget.value })} data-testid="email-display-name" />
        </label>
        <label class="field field-wide">
          <span class="field-label">{t('email.aliases')}</span>
          <input value={form.aliases} placeholder="help@example.com, info@example.com" spellcheck={false} onInput={(e) => setForm({ ...form, aliases: e.currentTarget.value })} data-testid="email-aliases" />
          <span class="field-hint">{t('email.aliasesHint')}</span>
        </label>
      </div>

      <ServerFields side="imap" value={s.imap} password={form.imapPassword} onChange={(imap) => set({ imap })} onPassword={(p) => setForm({ ...form, imapPassword: p })} />
      <div class="form-grid">
        <label class="field">
          <span class="field-label">{t('email.folder')}</span>
          <input value={s.folder} placeholder="INBOX" spellcheck={false} onInput={(e) => set({ folder: e.currentTarget.value })} data-testid="email-folder" />
        </label>
        <label class="checkbox email-self-signed">
          <input type="checkbox" checked={s.allow_self_signed} onChange={(e) => set({ allow_self_signed: e.currentTarget.checked })} />
          {t('email.selfSigned')}
        </label>
      </div>
      <ServerFields side="smtp" value={s.smtp} password={form.smtpPassword} onChange={(smtp) => set({ smtp })} onPassword={(p) => setForm({ ...form, smtpPassword: p })} />

      <div class="email-test-row">
        <button type="button" class="btn btn-secondary" onClick={runTest} disabled={test.busy} data-testid="email-test">
          {test.busy ? t('email.testing') : t('email.test')}
        </button>
        <ErrorNotice error={test.error} testid="email-test-error" />
        {checks && (
          <ul class="email-checks" aria-live="polite" data-testid="email-checks">
            <CheckResult side="imap" check={checks.imap} />
            <CheckResult side="smtp" check={checks.smtp} />
          </ul>
        )}
      </div>

      <fieldset class="email-server">
        <legend>{t('email.company')}</legend>
        <p class="muted small">{t('email.companyHint')}</p>
        <div class="form-grid">
          {COMPANY_FIELDS.map((k) => (
            <label key={k} class="field">
              <span class="field-label">{t(`email.company.${k}` as StringKey)}</span>
              <input value={s.company[k]} onInput={(e) => set({ company: { ...s.company, [k]: e.currentTarget.value } })} data-testid={`email-company-${k}`} />
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset class="email-server">
        <legend>{t('email.acknowledgement')}</legend>
        <label class="checkbox">
          <input type="checkbox" checked={s.acknowledge} onChange={(e) => set({ acknowledge: e.currentTarget.checked })} data-testid="email-acknowledge" />
          {t('email.acknowledge')}
        </label>
        <label class="field field-wide">
          <span class="field-label">{t('email.answerPromise')}</span>
          <input value={s.answer_promise} placeholder={t('email.answerPromisePlaceholder')} onInput={(e) => set({ answer_promise: e.currentTarget.value })} data-testid="email-answer-promise" />
          <span class="field-hint">{t('email.answerPromiseHint')}</span>
        </label>
      </fieldset>

      <footer class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={save.busy} data-testid="email-save">
          {save.busy ? t('common.saving') : t('email.save')}
        </button>
      </footer>
    </form>
  );
}
