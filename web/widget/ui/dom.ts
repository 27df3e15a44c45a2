// Tiny DOM builder. Text is only ever set through text nodes / textContent:
// nothing from the server or the visitor goes near innerHTML.
type Kid = Node | string | null | undefined | false;
type Props = Record<string, unknown> | null;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, p?: Props, ...kids: Kid[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(p || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = v as string;
    else if (k === 'text') el.textContent = v as string;
    else if (k === 'tid') el.setAttribute('data-testid', v as string);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of kids) if (c) el.append(c);
  return el;
}

const ICONS: Record<string, string> = {
  chat: 'M21 12a9 9 0 0 1-13.4 7.9L3 21l1.1-4.6A9 9 0 1 1 21 12z',
  x: 'M18 6 6 18M6 6l12 12',
  down: 'm6 9 6 6 6-6',
  back: 'm15 18-6-6 6-6',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  send: 'M22 2 11 13M22 2l-7 20-4-9-9-4z',
  clip: 'm21.4 11.1-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5',
  phone: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z',
  mail: 'M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm18 2-10 7L2 6',
  file: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm0 0v6h6',
  clock: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zm0-16v6l4 2',
  check: 'M20 6 9 17l-5-5',
  checks: 'M17 6 6.5 17 2 12.5M22 7.5l-9.5 9.5-1.5-1.5',
  alert: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zm0-14v5m0 4h.01',
};

const NS = 'http://www.w3.org/2000/svg';

export function icon(name: string, px = 20): SVGSVGElement {
  return svg(ICONS[name], px, name === 'more' ? '3' : '2');
}

/** A stroked 24×24 icon of one path. */
export function svg(d: string, px = 20, stroke = '2'): SVGSVGElement {
  const s = document.createElementNS(NS, 'svg');
  const attrs: Record<string, string> = {
    viewBox: '0 0 24 24',
    width: String(px),
    height: String(px),
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': stroke,
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
  };
  for (const k in attrs) s.setAttribute(k, attrs[k]);
  const p = document.createElementNS(NS, 'path');
  p.setAttribute('d', d);
  s.append(p);
  return s;
}

/** Text with http(s) URLs (and, given the server's origin, its /help/ paths) turned into safe links; everything else stays text. */
export function rich(text: string, base?: string): DocumentFragment {
  const f = document.createDocumentFragment();
  let i = 0;
  for (const m of text.matchAll(base ? /\bhttps?:\/\/[^\s<>"']+|(?<!\S)\/help\/[^\s<>"']+/gi : /\bhttps?:\/\/[^\s<>"']+/gi)) {
    const url = m[0].replace(/[.,;:!?)\]]+$/, '');
    const at = m.index || 0;
    f.append(text.slice(i, at), h('a', { href: url[0] == '/' ? base + url : url, target: '_blank', rel: 'noopener noreferrer' }, url));
    i = at + url.length;
  }
  f.append(text.slice(i));
  return f;
}

let ids = 0;
export const uid = () => 'sb' + ++ids;
