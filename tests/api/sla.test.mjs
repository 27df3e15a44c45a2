// SLA over the API: policies (admins; validated, ordered, per workspace), the
// clocks of a real ticket from the widget's offline form, the batched clocks for
// list rows, the at-risk list, an escalation the server's timer takes by itself
// (raise the priority, tell the supervisors) exactly once — also across a
// restart — in the inbox's language, the breaching-soon ticket view, the
// automation settings, and the SLA report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, initWorkspace, DEMO, uuid, until, sleep } from '../lib/server.mjs';

let server, admin, anna;
const MIN = 60_000;

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
});
after(async () => { await server.stop(); });

const post = (who, path, body) => who.call(path, { method: 'POST', body });
const put = (who, path, body) => who.call(path, { method: 'PUT', body });

async function offlineTicket(inboxKey = 'demo', message = 'My order #4411 never arrived') {
  const v = await newVisitor(server.url, inboxKey);
  const r = await v.startChat({ kind: 'offline', email: `c.${uuid().slice(0, 8)}@example.com`, message });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.ticket, 'an offline form is a ticket');
  return r.json;
}

const STANDARD = {
  name: 'Standard',
  targets: { first_response: { low: 240, normal: 60, high: 30, urgent: 15 }, resolution: { normal: 2880 } },
  hours: 'calendar',
  at_risk: { percent: 25, minutes: 10 },
};

test('admins keep ordered SLA policies; bad ones are refused naming the field', async () => {
  const created = await post(admin, '/api/v1/sla-policies', STANDARD);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.name, 'Standard');
  assert.equal(created.json.targets.first_response.normal, 60);

  const zero = await post(admin, '/api/v1/sla-policies', { name: 'Zero', targets: { first_response: { normal: 0 } } });
  assert.equal(zero.status, 422);
  assert.match(zero.json.error.message, /targets\.first_response\.normal/);
  const unknown = await post(admin, '/api/v1/sla-policies', { name: 'X', targets: {}, colour: 'red' });
  assert.equal(unknown.status, 422);
  assert.match(unknown.json.error.message, /colour/);
  const noName = await post(admin, '/api/v1/sla-policies', { targets: {} });
  assert.equal(noName.status, 422);
  assert.match(noName.json.error.message, /name/);
  const badEscalation = await post(admin, '/api/v1/sla-policies', { name: 'Y', targets: {}, escalations: [{ metric: 'first_response', when: 'at_risk', action: 'reassign_team' }] });
  assert.equal(badEscalation.status, 422);
  assert.match(badEscalation.json.error.message, /escalation\.team/);
  const malformed = await admin.call('/api/v1/sla-policies', { method: 'POST', raw: '{"name":', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.json.error.code, 'invalid_json');

  // A second policy, then moved first: the order is what decides.
  const vip = await post(admin, '/api/v1/sla-policies', { name: 'VIP', when: { tags: ['vip'] }, targets: { first_response: { normal: 15 } } });
  assert.equal(vip.status, 201);
  let list = (await admin.call('/api/v1/sla-policies')).json.policies;
  assert.deepEqual(list.map((p) => p.name), ['Standard', 'VIP']);
  const moved = await put(admin, `/api/v1/sla-policies/${vip.json.id}`, { name: 'VIP', when: { tags: ['vip'] }, targets: { first_response: { normal: 20 } }, position: 0 });
  assert.equal(moved.status, 200, moved.text);
  list = (await admin.call('/api/v1/sla-policies')).json.policies;
  assert.deepEqual(list.map((p) => [p.name, p.position]), [['VIP', 0], ['Standard', 1]]);
  assert.equal((await admin.call(`/api/v1/sla-policies/${vip.json.id}`)).json.targets.first_response.normal, 20);
  assert.equal((await admin.call(`/api/v1/sla-policies/${vip.json.id}`, { method: 'DELETE' })).status, 200);
  assert.equal((await admin.call(`/api/v1/sla-policies/${vip.json.id}`, { method: 'DELETE' })).status, 404);
  assert.equal((await admin.call(`/api/v1/sla-policies/${vip.json.id}`)).status, 404);
  list = (await admin.call('/api/v1/sla-policies')).json.policies;
  assert.deepEqual(list.map((p) => [p.name, p.position]), [['Standard', 0]]);

  // Agents may not read or change them.
  assert.equal((await anna.call('/api/v1/sla-policies')).status, 403);
  assert.equal((await post(anna, '/api/v1/sla-policies', STANDARD)).status, 403);
  assert.equal((await put(anna, `/api/v1/sla-policies/${created.json.id}`, STANDARD)).status, 403);
  assert.equal((await put(anna, '/api/v1/sla-settings', {})).status, 403);
});

