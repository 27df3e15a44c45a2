// Launcher button and the panel frame (header, menu, reconnect bar, body).
import { t } from '../i18n';
import { h, icon } from './dom';

export function launcher(style: string, onclick: () => void): [HTMLButtonElement, HTMLElement] {
  const badge = h('span', { class: 'bd', tid: 'unread', hidden: true });
  const kids = style === 'bubble' ? [icon('chat', 28), icon('down', 28)] : [icon('chat', 20), h('span', { text: style === 'tab' ? t.chat : t.pill })];
  const b = h('button', { class: 'lb ' + style, type: 'button', tid: 'launcher', 'aria-label': t.openL, 'aria-expanded': 'false', onclick }, ...kids, badge);
  return [b, badge];
}

export interface PanelHandlers {
  close(): void;
  back(): void;
  transcript(): void;
}

export class Panel {
  el: HTMLElement;
  body = h('div', { class: 'bo' });
  private backBtn: HTMLButtonElement;
  private menuBtn: HTMLButtonElement;
  private menu: HTMLElement;
  private status = h('span');
  private hd: HTMLElement;
  private rb = h('div', { class: 'rb', tid: 'reconnecting', role: 'status', hidden: true }, h('i', { class: 'sp' }), t.recon);

  constructor(name: string, on: PanelHandlers) {
    this.backBtn = h('button', { class: 'ib', type: 'button', tid: 'back', 'aria-label': t.back, onclick: on.back }, icon('back'));
    this.menuBtn = h('button', { class: 'ib', type: 'button', tid: 'menu', 'aria-label': t.more, 'aria-haspopup': 'menu', 'aria-expanded': 'false', onclick: () => this.toggleMenu() }, icon('more'));
    const item = h('button', { role: 'menuitem', type: 'button', tid: 'transcript-button', onclick: () => (this.toggleMenu(false), on.transcript()) }, icon('mail', 18), t.tr);
    this.menu = h('div', { class: 'mn', role: 'menu', hidden: true }, item);
    this.hd = h(
      'div',
      { class: 'hd' },
      this.backBtn,
      h('div', { class: 'tt' }, h('div', { class: 'nm', text: name }), h('div', { class: 'ss' }, h('i', { class: 'dt' }), this.status)),
      this.menuBtn,
      h('button', { class: 'ib', type: 'button', tid: 'close', 'aria-label': t.closeL, onclick: on.close }, icon('x')),
    );
    this.el = h('div', { class: 'p', role: 'dialog', 'aria-label': name, tid: 'panel', tabindex: -1 }, this.hd, this.menu, this.rb, this.body);
    this.el.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      if (!this.menu.hidden) this.toggleMenu(false), this.menuBtn.focus();
      else on.close();
    });
  }

  online(open: boolean): void {
    this.hd.classList.toggle('on', open);
    this.status.textContent = open ? t.online : t.offline;
  }

  set(el: HTMLElement, back: boolean, menu: boolean): void {
    this.toggleMenu(false);
    this.backBtn.hidden = !back;
    this.menuBtn.hidden = !menu;
    this.body.replaceChildren(el);
  }

  reconnecting(show: boolean): void {
    this.rb.hidden = !show;
  }

  toggleMenu(show = this.menu.hidden): void {
    this.menu.hidden = !show;
    this.menuBtn.setAttribute('aria-expanded', String(show));
    if (show) (this.menu.firstChild as HTMLElement).focus();
  }
}
