// Test helpers: start a real switchboard on a free loopback port with a fresh
// data directory, and small HTTP / WebSocket clients for agents and visitors.
import { spawn, execFileSync } from 'node:child_process';
import { startPgServer } from './pgserver.mjs';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(repo, 'web', 'package.json'));
export const WebSocket = require('ws');
export const BIN = process.env.SWITCHBOARD_BIN || join(repo, 'build', 'switchboard');
export const WEB_ROOT = process.env.SB_WEB_ROOT || join(repo, 'web', 'dist');
export const DEMO = {
  admin: { email: 'admin@demo.switchboard.test', password: 'demo-admin-pass' },
  anna: { email: 'anna@demo.switchboard.test', password: 'demo-agent-pass' },
  marek: { email: 'marek@demo.switchboard.test', password: 'demo-agent-pass' },
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Polls fn until it returns something truthy (returned), or throws after timeout ms.
export async function until(fn, what, timeout = 5000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out: ' + what);
    await sleep(50);
  }
}

// Waits until triage (language, emotion, the bot), which runs after each
// commit, has caught up with every change committed so far: the server counts
// a change as queued before the request that committed it is answered.
export async function triaged(url, timeout = 60000) {
  const count = (text, name) => Number(text.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1]);
  await until(async () => {
    const r = await fetch(url + '/metrics');
    const text = await r.text();
    const queued = count(text, 'switchboard_triage_queued_total');
    return queued >= 0 && queued === count(text, 'switchboard_triage_done_total');
  }, 'triage caught up', timeout);
}

// SB_TEST_BACKEND=postgres runs the servers of these tests on PostgreSQL: one
// throwaway server per test process (tests/lib/pgserver.mjs), one database per
// data directory (so a restart with the same directory finds its data).
export const onPostgres = process.env.SB_TEST_BACKEND === 'postgres';
let pgServer;
export function databaseArgs(dataDir) {
  if (!onPostgres) return [];
  pgServer ??= startPgServer();
  const marker = join(dataDir, 'postgres-database');
  let name;
  try {
    name = readFileSync(marker, 'utf8').trim();
  } catch {
    name = pgServer.createDatabase();
    writeFileSync(marker, name);
    execFileSync(BIN, ['migrate', '--database', pgServer.url(name)], { stdio: 'ignore' });
  }
  return ['--database', pgServer.url(name)];
}

