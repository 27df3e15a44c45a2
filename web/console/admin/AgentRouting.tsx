// An agent's routing profile: skill levels 1-5 from the catalogue, parallel
// capacity per channel, teams. PUT /agents/:id/routing.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import type { Agent } from '../types';
import { ErrorNotice, FormActions, FormCardHeader, useSubmit } from '../components/Common';
import { channelName, useCatalogue } from './routingApi';
import { CHANNELS, DEFAULT_CAPACITY, type AgentRouting, type PerChannel } from './routingTypes';

export type RoutedAgent = Agent & { routing?: AgentRouting };

export function AgentRoutingForm({ agent, onCancel, onSaved }: { agent: RoutedAgent; onCancel: () => void; onSaved: (a: RoutedAgent) => void }) {
  const { catalogue } = useCatalogue();
  const orig = agent.routing;
  const [skills, setSkills] = useState<Record<string, number>>({ ...(orig?.skills ?? {}) });
  const [capacity, setCapacity] = useState<Record<string, string>>(() => {
    const c: PerChannel = { ...DEFAULT_CAPACITY, ...(orig?.capacity ?? {}) };
    return Object.fromEntries(CHANNELS.map((ch) => [ch, String(c[ch])]));
  });
  const [teams, setTeams] = useState<number[]>(orig?.teams ?? []);
  const { busy, error, setError, run } = useSubmit();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  // Skills the agent has that are no longer in the catalogue stay visible (and removable).
  const names = [...(catalogue?.skills.map((s) => s.name) ?? []), ...Object.keys(skills)].filter((n, i, a) => a.indexOf(n) === i);
  const labelOf = (n: string) => catalogue?.skills.find((s) => s.name === n)?.label || n;

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    const cap = {} as PerChannel;
    for (const ch of CHANNELS) {
      const n = Number(capacity[ch]);
      if (capacity[ch].trim() === '' || !Number.isInteger(n) || n < 0 || n > 100) {
        setError(t('agentRouting.capacityInvalid', { channel: channelName(ch) }));
        return;
      }
      cap[ch] = n;
    }
    await run(async () => {
      const saved = await api.put<RoutedAgent>(`/agents/${agent.id}/routing`, { skills, capacity: cap, teams });
      onSaved(saved && saved.id ? saved : { ...agent, routing: { skills, capacity: cap, teams } });
    });
  }

  return (
    <form class="card form-card" onSubmit={submit} data-testid="agent-routing-form" aria-labelledby="agent-routing-title" noValidate>
      <FormCardHeader id="agent-routing-title" headingRef={heading} onCancel={onCancel}>
        {t('agentRouting.title', { name: agent.name })}
      </FormCardHeader>
      <ErrorNotice error={error} testid="agent-routing-error" />
      <div class="routing-cols">
        <fieldset class="field">
          <legend class="field-label">{t('agentRouting.skills')}</legend>
          {!catalogue && <p class="muted small">{t('common.loading')}</p>}
          {catalogue && !names.length && <p class="muted small">{t('agentRouting.noSkills')}</p>}
          {names.length > 0 && (
            <ul class="level-list">
              {names.map((n) => (
                <li key={n}>
                  <label for={`skill-${agent.id}-${n}`} class="level-name">
                    {labelOf(n)} <code class="muted">{n}</code>
                  </label>
                  <select
                    id={`skill-${agent.id}-${n}`}
                    value={String(skills[n] ?? 0)}
                    onChange={(e) => {
                      const v = Number(e.currentTarget.value);
                      const next = { ...skills };
                      if (v) next[n] = v;
                      else delete next[n];
                      setSkills(next);
                    }}
                    data-testid={'agent-skill-' + n}
                  >
                    <option value="0">{t('agentRouting.noLevel')}</option>
                    {[1, 2, 3, 4, 5].map((l) => (
                      <option key={l} value={String(l)}>
                        {t('agentRouting.level', { n: l })}
                      </option>
                    ))}
                  </select>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <div>
          <fieldset class="field">
            <legend class="field-label">{t('agentRouting.capacity')}</legend>
            <p class="field-hint">{t('agentRouting.capacityHint')}</p>
            <div class="capacity-grid">
              {CHANNELS.map((ch) => (
                <label key={ch} class="field capacity-field">
                  <span class="field-label">{channelName(ch)}</span>
                  <input
                    type="number"
                    min={0}
                    max={100}
                    step={1}
                    inputMode="numeric"
                    value={capacity[ch]}
                    onInput={(e) => setCapacity({ ...capacity, [ch]: e.currentTarget.value })}
                    data-testid={'agent-capacity-' + ch}
                  />
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset class="field">
            <legend class="field-label">{t('agentRouting.teams')}</legend>
            {catalogue && !catalogue.teams.length && <p class="muted small">{t('agentRouting.noTeams')}</p>}
            <div class="checkbox-row">
              {catalogue?.teams.map((tm) => (
                <label key={tm.id} class="checkbox">
                  <input
                    type="checkbox"
                    checked={teams.includes(tm.id!)}
                    onChange={(e) => setTeams(e.currentTarget.checked ? [...teams, tm.id!] : teams.filter((x) => x !== tm.id))}
                    data-testid={'agent-team-' + tm.id}
                  />
                  {tm.name}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
      </div>
      <FormActions onCancel={onCancel} disabled={busy} testid="agent-routing-save">
        {busy ? t('common.saving') : t('common.save')}
      </FormActions>
    </form>
  );
}

/** One line for the agents table: "lang:it 4, billing 3 · Chat 2 · 1 team" */
export function routingSummary(r: AgentRouting | undefined): string {
  if (!r) return '';
  const sk = Object.entries(r.skills ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const chat = `${channelName('chat')} ${r.capacity?.chat ?? 0}`;
  const teams = r.teams?.length ? t('agentRouting.teamCount', { n: r.teams.length }) : '';
  return [sk, chat, teams].filter(Boolean).join(' · ');
}
