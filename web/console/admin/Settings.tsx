import { t } from '../i18n';
import type { Route } from '../router';
import { isSuperAdmin, useStore } from '../store';
import { Agents } from './Agents';
import { Inboxes } from './Inboxes';
import { Routing } from './Routing';
import { KnowledgeBase } from './KnowledgeBase';
import { BotSettings } from './BotSettings';
import { AuditLog } from './Audit';
import { Privacy } from './Privacy';
import { Security } from './Security';
import { Workspaces } from './Workspaces';
import { TicketFields } from './TicketFields';
import { SlaPolicies } from './SlaPolicies';
import { CoachSettings } from '../coach/CoachSettings';
import { SurveySettings } from '../csat/SurveySettings';
import { SurveysPage } from '../surveys/SurveysPage';

export function Settings({ route }: { route: Extract<Route, { section: 'settings' }> }) {
  const isAdmin = useStore((s) => s.me?.role === 'admin');
  const superAdmin = useStore((s) => isSuperAdmin(s.me));
  if (!isAdmin) {
    return (
      <main class="settings-pane">
        <p class="notice notice-warn">{t('settings.adminOnly')}</p>
      </main>
    );
  }
  return (
    <main class="settings-pane">
      {route.tab === 'agents' ? (
        <Agents />
      ) : route.tab === 'routing' ? (
        <Routing />
      ) : route.tab === 'kb' ? (
        <KnowledgeBase />
      ) : route.tab === 'bot' ? (
        <BotSettings />
      ) : route.tab === 'coach' ? (
        <CoachSettings />
      ) : route.tab === 'survey' ? (
        <SurveySettings />
      ) : route.tab === 'surveys' ? (
        <SurveysPage />
      ) : route.tab === 'tickets' ? (
        <TicketFields />
      ) : route.tab === 'sla' ? (
        <SlaPolicies />
      ) : route.tab === 'audit' ? (
        <AuditLog />
      ) : route.tab === 'privacy' ? (
        <Privacy />
      ) : route.tab === 'security' ? (
        <Security />
      ) : route.tab === 'workspaces' ? (
        superAdmin ? (
          <Workspaces />
        ) : (
          <div class="settings-content">
            <p class="notice notice-warn" data-testid="not-allowed">
              {t('error.forbidden')}
            </p>
          </div>
        )
      ) : (
        <Inboxes inboxId={route.inboxId} />
      )}
    </main>
  );
}
