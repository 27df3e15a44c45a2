import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, DEMO } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test('health and metrics endpoints answer', async () => {
  const h = await request(server.url, '/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.json.status, 'ok');
  assert.ok(['loading', 'ready'].includes(h.json.language_detection), h.text);
  const m = await request(server.url, '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.text, /# TYPE switchboard_websocket_connections gauge/);
  assert.match(m.text, /switchboard_delivery_latency_ms_bucket\{le="\+Inf"\}/);
});

test('wrong password is 401 and sets no cookie', async () => {
  const r = await request(server.url, '/api/v1/auth/login', { method: 'POST', body: { email: DEMO.anna.email, password: 'nope' } });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'unauthenticated');
  assert.equal(r.headers.get('set-cookie'), null);
});

test('unknown e-mail is the same 401', async () => {
  const r = await request(server.url, '/api/v1/auth/login', { method: 'POST', body: { email: 'ghost@x.test', password: 'whatever1' } });
  assert.equal(r.status, 401);
});

test('session cookie is HttpOnly and SameSite, /me works with it', async () => {
  const r = await request(server.url, '/api/v1/auth/login', { method: 'POST', body: DEMO.anna });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const me = await request(server.url, '/api/v1/me', { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(me.status, 200);
  assert.equal(me.json.agent.email, DEMO.anna.email);
  assert.equal(me.json.csrf_token, r.json.csrf_token);
});

test('no session is 401; a forged session is 401', async () => {
  assert.equal((await request(server.url, '/api/v1/me')).status, 401);
  const forged = await request(server.url, '/api/v1/me', { headers: { cookie: 'sb_session=deadbeef' } });
  assert.equal(forged.status, 401);
  assert.equal(forged.json.error.code, 'unauthenticated');
});

test('state-changing requests need the CSRF token', async () => {
  const anna = await loginAgent(server.url, DEMO.anna);
  const without = await request(server.url, '/api/v1/me/status', {
    method: 'PUT', body: { status: 'online' }, headers: { cookie: anna.cookie } });
  assert.equal(without.status, 403);
  assert.equal(without.json.error.code, 'csrf');
  const wrong = await anna.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' }, headers: { 'x-csrf-token': 'bad' } });
  assert.equal(wrong.status, 403);
  const me = await anna.call('/api/v1/me');
  assert.equal(me.json.agent.status, 'offline', 'a rejected request changed nothing');
  const ok = await anna.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.status, 'online');
});

test('logout ends the session', async () => {
  const anna = await loginAgent(server.url, DEMO.anna);
  assert.equal((await anna.call('/api/v1/auth/logout', { method: 'POST', body: {} })).status, 200);
  assert.equal((await anna.call('/api/v1/me')).status, 401);
});

test('malformed JSON and bad status values are 400', async () => {
  const anna = await loginAgent(server.url, DEMO.anna);
  const bad = await anna.call('/api/v1/me/status', { method: 'PUT', body: '{"status": ' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'invalid_json');
  const wrong = await anna.call('/api/v1/me/status', { method: 'PUT', body: { status: 'sleeping' } });
  assert.equal(wrong.status, 400);
  const login = await request(server.url, '/api/v1/auth/login', { method: 'POST', body: '[1,2]' });
  assert.equal(login.status, 400);
});

test('unknown endpoint is 404 JSON, wrong method is 405', async () => {
  const r = await request(server.url, '/api/v1/nothing-here');
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
  const m = await request(server.url, '/api/v1/auth/login');
  assert.equal(m.status, 405);
});
