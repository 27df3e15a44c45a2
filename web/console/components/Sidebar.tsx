import { t } from '../i18n';
import type { View } from '../router';
import { inView, isAdmin as adminRole, isStaff, isSuperAdmin, navigate, selectStatus, selectView, useStore, type State } from '../store';
import { IconInbox, IconLayers, IconSettings, IconUser, IconUsers, IconChat, IconActivity, IconChart, IconRoute, IconBook, IconBot, IconShield, IconReport, IconHistory, IconKey, IconBuilding } from './Icons';

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

const VIEWS: { view: View; icon: typeof IconInbox }[] = [
  { view: 'unassigned', icon: IconInbox },
  { view: 'mine', icon: IconUser },
  { view: 'all', icon: IconLayers },
];

export function Sidebar() {
  const route = useStore((s) => s.route);
  const isAdmin = useStore((s) => adminRole(s.me));
  const staff = useStore((s) => isStaff(s.me));
  const superAdmin = useStore((s) => isSuperAdmin(s.me));
  // Supervisors: the live view and the reports; the simulator and the settings are the admins'.
  const supervision = (['supervisor', 'reports', 'simulator'] as const).filter((x) => (x === 'simulator' ? isAdmin : staff));
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
              onClick={() => selectStatus(st)}
              data-testid={'filter-' + st}
            >
              {t(st === 'open' ? 'filter.open' : 'filter.closed')}
            </button>
          ))}
        </div>
        <ul class="nav-list">
          {VIEWS.map(({ view, icon: Icon }) => {
            const active = inbox && route.view === view;
            return (
              <li key={view}>
                <button
                  type="button"
                  class={'nav-item' + (active ? ' is-active' : '')}
                  aria-current={active ? 'page' : undefined}
                  onClick={() => selectView(view)}
                  data-testid={'view-' + view}
                >
                  <Icon size={17} />
                  <span class="nav-label">{t(('view.' + view) as 'view.all')}</span>
                  {loaded && (
                    <span
                      class={'nav-count' + (view === 'unassigned' && byView[view] > 0 ? ' nav-count-hot' : '')}
                      data-testid={'count-' + view}
                    >
                      {byView[view]}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      </div>
      {supervision.length > 0 && (
        <div class="sidebar-section">
          <h2 class="sidebar-heading">{t('nav.supervision')}</h2>
          <ul class="nav-list">
            {supervision.map((section) => {
              const Icon = section === 'supervisor' ? IconActivity : section === 'reports' ? IconReport : IconChart;
              return (
                <li key={section}>
                  <button
                    type="button"
                    class={'nav-item' + (route.section === section ? ' is-active' : '')}
                    aria-current={route.section === section ? 'page' : undefined}
                    onClick={() => navigate({ section })}
                    data-testid={'nav-' + section}
                  >
                    <Icon size={17} />
                    <span class="nav-label">{t(section === 'supervisor' ? 'nav.supervisor' : section === 'reports' ? 'nav.reports' : 'nav.simulator')}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {isAdmin && (
        <div class="sidebar-section">
          <ul class="nav-list">
            <li>
              <button
                type="button"
                class={'nav-item' + (route.section === 'settings' ? ' is-active' : '')}
                aria-current={route.section === 'settings' ? 'page' : undefined}
                onClick={() => navigate({ section: 'settings', tab: 'agents', inboxId: null })}
                data-testid="settings"
              >
                <IconSettings size={17} />
                <span class="nav-label">{t('nav.settings')}</span>
              </button>
            </li>
            {route.section === 'settings' && (
              <>
                <li>
                  <button
                    type="button"
                    class={'nav-item nav-sub' + (route.tab === 'agents' ? ' is-current' : '')}
                    aria-current={route.tab === 'agents' ? 'page' : undefined}
                    onClick={() => navigate({ section: 'settings', tab: 'agents', inboxId: null })}
                    data-testid="settings-agents"
                  >
                    <IconUsers size={16} />
                    <span class="nav-label">{t('nav.agents')}</span>
                  </button>
                </li>
                <li>
                  <button
                    type="button"
                    class={'nav-item nav-sub' + (route.tab === 'inboxes' ? ' is-current' : '')}
                    aria-current={route.tab === 'inboxes' ? 'page' : undefined}
                    onClick={() => navigate({ section: 'settings', tab: 'inboxes', inboxId: null })}
                    data-testid="settings-inboxes"
                  >
                    <IconChat size={16} />
                    <span class="nav-label">{t('nav.inboxes')}</span>
                  </button>
                </li>
                <li>
                  <button
                    type="button"
                    class={'nav-item nav-sub' + (route.tab === 'routing' ? ' is-current' : '')}
                    aria-current={route.tab === 'routing' ? 'page' : undefined}
                    onClick={() => navigate({ section: 'settings', tab: 'routing', inboxId: null })}
                    data-testid="settings-routing"
                  >
                    <IconRoute size={16} />
                    <span class="nav-label">{t('nav.routing')}</span>
                  </button>
                </li>
                <li>
                  <button
                    type="button"
                    class={'nav-item nav-sub' + (route.tab === 'kb' ? ' is-current' : '')}
                    aria-current={route.tab === 'kb' ? 'page' : undefined}
                    onClick={() => navigate({ section: 'settings', tab: 'kb', inboxId: null })}
                    data-testid="settings-kb"
                  >
                    <IconBook size={16} />
                    <span class="nav-label">{t('nav.kb')}</span>
                  </button>
                </li>
                <li>
                  <button
                    type="button"
                    class={'nav-item nav-sub' + (route.tab === 'bot' ? ' is-current' : '')}
                    aria-current={route.tab === 'bot' ? 'page' : undefined}
                    onClick={() => navigate({ section: 'settings', tab: 'bot', inboxId: null })}
                    data-testid="settings-bot"
                  >
                    <IconBot size={16} />
                    <span class="nav-label">{t('nav.bot')}</span>
                  </button>
                </li>
                <li>
                  <button
                    type="button"
                    class={'nav-item nav-sub' + (route.tab === 'audit' ? ' is-current' : '')}
                    aria-current={route.tab === 'audit' ? 'page' : undefined}
                    onClick={() => navigate({ section: 'settings', tab: 'audit', inboxId: null })}
                    data-testid="settings-audit"
                  >
                    <IconShield size={16} />
                    <span class="nav-label">{t('nav.audit')}</span>
                  </button>
                </li>
                <li>
                  <button
                    type="button"
                    class={'nav-item nav-sub' + (route.tab === 'privacy' ? ' is-current' : '')}
                    aria-current={route.tab === 'privacy' ? 'page' : undefined}
                    onClick={() => navigate({ section: 'settings', tab: 'privacy', inboxId: null })}
                    data-testid="settings-privacy"
                  >
                    <IconHistory size={16} />
                    <span class="nav-label">{t('nav.privacy')}</span>
                  </button>
                </li>
                <li>
                  <button
                    type="button"
                    class={'nav-item nav-sub' + (route.tab === 'security' ? ' is-current' : '')}
                    aria-current={route.tab === 'security' ? 'page' : undefined}
                    onClick={() => navigate({ section: 'settings', tab: 'security', inboxId: null })}
                    data-testid="settings-security"
                  >
                    <IconKey size={16} />
                    <span class="nav-label">{t('nav.security')}</span>
                  </button>
                </li>
                {superAdmin && (
                  <li>
                    <button
                      type="button"
                      class={'nav-item nav-sub' + (route.tab === 'workspaces' ? ' is-current' : '')}
                      aria-current={route.tab === 'workspaces' ? 'page' : undefined}
                      onClick={() => navigate({ section: 'settings', tab: 'workspaces', inboxId: null })}
                      data-testid="settings-workspaces"
                    >
                      <IconBuilding size={16} />
                      <span class="nav-label">{t('nav.workspaces')}</span>
                    </button>
                  </li>
                )}
              </>
            )}
          </ul>
        </div>
      )}
    </nav>
  );
}
