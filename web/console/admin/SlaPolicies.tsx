// Settings → SLA: the workspace's SLA policies in order (the first that matches a
// ticket applies) with per-priority targets in minutes, business or calendar
// time, the at-risk threshold and escalation rules; and the ticket automation
// (pending reminder, auto-close). GET/POST/PUT/DELETE /sla-policies, PUT /sla-settings.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t, type StringKey } from '../i18n';
import { errorText, toast } from '../store';
import { ErrorNotice, SettingsHeader, TableHead, useSubmit } from '../components/Common';
import type { SlaMetric } from '../components/SlaBadge';
import '../components/sla.css';

type Priority = 'low' | 'normal' | 'high' | 'urgent';
const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
const METRICS: SlaMetric[] = ['first_response', 'next_response', 'resolution'];
const ACTIONS = ['notify_assignee', 'notify_supervisor', 'raise_priority', 'reassign_team', 'unassign'] as const;
type Action = (typeof ACTIONS)[number];

interface Escalation {
  metric: SlaMetric;
  when: 'at_risk' | 'breached';
  action: Action;
  team?: number;
}
export interface SlaPolicy {
  id?: number;
  position?: number;
  updated_at?: number;
  name: string;
  when: { inboxes: number[]; priorities: Priority[]; tags: string[] };
  targets: Partial<Record<SlaMetric, Partial<Record<Priority, number>>>>;
  hours: 'calendar' | 'business';
  on_hold_pauses: boolean;
  at_risk: { percent: number; minutes: number };
  escalations: Escalation[];
}
interface Automation {
  pending_reminder_after_days: number | null;
  pending_close_after_days: number | null;
  pending_close_to: 'solved' | 'closed';
  solved_close_after_days: number | null;
  chat_follow_up_after_hours: number;
}

const blank = (): SlaPolicy => ({
  name: '',
  when: { inboxes: [], priorities: [], tags: [] },
  targets: { first_response: { low: 480, normal: 240, high: 60, urgent: 30 }, resolution: { normal: 2880 } },
  hours: 'business',
  on_hold_pauses: false,
  at_risk: { percent: 25, minutes: 30 },
  escalations: [{ metric: 'first_response', when: 'at_risk', action: 'notify_assignee' }],
});

const wordFor = (prefix: string, code: string) => t((prefix + code) as StringKey);

function summary(p: SlaPolicy): string {
  const fr = p.targets.first_response?.normal;
  const parts = [p.when.priorities.length ? p.when.priorities.map((x) => wordFor('ticket.priority.', x)).join(', ') : t('sla.anyTicket')];
  if (p.when.tags.length) parts.push('#' + p.when.tags.join(' #'));
  if (fr) parts.push(`${t('sla.metric.first_response')}: ${fr} ${t('sla.min')}`);
  return parts.join(' · ');
}

