// Visitor tokens: renewal keeps the visitor, rotate-keys retires the old key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, request, newVisitor, until, BIN } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const rotate = (graceHours) =>
  JSON.parse(execFileSync(BIN, ['rotate-keys', '--data-dir', server.dataDir, '--grace-hours', String(graceHours)]).toString());
const conversations = (token) =>
  request(server.url, '/api/v1/widget/conversations', { headers: { authorization: 'Bearer ' + token } });
const renew = (token) =>
  request(server.url, '/api/v1/widget/demo/visitors', { method: 'POST', body: {}, headers: token ? { authorization: 'Bearer ' + token } : {} });

test('the key ring is private and tokens carry a key id and an expiry', async () => {
  const ring = join(server.dataDir, 'visitor-keys.json');
  assert.equal(statSync(ring).mode & 0o777, 0o600);
  assert.ok(!existsSync(join(server.dataDir, 'secret.key')));
  const r = await renew();
  assert.equal(r.status, 201);
  assert.match(r.json.visitor_token, /^v2\.[0-9a-f]{8}\.\d+\.\d+\.[0-9a-f]{32}\.[0-9a-f]{64}$/);
  const days = (r.json.expires_at - Date.now()) / 86400e3;
  assert.ok(days > 29.9 && days <= 30, `expires in ${days} days`);
});

test('a renewed token is the same visitor with the same conversations', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const r = await renew(v.token);
  assert.equal(r.status, 200, r.text);
  assert.notEqual(r.json.visitor_token, v.token);
  const list = await conversations(r.json.visitor_token);
  assert.deepEqual(list.json.conversations.map((c) => c.id), [conv.id]);
  const stranger = await renew('v2.deadbeef.99999999999999.1.abc.00');
  assert.equal(stranger.status, 201, 'a bad token gets a new visitor, not an error');
  assert.deepEqual((await conversations(stranger.json.visitor_token)).json.conversations, []);
});

test('rotate-keys: old tokens work through the grace period and renew onto the new key', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const { key_id } = rotate(24);
  const renewed = await until(async () => {
    const r = await renew(v.token);
    return r.json.visitor_token.startsWith(`v2.${key_id}.`) && r;
  }, 'the server signs with the new key', 10000);
  assert.equal(renewed.status, 200);
  assert.equal((await conversations(v.token)).status, 200, 'old key still accepted');
  assert.deepEqual((await conversations(renewed.json.visitor_token)).json.conversations.map((c) => c.id), [conv.id]);
});

test('rotate-keys --grace-hours 0 rejects every older token within seconds', async () => {
  const v = await newVisitor(server.url);
  assert.equal((await conversations(v.token)).status, 200);
  rotate(0);
  await until(async () => (await conversations(v.token)).status === 401, 'old token rejected', 10000);
  const again = await renew(v.token);
  assert.equal(again.status, 201, 'a fresh visitor, since the old token proves nothing now');
  assert.equal((await conversations(again.json.visitor_token)).status, 200);
});
