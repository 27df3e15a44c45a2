// Supervisor live view (admins): agents with status, time in status and load per
// channel; the routing queue with position and estimated wait; open offers; the
// open conversations with reassign and whisper. Polls GET /supervisor/live every 2 s.
import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { t, type StringKey } from '../i18n';
import { contactName, errorText, selectConversation, toast, useStore } from '../store';
import type { Conversation } from '../types';
import { uuid } from '../util';
import { Avatar } from '../components/Avatar';
import { ErrorNotice, SettingsHeader, StatCard, TableHead, useSubmit } from '../components/Common';
import { channelName, fmtDuration, useCatalogue } from '../admin/routingApi';
import { CHANNELS, type Channel, type LiveAgent, type SupervisorLive } from '../admin/routingTypes';

const POLL_MS = 2000;

type Action = { kind: 'assign' | 'whisper'; convId: number } | null;

function useLive() {
  const [live, setLive] = useState<SupervisorLive | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [offset, setOffset] = useState(0); // server clock - our clock
  const [fetchedAt, setFetchedAt] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    async function poll() {
      if (document.visibilityState === 'visible') {
        try {
          const res = await api.get<SupervisorLive>('/supervisor/live');
          if (stopped) return;
          const now = Date.now();
          setLive(res);
          setOffset(typeof res.now === 'number' ? res.now - now : 0);
          setFetchedAt(now);
          setError(null);
        } catch (err) {
          if (stopped) return;
          if (!(err instanceof ApiError && err.status === 401)) setError(errorText(err));
        }
      }
      if (!stopped) timer = window.setTimeout(poll, POLL_MS);
    }
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return { live, error, offset, fetchedAt };
}

