// Scripts (P2): every agent's page of what to say in each situation, grouped by situation,
// with a language filter and each variant's uses. Agents propose a new script or a change
// (a supervisor reviews it); supervisors and admins edit and delete directly, review the
// proposals (their own tab) and open a script's effect (ScriptEffect.tsx).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { LANGS, t } from '../i18n';
import { errorText, isStaff, toast, useStore } from '../store';
import type { Route, ScriptsTab } from '../router';
import { ErrorNotice, SettingsHeader } from '../components/Common';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { IconPlus } from '../components/Icons';
import { noEndpoint } from '../canned/cannedApi';
import { PageLink, ScriptText, langName } from './parts';
import { ScriptForm, type FormMode } from './ScriptForm';
import { Proposals } from './Proposals';
import { ScriptEffect } from './ScriptEffect';
import { SITUATIONS, activeVariants, deleteScript, listProposals, listScripts, situationName, type Proposal, type Script, type Situation } from './scriptsApi';
import '../canned/canned.css';
import './scripts.css';

type Editing = { mode: FormMode; script: Script | null; situation?: Situation };

export function ScriptsPage({ route }: { route: Extract<Route, { section: 'scripts' }> }) {
  const staff = useStore((s) => isStaff(s.me));
  const tab: ScriptsTab = route.tab === 'effect' && (!staff || route.scriptId == null) ? 'list' : route.tab;
  const [pending, setPending] = useState<Proposal[] | null>(null);
  const [missing, setMissing] = useState(false);

  async function loadPending() {
    try {
      setPending(await listProposals('pending'));
    } catch (err) {
      if (noEndpoint(err)) setMissing(true);
      setPending([]);
    }
  }
  useEffect(() => {
    void loadPending();
  }, [tab]);

  const tabs: { tab: ScriptsTab; label: string; count?: number }[] = [
    { tab: 'list', label: t('scripts.tabScripts') },
    { tab: 'proposals', label: staff ? t('scripts.tabProposals') : t('scripts.tabMyProposals'), count: pending?.length || undefined },
  ];

  return (
    <main class="settings-pane">
      <div class="settings-content settings-wide canned-page scripts-page" data-testid="scripts-page" data-tab={tab}>
        <SettingsHeader title={t('scripts.title')} subtitle={t('scripts.subtitle')} />
        {missing ? (
          <p class="notice notice-warn" data-testid="scripts-unavailable">
            {t('scripts.unavailable')}
          </p>
        ) : (
          <>
            <nav class="script-tabs" aria-label={t('scripts.tabs')}>
              <ul class="segmented">
                {tabs.map((x) => (
                  <li key={x.tab}>
                    <PageLink
                      route={{ section: 'scripts', tab: x.tab, scriptId: null }}
                      class={'segmented-item' + (tab === x.tab || (x.tab === 'list' && tab === 'effect') ? ' is-active' : '')}
                      testid={'scripts-tab-' + x.tab}
                    >
                      {x.label}
                      {x.count != null && (
                        <span class="script-count script-tab-count" data-testid={'scripts-tab-count-' + x.tab}>
                          <span class="sr-only">{t('scripts.pendingCount', { n: x.count })}</span>
                          <span aria-hidden="true">{x.count}</span>
                        </span>
                      )}
                    </PageLink>
                  </li>
                ))}
              </ul>
            </nav>
            {tab === 'list' && <ScriptList staff={staff} pending={pending ?? []} onProposed={loadPending} />}
            {tab === 'proposals' && <Proposals staff={staff} onChanged={loadPending} />}
            {tab === 'effect' && route.scriptId != null && <ScriptEffect id={route.scriptId} />}
          </>
        )}
      </div>
    </main>
  );
}

