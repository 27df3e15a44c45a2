// A radio group of buttons for the end of a chat (the rating's faces, stars or
// thumbs; NPS 0-10): role radio in a radiogroup, one tab stop, arrows, Home
// and End move and choose, Space and Enter choose the focused one.
import { h } from './dom';

type Kid = Node | string | null | undefined | false;

/** [value, content, aria-label (null: the content says it)] of one choice, in the order shown. */
export type Item = [number, Kid[], string | null];

/** `fill`: the chosen one and all before it look chosen (stars). */
export function radios(items: Item[], cls: string, tid: string, pick: (value: number) => void, fill = false): HTMLElement {
  const set = (i: number) => {
    bs.forEach((b, j) => {
      b.setAttribute('aria-checked', String(i === j));
      b.tabIndex = i === j ? 0 : -1;
      b.classList.toggle('on', fill ? j <= i : i === j);
    });
    bs[i].focus();
    pick(items[i][0]);
  };
  const key = (e: KeyboardEvent) => {
    const i = bs.indexOf(e.currentTarget as HTMLButtonElement);
    const n = bs.length;
    const step = ({ ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 } as Record<string, number>)[e.key];
    const j = step ? (i + step + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : e.key === ' ' || e.key === 'Enter' ? i : -1;
    if (j < 0) return;
    e.preventDefault();
    set(j);
  };
  const bs = items.map(([value, kids, label], i) =>
    h('button', { type: 'button', role: 'radio', 'aria-checked': 'false', tabindex: i ? -1 : 0, 'data-score': value, tid, 'aria-label': label, onclick: () => set(i), onkeydown: key }, ...kids),
  );
  return h('div', { role: 'radiogroup', class: 'rg ' + cls, 'aria-required': 'true' }, ...bs);
}
