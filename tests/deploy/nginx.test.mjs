// The shipped nginx site in front of a real node: a widget chat over REST and
// WebSocket through TLS, uploads up to the limit, the HTTP->HTTPS redirect,
// metrics kept private, rate limits keyed on the real client (X-Forwarded-For
// believed only from the trusted proxy), and a drain seen through nginx.
// One node: SQLite is one process's; a cluster needs PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, WebSocket, DEMO, until } from '../lib/server.mjs';
import { startNginx, httpsRequest } from '../lib/nginx.mjs';

const PROXY = '127.0.0.2';  // nginx connects to the node from here (proxy_bind)
let node, nginx;

before(async () => {
  node = await startServer({
    args: ['--trusted-proxy', PROXY],
    limits: { visitor_tokens_per_ip: [60, 3] },  // a burst of three tokens per client, then 429
  });
  nginx = await startNginx({ upstreamPort: node.port, bind: PROXY });
});
after(async () => {
  await nginx?.stop();
  await node?.stop();
});

function wss(path, { from = '127.0.0.1', headers = {} } = {}) {
  const socket = new WebSocket(`wss://127.0.0.1:${nginx.httpsPort}${path}`,
    { rejectUnauthorized: false, localAddress: from, headers });
  const frames = [];
  socket.on('message', (d) => frames.push(JSON.parse(d.toString())));
  const opened = new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
    socket.once('unexpected-response', (_q, res) => reject(new Error('upgrade refused: ' + res.statusCode)));
  });
  const next = (pred, what) => until(() => frames.find(pred), what, 5000);
  return { socket, frames, opened, next, send: (f) => socket.send(JSON.stringify(f)) };
}

const visitorToken = async (from) =>
  httpsRequest(nginx.url, '/api/v1/widget/demo/visitors', { method: 'POST', body: {}, from });

test('a widget chat works through nginx: REST and WebSocket over TLS', async () => {
  const token = (await visitorToken('127.0.0.10')).json.visitor_token;
  assert.ok(token);
  const asVisitor = { authorization: 'Bearer ' + token };
  const started = await httpsRequest(nginx.url, '/api/v1/widget/conversations', {
    method: 'POST', headers: asVisitor, from: '127.0.0.10',
    body: { kind: 'chat', inbox_key: 'demo', client_id: randomUUID(), name: 'Ewa Nowak',
      email: 'ewa@example.com', topic: 'Returns', message: 'Dzień dobry, zwrot?', language: 'pl' },
  });
  assert.equal(started.status, 201, started.text);
  const conv = started.json;

  const login = await httpsRequest(nginx.url, '/api/v1/auth/login', { method: 'POST', body: DEMO.anna });
  assert.equal(login.status, 200, login.text);
  const cookie = login.headers['set-cookie'][0].split(';')[0];
  const asAgent = { cookie, 'x-csrf-token': login.json.csrf_token };

  const widget = wss(`/ws?visitor_token=${encodeURIComponent(token)}`, { from: '127.0.0.10' });
  const console_ = wss('/ws', { headers: { cookie } });
  await Promise.all([widget.opened, console_.opened]);
  widget.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  console_.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  await widget.next((f) => f.type === 'event' && f.event.body === 'Dzień dobry, zwrot?', 'the history replayed');

  const clientId = randomUUID();
  widget.send({ type: 'send', conversation_id: conv.id, client_id: clientId, body: 'Czy mogę zwrócić buty?' });
  await widget.next((f) => f.type === 'ack' && f.client_id === clientId, 'the ack');
  await console_.next((f) => f.type === 'event' && f.event.client_id === clientId, 'the agent sees it');

  const reply = await httpsRequest(nginx.url, `/api/v1/conversations/${conv.id}/messages`, {
    method: 'POST', headers: asAgent, body: { client_id: randomUUID(), body: 'Tak, w ciągu 30 dni.' } });
  assert.equal(reply.status, 201, reply.text);
  await widget.next((f) => f.type === 'event' && f.event.body === 'Tak, w ciągu 30 dni.', 'the visitor sees the reply');

  // Uploads stream through, up to the server's limit; beyond it nginx answers as the API would.
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(9 * 1024 * 1024, 0x20)]);
  const up = await httpsRequest(nginx.url, '/api/v1/widget/uploads', {
    method: 'POST', headers: { ...asVisitor, 'content-type': 'application/pdf', 'x-filename': 'scan.pdf' },
    body: pdf, from: '127.0.0.10' });
  assert.equal(up.status, 201, up.text);
  const big = await httpsRequest(nginx.url, '/api/v1/widget/uploads', {
    method: 'POST', headers: { ...asVisitor, 'content-type': 'application/pdf', 'x-filename': 'big.pdf' },
    body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), from: '127.0.0.10' });
  assert.equal(big.status, 413);
  assert.equal(big.json.error.code, 'too_large');
  assert.equal(big.headers['access-control-allow-origin'], '*', 'the widget on another site can read it');

  widget.socket.close();
  console_.socket.close();
});

