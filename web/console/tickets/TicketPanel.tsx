// A ticket's properties beside its conversation, each saved as it changes:
// subject, status, priority, tags, assignee, team, custom fields, follow-up; and
// the merge and split dialogs. The server validates; its field errors show
// under the field they name.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fmtDateTime, t } from '../i18n';
import { useStore } from '../store';
import type { Conversation, TicketField, TicketStatus } from '../types';
import { ErrorNotice, FieldError, FormActions, useSubmit } from '../components/Common';
import { Dialog } from '../components/ConvRoutingActions';
import { SlaDetails } from '../components/SlaBadge';
import { IconClock, IconTicket, IconX } from '../components/Icons';
import { useCatalogue } from '../admin/routingApi';
import {
  cachedFields,
  changeError,
  chatToTicket,
  fieldErrors,
  fromLocalInput,
  loadFields,
  mergeTicket,
  onFields,
  openTicket,
  patchTicket,
  PRIORITIES,
  splitTicket,
  STATUSES,
  toLocalInput,
  type TicketPatch,
} from './data';

const HOUR = 3_600_000;

function useFields(): TicketField[] {
  const [fields, setFields] = useState<TicketField[]>(cachedFields() ?? []);
  useEffect(() => {
    const off = onFields(setFields);
    loadFields().then(setFields, () => undefined);
    return off;
  }, []);
  return fields;
}

/** `overlay`: the panel lies over the conversation (narrow screens): it takes the focus when
 * opened and Escape closes it, as a dialog would. */
