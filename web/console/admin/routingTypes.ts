// Shapes of the routing API: the workspace catalogue, agent routing
// profiles, per-inbox routing, the supervisor's live view and the simulator result.

export const CHANNELS = ['chat', 'callback', 'ticket', 'email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];
export type PerChannel = Record<Channel, number>;

export interface Skill {
  name: string;
  label: string;
}
export interface Team {
  id?: number;
  name: string;
}
export interface CustomStatus {
  id?: number;
  name: string;
  routable: boolean;
}
export interface RoutingCatalogue {
  skills: Skill[];
  teams: Team[];
  statuses: CustomStatus[];
}

export interface AgentRouting {
  skills: Record<string, number>;
  capacity: PerChannel;
  teams: number[];
}

export type RuleWhen = 'topic' | 'language' | 'url_contains';
export interface RoutingRule {
  when: RuleWhen;
  value: string;
  skill: string;
  min_level: number;
}
export interface InboxRouting {
  mode: 'auto' | 'offer';
  offer_timeout_s: number;
  priority: number;
  team_id: number | null;
  rules: RoutingRule[];
  fallback: { widen_skills_after_s: number | null; widen_team_after_s: number | null; overflow_after_s: number | null };
}

export const DEFAULT_CAPACITY: PerChannel = { chat: 3, callback: 1, ticket: 10, email: 10, sms: 5 };
export const DEFAULT_INBOX_ROUTING: InboxRouting = {
  mode: 'auto',
  offer_timeout_s: 30,
  priority: 0,
  team_id: null,
  rules: [],
  fallback: { widen_skills_after_s: 60, widen_team_after_s: 120, overflow_after_s: null },
};

/** Skill names the server accepts: 1-40 of a-z 0-9 : - _ */
export const SKILL_NAME = /^[a-z0-9:_-]{1,40}$/;

// ---- supervisor ---------------------------------------------------------------------

export interface LiveAgent {
  id: number;
  name: string;
  status: string;
  custom_status_id: number | null;
  status_since: number;
  connected: boolean;
  load: Partial<PerChannel>;
  capacity: Partial<PerChannel>;
  routable: boolean;
}
export interface LiveQueueItem {
  conversation_id: number;
  channel: Channel;
  priority: number;
  team_id: number | null;
  required: { skill: string; min_level: number }[];
  waiting_s: number;
  position: number | null;
  estimated_wait_s: number | null;
}
export interface LiveOffer {
  conversation_id: number;
  agent_id: number;
  expires_at: number;
}
export interface SupervisorLive {
  agents: LiveAgent[];
  queue: LiveQueueItem[];
  offers: LiveOffer[];
  channels: Partial<Record<Channel, { waiting: number; free_slots: number; mean_handle_s: number | null }>>;
  now: number;
}

// ---- simulator ------------------------------------------------------------------------

export interface SimOutcome {
  arrived: number;
  answered: number;
  answered_in_target: number;
  waited: number;
  abandoned: number;
  overflowed: number;
  unserved: number;
  service_level: number | null;
  p_wait: number | null;
  avg_wait_s: number | null;
  abandonment: number | null;
}
export interface SimChannel extends SimOutcome {
  channel: Channel;
  target: { seconds: number; percent: number };
  p90_wait_s: number | null;
  avg_handle_s: number | null;
  estimate: { compared: number; no_estimate: number; mean_abs_error_s: number | null; kept_share: number | null };
}
export interface SimHour {
  hour: number;
  channel: Channel;
  rate_per_hour: number;
  mean_handle_s: number;
  agents: number;
  servers: number;
  sim: SimOutcome;
  erlang_c: { offered_erlangs: number; p_wait: number; service_level: number; asa_s: number | null };
  needed?: { servers: number; agents: number; capacity_per_agent: number };
}
export interface SimAgent {
  id: number;
  name: string;
  shift: { start: number; end: number };
  assigned: number;
  logged_in_s: number;
  occupancy: number;
  channel_occupancy: Partial<PerChannel>;
  overtime_s: number;
}
export interface SimResult {
  seed: number;
  start_hour: number;
  hours: number;
  simulated_s: number;
  channels: SimChannel[];
  hourly: SimHour[];
  agents: SimAgent[];
}
