// Canned answers in the composer: "/" at the start of the draft or after a space opens
// a list of answers above the text (searched as the agent types, in the conversation's
// language); Enter or Tab picks one, which the server fills in for this conversation.
// A chip under the text cycles the variants; a missing value is named and the caret
// waits where it goes. An answer's files come as fresh copies (/attach) among the reply's
// files, as if the agent had uploaded them. On send, the use is counted for the
// conversation and a predefined answer's ticket fields are set. With no canned answers on
// the server nothing shows.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, type StringKey } from '../i18n';
import { LANG_CODES } from '../../shared/languages';
import { getState, toast, toastError } from '../store';
import { patchTicket, changeError } from '../tickets/data';
import { IconPaperclip } from '../components/Icons';
import type { Attachment, Conversation } from '../types';
import {
  attachCanned,
  cannedAvailable,
  countUse,
  missingCaret,
  renderCanned,
  searchCanned,
  slashAt,
  type CannedActions,
  type CannedAnswer,
  type CannedScope,
  type SlashQuery,
} from './cannedApi';
import './canned.css';

const DEBOUNCE_MS = 120;
const SHOWN = 8;

/** An answer put into the draft: what was inserted, so sending can tell it was used. */
export interface CannedPick {
  answer: CannedAnswer;
  variant: number;
  variants: number;
  text: string;
  missing: string[];
  actions: CannedActions;
}

// Picks survive switching between conversations, like the drafts (memory only).
const picksByConv = new Map<number, CannedPick[]>();

export const SCOPE_LABEL: Record<CannedScope, StringKey> = {
  personal: 'canned.scope.personal',
  team: 'canned.scope.team',
  workspace: 'canned.scope.workspace',
};

/** The conversation's language, if it is one answers can be written in. */
export function conversationLanguage(conv: Conversation | undefined): string | undefined {
  const codes = LANG_CODES as readonly string[];
  for (const l of [conv?.language, conv?.meta?.detected_language]) if (l && codes.includes(l)) return l;
  return undefined;
}

/** Whether the sent text still carries the inserted answer (as is, or most of its words). */
export function stillUsed(inserted: string, sent: string): boolean {
  const ins = inserted.trim();
  if (!ins) return false;
  if (sent.includes(ins)) return true;
  const words = ins.toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) return false;
  const have = new Set(sent.toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  return words.filter((w) => have.has(w)).length / words.length >= 0.6;
}

/** The ticket fields an answer sets, in words: "Status: Solved · Tags: refund". */
export function actionsText(a: CannedActions): string {
  const parts: string[] = [];
  if (a.status) parts.push(`${t('canned.action.status')}: ${t(`ticket.status.${a.status}` as StringKey)}`);
  if (a.priority) parts.push(`${t('canned.action.priority')}: ${t(`ticket.priority.${a.priority}` as StringKey)}`);
  if (a.tags?.length) parts.push(`${t('canned.action.tags')}: ${a.tags.join(', ')}`);
  return parts.join(' · ');
}

const hasActions = (a: CannedActions | undefined) => !!a && (!!a.status || !!a.priority || !!a.tags?.length);

/** Waits until the reply `body` left the outbox (acknowledged: true; failed or too long: false). */
function delivered(convId: number, body: string): Promise<boolean> {
  const item = [...getState().outbox].reverse().find((o) => o.conversation_id === convId && o.body === body);
  if (!item) return Promise.resolve(true);
  return new Promise((resolve) => {
    const started = Date.now();
    const tick = setInterval(() => {
      const o = getState().outbox.find((x) => x.client_id === item.client_id);
      if (!o || o.state === 'failed' || Date.now() - started > 20_000) {
        clearInterval(tick);
        resolve(!o);
      }
    }, 150);
  });
}

