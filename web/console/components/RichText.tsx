// Customer text is rendered as plain text nodes (Preact escapes them); only
// http(s) URLs become links, and only after the URL parser agrees.
import type { ComponentChild } from 'preact';

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}'"»”]+$/;

export function safeHref(raw: string): string | null {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function linkify(text: string): ComponentChild[] {
  const out: ComponentChild[] = [];
  let last = 0;
  URL_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = URL_RE.exec(text))) {
    let url = m[0];
    // Keep a closing bracket that belongs to the URL, e.g. wiki/Foo_(bar).
    const trail = url.match(TRAILING)?.[0] ?? '';
    if (trail) {
      let cut = trail.length;
      if (trail.startsWith(')') && (url.match(/\(/g)?.length ?? 0) >= (url.match(/\)/g)?.length ?? 0)) cut = trail.length - 1;
      url = url.slice(0, url.length - cut);
    }
    const href = safeHref(url);
    if (!href) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(
      <a href={href} target="_blank" rel="noopener noreferrer">
        {url}
      </a>,
    );
    last = m.index + url.length;
    URL_RE.lastIndex = last;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function RichText({ text, class: cls }: { text: string; class?: string }) {
  return <span class={cls}>{linkify(text || '')}</span>;
}
