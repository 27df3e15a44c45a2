// @mention autocomplete for internal notes: agents by first name (or e-mail local part).
import { t } from '../i18n';
import { firstName } from '../agentdesk';
import type { Agent } from '../types';
import { Avatar } from './Avatar';

export interface MentionQuery {
  /** Index of the "@". */
  start: number;
  /** Caret position (end of the typed query). */
  end: number;
  query: string;
  /** Highlighted option. */
  index: number;
}

export interface MentionOption {
  id: number;
  name: string;
  handle: string;
  email: string;
  color: string;
}

/** The "@query" right before the caret, if the caret is inside one. */
export function mentionAt(text: string, caret: number): Omit<MentionQuery, 'index'> | null {
  const before = text.slice(0, caret);
  const m = /(^|[\s(])@([\p{L}\p{N}._-]{0,40})$/u.exec(before);
  if (!m) return null;
  const start = caret - m[2].length - 1;
  return { start, end: caret, query: m[2] };
}

export function mentionMatches(agents: Agent[], query: string, myId?: number): MentionOption[] {
  const q = query.toLocaleLowerCase();
  const out: MentionOption[] = [];
  for (const a of agents) {
    if (a.id === myId) continue;
    const first = firstName(a.name);
    const local = (a.email || '').split('@')[0];
    const hit = !q || first.toLocaleLowerCase().startsWith(q) || a.name.toLocaleLowerCase().startsWith(q) || local.toLocaleLowerCase().startsWith(q);
    if (!hit || !first) continue;
    // Two agents with the same first name: the e-mail local part tells them apart.
    const twin = agents.some((b) => b.id !== a.id && firstName(b.name).toLocaleLowerCase() === first.toLocaleLowerCase());
    out.push({ id: a.id, name: a.name, handle: twin && local ? local : first, email: a.email, color: a.avatar_color });
    if (out.length >= 6) break;
  }
  return out;
}

export function MentionMenu({ id, items, active, onPick }: { id: string; items: MentionOption[]; active: number; onPick: (i: number) => void }) {
  const cur = Math.min(active, items.length - 1);
  return (
    <ul class="mention-menu" id={id} role="listbox" aria-label={t('composer.mentions')} data-testid="mention-menu">
      {items.map((a, i) => (
        <li
          key={a.id}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === cur}
          class={'mention-option' + (i === cur ? ' is-active' : '')}
          // mousedown, not click: keep the focus in the textarea.
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(i);
          }}
          data-testid="mention-option"
        >
          <Avatar name={a.name} color={a.color} size="xs" />
          <span class="mention-option-name">{a.name}</span>
          <span class="mention-option-handle">@{a.handle}</span>
        </li>
      ))}
    </ul>
  );
}
