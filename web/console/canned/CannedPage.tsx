// Canned answers: every agent's page for their own answers, where supervisors and admins
// also keep the workspace's and the teams'. Search (the server's, as the picker), a scope
// filter, uses per variant; the form writes the variants with a live preview on sample
// values, the ticket fields a predefined answer sets, the files sent with it (CannedFiles),
// and shows each refusal at its field (422; 409: the shortcut is taken in that scope).
// Supervisors and admins open an answer's effect: which variant did better (CannedEffect).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { LANGS, t } from '../i18n';
import { errorText, isStaff, toast, useStore } from '../store';
import { loadRouting } from '../agentdesk';
import { ErrorNotice, FieldError, FormActions, FormCardHeader, SettingsHeader, useSubmit } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { IconPaperclip, IconPlus, IconSearch, IconX } from '../components/Icons';
import { PRIORITIES, STATUSES } from '../tickets/data';
import type { TicketPriority, TicketStatus } from '../types';
import {
  MAX_VARIANTS,
  SCOPES,
  VARIABLES,
  cannedFieldErrors,
  createCanned,
  deleteCanned,
  listCanned,
  noEndpoint,
  pieces,
  unknownVariables,
  updateCanned,
  type CannedAnswer,
  type CannedBody,
  type CannedScope,
} from './cannedApi';
import { SCOPE_LABEL, actionsText } from './CannedPicker';
import { CannedFiles, fileIds, filesOf, type FileDraft } from './CannedFiles';
import { CannedEffect } from './CannedEffect';
import './canned.css';

type Filter = 'all' | CannedScope;

interface Draft {
  id: number | null;
  scope: CannedScope;
  team_id: number | null;
  language: string;
  shortcut: string;
  title: string;
  variants: { key: number; text: string }[];
  status: TicketStatus | '';
  priority: TicketPriority | '';
  tags: string;
  files: FileDraft[];
}

let nextKey = 1;

function draftOf(a: CannedAnswer | null): Draft {
  if (!a) return { id: null, scope: 'personal', team_id: null, language: '', shortcut: '', title: '', variants: [{ key: nextKey++, text: '' }], status: '', priority: '', tags: '', files: [] };
  return {
    id: a.id,
    scope: a.scope,
    team_id: a.team_id,
    language: a.language,
    shortcut: a.shortcut,
    title: a.title,
    variants: a.variants.map((v) => ({ key: nextKey++, text: v.text })),
    status: a.actions?.status ?? '',
    priority: a.actions?.priority ?? '',
    tags: (a.actions?.tags ?? []).join(', '),
    files: filesOf(a.attachments),
  };
}

