// Personal API tokens: act as their agent within their scope, never on the
// agent's own account, hashed at rest, revocable by their owner and by admins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, request, sqlOn, DEMO, uuid } from '../lib/server.mjs';

test('a token acts as its agent, read-only or read-write, without a cookie or CSRF header', async () => {
  const server = await startServer();
  try {
    const url = server.url;
    const anna = await loginAgent(url, DEMO.anna);
    const make = (body) => anna.call('/api/v1/me/tokens', { method: 'POST', body });
    assert.equal((await make({ name: '', scopes: ['read'] })).status, 400);
    assert.equal((await make({ name: 'x', scopes: ['admin'] })).status, 400);
    assert.equal((await make({ name: 'x', scopes: ['read'], expires_in_days: 0 })).status, 400);
    const ro = await make({ name: 'Reporting', scopes: ['read'], expires_in_days: 90 });
    assert.equal(ro.status, 201, ro.text);
    assert.match(ro.json.token, /^sbp_[0-9a-f]{48}$/);
    assert.ok(ro.json.expires_at > Date.now() + 89 * 86400e3);
    const rw = (await make({ name: 'CRM sync', scopes: ['read', 'write'] })).json;
    const as = (token) => (path, opts = {}) => request(url, path, { ...opts, headers: { authorization: 'Bearer ' + token } });
    const reader = as(ro.json.token);
    const writer = as(rw.token);
    const conv = (await (await newVisitor(url)).startChat()).json;
    assert.equal((await reader('/api/v1/conversations')).status, 200);
    assert.equal((await reader('/api/v1/me')).json.agent.email, DEMO.anna.email);
    const blocked = await reader(`/api/v1/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'hi' } });
    assert.equal(blocked.status, 403);
    assert.equal(blocked.json.error.code, 'token_read_only');
    const sent = await writer(`/api/v1/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'from the CRM' } });
    assert.equal(sent.status, 201, sent.text);
    assert.equal(sent.json.author.name, anna.agent.name);
    // The agent's role still decides; the agent's own account is out of reach.
    assert.equal((await writer('/api/v1/agents', { method: 'POST', body: {} })).status, 403);
    for (const [method, path] of [['POST', '/api/v1/me/tokens'], ['GET', '/api/v1/me/sessions'], ['PUT', '/api/v1/me/password'], ['POST', '/api/v1/me/2fa/setup'], ['POST', '/api/v1/auth/logout']]) {
      const r = await writer(path, method === 'GET' ? { method } : { method, body: {} });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(r.json.error.code, 'not_with_token');
    }
    // Listed with its use, never with its secret; the database holds only a hash.
    const list = (await anna.call('/api/v1/me/tokens')).json.tokens;
    const seen = list.find((t) => t.name === 'CRM sync');
    assert.ok(seen.last_used_at >= Date.now() - 60e3);
    assert.equal(seen.last_used_ip, '127.0.0.1');
    assert.equal(seen.prefix, rw.token.slice(0, 10) + '…');
    assert.ok(!JSON.stringify(list).includes(rw.token));
    const dump = sqlOn(server.dataDir, 'SELECT * FROM api_token');
    assert.ok(!dump.includes(rw.token.slice(4)), 'no token in the database');
    // Revoked: gone at once.
    assert.equal((await anna.call(`/api/v1/me/tokens/${rw.id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await writer('/api/v1/conversations')).status, 401);
    assert.equal((await as('sbp_' + '0'.repeat(48))('/api/v1/conversations')).status, 401);
  } finally {
    await server.stop();
  }
});

test('admins see and revoke every token of the workspace; deactivation stops its owner\'s tokens', async () => {
  const server = await startServer();
  try {
    const url = server.url;
    const admin = await loginAgent(url, DEMO.admin);
    const anna = await loginAgent(url, DEMO.anna);
    const marek = await loginAgent(url, DEMO.marek);
    const a = (await anna.call('/api/v1/me/tokens', { method: 'POST', body: { name: 'Zapier', scopes: ['read'] } })).json;
    const m = (await marek.call('/api/v1/me/tokens', { method: 'POST', body: { name: 'Script', scopes: ['read'] } })).json;
    assert.equal((await marek.call(`/api/v1/me/tokens/${a.id}`, { method: 'DELETE' })).status, 404, 'not someone else\'s');
    assert.equal((await anna.call('/api/v1/admin/tokens')).status, 403);
    const all = (await admin.call('/api/v1/admin/tokens')).json.tokens;
    assert.deepEqual(all.map((t) => t.agent.name).sort(), [anna.agent.name, marek.agent.name].sort());
    assert.equal((await admin.call(`/api/v1/admin/tokens/${a.id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await request(url, '/api/v1/me', { headers: { authorization: 'Bearer ' + a.token } })).status, 401);
    const byMarek = () => request(url, '/api/v1/me', { headers: { authorization: 'Bearer ' + m.token } });
    assert.equal((await byMarek()).status, 200);
    assert.equal((await admin.call(`/api/v1/agents/${marek.agent.id}`, { method: 'PATCH', body: { active: false } })).status, 200);
    assert.equal((await byMarek()).status, 401, 'a deactivated agent\'s tokens stop working');
    const log = (await admin.call('/api/v1/audit?action=token.')).json.entries.map((e) => e.action);
    assert.deepEqual(log.sort(), ['token.create', 'token.create', 'token.revoke']);
  } finally {
    await server.stop();
  }
});
