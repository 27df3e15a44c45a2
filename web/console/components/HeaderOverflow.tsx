// The conversation header's actions that do not fit: they leave the toolbar (lowest
// `data-rank` first) and show in a "More" menu, so the contact's name stays readable and
// the buttons keep their words. The buttons stay mounted, hidden (their dialogs live
// with them); a menu item clicks its button.
import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { IconMore } from './Icons';

/** The room the heading (kind icon, name, subtitle) keeps before actions move into the menu. */
const HEADING_MIN = 260;

interface Item {
  testid: string;
  label: string;
  icon: string;
  disabled: boolean;
  el: HTMLButtonElement;
}

function collapsible(bar: HTMLElement): HTMLButtonElement[] {
  return Array.from(bar.querySelectorAll<HTMLButtonElement>('button[data-rank]')).sort((a, b) => Number(a.dataset.rank) - Number(b.dataset.rank));
}

/**
 * Fits the toolbar `bar` inside `header`: shows every action, then hides the lowest-ranked
 * ones (data-overflow) while the heading would be narrower than HEADING_MIN. Returns how many are hidden.
 */
export function useHeaderFit(header: RefObject<HTMLElement | null>, bar: RefObject<HTMLElement | null>, ready: boolean): number {
  const [hidden, setHidden] = useState(0);
  useLayoutEffect(() => {
    const h = header.current;
    const b = bar.current;
    if (!h || !b) return;
    let busy = false;
    function fit() {
      if (busy || !h || !b) return;
      busy = true;
      const items = collapsible(b);
      for (const el of items) el.removeAttribute('data-overflow');
      b.classList.remove('has-overflow');
      const style = getComputedStyle(h);
      const inner = h.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const gap = parseFloat(style.columnGap) || 12;
      let n = 0;
      const min = Math.min(HEADING_MIN, inner * 0.5);
      while (n < items.length && inner - b.getBoundingClientRect().width - gap < min) {
        items[n].setAttribute('data-overflow', '');
        b.classList.add('has-overflow');
        n++;
      }
      setHidden(n);
      // Our own attribute changes are done: ignore the records they queued.
      mo.takeRecords();
      busy = false;
    }
    const ro = new ResizeObserver(() => fit());
    ro.observe(h);
    // Buttons that come and go (assigned, ticket made, complaint marked) change the fit too.
    const mo = new MutationObserver(() => fit());
    mo.observe(b, { childList: true, subtree: true, characterData: true });
    fit();
    return () => {
      ro.disconnect();
      mo.disconnect();
    };
  }, [ready]);
  return hidden;
}

/** The "More" button and its menu: Arrow keys, Home/End move, Enter/Space activate, Esc / Tab close. */
export function MoreMenu({ bar, count }: { bar: RefObject<HTMLElement | null>; count: number }) {
  const [items, setItems] = useState<Item[] | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const focusFirst = useRef<'first' | 'last'>('first');

  function open(which: 'first' | 'last') {
    const b = bar.current;
    if (!b) return;
    focusFirst.current = which;
    setItems(
      Array.from(b.querySelectorAll<HTMLButtonElement>('button[data-rank][data-overflow]'))
        .map((el) => ({
          testid: el.dataset.testid ?? '',
          label: el.getAttribute('title') ?? el.textContent ?? '',
          icon: el.querySelector('svg')?.outerHTML ?? '',
          disabled: el.disabled,
          el,
        })),
    );
  }
  function close(refocus = true) {
    setItems(null);
    if (refocus) button.current?.focus();
  }

  useEffect(() => {
    if (!items) return;
    const els = menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])');
    if (els?.length) (focusFirst.current === 'first' ? els[0] : els[els.length - 1]).focus();
    function away(e: PointerEvent) {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) close(false);
    }
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [items]);

  useEffect(() => {
    if (!count && items) setItems(null);
  }, [count]);

  function onMenuKey(e: KeyboardEvent) {
    const els = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? []);
    const i = els.indexOf(document.activeElement as HTMLElement);
    const go = (j: number) => {
      // Not the console's own keys too (arrows move the conversation list's cursor).
      e.preventDefault();
      e.stopPropagation();
      els[(j + els.length) % els.length]?.focus();
    };
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(els.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'Tab') close(false);
  }

  function activate(item: Item) {
    close();
    // The focus is back on "More" first: a dialog the action opens returns it there.
    item.el.click();
  }

  if (!count) return null;
  return (
    <div class="more-wrap">
      <button
        ref={button}
        type="button"
        class={'btn btn-secondary btn-sm more-button' + (items ? ' is-active' : '')}
        aria-haspopup="menu"
        aria-expanded={items ? 'true' : 'false'}
        aria-controls={items ? 'conv-more-menu' : undefined}
        onClick={() => (items ? close() : open('first'))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            e.stopPropagation();
            open(e.key === 'ArrowDown' ? 'first' : 'last');
          }
        }}
        title={t('conv.more')}
        data-testid="conv-more"
      >
        <IconMore size={15} />
        <span class="more-label">{t('conv.more')}</span>
      </button>
      {items && (
        <div ref={menu} id="conv-more-menu" class="more-menu" role="menu" aria-label={t('conv.more')} onKeyDown={onMenuKey} data-testid="conv-more-menu">
          {items.map((it) => (
            <button
              key={it.testid}
              type="button"
              role="menuitem"
              tabIndex={-1}
              class="more-item"
              disabled={it.disabled}
              onClick={() => activate(it)}
              data-testid={'more-' + it.testid}
            >
              <span class="more-icon" aria-hidden="true" dangerouslySetInnerHTML={{ __html: it.icon }} />
              {it.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
