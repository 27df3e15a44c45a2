// Routing (ACD) against a real server: skills and capacity, offers with
// decline and timeout, transfer with a note, hold, mentions, disconnect grace,
// the visitor's wait estimate, and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, request, DEMO, uuid, sleep, until } from '../lib/server.mjs';

let server, admin, anna, marek;

const conversation = async (who, id) => (await who.call(`/api/v1/conversations/${id}`)).json.conversation;
const put = (who, path, body) => who.call(path, { method: 'PUT', body });
const post = (who, path, body = {}) => who.call(path, { method: 'POST', body });
// Routing has seen the conversation and, after a pass, left it waiting: a
// positive signal that it was not assigned (not a sleep that a slow machine outlasts).
const waiting = (id) => until(async () =>
  (await admin.call('/api/v1/supervisor/live')).json.queue.some((q) => q.conversation_id === id), 'waiting in the queue');
const patch = (who, path, body) => who.call(path, { method: 'PATCH', body });

before(async () => {
  server = await startServer({ args: ['--routing-tick-ms', '50'] });
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  marek = await loginAgent(server.url, DEMO.marek);
  const res = await put(admin, '/api/v1/routing', {
    skills: [{ name: 'lang:it', label: 'Italian' }, { name: 'billing', label: 'Billing' }],
    teams: [{ name: 'Billing' }],
    statuses: [{ name: 'Lunch', routable: false }, { name: 'Backoffice', routable: true }],
  });
  assert.equal(res.status, 200, res.text);
});
after(async () => { await server.stop(); });

async function setup({ mode = 'auto', annaChats = 1, marekChats = 1, rules = [], fallback = {} } = {}) {
  const inboxes = (await admin.call('/api/v1/inboxes')).json.inboxes;
  const inbox = inboxes.find((i) => i.public_key === 'demo');
  const routing = { mode, offer_timeout_s: 5, rules, fallback: { widen_skills_after_s: null, widen_team_after_s: null,
    overflow_after_s: null, ...fallback } };
  const r = await patch(admin, `/api/v1/inboxes/${inbox.id}`, { routing });
  assert.equal(r.status, 200, r.text);
  const teams = (await admin.call('/api/v1/routing')).json.teams;
  await put(admin, `/api/v1/agents/${anna.agent.id}/routing`, { skills: { 'lang:it': 4 }, capacity: { chat: annaChats } });
  await put(admin, `/api/v1/agents/${marek.agent.id}/routing`,
    { skills: { billing: 3 }, capacity: { chat: marekChats }, teams: [teams[0].id] });
  // Close what earlier tests left open, so loads start at zero.
  for (const who of [admin]) {
    const open = (await who.call('/api/v1/conversations?view=all')).json.conversations;
    for (const c of open) await post(who, `/api/v1/conversations/${c.id}/close`);
  }
  for (const who of [anna, marek]) await put(who, '/api/v1/me/status', { status: 'online' });
  return { inbox, teams };
}

test('bad routing settings are refused with the field named', async () => {
  let r = await put(admin, '/api/v1/routing', { skills: [{ name: 'Lang IT' }] });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /skills/);
  r = await put(admin, `/api/v1/agents/${anna.agent.id}/routing`, { skills: { 'lang:it': 9 } });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /lang:it/);
  r = await put(admin, `/api/v1/agents/${anna.agent.id}/routing`, { teams: [999] });
  assert.equal(r.status, 400);
  r = await put(anna, '/api/v1/routing', { skills: [] });
  assert.equal(r.status, 403, 'only admins edit the catalogue');
  r = await put(anna, '/api/v1/me/status', { custom_status_id: 999 });
  assert.equal(r.status, 400);
  const inbox = (await admin.call('/api/v1/inboxes')).json.inboxes[0];
  r = await patch(admin, `/api/v1/inboxes/${inbox.id}`, { routing: { mode: 'sometimes' } });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /routing.mode/);
  r = await admin.call('/api/v1/supervisor/live');
  assert.equal(r.status, 200);
  assert.equal((await anna.call('/api/v1/supervisor/live')).status, 403);
});

