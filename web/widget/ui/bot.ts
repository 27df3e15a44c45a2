// The FAQ bot's messages, drawn in the lazy chunk (/widget-end.js, loaded when the
// first bot message shows): its avatar, a help-center article as a card (title,
// snippet, "Open in the help center" in a new tab), and "Did this help?" Yes / No
// under the latest answer (after No: "Talk to a person"). Brings its English words
// and CSS; all text goes in as text nodes.
import type { Api } from '../api';
import type { BotStrings } from '../i18n';
import type { Ev } from '../types';
import { h, svg } from './dom';

const EN = {
  openHc: 'Open in the help center',
  fbQ: 'Did this help?',
  yes: 'Yes',
  no: 'No',
  fbThx: 'Thanks for letting us know.',
};

const CSS = `.bot{position:relative;padding-left:36px}
.av{position:absolute;left:0;top:19px;width:28px;height:28px;border-radius:50%;background:var(--cl);color:var(--cr);display:flex;align-items:center;justify-content:center}
.cont .av{top:0}
.ka{display:flex;flex-direction:column;gap:4px;padding:10px 12px;border-radius:12px;background:#fff;border:1px solid #e5e7eb;white-space:normal}
.ka b{color:#111827}
.ka p{font-size:13px;color:#4b5563;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.b .ka a{display:flex;align-items:center;gap:6px;color:var(--cr);font-weight:600;text-decoration:none;margin-top:2px}
.fr{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:6px 4px 0;font-size:12.5px;color:#4b5563}
.fq{padding:4px 12px;border-radius:999px;border:1px solid #d1d5db;background:#fff;font-size:12.5px;font-weight:600;color:#111827}
.fq:hover{background:#f3f4f6}`;

const BOT = 'M12 8V4H8M6 8h12a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2zm-4 6h2m16 0h2M9 13v2m6-2v2';
const BOOK = 'M4 19.5A2.5 2.5 0 0 1 6.5 17H20V3H6.5A2.5 2.5 0 0 0 4 5.5zm0 0A2.5 2.5 0 0 0 6.5 22H20v-5';

/** What the widget lends: its API client (the server's origin), its strings (a pack has ours), the list's state (reset with it). */
export interface BotHost {
  api: Api;
  t: Record<string, string>;
  /** The latest answer asked about, and its row. */
  st: { seq?: number; row?: HTMLElement };
  /** The widget's localStorage: the answers given, so a reload keeps them. */
  ls: { get<T>(k: string): T | null; set(k: string, v: unknown): boolean };
}

/** Dresses bot message `el` (already in the list, its text drawn) of event `ev`. */
export function bot(host: BotHost, el: HTMLElement, ev: Ev): void {
  const s = { ...EN, ...host.t } as BotStrings;
  const list = el.parentElement!;
  const near = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  if (!list.querySelector('style[data-bot]')) list.prepend(h('style', { 'data-bot': '', text: CSS }));
  el.classList.add('bot');
  el.prepend(h('span', { class: 'av', tid: 'bot-avatar' }, svg(BOT, 18)));
  const n = ev.notice!;
  const a = n.args || {};
  if (n.code == 'bot_article' || a.title) {
    // The body (intro, title — snippet, path) is for e-mail: here the intro, then the card.
    // An intent's answer that linked an article gives its text without the link.
    const intro = n.code == 'bot_article' ? ev.body.split(' ' + a.title)[0] : a.text;
    const card = h(
      'div',
      { class: 'ka', tid: 'bot-article' },
      h('b', { text: a.title }),
      a.snippet && h('p', { text: a.snippet }),
      /^\/[^/]/.test(a.url || '') && h('a', { href: host.api.base + a.url, target: '_blank', rel: 'noopener noreferrer', tid: 'bot-article-link' }, svg(BOOK, 16), s.openHc),
    );
    el.querySelector('.b')!.replaceChildren(h('div', { text: intro }), card);
  }
  const q = Number(a.question_id);
  if (q && /^bot_(answer|article)$/.test(n.code) && ev.seq >= (host.st.seq || 0)) ask(host, s, el, ev, q);
  if (near) list.scrollTop = list.scrollHeight;
}

/** "Did this help?" under the latest answer; after No, the focus on "Talk to a person" while the bot answers. */
function ask(host: BotHost, s: BotStrings, el: HTMLElement, ev: Ev, q: number): void {
  host.st.row?.remove();
  host.st.seq = ev.seq;
  const btn = (text: string, yes: boolean) => h('button', { class: 'fq', type: 'button', tid: 'bot-feedback-' + (yes ? 'yes' : 'no'), onclick: () => send(yes) }, text);
  const row = (host.st.row = h('div', { class: 'fr', tid: 'bot-feedback', role: 'group', 'aria-label': s.fbQ }, h('span', { text: s.fbQ }), btn(s.yes, true), btn(s.no, false)));
  const key = `fb:${ev.conversation_id}:${q}`;
  const done = () => row.replaceChildren(h('span', { role: 'status', tabindex: -1, text: s.fbThx }));
  if (host.ls.get(key) != null) done(); // answered before a reload
  const send = (yes: boolean) => {
    host.api.call('POST', `/conversations/${ev.conversation_id}/bot-feedback`, { question_id: q, helpful: yes }).catch(() => 0);
    host.ls.set(key, +yes);
    done();
    const hb = (row.getRootNode() as ShadowRoot).querySelector<HTMLElement>('.hb:not([hidden])');
    (!yes && hb ? hb : (row.firstChild as HTMLElement)).focus();
  };
  el.append(row);
}
