// Sessions: list them, end one or all others; a password change or deactivation
// ends the old cookies and closes their sockets; deactivated agents keep history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, newVisitor, until, DEMO, uuid } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const me = (agent) => agent.call('/api/v1/me');

test('an agent lists their sessions and signs out everywhere else', async () => {
  const laptop = await loginAgent(server.url, DEMO.marek);
  const phone = await loginAgent(server.url, DEMO.marek);
  const list = await laptop.call('/api/v1/me/sessions', { headers: { 'user-agent': 'Laptop/1.0' } });
  assert.equal(list.status, 200);
  assert.ok(list.json.sessions.length >= 2);
  const current = list.json.sessions.filter((s) => s.current);
  assert.equal(current.length, 1);
  assert.match(current[0].id, /^[0-9a-f]{16}$/);
  assert.equal(current[0].ip, '127.0.0.1');
  const socket = phone.ws();
  await socket.opened;
  const closed = new Promise((r) => socket.socket.once('close', r));
  const r = await laptop.call('/api/v1/me/sessions/sign-out-others', { method: 'POST', body: {} });
  assert.equal(r.status, 200);
  assert.ok(r.json.ended >= 1);
  assert.equal((await me(phone)).status, 401, 'the other cookie is dead');
  await closed;  // and its socket was closed
  assert.equal((await me(laptop)).status, 200, 'this one lives');
  const after = (await laptop.call('/api/v1/me/sessions')).json.sessions;
  assert.deepEqual(after.map((s) => s.current), [true]);
});

test('ending one session by id; unknown ids and other agents\' ids are 404', async () => {
  const a = await loginAgent(server.url, DEMO.marek);
  const b = await loginAgent(server.url, DEMO.marek);
  const anna = await loginAgent(server.url, DEMO.anna);
  const bId = (await b.call('/api/v1/me/sessions')).json.sessions.find((s) => s.current).id;
  assert.equal((await anna.call(`/api/v1/me/sessions/${bId}`, { method: 'DELETE' })).status, 404);
  assert.equal((await a.call('/api/v1/me/sessions/0000000000000000', { method: 'DELETE' })).status, 404);
  assert.equal((await a.call('/api/v1/me/sessions/x', { method: 'DELETE' })).status, 404);
  assert.equal((await a.call(`/api/v1/me/sessions/${bId}`, { method: 'DELETE' })).status, 200);
  assert.equal((await me(b)).status, 401);
  assert.equal((await me(a)).status, 200);
});

test('changing one\'s password needs the current one and ends the other sessions', async () => {
  const admin = await loginAgent(server.url, DEMO.admin);
  const created = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Pia', email: 'pia@demo.switchboard.test', password: 'pia-pass-123', role: 'agent' } });
  assert.equal(created.status, 201, created.text);
  const one = await loginAgent(server.url, { email: 'pia@demo.switchboard.test', password: 'pia-pass-123' });
  const two = await loginAgent(server.url, { email: 'pia@demo.switchboard.test', password: 'pia-pass-123' });
  const wrong = await one.call('/api/v1/me/password', { method: 'PUT', body: { current_password: 'nope', new_password: 'pia-pass-456' } });
  assert.equal(wrong.status, 403);
  const short = await one.call('/api/v1/me/password', { method: 'PUT', body: { current_password: 'pia-pass-123', new_password: 'short' } });
  assert.equal(short.status, 400);
  const ok = await one.call('/api/v1/me/password', { method: 'PUT', body: { current_password: 'pia-pass-123', new_password: 'pia-pass-456' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.ended_sessions, 1);
  assert.equal((await me(two)).status, 401);
  assert.equal((await me(one)).status, 200);
  assert.equal((await request(server.url, '/api/v1/auth/login', { method: 'POST', body: { email: 'pia@demo.switchboard.test', password: 'pia-pass-123' } })).status, 401);
  await loginAgent(server.url, { email: 'pia@demo.switchboard.test', password: 'pia-pass-456' });
});

test('an admin resetting a password ends that agent\'s sessions (an old cookie no longer works)', async () => {
  const admin = await loginAgent(server.url, DEMO.admin);
  const created = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Ugo', email: 'ugo@demo.switchboard.test', password: 'ugo-pass-123', role: 'agent' } });
  const ugo = await loginAgent(server.url, { email: 'ugo@demo.switchboard.test', password: 'ugo-pass-123' });
  assert.equal((await me(ugo)).status, 200);
  const r = await admin.call(`/api/v1/agents/${created.json.id}`, { method: 'PATCH', body: { password: 'ugo-pass-789' } });
  assert.equal(r.status, 200, r.text);
  assert.equal((await me(ugo)).status, 401);
  assert.equal((await me(admin)).status, 200, 'the admin is not signed out');
});

test('a deactivated agent cannot sign in, their sockets close, their history stays; reactivation works', async () => {
  const admin = await loginAgent(server.url, DEMO.admin);
  const created = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Leo', email: 'leo@demo.switchboard.test', password: 'leo-pass-123', role: 'agent' } });
  const id = created.json.id;
  const leo = await loginAgent(server.url, { email: 'leo@demo.switchboard.test', password: 'leo-pass-123' });
  await leo.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } });
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  await admin.call(`/api/v1/conversations/${conv.id}/assign`, { method: 'POST', body: { agent_id: id } });
  const sent = await leo.call(`/api/v1/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Ciao, sono Leo' } });
  assert.equal(sent.status, 201, sent.text);
  const socket = leo.ws();
  await socket.opened;
  const closed = new Promise((r) => socket.socket.once('close', r));
  assert.equal((await admin.call(`/api/v1/agents/${admin.agent.id}`, { method: 'PATCH', body: { active: false } })).status, 409);
  assert.equal((await admin.call(`/api/v1/agents/${id}`, { method: 'PATCH', body: { active: 'no' } })).status, 400);
  const off = await admin.call(`/api/v1/agents/${id}`, { method: 'PATCH', body: { active: false } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.active, false);
  assert.equal(off.json.status, 'offline');
  await closed;
  assert.equal((await me(leo)).status, 401);
  const login = await request(server.url, '/api/v1/auth/login', { method: 'POST', body: { email: 'leo@demo.switchboard.test', password: 'leo-pass-123' } });
  assert.equal(login.status, 401);
  assert.equal(login.json.error.message, 'wrong e-mail or password', 'says nothing more');
  const events = (await admin.call(`/api/v1/conversations/${conv.id}/events`)).json.events;
  assert.ok(events.some((e) => e.body === 'Ciao, sono Leo' && e.author.name === 'Leo'), 'history keeps their messages and name');
  const list = (await admin.call('/api/v1/agents')).json.agents;
  assert.equal(list.find((a) => a.id === id).active, false);
  assert.equal((await admin.call(`/api/v1/agents/${id}`, { method: 'PATCH', body: { active: true } })).json.active, true);
  await until(async () => (await request(server.url, '/api/v1/auth/login', { method: 'POST', body: { email: 'leo@demo.switchboard.test', password: 'leo-pass-123' } })).status === 200, 'signs in again', 5000);
});
