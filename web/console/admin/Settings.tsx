import { t } from '../i18n';
import type { Route } from '../router';
import { useStore } from '../store';
import { Agents } from './Agents';
import { Inboxes } from './Inboxes';

export function Settings({ route }: { route: Extract<Route, { section: 'settings' }> }) {
  const isAdmin = useStore((s) => s.me?.role === 'admin');
  if (!isAdmin) {
    return (
      <main class="settings-pane">
        <p class="notice notice-warn">{t('settings.adminOnly')}</p>
      </main>
    );
  }
  return <main class="settings-pane">{route.tab === 'agents' ? <Agents /> : <Inboxes inboxId={route.inboxId} />}</main>;
}
