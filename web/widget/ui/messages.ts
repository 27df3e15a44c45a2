// The message list: events ordered by seq, pending (outbox) bubbles at the end.
import { isImage } from '../files';
import { type Notices, t, time } from '../i18n';
import type { Att, Ev, OutItem } from '../types';
import { size } from '../util';
import { h, icon, rich } from './dom';

export type State = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
const STATE_ICON: Record<State, string> = {
  sending: 'clock',
  sent: 'check',
  delivered: 'checks',
  read: 'checks',
  failed: 'alert',
};

type Url = (a: Att) => string;

function attachment(a: Att, url: Url, onLoad: () => void): HTMLElement {
  const href = url(a);
  const link = { href, target: '_blank', rel: 'noopener noreferrer' };
  if (isImage(a.content_type)) {
    return h('a', { ...link, class: 'im' }, h('img', { src: href, alt: a.name, onload: onLoad, onerror: onLoad }));
  }
  return h(
    'a',
    { ...link, class: 'fl', download: a.name },
    icon('file', 22),
    h('span', { class: 'fn' }, h('b', { text: a.name }), h('small', { text: size(a.size) })),
  );
}

function stateEl(s: State): HTMLElement {
  const label = t[s];
  return h('span', { class: 'st', tid: 'message-state', 'data-state': s, title: label, 'aria-label': label }, icon(STATE_ICON[s], 15));
}

/** A system event's text: its notice as the visitor's language words it, else the (English) body. Args stay text. */
function sysText(ev: Ev): string {
  const n = ev.notice;
  const a = n?.args || {};
  const s = n && t[('n_' + n.code + (a.by ? '_by' : '')) as keyof Notices];
  let ok = !!s;
  const out = s && s.replace(/\{(\w+)\}/g, (_, k) => (a[k] == null ? ((ok = false), '') : String(a[k])));
  return ok ? out! : ev.body;
}

export class MessageList {
  el = h('div', { class: 'ms', role: 'log', 'aria-live': 'polite' });
  /** The server's origin: the bot's help-center paths and article links resolve against it. */
  base = '';
  private bySeq = new Map<number, HTMLElement>();
  /** Dresses a bot message (avatar, article card, "Did this help?"): the lazy chunk's, set by the app. */
  dress?: (el: HTMLElement, ev: Ev) => void;
  /** The bot's "Did this help?" state for this conversation (the lazy chunk keeps it here). */
  bs = {};

  /** `cb` opens the call-back form (the overflow notice offers it). */
  constructor(private url: Url, private cb: () => void) {}

  /** Adds a server event; `st` is null for messages the visitor did not write. */
  add(ev: Ev, st: State | null): void {
    if (this.bySeq.has(ev.seq)) return;
    const el =
      ev.kind === 'system'
        ? h(
            'div',
            { class: 'sys', tid: 'system-message', 'data-seq': ev.seq },
            sysText(ev),
            ev.notice?.code === 'overflow' && h('button', { class: 'bt', type: 'button', tid: 'overflow-callback', onclick: this.cb }, t.cbReq),
          )
        : this.bubble(ev.body, ev.attachments || [], ev.created_at, st, ev.author.name || t.agent, ev.author.type == 'bot');
    el.dataset.seq = String(ev.seq);
    el.dataset.a = ev.author.type === 'visitor' ? 'visitor' : ev.author.type + (ev.author.id ?? '');
    if (ev.client_id) el.dataset.clientId = ev.client_id;
    this.bySeq.set(ev.seq, el);
    this.place(el, ev.seq);
    if (ev.author.type == 'bot' && ev.kind == 'message') this.dress?.(el, ev);
  }

  pending(it: OutItem): void {
    this.drop(it.cid);
    const el = this.bubble(it.body, it.att, it.ts, 'sending', '');
    el.dataset.clientId = it.cid;
    el.dataset.a = 'visitor';
    el.classList.add('pd');
    this.place(el, Infinity);
  }

  drop(cid: string): void {
    this.el.querySelector(`.pd[data-client-id="${CSS.escape(cid)}"]`)?.remove();
  }

  fail(cid: string): void {
    const el = this.el.querySelector(`.pd[data-client-id="${CSS.escape(cid)}"] .st`);
    el?.replaceWith(stateEl('failed'));
  }

  /** Re-evaluates the state of every message of the visitor. */
  states(of: (seq: number) => State): void {
    for (const [seq, el] of this.bySeq) {
      const old = el.querySelector('.st') as HTMLElement | null;
      const s = of(seq);
      if (old && old.dataset.state !== s) old.replaceWith(stateEl(s));
    }
  }

  /** A new conversation: every message goes (the greeting stays). */
  reset(): void {
    this.bySeq.forEach((el) => el.remove());
    this.bySeq.clear();
    this.el.querySelectorAll('.pd').forEach((el) => el.remove());
    this.bs = {};
  }

  stick(): void {
    this.el.scrollTop = this.el.scrollHeight;
  }

  private bubble(body: string, att: Att[], ts: number, st: State | null, who: string, bot = false): HTMLElement {
    const mine = st !== null;
    const b = h(
      'div',
      { class: 'b' },
      body && h('div', null, rich(body, bot ? this.base : '')),
      ...att.map((a) => attachment(a, this.url, () => this.stick())),
    );
    if (!body && att.length === 1 && isImage(att[0].content_type)) b.classList.add('bare');
    return h(
      'div',
      { class: 'm ' + (mine ? 'me' : 'them'), tid: 'message' },
      !mine && h('div', { class: 'who', text: who }),
      b,
      h('div', { class: 'mt' }, h('time', { datetime: new Date(ts).toISOString(), text: time(ts) }), st && stateEl(st)),
    );
  }

  /** Inserts before the first later event (pending bubbles and the chat's end block count as latest). */
  private place(el: HTMLElement, seq: number): void {
    const near = this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 80;
    let before: Element | null = null;
    for (let c = this.el.lastElementChild as HTMLElement | null; c; c = c.previousElementSibling as HTMLElement | null) {
      const s = c.classList.contains('pd') || c.dataset.end ? Infinity : Number(c.dataset.seq || 0);
      if (!c.dataset.seq && s !== Infinity) break;
      if (s <= seq) break;
      before = c;
    }
    this.el.insertBefore(el, before);
    this.group(el);
    if (el.nextElementSibling) this.group(el.nextElementSibling as HTMLElement);
    if (near || el.classList.contains('me')) this.stick();
  }

  /** Consecutive messages of one author: name shown once, tighter spacing. */
  private group(el: HTMLElement): void {
    const prev = el.previousElementSibling as HTMLElement | null;
    el.classList.toggle('cont', !!prev && !!el.dataset.a && prev.dataset.a === el.dataset.a);
  }
}
