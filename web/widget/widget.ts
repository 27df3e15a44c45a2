// Entry point: <script src="https://HOST/widget.js" data-inbox="KEY" async>
import { App } from './app';
import type { Me } from './types';

declare global {
  interface Window {
    Switchboard?: { open(): void; close(): void; identify(p: Me): void };
  }
}

function start(): void {
  if (window.Switchboard) return;
  const s = (document.currentScript as HTMLScriptElement | null) || document.querySelector<HTMLScriptElement>('script[data-inbox]');
  const key = s?.dataset.inbox;
  if (!s || !key) return console.warn('Switchboard widget: data-inbox missing');
  const u = new URL(s.src, location.href);
  const base = u.origin + u.pathname.replace(/\/[^/]*$/, '');
  const app = new App(base, key, s.dataset.lang);
  window.Switchboard = { open: () => app.open(), close: () => app.close(), identify: (p) => app.identify(p) };
  if (document.body) app.boot();
  else addEventListener('DOMContentLoaded', () => app.boot());
}

start();