test('auto mode: skills pick the agent, capacity holds, the next waits with an honest estimate', async () => {
  await setup({ rules: [{ when: 'language', value: 'it', skill: 'lang:it', min_level: 2 }] });
  const v1 = await newVisitor(server.url);
  const c1 = (await v1.startChat({ language: 'it' })).json;
  const got = await until(async () => (await conversation(admin, c1.id)).assignee, 'first chat assigned');
  assert.equal(got.id, anna.agent.id, 'the Italian speaker gets the Italian chat');

  const v2 = await newVisitor(server.url);
  const c2 = (await v2.startChat({ language: 'it' })).json;
  await waiting(c2.id);
  assert.equal((await conversation(admin, c2.id)).assignee, null, 'anna is full and marek lacks Italian');
  const q = await v2.call(`/api/v1/widget/conversations/${c2.id}/queue`);
  assert.equal(q.status, 200);
  assert.equal(q.json.position, 1);
  assert.ok(q.json.estimated_wait_s > 0, 'one busy Italian slot: the wait is not zero');
  assert.equal((await v1.call(`/api/v1/widget/conversations/${c2.id}/queue`)).status, 404, 'not your conversation');

  // Manual assign cannot exceed capacity either.
  const r = await post(admin, `/api/v1/conversations/${c2.id}/assign`, { agent_id: anna.agent.id });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /capacity/);

  // Anna closes the first: the waiting chat is hers.
  await post(anna, `/api/v1/conversations/${c1.id}/close`);
  const next = await until(async () => (await conversation(admin, c2.id)).assignee, 'second chat assigned');
  assert.equal(next.id, anna.agent.id);
  const live = (await admin.call('/api/v1/supervisor/live')).json;
  const a = live.agents.find((x) => x.id === anna.agent.id);
  assert.equal(a.load.chat, 1);
  assert.equal(a.capacity.chat, 1);
});

test('the language detected from the first message beats the browser in routing rules', async () => {
  await until(async () => (await fetch(server.url + '/healthz').then((r) => r.json())).language_detection === 'ready',
    'language detection loaded', 10000);
  await setup({ annaChats: 2, marekChats: 2, rules: [{ when: 'language', value: 'it', skill: 'lang:it', min_level: 2 }] });
  await put(anna, '/api/v1/me/status', { status: 'away' });  // only marek (no Italian) is online
  const v = await newVisitor(server.url);
  const c = (await v.startChat({ language: 'en', message: 'Buongiorno, dov\'è il mio pacco? Non è ancora arrivato.' })).json;
  assert.equal(c.meta.detected_language, 'it');
  assert.equal(c.language, 'en', 'the browser language is kept as it was');
  await waiting(c.id);
  assert.equal((await conversation(admin, c.id)).assignee, null, 'needs Italian: marek may not take it');
  await put(anna, '/api/v1/me/status', { status: 'online' });
  const who = await until(async () => (await conversation(admin, c.id)).assignee, 'the Italian speaker takes it');
  assert.equal(who.id, anna.agent.id);
  const en = (await (await newVisitor(server.url)).startChat({ language: 'it', message: 'Hello, where is my parcel? It has not arrived.' })).json;
  assert.equal(en.meta.detected_language, 'en');
});

test('offer mode: declined and timed-out offers move on; accept assigns', async () => {
  await setup({ mode: 'offer' });
  const annaWs = anna.ws(), marekWs = marek.ws();
  await Promise.all([annaWs.opened, marekWs.opened]);
  const v = await newVisitor(server.url);
  const c = (await v.startChat({ language: 'en' })).json;
  const isOffer = (f) => f.type === 'offer' && f.conversation.id === c.id;
  const first = await Promise.race([annaWs.next(isOffer), marekWs.next(isOffer)]);
  const [firstWho, other, otherWs] = annaWs.frames.includes(first) ? [anna, marek, marekWs] : [marek, anna, annaWs];
  assert.ok(first.expires_at > Date.now());
  const reloaded = firstWho.ws();  // a reloaded console gets the live offer again
  const again = await reloaded.next(isOffer);
  assert.equal(again.expires_at, first.expires_at);
  reloaded.close();
  assert.equal((await post(other, `/api/v1/conversations/${c.id}/accept`)).status, 409, 'not offered to them');
  assert.equal((await post(firstWho, `/api/v1/conversations/${c.id}/decline`)).status, 200);
  await otherWs.next(isOffer);
  const accepted = await post(other, `/api/v1/conversations/${c.id}/accept`);
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.json.assignee.id, other.agent.id);
  assert.equal((await post(other, `/api/v1/conversations/${c.id}/accept`)).status, 409, 'only once');

  // Nobody answers: after the timeout it is offered to the next agent.
  const c2 = (await (await newVisitor(server.url)).startChat()).json;
  const isOffer2 = (f) => f.type === 'offer' && f.conversation.id === c2.id;
  const lapsed = await annaWs.next(isOffer2, 3000).catch(() => null) ?? await marekWs.next(isOffer2);
  const lapsedWs = annaWs.frames.includes(lapsed) ? annaWs : marekWs;
  await lapsedWs.next((f) => f.type === 'offer_withdrawn' && f.conversation_id === c2.id, 8000);
  annaWs.close();
  marekWs.close();
});

