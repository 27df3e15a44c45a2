// Shapes of the Switchboard wire protocol (docs/PROTOCOL.md).

import type { Lang } from '../shared/languages';

export type Role = 'agent' | 'supervisor' | 'admin';
export const ROLES: Role[] = ['agent', 'supervisor', 'admin'];

/** What an agent may see: inbox and team ids; an empty list means all of them. Admins are never scoped. */
export interface Scope {
  inboxes: number[];
  teams: number[];
}
export type AgentStatus = 'online' | 'away' | 'busy' | 'offline';

export interface Agent {
  id: number;
  name: string;
  /** Job title, under the name in mail signatures. */
  title?: string;
  email: string;
  role: Role;
  status: AgentStatus;
  avatar_color: string;
  /** Routing: a workspace custom status, and when the status last changed (ms). */
  custom_status_id?: number | null;
  status_since?: number;
  /** Which inboxes and teams the agent works in (empty lists: everything). */
  scope?: Scope;
  /** false: deactivated — cannot sign in, keeps their history. */
  active?: boolean;
  /** Signs in with a code from an authenticator app besides the password. */
  two_factor?: boolean;
  /** Runs the installation: sees and creates workspaces. */
  super_admin?: boolean;
}

export interface HoursRange {
  day: number; // 0 = Sunday
  open: string; // "09:00"
  close: string; // "18:00"
}

export interface Hours {
  weekly: HoursRange[];
  holidays: string[];
}

export type WidgetLanguage = 'auto' | Lang;
export type ButtonStyle = 'bubble' | 'tab' | 'pill';

/** One language's words for the widget (empty or absent: the inbox's own). `topics`: canonical topic → label. */
export interface WidgetTranslation {
  greeting?: string;
  title?: string;
  offline_message?: string;
  popup_message?: string;
  topics?: Record<string, string>;
}
export type PrechatMode = 'before' | 'progressive';

export interface WidgetLook {
  color: string;
  position: 'right' | 'left';
  greeting: string;
  language: WidgetLanguage;
  button_style: ButtonStyle;
  translations?: Partial<Record<Lang, WidgetTranslation>>;
  /** "before": the form first; "progressive": the customer types first, name/e-mail asked at handoff. */
  prechat_mode?: PrechatMode;
  /** Seconds before the greeting pop-up shows next to the launcher; null/absent: no pop-up. */
  popup_delay_s?: number | null;
}

export type PrechatField = 'name' | 'email' | 'topic';

export interface Inbox {
  id: number;
  name: string;
  public_key: string;
  timezone: string;
  business_hours: Hours;
  widget: WidgetLook;
  prechat_fields: PrechatField[];
  topics: string[];
}

export interface Contact {
  id: number;
  name: string;
  email: string;
  phone: string;
  created_at: number;
}

export interface Attachment {
  id: string;
  name: string;
  content_type: string;
  size: number;
  url: string;
  /** Mail: shown by the message's HTML (a `cid:` image), so not listed again under it. */
  inline?: boolean;
  /** Mail: the part's Content-ID ("" if none). */
  content_id?: string;
}

export type AuthorType = 'visitor' | 'agent' | 'system' | 'bot';
export type EventKind = 'message' | 'system' | 'note';

export interface ConvEvent {
  id: number;
  conversation_id: number;
  seq: number;
  kind: EventKind;
  author: { type: AuthorType; id: number | null; name: string };
  body: string;
  attachments: Attachment[];
  client_id: string | null;
  created_at: number;
  /** System events: what happened, for a translated text (`body` is the English one). */
  notice?: { code: string; args?: Record<string, string | string[]> } | null;
}

export type ConversationKind = 'chat' | 'callback' | 'offline' | 'email';
export type ConversationStatus = 'open' | 'closed';

export interface Callback {
  phone: string;
  window_from: number | string | null;
  window_to: number | string | null;
}

export type TicketStatus = 'new' | 'open' | 'pending_customer' | 'on_hold' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

/** Help-desk fields: set on e-mail, offline-form and help-center tickets. */
export interface Ticket {
  number: number;
  status: TicketStatus;
  priority: TicketPriority;
  tags: string[];
  follow_up_at: number | null;
  first_response_at: number | null;
  solved_at: number | null;
  follows: number | null;
  custom_fields?: Record<string, string | number>;
  merged_into?: number | null;
}

