// One WebSocket that keeps itself alive: exponential backoff with jitter
// (0.5 s doubling to 10 s; a server restarting, close 1012, spreads its clients
// over a few seconds), reconnect on `online` / tab visible, ping every 25 s and
// reconnect when no pong arrives within 10 s.
import { SERVICE_RESTART, backoffDelay, restartDelay } from '../shared/reconnect';
import type { Frame } from './types';

export class Socket {
  up = false;
  /** The last attempt failed or the connection was lost (reset on success). */
  failed = false;
  private ws: WebSocket | null = null;
  private want = false;
  private tries = 0;
  private retry = 0;
  private ping = 0;
  private pong = 0;

  constructor(
    private url: () => string,
    private onFrame: (f: Frame) => void,
    private onState: (up: boolean) => void,
  ) {
    addEventListener('online', () => this.kick());
    addEventListener('offline', () => this.drop());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      if (this.up) this.sendPing();
      else this.kick();
    });
  }

  start(): void {
    if (this.want) return;
    this.want = true;
    this.connect();
  }

  send(f: object): boolean {
    if (!this.up || !this.ws) return false;
    this.ws.send(JSON.stringify(f));
    return true;
  }

  /** Reconnect now instead of waiting for the backoff timer. */
  private kick(): void {
    if (this.want && !this.ws) this.connect();
  }

  private connect(): void {
    clearTimeout(this.retry);
    let ws: WebSocket;
    try {
      ws = this.ws = new WebSocket(this.url());
    } catch {
      return this.lost(null);
    }
    ws.onopen = () => {
      this.tries = 0;
      this.up = true;
      this.failed = false;
      this.ping = setInterval(() => this.sendPing(), 25000);
      this.onState(true);
    };
    ws.onmessage = (e) => this.message(e.data);
    ws.onclose = (e) => this.lost(ws, e.code);
  }

  private message(data: unknown): void {
    let f: Frame;
    try {
      f = JSON.parse(String(data));
    } catch {
      return;
    }
    if (f.type === 'pong') clearTimeout(this.pong);
    else this.onFrame(f);
  }

  private sendPing(): void {
    if (!this.send({ type: 'ping' })) return;
    clearTimeout(this.pong);
    this.pong = setTimeout(() => this.drop(), 10000);
  }

  /** Give up on the current socket at once (offline, dead connection). */
  private drop(): void {
    const ws = this.ws;
    if (!ws) return;
    ws.onclose = ws.onmessage = ws.onopen = null;
    try {
      ws.close();
    } catch {}
    this.lost(ws);
  }

  private lost(ws: WebSocket | null, code = 0): void {
    if (ws !== this.ws) return;
    clearInterval(this.ping);
    clearTimeout(this.pong);
    this.ws = null;
    this.up = false;
    this.failed = true;
    this.onState(false);
    const delay = code === SERVICE_RESTART ? restartDelay() : backoffDelay(this.tries++);
    this.retry = setTimeout(() => this.connect(), delay);
  }
}
