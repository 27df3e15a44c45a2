// The widget's forms, built apart as /widget-forms.js and loaded when one is first
// needed (widget.js stays small): the offline form, the pre-chat questions, the
// call-back request with the inbox's slots, the transcript by e-mail and the
// contact card asked in the chat (progressive pre-chat). Strings come from the
// widget (S, set when the chunk loads). All text goes in as text nodes.
import type { FormStrings } from '../i18n';
import type { Me, Slots } from '../types';
import { phone, uuid } from '../util';
import { h, icon } from './dom';
import { all, Form, input, S, select, textarea } from './form';
import type { Host } from './views';

/** English; a language pack has these words too. */
export const EN: FormStrings = {
  name: 'Your name',
  email: 'E-mail',
  pick: 'Choose a topic',
  msg: 'Message',
  msgPh: 'How can we help you?',
  start: 'Start chat',
  badEmail: 'Please enter a valid e-mail address.',
  badPhone: 'Please enter a valid phone number (6 to 20 digits).',
  badTime: 'Please choose a time window in the future.',
  thanks: 'Thank you!',
  offThanks: "We've received your message and will reply to {email} as soon as possible.",
  phone: 'Phone number',
  when: 'When should we call you?',
  asap: 'As soon as possible',
  today: 'Today',
  tomorrow: 'Tomorrow',
  from: 'From',
  to: 'To',
  reqCall: 'Request a call',
  cbThanks: "We'll call you at {phone}.",
  trSend: 'Send transcript',
  trThanks: "We'll send the transcript to {email}.",
  done: 'Done',
  slot: 'Time',
  cbTz: 'Times in your time zone ({tz}).',
  cbNone: 'No call-back times in the next days: please leave us a message instead.',
  ctQ: 'How can we reach you?',
  ctHand: 'So that our team knows who they are talking to.',
  ctOff: "We're offline — we'll reply here and by e-mail.",
  ctWait: 'While you wait: if you have to go, we will reply by e-mail.',
  ctGo: 'Continue',
  dismiss: 'Dismiss',
};

/** The forms' own CSS, added to the widget's shadow root once. */
export const CSS = `.f{display:flex;flex-direction:column;gap:12px}
select.in{appearance:none;background:#fff url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='12' height='12' viewBox='0 0 24 24' fill='none' stroke='%236b7280' stroke-width='2.5'%3E%3Cpath d='m6 9 6 6 6-6'/%3E%3C/svg%3E") no-repeat right 12px center;padding-right:32px}
select.in:disabled{opacity:.6}
.sp2{margin-bottom:16px}
.cc{margin:14px 0 4px}
.ok{display:flex;flex-direction:column;align-items:center;text-align:center;gap:8px;padding:40px 12px}
.ok h2{font-size:20px;font-weight:700;color:#111827}
.pu{position:fixed;bottom:92px;right:20px;z-index:2147483000;display:flex;align-items:flex-start;max-width:280px;background:#fff;border-radius:14px;box-shadow:0 10px 30px rgba(15,23,42,.2);animation:pu .3s}
.l .pu{right:auto;left:20px}
.w:not(.bb) .pu{bottom:84px}
.pm{padding:12px 0 12px 16px;text-align:left;color:#111827;font-size:14px;overflow-wrap:anywhere}
.px{color:#6b7280;margin:4px}
@keyframes pu{from{opacity:0;transform:translateY(8px)}}
.tp{display:flex;flex-wrap:wrap;gap:6px;margin:2px 0 6px}
.tc{padding:6px 12px;border-radius:999px;border:1px solid var(--c);color:var(--cr);background:#fff;font-size:13px;font-weight:600}
.tc:hover,.tc[aria-pressed=true]{background:var(--cl)}
.tc[aria-pressed=true]{box-shadow:inset 0 0 0 1px var(--c)}
.ck{width:64px;height:64px;border-radius:50%;background:#dcfce7;color:#15803d;display:flex;align-items:center;justify-content:center;margin-bottom:6px}`;

const fmt = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k) => v[k] ?? '');
const view = (...kids: (Node | false | '')[]) => h('div', { class: 'v' }, ...kids);
const common = () => ({ page_url: location.href, language: S.lang });
const status = (e: unknown) => (e as { status?: number })?.status || 0;

/** The offline form; before the message goes, articles that may already answer it (ticket deflection). */
export function offline(app: Host): HTMLElement {
  const t = S.t;
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
        const [s, lz] = await Promise.all([app.api.suggest(message, S.lang).catch(() => null), app.lazy()]);
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
  const t = S.t;
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
    // Shown in the visitor's language; the canonical topic is the value sent.
    f.add('topic', t.topic, select([['', t.pick], ...app.cfg.inbox.topics.map((x): [string, string] => [x, app.topic(x)])]));
  }
  f.add('message', t.msg, textarea(t.msgPh));
  return view(h('div', { class: 'card' }, app.greet()), h('div', { class: 'card' }, f.el));
}

