// Small pieces of the ticket views: status, priority, tags, complaint, follow-up and SLA badges.
import { t } from '../i18n';
import { IconFlag } from '../components/Icons';
import { fmtSlaDuration } from '../components/SlaBadge';
import type { TicketPriority, TicketRow, TicketStatus } from '../types';

export function StatusBadge({ status }: { status: TicketStatus }) {
  return (
    <span class={`badge ticket-status ticket-status-${status}`} data-testid="ticket-status">
      {t(`ticket.status.${status}` as const)}
    </span>
  );
}

/** Normal priority says nothing: only what differs from it is shown. */
export function PriorityBadge({ priority, always }: { priority: TicketPriority; always?: boolean }) {
  if (priority === 'normal' && !always) return null;
  return (
    <span class={`badge ticket-priority ticket-priority-${priority}`} data-testid="ticket-priority">
      {t(`ticket.priority.${priority}` as const)}
    </span>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  if (!tags.length) return null;
  return (
    <ul class="tag-list" aria-label={t('tickets.tags')}>
      {tags.map((tag) => (
        <li key={tag} class="tag-chip">
          {tag}
        </li>
      ))}
    </ul>
  );
}

/** The SLA badge of a list row: at risk or overdue from the watch's instants at `now`, with the time left. */
export function SlaBadge({ sla, now }: { sla: TicketRow['sla']; now: number }) {
  if (!sla || !sla.badge || sla.badge === 'none') return null;
  let level = sla.badge;
  if (sla.due_at != null && now > sla.due_at) level = 'breached';
  else if (level === 'ok' && sla.at_risk_at != null && now >= sla.at_risk_at) level = 'at_risk';
  if (level === 'ok') return null;  // on time says nothing in a list
  const time = sla.due_at == null ? '' : fmtSlaDuration(sla.due_at - now);
  const when = !time ? '' : level === 'breached' ? t('sla.overdue', { time }) : t('sla.left', { time });
  const text = sla.label || t(`tickets.sla.${level}` as const);
  return (
    <span class={`badge ticket-sla ticket-sla-${level}`} data-testid="sla-badge" data-level={level}>
      {when ? `${text} · ${when}` : text}
    </span>
  );
}

/** A complaint's marker on a list row: the word where there is room, the flag alone on a phone; the status for screen readers either way. */
export function ComplaintMarker({ complaint }: { complaint: TicketRow['complaint'] }) {
  if (!complaint) return null;
  const label = complaint.status === 'resolved' ? t('tickets.complaintResolved') : t('tickets.complaintOpen');
  return (
    <span class={`badge ticket-complaint ticket-complaint-${complaint.status}`} title={label} data-testid="complaint-marker" data-status={complaint.status}>
      <IconFlag size={12} />
      <span class="ticket-complaint-word" aria-hidden="true">
        {t('tickets.complaint')}
      </span>
      <span class="sr-only">{label}</span>
    </span>
  );
}