// Runs SQL on the database of a server started on `dataDir` (sqlite3's CLI, or
// psql on PostgreSQL); throws with the database's message when it refuses.
export function sqlOn(dataDir, query) {
  if (!onPostgres) {
    return execFileSync('sqlite3', [join(dataDir, 'switchboard.db'), query], { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString().trim();
  }
  const name = readFileSync(join(dataDir, 'postgres-database'), 'utf8').trim();
  try {
    return pgServer.psql(name, query);
  } catch (e) {
    throw new Error(String(e.stderr || e.message));
  }
}

export function freshDataDir() {
  return mkdtempSync(join(tmpdir(), 'sb-test-'));
}

// Starts the server; resolves once it prints its "listening" line.
// The demo workspace comes with its FAQ bot on; tests get it off unless they ask
// (`bot: true`), so chats go straight to routing as before.
// Every test client comes from 127.0.0.1, so per-IP limits are raised; per-visitor
// ones stay. A test's `limits` (see docs/SECURITY.md) are laid over these.
export const TEST_LIMITS = join(repo, 'tests', 'lib', 'limits-test.json');
// For tests that flood on purpose (one visitor sending hundreds of messages).
export const FLOOD_LIMITS = { messages_per_visitor: [0, 0] };
export async function startServer({ dataDir = freshDataDir(), demo = true, port = 0, args: extra = [], bot = false, limits } = {}) {
  let limitsFile = TEST_LIMITS;
  if (limits) {
    limitsFile = join(dataDir, 'limits.json');
    writeFileSync(limitsFile, JSON.stringify({ ...JSON.parse(readFileSync(TEST_LIMITS, 'utf8')), ...limits }));
  }
  const args = ['serve', '--port', String(port), '--data-dir', dataDir, '--web-root', WEB_ROOT, '--threads', '2',
    '--limits', limitsFile, ...databaseArgs(dataDir), ...extra];
  if (demo) args.push('--demo');
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => (log += d));
  const listening = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + out + log)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/"msg":"listening".*"port":(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}${log}`)));
  });
  const url = `http://127.0.0.1:${listening}`;
  if (demo && !bot) {
    const admin = await loginAgent(url, DEMO.admin);
    const r = await admin.call('/api/v1/bot', { method: 'PUT', body: { enabled: false } });
    if (r.status !== 200) throw new Error('could not switch the demo bot off: ' + r.text);
  }
  return {
    url,
    port: listening,
    proc,
    dataDir,
    log: () => log,
    async stop({ keepData = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {  // a killed one has a signal, no code
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
    kill9() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      return exited;
    },
  };
}

// `switchboard init` for a second workspace in the same data directory.
export function initWorkspace(dataDir, name, email, password) {
  const out = execFileSync(BIN, ['init', '--data-dir', dataDir, ...databaseArgs(dataDir), '--workspace', name,
    '--admin-email', email, '--admin-password', password]).toString();
  return JSON.parse(out.trim().split('\n').pop());
}

export async function request(url, path, { method = 'GET', body, headers = {}, raw } = {}) {
  const init = { method, headers: { ...headers } };
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url + path, init);
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}

export async function loginAgent(url, { email, password }) {
  const res = await request(url, '/api/v1/auth/login', { method: 'POST', body: { email, password } });
  if (res.status !== 200) throw new Error('login failed: ' + res.text);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const csrf = res.json.csrf_token;
  const agent = res.json.agent;
  const call = (path, opts = {}) =>
    request(url, path, { ...opts, headers: { cookie, 'x-csrf-token': csrf, ...(opts.headers || {}) } });
  return { cookie, csrf, agent, call, ws: () => connectWs(url, { cookie }) };
}

export async function newVisitor(url, inboxKey = 'demo') {
  const res = await request(url, `/api/v1/widget/${inboxKey}/visitors`, { method: 'POST', body: {} });
  if (res.status !== 201) throw new Error('visitor token: ' + res.text);
  const token = res.json.visitor_token;
  const call = (path, opts = {}) =>
    request(url, path, { ...opts, headers: { authorization: 'Bearer ' + token, ...(opts.headers || {}) } });
  return {
    token,
    call,
    ws: () => connectWs(url, { token }),
    startChat: (fields = {}) =>
      call('/api/v1/widget/conversations', {
        method: 'POST',
        body: { kind: 'chat', inbox_key: inboxKey, client_id: randomUUID(), name: 'Giulia Bianchi',
          email: `giulia.${randomUUID().slice(0, 8)}@example.com`, topic: 'Returns', message: 'Ciao! Ho un problema.',
          page_url: 'http://shop.example/cart', language: 'it', ...fields },
      }),
  };
}

// A WebSocket client that buffers frames; next(pred) waits for the first match.
export function connectWs(url, { cookie, token }) {
  const wsUrl = url.replace('http', 'ws') + '/ws' + (token ? `?visitor_token=${encodeURIComponent(token)}` : '');
  const socket = new WebSocket(wsUrl, { headers: cookie ? { cookie } : {} });
  const frames = [];
  const waiters = [];
  socket.on('message', (data) => {
    const f = JSON.parse(data.toString());
    frames.push(f);
    for (const w of [...waiters]) if (w.pred(f)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(f); }
  });
  const opened = new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error('ws refused: ' + res.statusCode)));
  });
  return {
    socket,
    frames,
    opened,
    send: (f) => socket.send(JSON.stringify(f)),
    next(pred, timeout = 5000) {
      const found = frames.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          if (waiters.includes(w)) reject(new Error('timed out waiting for a frame; got: ' + JSON.stringify(frames.slice(-5))));
        }, timeout);
      });
    },
    close: () => socket.close(),
  };
}

export const uuid = randomUUID;

// One HTTP/1.1 request written byte for byte (no URL normalisation, as curl
// --path-as-is sends it); resolves { status, headers, body } once the server closes.
export function rawRequest(port, target, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    socket.setTimeout(10000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const hs = {};
      for (const l of lines.slice(1)) hs[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      resolve({ status: Number(lines[0].split(' ')[1]), headers: hs, body: rest.join('\r\n\r\n') });
    });
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`);
  });
}
