// Conversation state: events by seq, outbox delivery, receipts, typing.
import { Api, ApiError } from './api';
import { fileType, MAX_BYTES } from './files';
import { fmt, t, waitFor } from './i18n';
import type { Outbox } from './outbox';
import type { Socket } from './socket';
import type { Att, Conv, Ev, Frame, Me, OutItem } from './types';
import type { ChatView } from './ui/chatview';
import type { State } from './ui/messages';
import { uuid } from './util';

export interface ChatHost {
  /** Panel open on the conversation and the page visible. */
  visible(): boolean;
  unread(n: number): void;
  refresh(): void;
  opened(): void;
  createData(): Record<string, unknown>;
  /** The conversation ended (an agent closed it) or was reopened. */
  ended(on: boolean): void;
}

export class Chat {
  conv: Conv | null = null;
  /** Extra pre-chat answers for the conversation about to be created. */
  draft: Record<string, string> = {};
  private seen = new Set<number>();
  private seq = 0; // highest seq seen
  private ad = 0; // agent delivered / read
  private ar = 0;
  private rd = 0; // receipts we sent
  private rr = 0;
  private creating = false;
  private inflight = new Set<string>();
  private typedAt = 0;
  private idle = 0;
  private unread = 0;
  private qt = 0; // queue poll timer
  private qg = 0; // queue poll generation: a late answer after an agent joined is ignored
  private bot = false; // the FAQ bot answers: offer "Talk to a person"
  private joined = false; // an agent has the chat: no wait estimate
  /** Closed, by the last closed / reopened notice. */
  ended = false;
  private shown = false; // what the host was last told
  private et = 0;

  constructor(private api: Api, private sock: Socket, private ob: Outbox, private host: ChatHost, public view: ChatView) {}

  active(): boolean {
    return !!this.conv || this.ob.list().length > 0;
  }

  /** At start: show unsent messages, then restore the open conversation if any. */
  async resume(conv?: Conv): Promise<void> {
    const items = this.ob.list();
    items.forEach((it) => this.view.list.pending(it));
    if (conv) return this.open(conv);
    if (items.length && !items.some((i) => i.create)) this.ob.update({ ...items[0], create: this.host.createData() });
    this.flush();
  }

  send(body: string, att: Att[] = []): void {
    const it: OutItem = { cid: uuid(), body, att, ts: Date.now() };
    if (!this.conv && !this.ob.list().some((i) => i.create)) it.create = this.host.createData();
    this.ob.add(it);
    this.view.list.pending(it);
    this.typing(false);
    this.host.opened();
    this.flush();
  }

  async upload(files: File[]): Promise<void> {
    for (const f of files) {
      const type = fileType(f);
      if (!type) this.view.error(t.type);
      else if (f.size > MAX_BYTES) this.view.error(t.big);
      else await this.uploadOne(f, type);
    }
  }

  private async uploadOne(f: File, type: string): Promise<void> {
    this.view.error(fmt(t.upl, { name: f.name }));
    try {
      const a = await this.api.upload(f, type);
      this.view.error('');
      this.send('', [a]);
    } catch (e) {
      const code = e instanceof ApiError ? e.status : 0;
      this.view.error(code === 413 ? t.big : code === 415 ? t.type : code === 429 ? t.slow : t.upFail);
    }
  }

  typing(on: boolean): void {
    if (!this.conv) return;
    clearTimeout(this.idle);
    if (on) {
      this.idle = setTimeout(() => this.typing(false), 3000);
      if (Date.now() - this.typedAt < 2000) return;
      this.typedAt = Date.now();
    } else if (this.typedAt) this.typedAt = 0;
    else return;
    this.sock.send({ type: 'typing', conversation_id: this.conv.id, typing: on });
  }

  /** Socket (re)connected: subscribe from the last seq and re-send the outbox. */
  up(): void {
    this.inflight.clear();
    if (this.conv) this.sock.send({ type: 'subscribe', conversation_id: this.conv.id, after_seq: this.seq });
    this.flush();
    this.receipt();
  }

