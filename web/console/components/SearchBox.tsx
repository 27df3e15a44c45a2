// The top bar's search: messages, notes, conversations and contacts as you type.
// A combobox with a grouped listbox; "/" focuses it, arrows move, Enter opens
// the conversation, Esc closes. Snippets arrive as parts with the matches
// marked; they are rendered as text, never as HTML.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtRelative, t } from '../i18n';
import { selectConversation } from '../store';
import type { Conversation } from '../types';
import { IconSearch } from './Icons';

interface SnippetPart {
  text: string;
  match: boolean;
}
interface MessageHit {
  id: number;
  conversation_id: number;
  kind: 'message' | 'note';
  author: { type: string; name: string };
  created_at: number;
  snippet: SnippetPart[];
}
interface ContactHit {
  id: number;
  name: string;
  email: string;
  phone: string;
  conversation_id: number | null;
}
interface Group<T> {
  items: T[];
  next_before: number | null;
}
interface SearchAnswer {
  conversations: Group<Conversation>;
  messages: Group<MessageHit>;
  contacts: Group<ContactHit>;
  /** False when the server stopped looking before it had a page (a common word). */
  complete: boolean;
}

/** One row of the listbox: what it shows and the conversation it opens. */
interface Option {
  key: string;
  group: 'conversations' | 'messages' | 'contacts';
  conversationId: number | null;
  hit: Conversation | MessageHit | ContactHit;
}

const MAX_QUERY = 200;
const DEBOUNCE_MS = 150;
const LIMIT = 8;
// ARIA 1.2's combobox on a plain text input; Preact's types only allow it with a datalist.
const COMBOBOX = { role: 'combobox' } as Record<string, string>;

export function focusSearch(): void {
  document.querySelector<HTMLInputElement>('[data-testid="search-input"]')?.focus();
}

function optionsOf(a: SearchAnswer): Option[] {
  return [
    ...a.conversations.items.map((c) => ({ key: 'c' + c.id, group: 'conversations' as const, conversationId: c.id, hit: c })),
    ...a.messages.items.map((m) => ({ key: 'm' + m.id, group: 'messages' as const, conversationId: m.conversation_id, hit: m })),
    ...a.contacts.items.map((c) => ({ key: 'p' + c.id, group: 'contacts' as const, conversationId: c.conversation_id, hit: c })),
  ];
}

function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <span class="search-snippet">
      {parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}
    </span>
  );
}

function OptionBody({ o }: { o: Option }) {
  if (o.group === 'conversations') {
    const c = o.hit as Conversation;
    return (
      <>
        <span class="search-title">{c.contact.name || c.contact.email || '#' + c.id}</span>
        <span class="search-sub">{c.subject || c.last_message?.body || ''}</span>
      </>
    );
  }
  if (o.group === 'messages') {
    const m = o.hit as MessageHit;
    return (
      <>
        <span class="search-title">
          {m.kind === 'note' && <span class="search-badge">{t('search.note')}</span>}
          {m.author.name || t(m.author.type === 'visitor' ? 'search.customer' : 'search.agent')}
          <span class="search-when"> · {fmtRelative(m.created_at)}</span>
        </span>
        <Snippet parts={m.snippet} />
      </>
    );
  }
  const c = o.hit as ContactHit;
  return (
    <>
      <span class="search-title">{c.name || c.email || c.phone}</span>
      <span class="search-sub">{[c.email, c.phone].filter(Boolean).join(' · ')}</span>
    </>
  );
}

export function SearchBox() {
  const [query, setQuery] = useState('');
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [state, setSearchState] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const q = query.slice(0, MAX_QUERY);
    if (!q.trim()) {
      setAnswer(null);
      setSearchState('idle');
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      setSearchState('loading');
      try {
        const a = await api.get<SearchAnswer>(`/search?limit=${LIMIT}&q=${encodeURIComponent(q)}`, { signal: ctl.signal });
        setAnswer(a);
        setActive(0);
        setSearchState('done');
      } catch (err) {
        if ((err as Error)?.name === 'AbortError') return;
        // 400: nothing searchable in the text (only punctuation): not an error to show.
        setAnswer(null);
        setSearchState((err as { status?: number }).status === 400 ? 'done' : 'error');
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [query]);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const options = answer ? optionsOf(answer) : [];
  const shown = open && query.trim() !== '';
  const activeOption = shown ? options[Math.min(active, options.length - 1)] : undefined;

  function choose(o: Option | undefined) {
    if (!o || o.conversationId == null) return;
    selectConversation(o.conversationId);
    setOpen(false);
    input.current?.blur();
  }

  function onKey(e: KeyboardEvent) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      if (!options.length) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (Math.min(i, options.length - 1) + step + options.length) % options.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(activeOption);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (shown) setOpen(false);
      else input.current?.blur();
    }
  }

  useEffect(() => {
    if (activeOption) document.getElementById('search-opt-' + activeOption.key)?.scrollIntoView({ block: 'nearest' });
  }, [activeOption?.key]);

  const groups = (['conversations', 'messages', 'contacts'] as const).map((g) => ({ g, items: options.filter((o) => o.group === g) })).filter((x) => x.items.length);
  const status =
    state === 'loading'
      ? t('search.searching')
      : state === 'error'
        ? t('search.error')
        : state === 'done' && answer && !answer.complete
          ? t('search.partial')
          : state === 'done' && !options.length
            ? t('search.empty')
            : '';

  return (
    <div class="search" ref={root}>
      <label class="sr-only" for="console-search">
        {t('search.label')}
      </label>
      <IconSearch size={16} class="search-icon" />
      <input
        id="console-search"
        ref={input}
        type="search"
        class="search-input"
        data-testid="search-input"
        placeholder={t('search.placeholder')}
        autocomplete="off"
        spellcheck={false}
        maxLength={MAX_QUERY}
        {...COMBOBOX}
        aria-expanded={shown}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={activeOption ? 'search-opt-' + activeOption.key : undefined}
        value={query}
        onInput={(e) => {
          setQuery((e.target as HTMLInputElement).value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKey}
      />
      <kbd class="search-key" aria-hidden="true">
        /
      </kbd>
      <div class="search-popup" hidden={!shown} data-testid="search-results">
        <div role="listbox" id="search-results" aria-label={t('search.label')}>
          {groups.map(({ g, items }) => (
            <div role="group" aria-labelledby={'search-group-' + g} key={g}>
              <div class="search-group" id={'search-group-' + g} role="presentation">
                {t(('search.' + g) as 'search.conversations')}
              </div>
              {items.map((o) => (
                <div
                  key={o.key}
                  id={'search-opt-' + o.key}
                  role="option"
                  aria-selected={o === activeOption}
                  aria-disabled={o.conversationId == null}
                  class={'search-option' + (o === activeOption ? ' is-active' : '')}
                  data-testid="search-option"
                  data-group={g}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(o)}
                  onMouseMove={() => setActive(options.indexOf(o))}
                >
                  <OptionBody o={o} />
                </div>
              ))}
            </div>
          ))}
        </div>
        <div class="search-status" role="status" aria-live="polite">
          {status}
        </div>
      </div>
    </div>
  );
}