export function TicketPanel({ id, onClose, overlay = false }: { id: number; onClose: () => void; overlay?: boolean }) {
  const conv = useStore((s) => s.convs[id]);
  const closeRef = useRef<HTMLButtonElement>(null);
  const loaded = !!conv?.ticket;
  useEffect(() => {
    if (overlay && loaded) closeRef.current?.focus();
  }, [overlay, loaded]);
  const agents = useStore((s) => s.agents);
  const me = useStore((s) => s.me);
  const { catalogue } = useCatalogue();
  const fields = useFields();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'merge' | 'split' | null>(null);
  // Bumped when a change is refused, so the selects show the stored values again.
  const [rev, setRev] = useState(0);

  if (!conv) return <aside class="ticket-panel" aria-busy="true" />;
  if (!conv.ticket)
    return (
      <aside class="ticket-panel" aria-label={t('tickets.properties')}>
        <p class="muted">{t('tickets.notATicket')}</p>
      </aside>
    );
  const tk = conv.ticket;
  const merged = tk.merged_into != null;
  const locked = merged || tk.status === 'closed';

  async function save(patch: TicketPatch) {
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await patchTicket(id, patch);
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(f);
      setRev((r) => r + 1);
      if (!Object.keys(f).length) setError(changeError(err));
    } finally {
      setBusy(false);
    }
  }

  const statuses: TicketStatus[] = STATUSES.filter((s) => s !== 'new' || tk.status === 'new');
  const err = (k: string) => <FieldError id={`tp-${k}-err`} error={errors[k]} testid={`tp-error-${k}`} />;

  return (
    <aside
      class="ticket-panel"
      aria-label={t('tickets.properties')}
      data-testid="ticket-panel"
      onKeyDown={(e) => {
        if (overlay && e.key === 'Escape' && !dialog) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header class="ticket-panel-head">
        <h2>{t('tickets.properties')}</h2>
        <button type="button" class="icon-button" ref={closeRef} onClick={onClose} aria-label={t('tickets.hideProperties')} title={t('tickets.hideProperties')}>
          <IconX size={16} />
        </button>
      </header>
      {merged && (
        <p class="notice notice-info" data-testid="merged-notice">
          {t('tickets.mergedInto', { number: tk.merged_into! })}{' '}
          <button type="button" class="link-button" onClick={() => openTicket(tk.merged_into!)}>
            {t('tickets.openTicket')}
          </button>
        </p>
      )}
      <ErrorNotice error={error} />
      <fieldset class="ticket-fields" disabled={busy || merged} aria-busy={busy ? 'true' : undefined}>
        <SubjectField conv={conv} onSave={(subject) => save({ subject })} />
        {err('subject')}
        <label class="field">
          <span class="field-label">{t('tickets.status')}</span>
          <select key={'status-' + rev} value={tk.status} disabled={locked} onChange={(e) => save({ status: e.currentTarget.value as TicketStatus })} data-testid="tp-status" aria-describedby="tp-status-err">
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`ticket.status.${s}` as const)}
              </option>
            ))}
          </select>
          {err('status')}
        </label>
        <label class="field">
          <span class="field-label">{t('tickets.priority')}</span>
          <select key={'priority-' + rev} value={tk.priority} disabled={locked} onChange={(e) => save({ priority: e.currentTarget.value as TicketPatch['priority'] })} data-testid="tp-priority">
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`ticket.priority.${p}` as const)}
              </option>
            ))}
          </select>
          {err('priority')}
        </label>
        <SlaDetails conv={conv} />
        <TagsField tags={tk.tags} disabled={locked} onSave={(tags) => save({ tags })} />
        {err('tags')}
        <label class="field">
          <span class="field-label">{t('tickets.assignee')}</span>
          <select
            value={conv.assignee ? String(conv.assignee.id) : ''}
            onChange={(e) => save({ assignee_id: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
            data-testid="tp-assignee"
          >
            <option value="">{t('tickets.nobody')}</option>
            {agents
              .filter((a) => a.active !== false || a.id === conv.assignee?.id)
              .map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {a.id === me?.id ? t('tickets.meNamed', { name: a.name }) : a.name}
                </option>
              ))}
          </select>
          {err('assignee_id')}
        </label>
        {(catalogue?.teams.length ?? 0) > 0 && (
          <label class="field">
            <span class="field-label">{t('tickets.team')}</span>
            <select value={conv.team_id != null ? String(conv.team_id) : ''} onChange={(e) => save({ team_id: e.currentTarget.value ? Number(e.currentTarget.value) : null })} data-testid="tp-team">
              <option value="">{t('tickets.noTeam')}</option>
              {catalogue!.teams.map((tm) => (
                <option key={tm.id} value={String(tm.id)}>
                  {tm.name}
                </option>
              ))}
            </select>
            {err('team_id')}
          </label>
        )}
        <FollowUpField at={tk.follow_up_at} onSave={(follow_up_at) => save({ follow_up_at })} />
        {err('follow_up_at')}
        {fields.map((f) => (
          <CustomField key={f.id} field={f} value={tk.custom_fields?.[f.key]} error={errors['custom_fields.' + f.key]} onSave={(v) => save({ custom_fields: { [f.key]: v } })} />
        ))}
      </fieldset>
      {!merged && (
        <div class="ticket-panel-actions">
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => setDialog('merge')} data-testid="tp-merge">
            {t('tickets.merge')}
          </button>
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => setDialog('split')} data-testid="tp-split">
            {t('tickets.split')}
          </button>
        </div>
      )}
      {dialog === 'merge' && <MergeDialog id={id} onClose={() => setDialog(null)} />}
      {dialog === 'split' && <SplitDialog id={id} onClose={() => setDialog(null)} />}
    </aside>
  );
}

function SubjectField({ conv, onSave }: { conv: Conversation; onSave: (s: string) => void }) {
  const [value, setValue] = useState(conv.subject);
  useEffect(() => setValue(conv.subject), [conv.subject]);
  const commit = () => {
    const v = value.trim();
    if (v && v !== conv.subject) onSave(v);
    else setValue(conv.subject);
  };
  return (
    <label class="field">
      <span class="field-label">{t('tickets.subject')}</span>
      <input
        type="text"
        value={value}
        maxLength={300}
        onInput={(e) => setValue(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commit())}
        data-testid="tp-subject"
        aria-describedby="tp-subject-err"
      />
    </label>
  );
}

function TagsField({ tags, disabled, onSave }: { tags: string[]; disabled: boolean; onSave: (tags: string[]) => void }) {
  const [draft, setDraft] = useState('');
  function add() {
    const v = draft.trim().toLowerCase();
    if (!v) return;
    setDraft('');
    if (!tags.includes(v)) onSave([...tags, v]);
  }
  return (
    <div class="field" role="group" aria-labelledby="tp-tags-label">
      <span class="field-label" id="tp-tags-label">
        {t('tickets.tags')}
      </span>
      <ul class="tag-list tag-list-edit" data-testid="tp-tags">
        {tags.map((tag) => (
          <li key={tag} class="tag-chip">
            {tag}
            <button type="button" class="tag-remove" disabled={disabled} onClick={() => onSave(tags.filter((x) => x !== tag))} aria-label={t('tickets.removeTag', { tag })}>
              <IconX size={12} />
            </button>
          </li>
        ))}
      </ul>
      <input
        type="text"
        value={draft}
        maxLength={40}
        disabled={disabled}
        placeholder={t('tickets.addTagHint')}
        aria-label={t('tickets.addTag')}
        onInput={(e) => setDraft(e.currentTarget.value.replace(',', ''))}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
        data-testid="tp-tag-input"
      />
    </div>
  );
}

