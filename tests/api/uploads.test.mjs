import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, newVisitor, initWorkspace, DEMO, uuid } from '../lib/server.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
let server, anna, other;
before(async () => {
  server = await startServer();
  initWorkspace(server.dataDir, 'Other Co', 'boss@other.test', 'other-pass-1');
  anna = await loginAgent(server.url, DEMO.anna);
  other = await loginAgent(server.url, { email: 'boss@other.test', password: 'other-pass-1' });
});
after(async () => { await server.stop(); });

const upload = (who, bytes, type, name) =>
  who.call(who.token ? '/api/v1/widget/uploads' : '/api/v1/uploads', {
    method: 'POST', raw: bytes, headers: { 'content-type': type, 'x-filename': encodeURIComponent(name) } });

test('a visitor sends an image; the agent downloads it inline, safely', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const up = await upload(v, PNG, 'image/png', 'scontrino è.png');
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.size, PNG.length);
  assert.equal(up.json.name, 'scontrino è.png');
  const msg = await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: '', attachment_ids: [up.json.id] } });
  assert.equal(msg.status, 201, msg.text);
  assert.equal(msg.json.attachments[0].url, `/api/v1/attachments/${up.json.id}`);
  const res = await fetch(server.url + msg.json.attachments[0].url, { headers: { cookie: anna.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('content-disposition'), /^inline; filename\*=UTF-8''scontrino%20%C3%A8\.png$/);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
  const byVisitor = await fetch(`${server.url}${msg.json.attachments[0].url}?visitor_token=${encodeURIComponent(v.token)}`);
  assert.equal(byVisitor.status, 200);
});

test('an agent attaches a PDF; it downloads as an attachment', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const up = await upload(anna, Buffer.from('%PDF-1.4\n%fake but well-formed enough\n'), 'application/pdf', 'invoice.pdf');
  assert.equal(up.status, 201, up.text);
  await anna.call(`/api/v1/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Here is your invoice', attachment_ids: [up.json.id] } });
  const ev = await v.call(`/api/v1/widget/conversations/${conv.id}/events`);
  const withFile = ev.json.events.find((e) => e.attachments.length);
  assert.equal(withFile.attachments[0].name, 'invoice.pdf');
  const res = await fetch(`${server.url}${withFile.attachments[0].url}?visitor_token=${encodeURIComponent(v.token)}`);
  assert.match(res.headers.get('content-disposition'), /^attachment;/);
});

test('oversized uploads are 413, forbidden types 415, fake images 415, empty 400', async () => {
  const v = await newVisitor(server.url);
  const big = await upload(v, Buffer.alloc(10 * 1024 * 1024 + 10, 1), 'application/zip', 'big.zip');
  assert.equal(big.status, 413);
  const exe = await upload(v, Buffer.from('MZ....'), 'application/x-msdownload', 'virus.exe');
  assert.equal(exe.status, 415);
  assert.equal(exe.json.error.code, 'unsupported_type');
  const html = await upload(v, Buffer.from('<script>alert(1)</script>'), 'text/html', 'x.html');
  assert.equal(html.status, 415);
  const fake = await upload(v, Buffer.from('<svg onload=alert(1)>'), 'image/png', 'fake.png');
  assert.equal(fake.status, 415);
  const empty = await upload(v, Buffer.alloc(0), 'image/png', 'empty.png');
  assert.equal(empty.status, 400);
});

test('attachments of another workspace are not found; unknown attachment ids are rejected', async () => {
  const up = await upload(anna, PNG, 'image/png', 'a.png');
  const r = await fetch(`${server.url}/api/v1/attachments/${up.json.id}`, { headers: { cookie: other.cookie } });
  assert.equal(r.status, 404);
  const anon = await fetch(`${server.url}/api/v1/attachments/${up.json.id}`);
  assert.equal(anon.status, 401);
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const bad = await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'x', attachment_ids: ['nope'] } });
  assert.equal(bad.status, 400);
});

test('messages must carry text or a file, and a client id', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const path = `/api/v1/widget/conversations/${conv.id}/messages`;
  assert.equal((await v.call(path, { method: 'POST', body: { client_id: uuid(), body: '   ' } })).status, 400);
  assert.equal((await v.call(path, { method: 'POST', body: { body: 'no id' } })).status, 400);
  assert.equal((await v.call(path, { method: 'POST', body: { client_id: uuid(), body: 'x'.repeat(50000) } })).status, 413);
  const ev = await v.call(`/api/v1/widget/conversations/${conv.id}/events`);
  assert.equal(ev.json.events.length, 1, 'rejected messages left no trace');
});

test('static pages: console SPA fallback, no path traversal', async () => {
  const spa = await request(server.url, '/console/conversations/42');
  assert.equal(spa.status, 200);
  assert.match(spa.headers.get('content-type'), /text\/html/);
  const trav = await request(server.url, '/demo/../../etc/passwd');
  assert.equal(trav.status, 404);
  const widget = await request(server.url, '/widget.js');
  assert.equal(widget.status, 200);
  assert.match(widget.headers.get('content-type'), /javascript/);
});