const hm = (ms: number) => new Intl.DateTimeFormat(S.locale, { hour: '2-digit', minute: '2-digit' }).format(ms);
const dayKey = (ms: number) => new Date(ms).toDateString();

/** "Today", "Tomorrow" or the weekday and date, in the visitor's time zone. */
function dayName(ms: number): string {
  const d = new Date();
  if (dayKey(ms) == d.toDateString()) return S.t.today;
  d.setDate(d.getDate() + 1);
  if (dayKey(ms) == d.toDateString()) return S.t.tomorrow;
  return new Intl.DateTimeFormat(S.locale, { weekday: 'long', day: 'numeric', month: 'long' }).format(ms);
}

/** Call me back: the inbox's one-hour windows (GET …/callback-slots), by day in the visitor's time zone. */
export function callback(app: Host): HTMLElement {
  const t = S.t;
  const cid = uuid();
  let sl: Slots = { timezone: '', open_now: false, slots: [] };
  const f = new Form(
    'callback',
    t.reqCall,
    (f) => all(!!phone(f.v('phone')) || f.bad('phone', t.badPhone), f.v('day') == 'asap' || !!f.v('time') || f.bad('time', t.badTime)),
    async (f) => {
      const tel = phone(f.v('phone'))!;
      const asap = f.v('day') == 'asap';
      const now = Date.now();
      const s = sl.slots[+f.v('time')];
      if (!asap && s.to <= now) return void (f.bad('time', t.badTime), load());
      const win = asap ? [now, (sl.slots.find((x) => x.from <= now && x.to > now + 6e5) || { to: now + 36e5 }).to] : [s.from, s.to];
      try {
        await app.api.create({ kind: 'callback', client_id: cid, name: f.v('name'), phone: tel, window_from: win[0], window_to: win[1], ...common() });
      } catch (e) {
        // Refused window (passed, outside the hours): said at the field, the rest kept; fresh slots.
        if (status(e) != 400) throw e;
        f.bad(asap ? 'day' : 'time', S.lang == 'en' ? (e as Error).message : t.badTime);
        return load();
      }
      app.remember({ name: f.v('name') || app.me.name });
      app.confirm(fmt(t.cbThanks, { phone: tel }), asap ? t.asap : `${dayName(s.from)}, ${hm(s.from)}–${hm(s.to)}`, 'home');
    },
  );
  f.add('name', t.name, input('text', 'name'), app.me.name);
  f.add('phone', t.phone, input('tel', 'tel', '+39 02 1234 5678'));
  const day = select([]);
  const time = select([]);
  f.add('day', t.when, day);
  const row = f.add('time', t.slot, time);
  const note = h('p', { class: 'mut', tid: 'callback-zone', 'aria-live': 'polite' });
  row.after(note);
  day.disabled = time.disabled = true;
  const times = () => {
    const keep = sl.slots[+time.value]?.from;
    row.hidden = day.value == 'asap';
    const opts = sl.slots.map((s, i): [string, string, number] => [String(i), `${hm(s.from)}–${hm(s.to)}`, s.from]).filter((o) => dayKey(o[2]) == day.value);
    time.replaceChildren(...opts.map(([v, l]) => h('option', { value: v, text: l })));
    const same = opts.find((o) => o[2] == keep);
    if (same) time.value = same[0];
  };
  day.onchange = times;
  const load = () =>
    app.api
      .slots()
      .then((r) => {
        const prev = day.value;
        sl = { ...r, slots: r.slots.filter((s) => s.to > Date.now()) };
        const days = [...new Set(sl.slots.map((s) => dayKey(s.from)))];
        const opts: [string, string][] = days.map((d) => [d, dayName(sl.slots.find((s) => dayKey(s.from) == d)!.from)]);
        if (sl.open_now) opts.unshift(['asap', t.asap]);
        day.replaceChildren(...opts.map(([v, l]) => h('option', { value: v, text: l })));
        if (opts.some((o) => o[0] == prev)) day.value = prev;
        day.disabled = time.disabled = !opts.length;
        // Shown in the visitor's zone; said when it is not the inbox's (or nothing is left to pick).
        const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        note.textContent = !opts.length ? t.cbNone : r.timezone && zone && r.timezone != zone ? fmt(t.cbTz, { tz: zone.split('/').pop()!.replace(/_/g, ' ') }) : '';
        times();
      })
      .catch(() => void f.bad('day', t.err));
  load();
  return view(h('div', { class: 'card' }, h('p', { class: 'big', text: t.cb }), h('p', { class: 'mut sp2', text: t.cbSub }), f.el));
}

