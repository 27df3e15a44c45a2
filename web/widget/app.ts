// Wires everything together: boot sequence, launcher, panel screens, JS API.
import { Api, ApiError } from './api';
import { Chat } from './chat';
import { lang, loadLang, locale, pickLang, t, time, topicL, tr } from './i18n';
import { Outbox } from './outbox';
import { Socket } from './socket';
import { Store } from './store';
import { colors, css } from './styles';
import type { Config, Conv, Me, View } from './types';
import { ChatView } from './ui/chatview';
import { launcher, Panel } from './ui/panel';
import { h } from './ui/dom';
import type { Lazy } from './end';
import type { Forms } from './forms';
import * as V from './ui/views';
import { uuid } from './util';

const BACK: Partial<Record<View, View>> = { chat: 'home', prechat: 'home', callback: 'home', transcript: 'chat' };

export class App implements V.Host {
  api: Api;
  st: Store;
  sock: Socket;
  chat!: Chat;
  cfg!: Config;
  me: Me;
  view: View = 'home';
  private ob: Outbox;
  private isOpen = false;
  private ready = false;
  private wantOpen = false;
  private w!: HTMLElement;
  private lb!: HTMLButtonElement;
  private badge!: HTMLElement;
  private panel!: Panel;
  private refreshTimer = 0;
  private js: Record<string, Promise<unknown> | undefined> = {};
  /** Topic buttons under the greeting (progressive pre-chat). */
  private chips?: HTMLElement;
  private pageAt = 0;
  private pageT = 0;
  private pageKey = '';

  constructor(base: string, key: string, private langAttr?: string) {
    this.api = new Api(base, key);
    this.st = new Store(`sb:${key}:`);
    this.ob = new Outbox(this.st);
    this.me = this.st.get<Me>('me') || {};
    this.sock = new Socket(
      () => this.api.wsUrl(),
      (f) => this.chat.frame(f),
      (up) => this.socketState(up),
    );
  }

  async boot(): Promise<void> {
    try {
      const [cfg] = await Promise.all([this.api.config(), this.token()]);
      this.cfg = cfg;
    } catch (e) {
      console.warn('Switchboard widget: cannot start', e);
      return;
    }
    pickLang(this.langAttr, this.cfg.inbox.widget.language);
    await loadLang(this.api.base);
    this.render();
    await this.chat.resume(await this.openConversation());
    this.ready = true;
    const draft = this.st.get<Record<string, string>>('draft', true);
    if (draft && !this.chat.active()) {
      this.chat.draft = draft;
      this.show('chat');
    }
    if (this.wantOpen || this.st.get('open', true)) this.open(this.wantOpen);
    document.addEventListener('visibilitychange', () => this.chat.receipt());
    // The offline form will show: its code now, before the visitor opens the panel.
    if (!this.cfg.availability.open && !this.progressive()) this.forms();
    this.track();
    this.popup();
  }

  /** Tokens expire and signing keys rotate: a saved token older than a day is
   *  renewed (same visitor, so the chat history stays); a rejected one is replaced. */
  private async token(fresh = false): Promise<void> {
    const saved = !fresh && this.st.get<string>('token');
    const stale = Date.now() - (this.st.get<number>('token_at') || 0) > 864e5;
    this.api.token = fresh ? '' : saved || '';
    if (!saved || stale) this.api.token = (await this.api.visitor().catch(() => this.fresh())).visitor_token;
    this.st.set('token', this.api.token);
    if (!saved || stale || fresh) this.st.set('token_at', Date.now());
  }

  private fresh() {
    this.api.token = '';
    return this.api.visitor();
  }

