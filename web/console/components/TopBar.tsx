import { t } from '../i18n';
import { requestNotificationPermission, setMuted, unlockAudio } from '../notify';
import { logout, navigate, setState, useStore } from '../store';
import { StatusPicker } from './StatusPicker';
import { Avatar } from './Avatar';
import { ConsoleLangSelect } from './LanguagePicker';
import { SearchBox } from './SearchBox';
import { IconBell, IconBellOff, IconChat, IconKeyboard, IconLogout } from './Icons';

export function TopBar() {
  const me = useStore((s) => s.me);
  const permission = useStore((s) => s.permission);
  const muted = useStore((s) => s.muted);
  const onAccount = useStore((s) => s.route.section === 'account');
  if (!me) return null;

  async function bell() {
    unlockAudio();
    if (permission === 'default') {
      const p = await requestNotificationPermission();
      setMuted(false);
      setState({ permission: p, muted: false });
      return;
    }
    setMuted(!muted);
    setState({ muted: !muted });
  }

  const bellLabel =
    permission === 'default'
      ? t('top.notifyEnable')
      : muted
        ? t('top.notifyMuted')
        : permission === 'granted'
          ? t('top.notifyOn')
          : t('top.notifyBlocked');

  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          <IconChat size={16} />
        </span>
        <span class="brand-name">{t('app.name')}</span>
      </div>
      <SearchBox />
      <div class="topbar-spacer" />
      <div class="topbar-tools">
        <StatusPicker />
        <label class="lang-picker" title={t('top.language')}>
          <span class="sr-only">{t('top.language')}</span>
          <ConsoleLangSelect testid="lang-select" label={t('top.language')} />
        </label>
        <button
          type="button"
          class={'icon-button' + (permission === 'default' ? ' icon-button-attention' : '')}
          onClick={bell}
          aria-label={bellLabel}
          title={bellLabel}
          aria-pressed={permission !== 'default' ? !muted : undefined}
          data-testid="notify-toggle"
        >
          {muted ? <IconBellOff /> : <IconBell />}
        </button>
        <button type="button" class="icon-button" onClick={() => setState({ helpOpen: true })} aria-label={t('top.help')} title={t('top.help')} data-testid="help-open">
          <IconKeyboard />
        </button>
        <span class="topbar-sep" aria-hidden="true" />
        <button
          type="button"
          class={'me me-button' + (onAccount ? ' is-active' : '')}
          onClick={() => navigate({ section: 'account' })}
          title={t('top.accountOpen', { name: me.name })}
          aria-current={onAccount ? 'page' : undefined}
          data-testid="my-account"
        >
          <Avatar name={me.name} color={me.avatar_color} size="sm" status={me.status} />
          {/* The name is the button's name (no aria-label that the visible text would not match); hidden on narrow screens, still read. */}
          <span class="me-name">{me.name}</span>
        </button>
        <button type="button" class="icon-button" onClick={() => logout()} aria-label={t('top.logout')} title={t('top.logout')} data-testid="logout">
          <IconLogout />
        </button>
      </div>
    </header>
  );
}
