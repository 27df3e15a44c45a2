// The offline form's article suggestions (ticket deflection): the articles that may
// already answer the message, "Yes, this answered it" / "No, send my message". In
// the lazy chunk (/widget-end.js) with its English words and CSS; text as text nodes.
import type { Api } from '../api';
import type { BotStrings } from '../i18n';
import type { Article } from '../types';
import { h } from './dom';

const EN = {
  sgTitle: 'These articles may answer your question',
  sgYes: 'Yes, this answered it',
  sgNo: 'No, send my message',
  sgGlad: 'Glad we could help! Your message is still here if you need it.',
  sgBack: 'Back to my message',
};

const CSS = `.sg{display:flex;flex-direction:column;gap:10px}
.sg ul{display:contents}
.sg li{list-style:none;border:1px solid #eceef2;border-radius:10px;padding:10px 12px}
.sg a{color:var(--cr);font-weight:600}
.sg .mut{margin-top:2px;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.sg .bt2{width:100%;margin:0}`;

/**
 * Shows suggestion `id`'s articles through `panel` (a title and what goes under it;
 * no title puts the form back); `send` sends the form. `t`: the widget's strings.
 */
export function deflect(api: Api, t: Record<string, string>, id: number, arts: Article[], panel: (title?: string, ...kids: Node[]) => void, send: () => void): void {
  const s = { ...EN, ...t } as BotStrings;
  const css = () => h('style', { text: CSS });
  const out = (o: string) => api.outcome(id, o).catch(() => 0);
  const btn = (tid: string, text: string, onclick: () => void, cls = 'bt') => h('button', { class: cls, type: 'button', tid, onclick }, text);
  panel(
    s.sgTitle,
    css(),
    h('ul', null, ...arts.map((a) => h('li', null, h('a', { href: new URL(a.url, api.base).href, target: '_blank', rel: 'noopener noreferrer', text: a.title }), h('p', { class: 'mut', text: a.snippet })))),
    btn('suggestions-helped', s.sgYes, async () => {
      await out('helped');
      panel(s.sgGlad, css(), btn('suggestions-back', s.sgBack, () => panel(), 'bt bt2'));
    }),
    btn('suggestions-send', s.sgNo, async () => {
      await out('continued');
      panel();
      send();
    }, 'bt bt2'),
  );
}