  private async openConversation(): Promise<Conv | undefined> {
    for (let i = 0; i < 3; i++) {
      try {
        const list = (await this.api.conversations()).conversations;
        return list.find((c) => c.kind === 'chat' && c.status === 'open');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) await this.token(true).catch(() => 0);
        else await new Promise((r) => setTimeout(r, 1500));
      }
    }
  }

  private render(): void {
    const look = this.cfg.inbox.widget;
    const style = ['bubble', 'tab', 'pill'].includes(look.button_style) ? look.button_style : 'bubble';
    const host = h('div', { id: 'switchboard-widget', style: 'all:initial' });
    const root = host.attachShadow({ mode: 'open' });
    [this.lb, this.badge] = launcher(style, () => (this.isOpen ? this.close() : this.open()));
    this.panel = new Panel(tr(look, 'title') || this.cfg.inbox.name, {
      close: () => this.close(),
      back: () => this.show(BACK[this.view] || 'home'),
      transcript: () => this.show('transcript'),
    });
    const cls = 'w' + (look.position === 'left' ? ' l' : '') + (style === 'bubble' ? ' bb' : '');
    this.w = h('div', { class: cls, style: colors(look.color), lang }, this.lb, this.panel.el);
    const view = new ChatView((a) => this.api.fileUrl(a), this.greet(true), {
      send: (b) => this.send(b),
      files: (f) => this.chat.upload(f),
      typing: () => this.chat.typing(true),
      callback: () => this.show('callback'),
      handoff: () => this.handoff(),
    });
    view.list.base = this.api.base;
    view.list.dress = (el, ev) => this.lazy().then((lazy) => lazy && el.isConnected && lazy.bot(this.lazyHost(), el, ev));
    this.chat = new Chat(this.api, this.sock, this.ob, this.chatHost(), view);
    this.panel.online(this.cfg.availability.open);
    root.append(h('style', { text: css }), this.w);
    document.body.append(host);
    this.show('home');
  }

  private chatHost() {
    return {
      visible: () => this.isOpen && this.view === 'chat' && document.visibilityState === 'visible',
      unread: (n: number) => {
        this.badge.hidden = !n;
        this.badge.textContent = String(n);
      },
      refresh: () => {
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => this.refresh(), 500);
      },
      opened: () => {
        this.st.set('draft', null, true);
        this.page();
        if (this.chips) this.chips.hidden = true;
        if (this.view === 'chat') this.panel.set(this.chat.view.el, true, !!this.chat.conv);
        this.sock.start();
      },
      createData: () => ({ client_id: uuid(), ...this.me, ...this.chat.draft, page_url: location.href, language: lang }),
      ended: (on: boolean) => {
        const c = this.chat.conv;
        if (!on || !c) return this.chat.view.end(null);
        this.lazy().then((make) => {
          if (!make || this.chat.conv !== c || !this.chat.ended) return;
          this.chat.view.end(make.ending(this.lazyHost(), c.id));
        });
      },
    };
  }

  /** What the lazy chunk's blocks use of the widget. */
  private lazyHost() {
    return { api: this.api, t: t as unknown as Record<string, string>, transcript: () => this.show('transcript'), fresh: () => this.newChat(), st: this.chat.view.list.bs, ls: this.st };
  }

  /** A chunk of the widget's code (/widget-NAME.js), loaded once, the first time it is needed. */
  private load<T>(name: string, g: string): Promise<T | null> {
    return (this.js[name] ||= new Promise((done) => {
      (window as unknown as Record<string, unknown>)[g] = done;
      const el = document.createElement('script');
      el.src = `${this.api.base}/widget-${name}.js`;
      el.onerror = () => {
        this.js[name] = undefined; // try again next time
        done(null);
      };
      document.head.append(el);
    })) as Promise<T | null>;
  }

  /** The end-of-chat block's code, /widget-end.js, loaded the first time a chat ends. */
  lazy = () => this.load<Lazy>('end', 'SwitchboardEnd');

  /** The forms (offline, pre-chat, call-back, transcript, contact card), /widget-forms.js. */
  forms = () => this.load<Forms>('forms', 'SwitchboardForms').then((f) => (f?.init(t, lang, locale, this.w.parentNode!), f));

  topic = (x: string) => topicL(this.cfg.inbox.widget, x);

  progressive = () => this.cfg.inbox.widget.prechat_mode == 'progressive';

  /** The greeting; in the chat (progressive pre-chat) the topics to pick from, optional. */
  greet(chat = false): HTMLElement {
    const g = V.greeting(this);
    if (!chat || !this.progressive()) return g;
    const el = (this.chips = h('div'));
    this.forms().then((f) => f?.chips(this, el));
    return h('div', null, g, el);
  }

  private send(body: string): void {
    const first = !this.chat.active();
    this.chat.send(body);
    if (this.chips) this.chips.hidden = true;
    // Progressive: the e-mail to reply to, asked after the first message when offline, or
    // when no bot answers (a person will, maybe after the visitor has gone).
    if (first && this.progressive()) this.forms().then(async (f) => {
      if (!this.cfg.availability.open) return f?.ask(this, 'offline');
      for (let i = 0; !this.chat.conv && i < 50; i++) await new Promise((r) => setTimeout(r, 200));
      if (this.chat.conv && this.chat.conv.meta?.bot?.state != 'active') f?.ask(this, 'wait');
    });
  }

  /** "Talk to a person"; progressive pre-chat: the details first (the forms chunk), sent with the handoff. */
  private handoff(): void {
    if (this.progressive()) this.forms().then((f) => f?.ask(this, 'handoff'));
    else this.chat.handoff().catch(() => this.chat.view.error(t.err));
  }

  /** The visitor's page, for the agents: at the start, on navigation, every minute while visible. */
  private track(): void {
    const go = () => {
      clearTimeout(this.pageT);
      this.pageT = setTimeout(() => this.page(), 300);
    };
    for (const m of ['pushState', 'replaceState'] as const) {
      const o = history[m];
      history[m] = function (this: History, ...a: Parameters<History['pushState']>) {
        o.apply(this, a);
        go();
      };
    }
    addEventListener('popstate', go);
    addEventListener('hashchange', go);
    setInterval(() => document.visibilityState == 'visible' && this.page(true), 60e3);
  }

  private page(beat = false): void {
    const c = this.chat.conv;
    const url = location.href;
    const key = c ? c.id + ' ' + url : '';
    // Navigation: a new page (or conversation) only; the heartbeat: once a minute.
    if (!c || c.status != 'open' || this.chat.ended || !/^https?:/.test(url) || (beat ? Date.now() - this.pageAt < 55e3 : key == this.pageKey)) return;
    // At most one per 5 s (the server's limit): a later change goes when that is over.
    const wait = this.pageAt + 5100 - Date.now();
    if (wait > 0) return void (this.pageT = setTimeout(() => this.page(), wait));
    this.pageAt = Date.now();
    this.pageKey = key;
    this.api.page(c.id, { url: url.slice(0, 2000), title: document.title.slice(0, 300) }).catch(() => 0);
  }

  /** The greeting pop-up by the launcher, once a day, after the inbox's delay. */
  private popup(): void {
    const d = this.cfg.inbox.widget.popup_delay_s;
    // Not over the page on phones, never over the open panel; once a day (the chunk checks).
    if (typeof d == 'number') setTimeout(() => this.isOpen || innerWidth < 480 || this.forms().then((f) => f && !this.isOpen && (this.pop = f.popup(this, this.w))), d * 1000);
  }
  private pop = () => {};

  past(): HTMLElement {
    const slot = h('i', { hidden: true });
    this.api
      .conversations()
      .then(async ({ conversations: cs }) => {
        const l = cs.some((c) => c.kind == 'chat' && c.status != 'open') && (await this.lazy());
        const el = l && l.past({ t: t as unknown as Record<string, string>, time, open: (c) => this.openPast(c) }, cs);
        if (el) slot.replaceWith(el);
      })
      .catch(() => 0);
    return slot;
  }

  /** A conversation from "Your conversations": its history, read-only with the closing screen when ended. */
  private openPast(c: Conv): void {
    if (this.chat.conv?.id != c.id) {
      this.chat.reset();
      this.chat.resume(c);
    }
    this.show('chat');
  }

  /** After an ended chat: a new conversation, through the pre-chat questions if any are unanswered. */
  private newChat(): void {
    this.chat.reset();
    this.chat.view.list.el.querySelector('.cc')?.remove();
    if (this.chips) this.chips.hidden = false;
    this.startChat();
  }

  show(v: View): void {
    this.view = v;
    const el =
      v === 'chat' ? this.chat.view.el : v === 'home' ? V.home(this) : V.slot(this, (f) => f[v as 'prechat'](this), 'v');
    this.panel.set(el, v !== 'home', v === 'chat' && !!this.chat.conv);
    this.bar();
    if (v === 'chat') {
      this.chat.view.list.stick();
      this.chat.receipt();
    }
    if (this.isOpen) this.focusIn();
  }

  confirm(text: string, detail: string, back: View): void {
    this.view = 'confirm';
    this.forms().then((f) => {
      if (!f || this.view != 'confirm') return;
      this.panel.set(f.confirmation(text, detail, () => this.show(back)), false, false);
      this.focusIn();
    });
  }

  /** Chat button: continue the conversation, or ask the pre-chat questions first. */
  startChat(): void {
    const fields = this.cfg.inbox.prechat_fields.filter((f) => f !== 'topic' || this.cfg.inbox.topics.length);
    const known = fields.every((f) => (this.me as Record<string, string | undefined>)[f]);
    if (this.chat.active() || known || this.progressive()) return this.show('chat');
    this.show('prechat');
  }

  remember(p: Me): void {
    this.me = { ...this.me, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v)) };
    this.st.set('me', this.me);
  }

  open(focus = true): void {
    if (!this.ready) {
      this.wantOpen = true;
      return;
    }
    this.isOpen = true;
    this.pop();
    this.w.classList.add('o');
    this.lb.setAttribute('aria-expanded', 'true');
    this.lb.setAttribute('aria-label', t.closeL);
    this.st.set('open', 1, true);
    if (this.view === 'home' && this.chat.active()) this.show('chat');
    this.sock.start();
    this.chat.receipt();
    if (focus) this.focusIn();
  }

  close(): void {
    if (!this.ready) return void (this.wantOpen = false);
    const inside = this.w.getRootNode() instanceof ShadowRoot && (this.w.getRootNode() as ShadowRoot).activeElement;
    this.isOpen = false;
    this.w.classList.remove('o');
    this.lb.setAttribute('aria-expanded', 'false');
    this.lb.setAttribute('aria-label', t.openL);
    this.st.set('open', null, true);
    if (inside) this.lb.focus();
  }

  identify(p: Me): void {
    this.remember({ name: p?.name, email: p?.email });
    if (this.ready && this.view !== 'chat' && this.view !== 'confirm') this.redraw();
  }

  /** Redraws the current form screen unless the visitor has typed into it. */
  private redraw(): void {
    const fields = Array.from(this.panel.body.querySelectorAll<HTMLInputElement>('input,textarea'));
    if (!fields.some((i) => i.value !== i.defaultValue)) this.show(this.view);
  }

  focusIn(): void {
    setTimeout(() => {
      // Never pull focus away from a field the visitor is already typing in.
      const active = (this.w.getRootNode() as Document | ShadowRoot).activeElement;
      if (active && active !== this.lb && this.panel.body.contains(active)) return;
      const el = this.view === 'chat' ? this.chat.view.focusable() : this.panel.body.querySelector<HTMLElement>('input,select,textarea,button');
      // On phones a focused field pops the keyboard up over the panel: the dialog itself instead.
      const field = el && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && matchMedia('(pointer:coarse),(max-width:480px)').matches;
      (field ? this.panel.el : el)?.focus();
    }, 50);
  }

  private socketState(up: boolean): void {
    this.bar();
    if (up) this.chat.up();
  }

  private bar(): void {
    this.panel.reconnecting(!this.sock.up && this.sock.failed && this.chat.active());
  }

  /** Availability changed: reload the config, redraw the start screen if untouched. */
  private async refresh(): Promise<void> {
    try {
      this.cfg = await this.api.config();
    } catch {
      return;
    }
    this.panel.online(this.cfg.availability.open);
    if (this.view === 'home') this.redraw();
  }
}