function TargetsTable({ p, set }: { p: SlaPolicy; set: (p: SlaPolicy) => void }) {
  const change = (m: SlaMetric, pr: Priority, v: string) => {
    const per = { ...(p.targets[m] ?? {}) };
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) delete per[pr];
    else per[pr] = Math.round(n);
    set({ ...p, targets: { ...p.targets, [m]: per } });
  };
  return (
    <div class="table-scroll">
      <table class="sla-targets" data-testid="sla-targets">
        <caption class="sr-only">{t('sla.targets')}</caption>
        <TableHead cols={['', ...PRIORITIES.map((x) => wordFor('ticket.priority.', x))]} />
        <tbody>
          {METRICS.map((m) => (
            <tr key={m}>
              <th scope="row">{wordFor('sla.metric.', m)}</th>
              {PRIORITIES.map((pr) => (
                <td key={pr}>
                  <input
                    inputMode="numeric"
                    aria-label={`${wordFor('sla.metric.', m)}, ${wordFor('ticket.priority.', pr)} (${t('sla.min')})`}
                    value={p.targets[m]?.[pr] ?? ''}
                    placeholder="—"
                    onInput={(e) => change(m, pr, e.currentTarget.value)}
                    data-testid={`sla-target-${m}-${pr}`}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EscalationRow({ e, set, remove, i }: { e: Escalation; set: (e: Escalation) => void; remove: () => void; i: number }) {
  return (
    <div class="sla-escalation" data-testid="sla-escalation">
      <label class="field">
        <span class="field-label">{t('sla.colMetric')}</span>
        <select value={e.metric} onChange={(ev) => set({ ...e, metric: ev.currentTarget.value as SlaMetric })}>
          {METRICS.map((m) => <option key={m} value={m}>{wordFor('sla.metric.', m)}</option>)}
        </select>
      </label>
      <label class="field">
        <span class="field-label">{t('sla.whenLabel')}</span>
        <select value={e.when} onChange={(ev) => set({ ...e, when: ev.currentTarget.value as Escalation['when'] })}>
          <option value="at_risk">{t('sla.state.at_risk')}</option>
          <option value="breached">{t('sla.state.breached')}</option>
        </select>
      </label>
      <label class="field">
        <span class="field-label">{t('sla.actionLabel')}</span>
        <select value={e.action} onChange={(ev) => set({ ...e, action: ev.currentTarget.value as Action })} data-testid={`sla-action-${i}`}>
          {ACTIONS.map((a) => <option key={a} value={a}>{wordFor('sla.action.', a)}</option>)}
        </select>
      </label>
      {e.action === 'reassign_team' && (
        <label class="field">
          <span class="field-label">{t('sla.team')}</span>
          <input inputMode="numeric" value={e.team ?? ''} onInput={(ev) => set({ ...e, team: Number(ev.currentTarget.value) || undefined })} />
        </label>
      )}
      <button type="button" class="btn btn-secondary btn-sm" onClick={remove} aria-label={t('sla.removeEscalation', { n: i + 1 })}>
        {t('sla.remove')}
      </button>
    </div>
  );
}

function PolicyForm({ initial, onDone }: { initial: SlaPolicy; onDone: (saved: boolean) => void }) {
  const [p, setP] = useState<SlaPolicy>(initial);
  const [tags, setTags] = useState(initial.when.tags.join(', '));
  const { busy, error, run } = useSubmit((err) => errorText(err));
  async function save(ev: Event) {
    ev.preventDefault();
    const id = p.id;
    const body = strip(p);
    const payload = { ...body, when: { ...p.when, tags: tags.split(',').map((x) => x.trim()).filter(Boolean) } };
    const ok = await run(async () => {
      if (id) await api.put(`/sla-policies/${id}`, payload);
      else await api.post('/sla-policies', payload);
    });
    if (ok) {
      toast(t('sla.saved'), 'success');
      onDone(true);
    }
  }
  const togglePriority = (pr: Priority) =>
    setP({ ...p, when: { ...p.when, priorities: p.when.priorities.includes(pr) ? p.when.priorities.filter((x) => x !== pr) : [...p.when.priorities, pr] } });
  return (
    <form class="card form-section" onSubmit={save} aria-labelledby="sla-form-title" noValidate data-testid="sla-form">
      <h2 id="sla-form-title">{p.id ? t('sla.edit') : t('sla.new')}</h2>
      <ErrorNotice error={error} testid="sla-error" />
      <label class="field">
        <span class="field-label">{t('sla.name')}</span>
        <input value={p.name} maxLength={100} required onInput={(e) => setP({ ...p, name: e.currentTarget.value })} data-testid="sla-name" />
      </label>
      <fieldset class="field">
        <legend class="field-label">{t('sla.priorities')}</legend>
        <div class="sla-inline">
          {PRIORITIES.map((pr) => (
            <label key={pr} class="checkbox">
              <input type="checkbox" checked={p.when.priorities.includes(pr)} onChange={() => togglePriority(pr)} /> {wordFor('ticket.priority.', pr)}
            </label>
          ))}
        </div>
        <span class="field-hint">{t('sla.prioritiesHint')}</span>
      </fieldset>
      <label class="field">
        <span class="field-label">{t('sla.tags')}</span>
        <input value={tags} onInput={(e) => setTags(e.currentTarget.value)} placeholder="vip, billing" />
      </label>
      <h3 class="subheading">{t('sla.targets')}</h3>
      <p class="muted small">{t('sla.targetsHint')}</p>
      <TargetsTable p={p} set={setP} />
      <label class="checkbox sla-check">
        <input type="checkbox" checked={p.hours === 'business'} onChange={(e) => setP({ ...p, hours: e.currentTarget.checked ? 'business' : 'calendar' })} data-testid="sla-business" />
        <span>{t('sla.businessHours')}</span>
      </label>
      <div class="sla-inline">
        <label class="field">
          <span class="field-label">{t('sla.atRiskPercent')}</span>
          <input inputMode="numeric" value={p.at_risk.percent} onInput={(e) => setP({ ...p, at_risk: { ...p.at_risk, percent: Number(e.currentTarget.value) || 0 } })} />
        </label>
        <label class="field">
          <span class="field-label">{t('sla.atRiskMinutes')}</span>
          <input inputMode="numeric" value={p.at_risk.minutes} onInput={(e) => setP({ ...p, at_risk: { ...p.at_risk, minutes: Number(e.currentTarget.value) || 0 } })} />
        </label>
      </div>
      <h3 class="subheading">{t('sla.escalations')}</h3>
      {p.escalations.map((e, i) => (
        <EscalationRow
          key={i}
          i={i}
          e={e}
          set={(x) => setP({ ...p, escalations: p.escalations.map((y, j) => (j === i ? x : y)) })}
          remove={() => setP({ ...p, escalations: p.escalations.filter((_, j) => j !== i) })}
        />
      ))}
      <button type="button" class="btn btn-secondary btn-sm" onClick={() => setP({ ...p, escalations: [...p.escalations, { metric: 'first_response', when: 'breached', action: 'notify_supervisor' }] })}>
        {t('sla.addEscalation')}
      </button>
      <div class="form-actions">
        <button type="button" class="btn btn-secondary" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="sla-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

function AutomationForm({ initial }: { initial: Automation }) {
  const [a, setA] = useState(initial);
  const { busy, error, run } = useSubmit((err) => errorText(err));
  const days = (key: 'pending_reminder_after_days' | 'pending_close_after_days' | 'solved_close_after_days', label: StringKey) => (
    <label class="field">
      <span class="field-label">{t(label)}</span>
      <input
        inputMode="numeric"
        value={a[key] ?? ''}
        placeholder={t('sla.off')}
        onInput={(e) => setA({ ...a, [key]: e.currentTarget.value.trim() === '' ? null : Number(e.currentTarget.value) })}
        data-testid={`sla-${key}`}
      />
    </label>
  );
  async function save(ev: Event) {
    ev.preventDefault();
    if (await run(async () => setA(await api.put<Automation>('/sla-settings', a)))) toast(t('sla.saved'), 'success');
  }
  return (
    <form class="card form-section" onSubmit={save} aria-labelledby="sla-auto-title" noValidate>
      <h2 id="sla-auto-title">{t('sla.automation')}</h2>
      <p class="muted small">{t('sla.automationHint')}</p>
      <ErrorNotice error={error} />
      <div class="sla-inline">
        {days('pending_reminder_after_days', 'sla.pendingReminder')}
        {days('pending_close_after_days', 'sla.pendingClose')}
        {days('solved_close_after_days', 'sla.solvedClose')}
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

export function SlaPolicies() {
  const [policies, setPolicies] = useState<SlaPolicy[] | null>(null);
  const [automation, setAutomation] = useState<Automation | null>(null);
  const [editing, setEditing] = useState<SlaPolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api
      .get<{ policies: SlaPolicy[]; automation: Automation }>('/sla-policies')
      .then((r) => {
        setPolicies(r.policies);
        setAutomation(r.automation);
      })
      .catch((err) => !(err instanceof ApiError && err.status === 401) && setError(errorText(err)));
  useEffect(() => {
    void load();
  }, []);
  const act = (work: () => Promise<unknown>) => work().then(load, (err) => setError(errorText(err)));
  return (
    <div class="settings-content settings-wide" data-testid="sla-page">
      <SettingsHeader title={t('sla.title')} subtitle={t('sla.subtitle')}>
        {!editing && (
          <button type="button" class="btn btn-primary" onClick={() => setEditing(blank())} data-testid="sla-new">
            {t('sla.new')}
          </button>
        )}
      </SettingsHeader>
      <ErrorNotice error={error} />
      {editing ? (
        <PolicyForm
          initial={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) void load();
          }}
        />
      ) : (
        <section class="card form-section" aria-labelledby="sla-list-title">
          <h2 id="sla-list-title">{t('sla.policies')}</h2>
          <p class="muted small">{t('sla.orderHint')}</p>
          {!policies ? (
            <p class="muted">{t('common.loading')}</p>
          ) : policies.length === 0 ? (
            <p class="muted" data-testid="sla-empty">{t('sla.noPolicies')}</p>
          ) : (
            <div class="table-scroll">
              <table class="table" data-testid="sla-list">
                <TableHead cols={['#', t('sla.name'), t('sla.conditions')]} actions />
                <tbody>
                  {policies.map((p, i) => (
                    <tr key={p.id}>
                      <td>{i + 1}</td>
                      <td>{p.name}</td>
                      <td class="muted small">{summary(p)}</td>
                      <td class="row-actions">
                        {i > 0 && (
                          <button type="button" class="btn btn-ghost btn-sm" aria-label={t('sla.moveUp', { name: p.name })} onClick={() => act(() => api.put(`/sla-policies/${p.id}`, { ...strip(p), position: i - 1 }))}>
                            ↑
                          </button>
                        )}
                        <button type="button" class="btn btn-secondary btn-sm" onClick={() => setEditing(p)} aria-label={t('sla.editNamed', { name: p.name })}>
                          {t('sla.editShort')}
                        </button>
                        <button type="button" class="btn btn-ghost btn-sm" onClick={() => act(() => api.del(`/sla-policies/${p.id}`))} aria-label={t('sla.deleteNamed', { name: p.name })}>
                          {t('sla.delete')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {!editing && automation && <AutomationForm initial={automation} />}
    </div>
  );
}

/** The policy as the server takes it: without its id, position and time. */
function strip(p: SlaPolicy) {
  const { id: _id, position: _p, updated_at: _u, ...rest } = p;
  void _id;
  void _p;
  void _u;
  return rest;
}
