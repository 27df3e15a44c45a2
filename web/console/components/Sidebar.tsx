import type { ComponentChildren } from 'preact';
import { t, type StringKey } from '../i18n';
import { TICKET_VIEWS, type SettingsTab, type TicketView, type View } from '../router';
import { inView, isAdmin as adminRole, isStaff, isSuperAdmin, navigate, selectStatus, selectView, useStore, type State } from '../store';
import { IconCanned } from '../canned/IconCanned';
import { IconScripts } from '../scripts/IconScripts';
import { IconInbox, IconLayers, IconSettings, IconUser, IconUsers, IconChat, IconActivity, IconChart, IconRoute, IconBook, IconBot, IconShield, IconReport, IconHistory, IconKey, IconBuilding, IconTicket, IconClock, IconCheckCircle, IconTag, IconContacts, IconAlert, IconFlag, IconCoach, IconStar } from './Icons';
import { IconSurveys } from '../surveys/IconSurveys';

function counts(s: State): string {
  // A string so that useStore re-renders only when a count changes.
  let u = 0;
  let m = 0;
  let a = 0;
  for (const c of Object.values(s.convs)) {
    if (c.status !== 'open') continue;
    a++;
    if (inView(c, 'unassigned', s.me)) u++;
    if (inView(c, 'mine', s.me)) m++;
  }
  return `${u},${m},${a}`;
}

type Icon = typeof IconInbox;

// The sidebar, as data: each table is one group of items.

const VIEWS: { view: View; icon: Icon }[] = [
  { view: 'unassigned', icon: IconInbox },
  { view: 'mine', icon: IconUser },
  { view: 'all', icon: IconLayers },
];

/** Supervisors: the live view and the reports; the simulator is the admins'. */
const SUPERVISION: { section: 'supervisor' | 'reports' | 'simulator'; label: StringKey; icon: Icon; adminOnly?: boolean }[] = [
  { section: 'supervisor', label: 'nav.supervisor', icon: IconActivity },
  { section: 'reports', label: 'nav.reports', icon: IconReport },
  { section: 'simulator', label: 'nav.simulator', icon: IconChart, adminOnly: true },
];

/** The settings pages (admins), listed under Settings while it is open; Workspaces for super-admins only. */
const SETTINGS: { tab: SettingsTab; label: StringKey; icon: Icon; superAdminOnly?: boolean }[] = [
  { tab: 'agents', label: 'nav.agents', icon: IconUsers },
  { tab: 'inboxes', label: 'nav.inboxes', icon: IconChat },
  { tab: 'routing', label: 'nav.routing', icon: IconRoute },
  { tab: 'kb', label: 'nav.kb', icon: IconBook },
  { tab: 'bot', label: 'nav.bot', icon: IconBot },
  { tab: 'coach', label: 'nav.coach', icon: IconCoach },
  { tab: 'survey', label: 'nav.survey', icon: IconStar },
  { tab: 'surveys', label: 'nav.surveys', icon: IconSurveys },
  { tab: 'tickets', label: 'nav.ticketFields', icon: IconTag },
  { tab: 'sla', label: 'nav.sla', icon: IconClock },
  { tab: 'audit', label: 'nav.audit', icon: IconShield },
  { tab: 'privacy', label: 'nav.privacy', icon: IconHistory },
  { tab: 'security', label: 'nav.security', icon: IconKey },
  { tab: 'workspaces', label: 'nav.workspaces', icon: IconBuilding, superAdminOnly: true },
];

/** The ticket views under Tickets while it is open; `hot` views show their count in colour. */
const TICKET_ICONS: Record<TicketView, Icon> = {
  mine_open: IconUser,
  unassigned: IconInbox,
  breaching_soon: IconAlert,
  complaints: IconFlag,
  all_open: IconLayers,
  pending: IconClock,
  follow_up_due: IconClock,
  solved: IconCheckCircle,
  closed: IconCheckCircle,
};

/** One sidebar button: `sub` for a settings page under Settings (marked current, not active). */
function NavItem({
  icon: Icon,
  label,
  active,
  sub,
  onClick,
  testid,
  children,
}: {
  icon: Icon;
  label: string;
  active: boolean;
  sub?: boolean;
  onClick: () => void;
  testid: string;
  children?: ComponentChildren;
}) {
  const cls = sub ? 'nav-item nav-sub' + (active ? ' is-current' : '') : 'nav-item' + (active ? ' is-active' : '');
  return (
    <li>
      <button type="button" class={cls} aria-current={active ? 'page' : undefined} onClick={onClick} data-testid={testid}>
        <Icon size={sub ? 16 : 17} />
        <span class="nav-label">{label}</span>
        {children}
      </button>
    </li>
  );
}

