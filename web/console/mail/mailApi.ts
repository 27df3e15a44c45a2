// A mail ticket's mail as GET /conversations/:id/mail answers it, cached per
// conversation and shared by every message row and the composer. Refetched when
// the conversation gets new events, and every few seconds while one of our
// replies is still queued (delivery state has no realtime event of its own).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Conversation } from '../types';

export interface MailAddr {
  name: string;
  address: string;
}

export interface Delivery {
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  last_error: string;
  next_attempt_at: number;
  sent_at: number | null;
}

export interface MailEntry {
  event_id: number | null;
  message_id: string;
  direction: 'in' | 'out';
  created_at: number;
  subject: string;
  from: MailAddr;
  to: MailAddr[];
  cc: MailAddr[];
  bcc: MailAddr[];
  /** Sanitised by the server; shown only inside a sandboxed frame. */
  html: string;
  quoted: string;
  delivery: Delivery | null;
}

export interface TicketMail {
  conversation_id: number;
  mail: boolean;
  to: MailAddr;
  participants: MailAddr[];
  signature: string | null;
  messages: MailEntry[];
}

/** Answered by e-mail: mail tickets, and offline forms that left an address. */
export function isMailTicket(conv: Pick<Conversation, 'kind' | 'contact'> | undefined): boolean {
  return !!conv && (conv.kind === 'email' || (conv.kind === 'offline' && !!conv.contact?.email));
}

const POLL_MS = 4000;
const cache = new Map<number, TicketMail>();
const stamps = new Map<number, string>(); // what the cached answer was fetched for
const inflight = new Map<number, Promise<void>>();
const listeners = new Set<() => void>();

function notify() {
  for (const l of listeners) l();
}

export function loadTicketMail(convId: number, stamp = ''): Promise<void> {
  const running = inflight.get(convId);
  if (running) return running;
  const p = api
    .get<TicketMail>(`/conversations/${convId}/mail`)
    .then((m) => {
      cache.set(convId, m);
      stamps.set(convId, stamp);
      notify();
    })
    .catch(() => {
      /* the messages still show; the mail parts wait for the next try */
    })
    .finally(() => inflight.delete(convId));
  inflight.set(convId, p);
  return p;
}

export function mailOfEvent(m: TicketMail | undefined, eventId: number): MailEntry | undefined {
  return m?.messages.find((e) => e.event_id === eventId);
}

/**
 * The ticket's mail; `stamp` changes when the conversation does (its last event),
 * which fetches again. Polls while a reply waits to be sent.
 */
export function useTicketMail(convId: number, enabled: boolean, stamp: string): TicketMail | undefined {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  useEffect(() => {
    if (enabled && stamps.get(convId) !== stamp) void loadTicketMail(convId, stamp);
  }, [convId, enabled, stamp]);
  const m = enabled ? cache.get(convId) : undefined;
  const waiting = !!m?.messages.some((e) => e.delivery?.status === 'queued');
  useEffect(() => {
    if (!enabled || !waiting) return;
    const timer = setInterval(() => void loadTicketMail(convId, stamps.get(convId) ?? ''), POLL_MS);
    return () => clearInterval(timer);
  }, [convId, enabled, waiting]);
  return m;
}

export async function retryDelivery(convId: number, eventId: number): Promise<void> {
  await api.post(`/conversations/${convId}/mail/${eventId}/retry`, {});
  await loadTicketMail(convId, stamps.get(convId) ?? '');
}

export function addressText(a: MailAddr): string {
  return a.name && a.name !== a.address ? `${a.name} <${a.address}>` : a.address;
}

/** One address as the composer accepts it (the server checks again). */
export function validAddress(s: string): boolean {
  return /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(s) && s.length <= 254;
}
