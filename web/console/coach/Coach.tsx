// The etiquette coach in the composer: the draft is checked ~250 ms after typing
// stops; each flag is a wavy underline drawn on a backdrop mirrored behind the
// (transparent) textarea, and a hint under the box with its one-click fixes.
// Hints never block sending; with no coach on the server nothing shows.
import type { JSX, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t, type StringKey } from '../i18n';
import { IconCoach } from '../components/Icons';
import {
  carryFlags,
  checkDraft,
  coachHidden,
  hasRange,
  reportShown,
  setCoachHidden,
  validSuggestion,
  type CoachFlag,
  type CoachSuggestion,
} from './coachApi';
import './coach.css';

const DEBOUNCE_MS = 250;

export interface CoachState {
  /** The flags for the current draft (ranges in its indices). */
  flags: CoachFlag[];
  language: string;
}

/**
 * Checks `text` of conversation `convId` while `enabled`. Answers for a draft that has changed
 * meanwhile are dropped; until the next answer the last flags are carried over the edit.
 */
export function useCoach(convId: number, text: string, enabled: boolean): CoachState {
  const [res, setRes] = useState<{ conv: number; text: string; language: string; flags: CoachFlag[] } | null>(null);
  const current = useRef({ convId, text });
  current.current = { convId, text };

  useEffect(() => {
    if (!enabled || !text.trim()) {
      setRes(null);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(async () => {
      const r = await checkDraft(text, convId, ctl.signal);
      if (ctl.signal.aborted) return;
      if (current.current.convId !== convId || current.current.text !== text) return; // stale
      if (!r) {
        setRes(null);
        return;
      }
      setRes({ conv: convId, text, language: r.language, flags: r.flags });
      if (r.flags.length) reportShown(convId, r.language, r.flags);
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [convId, text, enabled]);

  if (!enabled || !res || res.conv !== convId || !text.trim()) return { flags: [], language: '' };
  return { flags: res.text === text ? res.flags : carryFlags(res.flags, res.text, text), language: res.language };
}

/** The agent's "hide the coach" switch (this browser). */
export function useCoachSwitch(): [boolean, () => void] {
  const [on, setOn] = useState(() => !coachHidden());
  return [
    on,
    () => {
      setCoachHidden(on);
      setOn(!on);
    },
  ];
}

/**
 * The mirror behind the textarea: the same text in the same box (font, padding, wrapping,
 * width without the scrollbar, scroll position), transparent, with the flagged ranges marked.
 */
export function CoachBackdrop({ area, text, flags }: { area: RefObject<HTMLTextAreaElement | null>; text: string; flags: CoachFlag[] }) {
  const back = useRef<HTMLDivElement>(null);
  const marks = flags
    .filter((f) => hasRange(f, text.length))
    .map((f) => [f.start!, f.end!, f] as const)
    .sort((a, b) => a[0] - b[0]);

  // Same width as the textarea's content (its scrollbar excluded) and the same scroll offset:
  // after every render, on scroll and when the textarea changes size (it grows with the text).
  const sync = () => {
    const el = area.current;
    const b = back.current;
    if (!el || !b) return;
    b.style.width = el.clientWidth + 'px';
    b.style.height = el.clientHeight + 'px';
    b.scrollTop = el.scrollTop;
    b.scrollLeft = el.scrollLeft;
  };
  useLayoutEffect(sync);
  const shown = marks.length > 0;
  useLayoutEffect(() => {
    const el = area.current;
    if (!el || !shown) return;
    el.addEventListener('scroll', sync);
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(sync) : null;
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', sync);
      ro?.disconnect();
    };
  }, [shown]);

  if (!marks.length) return null;
  const parts: (string | JSX.Element)[] = [];
  let at = 0;
  for (const [s, e, f] of marks) {
    if (s < at) continue; // overlapping: the first one wins
    if (s > at) parts.push(text.slice(at, s));
    parts.push(
      <mark key={s} class={'coach-mark coach-mark-' + f.kind} data-testid="coach-mark" data-rule={f.rule}>
        {text.slice(s, e)}
      </mark>,
    );
    at = e;
  }
  parts.push(text.slice(at) + '\u200b'); // a last empty line keeps its height
  return (
    <div class="coach-backdrop" ref={back} aria-hidden="true">
      {parts}
    </div>
  );
}

const KIND_KEYS: Record<string, StringKey> = {
  phrase: 'coach.kind.phrase',
  impolite_word: 'coach.kind.impolite_word',
  bare_no: 'coach.kind.bare_no',
  greeting_short: 'coach.kind.greeting_short',
  greeting_long: 'coach.kind.greeting_long',
  greeting_informal: 'coach.kind.greeting_informal',
  closing_without_question: 'coach.kind.closing_without_question',
  name_spelling: 'coach.kind.name_spelling',
  long_sentence: 'coach.kind.long_sentence',
  long_word: 'coach.kind.long_word',
  missing_keyword: 'coach.kind.missing_keyword',
};

const has = (v: unknown) => (typeof v === 'number' && isFinite(v)) || (typeof v === 'string' && v !== '');

/** What the flag means, in the console's language. */
export function coachExplanation(f: CoachFlag): string {
  return t(KIND_KEYS[f.kind] ?? 'coach.kind.other');
}

/** The figures behind the flag ("38 words, at most 35"; "The customer writes “Zsófia”"), or ''. */
export function coachDetail(f: CoachFlag): string {
  const p = f.params ?? {};
  const v = (k: string) => String(p[k]);
  switch (f.kind) {
    case 'greeting_short': {
      // The server names the least number of words `max` (the bound crossed); `min` is accepted too.
      const min = has(p.min) ? v('min') : has(p.max) ? v('max') : '';
      if (has(p.words) && min) return t('coach.detail.wordsMin', { words: v('words'), min });
      return has(p.words) ? t('coach.detail.words', { words: v('words') }) : '';
    }
    case 'greeting_long':
    case 'long_sentence':
      if (has(p.words) && has(p.max)) return t('coach.detail.wordsMax', { words: v('words'), max: v('max') });
      return has(p.words) ? t('coach.detail.words', { words: v('words') }) : '';
    case 'long_word':
      return has(p.letters) && has(p.max) ? t('coach.detail.letters', { letters: v('letters'), max: v('max') }) : '';
    case 'name_spelling':
      return has(p.name) ? t('coach.detail.name', { name: v('name') }) : '';
    case 'missing_keyword':
      return has(p.keyword) ? t('coach.detail.keyword', { keyword: v('keyword') }) : '';
    default:
      return '';
  }
}

/** Shortens a very long text for a hint (the whole text is in the title). */
const short = (s: string, max = 120) => (s.length > max ? s.slice(0, max - 2).trimEnd() + '…' : s);

/**
 * The hints under the composer: the kind explained, the flagged words, a "Use: …" button per
 * fix. Tab reaches them from the textarea; Alt+Shift+C jumps to the first.
 */
export function CoachHints({
  convId,
  text,
  flags,
  onApply,
}: {
  convId: number;
  text: string;
  flags: CoachFlag[];
  onApply: (f: CoachFlag, s: CoachSuggestion) => void;
}) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!flags.length) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey || e.code !== 'KeyC') return;
      const first = list.current?.querySelector<HTMLElement>('button, [tabindex]');
      if (!first) return;
      e.preventDefault();
      first.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [flags.length > 0]);

  const id = 'coach-' + convId;
  return (
    <div class="coach" ref={list} data-testid="coach">
      <p class="sr-only" role="status" id={id + '-status'}>
        {flags.length ? t('coach.count', { n: flags.length }) : ''}
      </p>
      {flags.length > 0 && (
        <section class="coach-panel" aria-labelledby={id + '-label'}>
          <h3 class="coach-label" id={id + '-label'} title={t('coach.shortcut')}>
            <IconCoach size={13} />
            {t('coach.label')}
          </h3>
          <ul class="coach-hints">
            {flags.map((f, i) => {
              const detail = coachDetail(f);
              const flagged = hasRange(f, text.length) ? text.slice(f.start!, f.end!) : '';
              const fixes = (f.suggestions ?? []).filter((s) => validSuggestion(s, text.length));
              return (
                <li
                  key={f.rule + ':' + (f.start ?? -1) + ':' + i}
                  class={'coach-hint' + (flagged ? '' : ' coach-hint-whole')}
                  data-testid="coach-hint"
                  data-rule={f.rule}
                  data-kind={f.kind}
                >
                  {flagged && (
                    <q class="coach-flagged" data-testid="coach-flagged" title={flagged.length > 70 ? flagged : undefined}>
                      {short(flagged, 70)}
                    </q>
                  )}
                  <span class="coach-why">
                    {coachExplanation(f)}
                    {detail && <span class="coach-detail"> ({detail})</span>}
                  </span>
                  {fixes.length > 0 && (
                    <span class="coach-fixes">
                      {fixes.map((s, j) => (
                        <button key={j} type="button" class="coach-use" title={s.text} onClick={() => onApply(f, s)} data-testid="coach-use">
                          {s.text.trim() ? t('coach.use', { text: short(s.text.trim()) }) : t('coach.remove')}
                        </button>
                      ))}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}

/** The action row's switch: the coach on (hints shown) or hidden, for this agent in this browser. */
export function CoachSwitch({ on, onToggle }: { on: boolean; onToggle: () => void }) {
  const label = on ? t('coach.on') : t('coach.off');
  return (
    <button
      type="button"
      class={'icon-button coach-switch' + (on ? ' is-active' : '')}
      aria-pressed={on}
      aria-label={t('coach.switch')}
      title={label}
      onClick={onToggle}
      data-testid="coach-switch"
    >
      <IconCoach size={17} />
    </button>
  );
}