function ScriptList({ staff, pending, onProposed }: { staff: boolean; pending: Proposal[]; onProposed: () => void }) {
  const [scripts, setScripts] = useState<Script[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lang, setLang] = useState('all');
  const [only, setOnly] = useState<'all' | Situation>('all');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [removing, setRemoving] = useState<Script | null>(null);
  const seq = useRef(0);

  async function load() {
    const mine = ++seq.current;
    try {
      const list = await listScripts();
      if (mine !== seq.current) return;
      setScripts(list);
      setError(null);
    } catch (err) {
      if (mine !== seq.current) return;
      if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
      setScripts([]);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  function open(e: Editing) {
    setEditing(e);
    const id = 'script-form-title-' + (e.script && e.mode !== 'propose' && e.mode !== 'create' ? e.script.id : 'new');
    requestAnimationFrame(() => {
      const h = document.getElementById(id);
      h?.scrollIntoView({ block: 'nearest' });
      (h?.closest('form')?.querySelector('input, select, textarea') as HTMLElement | null)?.focus();
    });
  }
  function saved(r: { script?: Script; proposal?: Proposal }) {
    setEditing(null);
    if (r.proposal) {
      toast(t('scripts.proposalSent'), 'success');
      onProposed();
    } else toast(t('scripts.saved', { title: r.script?.title ?? '' }), 'success');
    void load();
  }

  const shown = (scripts ?? []).filter((s) => lang === 'all' || s.language === '' || s.language === lang);
  const situations = SITUATIONS.filter((s) => only === 'all' || s === only);
  const newMode: FormMode = staff ? 'create' : 'propose';
  const form = (e: Editing) => (
    <ScriptForm
      key={e.mode + (e.script?.id ?? 'new')}
      mode={e.mode}
      script={e.script}
      situation={e.situation}
      language={lang !== 'all' ? lang : ''}
      onCancel={() => setEditing(null)}
      onSaved={saved}
    />
  );

  return (
    <>
      <div class="canned-tools script-tools">
        <label class="script-filter">
          <span class="field-label">{t('scripts.language')}</span>
          <select value={lang} onChange={(e) => setLang(e.currentTarget.value)} data-testid="scripts-language">
            <option value="all">{t('kb.allLanguages')}</option>
            {LANGS.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label class="script-filter">
          <span class="field-label">{t('scripts.situation')}</span>
          <select value={only} onChange={(e) => setOnly(e.currentTarget.value as 'all' | Situation)} data-testid="scripts-situation">
            <option value="all">{t('scripts.allSituations')}</option>
            {SITUATIONS.map((s) => (
              <option key={s} value={s}>
                {situationName(s)}
              </option>
            ))}
          </select>
        </label>
        <span class="script-spacer" />
        {!editing && (
          <button type="button" class="btn btn-primary" onClick={() => open({ mode: newMode, script: null, situation: only !== 'all' ? only : undefined })} data-testid="script-new">
            <IconPlus size={16} />
            {staff ? t('scripts.new') : t('scripts.proposeNew')}
          </button>
        )}
      </div>
      {lang !== 'all' && <p class="muted small script-lang-note">{t('scripts.languageFilterHint', { language: langName(lang) })}</p>}
      <ErrorNotice error={error} />
      {editing && (editing.mode === 'create' || editing.mode === 'propose') && form(editing)}
      {!scripts ? (
        <p class="card card-state">{t('common.loading')}</p>
      ) : (
        situations.map((sit) => {
          const list = shown.filter((s) => s.situation === sit);
          return (
            <section key={sit} class="script-group" aria-labelledby={'script-group-' + sit} data-testid="script-group" data-situation={sit}>
              <header class="script-group-head">
                <h2 id={'script-group-' + sit}>{situationName(sit)}</h2>
                <span class="script-count">{list.length}</span>
                <span class="muted small script-group-hint">{t(`scripts.when.${sit}` as const)}</span>
              </header>
              {list.length === 0 ? (
                <p class="card script-empty" data-testid="script-empty">
                  {t('scripts.emptySituation')}{' '}
                  <button type="button" class="script-link" onClick={() => open({ mode: newMode, script: null, situation: sit })} data-testid="script-new-here">
                    {staff ? t('scripts.writeOne') : t('scripts.proposeOne')}
                  </button>
                </p>
              ) : (
                <ul class="script-list">
                  {list.map((s) =>
                    editing && editing.script?.id === s.id && (editing.mode === 'edit' || editing.mode === 'propose-edit') ? (
                      <li key={s.id} class="script-card-editing">
                        {form(editing)}
                      </li>
                    ) : (
                      <ScriptCard
                        key={s.id}
                        s={s}
                        staff={staff}
                        waiting={pending.filter((p) => p.script_id === s.id).length}
                        onEdit={() => open({ mode: staff ? 'edit' : 'propose-edit', script: s })}
                        onDelete={() => setRemoving(s)}
                      />
                    ),
                  )}
                </ul>
              )}
            </section>
          );
        })
      )}
      {removing && (
        <ConfirmDialog
          title={t('scripts.deleteTitle')}
          testid="script-delete-dialog"
          text={t('scripts.deleteText', { title: removing.title })}
          confirm={t('canned.delete')}
          confirmTestid="script-delete-confirm"
          onClose={() => setRemoving(null)}
          action={async () => {
            await deleteScript(removing.id);
            if (editing?.script?.id === removing.id) setEditing(null);
            setRemoving(null);
            toast(t('scripts.deleted'), 'success');
            await load();
          }}
        />
      )}
    </>
  );
}

function ScriptCard({ s, staff, waiting, onEdit, onDelete }: { s: Script; staff: boolean; waiting: number; onEdit: () => void; onDelete: () => void }) {
  const active = activeVariants(s);
  const retired = s.variants.filter((v) => v.retired);
  const uses = s.variants.reduce((n, v) => n + v.uses, 0);
  return (
    <li class="card script-card" data-testid="script-card" data-script={s.id} data-title={s.title}>
      <header class="script-card-head">
        <h3 class="script-card-title">{s.title}</h3>
        <span class="canned-badges">
          <span class="canned-badge" data-testid="script-language">
            {langName(s.language)}
          </span>
          {active.length > 1 && <span class="canned-badge">{t('canned.variantsBadge', { n: active.length })}</span>}
        </span>
        <span class="script-card-actions">
          {staff ? (
            <>
              <PageLink route={{ section: 'scripts', tab: 'effect', scriptId: s.id }} class="btn btn-ghost btn-sm" testid="script-effect" label={t('scripts.effectNamed', { title: s.title })}>
                {t('scripts.effect')}
              </PageLink>
              <button type="button" class="btn btn-ghost btn-sm" onClick={onEdit} aria-label={t('scripts.editNamed', { title: s.title })} data-testid="script-edit">
                {t('common.edit')}
              </button>
              <button type="button" class="btn btn-ghost btn-sm" onClick={onDelete} aria-label={t('scripts.deleteNamed', { title: s.title })} data-testid="script-delete">
                {t('canned.delete')}
              </button>
            </>
          ) : (
            <button type="button" class="btn btn-ghost btn-sm" onClick={onEdit} aria-label={t('scripts.proposeChangeNamed', { title: s.title })} data-testid="script-propose">
              {t('scripts.proposeChange')}
            </button>
          )}
        </span>
      </header>
      <ol class="script-variants">
        {active.map((v) => (
          <li key={v.id} class="script-variant" data-testid="script-variant" data-variant={v.id}>
            <span class="script-variant-n" title={t('canned.variant', { n: v.id })}>
              {v.id}
            </span>
            <p class="script-variant-text">
              <ScriptText text={v.text} />
            </p>
            <span class="script-variant-meta">
              <span data-testid="script-variant-uses">{t('canned.uses', { n: v.uses })}</span>
              {s.offer === v.id && active.length > 1 && <span class="script-next">{t('scripts.offeredNext')}</span>}
            </span>
          </li>
        ))}
      </ol>
      <footer class="script-card-foot">
        <span class="muted small">{t('scripts.totalUses', { n: uses })}</span>
        {waiting > 0 && (
          <PageLink route={{ section: 'scripts', tab: 'proposals', scriptId: null }} class="script-waiting" testid="script-waiting">
            {staff ? t('scripts.waitingReview', { n: waiting }) : t('scripts.yourProposalWaits')}
          </PageLink>
        )}
        {retired.length > 0 && (
          <details class="script-retired">
            <summary>{t('scripts.retiredCount', { n: retired.length })}</summary>
            <ol class="script-variants">
              {retired.map((v) => (
                <li key={v.id} class="script-variant is-retired">
                  <span class="script-variant-n">{v.id}</span>
                  <p class="script-variant-text">
                    <ScriptText text={v.text} />
                  </p>
                  <span class="script-variant-meta">{t('canned.uses', { n: v.uses })}</span>
                </li>
              ))}
            </ol>
          </details>
        )}
      </footer>
    </li>
  );
}