export function Sidebar() {
  const route = useStore((s) => s.route);
  const isAdmin = useStore((s) => adminRole(s.me));
  const staff = useStore((s) => isStaff(s.me));
  const superAdmin = useStore((s) => isSuperAdmin(s.me));
  const supervision = SUPERVISION.filter((x) => (x.adminOnly ? isAdmin : staff));
  const settings = SETTINGS.filter((x) => !x.superAdminOnly || superAdmin);
  const loaded = useStore((s) => s.listState.open === 'loaded');
  const [u, m, a] = useStore(counts).split(',').map(Number);
  const byView: Record<View, number> = { unassigned: u, mine: m, all: a };
  const inbox = route.section === 'inbox';
  const status = inbox ? route.status : 'open';

  return (
    <nav class="sidebar" aria-label={t('nav.main')}>
      <div class="sidebar-section">
        <h2 class="sidebar-heading">{t('nav.inbox')}</h2>
        <div class="segmented" role="group" aria-label={t('filter.label')}>
          {(['open', 'closed'] as const).map((st) => (
            <button
              type="button"
              key={st}
              class={'segmented-item' + (status === st && inbox ? ' is-active' : '')}
              aria-pressed={status === st && inbox}
              title={t(st === 'open' ? 'filter.open' : 'filter.closed')}
              onClick={() => selectStatus(st)}
              data-testid={'filter-' + st}
            >
              {t(st === 'open' ? 'filter.open' : 'filter.closed')}
            </button>
          ))}
        </div>
        <ul class="nav-list">
          {VIEWS.map(({ view, icon }) => (
            <NavItem
              key={view}
              icon={icon}
              label={t(`view.${view}`)}
              active={inbox && route.view === view}
              onClick={() => selectView(view)}
              testid={'view-' + view}
            >
              {loaded && (
                <span class={'nav-count' + (view === 'unassigned' && byView[view] > 0 ? ' nav-count-hot' : '')} data-testid={'count-' + view}>
                  {byView[view]}
                </span>
              )}
            </NavItem>
          ))}
          <NavItem
            icon={IconContacts}
            label={t('nav.contacts')}
            active={route.section === 'contacts'}
            onClick={() => navigate({ section: 'contacts', contactId: null })}
            testid="nav-contacts"
          />
          <NavItem
            icon={IconCanned}
            label={t('nav.canned')}
            active={route.section === 'canned'}
            onClick={() => navigate({ section: 'canned' })}
            testid="nav-canned"
          />
          <NavItem
            icon={IconScripts}
            label={t('nav.scripts')}
            active={route.section === 'scripts'}
            onClick={() => navigate({ section: 'scripts', tab: 'list', scriptId: null })}
            testid="nav-scripts"
          />
        </ul>
      </div>
      <TicketNav />
      {supervision.length > 0 && (
        <div class="sidebar-section">
          <h2 class="sidebar-heading">{t('nav.supervision')}</h2>
          <ul class="nav-list">
            {supervision.map(({ section, label, icon }) => (
              <NavItem
                key={section}
                icon={icon}
                label={t(label)}
                active={route.section === section}
                onClick={() => navigate(section === 'reports' ? { section, tab: 'overview', query: '' } : { section })}
                testid={'nav-' + section}
              />
            ))}
          </ul>
        </div>
      )}
      {isAdmin && (
        <div class="sidebar-section">
          <ul class="nav-list">
            <NavItem
              icon={IconSettings}
              label={t('nav.settings')}
              active={route.section === 'settings'}
              onClick={() => navigate({ section: 'settings', tab: 'agents', inboxId: null })}
              testid="settings"
            />
            {route.section === 'settings' &&
              settings.map(({ tab, label, icon }) => (
                <NavItem
                  key={tab}
                  sub
                  icon={icon}
                  label={t(label)}
                  active={route.tab === tab}
                  onClick={() => navigate({ section: 'settings', tab, inboxId: null })}
                  testid={'settings-' + tab}
                />
              ))}
          </ul>
        </div>
      )}
    </nav>
  );
}

/** The server counts finished tickets up to 10,000. */
const countLabel = (n: number) => (n >= 10_000 ? '10k+' : String(n));

/** Tickets: the entry, and while the section is open its views with counts and the top tags. */
function TicketNav() {
  const route = useStore((s) => s.route);
  const counts = useStore((s) => s.ticketCounts);
  const inTickets = route.section === 'tickets';
  const open = (view: TicketView, tag: string | null = null) => navigate({ section: 'tickets', view, tag, ticketId: null });
  return (
    <div class="sidebar-section">
      <h2 class="sidebar-heading">{t('nav.helpdesk')}</h2>
      <ul class="nav-list">
        <NavItem icon={IconTicket} label={t('nav.tickets')} active={inTickets} onClick={() => open('mine_open')} testid="nav-tickets">
          {counts && <span class="nav-count">{counts.views.all_open ?? 0}</span>}
        </NavItem>
        {inTickets &&
          TICKET_VIEWS.map((view) => {
            const n = counts?.views[view];
            const hot = (view === 'follow_up_due' || view === 'unassigned' || view === 'breaching_soon' || view === 'complaints') && !!n;
            return (
              <NavItem key={view} sub icon={TICKET_ICONS[view]} label={t(`tickets.view.${view}` as const)} active={!route.tag && route.view === view} onClick={() => open(view)} testid={'ticket-view-' + view}>
                {n != null && (
                  <span class={'nav-count' + (hot ? ' nav-count-hot' : '')} data-testid={'ticket-count-' + view}>
                    {countLabel(n)}
                  </span>
                )}
              </NavItem>
            );
          })}
        {inTickets &&
          (counts?.tags ?? []).slice(0, 6).map(({ tag, count }) => (
            <NavItem key={'tag-' + tag} sub icon={IconTag} label={tag} active={route.tag === tag} onClick={() => open('all_open', tag)} testid={'ticket-tag-' + tag}>
              <span class="nav-count">{count}</span>
            </NavItem>
          ))}
      </ul>
    </div>
  );
}