/** One row of GET /api/v1/tickets. `sla` comes from the SLA module when a policy applies. */
export interface TicketRow {
  id: number;
  subject: string;
  kind: ConversationKind;
  inbox_id: number;
  status: TicketStatus;
  priority: TicketPriority;
  tags: string[];
  assignee: null | { id: number; name: string };
  team_id: number | null;
  contact: { id: number; name: string; email: string };
  follow_up_at: number | null;
  follow_up_due: boolean;
  custom_fields: Record<string, string | number>;
  merged_into: number | null;
  last_message: null | { body: string; author_type: string; created_at: number };
  created_at: number;
  updated_at: number;
  /** From the SLA runner's watch: an open target's due instant and when it turns at risk; null when nothing is watched. */
  sla?: { badge?: 'ok' | 'at_risk' | 'breached' | 'none'; label?: string; due_at?: number | null; at_risk_at?: number | null } | null;
  /** Marked as a complaint (not withdrawn): whether it is resolved; null when it is none. */
  complaint?: { status: 'open' | 'resolved' } | null;
}

export interface TicketCounts {
  views: Record<string, number>;
  tags: { tag: string; count: number }[];
}

export type TicketFieldType = 'text' | 'number' | 'select' | 'date';
export interface TicketField {
  id: number;
  key: string;
  label: string;
  type: TicketFieldType;
  options: string[];
  required: boolean;
  position: number;
}

export interface Conversation {
  id: number;
  ticket?: Ticket | null;
  /** Routing: only this team's agents (tickets: the team on it). */
  team_id?: number | null;
  inbox_id: number;
  kind: ConversationKind;
  status: ConversationStatus;
  assignee: null | { id: number; name: string };
  contact: Contact;
  subject: string;
  language: string;
  last_seq: number;
  last_message: null | { body: string; author_type: AuthorType; author_name?: string; created_at: number };
  visitor_delivered_seq: number;
  visitor_read_seq: number;
  agent_delivered_seq: number;
  agent_read_seq: number;
  meta: {
    page_url: string;
    user_agent: string;
    referrer: string;
    callback: null | Callback;
    /** FAQ bot: answering ("active") or gone ("handed_off", with why and when). */
    bot?: { state: 'active' | 'handed_off'; reason?: string; at?: number };
    /** Emotional peak flagged on a customer message. */
    emotion?: { peak: boolean; score?: number; reasons?: string[]; at?: number };
    /** Language detected from the customer's messages ("it"). */
    detected_language?: string;
    /** Set when the contact's data was erased (GDPR); the other keys are gone then. */
    erased_at?: number;
    /** The page the visitor is on now (the widget reports it; `at` in ms), live through `visitor_page` frames. */
    current_page?: CurrentPage;
  };
  created_at: number;
  updated_at: number;
}

export interface CurrentPage {
  url: string;
  title?: string;
  at: number;
}

// WebSocket frames, server -> client.
export type ServerFrame =
  | { type: 'visitor_page'; conversation_id: number; url: string; title?: string; at: number }
  | import('./complaints/state').ComplaintFrame
  | { type: 'hello'; role: 'visitor' | 'agent' }
  | { type: 'event'; event: ConvEvent }
  | { type: 'ack'; client_id: string; event: ConvEvent }
  | { type: 'typing'; conversation_id: number; who: 'visitor' | 'agent'; name: string; typing: boolean }
  | { type: 'receipt'; conversation_id: number; who: 'visitor' | 'agent'; delivered_seq: number; read_seq: number }
  | { type: 'conversation'; conversation: Conversation }
  | { type: 'agents'; agents_online: number }
  | { type: 'pong' }
  | { type: 'offer'; conversation: Conversation; expires_at: number; timeout_s: number }
  | { type: 'offer_withdrawn'; conversation_id: number }
  | { type: 'mention'; conversation_id: number; by: { id: number; name: string }; body: string }
  | { type: 'ticket_follow_up'; conversation_id: number; subject: string; contact_name: string }
  | { type: 'sla_alert'; conversation_id: number; subject: string; action: string; metric?: string; badge?: string }
  | { type: 'error'; code: string; message: string; client_id?: string };

// WebSocket frames, client -> server.
export type ClientFrame =
  | { type: 'subscribe'; conversation_id: number; after_seq: number }
  | { type: 'send'; conversation_id: number; client_id: string; body: string; attachment_ids: string[] }
  | { type: 'typing'; conversation_id: number; typing: boolean }
  | { type: 'receipt'; conversation_id: number; delivered_seq: number; read_seq: number }
  | { type: 'ping' };

// ---- the agent's routing day (agentdesk.ts) ----------------------------------------

/** A conversation offered to this agent (push routing), with its countdown. */
export interface Offer {
  conversation: Conversation;
  expires_at: number;
  timeout_s: number;
  /** Local clock when it arrived: the countdown uses the server's timeout from here, immune to clock skew. */
  received_at: number;
  busy: boolean;
  /** The customer's last message (their question), when last_message is the bot's or an agent's: fetched after the offer came. */
  question?: string;
}

export interface MentionNotice {
  id: number;
  conversation_id: number;
  by: { id: number; name: string };
  body: string;
  at: number;
}

export interface RoutingCatalogue {
  skills: { name: string; label: string }[];
  teams: { id: number; name: string }[];
  statuses: { id: number; name: string; routable: boolean }[];
}
