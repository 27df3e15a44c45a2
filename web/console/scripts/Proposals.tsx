// The proposals: supervisors see everyone's, agents their own; the pending ones first.
// Each shows what it would change — for a change to a script, its texts against the
// script's as they are now (kept, reworded word by word, added, retired) and any new
// title, situation or language — the proposer's note, and once reviewed, who decided and
// why. A supervisor approves or rejects a pending one with a note (409: someone else
// already did; the list is read again).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fmtDateTime, t } from '../i18n';
import { errorText, toast, useStore } from '../store';
import { ErrorNotice } from '../components/Common';
import {
  activeVariants,
  listProposals,
  listScripts,
  reviewProposal,
  situationName,
  variantChanges,
  wordDiff,
  type Proposal,
  type ProposalStatus,
  type Script,
} from './scriptsApi';
import { ScriptText, langName } from './parts';

type Filter = 'all' | ProposalStatus;
const FILTERS: Filter[] = ['all', 'pending', 'approved', 'rejected'];
const ORDER: Record<ProposalStatus, number> = { pending: 0, approved: 1, rejected: 1 };

export function Proposals({ staff, onChanged }: { staff: boolean; onChanged: () => void }) {
  const [proposals, setProposals] = useState<Proposal[] | null>(null);
  const [scripts, setScripts] = useState<Script[]>([]);
  const [filter, setFilter] = useState<Filter | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  async function load() {
    const mine = ++seq.current;
    try {
      const [p, s] = await Promise.all([listProposals(), listScripts()]);
      if (mine !== seq.current) return;
      setProposals(p);
      setScripts(s);
      // Until the agent chooses: what waits for a review, if anything does (and it stays so once reviewed).
      setFilter((f) => f ?? (p.some((x) => x.status === 'pending') ? 'pending' : 'all'));
      setError(null);
    } catch (err) {
      if (mine !== seq.current) return;
      if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
      setProposals([]);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const all = [...(proposals ?? [])].sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.created_at - a.created_at);
  const count = (f: Filter) => all.filter((p) => f === 'all' || p.status === f).length;
  const current: Filter = filter ?? 'all';
  const shown = all.filter((p) => current === 'all' || p.status === current);

  return (
    <>
      <p class="muted small script-proposals-hint">{staff ? t('scripts.proposalsHint') : t('scripts.myProposalsHint')}</p>
      <div class="segmented script-filter-bar" role="group" aria-label={t('canned.filterLabel')}>
        {FILTERS.map((f) => (
          <button type="button" key={f} class={'segmented-item' + (current === f ? ' is-active' : '')} aria-pressed={current === f} onClick={() => setFilter(f)} data-testid={'proposals-filter-' + f}>
            {f === 'all' ? t('canned.filter.all') : t(`scripts.status.${f}` as const)}
            {proposals && <span class="script-count">{count(f)}</span>}
          </button>
        ))}
      </div>
      <ErrorNotice error={error} />
      {!proposals ? (
        <p class="card card-state">{t('common.loading')}</p>
      ) : shown.length === 0 ? (
        <p class="card card-state" data-testid="proposals-empty">
          {current === 'pending' ? t('scripts.noPending') : t('scripts.noProposals')}
        </p>
      ) : (
        <ul class="script-list">
          {shown.map((p) => (
            <ProposalCard
              key={p.id}
              p={p}
              script={p.script_id != null ? scripts.find((s) => s.id === p.script_id) ?? null : null}
              staff={staff}
              onReviewed={() => {
                onChanged();
                void load();
              }}
            />
          ))}
        </ul>
      )}
    </>
  );
}

function ProposalCard({ p, script, staff, onReviewed }: { p: Proposal; script: Script | null; staff: boolean; onReviewed: () => void }) {
  const agents = useStore((s) => s.agents);
  const me = useStore((s) => s.me);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = (id: number | null) => (id == null ? '' : id === me?.id ? t('scripts.you') : agents.find((a) => a.id === id)?.name ?? t('scripts.agentNumber', { id }));
  const pending = p.status === 'pending';
  // A supervisor's own edit is kept as a proposal approved at once, by them.
  const direct = p.status === 'approved' && p.reviewed_by === p.proposed_by && p.reviewed_at != null && p.reviewed_at - p.created_at < 5000;
  const edit = p.script_id != null;
  // Against the script as it is now: only while the proposal waits (once approved, it is the script).
  const compare = pending && edit && script;
  const changes = compare ? variantChanges(activeVariants(script).map((v) => v.text), p.variants) : null;
  const noteId = `proposal-note-${p.id}`;

  async function review(approve: boolean) {
    setBusy(approve ? 'approve' : 'reject');
    setError(null);
    try {
      await reviewProposal(p.id, approve, note);
      toast(approve ? t('scripts.approved') : t('scripts.rejected'), 'success');
      onReviewed();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        toast(t('scripts.alreadyReviewed'), 'info');
        onReviewed();
      } else setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <li class={'card script-card proposal-card is-' + p.status} data-testid="proposal-card" data-proposal={p.id} data-status={p.status}>
      <header class="script-card-head">
        <h3 class="script-card-title">
          {!pending ? `“${p.title}”` : edit ? t('scripts.changeTo', { title: script?.title ?? p.title }) : t('scripts.newScriptNamed', { title: p.title })}
        </h3>
        <span class={'proposal-status proposal-status-' + p.status} data-testid="proposal-status">
          {t(`scripts.status.${p.status}` as const)}
        </span>
      </header>
      <p class="proposal-meta muted small">
        {t(direct ? 'scripts.savedBy' : 'scripts.proposedBy', { name: name(p.proposed_by), when: fmtDateTime(p.created_at) })} · {situationName(p.situation)} · {langName(p.language)}
      </p>
      {pending && edit && !script && <p class="notice notice-warn small">{t('scripts.scriptGone')}</p>}
      {compare && (
        <ul class="proposal-fields">
          {p.title !== script.title && <FieldChange label={t('scripts.titleField')} before={script.title} after={p.title} />}
          {p.situation !== script.situation && <FieldChange label={t('scripts.situation')} before={situationName(script.situation)} after={situationName(p.situation)} />}
          {p.language !== script.language && <FieldChange label={t('scripts.language')} before={langName(script.language)} after={langName(p.language)} />}
        </ul>
      )}
      {changes ? (
        <ol class="proposal-diff" data-testid="proposal-diff" aria-label={t('scripts.diffLabel')}>
          {changes.map((c, i) => (
            <li key={i} class={'proposal-change is-' + c.kind} data-kind={c.kind}>
              <span class="proposal-change-kind">{t(`scripts.change.${c.kind}` as const)}</span>
              {c.kind === 'changed' ? (
                <p class="proposal-text">
                  {wordDiff(c.before!, c.after!).map((d, j) =>
                    d.kind === 'same' ? (
                      d.text
                    ) : d.kind === 'added' ? (
                      <ins key={j}>{d.text}</ins>
                    ) : (
                      <del key={j}>{d.text}</del>
                    ),
                  )}
                </p>
              ) : c.kind === 'retired' ? (
                <p class="proposal-text">
                  <del>{c.before}</del>
                </p>
              ) : (
                <p class="proposal-text">{c.kind === 'added' ? <ins>{c.after}</ins> : <ScriptText text={c.after!} />}</p>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <ol class="script-variants">
          {p.variants.map((text, i) => (
            <li key={i} class="script-variant">
              <span class="script-variant-n">{i + 1}</span>
              <p class="script-variant-text">
                <ScriptText text={text} />
              </p>
            </li>
          ))}
        </ol>
      )}
      {p.note && (
        <blockquote class="proposal-note" data-testid="proposal-note">
          <span class="field-label">{t('scripts.theirNote')}</span>
          {p.note}
        </blockquote>
      )}
      {!pending && !direct && (
        <p class="proposal-review muted small" data-testid="proposal-review">
          {t(p.status === 'approved' ? 'scripts.approvedBy' : 'scripts.rejectedBy', { name: name(p.reviewed_by), when: p.reviewed_at ? fmtDateTime(p.reviewed_at) : '' })}
          {p.review_note && <> — “{p.review_note}”</>}
        </p>
      )}
      {pending && staff && (
        <div class="proposal-actions">
          <label class="field-label" for={noteId}>
            {t('scripts.reviewNote', { name: name(p.proposed_by) })}
          </label>
          <div class="proposal-decide">
            <textarea id={noteId} rows={1} maxLength={1000} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="proposal-review-note" />
            <div class="proposal-buttons">
            <button type="button" class="btn btn-ghost" disabled={!!busy} onClick={() => void review(false)} data-testid="proposal-reject">
              {busy === 'reject' ? t('common.saving') : t('scripts.reject')}
            </button>
            <button type="button" class="btn btn-primary" disabled={!!busy} onClick={() => void review(true)} data-testid="proposal-approve">
              {busy === 'approve' ? t('common.saving') : t('scripts.approve')}
              </button>
            </div>
          </div>
          <ErrorNotice error={error} />
        </div>
      )}
    </li>
  );
}

function FieldChange({ label, before, after }: { label: string; before: string; after: string }) {
  return (
    <li>
      <span class="field-label">{label}</span> <del>{before}</del> → <ins>{after}</ins>
    </li>
  );
}
