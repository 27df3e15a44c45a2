// The complaint playbook in the conversation view (R7, seed 003): the suggestion
// when the emotional-peak detector fired, the "Mark as complaint" action, and the
// checklist — eight steps in the seed's words, each a checkbox (Space ticks it,
// Tab moves on) showing who ticked it and when, with progress, category,
// resolve, reopen and withdraw.
import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import type { StringKey } from '../i18n/en';
import { fmtDateTime, fmtTime } from '../i18n';
import { toastError } from '../store';
import { IconAlert, IconCheckCircle, IconChevronRight, IconRotate, IconX } from '../components/Icons';
import {
  CATEGORIES,
  markComplaint,
  reopenComplaint,
  resolveComplaint,
  tickStep,
  useComplaint,
  withdrawComplaint,
  type Complaint,
  type ComplaintStep,
} from './state';
import './complaints.css';

/** Runs an action, toasting its error; `busy` while it runs. */
function useAction() {
  const [busy, setBusy] = useState(false);
  async function run(work: () => Promise<void>) {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }
  return { busy, run };
}

export function categoryLabel(c: string | null): string {
  if (!c) return t('complaint.noCategory');
  const key = `complaint.cat.${c}` as StringKey;
  const s = t(key);
  return s === key ? c : s;
}

/** "Mark as complaint" in the conversation's toolbar, while it is none. */
export function ComplaintAction({ convId }: { convId: number }) {
  const state = useComplaint(convId);
  const { busy, run } = useAction();
  if (!state || state.complaint) return null;
  return (
    <button
      type="button"
      class="btn btn-secondary btn-sm complaint-mark"
      onClick={() => run(() => markComplaint(convId))}
      disabled={busy}
      title={t('complaint.mark')}
      data-testid="complaint-mark"
      data-rank="1"
    >
      <IconAlert size={15} />
      <span class="desk-btn-label">{t('complaint.mark')}</span>
    </button>
  );
}

const PHONE = '(max-width: 720px)';

/** The suggestion banner or the checklist, under the conversation's header. */
export function ComplaintPanel({ convId }: { convId: number }) {
  const state = useComplaint(convId);
  // Seen without a complaint: one that appears now was just marked here, and opens.
  const sawNone = useRef<number | null>(null);
  if (state && !state.complaint) sawNone.current = convId;
  if (!state) return null;
  if (state.complaint) return <Checklist key={convId} convId={convId} c={state.complaint} justMarked={sawNone.current === convId} />;
  if (state.complaint_suggested) return <Suggestion convId={convId} />;
  return null;
}

function Suggestion({ convId }: { convId: number }) {
  const { busy, run } = useAction();
  return (
    <section class="complaint-suggest" role="region" aria-label={t('complaint.title')} data-testid="complaint-suggestion">
      <IconAlert size={16} />
      <p>
        <strong>{t('complaint.suggestTitle')}</strong> {t('complaint.suggestText')}
      </p>
      <div class="complaint-suggest-actions">
        <button type="button" class="btn btn-primary btn-sm" disabled={busy} onClick={() => run(() => markComplaint(convId))} data-testid="complaint-treat">
          {t('complaint.treat')}
        </button>
        <button type="button" class="btn btn-secondary btn-sm" disabled={busy} onClick={() => run(() => withdrawComplaint(convId, t('complaint.dismissReason')))} data-testid="complaint-dismiss">
          {t('complaint.dismiss')}
        </button>
      </div>
    </section>
  );
}

/**
 * Open while the complaint is, except on a phone, where the eight steps would leave
 * no room for the conversation: there it starts folded (its progress in view) unless
 * the agent has just marked it.
 */
