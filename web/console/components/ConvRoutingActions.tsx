// Transfer and Hold for an open conversation: the toolbar buttons and their dialogs.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { holdConversation, loadRouting, transferConversation } from '../agentdesk';
import { errorText, loadAgents, toast, useStore } from '../store';
import type { Conversation } from '../types';
import { IconClock, IconUsers, IconX } from './Icons';
import { ErrorNotice, FormActions, useSubmit } from './Common';
import './agentdesk.css';

export function ConvRoutingActions({ conv }: { conv: Conversation }) {
  const [open, setOpen] = useState<'transfer' | 'hold' | null>(null);
  if (conv.status === 'closed') return null;
  return (
    <>
      <button type="button" class="btn btn-secondary btn-sm" onClick={() => setOpen('transfer')} data-testid="transfer-open" data-rank="4" aria-haspopup="dialog" title={t('conv.transfer')}>
        <IconUsers size={15} />
        <span class="desk-btn-label">{t('conv.transfer')}</span>
      </button>
      {conv.kind === 'chat' && (
        <button type="button" class="btn btn-secondary btn-sm" onClick={() => setOpen('hold')} data-testid="hold-open" data-rank="3" aria-haspopup="dialog" title={t('conv.hold')}>
          <IconClock size={15} />
          <span class="desk-btn-label">{t('conv.hold')}</span>
        </button>
      )}
      {open === 'transfer' && <TransferDialog conv={conv} onClose={() => setOpen(null)} />}
      {open === 'hold' && <HoldDialog conv={conv} onClose={() => setOpen(null)} />}
    </>
  );
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A modal dialog: focus moves in (first field) and back out on close; Tab stays inside; Esc closes. */
export function Dialog({ title, onClose, children, testid }: { title: string; onClose: () => void; children: ComponentChildren; testid: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useRef('dlg-' + Math.random().toString(36).slice(2, 8)).current;
  // Layout effect: focus is inside before the dialog is painted, so an Escape pressed as soon as it shows closes it.
  useLayoutEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => prev?.focus?.();
  }, []);
  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    } else if (e.key === 'Tab' && ref.current) {
      const els = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null);
      if (!els.length) return;
      const i = els.indexOf(document.activeElement as HTMLElement);
      if (e.shiftKey && i <= 0) {
        e.preventDefault();
        els[els.length - 1].focus();
      } else if (!e.shiftKey && i === els.length - 1) {
        e.preventDefault();
        els[0].focus();
      }
    }
  }
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="modal desk-modal" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref} onKeyDown={onKeyDown} data-testid={testid}>
        <header class="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" class="icon-button" onClick={onClose} aria-label={t('common.close')}>
            <IconX />
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

/**
 * A dialog's submit: busy while `action` runs; then its success toast and the dialog closes,
 * or the dialog stays open with the error (a 409 names an agent at capacity: pick someone else).
 */
function useDialogSubmit(onClose: () => void) {
  const submit = useSubmit(errorText);
  const run = (action: () => Promise<string>) =>
    submit.run(async () => {
      toast(await action(), 'success');
      onClose();
    });
  return { ...submit, run };
}

