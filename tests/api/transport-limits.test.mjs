// Connections and bodies: slow headers time out, one IP cannot hold every socket,
// large bodies are judged before they are read, uploads stream to disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readdirSync, readFileSync, mkdirSync, writeFileSync, utimesSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, request, newVisitor, loginAgent, sleep, until, DEMO, uuid } from '../lib/server.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const peakRss = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'latin1').match(/^VmHWM:\s+(\d+)/m)[1]) * 1024;
const open = (port) => new Promise((resolve, reject) => {
  const s = net.connect(port, '127.0.0.1', () => resolve(s));
  s.on('error', reject);
});
const closed = (s) => new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', resolve)));
// One request on a connection of its own: fetch's pooled keep-alive connection from
// start-up may be the one the header timeout is closing just then.
const freshGet = async (port, path) => {
  const s = await open(port);
  let reply = '';
  s.on('data', (d) => { reply += d; });
  s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  await closed(s);
  return Number(reply.match(/^HTTP\/1\.1 (\d+)/)?.[1]);
};

test('a header that does not arrive in time is dropped; one IP cannot take every socket', async () => {
  const server = await startServer({ limits: { header_timeout_ms: 2500, connections_per_ip: 20 } });
  try {
    const slow = await Promise.all(Array.from({ length: 25 }, () => open(server.port)));
    for (const s of slow) { s.on('error', () => {}); s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); }
    // The five over the cap are closed at once; the rest when their header is late.
    const ended = () => slow.filter((s) => s.destroyed || s.readableEnded).length;
    const started = Date.now();
    await until(() => ended() >= 5, 'over-cap sockets closed', 2000);
    assert.ok(Date.now() - started < 2000);
    // (the test's own keep-alive connections from start-up may hold a slot or two)
    assert.ok(ended() < 10, `only those over the cap, before any header timeout: ${ended()}`);
    await Promise.all(slow.map(closed));
    const took = Date.now() - started;
    assert.ok(took >= 2000 && took < 8000, `slow headers time out (${took} ms)`);
    assert.equal(await freshGet(server.port, '/healthz'), 200, 'the server answers once the slow sockets are gone');
  } finally {
    await server.stop();
  }
});

test('large bodies are refused from the header: unknown route, no session, too large', async () => {
  const server = await startServer();
  try {
    const before = peakRss(server.proc.pid);
    const big = Buffer.alloc(9 * 1024 * 1024, 7);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      request(server.url, i % 2 ? '/api/v1/uploads' : '/api/v1/kb/import', { method: 'POST', raw: big, headers: { 'content-type': 'application/zip' } })
        .catch((e) => ({ status: 'error ' + e.message }))));
    // Refused from the header, the server closes without reading the rest: a client
    // still sending may see the reset before the answer (no lingering close). Either is
    // a refusal; the server must answer most and stay up (the requests below).
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((st) => st === 401 || st === 413 || String(st).startsWith('error')), JSON.stringify(statuses));
    assert.ok(statuses.includes(401) && statuses.includes(413), JSON.stringify(statuses));
    const grown = peakRss(server.proc.pid) - before;
    assert.ok(grown < 64 * 1024 * 1024, `unauthenticated bodies were not read: peak RSS grew ${grown >> 20} MiB`);
    const unknown = await request(server.url, '/api/v1/nope', { method: 'POST', raw: big });
    assert.equal(unknown.status, 404);
    const tooBig = await request(server.url, '/api/v1/widget/conversations', { method: 'POST', raw: Buffer.alloc(200 * 1024, 32), headers: { 'content-type': 'application/json' } });
    assert.equal(tooBig.status, 401, 'an anonymous route does not read 200 KiB without a valid token');
    const v = await newVisitor(server.url);
    const huge = await v.call('/api/v1/widget/conversations', { method: 'POST', raw: Buffer.alloc(2 * 1024 * 1024, 32), headers: { 'content-type': 'application/json' } });
    assert.equal(huge.status, 413);
  } finally {
    await server.stop();
  }
});

