// Pure reads of the state: conversation lists, names, colours and what a role may open.

import { t } from '../i18n';
import type { Route, StatusFilter, View } from '../router';
import type { Agent, Conversation } from '../types';
import { getState, type State } from './state';

export function activity(c: Conversation): number {
  return Math.max(c.updated_at || 0, c.last_message?.created_at || 0, c.created_at || 0);
}

export function inView(c: Conversation, view: View, me: Agent | null): boolean {
  if (view === 'unassigned') return !c.assignee;
  if (view === 'mine') return !!me && c.assignee?.id === me.id;
  return true;
}

export function listFor(s: Pick<State, 'convs' | 'me'>, view: View, status: StatusFilter): Conversation[] {
  return Object.values(s.convs)
    .filter((c) => c.status === status && inView(c, view, s.me))
    .sort((a, b) => activity(b) - activity(a) || b.id - a.id);
}

export function contactName(c: Conversation): string {
  return c.contact?.name?.trim() || t('contact.unknownName', { id: c.contact?.id ?? c.id });
}

export function agentColor(id: number | undefined, name: string): string {
  const { agents, me } = getState();
  const a = id != null ? agents.find((x) => x.id === id) : undefined;
  if (a?.avatar_color) return a.avatar_color;
  if (me && me.id === id) return me.avatar_color;
  return '';
}

// ---- roles ----------------------------------------------------------------------

/** Supervisors and admins: the live view and the reports. */
export function isStaff(me: Agent | null | undefined): boolean {
  return me?.role === 'supervisor' || me?.role === 'admin';
}

export function isAdmin(me: Agent | null | undefined): boolean {
  return me?.role === 'admin';
}

/** Runs the installation: the Workspaces page. */
export function isSuperAdmin(me: Agent | null | undefined): boolean {
  return me?.super_admin === true;
}

/** Whether this person's role opens a page (the server refuses the rest with 403 anyway). */
export function canOpen(me: Agent | null | undefined, route: Route): boolean {
  switch (route.section) {
    case 'inbox':
    case 'tickets':
    case 'account':
    case 'contacts':
    case 'canned':
    case 'scripts':
      return !!me;
    case 'supervisor':
    case 'reports':
      return isStaff(me);
    default:
      // Workspaces: the installation's super-admins only.
      return route.section === 'settings' && route.tab === 'workspaces' ? isAdmin(me) && isSuperAdmin(me) : isAdmin(me);
  }
}
