import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, getState, setState, toast, useStore } from '../store';
import { ROLES, type Agent, type Inbox, type Role, type Scope } from '../types';
import { Avatar } from '../components/Avatar';
import { IconKey, IconPhone, IconPlus, IconUserCheck, IconUserOff } from '../components/Icons';
import { ErrorNotice, FieldError, FormActions, FormCardHeader, SettingsHeader, TableHead, useSubmit } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/ConvRoutingActions';
import { AgentRoutingForm, routingSummary, type RoutedAgent } from './AgentRouting';
import { formError, useCatalogue } from './routingApi';
import '../security.css';

type Editing = { mode: 'new' } | { mode: 'edit'; agent: Agent } | { mode: 'routing'; agent: Agent } | null;
type Confirming = { kind: 'deactivate' | 'reactivate' | 'password' | 'twofactor'; agent: Agent } | null;

const EMPTY_SCOPE: Scope = { inboxes: [], teams: [] };

type Named = { id: number; name: string };

/** The catalogue's teams that have an id (all saved ones). */
export const savedTeams = (teams: { id?: number; name: string }[] | null | undefined): Named[] | null =>
  teams ? (teams.filter((x) => x.id != null) as Named[]) : null;

export const roleName = (r: Role) => t(`role.${r}`);
const roleHint = (r: Role) => t(`role.${r}Hint`);

/** The inboxes of the workspace, for the scope editor and summaries (null while loading). */
function useInboxes(): Inbox[] | null {
  const [inboxes, setInboxes] = useState<Inbox[] | null>(null);
  useEffect(() => {
    api
      .get<{ inboxes: Inbox[] }>('/inboxes')
      .then((r) => setInboxes(r.inboxes ?? []))
      .catch(() => setInboxes([]));
  }, []);
  return inboxes;
}

function names(ids: number[], all: { id: number; name: string }[] | null | undefined): string {
  return ids.map((id) => all?.find((x) => x.id === id)?.name ?? '#' + id).join(', ');
}

/** "All inboxes · Teams: Returns, Billing"; admins see everything. */
export function scopeSummary(a: Agent, inboxes: Inbox[] | null, teams: Named[] | null | undefined): string {
  if (a.role === 'admin') return t('scope.everything');
  const s = a.scope ?? EMPTY_SCOPE;
  const i = s.inboxes.length ? t('scope.inboxesList', { list: names(s.inboxes, inboxes) }) : t('scope.allInboxes');
  const tm = s.teams.length ? t('scope.teamsList', { list: names(s.teams, teams) }) : t('scope.allTeams');
  return `${i} · ${tm}`;
}