test('uploads stream to disk: many 9 MiB files in parallel barely move memory; nothing is left half-written', async () => {
  const server = await startServer();
  try {
    const visitors = await Promise.all(Array.from({ length: 12 }, () => newVisitor(server.url)));
    const body = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(9 * 1024 * 1024, 65)]);
    const before = peakRss(server.proc.pid);
    const ups = await Promise.all(visitors.map((v) => v.call('/api/v1/widget/uploads', {
      method: 'POST', raw: body, headers: { 'content-type': 'application/pdf', 'x-filename': 'big.pdf' } })));
    assert.ok(ups.every((u) => u.status === 201), JSON.stringify(ups.map((u) => u.text)));
    const grown = peakRss(server.proc.pid) - before;
    assert.ok(grown < 64 * 1024 * 1024, `12 x 9 MiB uploads grew peak RSS by ${grown >> 20} MiB`);
    // An upload cut off half-way leaves no .part file behind.
    const s = await open(server.port);
    s.on('error', () => {});
    s.write(`POST /api/v1/widget/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${visitors[0].token}\r\n` +
      'Content-Type: application/pdf\r\nContent-Length: 5000000\r\n\r\n%PDF-1.4\n' + 'x'.repeat(100000));
    const incoming = join(server.dataDir, 'files', 'incoming');
    await until(() => readdirSync(incoming).length === 1, 'the upload is being written', 5000);
    s.destroy();
    await until(() => readdirSync(incoming).length === 0, 'the .part file is removed', 5000);
  } finally {
    await server.stop();
  }
});

test('interrupted uploads left by a crash are swept at start', async () => {
  const server = await startServer();
  const dataDir = server.dataDir;
  await server.stop({ keepData: true });
  const incoming = join(dataDir, 'files', 'incoming');
  mkdirSync(incoming, { recursive: true });
  const stale = join(incoming, 'deadbeef.part');
  const fresh = join(incoming, 'cafebabe.part');
  writeFileSync(stale, 'x');
  writeFileSync(fresh, 'y');
  const old = new Date(Date.now() - 2 * 3600e3);
  utimesSync(stale, old, old);
  const again = await startServer({ dataDir, demo: true });
  try {
    await until(() => !existsSync(stale), 'the stale .part file is swept', 10000);
    assert.ok(existsSync(fresh), 'an upload that may still be running is left alone');
  } finally {
    await again.stop();
  }
});

test('attachments belong to their uploader, then to the conversation they were sent in', async () => {
  const server = await startServer();
  try {
    const anna = await loginAgent(server.url, DEMO.anna);
    const a = await newVisitor(server.url);
    const b = await newVisitor(server.url);
    const convA = (await a.startChat()).json;
    const convB = (await b.startChat()).json;
    const up = await a.call('/api/v1/widget/uploads', { method: 'POST', raw: PNG, headers: { 'content-type': 'image/png', 'x-filename': encodeURIComponent('scan\u202Egnp.exe') } });
    assert.equal(up.status, 201);
    assert.equal(up.json.name, 'scangnp.exe', 'bidi controls are stripped from file names');
    const get = (v) => fetch(`${server.url}/api/v1/attachments/${up.json.id}?visitor_token=${encodeURIComponent(v.token)}`);
    assert.equal((await get(a)).status, 200, 'the uploader may read it back');
    assert.equal((await get(b)).status, 404, 'another visitor may not');
    const steal = await b.call(`/api/v1/widget/conversations/${convB.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'x', attachment_ids: [up.json.id] } });
    assert.equal(steal.status, 400, 'nor send it as theirs');
    const sent = await a.call(`/api/v1/widget/conversations/${convA.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'receipt', attachment_ids: [up.json.id] } });
    assert.equal(sent.status, 201, sent.text);
    assert.equal((await fetch(`${server.url}/api/v1/attachments/${up.json.id}`, { headers: { cookie: anna.cookie } })).status, 200);
    assert.equal((await get(b)).status, 404);
    // The agent cannot forward the customer's file into another customer's chat.
    const forward = await anna.call(`/api/v1/conversations/${convB.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'fyi', attachment_ids: [up.json.id] } });
    assert.equal(forward.status, 400);
    // An agent's own file, once sent to A, cannot be sent to B either.
    const own = await anna.call('/api/v1/uploads', { method: 'POST', raw: PNG, headers: { 'content-type': 'image/png', 'x-filename': 'a.png' } });
    assert.equal((await anna.call(`/api/v1/conversations/${convA.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: '', attachment_ids: [own.json.id] } })).status, 201);
    const again = await anna.call(`/api/v1/conversations/${convB.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: '', attachment_ids: [own.json.id] } });
    assert.equal(again.status, 409);
    assert.equal((await get(a)).status, 200, 'the participant still reads it');
  } finally {
    await server.stop();
  }
});
