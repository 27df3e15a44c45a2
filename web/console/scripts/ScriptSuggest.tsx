// Scripts in the composer: once the agent is in the reply box, ~400 ms after the draft
// stops changing the server is asked which script fits the moment (GET /scripts/suggest:
// a greeting before the agent has written, a hold or a transfer when the draft starts one,
// a closing when the customer thanks…). The suggestion sits in the row under the text, in
// the place of the key hint, so nothing moves: "Suggested for Greeting: <title> — <text>".
// A click or Alt+S inserts it at the caret (filled in for this conversation) and counts the
// use; ▾ lists the situation's scripts, and any other situation's, to pick another. It never
// blocks typing or sending; a failure just shows nothing.
import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { navigate, useStore } from '../store';
import type { Conversation } from '../types';
import { missingCaret } from '../canned/cannedApi';
import { IconScripts } from './IconScripts';
import {
  SITUATIONS,
  countUse,
  fill,
  knownValues,
  listScripts,
  scriptsAvailable,
  situationName,
  suggest,
  type Script,
  type Situation,
  type Suggestion,
} from './scriptsApi';
import './scripts.css';

const DEBOUNCE_MS = 400;

/** A script ready to insert: the filled text of one variant. */
export interface Ready {
  id: number;
  title: string;
  language: string;
  variant: number;
  text: string;
  missing: string[];
  /** The variant as written, to find where a missing value goes. */
  template?: string;
}

/** Whether the workspace has any script (asked once a minute at most): the ▾ menu shows even when nothing is suggested. */
let anyScripts: { at: number; have: Promise<boolean> } | null = null;
function haveScripts(): Promise<boolean> {
  if (!anyScripts || Date.now() - anyScripts.at > 60_000)
    anyScripts = {
      at: Date.now(),
      have: listScripts().then(
        (l) => l.length > 0,
        () => false,
      ),
    };
  return anyScripts.have;
}

/** Whether `draft` already carries `text` (inserted before). */
const carries = (draft: string, text: string) => !!text.trim() && draft.includes(text.trim());

/** The scripts of a situation in a language ("" = the conversation's is unknown: only any-language ones), ready to insert. */
async function scriptsFor(situation: Situation, language: string, conv: Conversation | undefined, me: Parameters<typeof knownValues>[1]): Promise<{ list: Ready[]; all: Script[] }> {
  const all = (await listScripts({ situation, language: language || undefined })).filter((s) => s.situation === situation && (language || !s.language));
  const values = knownValues(conv, me);
  const list: Ready[] = [];
  for (const s of all) {
    const v = s.variants.find((x) => x.id === s.offer && !x.retired);
    if (!v) continue;
    const f = fill(v.text, values);
    list.push({ id: s.id, title: s.title, language: s.language, variant: v.id, text: f.text, missing: f.missing, template: v.text });
  }
  return { list, all };
}

/**
 * The composer's script suggestion. Call onFocus when the reply box takes the focus, let
 * onKeyDown handle a key first (Alt+S), render `chip` in the row under the text, `menu` in
 * the composer box and `live` anywhere (the announcement). `apply(text, caret)` replaces the
 * draft and puts the caret.
 */
