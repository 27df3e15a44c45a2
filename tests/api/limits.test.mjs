// Abuse limits: login back-off and lockout notice, the password-hashing gate,
// and rate limits on everything anonymous visitors can write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, newVisitor, uuid, sleep, until, DEMO } from '../lib/server.mjs';

const login = (url, email, password) =>
  request(url, '/api/v1/auth/login', { method: 'POST', body: { email, password } });

test('failed logins lock the account with Retry-After; the owner is told at the next login', async () => {
  const server = await startServer({ limits: { login_lock_base_ms: 1500, login_lock_max_ms: 1500 } });
  try {
    const { email, password } = DEMO.anna;
    for (let i = 0; i < 5; i++) assert.equal((await login(server.url, email, 'wrong-' + i)).status, 401);
    const sixth = await login(server.url, email.toUpperCase(), 'wrong-6');  // same account, any case
    assert.equal(sixth.status, 401);
    const locked = await login(server.url, email, password);
    assert.equal(locked.status, 429, 'even the right password waits while locked');
    assert.equal(locked.json.error.code, 'login_locked');
    assert.ok(Number(locked.headers.get('retry-after')) >= 1);
    // Another account from the same IP is not locked by Anna's failures.
    assert.equal((await login(server.url, DEMO.marek.email, DEMO.marek.password)).status, 200);
    const ok = await until(async () => {
      const r = await login(server.url, email, password);
      return r.status === 200 && r;
    }, 'the lock ends', 10000);
    assert.equal(ok.json.security_notice.failed_logins, 1);
    assert.equal(ok.json.security_notice.last_ip, '127.0.0.1');
    assert.equal((await login(server.url, email, password)).json.security_notice, null, 'told once');
  } finally {
    await server.stop();
  }
});

test('an unknown e-mail locks like a real one, and one IP trying many accounts is stopped', async () => {
  const server = await startServer({ limits: { login_free_failures_ip: 8, login_lock_base_ms: 60000 } });
  try {
    for (let i = 0; i < 6; i++) await login(server.url, 'nobody@nowhere.test', 'x');
    const ghost = await login(server.url, 'nobody@nowhere.test', 'x');
    assert.equal(ghost.status, 429, 'no hint whether the account exists');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(server.url, `u${i}@spray.test`, 'x')).status);
    assert.ok(statuses.includes(429), `password spraying from one IP is locked: ${statuses}`);
    const r = await login(server.url, DEMO.admin.email, DEMO.admin.password);
    assert.equal(r.status, 429, 'the whole IP waits');
  } finally {
    await server.stop();
  }
});

test('password hashing runs on a bounded gate: a login flood gets 503s, chat keeps answering', async () => {
  const server = await startServer({ limits: { password_hash_slots: 1, password_hash_queue: 2, login_free_failures_account: 1000, login_free_failures_ip: 1000 } });
  try {
    const v = await newVisitor(server.url);
    const conv = (await v.startChat()).json;
    const flood = Array.from({ length: 40 }, (_, i) => login(server.url, `flood${i}@x.test`, 'wrong-password'));
    const during = await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'still here' } });
    assert.equal(during.status, 201);
    const results = await Promise.all(flood);
    const busy = results.filter((r) => r.status === 503);
    assert.ok(busy.length > 0, 'some logins are turned away instead of queueing without bound');
    assert.equal(busy[0].json.error.code, 'busy');
    assert.equal(busy[0].headers.get('retry-after'), '1');
    assert.ok(results.every((r) => r.status === 503 || r.status === 401));
  } finally {
    await server.stop();
  }
});

test('anonymous writes are rate limited per visitor and per IP with a JSON 429', async () => {
  const server = await startServer({ limits: {
    visitor_tokens_per_ip: [1, 4], messages_per_visitor: [1, 3], conversations_per_visitor: [1, 1], uploads_per_visitor: [1, 1] } });
  try {
    const a = await newVisitor(server.url);
    const b = await newVisitor(server.url);
    const conv = (await a.startChat()).json;
    const second = await a.startChat();
    assert.equal(second.status, 429, 'one new conversation per visitor per minute here');
    const send = (v, id) => v.call(`/api/v1/widget/conversations/${id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'hi' } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(a, conv.id)).status);
    assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
    const limited = await send(a, conv.id);
    assert.equal(limited.json.error.code, 'rate_limited');
    assert.match(limited.json.error.message, /wait/);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.headers.get('access-control-allow-origin'), '*');
    assert.match(limited.headers.get('access-control-expose-headers'), /Retry-After/);
    // Another visitor is not punished for the first one.
    const convB = (await b.startChat()).json;
    assert.equal((await send(b, convB.id)).status, 201);
    // Visitor tokens per IP: 4 at once, then 429.
    const more = [];
    for (let i = 0; i < 4; i++) more.push((await request(server.url, '/api/v1/widget/demo/visitors', { method: 'POST', body: {} })).status);
    assert.ok(more.includes(429), `tokens: ${more}`);
    // Uploads per visitor.
    const up = () => b.call('/api/v1/widget/uploads', { method: 'POST', raw: Buffer.from('hello'), headers: { 'content-type': 'text/plain', 'x-filename': 'a.txt' } });
    assert.equal((await up()).status, 201);
    assert.equal((await up()).status, 429);
  } finally {
    await server.stop();
  }
});

test('help center: cookie-less votes count once, vote floods and contact floods are stopped', async () => {
  const server = await startServer({ limits: { help_contact_per_ip: [1, 2] } });
  try {
    const admin = await loginAgent(server.url, DEMO.admin);
    const count = async () => (await admin.call('/api/v1/kb')).json.articles
      .find((a) => a.slug === 'payment-methods' && a.language === 'en');
    const before = await count();
    const statuses = [];
    for (let i = 0; i < 50; i++) {
      const r = await fetch(server.url + '/help/demo/articles/payment-methods/vote', {
        method: 'POST', redirect: 'manual', body: 'lang=en&helpful=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      statuses.push(r.status);
    }
    assert.equal((await count()).helpful, before.helpful + 1, '50 cookie-less votes are one vote');
    assert.ok(statuses.filter((s) => s === 429).length >= 40, 'and most are refused');
    const fields = { lang: 'it', name: 'Ola', email: 'ola@example.com', subject: 'Reso', message: 'Vorrei restituire un articolo <b>urgente</b>' };
    const post = () => request(server.url, '/help/demo/contact', { method: 'POST', body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await post();
    await post();
    const third = await post();
    assert.equal(third.status, 429);
    assert.match(third.headers.get('content-type'), /text\/html/);
    assert.match(third.text, /Attenda un minuto/, 'told in Italian (formally)');
    assert.match(third.text, /Vorrei restituire un articolo &lt;b&gt;urgente&lt;\/b&gt;/, 'what they typed is kept, escaped');
  } finally {
    await server.stop();
  }
});
