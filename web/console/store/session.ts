// The session: start-up, sign-in, the forced two-factor setup, logout and expiry.
// Logging out (or expiring) empties everything that belongs to the agent.

import { api, ApiError, onTwoFactorRequired, onUnauthorized, setCsrfToken } from '../api';
import { resetDesk } from '../agentdesk';
import { currentRoute } from '../router';
import type { Agent } from '../types';
import { loadAgents, loadList, navigate } from './conversations';
import { flushOutbox, loadOutbox } from './outbox';
import { connectRealtime } from './realtime';
import { canOpen } from './selectors';
import { disconnect } from './socket';
import { getState, setState, signedOut, updateTitle, type SecurityNotice, type State } from './state';

/** One e-mail may open several workspaces: the 409 choose_workspace answer lists them. */
export interface WorkspaceChoice {
  id: number;
  name: string;
}

let csrf = '';

onUnauthorized(() => sessionExpired());
// The workspace started requiring two-factor sign-in while this agent was working.
onTwoFactorRequired(() => {
  const { phase, me } = getState();
  if (phase === 'app' && me) holdForTwoFactor(me, csrf);
});

export async function boot(): Promise<void> {
  try {
    const res = await api.get<{ agent: Agent; csrf_token: string; two_factor_setup_required?: boolean }>('/me', { quiet401: true });
    if (res.two_factor_setup_required) holdForTwoFactor(res.agent, res.csrf_token);
    else startApp(res.agent, res.csrf_token);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setState({ phase: 'login' });
    } else {
      // Server down at start: show the login form with the reason; retry quietly.
      setState({ phase: 'login', loginNotice: 'network' });
      setTimeout(() => {
        const s = getState();
        if (s.phase === 'login' && !s.me && s.loginNotice === 'network') void boot();
      }, 5000);
    }
  }
}

/** Signs in; `otp` is a code from the authenticator app or a recovery code (401 otp_required asks for it). */
export async function login(email: string, password: string, workspaceId?: number, otp?: string): Promise<void> {
  const body: Record<string, unknown> = { email, password };
  if (workspaceId != null) body.workspace_id = workspaceId;
  if (otp) body.otp = otp;
  const res = await api.post<{ agent: Agent; csrf_token: string; security_notice: SecurityNotice | null; two_factor_setup_required?: boolean }>(
    '/auth/login',
    body,
    { quiet401: true },
  );
  if (res.two_factor_setup_required) holdForTwoFactor(res.agent, res.csrf_token);
  else startApp(res.agent, res.csrf_token);
  if (res.security_notice) setState({ securityNotice: res.security_notice });
}

/** Drops the socket and everything the agent had: before a new phase starts. */
function endSession(token: string, patch: Partial<State>): void {
  disconnect();
  resetDesk();
  csrf = token;
  setCsrfToken(token);
  setState({ ...signedOut(), ...patch });
  updateTitle();
}

/** Only the two-factor setup (and logout) until it is done: every other API answers 403 two_factor_required. */
function holdForTwoFactor(me: Agent, token: string): void {
  endSession(token, { phase: 'twofactor', me, loginNotice: null });
}

/** The forced setup is done: on to the console. */
export function twoFactorSetupDone(): void {
  const { phase, me } = getState();
  if (phase !== 'twofactor' || !me) return;
  startApp({ ...me, two_factor: true }, csrf);
}

export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout', {}, { quiet401: true });
  } catch {
    /* the session is gone either way */
  }
  stopApp('loggedOut');
}

function sessionExpired(): void {
  const phase = getState().phase;
  if (phase !== 'app' && phase !== 'twofactor') return;
  stopApp('expired');
}

function stopApp(notice: State['loginNotice']): void {
  endSession('', { phase: 'login', loginNotice: notice });
}

function startApp(me: Agent, token: string): void {
  csrf = token;
  setCsrfToken(token);
  let route = currentRoute();
  if (!canOpen(me, route)) route = { section: 'inbox', view: 'mine', status: 'open', convId: null };
  setState({ phase: 'app', me, loginNotice: null, outbox: loadOutbox(me.id) });
  navigate(route, true, true);
  if (getState().listState.open === 'idle') void loadList('open');
  void loadAgents();
  connectRealtime(sessionExpired);
  // Messages stored while the socket was down: send them by REST right away.
  setTimeout(() => flushOutbox(), 1500);
}