test('transfer with a note: the receiver reads the note first, the customer only the notice', async () => {
  const { teams } = await setup({ annaChats: 2, marekChats: 2 });
  const v = await newVisitor(server.url);
  const c = (await v.startChat({ language: 'en' })).json;
  const owner = await until(async () => (await conversation(admin, c.id)).assignee, 'assigned');
  const [from, to] = owner.id === anna.agent.id ? [anna, marek] : [marek, anna];
  const r = await post(from, `/api/v1/conversations/${c.id}/transfer`,
    { agent_id: to.agent.id, note: 'Wants a refund for order 1234' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.assignee.id, to.agent.id);
  const agentView = (await to.call(`/api/v1/conversations/${c.id}/events`)).json.events;
  const noteAt = agentView.findIndex((e) => e.kind === 'note' && e.body === 'Wants a refund for order 1234');
  const noticeAt = agentView.findIndex((e) => e.kind === 'system' && /transferred/.test(e.body));
  assert.ok(noteAt >= 0 && noteAt < noticeAt, 'note before notice');
  const visitorView = (await v.call(`/api/v1/widget/conversations/${c.id}/events`)).json.events;
  assert.ok(visitorView.some((e) => /transferred/.test(e.body)), 'the customer is told');
  assert.ok(!visitorView.some((e) => e.kind === 'note'), 'notes stay internal');
  assert.equal(visitorView[0].body, 'Ciao! Ho un problema.', 'nothing the customer wrote is lost');

  // To a team: back to the queue for that team, and marek (its member) gets it.
  const t = await post(to, `/api/v1/conversations/${c.id}/transfer`, { team_id: teams[0].id, note: 'billing question' });
  assert.equal(t.status, 200, t.text);
  const billing = await until(async () => (await conversation(admin, c.id)).assignee, 'team assignment');
  assert.equal(billing.id, marek.agent.id);
  assert.equal((await post(marek, `/api/v1/conversations/${c.id}/transfer`, {})).status, 400);
  assert.equal((await post(marek, `/api/v1/conversations/${c.id}/transfer`, { agent_id: 98765 })).status, 400);
  if (to === anna) {
    const taken = await post(anna, `/api/v1/conversations/${c.id}/transfer`, { agent_id: anna.agent.id });
    assert.equal(taken.status, 403, 'an agent cannot take back what is now a colleague\'s');
  }
});

test('hold tells the customer; notes mention and whisper to agents', async () => {
  await setup({ annaChats: 2, marekChats: 0 });
  const annaWs = anna.ws();
  await annaWs.opened;
  const v = await newVisitor(server.url);
  const c = (await v.startChat()).json;
  await until(async () => (await conversation(admin, c.id)).assignee, 'assigned to anna');
  const h = await post(anna, `/api/v1/conversations/${c.id}/hold`, { message: 'Checking the warehouse, 2 minutes.' });
  assert.equal(h.status, 201);
  const seen = (await v.call(`/api/v1/widget/conversations/${c.id}/events`)).json.events;
  assert.ok(seen.some((e) => e.body === 'Checking the warehouse, 2 minutes.'));

  const n = await post(admin, `/api/v1/conversations/${c.id}/notes`, { client_id: uuid(), body: 'Offer the 10% voucher' });
  assert.equal(n.status, 201);
  assert.equal(n.json.kind, 'note');
  const whisper = await annaWs.next((f) => f.type === 'mention' && f.conversation_id === c.id);
  assert.equal(whisper.body, 'Offer the 10% voucher');
  const m = await post(marek, `/api/v1/conversations/${c.id}/notes`, { client_id: uuid(), body: 'cc @anna <b>see</b>' });
  assert.equal(m.status, 201);
  const mention = await annaWs.next((f) => f.type === 'mention' && f.by.id === marek.agent.id);
  assert.equal(mention.body, 'cc @anna <b>see</b>', 'stored and sent verbatim; rendering escapes it');
  const visitorSide = (await v.call(`/api/v1/widget/conversations/${c.id}/events`)).json.events;
  assert.ok(!visitorSide.some((e) => e.kind === 'note'));
  assert.equal((await post(anna, `/api/v1/conversations/${c.id}/notes`, { client_id: uuid(), body: '  ' })).status, 400);
  annaWs.close();
});

test('custom statuses decide whether routing may assign', async () => {
  await setup({ annaChats: 2, marekChats: 2 });
  const statuses = (await anna.call('/api/v1/routing')).json.statuses;
  const lunch = statuses.find((s) => s.name === 'Lunch');
  const backoffice = statuses.find((s) => s.name === 'Backoffice');
  let r = await put(marek, '/api/v1/me/status', { custom_status_id: lunch.id });
  assert.equal(r.json.status, 'away');
  assert.equal(r.json.custom_status_id, lunch.id);
  const c = (await (await newVisitor(server.url)).startChat()).json;
  const who = await until(async () => (await conversation(admin, c.id)).assignee, 'assigned');
  assert.equal(who.id, anna.agent.id, 'marek is at lunch');
  r = await put(marek, '/api/v1/me/status', { custom_status_id: backoffice.id });
  assert.equal(r.json.status, 'online', 'a routable custom status counts as online');
  await put(anna, '/api/v1/me/status', { status: 'busy' });
  const c2 = (await (await newVisitor(server.url)).startChat()).json;
  const who2 = await until(async () => (await conversation(admin, c2.id)).assignee, 'assigned');
  assert.equal(who2.id, marek.agent.id, 'anna is busy, marek in back office may take chats');
});

test('an agent who vanishes is set away after the grace period and the chat is requeued first', async () => {
  // Its own server: a short grace period and a fast resync.
  const s = await startServer({ args: ['--routing-tick-ms', '50', '--grace-ms', '400', '--reconcile-ms', '200'] });
  try {
    const a = await loginAgent(s.url, DEMO.anna);
    const m = await loginAgent(s.url, DEMO.marek);
    const boss = await loginAgent(s.url, DEMO.admin);
    await put(a, '/api/v1/me/status', { status: 'online' });
    const annaWs = a.ws();
    await annaWs.opened;
    const c = (await (await newVisitor(s.url)).startChat()).json;
    const get = async () => (await boss.call(`/api/v1/conversations/${c.id}`)).json.conversation;
    await until(async () => (await get()).assignee?.id === a.agent.id, 'assigned to anna');
    await sleep(700);
    assert.equal((await a.call('/api/v1/me')).json.agent.status, 'online', 'connected: the heartbeat keeps her online');
    annaWs.close();  // no logout
    await until(async () => (await a.call('/api/v1/me')).json.agent.status === 'away', 'anna set away', 5000);
    const back = await until(async () => {
      const conv = await get();
      return conv.assignee === null && conv.priority > 0 && conv;
    }, 'requeued with priority');
    assert.ok(back.priority >= 10);
    const events = (await boss.call(`/api/v1/conversations/${c.id}/events`)).json.events;
    assert.ok(events.some((e) => /disconnected/.test(e.body)));
    await put(m, '/api/v1/me/status', { status: 'online' });  // API-only: never expires
    const taken = await until(async () => (await get()).assignee, 'marek takes it');
    assert.equal(taken.id, m.agent.id);
    await sleep(700);
    assert.equal((await m.call('/api/v1/me')).json.agent.status, 'online', 'never connected: left alone');
  } finally {
    await s.stop();
  }
});

test('call-back requests are routed like chats, on their own capacity', async () => {
  await setup({ annaChats: 1, marekChats: 1 });
  await put(admin, `/api/v1/agents/${anna.agent.id}/routing`, { capacity: { chat: 1, callback: 1 } });
  await put(admin, `/api/v1/agents/${marek.agent.id}/routing`, { capacity: { chat: 1, callback: 0 } });
  // A window the demo inbox offers (inside its hours, whatever the time now).
  const { from, to } = (await request(server.url, '/api/v1/widget/demo/callback-slots')).json.slots[0];
  const first = (await (await newVisitor(server.url)).startChat(
    { kind: 'callback', phone: '+39 333 123 4567', window_from: from, window_to: to, message: '' })).json;
  const got = await until(async () => (await conversation(admin, first.id)).assignee, 'call-back assigned');
  assert.equal(got.id, anna.agent.id, 'only anna takes call-backs');
  const second = (await (await newVisitor(server.url)).startChat(
    { kind: 'callback', phone: '+39 333 765 4321', window_from: from, window_to: to, message: '' })).json;
  const chat = (await (await newVisitor(server.url)).startChat()).json;
  await until(async () => (await conversation(admin, chat.id)).assignee, 'a chat still fits beside the call-back');
  await waiting(second.id);
  assert.equal((await conversation(admin, second.id)).assignee, null, 'one call-back at a time');
  const live = (await admin.call('/api/v1/supervisor/live')).json;
  assert.ok(live.queue.some((q) => q.conversation_id === second.id && q.channel === 'callback'));
});
