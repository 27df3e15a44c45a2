// Messages on their way to the server. Each has a client id: sent over the
// socket, or by REST when the socket is down or no ack comes; the server's
// event with that client id (conversations.ts mergeEvents) removes it.

import { api, ApiError } from '../api';
import type { Attachment, ConvEvent } from '../types';
import { loadJSON, uuid } from '../util';
import { mergeEvents, stopTyping } from './conversations';
import { send, socketIsOpen } from './socket';
import { errorText, getState, outboxKey, saveOutbox, setState, type OutboxItem } from './state';

/** The outbox this agent left behind (stored across reloads). */
export function loadOutbox(agentId: number): OutboxItem[] {
  return loadJSON<OutboxItem[]>(outboxKey(agentId), []).filter(
    (o) => o && typeof o.client_id === 'string' && typeof o.conversation_id === 'number',
  );
}

export function sendMessage(convId: number, body: string, attachments: Attachment[], mail?: OutboxItem['mail']): void {
  stopTyping();
  const item: OutboxItem = {
    client_id: uuid(),
    conversation_id: convId,
    body,
    attachments,
    created_at: Date.now(),
    state: 'pending',
    ...(mail ? { mail } : {}),
  };
  setState((s) => ({ outbox: [...s.outbox, item] }));
  saveOutbox();
  deliver(item);
}

function deliver(item: OutboxItem): void {
  if (item.mail) return void sendRest(item); // Cc/Bcc: only the mail route takes them
  if (sendFrame(item)) {
    // Belt and braces: if no ack comes in a while, try the REST path (same client id, so no duplicate).
    setTimeout(() => {
      if (getState().outbox.some((o) => o.client_id === item.client_id && o.state === 'pending')) void sendRest(item);
    }, 12_000);
  } else {
    void sendRest(item);
  }
}

function sendFrame(item: OutboxItem): boolean {
  return send({
    type: 'send',
    conversation_id: item.conversation_id,
    client_id: item.client_id,
    body: item.body,
    attachment_ids: item.attachments.map((a) => a.id),
  });
}

const restInFlight = new Set<string>();

async function sendRest(item: OutboxItem): Promise<void> {
  if (restInFlight.has(item.client_id)) return;
  restInFlight.add(item.client_id);
  try {
    const ev = await api.post<ConvEvent>(`/conversations/${item.conversation_id}/${item.mail ? 'mail/replies' : 'messages'}`, {
      client_id: item.client_id,
      body: item.body,
      attachment_ids: item.attachments.map((a) => a.id),
      ...(item.mail ?? {}),
    });
    mergeEvents(item.conversation_id, [ev]);
    removeOutbox(item.client_id);
  } catch (err) {
    if (err instanceof ApiError && err.status !== 0 && err.status !== 401 && err.status < 500 && err.status !== 429) {
      markFailed(item.client_id, errorText(err));
    }
    // Network trouble / 5xx: stays pending; sent again when the socket is back.
  } finally {
    restInFlight.delete(item.client_id);
  }
}

/** The socket (re)opened: re-send every message without an ack, with its original client id. */
export function resendPending(): void {
  for (const o of getState().outbox) {
    if (o.state === 'pending') (o.mail ? void sendRest(o) : sendFrame(o));
  }
}

/** Messages stored while the socket was down: send them by REST. */
export function flushOutbox(): void {
  if (socketIsOpen()) return; // resendPending already re-sent them
  for (const o of getState().outbox) if (o.state === 'pending') void sendRest(o);
}

export function removeOutbox(clientId: string): void {
  if (!getState().outbox.some((o) => o.client_id === clientId)) return;
  setState((s) => ({ outbox: s.outbox.filter((o) => o.client_id !== clientId) }));
  saveOutbox();
}

export function markFailed(clientId: string, error: string): void {
  setState((s) => ({
    outbox: s.outbox.map((o) => (o.client_id === clientId ? { ...o, state: 'failed' as const, error } : o)),
  }));
  saveOutbox();
}

export function retryOutbox(clientId: string): void {
  const item = getState().outbox.find((o) => o.client_id === clientId);
  if (!item) return;
  const again = { ...item, state: 'pending' as const, error: undefined };
  setState((s) => ({ outbox: s.outbox.map((o) => (o.client_id === clientId ? again : o)) }));
  saveOutbox();
  deliver(again);
}

export function discardOutbox(clientId: string): void {
  removeOutbox(clientId);
}
