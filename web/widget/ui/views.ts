// The panel's screens other than the conversation itself.
import type { Api } from '../api';
import type { Chat } from '../chat';
import type { Lazy } from '../end';
import type { Forms } from '../forms';
import { dayTime, fmt, t, tr, waitFor } from '../i18n';
import type { Store } from '../store';
import type { Config, Me, View } from '../types';
import { h, icon } from './dom';

/** What the screens use of the widget app (app.ts implements it). */
export interface Host {
  api: Api;
  cfg: Config;
  me: Me;
  st: Store;
  chat: Chat;
  show(v: View): void;
  confirm(text: string, detail: string, back: View): void;
  startChat(): void;
  remember(p: Me): void;
  /** The lazy chunk (null if it cannot load). */
  lazy(): Promise<Lazy | null>;
  /** "Your conversations", filled in when the visitor has an ended chat. */
  past(): HTMLElement;
  /** The forms chunk (null if it cannot load). */
  forms(): Promise<Forms | null>;
  /** A topic's label in the visitor's language. */
  topic(x: string): string;
  /** The greeting card's content. */
  greet(): HTMLElement;
  /** Progressive pre-chat: no form before the chat. */
  progressive(): boolean;
  focusIn(): void;
  open(): void;
}

const view = (...kids: (Node | false | '')[]) => h('div', { class: 'v' }, ...kids);

export function waitText(cfg: Config): string {
  const s = cfg.estimated_wait_s;
  return s == null || !cfg.availability.open ? '' : waitFor(s);
}

function action(ic: string, title: string, sub: string, tid: string, onclick: () => void, primary = false) {
  return h(
    'button',
    { class: 'ac' + (primary ? ' pr' : ''), type: 'button', tid, onclick },
    h('span', { class: 'ai' }, icon(ic, 22)),
    h('span', { class: 'at' }, h('b', { text: title }), h('small', { text: sub })),
  );
}

export function greeting(app: Host): HTMLElement {
  const w = waitText(app.cfg);
  return h('div', { class: 'hi' }, h('p', { class: 'big', text: tr(app.cfg.inbox.widget, 'greeting') || t.hello }), w && h('p', { class: 'mut', text: w }));
}

export function home(app: Host): HTMLElement {
  const av = app.cfg.availability;
  const cb = action('phone', t.cb, t.cbSub, 'callback-button', () => app.show('callback'));
  if (av.open || app.chat.active()) {
    return view(h('div', { class: 'card' }, greeting(app)), action('chat', t.chat, t.chatSub, 'chat-button', () => app.startChat(), true), cb, app.past());
  }
  const reason = ('off_' + (av.reason || 'closed')) as keyof typeof t;
  const notice = h(
    'div',
    { class: 'nt', tid: 'offline-notice', role: 'status' },
    h('p', { text: tr(app.cfg.inbox.widget, 'offline_message') || t[reason] || t.off_closed }),
    !!av.next_open_at && h('p', { class: 'nx', text: fmt(t.next, { t: dayTime(av.next_open_at) }) }),
  );
  // Progressive: the message is written in the chat, the e-mail asked there after it.
  if (app.progressive()) return view(notice, action('chat', t.leave, t.leaveSub, 'chat-button', () => app.startChat(), true), cb, app.past());
  return view(notice, slot(app, (f) => f.offline(app)), cb, app.past());
}

/** A form from the chunk, in place of an empty card once it loads. */
export function slot(app: Host, make: (f: Forms) => HTMLElement, cls = 'card'): HTMLElement {
  const el = h('div', { class: cls, 'aria-busy': 'true' });
  app.forms().then((f) => f && el.isConnected && (el.replaceWith(make(f)), app.focusIn()));
  return el;
}