function FollowUpField({ at, onSave }: { at: number | null; onSave: (at: number | null) => void }) {
  const due = at != null && at <= Date.now();
  return (
    <div class="field" role="group" aria-labelledby="tp-fu-label">
      <span class="field-label" id="tp-fu-label">
        {t('tickets.followUp')}
        {due && (
          <span class="badge badge-followup" data-testid="tp-follow-up-due">
            {t('tickets.followUpDue')}
          </span>
        )}
      </span>
      <div class="follow-up-row">
        <input
          type="datetime-local"
          value={toLocalInput(at)}
          aria-label={t('tickets.followUp')}
          onChange={(e) => onSave(fromLocalInput(e.currentTarget.value))}
          data-testid="tp-follow-up"
        />
        <button type="button" class="btn btn-secondary btn-sm" onClick={() => onSave(Date.now() + 24 * HOUR)} data-testid="tp-follow-up-24">
          <IconClock size={14} />
          {t('tickets.in24h')}
        </button>
        {at != null && (
          <button type="button" class="icon-button" onClick={() => onSave(null)} aria-label={t('tickets.clearFollowUp')}>
            <IconX size={14} />
          </button>
        )}
      </div>
      {at != null && <span class="muted small">{fmtDateTime(at)}</span>}
    </div>
  );
}

