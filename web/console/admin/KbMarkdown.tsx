// The article editor's Markdown helpers: a toolbar (bold, italic, link, list, heading) that
// edits the textarea's selection, and a live preview beside it. The preview is built as
// Preact nodes from a small subset of Markdown (headings, lists, paragraphs, bold, italic,
// code, links): no HTML string, so nothing typed can run. The help center's own rendering
// (the server's, sanitized) is the "Preview" mode.
import type { ComponentChildren, RefObject } from 'preact';
import { t } from '../i18n';
import { IconLink } from '../components/Icons';

type Edit = { value: string; start: number; end: number };

/** Wraps the selection (or a placeholder) in `before`/`after`. */
function wrap(v: Edit, before: string, after: string, placeholder: string): Edit {
  const sel = v.value.slice(v.start, v.end) || placeholder;
  const value = v.value.slice(0, v.start) + before + sel + after + v.value.slice(v.end);
  return { value, start: v.start + before.length, end: v.start + before.length + sel.length };
}

/** Puts `prefix` at the start of every line the selection touches. */
function prefixLines(v: Edit, prefix: string): Edit {
  const from = v.value.lastIndexOf('\n', v.start - 1) + 1;
  const toNl = v.value.indexOf('\n', v.end);
  const to = toNl < 0 ? v.value.length : toNl;
  const lines = v.value.slice(from, to).split('\n');
  const done = lines.map((l) => (l.startsWith(prefix) ? l : prefix + l)).join('\n');
  const value = v.value.slice(0, from) + done + v.value.slice(to);
  return { value, start: from, end: from + done.length };
}

const TOOLS: { id: string; label: 'kb.mdBold' | 'kb.mdItalic' | 'kb.mdLink' | 'kb.mdList' | 'kb.mdHeading'; glyph: ComponentChildren; key: string; run: (v: Edit) => Edit }[] = [
  { id: 'bold', label: 'kb.mdBold', glyph: 'B', key: 'b', run: (v: Edit) => wrap(v, '**', '**', t('kb.mdBoldText')) },
  { id: 'italic', label: 'kb.mdItalic', glyph: 'I', key: 'i', run: (v: Edit) => wrap(v, '_', '_', t('kb.mdItalicText')) },
  { id: 'link', label: 'kb.mdLink', glyph: <IconLink size={14} />, key: 'k', run: (v: Edit) => wrap(v, '[', '](https://)', t('kb.mdLinkText')) },
  { id: 'list', label: 'kb.mdList', glyph: '•', key: '', run: (v: Edit) => prefixLines(v, '- ') },
  { id: 'heading', label: 'kb.mdHeading', glyph: 'H', key: '', run: (v: Edit) => prefixLines(v, '## ') },
];

/** Runs a toolbar action on the textarea and reports the new text. */
function apply(area: HTMLTextAreaElement | null, run: (v: Edit) => Edit, onChange: (s: string) => void) {
  if (!area) return;
  const r = run({ value: area.value, start: area.selectionStart, end: area.selectionEnd });
  onChange(r.value);
  requestAnimationFrame(() => {
    area.focus();
    area.setSelectionRange(r.start, r.end);
  });
}

export function MdToolbar({ area, onChange, controls }: { area: RefObject<HTMLTextAreaElement | null>; onChange: (s: string) => void; controls: string }) {
  return (
    <div class="md-toolbar" role="toolbar" aria-label={t('kb.mdToolbar')} aria-controls={controls} data-testid="kb-md-toolbar">
      {TOOLS.map((tool) => (
        <button
          key={tool.id}
          type="button"
          class={'md-tool md-tool-' + tool.id}
          title={t(tool.label) + (tool.key ? ` (Ctrl+${tool.key.toUpperCase()})` : '')}
          aria-label={t(tool.label)}
          onClick={() => apply(area.current, tool.run, onChange)}
          data-testid={'kb-md-' + tool.id}
        >
          <span aria-hidden="true">{tool.glyph}</span>
        </button>
      ))}
    </div>
  );
}

/** Ctrl/⌘+B, I, K in the body: the toolbar's bold, italic and link. */
export function mdKeys(e: KeyboardEvent, onChange: (s: string) => void) {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
  const tool = TOOLS.find((x) => x.key && x.key === e.key.toLowerCase());
  if (!tool) return;
  e.preventDefault();
  apply(e.currentTarget as HTMLTextAreaElement, tool.run, onChange);
}

// ---- the live preview --------------------------------------------------------------------

const SAFE_HREF = /^(https?:\/\/|mailto:|\/|#)/i;

function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const re = /(\*\*([^*]+)\*\*|__([^_]+)__|\*([^*]+)\*|_([^_]+)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\))/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[2] ?? m[3]) out.push(<strong>{inline(m[2] ?? m[3])}</strong>);
    else if (m[4] ?? m[5]) out.push(<em>{inline(m[4] ?? m[5])}</em>);
    else if (m[6]) out.push(<code>{m[6]}</code>);
    else if (m[7]) out.push(SAFE_HREF.test(m[8]) ? <a href={m[8]} target="_blank" rel="noopener noreferrer">{inline(m[7])}</a> : m[7]);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function MdPreview({ source, id }: { source: string; id?: string }) {
  const blocks: ComponentChildren[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (!line.trim()) {
      i++;
    } else if (h) {
      const level = Math.min(4, h[1].length + 1); // the article's title is the page's h1
      const Tag = ('h' + level) as 'h2';
      blocks.push(<Tag key={i}>{inline(h[2])}</Tag>);
      i++;
    } else if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: ComponentChildren[] = [];
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) {
        items.push(<li key={i}>{inline(lines[i].replace(/^\s*([-*+]|\d+[.)])\s+/, ''))}</li>);
        i++;
      }
      blocks.push(ordered ? <ol key={'l' + i}>{items}</ol> : <ul key={'l' + i}>{items}</ul>);
    } else {
      const para: string[] = [];
      while (i < lines.length && lines[i].trim() && !/^(#{1,4})\s/.test(lines[i]) && !/^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) para.push(lines[i++]);
      blocks.push(<p key={'p' + i}>{inline(para.join(' '))}</p>);
    }
  }
  return (
    <div class="kb-preview kb-live-preview help-article" id={id} data-testid="kb-live-preview" aria-live="off">
      {blocks.length ? blocks : <p class="muted">{t('kb.mdEmpty')}</p>}
    </div>
  );
}