/** Sets the ticket fields of the answers sent (status and priority: the last one's; tags: added). */
async function applyActions(conv: Conversation, list: CannedActions[]): Promise<void> {
  const merged: CannedActions = {};
  for (const a of list) {
    if (a.status) merged.status = a.status;
    if (a.priority) merged.priority = a.priority;
    if (a.tags?.length) merged.tags = [...(merged.tags ?? []), ...a.tags];
  }
  if (!hasActions(merged)) return;
  const latest = getState().convs[conv.id] ?? conv;
  const patch: { status?: CannedActions['status']; priority?: CannedActions['priority']; tags?: string[] } = {};
  if (merged.status && merged.status !== latest.ticket?.status) patch.status = merged.status;
  if (merged.priority && merged.priority !== latest.ticket?.priority) patch.priority = merged.priority;
  if (merged.tags) {
    const old = latest.ticket?.tags ?? [];
    const add = merged.tags.filter((x, i, all) => !old.includes(x) && all.indexOf(x) === i);
    if (add.length) patch.tags = [...old, ...add];
  }
  if (!Object.keys(patch).length) return;
  try {
    await patchTicket(conv.id, patch);
    toast(t('canned.actionsApplied', { fields: actionsText(merged) }), 'success');
  } catch (err) {
    toast(t('canned.actionsFailed', { message: changeError(err) }), 'error');
  }
}

interface Open extends SlashQuery {
  index: number;
}

/**
 * The composer's canned answers: call onInput/onCaret with the draft and caret, let onKeyDown
 * handle a key first, render `menu` above the text and `bar` under it, and call sent() after a
 * message (or note) went out. `apply(text, caret)` replaces the draft and puts the caret;
 * `attach(files, copies)` adds an answer's files to the reply (shown as on their way until
 * `copies` arrive).
 */