test('another workspace\'s policies and tickets are unknown', async () => {
  const policy = (await post(admin, '/api/v1/sla-policies', { name: 'Mine', targets: { resolution: { low: 9000 } } })).json;
  const ticket = await offlineTicket();
  initWorkspace(server.dataDir, 'Other SLA Co', 'boss@sla-other.example', 'other-pass-123');
  const boss = await loginAgent(server.url, { email: 'boss@sla-other.example', password: 'other-pass-123' });
  assert.deepEqual((await boss.call('/api/v1/sla-policies')).json.policies, []);
  assert.equal((await boss.call(`/api/v1/sla-policies/${policy.id}`)).status, 404);
  assert.equal((await put(boss, `/api/v1/sla-policies/${policy.id}`, STANDARD)).status, 404);
  assert.equal((await boss.call(`/api/v1/sla-policies/${policy.id}`, { method: 'DELETE' })).status, 404);
  assert.equal((await boss.call(`/api/v1/conversations/${ticket.id}/sla`)).status, 404);
  assert.deepEqual((await boss.call(`/api/v1/sla/clocks?ids=${ticket.id}`)).json.clocks, {});
  assert.equal((await admin.call(`/api/v1/sla-policies/${policy.id}`)).status, 200, 'still there');
  await admin.call(`/api/v1/sla-policies/${policy.id}`, { method: 'DELETE' });
});

test('a ticket from the offline form has running clocks; an answer achieves the first response', async () => {
  const ticket = await offlineTicket();
  const r = await anna.call(`/api/v1/conversations/${ticket.id}/sla`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.policy, 'Standard');
  const fr = r.json.first_response;
  assert.equal(fr.state, 'running');
  assert.equal(fr.badge, 'ok');
  assert.equal(fr.target_ms, 60 * MIN);
  assert.ok(Math.abs(fr.due_at - (ticket.created_at + 60 * MIN)) < 2000, `due an hour after creation: ${fr.due_at} vs ${ticket.created_at}`);
  assert.equal(r.json.resolution.state, 'running');
  assert.equal(r.json.next_response.state, 'none');

  const reply = await post(admin, `/api/v1/conversations/${ticket.id}/messages`, { client_id: uuid(), body: 'We are looking into it.' });
  assert.ok(reply.status < 300, reply.text);
  const after = (await anna.call(`/api/v1/conversations/${ticket.id}/sla`)).json;
  assert.equal(after.first_response.state, 'achieved');
  assert.equal(after.first_response.answered, true);

  // Batched for list rows: known tickets only, at most 100 ids.
  const other = await offlineTicket();
  const many = await anna.call(`/api/v1/sla/clocks?ids=${ticket.id},${other.id},999999`);
  assert.equal(many.status, 200);
  assert.deepEqual(Object.keys(many.json.clocks).sort(), [String(ticket.id), String(other.id)].sort());
  assert.equal(many.json.clocks[other.id].first_response.state, 'running');
  const tooMany = Array.from({ length: 101 }, (_, i) => i + 1).join(',');
  assert.equal((await anna.call(`/api/v1/sla/clocks?ids=${tooMany}`)).status, 400);
  assert.equal((await anna.call('/api/v1/sla/clocks?ids=1,abc')).status, 400);
  assert.equal((await anna.call('/api/v1/sla/clocks')).status, 400);

  // A chat that is not a ticket has no clocks.
  const chat = (await (await newVisitor(server.url)).startChat({ message: 'just a chat' })).json;
  assert.equal((await anna.call(`/api/v1/conversations/${chat.id}/sla`)).status, 404);
});

