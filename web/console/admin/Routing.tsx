// Settings → Routing: the workspace's skills catalogue, teams and custom statuses.
// Edited locally, saved as a whole with PUT /routing (the server names a bad field).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { toast } from '../store';
import { IconPlus, IconX } from '../components/Icons';
import { ErrorNotice, onEnter, SettingsHeader, TableHead, useSubmit } from '../components/Common';
import { setCatalogue, useCatalogue } from './routingApi';
import { SKILL_NAME, type CustomStatus, type RoutingCatalogue, type Skill, type Team } from './routingTypes';

export function Routing() {
  const { catalogue, error: loadError, reload } = useCatalogue();
  const [draft, setDraft] = useState<RoutingCatalogue | null>(catalogue);
  const [dirty, setDirty] = useState(false);
  const { busy, error, setError, run } = useSubmit();
  const [skillName, setSkillName] = useState('');
  const [skillLabel, setSkillLabel] = useState('');
  const [teamName, setTeamName] = useState('');
  const [statusName, setStatusName] = useState('');

  useEffect(() => {
    if (catalogue && !dirty) setDraft(catalogue);
  }, [catalogue]);

  function edit(patch: Partial<RoutingCatalogue>) {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    setDirty(true);
  }

  const skillNameClean = skillName.trim().toLowerCase();
  const skillNameBad = skillNameClean !== '' && !SKILL_NAME.test(skillNameClean);
  const skillDup = !!draft?.skills.some((s) => s.name === skillNameClean);

  function addSkill() {
    if (!draft || !skillNameClean || skillNameBad || skillDup) return;
    edit({ skills: [...draft.skills, { name: skillNameClean, label: skillLabel.trim() || skillNameClean }] });
    setSkillName('');
    setSkillLabel('');
  }
  function addTeam() {
    const n = teamName.trim();
    if (!draft || !n) return;
    edit({ teams: [...draft.teams, { name: n }] });
    setTeamName('');
  }
  function addStatus() {
    const n = statusName.trim();
    if (!draft || !n) return;
    edit({ statuses: [...draft.statuses, { name: n, routable: false }] });
    setStatusName('');
  }

  async function save(e: Event) {
    e.preventDefault();
    if (!draft) return;
    setError(null);
    await run(async () => {
      const body: RoutingCatalogue = {
        skills: draft.skills.map((x) => ({ ...x, label: x.label.trim() || x.name })),
        teams: draft.teams.map((x) => ({ ...x, name: x.name.trim() })),
        statuses: draft.statuses.map((x) => ({ ...x, name: x.name.trim() })),
      };
      const saved = await api.put<RoutingCatalogue>('/routing', body);
      setCatalogue(saved);
      setDraft(saved);
      setDirty(false);
      toast(t('routing.saved'), 'success');
    });
  }

  return (
    <form class="settings-content inbox-form" onSubmit={save} data-testid="routing-form" noValidate>
      <SettingsHeader title={t('routing.title')} subtitle={t('routing.subtitle')} />
      {loadError && (
        <p class="notice notice-error" role="alert">
          {loadError}{' '}
          <button type="button" class="link-button" onClick={reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!draft && !loadError && <p class="muted">{t('common.loading')}</p>}
      <ErrorNotice error={error} testid="routing-error" />
      {draft && (
        <>
          <section class="card form-section" aria-labelledby="sec-skills">
            <h2 id="sec-skills">{t('routing.skills')}</h2>
            <p class="muted small">{t('routing.skillsHint')}</p>
            {draft.skills.length ? (
              <table class="table table-compact" data-testid="skill-list">
                <TableHead cols={[t('routing.skillName'), t('routing.skillLabel')]} actions />
                <tbody>
                  {draft.skills.map((s, i) => (
                    <tr key={s.name} data-testid="skill-row">
                      <td>
                        <code>{s.name}</code>
                      </td>
                      <td>
                        <input
                          value={s.label}
                          maxLength={60}
                          aria-label={t('routing.skillLabelFor', { name: s.name })}
                          onInput={(e) => edit({ skills: draft.skills.map((x, j): Skill => (j === i ? { ...x, label: e.currentTarget.value } : x)) })}
                        />
                      </td>
                      <td class="cell-actions">
                        <RemoveButton label={s.name} onClick={() => edit({ skills: draft.skills.filter((_, j) => j !== i) })} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted small">{t('routing.noSkills')}</p>
            )}
            <div class="add-row">
              <label class="field">
                <span class="field-label">{t('routing.skillName')}</span>
                <input
                  value={skillName}
                  placeholder="lang:it"
                  maxLength={40}
                  aria-invalid={skillNameBad || skillDup ? 'true' : undefined}
                  aria-describedby="skill-name-hint"
                  onInput={(e) => setSkillName(e.currentTarget.value)}
                  onKeyDown={onEnter(addSkill)}
                  data-testid="skill-name"
                />
              </label>
              <label class="field">
                <span class="field-label">{t('routing.skillLabel')}</span>
                <input
                  value={skillLabel}
                  placeholder={t('routing.skillLabelPlaceholder')}
                  maxLength={60}
                  onInput={(e) => setSkillLabel(e.currentTarget.value)}
                  onKeyDown={onEnter(addSkill)}
                  data-testid="skill-label"
                />
              </label>
              <button type="button" class="btn btn-secondary" onClick={addSkill} disabled={!skillNameClean || skillNameBad || skillDup} data-testid="skill-add">
                <IconPlus size={15} />
                {t('routing.addSkill')}
              </button>
            </div>
            <p id="skill-name-hint" class={skillNameBad || skillDup ? 'field-error' : 'field-hint'}>
              {skillDup ? t('routing.skillDuplicate') : t('routing.skillNameHint')}
            </p>
          </section>

          <section class="card form-section" aria-labelledby="sec-teams">
            <h2 id="sec-teams">{t('routing.teams')}</h2>
            <p class="muted small">{t('routing.teamsHint')}</p>
            {draft.teams.length ? (
              <ul class="edit-list" data-testid="team-list">
                {draft.teams.map((tm, i) => (
                  <li key={tm.id ?? 'new' + i} data-testid="team-row">
                    <input
                      value={tm.name}
                      maxLength={60}
                      aria-label={t('routing.teamName')}
                      onInput={(e) => edit({ teams: draft.teams.map((x, j): Team => (j === i ? { ...x, name: e.currentTarget.value } : x)) })}
                    />
                    <RemoveButton label={tm.name} onClick={() => edit({ teams: draft.teams.filter((_, j) => j !== i) })} />
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted small">{t('routing.noTeams')}</p>
            )}
            <InlineAdd value={teamName} onInput={setTeamName} onAdd={addTeam} label={t('routing.teamName')} placeholder={t('routing.teamPlaceholder')} testid="team">
              {t('routing.addTeam')}
            </InlineAdd>
          </section>

          <section class="card form-section" aria-labelledby="sec-statuses">
            <h2 id="sec-statuses">{t('routing.statuses')}</h2>
            <p class="muted small">{t('routing.statusesHint')}</p>
            {draft.statuses.length ? (
              <ul class="edit-list" data-testid="status-list">
                {draft.statuses.map((st, i) => (
                  <li key={st.id ?? 'new' + i} data-testid="status-row">
                    <input
                      value={st.name}
                      maxLength={60}
                      aria-label={t('routing.statusName')}
                      onInput={(e) =>
                        edit({ statuses: draft.statuses.map((x, j): CustomStatus => (j === i ? { ...x, name: e.currentTarget.value } : x)) })
                      }
                    />
                    <label class="switch">
                      <input
                        type="checkbox"
                        checked={st.routable}
                        onChange={(e) =>
                          edit({ statuses: draft.statuses.map((x, j): CustomStatus => (j === i ? { ...x, routable: e.currentTarget.checked } : x)) })
                        }
                      />
                      <span class="switch-track" aria-hidden="true" />
                      <span class="switch-label">{t('routing.routable')}</span>
                    </label>
                    <RemoveButton label={st.name} onClick={() => edit({ statuses: draft.statuses.filter((_, j) => j !== i) })} />
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted small">{t('routing.noStatuses')}</p>
            )}
            <InlineAdd
              value={statusName}
              onInput={setStatusName}
              onAdd={addStatus}
              label={t('routing.statusName')}
              placeholder={t('routing.statusPlaceholder')}
              testid="status"
            >
              {t('routing.addStatus')}
            </InlineAdd>
          </section>

          <footer class="form-actions form-actions-sticky">
            {error ? (
              <span class="field-error form-dirty" aria-hidden="true">
                {error}
              </span>
            ) : (
              dirty && <span class="muted small form-dirty">{t('routing.unsaved')}</span>
            )}
            <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="routing-save">
              {busy ? t('common.saving') : t('common.save')}
            </button>
          </footer>
        </>
      )}
    </form>
  );
}

/** A name field and its Add button below a list; `testid` names both ("team" → team-name, team-add). */
function InlineAdd({
  value,
  onInput,
  onAdd,
  label,
  placeholder,
  testid,
  children,
}: {
  value: string;
  onInput: (v: string) => void;
  onAdd: () => void;
  label: string;
  placeholder: string;
  testid: string;
  children: ComponentChildren;
}) {
  return (
    <div class="inline-add inline-add-fixed">
      <input
        value={value}
        maxLength={60}
        placeholder={placeholder}
        aria-label={label}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={onEnter(onAdd)}
        data-testid={testid + '-name'}
      />
      <button type="button" class="btn btn-secondary btn-sm" onClick={onAdd} disabled={!value.trim()} data-testid={testid + '-add'}>
        {children}
      </button>
    </div>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" class="icon-button" onClick={onClick} aria-label={`${t('common.remove')} ${label}`} title={t('common.remove')}>
      <IconX size={15} />
    </button>
  );
}
