// Security headers, the public URL (never the Host header), Secure cookies, /metrics access.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, initWorkspace, DEMO } from '../lib/server.mjs';

let server;
before(async () => {
  server = await startServer({ args: ['--public-url', 'https://help.acme.example/', '--metrics-token', 'metrics-secret-1'] });
});
after(async () => { await server.stop(); });

test('the console and the demo pages carry a strict Content-Security-Policy', async () => {
  const console = await request(server.url, '/console/');
  const csp = console.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(console.headers.get('x-frame-options'), 'DENY');
  assert.equal(console.headers.get('referrer-policy'), 'same-origin');
  const demo = await request(server.url, '/demo/');
  assert.match(demo.headers.get('content-security-policy'), /script-src 'self'(;|$)/);
  assert.doesNotMatch(demo.text, /onclick=/, 'no inline handlers for the CSP to block');
});

test('the embed snippet comes from the public URL, whatever Host says; cookies are Secure behind https', async () => {
  const res = await request(server.url, '/api/v1/auth/login', { method: 'POST', body: DEMO.admin });
  assert.match(res.headers.get('set-cookie'), /; Secure;/);
  const admin = await loginAgent(server.url, DEMO.admin);
  const inboxes = (await admin.call('/api/v1/inboxes')).json.inboxes;
  const r = await admin.call(`/api/v1/inboxes/${inboxes[0].id}/embed`, { headers: { host: 'evil.example', 'x-forwarded-proto': 'http' } });
  assert.equal(r.status, 200);
  assert.equal(r.json.snippet, `<script src="https://help.acme.example/widget.js" data-inbox="${inboxes[0].public_key}" async></script>`);
});

test('/metrics wants the configured token', async () => {
  assert.equal((await request(server.url, '/metrics')).status, 401);
  assert.equal((await request(server.url, '/metrics', { headers: { authorization: 'Bearer wrong' } })).status, 401);
  const ok = await request(server.url, '/metrics', { headers: { authorization: 'Bearer metrics-secret-1' } });
  assert.equal(ok.status, 200);
  assert.match(ok.text, /switchboard_login_failures_total/);
});

test('without a token /metrics answers loopback callers; http cookies are not Secure', async () => {
  const plain = await startServer();
  try {
    assert.equal((await request(plain.url, '/metrics')).status, 200);
    const res = await request(plain.url, '/api/v1/auth/login', { method: 'POST', body: DEMO.admin });
    assert.doesNotMatch(res.headers.get('set-cookie'), /Secure/);
  } finally {
    await plain.stop();
  }
});

test('init creates an unguessable inbox key', async () => {
  const a = initWorkspace(server.dataDir, 'Keys One', 'one@keys.test', 'keys-pass-1');
  const b = initWorkspace(server.dataDir, 'Keys Two', 'two@keys.test', 'keys-pass-2');
  for (const k of [a.inbox_key, b.inbox_key]) assert.match(k, /^[0-9a-f]{16}$/);
  assert.notEqual(a.inbox_key, b.inbox_key);
});

test('behind a trusted proxy the forwarded client address counts (sessions, audit); otherwise it is ignored', async () => {
  const login = (url, xff, password = DEMO.anna.password) => request(url, '/api/v1/auth/login', {
    method: 'POST', body: { email: DEMO.anna.email, password }, headers: { 'x-forwarded-for': xff } });
  const direct = await startServer();
  try {
    const r = await login(direct.url, '198.51.100.7');
    const cookie = r.headers.get('set-cookie').split(';')[0];
    const sessions = (await request(direct.url, '/api/v1/me/sessions', { headers: { cookie } })).json.sessions;
    assert.equal(sessions[0].ip, '127.0.0.1', 'a client cannot pick its address');
  } finally {
    await direct.stop();
  }
  const proxied = await startServer({ args: ['--trusted-proxy', '127.0.0.1'] });
  try {
    const r = await login(proxied.url, '203.0.113.1, 198.51.100.7');
    const cookie = r.headers.get('set-cookie').split(';')[0];
    const sessions = (await request(proxied.url, '/api/v1/me/sessions', { headers: { cookie } })).json.sessions;
    assert.equal(sessions[0].ip, '198.51.100.7', 'the address the proxy saw');
    const admin = await loginAgent(proxied.url, DEMO.admin);
    const log = (await admin.call('/api/v1/audit?action=auth.login')).json.entries;
    assert.ok(log.some((e) => e.ip === '198.51.100.7'));
  } finally {
    await proxied.stop();
  }
});

test('API bodies must say application/json: a cross-site form or text/plain post is refused before anything acts', async () => {
  const server = await startServer();
  try {
    const body = JSON.stringify({ email: DEMO.anna.email, password: DEMO.anna.password });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const headers = type ? { 'content-type': type } : {};
      const r = await request(server.url, '/api/v1/auth/login', { method: 'POST', raw: body, headers });
      assert.equal(r.status, 415, `${type}: ${r.text}`);
      assert.equal(r.json.error.code, 'unsupported_media_type');
    }
    const ok = await request(server.url, '/api/v1/auth/login', { method: 'POST', raw: body, headers: { 'content-type': 'application/json; charset=utf-8' } });
    assert.equal(ok.status, 200);
    const admin = await loginAgent(server.url, DEMO.admin);
    const csv = await admin.call('/api/v1/kb/import?table=intents', { method: 'POST', raw: 'name,language,question,answer\nx.y,en,Q?,A.\n', headers: { 'content-type': 'text/csv' } });
    assert.equal(csv.status, 200, 'the KB import also takes CSV: ' + csv.text);
    const csvElsewhere = await admin.call('/api/v1/inboxes', { method: 'POST', raw: 'name\nx', headers: { 'content-type': 'text/csv' } });
    assert.equal(csvElsewhere.status, 415);
  } finally {
    await server.stop();
  }
});
