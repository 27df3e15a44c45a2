// The inbox form's routing section: auto-assign or offer, priority, team,
// skill rules and fallback delays. Controlled: the inbox form saves it with the rest.
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { LANG_CODES } from '../../shared/languages';
import { IconPlus, IconX } from '../components/Icons';
import { ErrorNotice, TableHead } from '../components/Common';
import { useCatalogue } from './routingApi';
import { DEFAULT_INBOX_ROUTING, type InboxRouting, type RoutingRule, type RuleWhen } from './routingTypes';

type FallbackKey = keyof InboxRouting['fallback'];
const FALLBACKS: FallbackKey[] = ['widen_skills_after_s', 'widen_team_after_s', 'overflow_after_s'];
const WHENS: RuleWhen[] = ['topic', 'language', 'url_contains'];

export function routingOf(inbox: { routing?: InboxRouting } | null): InboxRouting {
  const r = inbox?.routing;
  return {
    ...DEFAULT_INBOX_ROUTING,
    ...(r ?? {}),
    rules: r?.rules ?? [],
    fallback: { ...DEFAULT_INBOX_ROUTING.fallback, ...(r?.fallback ?? {}) },
  };
}

/** Form text for a number field; "" for null. */
const txt = (n: number | null) => (n == null ? '' : String(n));

/** The editor's text fields -> the wire shape; a message naming the field when one is not a number in range. */
export function routingFromForm(f: InboxRoutingForm): { routing?: InboxRouting; error?: string } {
  const int = (s: string, lo: number, hi: number) => {
    const n = Number(s);
    return s.trim() !== '' && Number.isInteger(n) && n >= lo && n <= hi ? n : null;
  };
  const timeout = int(f.offer_timeout_s, 5, 600);
  if (timeout == null) return { error: t('inboxRouting.timeoutInvalid') };
  const priority = int(f.priority, -100, 100);
  if (priority == null) return { error: t('inboxRouting.priorityInvalid') };
  const fallback = {} as InboxRouting['fallback'];
  for (const k of FALLBACKS) {
    if (f.fallback[k].trim() === '') fallback[k] = null;
    else {
      const n = int(f.fallback[k], 0, 86400);
      if (n == null) return { error: t('inboxRouting.delayInvalid', { field: t(('inboxRouting.' + k) as 'inboxRouting.widen_skills_after_s') }) };
      fallback[k] = n;
    }
  }
  for (const [i, r] of f.rules.entries()) {
    if (!r.value.trim() || !r.skill) return { error: t('inboxRouting.ruleIncomplete', { n: i + 1 }) };
  }
  return {
    routing: {
      mode: f.mode,
      offer_timeout_s: timeout,
      priority,
      team_id: f.team_id,
      rules: f.rules.map((r) => ({ ...r, value: r.value.trim() })),
      fallback,
    },
  };
}

export interface InboxRoutingForm {
  mode: InboxRouting['mode'];
  offer_timeout_s: string;
  priority: string;
  team_id: number | null;
  rules: RoutingRule[];
  fallback: Record<FallbackKey, string>;
}

export function routingForm(r: InboxRouting): InboxRoutingForm {
  return {
    mode: r.mode,
    offer_timeout_s: String(r.offer_timeout_s),
    priority: String(r.priority),
    team_id: r.team_id,
    rules: r.rules,
    fallback: {
      widen_skills_after_s: txt(r.fallback.widen_skills_after_s),
      widen_team_after_s: txt(r.fallback.widen_team_after_s),
      overflow_after_s: txt(r.fallback.overflow_after_s),
    },
  };
}