  frame(f: Frame): void {
    const mineConv = !!this.conv && f.conversation_id === this.conv.id;
    if (f.type === 'event' && f.event) this.add(f.event);
    else if (f.type === 'ack' && f.client_id) this.acked(f.client_id, f.event);
    else if (f.type === 'typing' && mineConv && f.who === 'agent') this.view.typing(f.typing ? f.name || '' : null);
    else if (f.type === 'receipt' && mineConv && f.who === 'agent') this.agentReceipt(f.delivered_seq || 0, f.read_seq || 0);
    else if (f.type === 'agents') this.host.refresh();
    else if (f.type === 'error' && f.client_id) this.rejected(f.client_id, f.code || '');
  }

  /** The visitor may have seen new messages: tell the agent. */
  receipt(): void {
    if (!this.conv || !this.seq) return;
    const vis = this.host.visible();
    if (vis) this.host.unread((this.unread = 0));
    const d = this.seq;
    const r = vis ? this.seq : this.rr;
    if (d <= this.rd && r <= this.rr) return;
    if (this.sock.send({ type: 'receipt', conversation_id: this.conv.id, delivered_seq: d, read_seq: r })) {
      this.rd = d;
      this.rr = r;
    }
  }

  /** The bot is answering (or not): show or hide "Talk to a person". */
  private botOn(on: boolean): void {
    this.view.hb.hidden = !(this.bot = on);
  }

  /** To a person, with the visitor's details if given (progressive pre-chat); throws if refused. */
  async handoff(body: Me = {}): Promise<void> {
    if (!this.conv) return;
    this.view.hb.disabled = true;
    try {
      const c = await this.api.handoff(this.conv.id, body);
      this.botOn(c.meta?.bot?.state == 'active' && !c.assignee);
      this.queue();
    } finally {
      this.view.hb.disabled = false;
    }
  }

  /** "Start a new conversation": forget the ended one; the next message creates another. */
  reset(): void {
    this.conv = null;
    this.seen.clear();
    this.seq = this.ad = this.ar = this.rd = this.rr = 0;
    this.host.unread((this.unread = 0));
    this.qg++;
    clearTimeout(this.qt);
    clearTimeout(this.et);
    this.ended = this.shown = this.joined = false;
    this.botOn(false);
    this.view.reset();
  }

  /** Closed or reopened; told to the host once the events in a batch are in (history replays both). */
  private end(on: boolean): void {
    this.ended = on;
    if (on) this.view.wait('');
    clearTimeout(this.et);
    this.et = setTimeout(() => this.shown !== this.ended && this.host.ended((this.shown = this.ended)), 30);
  }

  private async open(c: Conv): Promise<void> {
    this.conv = c;
    this.end(c.status === 'closed');
    this.botOn(c.meta?.bot?.state == 'active' && !c.assignee);
    this.joined = !!c.assignee;
    this.ad = c.agent_delivered_seq || 0;
    this.ar = c.agent_read_seq || 0;
    this.rd = c.visitor_delivered_seq || 0;
    this.rr = c.visitor_read_seq || 0;
    this.host.opened();
    await this.catchUp();
    this.sock.start();
    if (this.sock.up) this.up();
    this.queue();
  }

  /** Wait estimate while nobody has joined: every 15 s until the server says null (not waiting). */
  private async queue(): Promise<void> {
    clearTimeout(this.qt);
    const g = ++this.qg;
    try {
      const s = (await this.api.queue(this.conv!.id)).estimated_wait_s;
      if (g !== this.qg) return;
      // Null: not in the queue — an agent has it, the bot answers, or (offer mode) it is being
      // offered: then the config's estimate in the greeting stays until someone joins.
      if (s != null || this.joined || this.bot) this.view.wait(s == null ? '' : waitFor(s));
      if (s == null) return;
    } catch {}
    if (g === this.qg) this.qt = setTimeout(() => this.queue(), 15000);
  }

