// "Your conversations" on the start screen, for a visitor with an ended chat: each
// with its last message and date, the open one first. In the lazy chunk
// (/widget-end.js): only returning visitors load it. Text goes in as text nodes.
import type { PastStrings } from '../i18n';
import type { Conv } from '../types';
import { h } from './dom';

const EN: PastStrings = {
  pTitle: 'Your conversations',
  pOpen: 'Open',
  pClosed: 'Ended',
  pNone: 'No messages',
};

const CSS = `.pc h2{font-size:14px;font-weight:650;color:#111827;margin-bottom:8px}
.pc ul{list-style:none;padding:0;display:flex;flex-direction:column;gap:2px}
.pc li button{display:flex;flex-direction:column;gap:2px;width:100%;text-align:left;padding:8px 10px;border-radius:10px}
.pc li button:hover{background:#f3f4f6}
.pc .pl{display:flex;justify-content:space-between;gap:8px;font-size:12px;color:#6b7280}
.pc .pb{font-size:13.5px;color:#111827;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.pc .ps{font-weight:600}
.pc .po{color:#15803d}`;

export interface PastHost {
  t: Record<string, string>;
  /** The widget's date and time in the visitor's locale. */
  time(ms: number): string;
  open(c: Conv): void;
}

/** The card, or null when there is nothing past to show (no chat, or only the open one). */
export function past(host: PastHost, all: Conv[]): HTMLElement | null {
  const s = { ...EN, ...host.t } as PastStrings;
  const at = (c: Conv) => c.last_message?.created_at || c.updated_at || 0;
  const cs = all
    .filter((c) => c.kind == 'chat')
    .sort((a, b) => +(b.status == 'open') - +(a.status == 'open') || at(b) - at(a))
    .slice(0, 5);
  if (!cs.some((c) => c.status != 'open')) return null;
  return h(
    'div',
    { class: 'card pc', tid: 'past-conversations' },
    h('style', { text: CSS }),
    h('h2', { text: s.pTitle }),
    h(
      'ul',
      null,
      ...cs.map((c) =>
        h(
          'li',
          null,
          h(
            'button',
            { type: 'button', tid: 'past-conversation', 'data-status': c.status, onclick: () => host.open(c) },
            h('span', { class: 'pl' }, h('span', { class: 'ps' + (c.status == 'open' ? ' po' : ''), text: c.status == 'open' ? s.pOpen : s.pClosed }), at(c) ? h('time', { text: host.time(at(c)) }) : ''),
            h('span', { class: 'pb', text: c.last_message?.body || s.pNone }),
          ),
        ),
      ),
    ),
  );
}
