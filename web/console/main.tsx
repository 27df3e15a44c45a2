// Switchboard agent & admin console: entry point.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import './styles.css';
// Every other stylesheet, here and in the order the pages would bring them: the pages
// that are chunks of their own (components/Lazy) would otherwise put theirs in a CSS
// file of their own that nothing loads. Keeps console.css whole and in the same order.
import './supervisor/supervisor.css';
import './components/agentdesk.css';
import './security.css';
import './admin/kb.css';
import './components/sla.css';
import './complaints/complaints.css';
import './components/effect.css';
import './coach/coach.css';
import './csat/csat.css';
import './surveys/surveys.css';
import './reports/reports.css';
import './admin/workspaces.css';
import './tickets/tickets.css';
import './canned/canned.css';
import './scripts/scripts.css';
import './components/bot.css';
import './contacts/contacts.css';
import { getLang, loadLang, t } from './i18n';
import { unlockAudio } from './notify';
import { boot, useStore } from './store';
import { App } from './components/App';
import { Login } from './components/Login';
import { ForcedTwoFactor } from './account/TwoFactor';
import { HelpOverlay, Toasts } from './components/Overlays';

function Root() {
  const phase = useStore((s) => s.phase);
  useEffect(() => {
    if (phase !== 'loading') document.getElementById('boot-shell')?.remove();
  }, [phase]);
  useStore((s) => s.lang);
  return (
    <>
      {phase === 'loading' && (
        // index.html's app-shell skeleton stays on screen until the first real page.
        <div class="boot sr-only" role="status" aria-live="polite">
          {t('common.loading')}
        </div>
      )}
      {phase === 'login' && <Login />}
      {phase === 'twofactor' && <ForcedTwoFactor />}
      {phase === 'app' && <App />}
      <HelpOverlay />
      <Toasts />
    </>
  );
}

// Audio may only start after a user gesture: unlock it on the first one.
const unlock = () => {
  unlockAudio();
  window.removeEventListener('pointerdown', unlock);
  window.removeEventListener('keydown', unlock);
};
window.addEventListener('pointerdown', unlock);
window.addEventListener('keydown', unlock);

// The agent's language (when not English, a chunk of its own) before the first render,
// so nothing flashes in English; /me is asked for meanwhile.
void boot();
const mount = () => render(<Root />, document.getElementById('app')!);
loadLang(getLang()).then(mount, mount);