export function useScriptSuggest({
  convId,
  conv,
  text,
  note,
  area,
  apply,
}: {
  convId: number;
  conv: Conversation | undefined;
  text: string;
  note: boolean;
  area: RefObject<HTMLTextAreaElement | null>;
  apply: (text: string, caret: number) => void;
}) {
  const me = useStore((s) => s.me);
  /** The agent has been in this conversation's reply box: suggestions are wanted. */
  const [engaged, setEngaged] = useState(false);
  const [result, setResult] = useState<(Suggestion & { conv: number; templates: Record<string, string> }) | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [inserted, setInserted] = useState<{ conv: number; text: string; missing: string[] } | null>(null);
  const [browsable, setBrowsable] = useState(false);
  const latest = useRef({ text, convId });
  latest.current = { text, convId };

  useEffect(() => {
    setEngaged(document.activeElement === area.current && !!area.current);
    setResult(null);
    setMenuOpen(false);
    setInserted(null);
  }, [convId]);

  const wanted = engaged && !note && scriptsAvailable();
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    void haveScripts().then((b) => live && setBrowsable(b));
    return () => {
      live = false;
    };
  }, [wanted, convId]);
  useEffect(() => {
    if (!wanted) return;
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      const r = await suggest(convId, text, ctl.signal);
      if (ctl.signal.aborted || latest.current.convId !== convId) return;
      if (!r) return; // keep what was there: a failed request is no reason to flicker
      const templates: Record<string, string> = {};
      // A value is missing: the variants as written say where the caret goes after inserting.
      if (r.scripts.some((s) => s.missing.length)) {
        try {
          for (const s of await listScripts({ situation: r.situation, language: r.language || undefined }))
            for (const v of s.variants) templates[`${s.id}:${v.id}`] = v.text;
        } catch {
          /* the caret goes to the end */
        }
      }
      if (!ctl.signal.aborted) setResult({ ...r, conv: convId, templates });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
    // Asked again when the draft changes and when the conversation moves on (the agent's reply
    // went out, the customer thanked): the moment is another.
  }, [wanted, convId, text, conv?.last_seq]);

  const mine = result && result.conv === convId && !note ? result : null;
  // The first script of the moment not already in the draft.
  const top = mine?.scripts.find((s) => !carries(text, s.text)) ?? null;
  const ready: Ready | null = top ? { ...top, template: mine!.templates[`${top.id}:${top.variant}`] } : null;

  /** Puts `r` at the caret (with a space either side where words would touch), counts the use. */
  function insert(r: Ready) {
    const el = area.current;
    const cur = latest.current.text;
    // The caret (a textarea keeps it while the focus is on the chip or the menu).
    const start = el ? Math.min(el.selectionStart ?? cur.length, cur.length) : cur.length;
    const end = el ? Math.min(Math.max(el.selectionEnd ?? start, start), cur.length) : start;
    const before = cur.slice(0, start);
    const after = cur.slice(end);
    const lead = before && !/\s$/.test(before) ? ' ' : '';
    const trail = after && !/^\s/.test(after) ? ' ' : '';
    const body = r.text.trim();
    const next = before + lead + body + trail + after;
    const at = before.length + lead.length;
    // A value is missing: the caret waits where it goes (the texts are stored trimmed).
    const hole = r.template && r.missing.length && body === r.text ? missingCaret(r.template, r.text, r.missing) : null;
    apply(next, at + (hole ?? body.length));
    setMenuOpen(false);
    setInserted({ conv: convId, text: body, missing: r.missing });
    countUse(r.id, convId, r.variant);
  }

  function onKeyDown(e: KeyboardEvent): boolean {
    if (e.isComposing || !e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.code !== 'KeyS') return false;
    if (note) return false;
    e.preventDefault();
    if (ready) insert(ready);
    return true;
  }

  const fillIn = inserted && inserted.conv === convId && inserted.missing.length > 0 && text.includes(inserted.text) ? inserted.missing : null;
  const showChip = !!ready || !!fillIn || menuOpen || (wanted && browsable);

  const chip = note || !showChip ? null : (
    <div class="script-suggest" data-testid="script-suggest" data-situation={mine?.situation ?? ''}>
      {fillIn ? (
        <span class="canned-missing script-missing" role="status" data-testid="script-missing">
          {t('canned.fillIn', { names: fillIn.join(', ') })}
        </span>
      ) : ready && mine ? (
        <button
          type="button"
          class="script-chip"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => insert(ready)}
          aria-keyshortcuts="Alt+S"
          aria-label={t('scripts.insertNamed', { situation: situationName(mine.situation), title: ready.title, text: ready.text })}
          data-testid="script-insert"
          data-script={ready.id}
        >
          <IconScripts size={14} />
          <span class="script-chip-for">{t('scripts.suggestedFor', { situation: situationName(mine.situation) })}</span>
          <span class="script-chip-sit">{situationName(mine.situation)} ·</span>
          <span class="script-chip-title">{ready.title}</span>
          <span class="script-chip-text">{ready.text}</span>
          <kbd class="script-chip-key" aria-hidden="true">
            Alt+S
          </kbd>
        </button>
      ) : null}
      {!fillIn && ready && mine && !menuOpen && (
        <span class="script-preview" aria-hidden="true">
          <span class="script-preview-head">
            {t('scripts.suggestedFor', { situation: situationName(mine.situation) })} <b>{ready.title}</b>
          </span>
          <span class="script-preview-text">{ready.text}</span>
          <span class="script-preview-foot">{t('scripts.previewHint')}</span>
        </span>
      )}
      <button
        type="button"
        class={'icon-button script-more' + (menuOpen ? ' is-active' : '') + (!ready && !fillIn ? ' is-alone' : '')}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => setMenuOpen((o) => !o)}
        aria-expanded={menuOpen}
        aria-controls={menuOpen ? 'script-menu-' + convId : undefined}
        aria-label={t('scripts.pickOther')}
        title={t('scripts.pickOther')}
        data-testid="script-more"
      >
        {!ready && !fillIn && <IconScripts size={14} />}
        <span aria-hidden="true">▾</span>
      </button>
    </div>
  );

  const menu =
    menuOpen && !note ? (
      <ScriptMenu
        id={'script-menu-' + convId}
        conv={conv}
        me={me}
        situation={mine?.situation ?? 'greeting'}
        language={mine?.language ?? conv?.language ?? ''}
        suggested={mine}
        onPick={insert}
        onClose={(refocus) => {
          setMenuOpen(false);
          if (refocus) area.current?.focus();
        }}
      />
    ) : null;

  // Said once per new suggestion (screen readers), not on every keystroke.
  const said = ready && mine ? t('scripts.announce', { situation: situationName(mine.situation), title: ready.title }) : '';
  const live = (
    <span class="sr-only" aria-live="polite" data-testid="script-live">
      {said}
    </span>
  );

  return {
    chip,
    menu,
    live,
    onKeyDown,
    onFocus: () => setEngaged(true),
    /** The menu is open (the textarea's own keys stay its own meanwhile). */
    open: menuOpen,
  };
}

