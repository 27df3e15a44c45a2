// SIGTERM drains the real binary: /readyz turns 503, new connections are
// refused, widgets and consoles are told to reconnect (close 1012), the request
// in progress is answered, every acknowledged message is in the database after
// a restart, and the process exits 0 within the drain timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  startServer, newVisitor, loginAgent, connectWs, uuid, until, sleep, request, DEMO, FLOOD_LIMITS,
} from '../lib/server.mjs';

// A raw HTTP/1.1 client on one socket: write what you like when you like, and
// read the response(s) as they come.
function rawSocket(port) {
  const socket = net.connect(port, '127.0.0.1');
  let data = Buffer.alloc(0);
  let ended = false;
  socket.on('data', (d) => (data = Buffer.concat([data, d])));
  socket.on('end', () => (ended = true));
  socket.on('close', () => (ended = true));
  socket.on('error', () => (ended = true));
  const connected = new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    connected,
    write: (s) => socket.write(s),
    ended: () => ended,
    text: () => data.toString('latin1'),
    // The first complete response: status, headers, body (by Content-Length).
    async response(timeout = 10000) {
      return until(() => {
        const text = data.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return null;
        const lines = text.slice(0, end).split('\r\n');
        const headers = {};
        for (const l of lines.slice(1)) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
        const length = Number(headers['content-length'] || 0);
        if (text.length < end + 4 + length) return null;
        const body = text.slice(end + 4, end + 4 + length);
        return { status: Number(lines[0].split(' ')[1]), headers, body, json: body ? JSON.parse(body) : undefined };
      }, 'a response', timeout);
    },
    destroy: () => socket.destroy(),
  };
}

function refused(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(false); });
    s.once('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
}