export function Agents() {
  const agents = useStore((s) => s.agents);
  const me = useStore((s) => s.me);
  const [state, setLoad] = useState<'loading' | 'loaded' | 'error'>('loading');
  const [editing, setEditing] = useState<Editing>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const inboxes = useInboxes();
  const { catalogue } = useCatalogue();
  const teams = savedTeams(catalogue?.teams);

  async function load() {
    setLoad('loading');
    try {
      const res = await api.get<{ agents: Agent[] } | Agent[]>('/agents');
      setState({ agents: Array.isArray(res) ? res : res.agents });
      setLoad('loaded');
    } catch (err) {
      setLoad('error');
      if (!(err instanceof ApiError && err.status === 401)) toast(errorText(err), 'error');
    }
  }

  useEffect(() => {
    void load();
  }, []);

  function put(a: Agent, created = false) {
    const list = getState().agents;
    setState({ agents: created ? [...list, a] : list.map((x) => (x.id === a.id ? a : x)) });
    if (me && a.id === me.id) setState({ me: { ...me, ...a } });
  }

  function saved(a: Agent, created: boolean) {
    put(a, created);
    toast(created ? t('agents.created', { name: a.name }) : t('agents.updated', { name: a.name }), 'success');
    setEditing(null);
  }

  return (
    <div class="settings-content settings-wide">
      <SettingsHeader title={t('agents.title')} subtitle={t('agents.subtitle')}>
        <button type="button" class="btn btn-primary" onClick={() => setEditing({ mode: 'new' })} data-testid="agent-new">
          <IconPlus size={16} />
          {t('agents.new')}
        </button>
      </SettingsHeader>

      {editing?.mode === 'routing' && (
        <AgentRoutingForm
          key={'routing-' + editing.agent.id}
          agent={editing.agent}
          onCancel={() => setEditing(null)}
          onSaved={(a) => saved(a, false)}
        />
      )}
      {editing && editing.mode !== 'routing' && (
        <AgentForm
          key={editing.mode === 'edit' ? editing.agent.id : 'new'}
          editing={editing}
          isSelf={editing.mode === 'edit' && editing.agent.id === me?.id}
          inboxes={inboxes}
          teams={teams}
          onCancel={() => setEditing(null)}
          onSaved={saved}
        />
      )}

      <div class="card">
        {state === 'loading' && !agents.length && <p class="card-state">{t('common.loading')}</p>}
        {state === 'error' && (
          <p class="card-state">
            <button type="button" class="btn btn-secondary btn-sm" onClick={load}>
              {t('common.retry')}
            </button>
          </p>
        )}
        {state === 'loaded' && !agents.length && <p class="card-state">{t('agents.empty')}</p>}
        {agents.length > 0 && (
          <div class="table-scroll">
            <table class="table agents-table" data-testid="agent-list">
              <TableHead cols={[t('agents.name'), t('agents.roleAccess'), t('agents.status'), t('agentRouting.column')]} actions />
              <tbody>
                {agents.map((a) => {
                  const inactive = a.active === false;
                  const self = me?.id === a.id;
                  return (
                    <tr key={a.id} class={inactive ? 'is-inactive' : undefined} data-testid="agent-row" data-id={a.id} data-active={inactive ? 'false' : 'true'}>
                      <td>
                        <span class="cell-person">
                          <Avatar name={a.name} color={a.avatar_color} size="sm" status={inactive ? undefined : a.status} />
                          <span class="cell-person-text">
                            <span>
                              {a.name}
                              {self && <span class="muted"> ({t('agents.you')})</span>}
                              {inactive && (
                                <span class="badge-inactive" data-testid="agent-inactive">
                                  {t('agents.deactivated')}
                                </span>
                              )}
                              {a.two_factor && (
                                <span class="badge-2fa" title={t('agents.twoFactorOn')} data-testid="agent-2fa">
                                  <span aria-hidden="true">{t('agents.twoFactorBadge')}</span>
                                  <span class="sr-only">{t('agents.twoFactorOn')}</span>
                                </span>
                              )}
                            </span>
                            <span class="muted small cell-email" title={a.email}>{a.email}</span>
                          </span>
                        </span>
                      </td>
                      <td>
                        <span class={'role-badge role-' + a.role} data-testid="agent-role-badge">
                          {roleName(a.role)}
                        </span>
                        <span class="muted small scope-summary" data-testid="agent-scope-summary">
                          {scopeSummary(a, inboxes, teams)}
                        </span>
                      </td>
                      <td>
                        {inactive ? (
                          <span class="muted small">—</span>
                        ) : (
                          <span class="status-inline">
                            <span class={`presence-dot presence-${a.status}`} aria-hidden="true" />
                            {t(('status.' + a.status) as 'status.online')}
                          </span>
                        )}
                      </td>
                      <td class="muted small" data-testid="agent-routing-summary">
                        {routingSummary((a as RoutedAgent).routing)}
                      </td>
                      <td class="cell-actions">
                        <span class="row-actions">
                          <button type="button" class="btn btn-ghost btn-sm" onClick={() => setEditing({ mode: 'edit', agent: a })} aria-label={t('agents.editFor', { name: a.name })} data-testid="agent-edit">
                            {t('common.edit')}
                          </button>
                          <button
                            type="button"
                            class="btn btn-ghost btn-sm"
                            onClick={() => setEditing({ mode: 'routing', agent: a })}
                            aria-label={t('agentRouting.editFor', { name: a.name })}
                            data-testid="agent-routing"
                          >
                            {t('agentRouting.edit')}
                          </button>
                          <ConfirmIcon
                            show={!inactive}
                            onClick={() => setConfirming({ kind: 'password', agent: a })}
                            label={t('agents.resetPasswordFor', { name: a.name })}
                            title={t('agents.resetPassword')}
                            testid="agent-reset-password"
                          >
                            <IconKey size={16} />
                          </ConfirmIcon>
                          <ConfirmIcon
                            show={!!a.two_factor && !inactive}
                            onClick={() => setConfirming({ kind: 'twofactor', agent: a })}
                            label={t('agents.resetTwoFactorFor', { name: a.name })}
                            title={t('agents.resetTwoFactor')}
                            testid="agent-reset-2fa"
                          >
                            <IconPhone size={16} />
                          </ConfirmIcon>
                          {inactive ? (
                            <ConfirmIcon
                              show={!self}
                              onClick={() => setConfirming({ kind: 'reactivate', agent: a })}
                              label={t('agents.reactivateFor', { name: a.name })}
                              title={t('agents.reactivate')}
                              testid="agent-reactivate"
                            >
                              <IconUserCheck size={17} />
                            </ConfirmIcon>
                          ) : (
                            <ConfirmIcon
                              show={!self}
                              danger
                              onClick={() => setConfirming({ kind: 'deactivate', agent: a })}
                              label={t('agents.deactivateFor', { name: a.name })}
                              title={t('agents.deactivate')}
                              testid="agent-deactivate"
                            >
                              <IconUserOff size={17} />
                            </ConfirmIcon>
                          )}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>

      {confirming?.kind === 'password' && <ResetPasswordDialog agent={confirming.agent} onClose={() => setConfirming(null)} />}
      {confirming?.kind === 'twofactor' && (
        <ResetTwoFactorDialog
          agent={confirming.agent}
          onClose={() => setConfirming(null)}
          onDone={(a) => {
            put({ ...confirming.agent, ...a, two_factor: false });
            toast(t('agents.twoFactorReset', { name: confirming.agent.name }), 'success');
            setConfirming(null);
          }}
        />
      )}
      {(confirming?.kind === 'deactivate' || confirming?.kind === 'reactivate') && (
        <ActiveDialog
          agent={confirming.agent}
          activate={confirming.kind === 'reactivate'}
          onClose={() => setConfirming(null)}
          onDone={(a) => {
            put(a);
            toast(t(a.active === false ? 'agents.deactivatedToast' : 'agents.reactivatedToast', { name: a.name }), 'success');
            setConfirming(null);
          }}
        />
      )}
    </div>
  );
}

/** A row's icon button that opens one of the dialogs below; when not `show`n, a spacer that keeps the buttons in their columns. */
function ConfirmIcon({
  show,
  danger,
  onClick,
  label,
  title,
  testid,
  children,
}: {
  show: boolean;
  danger?: boolean;
  onClick: () => void;
  label: string;
  title: string;
  testid: string;
  children: ComponentChildren;
}) {
  if (!show) return <span class="icon-button-spacer" aria-hidden="true" />;
  return (
    <button type="button" class={danger ? 'icon-button icon-button-danger' : 'icon-button'} onClick={onClick} aria-label={label} title={title} aria-haspopup="dialog" data-testid={testid}>
      {children}
    </button>
  );
}

/** Deactivate (ends their sessions; they keep their history) or reactivate, after a confirmation. */
function ActiveDialog({ agent, activate, onClose, onDone }: { agent: Agent; activate: boolean; onClose: () => void; onDone: (a: Agent) => void }) {
  return (
    <ConfirmDialog
      title={t(activate ? 'agents.reactivateTitle' : 'agents.deactivateTitle', { name: agent.name })}
      testid={activate ? 'reactivate-dialog' : 'deactivate-dialog'}
      text={t(activate ? 'agents.reactivateText' : 'agents.deactivateText', { name: agent.name })}
      confirm={activate ? t('agents.reactivate') : t('agents.deactivate')}
      confirmTestid="confirm-active"
      safe={activate}
      actionsClass=""
      onClose={onClose}
      action={async () => onDone(await api.patch<Agent>(`/agents/${agent.id}`, { active: activate }))}
    />
  );
}

/** For someone who lost their phone: their 2FA is removed and their sessions end; they set it up again. */
function ResetTwoFactorDialog({ agent, onClose, onDone }: { agent: Agent; onClose: () => void; onDone: (a: Partial<Agent>) => void }) {
  const self = getState().me?.id === agent.id;
  return (
    <ConfirmDialog
      title={t('agents.resetTwoFactorTitle', { name: agent.name })}
      testid="reset-2fa-dialog"
      text={t(self ? 'agents.resetTwoFactorSelf' : 'agents.resetTwoFactorText', { name: agent.name })}
      confirm={t('agents.resetTwoFactor')}
      confirmTestid="confirm-reset-2fa"
      onClose={onClose}
      action={async () => {
        const a = await api.patch<Agent | null>(`/agents/${agent.id}`, { reset_two_factor: true });
        onDone(a && typeof a === 'object' && 'id' in a ? a : {});
      }}
    />
  );
}

/** An admin sets a new password for someone; the server ends all of that agent's sessions. */
function ResetPasswordDialog({ agent, onClose }: { agent: Agent; onClose: () => void }) {
  const [pw, setPw] = useState('');
  const [pw2, setPw2] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const [mismatch, setMismatch] = useState(false);
  const self = getState().me?.id === agent.id;
  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    setMismatch(false);
    if (pw.length < 8) return setError(t('agents.passwordShort'));
    if (pw !== pw2) return setMismatch(true);
    await run(async () => {
      await api.patch<Agent>(`/agents/${agent.id}`, { password: pw });
      toast(t('agents.passwordReset', { name: agent.name }), 'success');
      onClose();
    });
  }
  return (
    <Dialog title={t('agents.resetPasswordTitle', { name: agent.name })} onClose={onClose} testid="reset-password-dialog">
      <form class="desk-form" onSubmit={submit} noValidate>
        <p class="dialog-text">{t(self ? 'agents.resetPasswordSelf' : 'agents.resetPasswordText', { name: agent.name })}</p>
        <ErrorNotice error={error} testid="reset-password-error" />
        <label class="field">
          <span class="field-label">{t('agents.newPassword')}</span>
          <input
            type="password"
            autocomplete="new-password"
            minLength={8}
            required
            value={pw}
            onInput={(e) => setPw(e.currentTarget.value)}
            aria-describedby="reset-pw-hint"
            data-testid="reset-password"
          />
          <span class="field-hint" id="reset-pw-hint">
            {t('agents.passwordHint')}
          </span>
        </label>
        <label class="field">
          <span class="field-label">{t('account.confirmPassword')}</span>
          <input
            type="password"
            autocomplete="new-password"
            required
            value={pw2}
            onInput={(e) => setPw2(e.currentTarget.value)}
            aria-invalid={mismatch ? 'true' : undefined}
            aria-describedby={mismatch ? 'reset-pw2-error' : undefined}
            data-testid="reset-password-confirm"
          />
          <FieldError id="reset-pw2-error" error={mismatch && t('account.mismatch')} />
        </label>
        <FormActions class="dialog-actions" onCancel={onClose} disabled={busy} testid="reset-password-save">
          {busy ? t('common.saving') : t('agents.resetPassword')}
        </FormActions>
      </form>
    </Dialog>
  );
}

function toggle(list: number[], id: number, on: boolean): number[] {
  return on ? [...list.filter((x) => x !== id), id] : list.filter((x) => x !== id);
}

/** Ticked inboxes and teams the agent works in; none ticked means all of them. */
function ScopeEditor({
  scope,
  onChange,
  inboxes,
  teams,
  disabled,
}: {
  scope: Scope;
  onChange: (s: Scope) => void;
  inboxes: Inbox[] | null;
  teams: Named[] | null;
  disabled: boolean;
}) {
  const group = (kind: 'inboxes' | 'teams', items: { id: number; name: string }[] | null) => {
    const ids = scope[kind];
    const all = ids.length === 0;
    return (
      <fieldset class="scope-group" disabled={disabled} data-testid={'scope-' + kind}>
        <legend class="field-label">{t(kind === 'inboxes' ? 'scope.inboxes' : 'scope.teams')}</legend>
        <p class={'scope-state' + (all ? ' is-all' : '')} aria-live="polite">
          {disabled
            ? t('scope.everything')
            : all
              ? t(kind === 'inboxes' ? 'scope.allInboxes' : 'scope.allTeams')
              : t('scope.countOf', { n: ids.length, total: items?.length ?? ids.length })}
        </p>
        {items == null ? (
          <p class="muted small">{t('common.loading')}</p>
        ) : items.length === 0 ? (
          <p class="muted small">{t(kind === 'inboxes' ? 'scope.noInboxes' : 'scope.noTeams')}</p>
        ) : (
          <ul class="scope-list">
            {items.map((x) => (
              <li key={x.id}>
                <label class="checkbox">
                  <input
                    type="checkbox"
                    checked={!disabled && ids.includes(x.id)}
                    onChange={(e) => onChange({ ...scope, [kind]: toggle(ids, x.id, e.currentTarget.checked) })}
                    data-testid={`scope-${kind}-${x.id}`}
                  />
                  <span>{x.name}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
        {!disabled && !all && (
          <button type="button" class="link-button small" onClick={() => onChange({ ...scope, [kind]: [] })}>
            {t('scope.clear')}
          </button>
        )}
      </fieldset>
    );
  };
  return (
    <div class="scope-editor">
      {group('inboxes', inboxes)}
      {group('teams', teams)}
    </div>
  );
}

function AgentForm({
  editing,
  isSelf,
  inboxes,
  teams,
  onCancel,
  onSaved,
}: {
  editing: Exclude<NonNullable<Editing>, { mode: 'routing' }>;
  isSelf: boolean;
  inboxes: Inbox[] | null;
  teams: Named[] | null;
  onCancel: () => void;
  onSaved: (a: Agent, created: boolean) => void;
}) {
  const isNew = editing.mode === 'new';
  const orig = editing.mode === 'edit' ? editing.agent : null;
  const [name, setName] = useState(orig?.name ?? '');
  const [email, setEmail] = useState(orig?.email ?? '');
  const [title, setTitle] = useState(orig?.title ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(orig?.role ?? 'agent');
  const [scope, setScope] = useState<Scope>(orig?.scope ?? EMPTY_SCOPE);
  const { busy, error, setError, run } = useSubmit();
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
  }, []);

  // Admins are never scoped: their scope is sent empty.
  const sentScope = role === 'admin' ? EMPTY_SCOPE : scope;
  const sameScope = (a: Scope, b: Scope) => [...a.inboxes].sort().join() === [...b.inboxes].sort().join() && [...a.teams].sort().join() === [...b.teams].sort().join();

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    if (isNew && password.length < 8) {
      setError(t('agents.passwordShort'));
      return;
    }
    await run(
      async () => {
        if (isNew) {
          const a = await api.post<Agent>('/agents', { name: name.trim(), title: title.trim(), email: email.trim(), password, role, scope: sentScope });
          onSaved(a, true);
        } else {
          const patch: Record<string, unknown> = {};
          if (name.trim() !== orig!.name) patch.name = name.trim();
          if (title.trim() !== (orig!.title ?? '')) patch.title = title.trim();
          if (role !== orig!.role) patch.role = role;
          if (!sameScope(sentScope, orig!.scope ?? EMPTY_SCOPE)) patch.scope = sentScope;
          const a = Object.keys(patch).length ? await api.patch<Agent>(`/agents/${orig!.id}`, patch) : orig!;
          onSaved(a, false);
        }
      },
      (err) => (err instanceof ApiError && err.status === 409 && isNew ? t('agents.emailTaken') : formError(err)),
    );
  }

  return (
    <form class="card form-card" onSubmit={submit} data-testid="agent-form" aria-labelledby="agent-form-title">
      <FormCardHeader id="agent-form-title" onCancel={onCancel}>
        {isNew ? t('agents.newTitle') : t('agents.editTitle', { name: orig!.name })}
      </FormCardHeader>
      <ErrorNotice error={error} testid="agent-error" />
      <div class="form-grid">
        <label class="field">
          <span class="field-label">{t('agents.name')}</span>
          <input ref={first} required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="agent-name" />
        </label>
        <label class="field">
          <span class="field-label">{t('agents.jobTitle')}</span>
          <input maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} aria-describedby="agent-title-hint" data-testid="agent-title" />
          <span class="field-hint" id="agent-title-hint">
            {t('agents.jobTitleHint')}
          </span>
        </label>
        <label class="field">
          <span class="field-label">{t('agents.email')}</span>
          <input
            type="email"
            required
            value={email}
            disabled={!isNew}
            onInput={(e) => setEmail(e.currentTarget.value)}
            data-testid="agent-email"
            autocomplete="off"
          />
        </label>
        {isNew && (
          <label class="field">
            <span class="field-label">{t('agents.password')}</span>
            <input
              type="password"
              required
              minLength={8}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              data-testid="agent-password"
              autocomplete="new-password"
            />
            <span class="field-hint">{t('agents.passwordHint')}</span>
          </label>
        )}
      </div>
      <fieldset class="field role-picker" data-testid="agent-role">
        <legend class="field-label">{t('agents.role')}</legend>
        <div class="role-options">
          {ROLES.map((r) => (
            <label key={r} class={'role-option' + (role === r ? ' is-selected' : '')}>
              <input
                type="radio"
                name="agent-role"
                value={r}
                checked={role === r}
                disabled={isSelf && r !== 'admin'}
                onChange={() => setRole(r)}
                data-testid={'agent-role-' + r}
              />
              <span class="role-option-text">
                <span class="role-option-name">{roleName(r)}</span>
                <span class="role-option-hint">{roleHint(r)}</span>
              </span>
            </label>
          ))}
        </div>
        {isSelf && <span class="field-hint">{t('agents.ownRole')}</span>}
      </fieldset>
      <div class="field">
        <span class="field-label" id="scope-label">
          {t('scope.title')}
        </span>
        <span class="field-hint">{role === 'admin' ? t('scope.adminHint') : t('scope.hint')}</span>
        <ScopeEditor scope={scope} onChange={setScope} inboxes={inboxes} teams={teams} disabled={role === 'admin'} />
      </div>
      <FormActions onCancel={onCancel} disabled={busy} testid="agent-save">
        {busy ? t('common.saving') : isNew ? t('agents.create') : t('common.save')}
      </FormActions>
    </form>
  );
}
