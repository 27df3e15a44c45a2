import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, newVisitor, initWorkspace, DEMO, uuid } from '../lib/server.mjs';

let server, anna, marek, admin, other;
before(async () => {
  server = await startServer();
  initWorkspace(server.dataDir, 'Other Co', 'boss@other.test', 'other-pass-1');
  [anna, marek, admin, other] = await Promise.all([
    loginAgent(server.url, DEMO.anna), loginAgent(server.url, DEMO.marek), loginAgent(server.url, DEMO.admin),
    loginAgent(server.url, { email: 'boss@other.test', password: 'other-pass-1' })]);
});
after(async () => { await server.stop(); });

test('an agent picks up a chat, replies, closes it; the visitor sees it all', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const unassigned = await anna.call('/api/v1/conversations?view=unassigned');
  assert.ok(unassigned.json.conversations.some((c) => c.id === conv.id));

  const assigned = await anna.call(`/api/v1/conversations/${conv.id}/assign`, { method: 'POST', body: {} });
  assert.equal(assigned.status, 200);
  assert.equal(assigned.json.assignee.id, anna.agent.id);
  const mine = await anna.call('/api/v1/conversations?view=mine');
  assert.ok(mine.json.conversations.some((c) => c.id === conv.id));
  const notMarek = await marek.call('/api/v1/conversations?view=mine');
  assert.ok(!notMarek.json.conversations.some((c) => c.id === conv.id));

  const reply = await anna.call(`/api/v1/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Buongiorno Giulia!' } });
  assert.equal(reply.status, 201);
  assert.equal(reply.json.author.type, 'agent');
  assert.equal(reply.json.author.name, 'Anna Rossi');

  const closed = await anna.call(`/api/v1/conversations/${conv.id}/close`, { method: 'POST', body: {} });
  assert.equal(closed.json.status, 'closed');
  const seen = await v.call(`/api/v1/widget/conversations/${conv.id}/events`);
  assert.deepEqual(seen.json.events.map((e) => e.kind), ['message', 'system', 'message', 'system']);
  assert.equal(seen.json.events[2].body, 'Buongiorno Giulia!');

  const closedList = await anna.call('/api/v1/conversations?view=all&status=closed');
  assert.ok(closedList.json.conversations.some((c) => c.id === conv.id));
  // The visitor writing again reopens it: nothing they write is lost.
  await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'One more thing' } });
  assert.equal((await anna.call(`/api/v1/conversations/${conv.id}`)).json.conversation.status, 'open');
});

test('stale assignment is a 409 conflict, not a silent double assignment', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const a = await anna.call(`/api/v1/conversations/${conv.id}/assign`, { method: 'POST', body: { version: conv.version } });
  assert.equal(a.status, 200);
  const m = await marek.call(`/api/v1/conversations/${conv.id}/assign`, { method: 'POST', body: { version: conv.version } });
  assert.equal(m.status, 409);
  assert.equal((await anna.call(`/api/v1/conversations/${conv.id}`)).json.conversation.assignee.id, anna.agent.id);
});

test('contact panel shows the contact\'s previous conversations', async () => {
  const v = await newVisitor(server.url);
  const first = (await v.startChat({ email: 'repeat@example.com' })).json;
  const second = (await v.startChat({ email: 'repeat@example.com' })).json;
  const shown = await anna.call(`/api/v1/conversations/${second.id}`);
  assert.equal(shown.json.conversation.contact.email, 'repeat@example.com');
  assert.deepEqual(shown.json.contact_history.map((c) => c.id), [first.id]);
});

test('unknown ids are 404 and non-numeric ids too', async () => {
  for (const path of ['/api/v1/conversations/999999', '/api/v1/conversations/abc', '/api/v1/conversations/0/events']) {
    const r = await anna.call(path);
    assert.equal(r.status, 404, path);
    assert.equal(r.json.error.code, 'not_found');
  }
  const post = await anna.call('/api/v1/conversations/999999/messages', { method: 'POST', body: { client_id: uuid(), body: 'x' } });
  assert.equal(post.status, 404);
});

test('another workspace\'s ids behave as unknown and change nothing', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const calls = [
    other.call(`/api/v1/conversations/${conv.id}`),
    other.call(`/api/v1/conversations/${conv.id}/events`),
    other.call(`/api/v1/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'spy' } }),
    other.call(`/api/v1/conversations/${conv.id}/close`, { method: 'POST', body: {} }),
    other.call(`/api/v1/conversations/${conv.id}/assign`, { method: 'POST', body: {} }),
    other.call(`/api/v1/inboxes/1/embed`),
    other.call(`/api/v1/agents/${anna.agent.id}`, { method: 'PATCH', body: { name: 'Hacked' } }),
  ];
  for (const r of await Promise.all(calls)) assert.equal(r.status, 404, r.text);
  const list = await other.call('/api/v1/conversations?view=all');
  assert.equal(list.json.conversations.length, 0);
  const agents = await other.call('/api/v1/agents');
  assert.deepEqual(agents.json.agents.map((a) => a.email), ['boss@other.test']);
  const still = await anna.call(`/api/v1/conversations/${conv.id}`);
  assert.equal(still.json.conversation.status, 'open');
  assert.equal(still.json.conversation.assignee, null);
  assert.equal(still.json.conversation.last_seq, 1);
});