function closed(ws) {
  return new Promise((resolve) => ws.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

function exited(proc) {
  if (proc.exitCode !== null) return Promise.resolve({ code: proc.exitCode, signal: null });
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
}

test('SIGTERM drains: 503, 1012, the request in progress answered, acknowledged messages kept, exit 0', async () => {
  let server = await startServer({ limits: FLOOD_LIMITS, args: ['--drain-timeout-ms', '8000'] });
  const { port, proc } = server;
  const visitor = await newVisitor(server.url);
  const conv = (await visitor.startChat()).json;
  const agent = await loginAgent(server.url, DEMO.anna);

  const ready = await request(server.url, '/readyz');
  assert.equal(ready.status, 200, ready.text);
  assert.equal(ready.json.status, 'ready');
  for (const name of ['database', 'migrations', 'writer', 'draining'])
    assert.equal(ready.json.checks[name].status, 'ok', name);

  // A widget sending over its WebSocket without pause, and a console.
  const widget = connectWs(server.url, { token: visitor.token });
  await widget.opened;
  widget.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  const widgetClosed = closed(widget);
  const console_ = agent.ws();
  await console_.opened;
  const consoleClosed = closed(console_);
  const acked = new Set();
  const sent = [];
  let sending = true;
  widget.socket.on('message', (d) => {
    const f = JSON.parse(d.toString());
    if (f.type === 'ack') acked.add(f.client_id);
  });
  const pump = (async () => {
    while (sending && widget.socket.readyState === 1) {
      const id = uuid();
      sent.push(id);
      widget.send({ type: 'send', conversation_id: conv.id, client_id: id, body: 'over the socket ' + id });
      await sleep(5);
    }
  })();
  await until(() => acked.size >= 20, 'the widget sending');

  // A slow request: its header and half its body now, the rest after SIGTERM.
  const slowId = uuid();
  const body = JSON.stringify({ client_id: slowId, body: 'the request that was half sent when the server was told to stop' });
  const slow = rawSocket(port);
  await slow.connected;
  slow.write(`POST /api/v1/widget/conversations/${conv.id}/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    `Authorization: Bearer ${visitor.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
    body.slice(0, 20));
  // A kept-alive connection, idle between requests: the drain closes it.
  const idle = rawSocket(port);
  await idle.connected;
  idle.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  assert.equal((await idle.response()).status, 200);
  // A connection opened just before the signal, its request not sent yet: answered.
  const late = rawSocket(port);
  await late.connected;
  await sleep(200);  // accepted by the server, not only by the kernel

  const stopped = exited(proc);
  const signalledAt = Date.now();
  proc.kill('SIGTERM');

  const wc = await widgetClosed;
  // Sent within the grace a just-opened connection gets to send its request.
  late.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  assert.equal(wc.code, 1012, 'the widget is told the service restarts');
  assert.equal(wc.reason, 'service restart');
  assert.equal((await consoleClosed).code, 1012, 'so is the console');
  const notReady = await late.response();
  assert.equal(notReady.status, 503);
  assert.equal(notReady.json.status, 'draining');
  assert.equal(notReady.json.checks.draining.status, 'fail');
  assert.equal(notReady.headers.connection, 'close', 'no keep-alive while draining');
  sending = false;
  await pump;
  await until(() => idle.ended(), 'the idle connection closed by the server');
  await until(() => refused(port), 'new connections refused');

  assert.equal(proc.exitCode, null, 'still running: a request is in progress');
  slow.write(body.slice(20));
  const answered = await slow.response();
  assert.equal(answered.status, 201, answered.body);
  assert.equal(answered.json.client_id, slowId);

  const { code, signal } = await stopped;
  assert.equal(signal, null);
  assert.equal(code, 0, 'exit code 0; log:\n' + server.log().slice(-2000));
  assert.ok(Date.now() - signalledAt < 8000 + 2000, 'within the drain timeout');
  assert.match(server.log(), /"msg":"drained"/);

  // After a restart every acknowledged message is there once, and the log has no gap.
  server = await startServer({ dataDir: server.dataDir, port, limits: FLOOD_LIMITS });
  try {
    const events = (await visitor.call(`/api/v1/widget/conversations/${conv.id}/events?after=0`)).json.events;
    assert.deepEqual(events.map((e) => e.seq), events.map((_, k) => k + 1), 'gap-free seq');
    const stored = new Map();
    for (const e of events) stored.set(e.client_id, (stored.get(e.client_id) || 0) + 1);
    assert.ok(acked.size >= 20);
    for (const id of acked) assert.equal(stored.get(id), 1, `acknowledged ${id} stored once`);
    assert.equal(stored.get(slowId), 1, 'the request answered during the drain is stored');
  } finally {
    await server.stop();
  }
});

test('with a drain delay, /readyz says 503 while connections are still accepted', async () => {
  const server = await startServer({ demo: false, args: ['--drain-delay-ms', '1500', '--node-id', 'node-a'] });
  const ok = await request(server.url, '/readyz');
  assert.equal(ok.status, 200);
  assert.equal(ok.json.node, 'node-a');
  const stopped = exited(server.proc);
  server.proc.kill('SIGTERM');
  const during = await until(async () => {
    const r = await request(server.url, '/readyz');
    return r.status === 503 ? r : null;
  }, '/readyz 503 during the delay', 1000);
  assert.equal(during.json.status, 'draining');
  const live = await request(server.url, '/healthz');
  assert.equal(live.status, 200, 'still alive: liveness is not readiness');
  assert.equal(live.json.draining, true);
  await until(() => refused(server.port), 'refused after the delay', 5000);
  assert.equal((await stopped).code, 0);
  await server.stop();
});

test('a second SIGTERM stops at once', async () => {
  const server = await startServer({ demo: false, args: ['--drain-timeout-ms', '30000'] });
  // A request that never finishes would hold the drain for 30 s.
  const hanging = rawSocket(server.port);
  await hanging.connected;
  hanging.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
  await sleep(200);
  const stopped = exited(server.proc);
  const t0 = Date.now();
  server.proc.kill('SIGTERM');
  await until(() => refused(server.port), 'draining');
  assert.equal(server.proc.exitCode, null, 'the drain waits for the request');
  server.proc.kill('SIGTERM');
  const { code } = await stopped;
  assert.equal(code, 0);
  assert.ok(Date.now() - t0 < 5000, 'stopped without waiting for the drain timeout');
  hanging.destroy();
  await server.stop();
});

test('a request that never finishes is cut at the drain timeout, and the process still exits 0', async () => {
  const server = await startServer({ demo: false, args: ['--drain-timeout-ms', '1000'] });
  const hanging = rawSocket(server.port);
  await hanging.connected;
  hanging.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
  await sleep(200);
  const stopped = exited(server.proc);
  const t0 = Date.now();
  server.proc.kill('SIGTERM');
  const { code } = await stopped;
  assert.equal(code, 0);
  const took = Date.now() - t0;
  assert.ok(took >= 900 && took < 5000, `cut at the timeout, took ${took} ms`);
  assert.match(server.log(), /"msg":"drain timed out: cutting connections","requests":1/);
  await until(() => hanging.ended(), 'the connection cut');
  await server.stop();
});
