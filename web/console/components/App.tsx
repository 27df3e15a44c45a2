import { useEffect, useState } from 'preact/hooks';
import { Tickets } from '../tickets/Tickets';
import { Contacts } from '../contacts/Contacts';
import { t } from '../i18n';
import { canOpen, getState, listFor, selectConversation, setState, useStore } from '../store';
import { isTypingTarget } from '../util';
import { ContactPanel } from './ContactPanel';
import { ConversationList } from './ConversationList';
import { ConversationView, NoConversation } from './ConversationView';
import { ReconnectBanner, SecurityBanner } from './Overlays';
import { OfferStack } from './OfferStack';
import { focusSearch } from './SearchBox';
import { Sidebar } from './Sidebar';
import { TopBar } from './TopBar';
import { lazyPage } from './Lazy';

// Rarely used pages: chunks of their own, fetched on first visit.
const Settings = lazyPage(() => import('../admin/Settings').then((m) => m.Settings));
const Simulator = lazyPage(() => import('../supervisor/Simulator').then((m) => m.Simulator));
const Supervisor = lazyPage(() => import('../supervisor/Supervisor').then((m) => m.Supervisor));
const Reports = lazyPage(() => import('../supervisor/Reports').then((m) => m.Reports));
const Account = lazyPage(() => import('../account/Account').then((m) => m.Account));
const CannedPage = lazyPage(() => import('../canned/CannedPage').then((m) => m.CannedPage));
const ScriptsPage = lazyPage(() => import('../scripts/ScriptsPage').then((m) => m.ScriptsPage));

// The agent's explicit choice, one for wide screens and one for narrow ones (below 1440 px the
// panel starts closed: the conversation's header and messages need the room; a click opens it).
const CONTACT_KEY = 'sb.console.contactPanel';
const CONTACT_KEY_NARROW = 'sb.console.contactPanel.narrow';
const WIDE = '(min-width: 1440px)';

function isWide(): boolean {
  return typeof matchMedia !== 'function' || matchMedia(WIDE).matches;
}

function contactChoice(wide: boolean): boolean {
  let v: string | null = null;
  try {
    v = localStorage.getItem(wide ? CONTACT_KEY : CONTACT_KEY_NARROW);
  } catch {
    /* ignore */
  }
  return v == null ? wide : v !== '0';
}

/** Whether the contact panel is open: the agent's choice for this width, else open only on wide screens. */
function useContactPanel(): [boolean, () => void] {
  const [wide, setWide] = useState(isWide);
  const [open, setOpen] = useState(() => contactChoice(isWide()));
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(WIDE);
    const onChange = () => {
      setWide(mq.matches);
      setOpen(contactChoice(mq.matches));
    };
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  function toggle() {
    const v = !open;
    setOpen(v);
    try {
      localStorage.setItem(wide ? CONTACT_KEY : CONTACT_KEY_NARROW, v ? '1' : '0');
    } catch {
      /* ignore */
    }
  }
  return [open, toggle];
}

function focusItem(id: number) {
  const el = document.querySelector<HTMLElement>(`[data-testid="conversation-item"][data-id="${id}"]`);
  if (el) {
    el.focus();
    el.scrollIntoView({ block: 'nearest' });
  }
}

function onGlobalKey(e: KeyboardEvent) {
  const s = getState();
  if (s.phase !== 'app') return;
  if (s.helpOpen) {
    if (e.key === 'Escape') setState({ helpOpen: false });
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (isTypingTarget(e.target)) return;
  if (e.key === '?') {
    e.preventDefault();
    setState({ helpOpen: true });
    return;
  }
  if (e.key === 'Escape') {
    (document.activeElement as HTMLElement | null)?.blur?.();
    return;
  }
  if (e.key === '/') {
    e.preventDefault();
    focusSearch();
    return;
  }
  const route = s.route;
  if (route.section !== 'inbox') return;
  const list = listFor(s, route.view, route.status);
  const target = e.target as HTMLElement | null;
  const inLog = !!target?.closest?.('.messages');
  const key = e.key;
  if (key === 'j' || key === 'k' || ((key === 'ArrowDown' || key === 'ArrowUp') && !inLog)) {
    if (!list.length) return;
    e.preventDefault();
    let cur = s.cursor != null ? list.findIndex((c) => c.id === s.cursor) : -1;
    if (cur < 0) {
      const sel = route.convId != null ? list.findIndex((c) => c.id === route.convId) : -1;
      cur = sel >= 0 ? sel : -1;
      if (cur < 0) {
        cur = key === 'k' || key === 'ArrowUp' ? list.length : -1;
      }
    }
    const down = key === 'j' || key === 'ArrowDown';
    const next = Math.max(0, Math.min(list.length - 1, cur + (down ? 1 : -1)));
    setState({ cursor: list[next].id });
    focusItem(list[next].id);
    return;
  }
  if (key === 'Enter') {
    if (target && (target.tagName === 'BUTTON' || target.tagName === 'A')) return; // native activation
    const c = list.find((x) => x.id === s.cursor);
    if (c) {
      e.preventDefault();
      selectConversation(c.id);
    }
    return;
  }
  if (key === 'r' || key === 'R') {
    const composer = document.querySelector<HTMLTextAreaElement>('[data-testid="composer"]');
    if (composer) {
      e.preventDefault();
      composer.focus();
    }
  }
}

export function App() {
  const route = useStore((s) => s.route);
  const allowed = useStore((s) => canOpen(s.me, s.route));
  useStore((s) => s.lang);
  const [contactOpen, toggleContact] = useContactPanel();

  useEffect(() => {
    document.addEventListener('keydown', onGlobalKey);
    return () => document.removeEventListener('keydown', onGlobalKey);
  }, []);

  return (
    <div class="app">
      <TopBar />
      <ReconnectBanner />
      <SecurityBanner />
      <OfferStack />
      <div class={'workspace' + (route.section !== 'inbox' ? ' workspace-settings' : '')}>
        <Sidebar />
        {route.section === 'settings' ? (
          <Settings route={route} />
        ) : !allowed ? (
          <main class="settings-pane">
            <div class="settings-content">
              <p class="notice notice-warn" data-testid="not-allowed">
                {t('error.forbidden')}
              </p>
            </div>
          </main>
        ) : route.section === 'account' ? (
          <Account />
        ) : route.section === 'tickets' ? (
          <Tickets route={route} />
        ) : route.section === 'contacts' ? (
          <Contacts contactId={route.contactId} />
        ) : route.section === 'canned' ? (
          <CannedPage />
        ) : route.section === 'scripts' ? (
          <ScriptsPage route={route} />
        ) : route.section === 'reports' ? (
          <Reports route={route} />
        ) : route.section === 'supervisor' ? (
          <Supervisor />
        ) : route.section === 'simulator' ? (
          <Simulator />
        ) : (
          <>
            <ConversationList view={route.view} status={route.status} selectedId={route.convId} />
            {route.convId != null ? (
              <>
                <ConversationView key={route.convId} convId={route.convId} contactOpen={contactOpen} onToggleContact={toggleContact} />
                {contactOpen && <ContactPanel convId={route.convId} />}
              </>
            ) : (
              <NoConversation />
            )}
          </>
        )}
      </div>
    </div>
  );
}
