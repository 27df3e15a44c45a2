// Frames from the server over the agent's socket: events, acks, conversation
// changes (with the new-chat / new-message notifications), typing, receipts,
// and the routing frames handed to agentdesk.ts.

import { api } from '../api';
import { onDeskFrame } from '../agentdesk';
import { t } from '../i18n';
import { beep, desktopNotify } from '../notify';
import type { Conversation, ServerFrame } from '../types';
import { loadList, mergeEvents, openConversation, putConv, selectConversation } from './conversations';
import { markFailed, removeOutbox, resendPending } from './outbox';
import { contactName } from './selectors';
import { connect } from './socket';
import { onComplaintFrame } from '../complaints/state';
import { getState, openConvId, setState, toast, updateTitle } from './state';

/** Connects the signed-in agent's socket; `onUnauthenticated` when the server says the session is gone. */
export function connectRealtime(onUnauthenticated: () => void): void {
  connect({
    onFrame: (f) => handleFrame(f, onUnauthenticated),
    onOpen: onSocketOpen,
    onState: (s) => setState({ socket: s }),
    onTrouble: () => {
      // The socket keeps failing: maybe the session expired. /me answers 401 then.
      void api.get('/me').catch(() => undefined);
    },
  });
}

function onSocketOpen(): void {
  const open = openConvId();
  resendPending();
  // Catch up on conversation changes missed while we were away.
  void loadList('open');
  if (getState().listState.closed !== 'idle') void loadList('closed');
  // Re-subscribes from the last seq we hold and refreshes the detail.
  if (open != null) void openConversation(open);
}

function handleFrame(f: ServerFrame, onUnauthenticated: () => void): void {
  switch (f.type) {
    case 'hello':
      break;
    case 'event':
      mergeEvents(f.event.conversation_id, [f.event]);
      break;
    case 'ack':
      mergeEvents(f.event.conversation_id, [f.event]);
      removeOutbox(f.client_id);
      break;
    case 'conversation':
      onConversationFrame(f.conversation);
      break;
    case 'typing':
      if (f.who !== 'visitor') break;
      setState((s) => {
        const typing = { ...s.typing };
        if (f.typing) typing[f.conversation_id] = { name: f.name, until: Date.now() + 6000 };
        else delete typing[f.conversation_id];
        return { typing };
      });
      break;
    case 'receipt': {
      const c = getState().convs[f.conversation_id];
      if (!c) break;
      const upd: Conversation =
        f.who === 'visitor'
          ? {
              ...c,
              visitor_delivered_seq: Math.max(c.visitor_delivered_seq, f.delivered_seq ?? 0),
              visitor_read_seq: Math.max(c.visitor_read_seq, f.read_seq ?? 0),
            }
          : {
              ...c,
              agent_delivered_seq: Math.max(c.agent_delivered_seq, f.delivered_seq ?? 0),
              agent_read_seq: Math.max(c.agent_read_seq, f.read_seq ?? 0),
            };
      setState((s) => ({ convs: { ...s.convs, [c.id]: upd } }));
      updateTitle();
      break;
    }
    case 'offer':
    case 'offer_withdrawn':
    case 'mention':
    case 'ticket_follow_up':
    case 'sla_alert':
      onDeskFrame(f);
      break;
    case 'complaint':
      onComplaintFrame(f);
      break;
    case 'visitor_page': {
      // The visitor moved to another page (or the widget's heartbeat): the contact panel shows it live.
      const c = getState().convs[f.conversation_id];
      if (!c) break;
      const cur = c.meta?.current_page;
      if (cur && cur.at > f.at) break;
      const meta = { ...c.meta, current_page: { url: f.url, title: f.title, at: f.at } };
      setState((s) => ({ convs: { ...s.convs, [c.id]: { ...c, meta } } }));
      break;
    }
    case 'error':
      if (f.client_id) {
        markFailed(f.client_id, f.message || f.code);
      } else if (f.code === 'unauthenticated') {
        onUnauthenticated();
      } else if (f.code !== 'not_found' || openConvId() == null) {
        toast(t('error.generic', { message: f.message || f.code }), 'error');
      }
      break;
    default:
      break;
  }
}

// A contact was erased (GDPR): the events held here still show what was erased,
// and no new event says so; drop them and read the conversation again.
function rereadIfErased(prev: Conversation | undefined, c: Conversation): void {
  const state = getState();
  if (!c.meta?.erased_at || prev?.meta?.erased_at === c.meta.erased_at || !state.events[c.id]) return;
  const events = { ...state.events };
  delete events[c.id];
  setState({ events });
  if (state.details[c.id]) void openConversation(c.id);
}

function onConversationFrame(c: Conversation): void {
  const state = getState();
  const prev = state.convs[c.id];
  const me = state.me;
  const listReady = state.listState.open === 'loaded';
  putConv(c);
  rereadIfErased(prev, c);
  if (!listReady || !me) return;
  const mineOrFree = !c.assignee || c.assignee.id === me.id;
  const isNew = !prev && c.status === 'open';
  const becameWaiting =
    !!prev && c.kind === 'chat' && c.status === 'open' && !c.assignee && !(prev.status === 'open' && !prev.assignee);
  const visitorWrote =
    !!prev && c.status === 'open' && mineOrFree && c.last_seq > prev.last_seq && c.last_message?.author_type === 'visitor';
  const viewing = openConvId() === c.id && document.visibilityState === 'visible';
  const name = contactName(c);
  if (isNew || becameWaiting) {
    beep();
    const key = c.kind === 'chat' ? 'notify.newChat' : (`notify.${c.kind}` as const);
    desktopNotify(t(key, { name }), c.last_message?.body ?? '', 'conv-' + c.id, () => selectConversation(c.id));
  } else if (visitorWrote && !viewing) {
    beep();
    desktopNotify(t('notify.newMessage', { name }), c.last_message?.body ?? '', 'conv-' + c.id, () => selectConversation(c.id));
  }
}