function bodyOf(d: Draft): CannedBody {
  const tags = d.tags
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return {
    scope: d.scope,
    team_id: d.scope === 'team' ? d.team_id : null,
    language: d.language,
    shortcut: d.shortcut.trim().replace(/^\//, ''),
    title: d.title.trim(),
    variants: d.variants.map((v) => v.text),
    actions: { ...(d.status ? { status: d.status } : {}), ...(d.priority ? { priority: d.priority } : {}), ...(tags.length ? { tags } : {}) },
    attachment_ids: fileIds(d.files),
  };
}

const langName = (code: string) => (code ? LANGS.find((l) => l.code === code)?.name ?? code : t('canned.anyLanguage'));

export function CannedPage() {
  const me = useStore((s) => s.me);
  const staff = useStore((s) => isStaff(s.me));
  const teams = useStore((s) => s.routing?.teams ?? []);
  const [answers, setAnswers] = useState<CannedAnswer[] | null>(null);
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [editing, setEditing] = useState<Draft | null>(null);
  const [removing, setRemoving] = useState<CannedAnswer | null>(null);
  /** The answer whose effect is shown (supervisors and admins). */
  const [effectOf, setEffectOf] = useState<CannedAnswer | null>(null);
  const seq = useRef(0);

  async function load(query = q) {
    const mine = ++seq.current;
    try {
      const list = await listCanned(query.trim());
      if (mine !== seq.current) return;
      setAnswers(list);
      setError(null);
    } catch (err) {
      if (mine !== seq.current) return;
      if (noEndpoint(err)) setMissing(true);
      else if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
      setAnswers([]);
    }
  }

  useEffect(() => {
    void loadRouting();
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => void load(q), q ? 200 : 0);
    return () => clearTimeout(timer);
  }, [q]);

  const shown = (answers ?? []).filter((a) => filter === 'all' || a.scope === filter);
  const teamName = (id: number | null) => teams.find((x) => x.id === id)?.name ?? (id != null ? `#${id}` : '');

  function openForm(d: Draft) {
    setEffectOf(null);
    setEditing(d);
    requestAnimationFrame(() => document.getElementById('canned-form-title')?.focus());
  }

  return (
    <main class="settings-pane" data-testid="canned-page">
      <div class="settings-content canned-page">
        <SettingsHeader title={t('canned.title')} subtitle={t('canned.subtitle')}>
          {!editing && !missing && (
            <button type="button" class="btn btn-primary" onClick={() => openForm(draftOf(null))} data-testid="canned-new">
              <IconPlus size={16} />
              {t('canned.new')}
            </button>
          )}
        </SettingsHeader>
        {missing ? (
          <p class="notice notice-warn" data-testid="canned-unavailable">
            {t('canned.unavailable')}
          </p>
        ) : (
          <>
            {effectOf && !editing && (
              <CannedEffect
                key={effectOf.id}
                answer={effectOf}
                onClose={() => {
                  const id = effectOf.id;
                  setEffectOf(null);
                  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="canned-row"][data-id="${id}"] [data-testid="canned-effect-open"]`)?.focus());
                }}
              />
            )}
            {editing && (
              <CannedForm
                key={editing.id ?? 'new'}
                draft={editing}
                staff={staff}
                teams={teams}
                agentName={me?.name ?? ''}
                onCancel={() => setEditing(null)}
                onSaved={(a) => {
                  setEditing(null);
                  toast(t('canned.saved', { shortcut: a.shortcut }), 'success');
                  void load();
                }}
              />
            )}
            <div class="canned-tools">
              <label class="canned-search">
                <IconSearch size={16} />
                <span class="sr-only">{t('canned.search')}</span>
                <input type="search" value={q} placeholder={t('canned.searchPlaceholder')} onInput={(e) => setQ(e.currentTarget.value)} data-testid="canned-search" />
              </label>
              <div class="segmented canned-filter" role="group" aria-label={t('canned.filterLabel')}>
                {(['all', ...SCOPES] as Filter[]).map((f) => (
                  <button
                    type="button"
                    key={f}
                    class={'segmented-item' + (filter === f ? ' is-active' : '')}
                    aria-pressed={filter === f}
                    onClick={() => setFilter(f)}
                    data-testid={'canned-filter-' + f}
                  >
                    {f === 'all' ? t('canned.filter.all') : t(SCOPE_LABEL[f])}
                  </button>
                ))}
              </div>
            </div>
            <ErrorNotice error={error} />
            <div class="card">
              {!answers ? (
                <p class="card-state">{t('common.loading')}</p>
              ) : shown.length === 0 ? (
                <p class="card-state" data-testid="canned-empty">
                  {q || filter !== 'all' ? t('canned.noMatch') : t('canned.empty')}
                </p>
              ) : (
                <ul class="canned-list" data-testid="canned-list">
                  {shown.map((a) => (
                    <CannedRow
                      key={a.id}
                      a={a}
                      team={teamName(a.team_id)}
                      onEdit={() => openForm(draftOf(a))}
                      onDelete={() => setRemoving(a)}
                      onEffect={
                        staff
                          ? () => {
                              setEditing(null);
                              setEffectOf(a);
                            }
                          : undefined
                      }
                    />
                  ))}
                </ul>
              )}
            </div>
          </>
        )}
        {removing && (
          <ConfirmDialog
            title={t('canned.deleteTitle')}
            testid="canned-delete-dialog"
            text={t('canned.deleteText', { shortcut: removing.shortcut, title: removing.title })}
            confirm={t('canned.delete')}
            confirmTestid="canned-delete-confirm"
            onClose={() => setRemoving(null)}
            action={async () => {
              await deleteCanned(removing.id);
              if (editing?.id === removing.id) setEditing(null);
              if (effectOf?.id === removing.id) setEffectOf(null);
              setRemoving(null);
              toast(t('canned.deleted'), 'success');
              await load();
            }}
          />
        )}
      </div>
    </main>
  );
}

function CannedRow({ a, team, onEdit, onDelete, onEffect }: { a: CannedAnswer; team: string; onEdit: () => void; onDelete: () => void; onEffect?: () => void }) {
  const first = a.variants[0]?.text ?? '';
  const acts = actionsText(a.actions ?? {});
  const files = a.attachments ?? [];
  return (
    <li class="canned-item" data-testid="canned-row" data-id={a.id} data-shortcut={a.shortcut} data-scope={a.scope}>
      <div class="canned-item-main">
        <div class="canned-item-head">
          <span class="canned-shortcut">/{a.shortcut}</span>
          <span class="canned-item-title">{a.title}</span>
        </div>
        <p class="canned-item-text">{first}</p>
        <p class="canned-item-meta">
          <span class="canned-uses" title={t('canned.usesPerVariant')} data-testid="canned-uses">
            {t('canned.uses', { n: a.uses })}
            {a.variants.length > 1 && <span class="canned-uses-split"> ({a.variants.map((v) => v.uses).join(' · ')})</span>}
          </span>
          {acts && <span class="canned-item-sets">{t('canned.sets', { fields: acts })}</span>}
          {files.length > 0 && (
            <span class="canned-item-files" title={files.map((f) => f.name).join(', ')} data-testid="canned-row-files">
              <IconPaperclip size={13} />
              {t('canned.nFiles', { n: files.length })}
            </span>
          )}
        </p>
      </div>
      <div class="canned-item-side">
        <span class="canned-badges">
          <span class={'canned-badge canned-scope canned-scope-' + a.scope}>{a.scope === 'team' && team ? `${t(SCOPE_LABEL.team)}: ${team}` : t(SCOPE_LABEL[a.scope])}</span>
          <span class="canned-badge">{langName(a.language)}</span>
          {a.variants.length > 1 && <span class="canned-badge">{t('canned.variantsBadge', { n: a.variants.length })}</span>}
        </span>
        <span class="canned-item-actions">
          {onEffect && (
            <button type="button" class="btn btn-ghost btn-sm" onClick={onEffect} aria-label={t('canned.effectNamed', { shortcut: a.shortcut })} data-testid="canned-effect-open">
              {t('canned.effect')}
            </button>
          )}
          {a.editable ? (
            <>
              <button type="button" class="btn btn-ghost btn-sm" onClick={onEdit} aria-label={t('canned.editNamed', { shortcut: a.shortcut })} data-testid="canned-edit">
                {t('common.edit')}
              </button>
              <button type="button" class="btn btn-ghost btn-sm" onClick={onDelete} aria-label={t('canned.deleteNamed', { shortcut: a.shortcut })} data-testid="canned-delete">
                {t('canned.delete')}
              </button>
            </>
          ) : (
            <span class="muted small canned-read-only">{t('canned.readOnly')}</span>
          )}
        </span>
      </div>
    </li>
  );
}

// ---- the form --------------------------------------------------------------------------------

/** The preview's values: a sample customer, and the agent who writes. */
function sampleValues(agentName: string): Record<string, string> {
  const first = (s: string) => s.split(' ')[0] ?? s;
  return {
    'contact.name': 'Giulia Bianchi',
    'contact.first_name': 'Giulia',
    'contact.email': 'giulia.bianchi@example.com',
    'contact.phone': '+39 333 123 4567',
    'agent.name': agentName,
    'agent.first_name': first(agentName),
    'inbox.name': t('canned.sample.inbox'),
    'inbox.hours_today': '09:00–18:00',
    'workspace.name': 'Switchboard',
    'conversation.id': '1042',
    'ticket.subject': t('canned.sample.subject'),
  };
}

/** A variant with the sample values, each value marked; unknown variables in red. */
function Preview({ text, values }: { text: string; values: Record<string, string> }) {
  return (
    <p class="canned-preview-text" data-testid="canned-preview">
      {pieces(text).map((p, i) => {
        if ('text' in p) return p.text;
        const known = VARIABLES.includes(p.name as (typeof VARIABLES)[number]) || p.name.startsWith('ticket.custom.');
        if (!known)
          return (
            <mark key={i} class="canned-var canned-var-bad">
              {p.raw}
            </mark>
          );
        const v = p.name.startsWith('ticket.custom.') ? `‹${p.name.slice(14)}›` : values[p.name] || p.fallback;
        return (
          <mark key={i} class="canned-var" title={p.raw}>
            {v}
          </mark>
        );
      })}
    </p>
  );
}

function CannedForm({
  draft,
  staff,
  teams,
  agentName,
  onCancel,
  onSaved,
}: {
  draft: Draft;
  staff: boolean;
  teams: { id: number; name: string }[];
  agentName: string;
  onCancel: () => void;
  onSaved: (a: CannedAnswer) => void;
}) {
  const [d, setD] = useState<Draft>(draft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [focus, setFocus] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const carets = useRef<Record<number, number>>({});
  const { busy, error, run } = useSubmit((err) => (Object.keys(cannedFieldErrors(err)).length ? null : errorText(err)));
  const isNew = d.id == null;
  const values = sampleValues(agentName);
  const scopes: CannedScope[] = staff ? SCOPES : ['personal'];
  // A personal answer an agent is editing keeps its scope; the choice is the staff's.
  const canChooseScope = staff;

  function set(patch: Partial<Draft>) {
    setD((x) => ({ ...x, ...patch }));
  }
  function clearError(...keys: string[]) {
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e;
      const n = { ...e };
      for (const k of keys) delete n[k];
      return n;
    });
  }
  function setVariant(i: number, text: string) {
    set({ variants: d.variants.map((v, j) => (j === i ? { ...v, text } : v)) });
    clearError(`variants[${i}]`, 'variants');
  }
  function addVariant() {
    if (d.variants.length >= MAX_VARIANTS) return;
    const key = nextKey++;
    set({ variants: [...d.variants, { key, text: '' }] });
    setFocus(d.variants.length);
    requestAnimationFrame(() => document.getElementById(`canned-variant-${key}`)?.focus());
  }
  function removeVariant(i: number) {
    if (d.variants.length <= 1) return;
    set({ variants: d.variants.filter((_, j) => j !== i) });
    setFocus((f) => Math.max(0, Math.min(f, d.variants.length - 2)));
    // The server's messages name variants by position: they no longer fit.
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('variants['))));
  }
  function insertVariable(name: string) {
    const i = Math.min(focus, d.variants.length - 1);
    const v = d.variants[i];
    const token = `{{${name}}}`;
    const at = Math.min(carets.current[v.key] ?? v.text.length, v.text.length);
    setVariant(i, v.text.slice(0, at) + token + v.text.slice(at));
    const caret = at + token.length;
    carets.current[v.key] = caret;
    requestAnimationFrame(() => {
      const el = document.getElementById(`canned-variant-${v.key}`) as HTMLTextAreaElement | null;
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (d.files.some((f) => !f.att && !f.error)) return; // Save waits for the uploads
    setErrors({});
    await run(async () => {
      try {
        const body = bodyOf(d);
        const saved = isNew ? await createCanned(body) : await updateCanned(d.id!, body);
        onSaved(saved);
      } catch (err) {
        const fields = cannedFieldErrors(err);
        // 409: the shortcut is taken in that scope (said in the console's language).
        if (err instanceof ApiError && err.status === 409) fields.shortcut = t('canned.shortcutTaken');
        setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.charAt(0).toUpperCase() + v.slice(1)])));
        // The first field refused takes the focus (and comes into view).
        // A refused file: its row's remove button.
        requestAnimationFrame(() =>
          (form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current?.querySelector<HTMLElement>('.canned-file.is-failed [data-testid="canned-file-remove"]'))?.focus(),
        );
        throw err;
      }
    });
  }

  const err = (k: string) => <FieldError id={'canned-' + k.replace(/[^a-z0-9]+/gi, '-') + '-err'} error={errors[k]} testid={'canned-error-' + k} />;
  const placed = new Set(['scope', 'team_id', 'language', 'shortcut', 'title', 'variants', 'actions', 'actions.status', 'actions.priority', 'actions.tags', ...d.variants.map((_, i) => `variants[${i}]`)]);
  const ready = fileIds(d.files).length;
  const fileError = (k: string) => k === 'attachment_ids' || (/^attachment_ids\[(\d+)\]$/.test(k) && Number(k.slice(15, -1)) < ready);
  const other = Object.entries(errors).filter(([k]) => !placed.has(k) && !fileError(k));
  const uploading = d.files.some((f) => !f.att && !f.error);
  const cur = d.variants[Math.min(focus, d.variants.length - 1)];

  return (
    <form ref={form} class="card form-card canned-form" onSubmit={submit} data-testid="canned-form" aria-labelledby="canned-form-title" noValidate>
      <FormCardHeader id="canned-form-title" headingRef={heading} onCancel={onCancel}>
        {isNew ? t('canned.new') : t('canned.edit')}
      </FormCardHeader>
      <div class="form-grid">
        <label class="field">
          <span class="field-label">{t('canned.shortcut')}</span>
          <span class="canned-shortcut-input">
            <span aria-hidden="true">/</span>
            <input
              type="text"
              class="mono"
              value={d.shortcut}
              maxLength={41}
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => {
                set({ shortcut: e.currentTarget.value });
                clearError('shortcut');
              }}
              aria-invalid={errors.shortcut ? true : undefined}
              aria-describedby="canned-shortcut-err canned-shortcut-hint"
              data-testid="canned-shortcut"
            />
          </span>
          <span class="field-hint" id="canned-shortcut-hint">
            {t('canned.shortcutHint')}
          </span>
          {err('shortcut')}
        </label>
        <label class="field">
          <span class="field-label">{t('canned.titleField')}</span>
          <input
            type="text"
            value={d.title}
            maxLength={120}
            onInput={(e) => {
              set({ title: e.currentTarget.value });
              clearError('title');
            }}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby="canned-title-err"
            data-testid="canned-title"
          />
          {err('title')}
        </label>
        {canChooseScope ? (
          <fieldset class="field">
            <legend class="field-label">{t('canned.scope')}</legend>
            <div class="canned-scopes" role="radiogroup">
              {scopes.map((s) => (
                <label key={s} class={'canned-scope-choice' + (d.scope === s ? ' is-active' : '')}>
                  <input
                    type="radio"
                    name="canned-scope"
                    value={s}
                    checked={d.scope === s}
                    onChange={() => {
                      set({ scope: s, team_id: s === 'team' ? d.team_id ?? teams[0]?.id ?? null : d.team_id });
                      clearError('scope', 'team_id');
                    }}
                    data-testid={'canned-scope-' + s}
                  />
                  <span>{t(`canned.scopeOption.${s}` as const)}</span>
                </label>
              ))}
            </div>
            <span class="field-hint">{t(`canned.scopeHint.${d.scope}` as const)}</span>
            {err('scope')}
          </fieldset>
        ) : (
          <div class="field">
            <span class="field-label">{t('canned.scope')}</span>
            <span class="field-hint canned-personal-note">{t('canned.personalOnly')}</span>
          </div>
        )}
        {d.scope === 'team' ? (
          <label class="field">
            <span class="field-label">{t('canned.team')}</span>
            <select
              value={d.team_id ?? ''}
              onChange={(e) => {
                set({ team_id: e.currentTarget.value ? Number(e.currentTarget.value) : null });
                clearError('team_id');
              }}
              aria-invalid={errors.team_id ? true : undefined}
              aria-describedby="canned-team-id-err"
              data-testid="canned-team"
            >
              <option value="">{t('canned.chooseTeam')}</option>
              {teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
            {!teams.length && <span class="field-hint">{t('canned.noTeams')}</span>}
            {err('team_id')}
          </label>
        ) : null}
        <label class="field">
          <span class="field-label">{t('canned.language')}</span>
          <select
            value={d.language}
            onChange={(e) => {
              set({ language: e.currentTarget.value });
              clearError('language');
            }}
            aria-invalid={errors.language ? true : undefined}
            aria-describedby="canned-language-err canned-language-hint"
            data-testid="canned-language"
          >
            <option value="">{t('canned.anyLanguage')}</option>
            {LANGS.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
          <span class="field-hint" id="canned-language-hint">
            {t('canned.languageHint')}
          </span>
          {err('language')}
        </label>
      </div>

      <fieldset class="field canned-variants">
        <legend class="field-label">{t('canned.variants')}</legend>
        <span class="field-hint">{t('canned.variantsHint')}</span>
        {err('variants')}
        <ol class="canned-variant-list">
          {d.variants.map((v, i) => {
            const unknown = unknownVariables(v.text);
            const key = `variants[${i}]`;
            return (
              <li key={v.key} class={'canned-variant-row' + (i === focus ? ' is-focused' : '')} data-testid="canned-variant-row">
                <label class="field-label" for={`canned-variant-${v.key}`}>
                  {t('canned.variant', { n: i + 1 })}
                </label>
                <div class="canned-variant-edit">
                  <textarea
                    id={`canned-variant-${v.key}`}
                    rows={3}
                    value={v.text}
                    maxLength={5000}
                    onInput={(e) => {
                      carets.current[v.key] = e.currentTarget.selectionStart ?? 0;
                      setVariant(i, e.currentTarget.value);
                    }}
                    onFocus={() => setFocus(i)}
                    onKeyUp={(e) => (carets.current[v.key] = e.currentTarget.selectionStart ?? 0)}
                    onClick={(e) => (carets.current[v.key] = e.currentTarget.selectionStart ?? 0)}
                    aria-invalid={errors[key] ? true : undefined}
                    aria-describedby={`canned-variants-${i}--err`}
                    data-testid="canned-variant-text"
                  />
                  {d.variants.length > 1 && (
                    <button type="button" class="icon-button" onClick={() => removeVariant(i)} aria-label={t('canned.removeVariant', { n: i + 1 })} data-testid="canned-variant-remove">
                      <IconX size={16} />
                    </button>
                  )}
                </div>
                {unknown.length > 0 && !errors[key] && <span class="field-error">{t('canned.unknownVariable', { names: unknown.map((n) => `{{${n}}}`).join(', ') })}</span>}
                {err(key)}
              </li>
            );
          })}
        </ol>
        {d.variants.length < MAX_VARIANTS && (
          <button type="button" class="btn btn-ghost btn-sm canned-add-variant" onClick={addVariant} data-testid="canned-variant-add">
            <IconPlus size={14} />
            {t('canned.addVariant')}
          </button>
        )}
      </fieldset>

      <div class="canned-vars">
        <span class="field-label">{t('canned.variables')}</span>
        <span class="canned-var-buttons">
          {VARIABLES.map((name) => (
            <button type="button" key={name} class="canned-var-button" onMouseDown={(e) => e.preventDefault()} onClick={() => insertVariable(name)} data-testid="canned-insert-var">
              {`{{${name}}}`}
            </button>
          ))}
        </span>
        <span class="field-hint">{t('canned.variablesHint')}</span>
      </div>

      <section class="canned-preview" aria-live="polite">
        <h3 class="field-label">
          {t('canned.preview')} · {t('canned.variant', { n: Math.min(focus, d.variants.length - 1) + 1 })}
        </h3>
        {cur?.text.trim() ? <Preview text={cur.text} values={values} /> : <p class="muted small">{t('canned.previewEmpty')}</p>}
        <p class="field-hint">{t('canned.previewHint')}</p>
      </section>

      <CannedFiles
        files={d.files}
        update={(f) => setD((x) => ({ ...x, files: f(x.files) }))}
        errors={errors}
        onChanged={() => setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('attachment_ids'))))}
      />

      <fieldset class="field canned-actions">
        <legend class="field-label">{t('canned.actions')}</legend>
        <span class="field-hint">{t('canned.actionsHint')}</span>
        {err('actions')}
        <div class="canned-actions-grid">
          <label class="field">
            <span class="field-label">{t('canned.action.status')}</span>
            <select
              value={d.status}
              onChange={(e) => {
                set({ status: e.currentTarget.value as TicketStatus | '' });
                clearError('actions.status');
              }}
              data-testid="canned-action-status"
            >
              <option value="">{t('canned.noChange')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`ticket.status.${s}` as const)}
                </option>
              ))}
            </select>
            {err('actions.status')}
          </label>
          <label class="field">
            <span class="field-label">{t('canned.action.priority')}</span>
            <select
              value={d.priority}
              onChange={(e) => {
                set({ priority: e.currentTarget.value as TicketPriority | '' });
                clearError('actions.priority');
              }}
              data-testid="canned-action-priority"
            >
              <option value="">{t('canned.noChange')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`ticket.priority.${p}` as const)}
                </option>
              ))}
            </select>
            {err('actions.priority')}
          </label>
          <label class="field">
            <span class="field-label">{t('canned.action.tags')}</span>
            <input
              type="text"
              value={d.tags}
              onInput={(e) => {
                set({ tags: e.currentTarget.value });
                clearError('actions.tags');
              }}
              aria-describedby="canned-tags-hint"
              data-testid="canned-action-tags"
            />
            <span class="field-hint" id="canned-tags-hint">
              {t('canned.tagsHint')}
            </span>
            {err('actions.tags')}
          </label>
        </div>
      </fieldset>

      {other.length > 0 && <ErrorNotice error={other.map(([k, v]) => `${k}: ${v}`).join('; ')} />}
      <ErrorNotice error={error} />
      {uploading && (
        <p class="field-hint canned-wait" role="status">
          {t('canned.waitUploads')}
        </p>
      )}
      <FormActions onCancel={onCancel} disabled={busy || uploading} testid="canned-save">
        {busy ? t('common.saving') : t('common.save')}
      </FormActions>
    </form>
  );
}
