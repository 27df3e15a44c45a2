// Switchboard agent & admin console: entry point.
import { render } from 'preact';
import './styles.css';
import { t } from './i18n';
import { unlockAudio } from './notify';
import { boot, useStore } from './store';
import { App } from './components/App';
import { Login } from './components/Login';
import { ForcedTwoFactor } from './account/TwoFactor';
import { HelpOverlay, Toasts } from './components/Overlays';

function Root() {
  const phase = useStore((s) => s.phase);
  useStore((s) => s.lang);
  return (
    <>
      {phase === 'loading' && (
        <div class="boot" role="status" aria-live="polite">
          <span class="spinner" aria-hidden="true" />
          <span>{t('common.loading')}</span>
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

render(<Root />, document.getElementById('app')!);
void boot();