test('plain HTTP is redirected to HTTPS; /metrics is not served publicly', async () => {
  const res = await fetch(`http://127.0.0.1:${nginx.httpPort}/console/?x=1`, { redirect: 'manual' });
  assert.equal(res.status, 301);
  assert.match(res.headers.get('location'), /^https:\/\/127\.0\.0\.1\/console\/\?x=1$/);
  const metrics = await httpsRequest(nginx.url, '/metrics');
  assert.equal(metrics.status, 404);
  const ready = await httpsRequest(nginx.url, '/readyz');
  assert.equal(ready.status, 200, ready.text);
});

test('rate limits count the client behind nginx; X-Forwarded-For counts only from the trusted proxy', async () => {
  // Through nginx: each client has its own budget (three tokens, then 429).
  const a = [];
  for (let i = 0; i < 4; i++) a.push((await visitorToken('127.0.0.3')).status);
  assert.deepEqual(a, [201, 201, 201, 429], 'client 127.0.0.3');
  assert.equal((await visitorToken('127.0.0.4')).status, 201, 'another client is not held back');
  // A client naming someone else in X-Forwarded-For is still itself: nginx appends
  // the address it saw, and the node takes the right-most one it does not trust.
  const forged = await httpsRequest(nginx.url, '/api/v1/widget/demo/visitors', {
    method: 'POST', body: {}, from: '127.0.0.3', headers: { 'x-forwarded-for': '198.51.100.7' } });
  assert.equal(forged.status, 429, 'a forged X-Forwarded-For does not escape the limit');

  // Straight to the node from an address that is not the proxy: the header is ignored.
  const direct = [];
  for (let i = 0; i < 4; i++) {
    const r = await fetch(`${node.url}/api/v1/widget/demo/visitors`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
      body: '{}' });
    direct.push(r.status);
  }
  assert.deepEqual(direct, [201, 201, 201, 429], 'X-Forwarded-For from an untrusted peer changes nothing');

  // The node's log names the real client, never the forged one.
  await until(() => node.log().includes('"remote":"127.0.0.3"'), 'the client in the log');
  assert.doesNotMatch(node.log(), /"remote":"(198\.51\.100\.7|203\.0\.113\.\d+)"/);
  assert.doesNotMatch(node.log(), new RegExp(`"remote":"${PROXY.replaceAll('.', '\\.')}"`), 'nginx is never the client');
});

test('a draining node closes WebSockets through nginx with 1012', async () => {
  const token = (await visitorToken('127.0.0.11')).json.visitor_token;
  const widget = wss(`/ws?visitor_token=${encodeURIComponent(token)}`, { from: '127.0.0.11' });
  await widget.opened;
  const closed = new Promise((resolve) => widget.socket.once('close', (code) => resolve(code)));
  const exited = new Promise((resolve) => node.proc.once('exit', (code) => resolve(code)));
  node.proc.kill('SIGTERM');
  assert.equal(await closed, 1012);
  assert.equal(await exited, 0);
});