/**
 * The scripts of a situation (the suggested one first), to pick another: a situation
 * chooser and the scripts as buttons, ↑↓ between them, Esc closes. The suggested
 * situation's scripts come filled by the server; another's are filled here.
 */
function ScriptMenu({
  id,
  conv,
  me,
  situation: initial,
  language,
  suggested,
  onPick,
  onClose,
}: {
  id: string;
  conv: Conversation | undefined;
  me: Parameters<typeof knownValues>[1];
  situation: Situation;
  language: string;
  suggested: Suggestion | null;
  onPick: (r: Ready) => void;
  onClose: (refocus: boolean) => void;
}) {
  const [situation, setSituation] = useState<Situation>(initial);
  const [items, setItems] = useState<Ready[] | null>(null);
  const [failed, setFailed] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const select = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    let live = true;
    setItems(null);
    setFailed(false);
    scriptsFor(situation, language, conv, me)
      .then(({ list }) => {
        if (!live) return;
        // The server's fill wins where it has one (it knows the inbox and the workspace too).
        const server = suggested && suggested.situation === situation ? suggested.scripts : [];
        setItems(list.map((r) => {
          const s = server.find((x) => x.id === r.id && x.variant === r.variant);
          return s ? { ...r, text: s.text, missing: s.missing } : r;
        }));
      })
      .catch(() => live && (setFailed(true), setItems([])));
    return () => {
      live = false;
    };
  }, [situation, language]);

  useLayoutEffect(() => {
    select.current?.focus();
  }, []);

  // A click elsewhere closes it.
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      const target = e.target as Node | null;
      if (box.current && target && !box.current.contains(target) && !(target as HTMLElement).closest?.('[data-testid="script-more"]')) onClose(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose(true);
      return;
    }
    // ↑↓ move between the scripts (the situation chooser keeps its own keys).
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = Array.from(box.current?.querySelectorAll<HTMLButtonElement>('.script-option') ?? []);
    const i = buttons.indexOf(e.target as HTMLButtonElement);
    if (i < 0) return;
    e.preventDefault();
    const next = e.key === 'ArrowDown' ? Math.min(buttons.length - 1, i + 1) : i - 1;
    if (next < 0) select.current?.focus();
    else buttons[next].focus();
  }

  const suggestedHere = suggested && suggested.situation === situation;
  return (
    <div class="script-menu" id={id} ref={box} onKeyDown={onKeyDown} role="dialog" aria-label={t('scripts.menuLabel')} data-testid="script-menu">
      <div class="script-menu-head">
        <label class="script-menu-situation">
          <span class="field-label">{t('scripts.situation')}</span>
          <select ref={select} value={situation} onChange={(e) => setSituation(e.currentTarget.value as Situation)} data-testid="script-menu-situation">
            {SITUATIONS.map((s) => (
              <option key={s} value={s}>
                {situationName(s)}
                {suggested?.situation === s ? ' ★' : ''}
              </option>
            ))}
          </select>
        </label>
        {suggestedHere && <span class="script-menu-note">{t('scripts.suggestedNow')}</span>}
      </div>
      {!items ? (
        <p class="script-menu-state" role="status">
          {t('common.loading')}
        </p>
      ) : items.length === 0 ? (
        <p class="script-menu-state" data-testid="script-menu-empty">
          {failed ? t('scripts.loadFailed') : t('scripts.noneForSituation')}
        </p>
      ) : (
        <ul class="script-options" aria-label={situationName(situation)}>
          {items.map((r) => (
            <li key={r.id}>
              <button type="button" class="script-option" onClick={() => onPick(r)} data-testid="script-option" data-script={r.id}>
                <span class="script-option-head">
                  <span class="script-option-title">{r.title}</span>
                  <span class="canned-badge">{r.language ? r.language.toUpperCase() : t('scripts.anyLanguageShort')}</span>
                </span>
                <span class="script-option-text">{r.text}</span>
                {r.missing.length > 0 && <span class="script-option-missing">{t('canned.fillIn', { names: r.missing.join(', ') })}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="script-menu-foot">
        <span aria-hidden="true">{t('scripts.menuHint')}</span>
        <a
          href="/console/scripts"
          onClick={(e) => {
            if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
            e.preventDefault();
            navigate({ section: 'scripts', tab: 'list', scriptId: null });
          }}
          data-testid="script-menu-all"
        >
          {t('scripts.allScripts')}
        </a>
      </p>
    </div>
  );
}
