// Small pieces of the ticket views: status, priority, tags, follow-up and SLA badges.
import { t } from '../i18n';
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

/** The SLA module's badge, when the list row carries one (time left, at risk, breached). */
export function SlaBadge({ sla }: { sla: TicketRow['sla'] }) {
  if (!sla || !sla.badge || sla.badge === 'none') return null;
  return (
    <span class={`badge ticket-sla ticket-sla-${sla.badge}`} data-testid="sla-badge">
      {sla.label || t(`tickets.sla.${sla.badge}` as const)}
    </span>
  );
}
