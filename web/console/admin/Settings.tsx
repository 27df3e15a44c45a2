import { t } from '../i18n';
import type { Route } from '../router';
import { useStore } from '../store';
import { Agents } from './Agents';
import { Inboxes } from './Inboxes';
import { Routing } from './Routing';
import { KnowledgeBase } from './KnowledgeBase';
import { BotSettings } from './BotSettings';
import { AuditLog } from './Audit';
import { Privacy } from './Privacy';
import { Security } from './Security';

export function Settings({ route }: { route: Extract<Route, { section: 'settings' }> }) {
  const isAdmin = useStore((s) => s.me?.role === 'admin');
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
      ) : route.tab === 'audit' ? (
        <AuditLog />
      ) : route.tab === 'privacy' ? (
        <Privacy />
      ) : route.tab === 'security' ? (
        <Security />
      ) : (
        <Inboxes inboxId={route.inboxId} />
      )}
    </main>
  );
}