  private async catchUp(): Promise<void> {
    try {
      const r = await this.api.events(this.conv!.id, this.seq);
      r.events.forEach((e) => this.add(e));
      if (r.events.length >= 1000) await this.catchUp(); // the server pages by 1000
    } catch {
      // the socket subscription delivers the same events
    }
  }

  private add(ev: Ev): void {
    if (!this.conv || ev.conversation_id !== this.conv.id || this.seen.has(ev.seq)) return;
    if (ev.kind !== 'message' && ev.kind !== 'system') return;
    this.seen.add(ev.seq);
    this.seq = Math.max(this.seq, ev.seq);
    if (ev.client_id) this.settle(ev.client_id);
    const mine = ev.author.type === 'visitor';
    if (ev.author.type == 'agent' || ev.notice?.code == 'joined') this.joined = true;
    if (this.bot && (ev.author.type == 'agent' || ev.notice?.code == 'bot_handoff' || ev.notice?.code == 'joined')) this.botOn(false);
    this.view.list.add(ev, mine ? this.state(ev.seq) : null);
    if (ev.notice?.code === 'closed' || ev.notice?.code === 'reopened') this.end(ev.notice.code === 'closed');
    if (ev.kind === 'system') {
      // Joined, transferred, back in the queue: ask again.
      clearTimeout(this.qt);
      this.qt = setTimeout(() => this.queue(), 400);
    }
    if (ev.author.type === 'agent') {
      this.qg++;
      clearTimeout(this.qt);
      this.view.wait('');
      this.view.typing(null);
      if (ev.seq > this.rr && !this.host.visible()) this.host.unread(++this.unread);
    }
    this.receipt();
  }

  private acked(cid: string, ev?: Ev): void {
    this.settle(cid);
    if (ev) this.add(ev);
  }

  /** The server has this message: forget it locally. */
  private settle(cid: string): void {
    this.inflight.delete(cid);
    this.ob.remove(cid);
    this.view.list.drop(cid);
  }

  private rejected(cid: string, code: string): void {
    this.inflight.delete(cid);
    if (code === 'rate_limited') {
      this.view.error(t.slow);
      setTimeout(() => {
        this.view.error('');
        this.flush();
      }, 3000);
      return;
    }
    this.ob.remove(cid);
    this.view.list.fail(cid);
  }

  private agentReceipt(d: number, r: number): void {
    this.ad = Math.max(this.ad, d);
    this.ar = Math.max(this.ar, r);
    this.view.list.states((s) => this.state(s));
  }

  private state(seq: number): State {
    return seq <= this.ar ? 'read' : seq <= this.ad ? 'delivered' : 'sent';
  }

  private flush(): void {
    const items = this.ob.list();
    if (!this.conv) {
      const first = items.find((i) => i.create);
      if (first && !this.creating) this.create(first);
      return;
    }
    for (const it of items) {
      if (this.inflight.has(it.cid)) continue;
      const f = { type: 'send', conversation_id: this.conv.id, client_id: it.cid, body: it.body, attachment_ids: it.att.map((a) => a.id) };
      if (this.sock.send(f)) this.inflight.add(it.cid);
    }
  }

  /** First message: create the conversation over REST (idempotent by client_id). */
  private async create(it: OutItem): Promise<void> {
    this.creating = true;
    const withText = !it.att.length;
    try {
      const c = await this.api.create({ ...it.create, kind: 'chat', message: withText ? it.body : undefined });
      if (withText) this.ob.remove(it.cid);
      else this.ob.update({ ...it, create: undefined });
      await this.open(c);
      if (withText) this.view.list.drop(it.cid);
    } catch (e) {
      const s = e instanceof ApiError ? e.status : 0;
      if (s >= 400 && s < 500 && s !== 429 && s !== 401) {
        this.ob.remove(it.cid);
        this.view.list.fail(it.cid);
      } else {
        if (s === 429) this.view.error(t.slow);
        setTimeout(() => this.flush(), 3000);
      }
    } finally {
      this.creating = false;
    }
  }
}