test('the timer raises the priority of a ticket at risk once, tells the supervisors, and lists it as breaching soon', async () => {
  // An Italian inbox: the notes the timer writes are in Italian.
  const inbox = (await post(admin, '/api/v1/inboxes', { name: 'Escalations ' + uuid().slice(0, 6), widget: { language: 'it' } })).json;
  // Two and three minutes to answer, at risk under five minutes left: at risk at once.
  const hot = await post(admin, '/api/v1/sla-policies', {
    name: 'Hot line',
    when: { inboxes: [inbox.id] },
    targets: { first_response: { normal: 2, high: 3 } },
    at_risk: { percent: 0, minutes: 5 },
    escalations: [
      { metric: 'first_response', when: 'at_risk', action: 'raise_priority' },
      { metric: 'first_response', when: 'at_risk', action: 'notify_supervisor' },
    ],
    position: 0,
  });
  assert.equal(hot.status, 201, hot.text);
  const socket = admin.ws();
  await socket.opened;
  const ticket = await offlineTicket(inbox.public_key, 'The heating is off and it is freezing');
  const raised = await until(async () => {
    const c = (await anna.call(`/api/v1/conversations/${ticket.id}`)).json.conversation;
    return c.ticket.priority === 'high' && c;
  }, 'priority raised by the SLA timer', 10000);
  assert.equal(raised.ticket.priority, 'high');
  const alert = await socket.next((f) => f.type === 'sla_alert' && f.conversation_id === ticket.id);
  assert.equal(alert.metric, 'first_response');
  socket.close();

  const codes = async () => (await anna.call(`/api/v1/conversations/${ticket.id}/events`)).json.events.map((e) => e.notice?.code).filter(Boolean);
  await until(async () => (await codes()).includes('sla_escalation'), 'the notification recorded');
  assert.equal((await codes()).filter((c) => c === 'ticket_priority').length, 1);
  const notes = (await anna.call(`/api/v1/conversations/${ticket.id}/events`)).json.events;
  const said = (code) => notes.find((e) => e.notice?.code === code).body;
  assert.equal(said('sla_escalation'), 'SLA Hot line: prima risposta a rischio: i supervisori sono stati avvisati');
  assert.equal(said('ticket_priority'), 'SLA Hot line: prima risposta a rischio: priorità alzata: alta');

  const risk = await anna.call('/api/v1/sla/at-risk');
  assert.equal(risk.status, 200);
  const row = risk.json.tickets.find((t) => t.id === ticket.id);
  assert.ok(row, 'the ticket is breaching soon');
  assert.ok(['at_risk', 'breached'].includes(row.sla.badge));
  assert.equal(risk.json.count, risk.json.tickets.length);
  const calm = await offlineTicket();
  assert.ok(!risk.json.tickets.some((t) => t.id === calm.id));

  // A restart reads the same database: the escalations are not taken again.
  const dataDir = server.dataDir;
  await server.stop({ keepData: true });
  server = await startServer({ dataDir, demo: false });
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  await sleep(1500);
  const again = await codes();
  assert.equal(again.filter((c) => c === 'ticket_priority').length, 1);
  assert.equal(again.filter((c) => c === 'sla_escalation').length, 1);
  await admin.call(`/api/v1/sla-policies/${hot.json.id}`, { method: 'DELETE' });
});

