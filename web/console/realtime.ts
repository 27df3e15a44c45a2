// One WebSocket to /ws (cookie auth) with reconnect (0.5 s doubling to 10 s,
// with jitter; a server restarting, close 1012, spreads its clients over a few
// seconds) and a ping watchdog. The store listens for frames and for
// (re)connections; re-subscription and the outbox live in the store.

import { SERVICE_RESTART, backoffDelay, restartDelay } from '../shared/reconnect';
import type { ClientFrame, ServerFrame } from './types';

export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

const PING_EVERY = 25_000;
const PONG_TIMEOUT = 10_000;

export class Realtime {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: number | undefined;
  private pingTimer: number | undefined;
  private pongTimer: number | undefined;
  private stopped = true;
  private everOpened = false;
  state: SocketState = 'closed';

  constructor(
    private url: string,
    private handlers: {
      onFrame: (frame: ServerFrame) => void;
      onOpen: () => void;
      onState: (state: SocketState) => void;
      /** Called after consecutive failures; lets the app check the session. */
      onTrouble?: (attempt: number) => void;
    },
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.clearPing();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onclose = ws.onerror = ws.onmessage = null;
      try { ws.close(1000); } catch { /* ignore */ }
    }
    this.setState('closed');
  }

  /** Sends a frame if the socket is open; returns false otherwise. */
  send(frame: ClientFrame): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    try {
      this.ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Drop the current socket and reconnect now (e.g. the browser came back online). */
  kick(): void {
    if (this.stopped) return;
    if (this.state === 'open') return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.open();
  }

  private setState(s: SocketState) {
    if (this.state === s) return;
    this.state = s;
    this.handlers.onState(s);
  }

  private open() {
    clearTimeout(this.timer);
    if (this.ws) {
      const old = this.ws;
      old.onopen = old.onclose = old.onerror = old.onmessage = null;
      try { old.close(); } catch { /* ignore */ }
    }
    this.setState(this.everOpened || this.attempt > 0 ? 'reconnecting' : 'connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.everOpened = true;
      this.setState('open');
      this.startPing();
      this.handlers.onOpen();
    };
    ws.onmessage = (msg) => {
      if (typeof msg.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(msg.data);
      } catch {
        return;
      }
      if (frame.type === 'pong') {
        clearTimeout(this.pongTimer);
        return;
      }
      this.handlers.onFrame(frame);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearPing();
      if (!this.stopped) this.scheduleReconnect(e.code === SERVICE_RESTART ? restartDelay() : undefined);
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  /** `delay`: how long to wait instead of the backoff (a restarting server's spread). */
  private scheduleReconnect(delay?: number) {
    this.setState('reconnecting');
    if (delay === undefined) delay = backoffDelay(this.attempt);
    this.attempt++;
    if (this.attempt >= 2) this.handlers.onTrouble?.(this.attempt);
    this.timer = window.setTimeout(() => this.open(), delay);
  }

  private startPing() {
    this.clearPing();
    this.pingTimer = window.setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      clearTimeout(this.pongTimer);
      this.pongTimer = window.setTimeout(() => {
        // No pong: the connection is dead even if the browser has not noticed.
        const ws = this.ws;
        if (ws) {
          this.ws = null;
          ws.onopen = ws.onclose = ws.onerror = ws.onmessage = null;
          try { ws.close(); } catch { /* ignore */ }
        }
        this.clearPing();
        if (!this.stopped) this.scheduleReconnect();
      }, PONG_TIMEOUT);
    }, PING_EVERY);
  }

  private clearPing() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }
}

export function socketUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws`;
}