function TransferDialog({ conv, onClose }: { conv: Conversation; onClose: () => void }) {
  const agents = useStore((s) => s.agents);
  const me = useStore((s) => s.me);
  const routing = useStore((s) => s.routing);
  const [mode, setMode] = useState<'agent' | 'team'>('agent');
  const [agentId, setAgentId] = useState('');
  const [teamId, setTeamId] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, setError, run } = useDialogSubmit(onClose);

  useEffect(() => {
    void loadAgents();
    void loadRouting(true);
  }, []);

  const candidates = agents.filter((a) => a.id !== me?.id && a.id !== conv.assignee?.id);
  const teams = routing?.teams ?? [];
  const target = mode === 'agent' ? agentId : teamId;

  async function submit(e: Event) {
    e.preventDefault();
    if (!target || busy) return;
    await run(async () => {
      await transferConversation(conv.id, mode === 'agent' ? { agent_id: Number(agentId) } : { team_id: Number(teamId) }, note);
      const name = mode === 'agent' ? agents.find((a) => a.id === Number(agentId))?.name : teams.find((x) => x.id === Number(teamId))?.name;
      return t('transfer.done', { name: name ?? '' });
    });
  }

  return (
    <Dialog title={t('transfer.title')} onClose={onClose} testid="transfer-dialog">
      <form onSubmit={submit} class="desk-form">
        <fieldset class="field">
          <legend class="field-label">{t('transfer.to')}</legend>
          <div class="segmented desk-segmented" role="radiogroup" aria-label={t('transfer.to')}>
            {(['agent', 'team'] as const).map((m) => (
              <label key={m} class={'segmented-item' + (mode === m ? ' is-active' : '')}>
                <input
                  type="radio"
                  name="transfer-mode"
                  value={m}
                  class="sr-only"
                  checked={mode === m}
                  onChange={() => {
                    setMode(m);
                    setError('');
                  }}
                  data-testid={'transfer-mode-' + m}
                />
                {t(m === 'agent' ? 'transfer.agent' : 'transfer.team')}
              </label>
            ))}
          </div>
        </fieldset>
        {mode === 'agent' ? (
          <div class="field">
            <label class="field-label" for="transfer-agent">
              {t('transfer.pickAgent')}
            </label>
            <select id="transfer-agent" value={agentId} onChange={(e) => setAgentId(e.currentTarget.value)} data-testid="transfer-agent" data-autofocus required>
              <option value="">{t('transfer.choose')}</option>
              {candidates.map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {a.name} — {t(('status.' + (a.status || 'offline')) as 'status.online')}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div class="field">
            <label class="field-label" for="transfer-team">
              {t('transfer.pickTeam')}
            </label>
            {teams.length ? (
              <select id="transfer-team" value={teamId} onChange={(e) => setTeamId(e.currentTarget.value)} data-testid="transfer-team" data-autofocus required>
                <option value="">{t('transfer.choose')}</option>
                {teams.map((x) => (
                  <option key={x.id} value={String(x.id)}>
                    {x.name}
                  </option>
                ))}
              </select>
            ) : (
              <p class="field-hint">{t('transfer.noTeams')}</p>
            )}
          </div>
        )}
        <div class="field">
          <label class="field-label" for="transfer-note">
            {t('transfer.note')}
          </label>
          <textarea
            id="transfer-note"
            class="note-input"
            rows={3}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
            aria-describedby="transfer-note-hint"
            data-testid="transfer-note"
            maxLength={4000}
          />
          <span class="field-hint note-hint" id="transfer-note-hint">
            {t('transfer.noteHint')}
          </span>
        </div>
        <ErrorNotice error={error} testid="transfer-error" />
        <FormActions class="desk-actions" onCancel={onClose} disabled={!target || busy} testid="transfer-submit">
          {busy ? t('common.saving') : t('transfer.submit')}
        </FormActions>
      </form>
    </Dialog>
  );
}

function HoldDialog({ conv, onClose }: { conv: Conversation; onClose: () => void }) {
  const [message, setMessage] = useState('');
  const { busy, error, run } = useDialogSubmit(onClose);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    await run(async () => {
      await holdConversation(conv.id, message);
      return t('hold.done');
    });
  }

  return (
    <Dialog title={t('hold.title')} onClose={onClose} testid="hold-dialog">
      <form onSubmit={submit} class="desk-form">
        <div class="field">
          <label class="field-label" for="hold-message">
            {t('hold.message')}
          </label>
          <textarea
            id="hold-message"
            rows={3}
            value={message}
            placeholder={t('hold.placeholder')}
            onInput={(e) => setMessage(e.currentTarget.value)}
            aria-describedby="hold-hint"
            data-testid="hold-message"
            data-autofocus
            maxLength={2000}
          />
          <span class="field-hint" id="hold-hint">
            {t('hold.hint')}
          </span>
        </div>
        <ErrorNotice error={error} />
        <FormActions class="desk-actions" onCancel={onClose} disabled={busy} testid="hold-submit">
          {t('hold.submit')}
        </FormActions>
      </form>
    </Dialog>
  );
}