/** Re-renders every second so times tick between polls. */
function useTick(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/**
 * Whether any inbox of the workspace has e-mail configured (on, with a mailbox or an
 * address): the inbox list's e-mail settings, which admins may read; for a supervisor who
 * may not, e-mail shows once there is e-mail traffic (a waiting or a known e-mail ticket).
 */
function useMailConfigured(): boolean {
  const admin = useStore((s) => s.me?.role === 'admin');
  const [on, setOn] = useState(false);
  useEffect(() => {
    if (!admin) return;
    let live = true;
    api
      .get<{ inboxes: { id: number }[] }>('/inboxes')
      .then(async (r) => {
        for (const i of r?.inboxes ?? []) {
          const e = await api
            .get<{ enabled?: boolean; imap?: { host?: string }; from_address?: string }>(`/inboxes/${i.id}/email`)
            .catch(() => null);
          if (e && e.enabled && (e.imap?.host || e.from_address)) {
            if (live) setOn(true);
            return;
          }
        }
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [admin]);
  return on;
}

export function Supervisor() {
  const { live, error, offset, fetchedAt } = useLive();
  const now = useTick();
  const { catalogue } = useCatalogue();
  const convs = useStore((s) => s.convs);
  const [action, setAction] = useState<Action>(null);
  const sinceFetch = fetchedAt ? Math.max(0, (now - fetchedAt) / 1000) : 0;
  const serverNow = now + offset;

  const agentsById = new Map((live?.agents ?? []).map((a) => [a.id, a]));
  const statusName = (a: LiveAgent) => {
    const custom = a.custom_status_id != null ? catalogue?.statuses.find((s) => s.id === a.custom_status_id) : undefined;
    return custom ? custom.name : t(('status.' + a.status) as StringKey);
  };
  const teamName = (id: number | null) => (id == null ? '' : catalogue?.teams.find((x) => x.id === id)?.name ?? `#${id}`);
  const skillLabel = (n: string) => catalogue?.skills.find((s) => s.name === n)?.label || n;
  const convLabel = (id: number) => {
    const c = convs[id];
    return c ? contactName(c) : t('sup.conversation', { id });
  };
  const active = Object.values(convs)
    .filter((c) => c.status === 'open' && c.assignee)
    .sort((a, b) => (a.assignee!.name.localeCompare(b.assignee!.name)) || a.id - b.id);
  const mailConfigured = useMailConfigured();
  // Channels that exist here: chat always; e-mail once an inbox has e-mail configured;
  // SMS only with traffic (nothing configures it yet); the others when someone can serve
  // them or someone waits. An agent's default capacity alone does not make a channel.
  const channels = CHANNELS.filter((c) => {
    const ch = live?.channels?.[c];
    if (!ch) return false;
    if (c === 'chat') return true;
    if (ch.waiting > 0) return true;
    if (c === 'email') return mailConfigured || Object.values(convs).some((x) => x.kind === 'email');
    if (c === 'sms') return false;
    return live!.agents.some((a) => (a.capacity?.[c] ?? 0) > 0);
  });

  return (
    <main class="settings-pane" data-testid="supervisor">
      <div class="settings-content settings-wide">
        <SettingsHeader title={t('sup.title')} subtitle={t('sup.subtitle')}>
          <span class={'live-badge' + (error ? ' is-stale' : '')} role="status" aria-live="polite">
            <span class="live-dot" aria-hidden="true" />
            {error ? t('sup.stale') : live ? t('sup.live') : t('common.loading')}
          </span>
        </SettingsHeader>
        <ErrorNotice error={error} testid="sup-error" />

        {channels.length > 0 && (
          <ul class="stat-row" aria-label={t('sup.channels')}>
            {channels.map((c) => {
              const ch = live!.channels[c]!;
              return (
                <StatCard
                  key={c}
                  label={channelName(c)}
                  value={ch.waiting}
                  sub={
                    <>
                      {t('sup.waiting')} · {t('sup.freeSlots', { n: ch.free_slots })}
                      {!!ch.mean_handle_s && <> · {t('sup.aht', { d: fmtDuration(ch.mean_handle_s) })}</>}
                    </>
                  }
                />
              );
            })}
          </ul>
        )}

        <Card id="sup-agents" title={t('sup.agents')} count={live?.agents.length}>
          {live && !live.agents.length && <p class="card-state">{t('sup.noAgents')}</p>}
          {live && live.agents.length > 0 && (
            <div class="table-scroll">
              <table class="table" data-testid="sup-agents">
                <TableHead cols={[t('agents.name'), t('agents.status'), t('sup.inStatus'), t('sup.connection')]}>
                  {channels.map((c) => (
                    <th scope="col" key={c} class="load-col">
                      {channelName(c)}
                    </th>
                  ))}
                </TableHead>
                <tbody>
                  {live.agents.map((a) => (
                    <tr key={a.id} data-testid="sup-agent" data-id={a.id}>
                      <td>
                        <span class="cell-person">
                          <Avatar name={a.name} size="sm" />
                          {a.name}
                        </span>
                      </td>
                      <td>
                        <span class="status-inline">
                          <span class={`presence-dot presence-${a.status}`} aria-hidden="true" />
                          {statusName(a)}
                          {!a.routable && a.status === 'online' && <span class="tag">{t('sup.notRoutable')}</span>}
                        </span>
                      </td>
                      <td class="num">{a.status_since ? fmtDuration((serverNow - a.status_since) / 1000) : '—'}</td>
                      <td>
                        <span class="status-inline">
                          <span class={'conn-dot' + (a.connected ? ' is-on' : '')} aria-hidden="true" />
                          {a.connected ? t('sup.connected') : t('sup.disconnected')}
                        </span>
                      </td>
                      {channels.map((c) => (
                        <td key={c} class="load-col">
                          <LoadBar agent={a} channel={c} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>

        <Card id="sup-queue" title={t('sup.queue')} count={live?.queue.length} hot>
          {live && !live.queue.length && <p class="card-state">{t('sup.queueEmpty')}</p>}
          {live && live.queue.length > 0 && (
            <div class="table-scroll">
              <table class="table" data-testid="sup-queue">
                <TableHead
                  cols={[
                    t('sup.conversationCol'),
                    t('sup.channel'),
                    { label: t('sup.priority'), class: 'num' },
                    t('sup.required'),
                    { label: t('sup.waitingCol'), class: 'num' },
                    { label: t('sup.position'), class: 'num' },
                    { label: t('sup.estimate'), class: 'num' },
                  ]}
                  actions
                />
                <tbody>
                  {live.queue.map((q) => (
                    <Fragment key={q.conversation_id}>
                      <tr data-testid="sup-queue-item" data-id={q.conversation_id}>
                        <td>
                          <button type="button" class="link-button" onClick={() => selectConversation(q.conversation_id)} data-testid="sup-open">
                            {convLabel(q.conversation_id)}
                          </button>
                          {q.team_id != null && <span class="tag">{teamName(q.team_id)}</span>}
                        </td>
                        <td>{channelName(q.channel)}</td>
                        <td class="num">{q.priority}</td>
                        <td>
                          {q.required.length ? (
                            <span class="skill-tags">
                              {q.required.map((r) => (
                                <span key={r.skill} class="tag">
                                  {skillLabel(r.skill)} ≥ {r.min_level}
                                </span>
                              ))}
                            </span>
                          ) : (
                            <span class="muted">—</span>
                          )}
                        </td>
                        <td class="num">{fmtDuration(q.waiting_s + sinceFetch)}</td>
                        <td class="num">{q.position == null ? '—' : q.position}</td>
                        <td class="num">{fmtDuration(q.estimated_wait_s)}</td>
                        <td class="cell-actions">
                          <RowButtons convId={q.conversation_id} action={action} setAction={setAction} whisper={false} />
                        </td>
                      </tr>
                      {action?.convId === q.conversation_id && (
                        <ActionRow key={'a' + q.conversation_id} colSpan={8} action={action} agents={live.agents} onDone={() => setAction(null)} />
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>

        {live && live.offers.length > 0 && (
          <Card id="sup-offers" title={t('sup.offers')} count={live.offers.length}>
            <table class="table" data-testid="sup-offers">
              <TableHead cols={[t('sup.conversationCol'), t('sup.offeredTo'), { label: t('sup.expiresIn'), class: 'num' }]} />
              <tbody>
                {live.offers.map((o) => (
                  <tr key={o.conversation_id + '-' + o.agent_id}>
                    <td>
                      <button type="button" class="link-button" onClick={() => selectConversation(o.conversation_id)}>
                        {convLabel(o.conversation_id)}
                      </button>
                    </td>
                    <td>{agentsById.get(o.agent_id)?.name ?? `#${o.agent_id}`}</td>
                    <td class="num">{fmtDuration((o.expires_at - serverNow) / 1000)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}

        <Card id="sup-active" title={t('sup.active')} count={active.length}>
          {!active.length && <p class="card-state">{t('sup.activeEmpty')}</p>}
          {active.length > 0 && (
            <div class="table-scroll">
              <table class="table" data-testid="sup-active">
                <TableHead cols={[t('sup.conversationCol'), t('sup.assignee'), t('sup.lastMessage')]} actions />
                <tbody>
                  {active.map((c: Conversation) => (
                    <Fragment key={c.id}>
                      <tr data-testid="sup-active-item" data-id={c.id}>
                        <td>
                          <button type="button" class="link-button" onClick={() => selectConversation(c.id)}>
                            {contactName(c)}
                          </button>
                          {c.subject && <span class="muted small"> · {c.subject}</span>}
                        </td>
                        <td>{c.assignee!.name}</td>
                        <td class="muted small truncate-cell">{c.last_message?.body ?? ''}</td>
                        <td class="cell-actions">
                          <RowButtons convId={c.id} action={action} setAction={setAction} whisper />
                        </td>
                      </tr>
                      {action?.convId === c.id && (
                        <ActionRow key={'a' + c.id} colSpan={4} action={action} agents={live?.agents ?? []} assigneeId={c.assignee!.id} onDone={() => setAction(null)} />
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </main>
  );
}

/** One of the view's cards: a heading with a count beside it (none while unknown; `hot` marks a count above zero). */
function Card({ id, title, count, hot, children }: { id: string; title: string; count?: number; hot?: boolean; children: ComponentChildren }) {
  return (
    <section class="card sup-card" aria-labelledby={id}>
      <h2 id={id} class="card-title">
        {title}
        {count != null && <span class={'pane-count' + (hot && count ? ' is-hot' : '')}>{count}</span>}
      </h2>
      {children}
    </section>
  );
}

function LoadBar({ agent, channel: c }: { agent: LiveAgent; channel: Channel }) {
  const load = agent.load?.[c] ?? 0;
  const cap = agent.capacity?.[c] ?? 0;
  if (!cap && !load) return <span class="muted">—</span>;
  const pct = cap ? Math.min(100, (load / cap) * 100) : 100;
  return (
    <span class="load" title={t('sup.loadOf', { channel: channelName(c), load, cap })}>
      <span class="load-num" aria-hidden="true">
        {load}/{cap}
      </span>
      <span
        class={'load-track' + (load >= cap ? ' is-full' : '')}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={cap}
        aria-valuenow={load}
        aria-label={t('sup.loadOf', { channel: channelName(c), load, cap })}
      >
        <span class="load-fill" style={{ width: pct + '%' }} />
      </span>
    </span>
  );
}

function RowButtons({ convId, action, setAction, whisper }: { convId: number; action: Action; setAction: (a: Action) => void; whisper: boolean }) {
  // Opens its form below the row; pressed again, closes it.
  const button = (kind: 'assign' | 'whisper', label: string) => {
    const open = action?.convId === convId && action.kind === kind;
    return (
      <button type="button" class="btn btn-ghost btn-sm" aria-expanded={open} onClick={() => setAction(open ? null : { kind, convId })} data-testid={'sup-' + kind}>
        {label}
      </button>
    );
  };
  return (
    <span class="row-buttons">
      {button('assign', whisper ? t('sup.reassign') : t('sup.assign'))}
      {whisper && button('whisper', t('sup.whisper'))}
    </span>
  );
}

function ActionRow({
  colSpan,
  action,
  agents,
  assigneeId,
  onDone,
}: {
  colSpan: number;
  action: NonNullable<Action>;
  agents: LiveAgent[];
  assigneeId?: number;
  onDone: () => void;
}) {
  const [agentId, setAgentId] = useState<string>('');
  const [body, setBody] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const first = useRef<HTMLSelectElement & HTMLTextAreaElement>(null);
  useEffect(() => {
    first.current?.focus();
  }, [action.kind]);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    await run(async () => {
      if (action.kind === 'assign') {
        await api.post(`/conversations/${action.convId}/assign`, { agent_id: Number(agentId) });
        toast(t('sup.assigned', { name: agents.find((a) => a.id === Number(agentId))?.name ?? '' }), 'success');
      } else {
        await api.post(`/conversations/${action.convId}/notes`, { body: body.trim(), client_id: uuid() });
        toast(t('sup.whispered'), 'success');
      }
      onDone();
    });
  }

  const id = `sup-action-${action.convId}`;
  return (
    <tr class="action-row">
      <td colSpan={colSpan}>
        <form class="action-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()} data-testid="sup-action-form">
          {action.kind === 'assign' ? (
            <>
              <label for={id}>{t('sup.assignTo')}</label>
              <select id={id} ref={first} value={agentId} required onChange={(e) => setAgentId(e.currentTarget.value)} data-testid="sup-assign-agent">
                <option value="" disabled>
                  {t('sup.pickAgent')}
                </option>
                {agents
                  .filter((a) => a.id !== assigneeId)
                  .map((a) => (
                    <option key={a.id} value={String(a.id)}>
                      {a.name} — {t(('status.' + a.status) as StringKey)}
                      {a.capacity?.chat ? ` (${a.load?.chat ?? 0}/${a.capacity.chat})` : ''}
                    </option>
                  ))}
              </select>
            </>
          ) : (
            <>
              <label for={id}>{t('sup.whisperLabel')}</label>
              <textarea
                id={id}
                ref={first}
                rows={2}
                value={body}
                required
                maxLength={5000}
                placeholder={t('sup.whisperPlaceholder')}
                onInput={(e) => setBody(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
                }}
                data-testid="sup-whisper-body"
              />
            </>
          )}
          <button type="submit" class="btn btn-primary btn-sm" disabled={busy || (action.kind === 'assign' ? !agentId : !body.trim())} data-testid="sup-action-submit">
            {action.kind === 'assign' ? t('sup.assign') : t('sup.send')}
          </button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={onDone}>
            {t('common.cancel')}
          </button>
          <ErrorNotice error={error} class="action-error" testid="sup-action-error" />
        </form>
      </td>
    </tr>
  );
}