test('breaching soon is a ticket view with a count, least time left first; the at-risk list reads it too', async () => {
  const inbox = (await post(admin, '/api/v1/inboxes', { name: 'Breaching ' + uuid().slice(0, 6) })).json;
  // Five minutes to answer, at risk under ten minutes left: at risk from the start.
  const tight = await post(admin, '/api/v1/sla-policies', {
    name: 'Tight', when: { inboxes: [inbox.id] }, targets: { first_response: { normal: 5 } },
    at_risk: { percent: 0, minutes: 10 }, position: 0,
  });
  assert.equal(tight.status, 201, tight.text);
  const first = await offlineTicket(inbox.public_key, 'First: my card was charged twice');
  await sleep(20);
  const second = await offlineTicket(inbox.public_key, 'Second: the app logs me out');
  const calm = await offlineTicket();  // the Standard policy: an hour, not at risk yet
  const list = async (query = '') => (await anna.call('/api/v1/tickets?view=breaching_soon' + query)).json;
  const ids = async () => (await list()).tickets.map((t) => t.id);
  await until(async () => {
    const now = await ids();
    return now.includes(first.id) && now.includes(second.id);
  }, 'both tickets breaching soon', 10000);

  const page = await list('&limit=200');
  const shown = page.tickets.map((t) => t.id);
  assert.ok(shown.indexOf(first.id) < shown.indexOf(second.id), 'the least time left first');
  assert.ok(!shown.includes(calm.id));
  const row = page.tickets.find((t) => t.id === first.id);
  assert.equal(row.sla.badge, 'at_risk');
  assert.ok(Math.abs(row.sla.due_at - (first.created_at + 5 * MIN)) < 2000, JSON.stringify(row.sla));
  const dues = page.tickets.map((t) => t.sla.due_at);
  assert.deepEqual(dues, [...dues].sort((a, b) => a - b));
  const views = (await anna.call('/api/v1/tickets/views')).json.views;
  assert.equal(views.breaching_soon, page.tickets.length, 'the count is the list\'s');
  // Paged in its own order.
  const one = await list('&limit=1');
  assert.equal(one.tickets.length, 1);
  assert.ok(one.next_before);
  const next = await list(`&limit=200&before=${encodeURIComponent(one.next_before)}`);
  assert.deepEqual(next.tickets.map((t) => t.id), shown.slice(1));
  // The at-risk list is the same view with each ticket's clocks.
  const risk = (await anna.call('/api/v1/sla/at-risk')).json;
  assert.deepEqual(risk.tickets.map((t) => t.id), shown);
  assert.equal(risk.count, shown.length);
  assert.equal(risk.tickets.find((t) => t.id === first.id).sla.first_response.badge, 'at_risk');

  // Answered: the first response is met, and it leaves the view and its count.
  await post(anna, `/api/v1/conversations/${first.id}/messages`, { client_id: uuid(), body: 'Refunded the second charge.' });
  await until(async () => !(await ids()).includes(first.id), 'the answered ticket leaves the view', 10000);
  assert.ok(!(await anna.call('/api/v1/sla/at-risk')).json.tickets.some((t) => t.id === first.id));
  assert.equal((await anna.call('/api/v1/tickets/views')).json.views.breaching_soon, views.breaching_soon - 1);
  // Solved: nothing left to breach.
  assert.equal((await anna.call(`/api/v1/tickets/${second.id}`, { method: 'PATCH', body: { status: 'solved' } })).status, 200);
  await until(async () => !(await ids()).includes(second.id), 'the solved ticket leaves the view', 10000);
  assert.equal((await anna.call('/api/v1/tickets?view=breaching_soon&before=x')).status, 400);
  await admin.call(`/api/v1/sla-policies/${tight.json.id}`, { method: 'DELETE' });
});

test('automation settings are validated and kept', async () => {
  const ok = await put(admin, '/api/v1/sla-settings', { pending_reminder_after_days: 2, pending_close_after_days: 5, pending_close_to: 'closed', solved_close_after_days: 3 });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await admin.call('/api/v1/sla-settings')).json.pending_close_to, 'closed');
  const backwards = await put(admin, '/api/v1/sla-settings', { pending_reminder_after_days: 5, pending_close_after_days: 2 });
  assert.equal(backwards.status, 422);
  assert.match(backwards.json.error.message, /pending_reminder_after_days/);
  const wrong = await put(admin, '/api/v1/sla-settings', { pending_close_to: 'open' });
  assert.equal(wrong.status, 422);
  assert.match(wrong.json.error.message, /pending_close_to/);
  assert.equal((await admin.call('/api/v1/sla-settings')).json.pending_close_after_days, 5, 'a refused change changed nothing');
});

test('the SLA report counts tickets, achieved shares and first-response times; supervisors only', async () => {
  const r = await admin.call('/api/v1/reports/sla');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.tickets >= 2);
  assert.ok(r.json.metrics.first_response.measured >= 1);
  assert.ok(r.json.first_response.count >= 1);
  assert.ok(Array.isArray(r.json.breaches));
  assert.equal((await anna.call('/api/v1/reports/sla')).status, 403);
  assert.equal((await admin.call('/api/v1/reports/sla?from=10&to=5')).status, 400);
  assert.equal((await admin.call('/api/v1/reports/sla?from=x')).status, 400);
});
