// The conversation screen: greeting, message list, typing line, composer,
// attachments by button, drag & drop and paste.
import { ACCEPT } from '../files';
import { fmt, t } from '../i18n';
import type { Att } from '../types';
import { h, icon } from './dom';
import { MessageList } from './messages';

export interface ChatHandlers {
  send(body: string): void;
  files(f: File[]): void;
  typing(): void;
  callback(): void;
  handoff(): void;
}

export class ChatView {
  list: MessageList;
  el: HTMLElement;
  ta: HTMLTextAreaElement;
  private typ = h('div', { class: 'ty', tid: 'typing', hidden: true });
  private err = h('div', { class: 'ce', role: 'alert' });
  private qw = h('div', { class: 'qw', tid: 'queue-wait', role: 'status', hidden: true });
  private sendBtn: HTMLButtonElement;
  /** "Talk to a person", while the bot answers. */
  hb = h('button', { class: 'hb', type: 'button', tid: 'handoff', hidden: true }, t.human);
  private typTimer = 0;
  private cp: HTMLElement;
  /** The chat has ended: its rating and next steps, in place of the composer. */
  private endEl: HTMLElement | null = null;

  constructor(url: (a: Att) => string, greeting: HTMLElement, private on: ChatHandlers) {
    this.list = new MessageList(url, () => on.callback());
    this.list.el.append(greeting);
    this.ta = h('textarea', {
      class: 'ta',
      rows: 1,
      tid: 'composer',
      placeholder: t.compose,
      'aria-label': t.compose,
      oninput: () => this.input(),
      onkeydown: (e: KeyboardEvent) => this.key(e),
      onpaste: (e: ClipboardEvent) => this.paste(e),
    });
    this.sendBtn = h('button', { class: 'sb', type: 'button', tid: 'send', 'aria-label': t.send, disabled: true, onclick: () => this.send() }, icon('send', 18));
    const file = h('input', { type: 'file', class: 'vh', tid: 'attach-input', accept: ACCEPT, multiple: true, tabindex: -1, 'aria-hidden': 'true' });
    file.onchange = () => {
      this.on.files(Array.from(file.files || []));
      file.value = '';
    };
    const clip = h('button', { class: 'ib', type: 'button', tid: 'attach', 'aria-label': t.attach, title: t.attach, onclick: () => file.click() }, icon('clip'));
    const drop = h('div', { class: 'dz', hidden: true }, t.drop);
    this.cp = h('div', { class: 'cp' }, this.hb, h('div', { class: 'bx' }, this.ta, clip, file, this.sendBtn));
    this.el = h('div', { class: 'cv' }, this.qw, this.list.el, this.typ, this.err, this.cp, drop);
    this.dnd(drop);
    this.hb.onclick = () => on.handoff();
  }

  typing(name: string | null): void {
    clearTimeout(this.typTimer);
    this.typ.hidden = name === null;
    if (name === null) return;
    this.typ.replaceChildren(h('span', { class: 'dots' }, h('i'), h('i'), h('i')), fmt(t.typing, { name: name || t.agent }));
    this.typTimer = setTimeout(() => this.typing(null), 8000);
  }

  /** The live wait estimate under the header ('' hides it, and the greeting's start-time estimate too). */
  wait(text: string): void {
    this.el.classList.add('cq');
    this.qw.hidden = !text;
    this.qw.textContent = text;
  }

  /** Shows the end block after the last message and hides the composer (null: back to writing). */
  end(el: HTMLElement | null): void {
    const root = this.el.getRootNode() as Document | ShadowRoot;
    const typing = root.activeElement === this.ta;
    this.endEl?.remove();
    this.endEl = el;
    this.cp.hidden = !!el;
    this.typing(null);
    if (!el) return;
    this.list.el.append(el);
    this.list.stick();
    if (typing) el.focus();
  }

  /** Where the focus goes when the chat shows: the composer, or the end block. */
  focusable(): HTMLElement {
    return this.endEl?.querySelector<HTMLElement>('[role=radio][tabindex="0"],button') || this.ta;
  }

  /** A new conversation: an empty list and the composer. */
  reset(): void {
    this.list.reset();
    this.end(null);
    this.wait('');
    this.error('');
  }

  error(msg: string): void {
    this.err.textContent = msg;
    if (msg) setTimeout(() => this.err.textContent === msg && this.error(''), 6000);
  }

  private input(): void {
    this.ta.style.height = 'auto';
    this.ta.style.height = Math.min(this.ta.scrollHeight, 120) + 'px';
    this.sendBtn.disabled = !this.ta.value.trim();
    if (this.ta.value) this.on.typing();
  }

  private key(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    }
  }

  private send(): void {
    const body = this.ta.value.trim();
    if (!body) return;
    this.ta.value = '';
    this.input();
    this.on.send(body);
    this.ta.focus();
  }

  private paste(e: ClipboardEvent): void {
    const files = Array.from(e.clipboardData?.files || []);
    if (!files.length) return;
    e.preventDefault();
    this.on.files(files);
  }

  private dnd(zone: HTMLElement): void {
    let depth = 0;
    const show = (d: number) => (zone.hidden = (depth = Math.max(0, depth + d)) === 0);
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    this.el.addEventListener('dragenter', (e) => hasFiles(e) && show(1));
    this.el.addEventListener('dragleave', () => show(-1));
    this.el.addEventListener('dragover', (e) => hasFiles(e) && e.preventDefault());
    this.el.addEventListener('drop', (e) => {
      e.preventDefault();
      show(-depth);
      this.on.files(Array.from(e.dataTransfer?.files || []));
    });
  }
}
