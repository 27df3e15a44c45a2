import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t } from '../i18n';
import { errorText, getState, setState, toast, useStore } from '../store';
import type { Agent, Role } from '../types';
import { Avatar } from '../components/Avatar';
import { IconPlus } from '../components/Icons';
import { ErrorNotice, FormActions, FormCardHeader, TableHead } from '../components/Common';
import { AgentRoutingForm, routingSummary, type RoutedAgent } from './AgentRouting';

type Editing = { mode: 'new' } | { mode: 'edit'; agent: Agent } | { mode: 'routing'; agent: Agent } | null;

export function Agents() {
  const agents = useStore((s) => s.agents);
  const me = useStore((s) => s.me);
  const [state, setLoad] = useState<'loading' | 'loaded' | 'error'>('loading');
  const [editing, setEditing] = useState<Editing>(null);

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

  function saved(a: Agent, created: boolean) {
    const list = getState().agents;
    setState({ agents: created ? [...list, a] : list.map((x) => (x.id === a.id ? a : x)) });
    if (me && a.id === me.id) setState({ me: { ...me, ...a } });
    toast(created ? t('agents.created', { name: a.name }) : t('agents.updated', { name: a.name }), 'success');
    setEditing(null);
  }

  return (
    <div class="settings-content">
      <header class="settings-header">
        <div>
          <h1>{t('agents.title')}</h1>
          <p class="muted">{t('agents.subtitle')}</p>
        </div>
        <button type="button" class="btn btn-primary" onClick={() => setEditing({ mode: 'new' })} data-testid="agent-new">
          <IconPlus size={16} />
          {t('agents.new')}
        </button>
      </header>

      {editing?.mode === 'routing' && (
        <AgentRoutingForm
          key={'routing-' + editing.agent.id}
          agent={editing.agent}
          onCancel={() => setEditing(null)}
          onSaved={(a) => saved(a, false)}
        />
      )}
      {editing && editing.mode !== 'routing' && (
        <AgentForm key={editing.mode === 'edit' ? editing.agent.id : 'new'} editing={editing} onCancel={() => setEditing(null)} onSaved={saved} />
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
          <table class="table" data-testid="agent-list">
            <TableHead cols={[t('agents.name'), t('agents.email'), t('agents.role'), t('agents.status'), t('agentRouting.column')]} actions />
            <tbody>
              {agents.map((a) => (
                <tr key={a.id} data-testid="agent-row" data-id={a.id}>
                  <td>
                    <span class="cell-person">
                      <Avatar name={a.name} color={a.avatar_color} size="sm" status={a.status} />
                      <span>
                        {a.name}
                        {me?.id === a.id && <span class="muted"> ({t('agents.you')})</span>}
                      </span>
                    </span>
                  </td>
                  <td class="muted">{a.email}</td>
                  <td>
                    <span class={'role-badge role-' + a.role}>{t(a.role === 'admin' ? 'role.admin' : 'role.agent')}</span>
                  </td>
                  <td>
                    <span class="status-inline">
                      <span class={`presence-dot presence-${a.status}`} aria-hidden="true" />
                      {t(('status.' + a.status) as 'status.online')}
                    </span>
                  </td>
                  <td class="muted small" data-testid="agent-routing-summary">
                    {routingSummary((a as RoutedAgent).routing)}
                  </td>
                  <td class="cell-actions">
                    <button
                      type="button"
                      class="btn btn-ghost btn-sm"
                      onClick={() => setEditing({ mode: 'routing', agent: a })}
                      aria-label={t('agentRouting.editFor', { name: a.name })}
                      data-testid="agent-routing"
                    >
                      {t('agentRouting.edit')}
                    </button>
                    <button type="button" class="btn btn-ghost btn-sm" onClick={() => setEditing({ mode: 'edit', agent: a })} data-testid="agent-edit">
                      {t('common.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

function AgentForm({ editing, onCancel, onSaved }: { editing: Exclude<NonNullable<Editing>, { mode: 'routing' }>; onCancel: () => void; onSaved: (a: Agent, created: boolean) => void }) {
  const isNew = editing.mode === 'new';
  const orig = editing.mode === 'edit' ? editing.agent : null;
  const [name, setName] = useState(orig?.name ?? '');
  const [email, setEmail] = useState(orig?.email ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(orig?.role ?? 'agent');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    if ((isNew || password) && password.length < 8) {
      setError(t('agents.passwordShort'));
      return;
    }
    setBusy(true);
    try {
      if (isNew) {
        const a = await api.post<Agent>('/agents', { name: name.trim(), email: email.trim(), password, role });
        onSaved(a, true);
      } else {
        const patch: Record<string, string> = {};
        if (name.trim() !== orig!.name) patch.name = name.trim();
        if (role !== orig!.role) patch.role = role;
        if (password) patch.password = password;
        const a = Object.keys(patch).length ? await api.patch<Agent>(`/agents/${orig!.id}`, patch) : orig!;
        onSaved(a, false);
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setError(t('agents.emailTaken'));
      else if (err instanceof ApiError && err.status === 400) setError(err.message);
      else setError(errorText(err));
      setBusy(false);
    }
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
        <label class="field">
          <span class="field-label">{isNew ? t('agents.password') : t('agents.newPassword')}</span>
          <input
            type="password"
            required={isNew}
            minLength={8}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            data-testid="agent-password"
            autocomplete="new-password"
          />
          <span class="field-hint">{isNew ? t('agents.passwordHint') : t('agents.passwordKeep')}</span>
        </label>
        <label class="field">
          <span class="field-label">{t('agents.role')}</span>
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} data-testid="agent-role">
            <option value="agent">{t('role.agent')}</option>
            <option value="admin">{t('role.admin')}</option>
          </select>
        </label>
      </div>
      <FormActions onCancel={onCancel} disabled={busy} testid="agent-save">
        {busy ? t('common.saving') : isNew ? t('agents.create') : t('common.save')}
      </FormActions>
    </form>
  );
}
