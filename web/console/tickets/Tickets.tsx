// The Tickets section: a view's list (filters, multi-select with a bulk bar) or,
// with a ticket open, its conversation beside the properties panel.
import { useEffect, useState } from 'preact/hooks';
import type { Route } from '../router';
import { t } from '../i18n';
import { navigate, openConversation, useStore } from '../store';
import { ConversationView } from '../components/ConversationView';
import { IconChevronRight } from '../components/Icons';
import { TicketList } from './TicketList';
import { TicketPanel } from './TicketPanel';
import { loadCounts, refreshCountsSoon } from './data';
import './tickets.css';

type TicketsRoute = Extract<Route, { section: 'tickets' }>;
const PANEL_KEY = 'sb.console.ticketPanel';
// Up to this width the properties panel lies over the conversation (tickets.css): there it
// starts closed, so a ticket opens on what the customer wrote, and the choice is not stored.
const OVERLAY = '(max-width: 1100px)';
const overlays = () => typeof matchMedia === 'function' && matchMedia(OVERLAY).matches;

export function Tickets({ route }: { route: TicketsRoute }) {
  const convs = useStore((s) => s.convs);
  useEffect(() => {
    void loadCounts();
  }, [route.view, route.tag]);
  // Colleagues' changes arrive as conversation updates: the counts follow (debounced).
  useEffect(() => refreshCountsSoon(), [convs]);
  if (route.ticketId == null) return <TicketList route={route} />;
  return <TicketDetail key={route.ticketId} route={route} id={route.ticketId} />;
}

function TicketDetail({ route, id }: { route: TicketsRoute; id: number }) {
  const [panelOpen, setPanelOpen] = useState(() => !overlays() && localStorage.getItem(PANEL_KEY) !== '0');
  const subject = useStore((s) => s.convs[id]?.subject);
  useEffect(() => {
    void openConversation(id);
  }, [id]);
  function toggle() {
    const v = !panelOpen;
    setPanelOpen(v);
    if (overlays()) {
      // Closed over the conversation: the focus goes back to the button that opens it.
      if (!v) requestAnimationFrame(() => document.querySelector<HTMLElement>('.conv-actions [aria-pressed]')?.focus());
      return;
    }
    try {
      localStorage.setItem(PANEL_KEY, v ? '1' : '0');
    } catch {
      /* ignore */
    }
  }
  return (
    <div class="ticket-detail">
      <div class="ticket-detail-main">
        <nav class="ticket-crumbs" aria-label={t('tickets.breadcrumb')}>
          <button type="button" class="link-button" onClick={() => navigate({ ...route, ticketId: null })} data-testid="ticket-back">
            {t(`tickets.view.${route.view}` as const)}
          </button>
          <IconChevronRight size={14} />
          <span class="ticket-crumb-current">
            #{id}
            {subject ? ` · ${subject}` : ''}
          </span>
        </nav>
        <ConversationView convId={id} contactOpen={panelOpen} onToggleContact={toggle} panel="ticket" />
      </div>
      {panelOpen && <TicketPanel id={id} onClose={toggle} overlay={overlays()} />}
    </div>
  );
}