test('admins manage agents; agents may not', async () => {
  const denied = await anna.call('/api/v1/agents', { method: 'POST', body: { name: 'X', email: 'x@demo.test', password: 'longenough' } });
  assert.equal(denied.status, 403);
  const created = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Zsófia Kovács', email: 'zsofia@demo.test', password: 'longenough', role: 'agent' } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.name, 'Zsófia Kovács');
  const dup = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Again', email: 'ZSOFIA@demo.test', password: 'longenough' } });
  assert.equal(dup.status, 409);
  const weak = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'W', email: 'w@demo.test', password: 'short' } });
  assert.equal(weak.status, 400);
  const renamed = await admin.call(`/api/v1/agents/${created.json.id}`, { method: 'PATCH', body: { name: 'Zsófi', password: 'newpassword' } });
  assert.equal(renamed.json.name, 'Zsófi');
  const login = await request(server.url, '/api/v1/auth/login', { method: 'POST', body: { email: 'zsofia@demo.test', password: 'newpassword' } });
  assert.equal(login.status, 200);
  const self = await admin.call(`/api/v1/agents/${admin.agent.id}`, { method: 'PATCH', body: { role: 'agent' } });
  assert.equal(self.status, 409, 'an admin cannot lock themselves out');
});

test('admins configure inboxes and get the embed snippet', async () => {
  const created = await admin.call('/api/v1/inboxes', { method: 'POST', body: {
    name: 'Sklep', timezone: 'Europe/Warsaw',
    business_hours: { weekly: [{ day: 1, open: '09:00', close: '17:00' }], holidays: ['2026-11-11'] },
    widget: { color: '#e11d48', position: 'left', greeting: 'Dzień dobry!', language: 'pl', button_style: 'pill' },
    prechat_fields: ['name', 'email', 'topic'], topics: ['Zamówienia', 'Zwroty'] } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.widget.position, 'left');
  assert.deepEqual(created.json.business_hours.weekly, [{ day: 1, open: '09:00', close: '17:00' }]);
  const patched = await admin.call(`/api/v1/inboxes/${created.json.id}`, { method: 'PATCH', body: { widget: { color: '#16a34a' } } });
  assert.equal(patched.json.widget.color, '#16a34a');
  assert.equal(patched.json.widget.greeting, 'Dzień dobry!', 'fields not sent are kept');
  const cfg = await request(server.url, `/api/v1/widget/${created.json.public_key}/config`);
  assert.equal(cfg.json.inbox.widget.color, '#16a34a');
  assert.deepEqual(cfg.json.inbox.topics, ['Zamówienia', 'Zwroty']);
  const embed = await admin.call(`/api/v1/inboxes/${created.json.id}/embed`);
  assert.equal(embed.json.snippet, `<script src="http://127.0.0.1:${server.port}/widget.js" data-inbox="${created.json.public_key}" async></script>`);
  const badPos = await admin.call(`/api/v1/inboxes/${created.json.id}`, { method: 'PATCH', body: { widget: { position: 'middle' } } });
  assert.equal(badPos.status, 400);
  const agentTry = await anna.call(`/api/v1/inboxes/${created.json.id}`, { method: 'PATCH', body: { name: 'x' } });
  assert.equal(agentTry.status, 403);
});

test('the installation\'s super-admin creates a workspace from the console; other admins may not', async () => {
  const server = await startServer();
  try {
    const admin = await loginAgent(server.url, DEMO.admin);
    assert.equal((await admin.call('/api/v1/me')).json.agent.super_admin, true);
    const body = { name: 'Acme Bikes', admin_name: 'Rita', admin_email: 'rita@acme.example', admin_password: 'rita-pass-123' };
    assert.equal((await admin.call('/api/v1/workspaces', { method: 'POST', body: { ...body, admin_password: 'short' } })).status, 400);
    assert.equal((await admin.call('/api/v1/workspaces', { method: 'POST', body: { ...body, admin_email: 'nope' } })).status, 400);
    const made = await admin.call('/api/v1/workspaces', { method: 'POST', body });
    assert.equal(made.status, 201, made.text);
    assert.match(made.json.inbox_key, /^[0-9a-f]{16,}$/);
    const rita = await loginAgent(server.url, { email: 'rita@acme.example', password: 'rita-pass-123' });
    assert.equal(rita.agent.role, 'admin');
    assert.equal(rita.agent.super_admin, false, 'the new workspace\'s admin runs only that workspace');
    assert.equal((await rita.call('/api/v1/workspaces')).status, 403);
    assert.equal((await rita.call('/api/v1/workspaces', { method: 'POST', body: { ...body, name: 'Mine' } })).status, 403);
    const inboxes = (await rita.call('/api/v1/inboxes')).json.inboxes;
    assert.deepEqual(inboxes.map((i) => i.public_key), [made.json.inbox_key]);
    const log = (await rita.call('/api/v1/audit?action=workspace.create')).json.entries;
    assert.equal(log.length, 1, 'the new workspace\'s log says who made it');
    assert.equal(log[0].actor.name, 'Alice Admin');
    const all = (await admin.call('/api/v1/workspaces')).json.workspaces.map((w) => w.name);
    assert.deepEqual(all, ['Demo Shop', 'Acme Bikes']);
    const anna = await loginAgent(server.url, DEMO.anna);
    assert.equal((await anna.call('/api/v1/workspaces')).status, 403);
  } finally {
    await server.stop();
  }
});
