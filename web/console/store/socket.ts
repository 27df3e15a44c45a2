// The signed-in agent's one WebSocket (realtime.ts does the reconnecting).
// The other store modules send through here; realtime.ts handles what comes back.

import { Realtime, socketUrl } from '../realtime';
import type { ClientFrame } from '../types';

let socket: Realtime | null = null;

/** Opens the connection (closing any previous one). */
export function connect(handlers: ConstructorParameters<typeof Realtime>[1]): void {
  socket?.stop();
  socket = new Realtime(socketUrl(), handlers);
  socket.start();
}

export function disconnect(): void {
  socket?.stop();
  socket = null;
}

/** Sends a frame if the socket is open; false otherwise (the caller falls back or retries). */
export function send(frame: ClientFrame): boolean {
  return !!socket?.send(frame);
}

export function socketIsOpen(): boolean {
  return !!socket?.isOpen;
}

export function socketRetryNow(): void {
  socket?.kick();
}

window.addEventListener('online', () => socketRetryNow());