function Checklist({ convId, c, justMarked }: { convId: number; c: Complaint; justMarked: boolean }) {
  const resolved = c.status === 'resolved';
  const [open, setOpen] = useState(() => !resolved && (justMarked || !window.matchMedia?.(PHONE).matches));
  const [withdrawing, setWithdrawing] = useState(false);
  const { busy, run } = useAction();
  const pct = Math.round((c.progress.done / c.progress.total) * 100);
  const listId = `complaint-steps-${convId}`;
  return (
    <section class={'complaint-panel' + (resolved ? ' is-resolved' : '')} aria-labelledby={`complaint-title-${convId}`} data-testid="complaint-panel">
      <header class="complaint-head">
        <button type="button" class="complaint-toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)} title={open ? t('complaint.collapse') : t('complaint.expand')}>
          <IconChevronRight size={14} class={open ? 'is-open' : ''} />
          <span id={`complaint-title-${convId}`} class="complaint-title">
            {t('complaint.title')}
          </span>
        </button>
        <span class={'complaint-status ' + (resolved ? 'is-resolved' : 'is-open')} data-testid="complaint-status">
          {t(resolved ? 'complaint.status.resolved' : 'complaint.status.open')}
        </span>
        <div class="complaint-progress" role="progressbar" aria-label={t('complaint.progressLabel')} aria-valuemin={0} aria-valuemax={c.progress.total} aria-valuenow={c.progress.done}>
          <span class="complaint-bar">
            <span style={{ width: pct + '%' }} />
          </span>
          <span class="complaint-count" data-testid="complaint-progress">
            {t('complaint.progress', { done: String(c.progress.done), total: String(c.progress.total) })}
          </span>
        </div>
        <label class="complaint-category">
          <span class="sr-only">{t('complaint.category')}</span>
          <select value={c.category ?? ''} disabled={busy} onChange={(e) => run(() => markComplaint(convId, (e.target as HTMLSelectElement).value || null))} data-testid="complaint-category">
            {!c.category && <option value="">{t('complaint.noCategory')}</option>}
            {[...CATEGORIES, ...(c.category && !(CATEGORIES as readonly string[]).includes(c.category) ? [c.category] : [])].map((k) => (
              <option key={k} value={k}>
                {categoryLabel(k)}
              </option>
            ))}
          </select>
        </label>
      </header>
      {open && (
        <div class="complaint-body" id={listId}>
          <p class="complaint-gift muted small">{t('complaint.gift')}</p>
          <ol class="complaint-steps" aria-label={t('complaint.steps')}>
            {c.steps.map((s, i) => (
              <Step key={s.key} n={i + 1} step={s} onTick={(done) => run(() => tickStep(convId, s.key, done))} />
            ))}
          </ol>
          <footer class="complaint-foot">
            <p class="muted small" data-testid="complaint-resolution">
              {resolved
                ? c.resolution === 'steps'
                  ? t('complaint.resolvedSteps')
                  : t('complaint.resolvedBy', { name: c.resolved_by?.name ?? '' })
                : t('complaint.resolveHint')}
            </p>
            <div class="complaint-actions">
              {resolved ? (
                <button type="button" class="btn btn-secondary btn-sm" disabled={busy} onClick={() => run(() => reopenComplaint(convId))} data-testid="complaint-reopen">
                  <IconRotate size={14} />
                  {t('complaint.reopen')}
                </button>
              ) : (
                <button type="button" class="btn btn-success btn-sm" disabled={busy} onClick={() => run(() => resolveComplaint(convId))} data-testid="complaint-resolve">
                  <IconCheckCircle size={14} />
                  {t('complaint.resolve')}
                </button>
              )}
              <button type="button" class="btn btn-ghost btn-sm" disabled={busy} onClick={() => setWithdrawing(!withdrawing)} aria-expanded={withdrawing} data-testid="complaint-withdraw">
                <IconX size={14} />
                {t('complaint.withdraw')}
              </button>
            </div>
            {withdrawing && <WithdrawForm busy={busy} onWithdraw={(reason) => run(() => withdrawComplaint(convId, reason))} onCancel={() => setWithdrawing(false)} />}
          </footer>
        </div>
      )}
    </section>
  );
}

function Step({ n, step, onTick }: { n: number; step: ComplaintStep; onTick: (done: boolean) => void }) {
  const id = `complaint-step-${step.key}`;
  const who =
    step.by && step.at != null
      ? t(step.done ? 'complaint.doneBy' : 'complaint.undoneBy', { name: step.by.name, time: fmtTime(step.at) })
      : null;
  return (
    <li class={'complaint-step' + (step.done ? ' is-done' : '')} data-testid="complaint-step" data-step={step.key}>
      <input type="checkbox" id={id} checked={step.done} onChange={(e) => onTick((e.target as HTMLInputElement).checked)} />
      <label for={id}>
        <span class="complaint-step-n" aria-hidden="true">
          {n}.
        </span>{' '}
        {t(`complaint.step.${step.key}` as StringKey)}
      </label>
      {who && (
        <span class="complaint-who" title={step.at != null ? fmtDateTime(step.at) : undefined} data-testid="complaint-who">
          {who}
        </span>
      )}
      {step.note && <span class="complaint-note">{step.note}</span>}
    </li>
  );
}

function WithdrawForm({ busy, onWithdraw, onCancel }: { busy: boolean; onWithdraw: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  return (
    <form
      class="complaint-withdraw"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) onWithdraw(reason.trim());
      }}
    >
      <label class="field-label" for="complaint-reason">
        {t('complaint.withdrawReason')}
      </label>
      <div class="complaint-withdraw-row">
        <input id="complaint-reason" value={reason} maxLength={500} required onInput={(e) => setReason((e.target as HTMLInputElement).value)} data-testid="complaint-reason" />
        <button type="submit" class="btn btn-secondary btn-sm complaint-danger" disabled={busy || !reason.trim()}>
          {t('complaint.withdrawConfirm')}
        </button>
        <button type="button" class="btn btn-secondary btn-sm" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