export function transcript(app: Host): HTMLElement {
  const t = S.t;
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

/**
 * Progressive pre-chat: the name / e-mail asked inside the chat, as a small card.
 * `fields`: those to ask; `send` posts them (handoff or contact) and may throw.
 */
export function contact(app: Host, fields: string[], mode: AskMode, send: (p: Me) => Promise<unknown>, done: () => void): HTMLElement {
  const t = S.t;
  const f = new Form(
    'contact',
    t.ctGo,
    (f) => all(f.need('name'), f.email('email', true)),
    async (f) => {
      const p = { name: f.v('name') || undefined, email: f.v('email') || undefined };
      try {
        await send(p);
      } catch (e) {
        if (status(e) == 400 && f.has('email')) return void f.bad('email', t.badEmail);
        throw e;
      }
      app.remember(p);
      done();
    },
  );
  if (fields.includes('name')) f.add('name', t.name, input('text', 'name'), app.me.name);
  if (fields.includes('email')) f.add('email', t.email, input('email', 'email'), app.me.email);
  return h('div', { class: 'card cc', tid: 'contact-card', role: 'group', 'aria-label': t.ctQ }, h('p', { class: 'big', text: t.ctQ }), h('p', { class: 'mut sp2', text: mode == 'offline' ? t.ctOff : mode == 'wait' ? t.ctWait : t.ctHand }), f.el);
}

export function confirmation(text: string, detail: string, done: () => void): HTMLElement {
  return view(
    h(
      'div',
      { class: 'ok', tid: 'confirmation', role: 'status' },
      h('span', { class: 'ck' }, icon('check', 30)),
      h('h2', { text: S.t.thanks }),
      h('p', { text }),
      detail && h('p', { class: 'mut', text: detail }),
      h('button', { class: 'bt bt2', type: 'button', tid: 'confirmation-done', onclick: done }, S.t.done),
    ),
  );
}

/** The greeting pop-up by the launcher: opens the widget, or goes with its ×. Returns its remover. */
export function popup(app: Host, w: HTMLElement): () => void {
  const day = new Date().toDateString();
  const c = app.cfg.inbox.widget;
  const x = c.translations?.[S.lang];
  const text = x?.popup_message || c.popup_message || x?.greeting || c.greeting;
  const close = () => el.remove();
  if (!text || app.st.get('popup') == day) return () => {};
  app.st.set('popup', day);
  const open = () => app.open();
  const dismiss = S.t.dismiss;
  const el = h(
    'div',
    { class: 'pu', tid: 'popup', role: 'status' },
    h('button', { type: 'button', class: 'pm', tid: 'popup-open', onclick: () => (close(), open()), text }),
    h('button', { type: 'button', class: 'ib px', tid: 'popup-close', 'aria-label': dismiss, onclick: close }, icon('x', 16)),
  );
  w.append(el);
  return close;
}

/**
 * Progressive pre-chat: the inbox's name / e-mail fields not known yet, asked in a card at the
 * end of the chat (new messages above it). Offline, or waiting for a person with no bot
 * (after the first message): the e-mail to reply to, sent to …/contact once the conversation
 * exists; else at "Talk to a person", sent with the handoff (straight away when nothing is missing).
 */
export type AskMode = 'offline' | 'wait' | 'handoff';
export function ask(app: Host, mode: AskMode): void {
  const offline = mode != 'handoff';
  const fs = app.cfg.inbox.prechat_fields.filter((f) => f == 'name' || f == 'email');
  if (offline && !fs.includes('email')) fs.push('email');
  const miss = fs.filter((f) => !(app.me as Record<string, string | undefined>)[f]);
  const chat = app.chat;
  const send = offline
    ? async (p: Me) => {
        for (let i = 0; !chat.conv && i < 50; i++) await new Promise((r) => setTimeout(r, 200));
        if (chat.conv) await app.api.contact(chat.conv.id, p);
      }
    : (p: Me) => chat.handoff(p);
  if (!miss.length) return void (offline || send(app.me).catch(() => chat.view.error(S.t.err)));
  const list = chat.view.list.el;
  list.querySelector('.cc')?.remove();
  const el = contact(app, miss, mode, send, () => (el.remove(), chat.view.ta.focus()));
  el.dataset.end = '1';
  list.append(el);
  list.scrollTop = list.scrollHeight;
  el.querySelector('input')?.focus();
}

/** Progressive pre-chat: the topics under the greeting, optional; `pick` gets the canonical one ('' when unpicked). */
export function chips(app: Host, el: HTMLElement): void {
  const { topics, prechat_fields } = app.cfg.inbox;
  if (!topics.length || !prechat_fields.includes('topic')) return;
  let on = '';
  el.className = 'tp';
  for (const [k, v] of [['role', 'group'], ['aria-label', S.t.topic], ['data-testid', 'topics']]) el.setAttribute(k, v);
  const set = (x: string) => {
    app.chat.draft = { ...app.chat.draft, topic: (on = on == x ? '' : x) };
    for (const b of el.children) b.setAttribute('aria-pressed', String(b.getAttribute('data-topic') == on));
  };
  el.append(...topics.map((x) => h('button', { type: 'button', class: 'tc', 'data-topic': x, 'aria-pressed': 'false', onclick: () => set(x), text: app.topic(x) })));
}
