// One customer record (R5): the shapes of /api/v1/contacts and the calls the
// contacts pages make.
import { api } from '../api';
import { t, type StringKey } from '../i18n';

export type Channel = 'chat' | 'callback' | 'offline' | 'email' | 'help_center';
export type IdentityKind = 'email' | 'phone' | 'visitor';

export interface Identity {
  kind: IdentityKind;
  value: string;
}

export interface ContactProfile {
  id: number;
  name: string;
  email: string;
  phone: string;
  notes: string;
  created_at: number;
  identities: Identity[];
  channels: { channel: Channel; conversations: number }[];
  conversations: number;
  open_conversations: number;
  last_activity_at: number | null;
  merged_into: number | null;
  erased: boolean;
}

export interface TimelineItem {
  id: number;
  kind: 'chat' | 'callback' | 'offline' | 'email';
  channel: Channel;
  status: 'open' | 'closed';
  ticket_status: string | null;
  subject: string;
  inbox_id: number;
  assignee: { id: number; name: string } | null;
  last_message: { preview: string; author_type: string; created_at: number } | null;
  created_at: number;
  updated_at: number;
}

export interface ContactMerge {
  id: number;
  into_id: number;
  from_id: number;
  conversations: number[];
  identities: Identity[];
  at: number;
  undone_at: number | null;
}

export interface Page<T> {
  items: T[];
  next: number | null;
}

export const PAGE = 25;

export async function searchContacts(q: string, before: number | null = null, limit = PAGE): Promise<Page<ContactProfile>> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (q.trim()) params.set('q', q.trim());
  if (before) params.set('before', String(before));
  const r = await api.get<{ contacts: ContactProfile[]; next_before: number | null }>(`/contacts?${params}`);
  return { items: r.contacts, next: r.next_before };
}

export const getContact = async (id: number) => (await api.get<{ contact: ContactProfile }>(`/contacts/${id}`)).contact;

export async function getTimeline(id: number, before: number | null = null): Promise<Page<TimelineItem>> {
  const r = await api.get<{ conversations: TimelineItem[]; next_before: number | null }>(
    `/contacts/${id}/timeline?limit=${PAGE}${before ? `&before=${before}` : ''}`,
  );
  return { items: r.conversations, next: r.next_before };
}

export interface ContactPatch {
  name?: string;
  notes?: string;
  add_identities?: Identity[];
  remove_identities?: Identity[];
}

export const patchContact = async (id: number, body: ContactPatch) =>
  (await api.patch<{ contact: ContactProfile }>(`/contacts/${id}`, body)).contact;

export const mergeContacts = (into: number, from: number) =>
  api.post<{ merge: ContactMerge; contact: ContactProfile }>(`/contacts/${into}/merge`, { from });

export const undoMerge = (mergeId: number) =>
  api.post<{ merge: ContactMerge; contact: ContactProfile; restored: ContactProfile }>(`/contacts/merges/${mergeId}/undo`, {});

export const channelLabel = (c: Channel) => t(`channel.${c}` as StringKey);
export const identityLabel = (k: IdentityKind) => t(`contacts.kind.${k}` as StringKey);

/** An identity as people read it: a widget browser's long random id is cut to its first characters (the whole in a tooltip). */
export const identityText = (i: Pick<Identity, 'kind' | 'value'>) =>
  i.kind === 'visitor' ? t('contacts.visitorValue', { id: i.value.slice(0, 8) }) : i.value;

/** The name to show: the contact's, else "Visitor #id". */
export const displayName = (c: Pick<ContactProfile, 'id' | 'name'>) => c.name.trim() || t('contact.unknownName', { id: c.id });
