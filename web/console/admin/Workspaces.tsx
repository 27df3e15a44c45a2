// Settings → Workspaces (super-admins only): every workspace of the installation, and a
// form that creates one with its first admin. After creation: the new inbox's key and
// the widget's embed snippet, to hand over with the admin's credentials.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText } from '../store';
import { ErrorNotice, FormActions, FormCardHeader, SettingsHeader, TableHead, useSubmit } from '../components/Common';
import { IconCheckCircle, IconExternal, IconPlus } from '../components/Icons';
import { SnippetBox } from './EmbedSnippet';
import { formError } from './routingApi';
import './workspaces.css';

interface Workspace {
  id: number;
  name: string;
  help_center: string;
  require_2fa: boolean;
  agents: number;
}

interface Created {
  workspace_id: number;
  name: string;
  admin_id: number;
  inbox_key: string;
  /** From the form: shown in the sign-in note. */
  admin_name: string;
  admin_email: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 8;

export const embedSnippet = (key: string) => `<script src="${location.origin}/widget.js" data-inbox="${key}" async></script>`;

export function Workspaces() {
  const [list, setList] = useState<Workspace[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [mode, setMode] = useState<'list' | 'new' | 'created'>('list');
  const [created, setCreated] = useState<Created | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);

  async function load() {
    setLoadError(null);
    try {
      const r = await api.get<{ workspaces: Workspace[] }>('/workspaces');
      setList(r.workspaces ?? []);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setLoadError(errorText(err));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  function close() {
    setMode('list');
    setCreated(null);
    setTimeout(() => newButton.current?.focus(), 0);
  }

  return (
    <div class="settings-content settings-wide" data-testid="workspaces-page">
      <SettingsHeader title={t('workspaces.title')} subtitle={t('workspaces.subtitle')}>
        {mode === 'list' && (
          <button type="button" class="btn btn-primary" ref={newButton} onClick={() => setMode('new')} data-testid="workspace-new">
            <IconPlus size={16} />
            {t('workspaces.new')}
          </button>
        )}
      </SettingsHeader>

      {mode === 'new' && (
        <WorkspaceForm
          onCancel={close}
          onCreated={(c) => {
            setCreated(c);
            setMode('created');
            void load();
          }}
        />
      )}
      {mode === 'created' && created && <CreatedPanel created={created} onDone={close} />}

      <div class="card">
        {loadError ? (
          <div class="card-state">
            <ErrorNotice error={loadError} />
            <button type="button" class="btn btn-secondary btn-sm" onClick={load}>
              {t('common.retry')}
            </button>
          </div>
        ) : !list ? (
          <p class="card-state">{t('common.loading')}</p>
        ) : !list.length ? (
          <p class="card-state">{t('workspaces.empty')}</p>
        ) : (
          <div class="table-scroll">
            <table class="table workspaces-table" data-testid="workspace-list">
              <caption class="sr-only">{t('workspaces.title')}</caption>
              <TableHead cols={[t('workspaces.name'), { label: t('workspaces.agents'), class: 'num' }, t('workspaces.helpCenter'), t('workspaces.twoFactor')]} />
              <tbody>
                {list.map((w) => (
                  <tr key={w.id} data-testid="workspace-row" data-id={w.id} class={created?.workspace_id === w.id ? 'is-new' : undefined}>
                    <td class="ws-name" data-label={t('workspaces.name')}>
                      {w.name}
                    </td>
                    <td class="num" data-label={t('workspaces.agents')} data-testid="workspace-agents">
                      {w.agents}
                    </td>
                    <td data-label={t('workspaces.helpCenter')}>
                      <a class="ws-help" href={w.help_center} target="_blank" rel="noopener" data-testid="workspace-help">
                        <span class="ws-help-path">{w.help_center}</span>
                        <IconExternal size={13} />
                        <span class="sr-only"> {t('workspaces.newTab')}</span>
                      </a>
                    </td>
                    <td data-label={t('workspaces.twoFactor')}>
                      {w.require_2fa ? (
                        <span class="badge-2fa ws-badge" data-testid="workspace-2fa">
                          {t('workspaces.required2fa')}
                        </span>
                      ) : (
                        <span class="muted small">{t('workspaces.optional2fa')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

type Field = 'name' | 'adminName' | 'email' | 'password' | 'confirm';
const FIELDS: Field[] = ['name', 'adminName', 'email', 'password', 'confirm'];

function WorkspaceForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (c: Created) => void }) {
  const [v, setV] = useState<Record<Field, string>>({ name: '', adminName: '', email: '', password: '', confirm: '' });
  // A field shows its error once it was left or the form was submitted.
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const { busy, error, run } = useSubmit();
  const refs = {
    name: useRef<HTMLInputElement>(null),
    adminName: useRef<HTMLInputElement>(null),
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    confirm: useRef<HTMLInputElement>(null),
  };
  useEffect(() => {
    refs.name.current?.focus();
  }, []);

  const problems: Partial<Record<Field, string>> = {};
  if (!v.name.trim()) problems.name = t('workspaces.errName');
  if (!v.adminName.trim()) problems.adminName = t('workspaces.errAdminName');
  if (!EMAIL.test(v.email.trim())) problems.email = t('workspaces.errEmail');
  if (v.password.length < MIN_PASSWORD) problems.password = t('workspaces.errPassword', { min: MIN_PASSWORD });
  if (v.confirm !== v.password || !v.confirm) problems.confirm = t('workspaces.errConfirm');
  const shown = (f: Field) => (touched[f] ? problems[f] : undefined);

  async function submit(e: Event) {
    e.preventDefault();
    setTouched({ name: true, adminName: true, email: true, password: true, confirm: true });
    const bad = FIELDS.find((f) => problems[f]);
    if (bad) {
      refs[bad].current?.focus();
      return;
    }
    await run(
      async () => {
        const r = await api.post<Omit<Created, 'admin_name' | 'admin_email'>>('/workspaces', {
          name: v.name.trim(),
          admin_name: v.adminName.trim(),
          admin_email: v.email.trim(),
          admin_password: v.password,
        });
        onCreated({ ...r, admin_name: v.adminName.trim(), admin_email: v.email.trim() });
      },
      (err) => (err instanceof ApiError && err.status === 401 ? null : formError(err)),
    );
  }

  const input = (f: Field, label: string, props: Record<string, unknown>, hint?: string) => {
    const err = shown(f);
    const hintId = `ws-${f}-hint`;
    return (
      <label class="field">
        <span class="field-label">{label}</span>
        <input
          ref={refs[f]}
          value={v[f]}
          onInput={(e) => setV((x) => ({ ...x, [f]: (e.currentTarget as HTMLInputElement).value }))}
          onBlur={() => v[f] !== '' && setTouched((x) => ({ ...x, [f]: true }))}
          aria-invalid={err ? 'true' : undefined}
          aria-describedby={err || hint ? hintId : undefined}
          aria-required="true"
          data-testid={'ws-' + f}
          {...props}
        />
        {err ? (
          <span id={hintId} class="field-error" data-testid={`ws-${f}-error`}>
            {err}
          </span>
        ) : (
          hint && (
            <span id={hintId} class="field-hint">
              {hint}
            </span>
          )
        )}
      </label>
    );
  };

  return (
    <form class="card form-card ws-form" onSubmit={submit} noValidate data-testid="workspace-form" aria-labelledby="ws-form-title">
      <FormCardHeader id="ws-form-title" onCancel={onCancel}>
        {t('workspaces.newTitle')}
      </FormCardHeader>
      <ErrorNotice error={error} testid="workspace-error" />
      {input('name', t('workspaces.wsName'), { maxLength: 100, autocomplete: 'off' }, t('workspaces.wsNameHint'))}
      <fieldset class="field ws-admin">
        <legend class="field-label ws-legend">{t('workspaces.firstAdmin')}</legend>
        <p class="field-hint ws-admin-hint">{t('workspaces.firstAdminHint')}</p>
        <div class="form-grid">
          {input('adminName', t('workspaces.adminName'), { maxLength: 100, autocomplete: 'off' })}
          {input('email', t('workspaces.adminEmail'), { type: 'email', autocomplete: 'off', spellcheck: false })}
          {input('password', t('workspaces.password'), { type: 'password', autocomplete: 'new-password', maxLength: 1024 }, t('workspaces.passwordHint', { min: MIN_PASSWORD }))}
          {input('confirm', t('workspaces.confirm'), { type: 'password', autocomplete: 'new-password', maxLength: 1024 })}
        </div>
      </fieldset>
      <FormActions onCancel={onCancel} disabled={busy} testid="workspace-create">
        {busy ? t('workspaces.creating') : t('workspaces.create')}
      </FormActions>
    </form>
  );
}

function CreatedPanel({ created, onDone }: { created: Created; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <section class="card form-card ws-created" aria-labelledby="ws-created-title" data-testid="workspace-created">
      <h2 id="ws-created-title" class="ws-created-title" tabIndex={-1} ref={heading}>
        <IconCheckCircle size={18} />
        {t('workspaces.created', { name: created.name })}
      </h2>
      <dl class="ws-facts">
        <dt>{t('workspaces.inboxKey')}</dt>
        <dd>
          <code class="ws-key" data-testid="workspace-inbox-key">
            {created.inbox_key}
          </code>
        </dd>
      </dl>
      <h3 class="ws-sub">{t('workspaces.embed')}</h3>
      <p class="muted small">{t('workspaces.embedHint')}</p>
      <SnippetBox
        text={embedSnippet(created.inbox_key)}
        class="ws-embed"
        label={t('workspaces.embed')}
        testid="workspace-snippet"
        copyTestid="workspace-copy"
      />
      <p class="notice notice-info ws-note" data-testid="workspace-signin-note">
        {t('workspaces.signInNote', { name: created.admin_name, email: created.admin_email })}
      </p>
      <div class="form-actions">
        <button type="button" class="btn btn-primary" onClick={onDone} data-testid="workspace-done">
          {t('workspaces.done')}
        </button>
      </div>
    </section>
  );
}
