// The panel's screens other than the conversation itself.
import type { Api } from '../api';
import type { Chat } from '../chat';
import type { Lazy } from '../end';
import { clock, dayTime, fmt, lang, t, waitFor } from '../i18n';
import type { Store } from '../store';
import type { Config, Me, View } from '../types';
import { phone, uuid } from '../util';
import { h, icon } from './dom';
import { all, Form, input, select, textarea } from './form';

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
  return h('div', { class: 'hi' }, h('p', { class: 'big', text: app.cfg.inbox.widget.greeting || t.hello }), w && h('p', { class: 'mut', text: w }));
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
    h('p', { text: t[reason] || t.off_closed }),
    !!av.next_open_at && h('p', { class: 'nx', text: fmt(t.next, { t: dayTime(av.next_open_at) }) }),
  );
  return view(notice, offlineForm(app), cb, app.past());
}

const common = () => ({ page_url: location.href, language: lang });

/** The offline form; before the message goes, articles that may already answer it (ticket deflection). */
function offlineForm(app: Host): HTMLElement {
  const cid = uuid();
  let asked = false;
  const live = h('div', { 'aria-live': 'polite' });
  const f = new Form(
    'offline',
    t.leave,
    (f) => all(f.email('email', true), f.need('message')),
    async (f) => {
      const email = f.v('email');
      const message = f.v('message');
      if (!asked) {
        asked = true; // once per message: after the panel, the form sends
        const [s, lz] = await Promise.all([app.api.suggest(message, lang).catch(() => null), app.lazy()]);
        if (lz && s?.deflection_id && s.articles.length) return lz.deflect(app.api, t as unknown as Record<string, string>, s.deflection_id, s.articles, panel, () => f.el.requestSubmit());
      }
      await app.api.create({ kind: 'offline', client_id: cid, name: f.v('name'), email, message, ...common() });
      app.remember({ name: f.v('name'), email });
      app.confirm(fmt(t.offThanks, { email }), '', 'home');
    },
  );
  f.add('name', t.name, input('text', 'name'), app.me.name);
  f.add('email', t.email, input('email', 'email'), app.me.email);
  f.add('message', t.msg, textarea(t.msgPh));
  // The form stays in the page (hidden) while the panel shows, so nothing typed is lost;
  // panel() without a title puts the form back.
  const panel = (title?: string, ...kids: Node[]) => {
    const hd = h('h2', { class: 'big', tabindex: -1, text: title });
    live.replaceChildren(title ? h('div', { class: 'sg', tid: 'suggestions' }, hd, ...kids) : '');
    f.el.hidden = !!title;
    (title ? hd : f.el.querySelector('textarea')!).focus();
  };
  return h('div', { class: 'card' }, f.el, live);
}

export function prechat(app: Host): HTMLElement {
  const fields = app.cfg.inbox.prechat_fields;
  const f = new Form(
    'prechat',
    t.start,
    (f) => all(f.need('name'), f.email('email', true)),
    async (f) => {
      app.remember({ name: f.v('name') || app.me.name, email: f.v('email') || app.me.email });
      app.chat.draft = { topic: f.v('topic') };
      app.st.set('draft', app.chat.draft, true);
      app.show('chat');
      if (f.v('message')) app.chat.send(f.v('message'));
    },
  );
  if (fields.includes('name')) f.add('name', t.name, input('text', 'name'), app.me.name);
  if (fields.includes('email')) f.add('email', t.email, input('email', 'email'), app.me.email);
  if (fields.includes('topic') && app.cfg.inbox.topics.length) {
    f.add('topic', t.topic, select([['', t.pick], ...app.cfg.inbox.topics.map((x): [string, string] => [x, x])]));
  }
  f.add('message', t.msg, textarea(t.msgPh));
  return view(h('div', { class: 'card' }, greeting(app)), h('div', { class: 'card' }, f.el));
}

/** Half-hour slots from 08:00 to 20:00, as [minutes-after-midnight, label]. */
const slots = () => Array.from({ length: 25 }, (_, i): [string, string] => [String(480 + i * 30), clock(480 + i * 30)]);

function callbackWindow(f: Form): [number, number] | null {
  const day = f.v('day');
  const now = Date.now();
  if (day === 'asap') return [now, now + 2 * 3600e3];
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  if (day === 'tomorrow') d.setDate(d.getDate() + 1);
  const from = d.getTime() + +f.v('from') * 60e3;
  const to = d.getTime() + +f.v('to') * 60e3;
  return to > from && to > now ? [Math.max(from, now), to] : null;
}

export function callback(app: Host): HTMLElement {
  const cid = uuid();
  let win: [number, number] | null = null;
  const f = new Form(
    'callback',
    t.reqCall,
    (f) => all(!!phone(f.v('phone')) || f.bad('phone', t.badPhone), !!(win = callbackWindow(f)) || f.bad('to', t.badTime)),
    async (f) => {
      const tel = phone(f.v('phone'))!;
      await app.api.create({ kind: 'callback', client_id: cid, name: f.v('name'), phone: tel, window_from: win![0], window_to: win![1], ...common() });
      app.remember({ name: f.v('name') || app.me.name });
      const day = f.v('day');
      const when = day === 'asap' ? t.asap : `${t[day as 'today']}, ${clock(+f.v('from'))}–${clock(+f.v('to'))}`;
      app.confirm(fmt(t.cbThanks, { phone: tel }), when, 'home');
    },
  );
  f.add('name', t.name, input('text', 'name'), app.me.name);
  f.add('phone', t.phone, input('tel', 'tel', '+39 02 1234 5678'));
  const day = select([['asap', t.asap], ['today', t.today], ['tomorrow', t.tomorrow]], 'asap');
  f.add('day', t.when, day);
  const from = select(slots(), '600');
  const to = select(slots(), '720');
  const row = h('div', { class: 'row' }, f.add('from', t.from, from), f.add('to', t.to, to));
  f.el.insertBefore(row, f.el.querySelector('.bt'));
  day.onchange = () => {
    row.hidden = day.value === 'asap';
    const d = new Date();
    const next = Math.ceil((d.getHours() * 60 + d.getMinutes() + 1) / 30) * 30;
    if (day.value === 'today' && +from.value < next && next < 1200) {
      from.value = String(next);
      to.value = String(Math.min(next + 120, 1200));
    }
  };
  row.hidden = true;
  return view(h('div', { class: 'card' }, h('p', { class: 'big', text: t.cb }), h('p', { class: 'mut sp2', text: t.cbSub }), f.el));
}

export function transcript(app: Host): HTMLElement {
  const f = new Form(
    'transcript',
    t.trSend,
    (f) => f.email('email', true),
    async (f) => {
      const email = f.v('email');
      await app.api.transcript(app.chat.conv!.id, email);
      app.remember({ email });
      app.confirm(fmt(t.trThanks, { email }), '', 'chat');
    },
  );
  f.add('email', t.email, input('email', 'email'), app.me.email);
  return view(h('div', { class: 'card' }, h('p', { class: 'big', text: t.tr }), f.el));
}

export function confirmation(text: string, detail: string, done: () => void): HTMLElement {
  return view(
    h(
      'div',
      { class: 'ok', tid: 'confirmation', role: 'status' },
      h('span', { class: 'ck' }, icon('check', 30)),
      h('h2', { text: t.thanks }),
      h('p', { text }),
      detail && h('p', { class: 'mut', text: detail }),
      h('button', { class: 'bt bt2', type: 'button', tid: 'confirmation-done', onclick: done }, t.done),
    ),
  );
}
