import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import { dismissToast, getState, setState, socketRetryNow, useStore } from '../store';
import { IconX } from './Icons';

export function ReconnectBanner() {
  const socket = useStore((s) => s.socket);
  if (socket !== 'reconnecting') return null;
  return (
    <div class="banner banner-warn" role="status" data-testid="reconnecting">
      <span class="spinner" aria-hidden="true" />
      <strong>{t('banner.reconnecting')}</strong>
      <span class="banner-sub">{t('banner.queued')}</span>
      <button type="button" class="link-button" onClick={() => socketRetryNow()}>
        {t('banner.retryNow')}
      </button>
    </div>
  );
}

export function SecurityBanner() {
  const n = useStore((s) => s.securityNotice);
  if (!n) return null;
  const when = new Date(n.last_at).toLocaleString(getState().lang);
  return (
    <div class="banner banner-warn" role="alert" data-testid="security-notice">
      <strong>{t('banner.failedLogins', { count: n.failed_logins })}</strong>
      <span class="banner-sub">{t('banner.failedLoginsLast', { when, ip: n.last_ip })}</span>
      <button type="button" class="link-button" onClick={() => setState({ securityNotice: null })}>
        {t('common.dismiss')}
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useStore((s) => s.toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((x) => (
        <div key={x.id} class={'toast toast-' + x.kind} role={x.kind === 'error' ? 'alert' : undefined}>
          <span>{x.text}</span>
          <button type="button" class="toast-close" onClick={() => dismissToast(x.id)} aria-label={t('common.dismiss')}>
            <IconX size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}

function Keys({ keys }: { keys: string[][] }) {
  return (
    <span class="keys">
      {keys.map((combo, i) => (
        <span key={i}>
          {i > 0 && <span class="keys-or"> {t('help.or')} </span>}
          {combo.map((k, j) => (
            <span key={j}>
              {j > 0 && '+'}
              <kbd>{k}</kbd>
            </span>
          ))}
        </span>
      ))}
    </span>
  );
}

export function HelpOverlay() {
  const open = useStore((s) => s.helpOpen);
  const dialog = useRef<HTMLDivElement>(null);
  const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
  const mod = mac ? '⌘' : 'Ctrl';
  useEffect(() => {
    if (!open) return;
    const prev = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector<HTMLElement>('button')?.focus();
    return () => prev?.focus?.();
  }, [open]);
  if (!open) return null;
  const close = () => setState({ helpOpen: false });
  const rows: [string[][], string][] = [
    [[['J'], ['↓']], t('help.down')],
    [[['K'], ['↑']], t('help.up')],
    [[['Enter']], t('help.open')],
    [[['R']], t('help.reply')],
    [[['N']], t('help.note')],
    [[['A'], ['Enter']], t('help.accept')],
    [[['D']], t('help.decline')],
    [[['Enter'], [mod, 'Enter']], t('help.send')],
    [[['Shift', 'Enter']], t('help.newline')],
    [[['Alt', 'Shift', 'C']], t('help.coach')],
    [[['Alt', 'S']], t('help.script')],
    [[['Esc']], t('help.leave')],
    [[['/']], t('help.search')],
    [[['?']], t('help.help')],
  ];
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && close()}>
      <div
        class="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        ref={dialog}
        data-testid="help-overlay"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close();
          }
        }}
      >
        <header class="modal-header">
          <h2 id="help-title">{t('help.title')}</h2>
          <button type="button" class="icon-button" onClick={close} aria-label={t('common.close')}>
            <IconX />
          </button>
        </header>
        <table class="shortcuts">
          <tbody>
            {rows.map(([keys, label], i) => (
              <tr key={i}>
                <td>
                  <Keys keys={keys} />
                </td>
                <td>{label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
