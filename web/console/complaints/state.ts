// The complaint of each open conversation (R7): loaded on demand, replaced by the
// "complaint" frames other consoles' changes send, and by our own answers. The
// newest revision wins (frames and answers may cross).

import { useEffect, useState } from 'preact/hooks';
import { api, request } from '../api';
import { useStore } from '../store';

export const STEP_KEYS = ['thank', 'explain', 'apologise', 'say_what_will_be_done', 'fix', 'report_fix', 'check_satisfaction', 'prevent_recurrence'] as const;
export type StepKey = (typeof STEP_KEYS)[number];
export const CATEGORIES = ['delivery', 'product', 'billing', 'service', 'other'] as const;

export interface Who {
  id: number;
  name: string;
}
export interface ComplaintStep {
  key: StepKey;
  done: boolean;
  by: Who | null;
  at: number | null;
  note: string;
}
export interface Complaint {
  id: number;
  conversation_id: number;
  category: string | null;
  status: 'open' | 'resolved';
  resolution: 'steps' | 'agent' | null;
  suggested: boolean;
  marked_by: Who | null;
  marked_at: number;
  resolved_at: number | null;
  resolved_by: Who | null;
  revision: number;
  progress: { done: number; total: number };
  steps: ComplaintStep[];
}
export interface ComplaintState {
  complaint: Complaint | null;
  complaint_suggested: boolean;
}
export interface ComplaintFrame extends ComplaintState {
  type: 'complaint';
  conversation_id: number;
}

const states = new Map<number, ComplaintState>();
const listeners = new Set<() => void>();

function put(id: number, s: ComplaintState): void {
  const old = states.get(id);
  // A withdrawn complaint (null) or a new one replaces whatever we had; within one, the newest revision wins.
  if (old?.complaint && s.complaint && old.complaint.id === s.complaint.id && old.complaint.revision > s.complaint.revision) return;
  states.set(id, s);
  for (const l of listeners) l();
}

export function onComplaintFrame(f: ComplaintFrame): void {
  put(f.conversation_id, { complaint: f.complaint, complaint_suggested: f.complaint_suggested });
}

const base = (id: number) => `/conversations/${id}/complaint`;

const loading = new Map<number, Promise<void>>();

/** One request at a time per conversation (the panel and the toolbar both ask). */
export function loadComplaint(id: number): Promise<void> {
  let p = loading.get(id);
  if (!p) {
    p = api
      .get<ComplaintState>(base(id))
      .then((s) => put(id, s))
      .finally(() => loading.delete(id));
    loading.set(id, p);
  }
  return p;
}
export async function markComplaint(id: number, category?: string | null): Promise<void> {
  put(id, await api.post<ComplaintState>(base(id), category === undefined ? {} : { category }));
}
/** Shows the tick at once (the server's answer then says who and when); reloads on failure. */
export async function tickStep(id: number, key: StepKey, done: boolean): Promise<void> {
  const s = states.get(id);
  if (s?.complaint) {
    const steps = s.complaint.steps.map((x) => (x.key === key ? { ...x, done } : x));
    const progress = { ...s.complaint.progress, done: steps.filter((x) => x.done).length };
    put(id, { ...s, complaint: { ...s.complaint, steps, progress } });
  }
  try {
    put(id, await api.put<ComplaintState>(`${base(id)}/steps/${key}`, { done }));
  } catch (err) {
    await loadComplaint(id).catch(() => undefined);
    throw err;
  }
}
export async function resolveComplaint(id: number): Promise<void> {
  put(id, await api.post<ComplaintState>(`${base(id)}/resolve`, {}));
}
export async function reopenComplaint(id: number): Promise<void> {
  put(id, await api.post<ComplaintState>(`${base(id)}/reopen`, {}));
}
export async function withdrawComplaint(id: number, reason: string): Promise<void> {
  put(id, await request<ComplaintState>('DELETE', base(id), { reason }));
}

/** The conversation's complaint state (undefined while loading); loads it once per mount. */
export function useComplaint(id: number): ComplaintState | undefined {
  const [, bump] = useState(0);
  useEffect(() => {
    const l = () => bump((n) => n + 1);
    listeners.add(l);
    void loadComplaint(id).catch(() => undefined);
    return () => {
      listeners.delete(l);
    };
  }, [id]);
  // Frames missed while the socket was down: read the state again when it is back.
  const socket = useStore((s) => s.socket);
  useEffect(() => {
    if (socket === 'open' && states.has(id)) void loadComplaint(id).catch(() => undefined);
  }, [socket]);
  return states.get(id);
}