export function InboxRoutingSection({
  value,
  onChange,
  error,
  topics,
}: {
  value: InboxRoutingForm;
  onChange: (v: InboxRoutingForm) => void;
  error: string | null;
  topics: string[];
}) {
  const { catalogue } = useCatalogue();
  const [focusRule, setFocusRule] = useState(-1);
  const set = (patch: Partial<InboxRoutingForm>) => onChange({ ...value, ...patch });
  const setRule = (i: number, patch: Partial<RoutingRule>) => set({ rules: value.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const skills = catalogue?.skills ?? [];
  const teams = catalogue?.teams ?? [];

  function addRule() {
    set({ rules: [...value.rules, { when: 'topic', value: topics[0] ?? '', skill: skills[0]?.name ?? '', min_level: 1 }] });
    setFocusRule(value.rules.length);
  }

  return (
    <section class="card form-section" aria-labelledby="sec-routing" data-testid="inbox-routing">
      <h2 id="sec-routing">{t('inboxRouting.title')}</h2>
      <p class="muted small">{t('inboxRouting.hint')}</p>
      <ErrorNotice error={error} testid="inbox-routing-error" />
      <div class="form-grid">
        <fieldset class="field">
          <legend class="field-label">{t('inboxRouting.mode')}</legend>
          <div class="segmented segmented-inline">
            {(['auto', 'offer'] as const).map((m) => (
              <label key={m} class={'segmented-item' + (value.mode === m ? ' is-active' : '')} data-testid={'inbox-routing-mode-' + m}>
                <input type="radio" name="routing-mode" class="sr-only" checked={value.mode === m} onChange={() => set({ mode: m })} />
                {t(m === 'auto' ? 'inboxRouting.modeAuto' : 'inboxRouting.modeOffer')}
              </label>
            ))}
          </div>
          <span class="field-hint">{t(value.mode === 'auto' ? 'inboxRouting.modeAutoHint' : 'inboxRouting.modeOfferHint')}</span>
        </fieldset>
        <label class="field">
          <span class="field-label">{t('inboxRouting.offerTimeout')}</span>
          <input
            type="number"
            min={5}
            max={600}
            value={value.offer_timeout_s}
            disabled={value.mode !== 'offer'}
            onInput={(e) => set({ offer_timeout_s: e.currentTarget.value })}
            data-testid="inbox-routing-timeout"
          />
          <span class="field-hint">{t('inboxRouting.offerTimeoutHint')}</span>
        </label>
        <label class="field">
          <span class="field-label">{t('inboxRouting.priority')}</span>
          <input type="number" min={-100} max={100} value={value.priority} onInput={(e) => set({ priority: e.currentTarget.value })} data-testid="inbox-routing-priority" />
          <span class="field-hint">{t('inboxRouting.priorityHint')}</span>
        </label>
        <label class="field">
          <span class="field-label">{t('inboxRouting.team')}</span>
          <select
            value={value.team_id == null ? '' : String(value.team_id)}
            onChange={(e) => set({ team_id: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
            data-testid="inbox-routing-team"
          >
            <option value="">{t('inboxRouting.anyTeam')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={String(tm.id)}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
      </div>

      <h3 class="subheading">{t('inboxRouting.rules')}</h3>
      <p class="muted small">{t('inboxRouting.rulesHint')}</p>
      {value.rules.length > 0 && (
        <table class="table table-compact rules-table" data-testid="inbox-routing-rules">
          <TableHead cols={[t('inboxRouting.when'), t('inboxRouting.value'), t('inboxRouting.skill'), t('inboxRouting.minLevel')]} actions />
          <tbody>
            {value.rules.map((r, i) => {
              const n = i + 1;
              return (
                <tr key={i} data-testid="inbox-routing-rule">
                  <td>
                    <select
                      value={r.when}
                      aria-label={t('inboxRouting.ruleField', { n, field: t('inboxRouting.when') })}
                      onChange={(e) => setRule(i, { when: e.currentTarget.value as RuleWhen })}
                      ref={(el) => {
                        if (el && focusRule === i) {
                          el.focus();
                          setFocusRule(-1);
                        }
                      }}
                    >
                      {WHENS.map((w) => (
                        <option key={w} value={w}>
                          {t(('inboxRouting.when_' + w) as 'inboxRouting.when_topic')}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      value={r.value}
                      maxLength={200}
                      list={r.when === 'topic' ? 'routing-topics' : r.when === 'language' ? 'routing-langs' : undefined}
                      placeholder={r.when === 'language' ? 'it' : r.when === 'url_contains' ? '/billing' : ''}
                      aria-label={t('inboxRouting.ruleField', { n, field: t('inboxRouting.value') })}
                      onInput={(e) => setRule(i, { value: e.currentTarget.value })}
                    />
                  </td>
                  <td>
                    <select
                      value={r.skill}
                      aria-label={t('inboxRouting.ruleField', { n, field: t('inboxRouting.skill') })}
                      onChange={(e) => setRule(i, { skill: e.currentTarget.value })}
                    >
                      {!skills.some((s) => s.name === r.skill) && <option value={r.skill}>{r.skill || '—'}</option>}
                      {skills.map((s) => (
                        <option key={s.name} value={s.name}>
                          {s.label || s.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      value={String(r.min_level)}
                      aria-label={t('inboxRouting.ruleField', { n, field: t('inboxRouting.minLevel') })}
                      onChange={(e) => setRule(i, { min_level: Number(e.currentTarget.value) })}
                    >
                      {[1, 2, 3, 4, 5].map((l) => (
                        <option key={l} value={String(l)}>
                          {l}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td class="cell-actions">
                    <button
                      type="button"
                      class="icon-button"
                      onClick={() => set({ rules: value.rules.filter((_, j) => j !== i) })}
                      aria-label={t('inboxRouting.removeRule', { n })}
                      title={t('common.remove')}
                    >
                      <IconX size={15} />
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <datalist id="routing-topics">
        {topics.map((tp) => (
          <option key={tp} value={tp} />
        ))}
      </datalist>
      <datalist id="routing-langs">
        {LANG_CODES.map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
      <p>
        <button type="button" class="btn btn-secondary btn-sm" onClick={addRule} disabled={!skills.length} data-testid="inbox-routing-add-rule">
          <IconPlus size={14} />
          {t('inboxRouting.addRule')}
        </button>
        {catalogue && !skills.length && <span class="muted small"> {t('inboxRouting.noSkills')}</span>}
      </p>

      <h3 class="subheading">{t('inboxRouting.fallback')}</h3>
      <p class="muted small">{t('inboxRouting.fallbackHint')}</p>
      <div class="fallback-grid">
        {FALLBACKS.map((k) => (
          <label key={k} class="field">
            <span class="field-label">{t(('inboxRouting.' + k) as 'inboxRouting.widen_skills_after_s')}</span>
            <span class="input-unit">
              <input
                type="number"
                min={0}
                max={86400}
                value={value.fallback[k]}
                placeholder={t('inboxRouting.never')}
                onInput={(e) => set({ fallback: { ...value.fallback, [k]: e.currentTarget.value } })}
                data-testid={'inbox-routing-' + k}
              />
              <span class="unit" aria-hidden="true">
                s
              </span>
            </span>
          </label>
        ))}
      </div>
    </section>
  );
}
