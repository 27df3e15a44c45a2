// The audit log: admin and agent actions with who, what, when, from where and
// the state before and after; searchable, exportable, append-only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, request, sqlOn, DEMO } from '../lib/server.mjs';

test('admin and agent actions are logged with actor, address, before and after; the log is searchable', async () => {
  const server = await startServer();
  try {
    const url = server.url;
    const admin = await loginAgent(url, DEMO.admin);
    const anna = await loginAgent(url, DEMO.anna);
    const created = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Zoe', email: 'zoe@demo.switchboard.test', password: 'zoe-pass-123' } });
    assert.equal(created.status, 201);
    await admin.call(`/api/v1/agents/${created.json.id}`, { method: 'PATCH', body: { role: 'supervisor' } });
    const inboxes = (await admin.call('/api/v1/inboxes')).json.inboxes;
    await admin.call(`/api/v1/inboxes/${inboxes[0].id}`, { method: 'PATCH', body: { name: 'Front desk' } });
    await request(url, '/api/v1/auth/login', { method: 'POST', body: { email: DEMO.marek.email, password: 'wrong-one' } });
    const conv = (await (await newVisitor(url)).startChat()).json;
    await anna.call(`/api/v1/conversations/${conv.id}/assign`, { method: 'POST', body: {} });
    await anna.call(`/api/v1/conversations/${conv.id}/close`, { method: 'POST' });

    const log = (q = '') => admin.call('/api/v1/audit' + q).then((r) => { assert.equal(r.status, 200, r.text); return r.json; });
    const all = (await log()).entries;
    const find = (action) => all.find((e) => e.action === action);
    const role = find('agent.update');
    assert.ok(role, JSON.stringify(all.map((e) => e.action)));
    assert.equal(role.actor.name, 'Alice Admin');
    assert.equal(role.ip, '127.0.0.1');
    assert.equal(role.target.id, String(created.json.id));
    assert.equal(role.before.role, 'agent');
    assert.equal(role.after.role, 'supervisor');
    assert.ok(!JSON.stringify(all).includes('argon2'), 'no password hash in the log');
    assert.equal(find('inbox.update').after.name, 'Front desk');
    assert.ok(find('agent.create'));
    assert.ok(find('auth.login_failed'), 'failed sign-ins of a real account');
    assert.equal(find('conversation.assign').actor.name, anna.agent.name);
    assert.equal(find('conversation.close').after.status, 'closed');
    assert.ok(all.filter((e) => e.action === 'auth.login').length >= 2);
    // Newest first; search, action prefix, actor and paging.
    assert.ok(all.every((e, i) => i === 0 || all[i - 1].id > e.id));
    const agents = (await log('?action=agent.')).entries;
    assert.ok(agents.length >= 2 && agents.every((e) => e.action.startsWith('agent.')));
    assert.deepEqual((await log('?q=Front%20desk')).entries.map((e) => e.action), ['inbox.update']);
    assert.ok((await log(`?actor_id=${anna.agent.id}`)).entries.every((e) => e.actor.id === anna.agent.id));
    const page = await log('?limit=2');
    assert.equal(page.entries.length, 2);
    const next = await log(`?limit=2&before_id=${page.next_before_id}`);
    assert.ok(next.entries[0].id < page.entries[1].id);
    assert.equal((await admin.call('/api/v1/audit?limit=x')).status, 400);
    assert.equal((await anna.call('/api/v1/audit')).status, 403);
  } finally {
    await server.stop();
  }
});

test('the export is a CSV a spreadsheet will not execute, and exporting is itself logged', async () => {
  const server = await startServer();
  try {
    const admin = await loginAgent(server.url, DEMO.admin);
    await admin.call('/api/v1/agents', { method: 'POST', body: { name: '=HYPERLINK("http://evil.example","x")', email: 'evil@demo.switchboard.test', password: 'evil-pass-123' } });
    const res = await fetch(server.url + '/api/v1/audit/export', { headers: { cookie: admin.cookie } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/csv/);
    assert.match(res.headers.get('content-disposition'), /attachment; filename="audit-log.csv"/);
    const csv = await res.text();
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'id,at,actor_type,actor_id,actor_name,ip,action,target_type,target_id,before,after');
    assert.ok(lines.some((l) => l.includes('"agent.create"')));
    assert.ok(!/(^|,)"=HYPERLINK/.test(csv), 'formulas are neutralised');
    const asJson = await admin.call('/api/v1/audit/export?format=json');
    assert.ok(Array.isArray(asJson.json) && asJson.json.length >= 2);
    const log = (await admin.call('/api/v1/audit?action=audit.export')).json.entries;
    assert.equal(log.length, 2, 'both exports are on record');
  } finally {
    await server.stop();
  }
});

test('the log is append-only: the database itself refuses to change or delete entries', async () => {
  const server = await startServer();
  try {
    await loginAgent(server.url, DEMO.admin);
    const sql = (q) => sqlOn(server.dataDir, q);
    assert.ok(Number(sql('SELECT count(*) FROM audit_log')) >= 1);
    assert.throws(() => sql('DELETE FROM audit_log'), /append-only/);
    assert.throws(() => sql("UPDATE audit_log SET actor_name = 'someone else'"), /append-only/);
    assert.ok(Number(sql('SELECT count(*) FROM audit_log')) >= 1);
  } finally {
    await server.stop();
  }
});