function CustomField({ field, value, error, onSave }: { field: TicketField; value: string | number | undefined; error?: string; onSave: (v: string | number | null) => void }) {
  const [draft, setDraft] = useState(value == null ? '' : String(value));
  useEffect(() => setDraft(value == null ? '' : String(value)), [value]);
  const id = 'tp-cf-' + field.key;
  function commit(v: string) {
    const old = value == null ? '' : String(value);
    if (v === old) return;
    if (v === '') return onSave(null);
    if (field.type === 'number') {
      const n = Number(v);
      return onSave(Number.isFinite(n) ? n : v);
    }
    onSave(v);
  }
  const label = (
    <span class="field-label">
      {field.label}
      {field.required && <span class="required-mark" title={t('tickets.requiredToSolve')}> *</span>}
    </span>
  );
  const common = { id, 'aria-describedby': id + '-err', 'data-testid': id };
  return (
    <label class="field">
      {label}
      {field.type === 'select' ? (
        <select value={draft} onChange={(e) => commit(e.currentTarget.value)} {...common}>
          <option value="">—</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          type={(field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text') as 'text'}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onBlur={() => commit(draft.trim())}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commit(draft.trim()))}
          {...common}
        />
      )}
      <FieldError id={id + '-err'} error={error} />
    </label>
  );
}

function MergeDialog({ id, onClose }: { id: number; onClose: () => void }) {
  const [into, setInto] = useState('');
  const { busy, error, run } = useSubmit(changeError);
  async function submit(e: Event) {
    e.preventDefault();
    const n = Number(into.replace(/^#/, ''));
    const ok = await run(() => mergeTicket(id, n));
    if (ok) {
      onClose();
      openTicket(n);
    }
  }
  return (
    <Dialog title={t('tickets.mergeTitle', { number: id })} onClose={onClose} testid="merge-dialog">
      <form class="desk-form" onSubmit={submit}>
        <p class="dialog-text">{t('tickets.mergeText')}</p>
        <label class="field">
          <span class="field-label">{t('tickets.mergeInto')}</span>
          <input type="text" inputMode="numeric" value={into} onInput={(e) => setInto(e.currentTarget.value)} placeholder="#1234" data-autofocus data-testid="merge-into" required />
        </label>
        <ErrorNotice error={error} />
        <FormActions class="dialog-actions" onCancel={onClose} disabled={busy || !into.trim()} testid="merge-submit">
          {t('tickets.merge')}
        </FormActions>
      </form>
    </Dialog>
  );
}

function SplitDialog({ id, onClose }: { id: number; onClose: () => void }) {
  const events = useStore((s) => s.events[id] ?? []);
  const messages = events.filter((e) => e.kind === 'message' && e.author.type === 'visitor');
  const [pick, setPick] = useState<number | null>(messages.length > 1 ? messages[messages.length - 1].id : messages[0]?.id ?? null);
  const { busy, error, run } = useSubmit(changeError);
  async function submit(e: Event) {
    e.preventDefault();
    if (pick == null) return;
    let made: Conversation | null = null;
    const ok = await run(async () => {
      made = await splitTicket(id, pick);
    });
    if (ok && made) {
      onClose();
      openTicket((made as Conversation).id);
    }
  }
  return (
    <Dialog title={t('tickets.splitTitle', { number: id })} onClose={onClose} testid="split-dialog">
      <form class="desk-form" onSubmit={submit}>
        <p class="dialog-text">{t('tickets.splitText')}</p>
        {messages.length === 0 ? (
          <p class="muted">{t('tickets.splitNone')}</p>
        ) : (
          <fieldset class="split-choices">
            <legend class="sr-only">{t('tickets.splitFrom')}</legend>
            {messages.map((m) => (
              <label key={m.id} class="split-choice">
                <input type="radio" name="split-from" checked={pick === m.id} onChange={() => setPick(m.id)} data-testid="split-choice" />
                <span class="split-body">{m.body.slice(0, 160) || '…'}</span>
                <span class="muted small">{fmtDateTime(m.created_at)}</span>
              </label>
            ))}
          </fieldset>
        )}
        <ErrorNotice error={error} />
        <FormActions class="dialog-actions" onCancel={onClose} disabled={busy || pick == null} testid="split-submit">
          {t('tickets.split')}
        </FormActions>
      </form>
    </Dialog>
  );
}

/** In a chat's header: it cannot be finished now, so it becomes a ticket with a follow-up (seed 004). */
export function MakeTicketButton({ conv }: { conv: Conversation }) {
  const [open, setOpen] = useState(false);
  if (conv.ticket || conv.kind !== 'chat') return null;
  return (
    <>
      <button type="button" class="btn btn-secondary btn-sm" onClick={() => setOpen(true)} title={t('tickets.makeTicket')} data-testid="make-ticket" data-rank="2">
        <IconTicket size={15} />
        <span class="desk-btn-label">{t('tickets.makeTicket')}</span>
      </button>
      {open && <MakeTicketDialog conv={conv} onClose={() => setOpen(false)} />}
    </>
  );
}

function MakeTicketDialog({ conv, onClose }: { conv: Conversation; onClose: () => void }) {
  const [status, setStatus] = useState<TicketStatus>('pending_customer');
  const [subject, setSubject] = useState(conv.subject || conv.last_message?.body?.slice(0, 80) || '');
  const [hours, setHours] = useState(24);
  const { busy, error, run } = useSubmit(changeError);
  async function submit(e: Event) {
    e.preventDefault();
    const ok = await run(() => chatToTicket(conv.id, { status, subject: subject.trim() || undefined, follow_up_hours: hours }));
    if (ok) onClose();
  }
  return (
    <Dialog title={t('tickets.makeTicketTitle')} onClose={onClose} testid="make-ticket-dialog">
      <form class="desk-form" onSubmit={submit}>
        <p class="dialog-text">{t('tickets.makeTicketText')}</p>
        <label class="field">
          <span class="field-label">{t('tickets.subject')}</span>
          <input type="text" value={subject} maxLength={300} onInput={(e) => setSubject(e.currentTarget.value)} data-autofocus data-testid="make-ticket-subject" />
        </label>
        <label class="field">
          <span class="field-label">{t('tickets.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as TicketStatus)}>
            {(['pending_customer', 'open', 'on_hold'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`ticket.status.${s}` as const)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('tickets.followUpIn')}</span>
          <select value={String(hours)} onChange={(e) => setHours(Number(e.currentTarget.value))} data-testid="make-ticket-hours">
            {[4, 24, 48, 72, 0].map((h) => (
              <option key={h} value={String(h)}>
                {h ? t('tickets.hours', { count: h }) : t('tickets.noFollowUp')}
              </option>
            ))}
          </select>
        </label>
        <ErrorNotice error={error} />
        <FormActions class="dialog-actions" onCancel={onClose} disabled={busy} testid="make-ticket-submit">
          {t('tickets.makeTicket')}
        </FormActions>
      </form>
    </Dialog>
  );
}