export function useCannedPicker({
  convId,
  conv,
  text,
  note,
  area,
  apply,
  attach,
}: {
  convId: number;
  conv: Conversation | undefined;
  text: string;
  note: boolean;
  area: RefObject<HTMLTextAreaElement | null>;
  apply: (text: string, caret: number) => void;
  attach: (files: Attachment[], copies: Promise<Attachment[]>) => void;
}) {
  const [open, setOpen] = useState<Open | null>(null);
  const [found, setFound] = useState<{ query: string; items: CannedAnswer[] } | null>(null);
  const [picks, setPicksState] = useState<CannedPick[]>(picksByConv.get(convId) ?? []);
  const [busy, setBusyState] = useState(false);
  const busyRef = useRef(false);
  const picksRef = useRef(picks);
  /** Esc closed the list for the "/" at this index: it stays closed while the agent types on. */
  const dismissed = useRef<number | null>(null);
  /** Enter came before the answers: take the first when they arrive. */
  const pickOnArrive = useRef(false);
  const latest = useRef({ text, convId, open });
  latest.current = { text, convId, open };
  const language = conversationLanguage(conv);
  const query = open?.query ?? null;

  function setPicks(list: CannedPick[]) {
    if (list.length) picksByConv.set(convId, list);
    else picksByConv.delete(convId);
    picksRef.current = list;
    setPicksState(list);
  }
  function setBusy(b: boolean) {
    busyRef.current = b;
    setBusyState(b);
  }

  useEffect(() => {
    setOpen(null);
    setFound(null);
    picksRef.current = picksByConv.get(convId) ?? [];
    setPicksState(picksRef.current);
    dismissed.current = null;
    pickOnArrive.current = false;
  }, [convId]);

  useEffect(() => {
    if (query == null || !cannedAvailable()) return;
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      const items = await searchCanned(query, language, ctl.signal);
      if (!items || ctl.signal.aborted) return;
      setFound({ query, items });
      if (pickOnArrive.current) {
        pickOnArrive.current = false;
        if (items.length) void pick(items[0]);
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [query, language]);

  const items = open && found ? found.items.slice(0, SHOWN) : [];
  const shown = !!open && items.length > 0;
  const active = open ? Math.min(open.index, Math.max(0, items.length - 1)) : 0;
  const menuId = 'canned-' + convId;

  function at(v: string, caret: number) {
    const q = slashAt(v, caret);
    if (!q || !cannedAvailable()) {
      dismissed.current = null;
      setOpen(null);
      setFound(null);
      return;
    }
    if (dismissed.current === q.start) return;
    dismissed.current = null;
    setOpen((o) => ({ ...q, index: o && o.start === q.start ? o.index : 0 }));
  }

  function close() {
    pickOnArrive.current = false;
    setOpen(null);
  }

  async function pick(answer: CannedAnswer) {
    const q = latest.current.open;
    if (!q || busyRef.current) return;
    close();
    setBusy(true);
    try {
      const r = await renderCanned(answer.id, { conversation_id: convId });
      if (latest.current.convId !== convId) return;
      const cur = latest.current.text;
      const token = '/' + q.query;
      // The "/query" is replaced where it still is; else the answer goes at its place.
      const start = cur.slice(q.start, q.start + token.length) === token ? q.start : Math.min(q.start, cur.length);
      const end = start === q.start ? q.start + token.length : start;
      const next = cur.slice(0, start) + r.text + cur.slice(end);
      const template = answer.variants[r.variant]?.text ?? '';
      const hole = missingCaret(template, r.text, r.missing);
      apply(next, start + (hole ?? r.text.length));
      setPicks([...picksRef.current, { answer, variant: r.variant, variants: r.variants, text: r.text, missing: r.missing, actions: r.actions ?? {} }]);
      const files = answer.attachments ?? [];
      if (files.length && note) toast(t('canned.noFilesInNote'), 'info');
      else if (files.length) attach(files, attachCanned(answer.id, convId));
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  /** The latest pick still as inserted in the draft: its variants can be cycled. */
  const current = picks.length > 0 && text.includes(picks[picks.length - 1].text) ? picks[picks.length - 1] : null;

  async function cycle() {
    const p = current;
    if (!p || busyRef.current || p.variants < 2) return;
    setBusy(true);
    try {
      const r = await renderCanned(p.answer.id, { conversation_id: convId, variant: (p.variant + 1) % p.variants });
      const cur = latest.current.text;
      const start = cur.lastIndexOf(p.text);
      if (start < 0 || latest.current.convId !== convId) return;
      const next = cur.slice(0, start) + r.text + cur.slice(start + p.text.length);
      const template = p.answer.variants[r.variant]?.text ?? '';
      const hole = missingCaret(template, r.text, r.missing);
      apply(next, start + (hole ?? r.text.length));
      setPicks(picksRef.current.map((x) => (x === p ? { ...p, variant: r.variant, variants: r.variants, text: r.text, missing: r.missing, actions: r.actions ?? {} } : x)));
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  /** After a reply or note went out with `body`: counts the answers it carries, and sets a ticket's fields. */
  function sent(body: string, asNote: boolean) {
    const used = picksRef.current.filter((p) => stillUsed(p.text, body));
    setPicks([]);
    close();
    if (asNote || !used.length) return;
    for (const p of used) countUse(p.answer.id, p.variant, convId);
    const acts = used.map((p) => p.actions).filter(hasActions);
    if (conv?.ticket && acts.length) {
      const c = conv;
      void delivered(convId, body).then((ok) => (ok ? applyActions(c, acts) : undefined));
    }
  }

  /** Handles the key when the list is open; true: the composer must not. */
  function onKeyDown(e: KeyboardEvent): boolean {
    if (!open || e.isComposing) return false;
    if (e.key === 'Escape') {
      e.preventDefault();
      dismissed.current = open.start;
      close();
      return true;
    }
    const enter = e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey;
    if (!shown) {
      // The answers for what was typed are on their way: Enter waits for them, not sends "/ref".
      if (enter && (!found || found.query !== open.query) && cannedAvailable()) {
        e.preventDefault();
        pickOnArrive.current = true;
        return true;
      }
      return false;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = items.length;
      setOpen({ ...open, index: (active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
      return true;
    }
    if (enter || (e.key === 'Tab' && !e.shiftKey)) {
      e.preventDefault();
      void pick(items[active]);
      return true;
    }
    return false;
  }

  // Keep the highlighted answer in view.
  useEffect(() => {
    if (!shown) return;
    document.getElementById(`${menuId}-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [shown, active]);

  const menu = shown ? <CannedMenu id={menuId} items={items} active={active} onPick={(i) => void pick(items[i])} onHover={(i) => open && setOpen({ ...open, index: i })} /> : null;

  const bar =
    current && (current.variants > 1 || current.missing.length > 0 || hasActions(current.actions)) ? (
      <CannedBar pick={current} busy={busy} ticket={!note && !!conv?.ticket} onCycle={() => void cycle()} />
    ) : null;

  return {
    menu,
    bar,
    open: shown,
    onInput: at,
    onCaret: at,
    // Later, so a click on an answer lands first; not if the focus came back meanwhile.
    onBlur: () => setTimeout(() => document.activeElement !== area.current && close(), 150),
    onKeyDown,
    sent,
    aria: shown
      ? {
          'aria-autocomplete': 'list' as const,
          'aria-controls': menuId,
          'aria-expanded': true,
          'aria-activedescendant': `${menuId}-${active}`,
        }
      : null,
    focus: () => area.current?.focus(),
  };
}

/** One line of a variant, its {{variables}} kept as names. */
const previewLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function CannedMenu({
  id,
  items,
  active,
  onPick,
  onHover,
}: {
  id: string;
  items: CannedAnswer[];
  active: number;
  onPick: (i: number) => void;
  onHover: (i: number) => void;
}) {
  return (
    <div class="canned-menu" data-testid="canned-menu">
      <ul class="canned-options" id={id} role="listbox" aria-label={t('canned.pickerLabel')}>
        {items.map((a, i) => {
          const next = a.variants[a.next_variant] ?? a.variants[0];
          return (
            <li
              key={a.id}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              class={'canned-option' + (i === active ? ' is-active' : '')}
              // mousedown, not click: the focus stays in the textarea.
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(i);
              }}
              onMouseMove={() => i !== active && onHover(i)}
              data-testid="canned-option"
              data-shortcut={a.shortcut}
            >
              <span class="canned-option-head">
                <span class="canned-shortcut">/{a.shortcut}</span>
                <span class="canned-option-title">{a.title}</span>
                {a.variants.length > 1 && <span class="canned-badge">{t('canned.variantsBadge', { n: a.variants.length })}</span>}
                {!!a.attachments?.length && (
                  <span class="canned-badge canned-files-badge" title={a.attachments.map((f) => f.name).join(', ')} data-testid="canned-option-files">
                    <IconPaperclip size={11} />
                    {t('canned.nFiles', { n: a.attachments.length })}
                  </span>
                )}
                <span class={'canned-badge canned-scope canned-scope-' + a.scope}>{t(SCOPE_LABEL[a.scope])}</span>
              </span>
              {next && <span class="canned-option-preview">{previewLine(next.text)}</span>}
            </li>
          );
        })}
      </ul>
      <p class="canned-menu-hint" aria-hidden="true">
        {t('canned.pickerHint')}
      </p>
    </div>
  );
}

/** Under the text: the answer's variant chip (↻ for the next), what must be filled in, and the ticket fields it sets. */
function CannedBar({ pick, busy, ticket, onCycle }: { pick: CannedPick; busy: boolean; ticket: boolean; onCycle: () => void }) {
  return (
    <div class="canned-bar" data-testid="canned-bar">
      <span class="canned-shortcut">/{pick.answer.shortcut}</span>
      {pick.variants > 1 && (
        <button
          type="button"
          class="canned-variant"
          onMouseDown={(e) => e.preventDefault()}
          onClick={onCycle}
          disabled={busy}
          title={t('canned.nextVariant')}
          aria-label={t('canned.variantOfNext', { n: pick.variant + 1, total: pick.variants })}
          data-testid="canned-variant"
          data-variant={pick.variant}
        >
          {t('canned.variantOf', { n: pick.variant + 1, total: pick.variants })}
          <span aria-hidden="true" class="canned-cycle">
            ↻
          </span>
        </button>
      )}
      {pick.missing.length > 0 && (
        <span class="canned-missing" role="status" data-testid="canned-missing">
          {t('canned.fillIn', { names: pick.missing.join(', ') })}
        </span>
      )}
      {ticket && hasActions(pick.actions) && (
        <span class="canned-sets" data-testid="canned-sets">
          {t('canned.willSet', { fields: actionsText(pick.actions) })}
        </span>
      )}
    </div>
  );
}
