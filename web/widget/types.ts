// Wire shapes from docs/PROTOCOL.md (only the fields the widget reads).
export interface Att { id: string; name: string; content_type: string; size: number; url: string }

export interface Ev {
  id: number;
  conversation_id: number;
  seq: number;
  kind: string;
  author: { type: string; id?: number | null; name?: string | null };
  body: string;
  attachments?: Att[];
  client_id?: string | null;
  created_at: number;
  /** System events: what happened, for a translated text (`body` is the English one). */
  notice?: { code: string; args?: Record<string, string> } | null;
}

export interface Conv {
  id: number;
  kind: string;
  status: string;
  last_seq?: number;
  last_message?: { body: string; created_at: number } | null;
  updated_at?: number;
  agent_delivered_seq?: number;
  agent_read_seq?: number;
  visitor_delivered_seq?: number;
  visitor_read_seq?: number;
  contact?: { name?: string | null; email?: string | null } | null;
  assignee?: unknown;
  meta?: { bot?: { state?: string } | null } | null;
}

/** Texts of the inbox in one language (widget.translations[lang]). */
export interface Tr { greeting?: string; title?: string; offline_message?: string; popup_message?: string; topics?: Record<string, string> }

export interface Look {
  color: string;
  position: string;
  greeting: string;
  language: string;
  button_style: string;
  title?: string;
  offline_message?: string;
  popup_message?: string;
  translations?: Record<string, Tr>;
  /** "before" (the form first) or "progressive" (details asked in the chat when needed). */
  prechat_mode?: string;
  popup_delay_s?: number | null;
}

/** GET /widget/:key/callback-slots */
export interface Slots { timezone: string; open_now: boolean; slots: { from: number; to: number }[] }

export interface Avail { open: boolean; agents_online: number; reason: string | null; next_open_at: number | null }

export interface Config {
  inbox: { name: string; widget: Look; prechat_fields: string[]; topics: string[] };
  availability: Avail;
  estimated_wait_s: number | null;
}

/** A message waiting for its ack, persisted in localStorage before it is sent. */
export interface OutItem {
  cid: string;
  body: string;
  att: Att[];
  ts: number;
  /** Present on the message that must first create the conversation. */
  create?: Record<string, unknown>;
}

export interface Me { name?: string; email?: string }

/** Frames the server sends over the WebSocket (loosely typed on purpose). */
export interface Frame {
  type: string;
  event?: Ev;
  client_id?: string;
  conversation_id?: number;
  who?: string;
  name?: string;
  typing?: boolean;
  delivered_seq?: number;
  read_seq?: number;
  code?: string;
}

/** End-of-chat satisfaction: what the workspace asks, and the answer given. */
export interface Survey { enabled: boolean; scale: string; comment: boolean }
export interface Rating { score: number; scale: string; positive: boolean; comment: string }
/** The NPS survey asked after a chat (GET …/survey), labels in the customer's language; `more`: the score given when the server asked for the survey page's other questions. */
export interface SurveyQ { id: string; type: string; label: string; required?: boolean }
export interface Nps { token: string; url: string; name: string; questions: SurveyQ[]; more?: number }

export interface Article { id: number; title: string; snippet: string; url: string }

/** The panel's screens. */
export type View = 'home' | 'prechat' | 'chat' | 'callback' | 'transcript' | 'confirm';
