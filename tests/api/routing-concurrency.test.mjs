// Routing under concurrency, with two switchboard processes on one database:
// eight agents accept, decline, transfer, close, disconnect and change status
// at the same time while customers keep arriving. After every round:
//   - no agent is above capacity,
//   - no conversation was won by two agents (every successful accept of a
//     conversation is matched by it having been put back in the queue),
//   - no conversation is lost: each open one is assigned, offered or waiting
//     in one of the two processes' queues.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, DEMO } from '../lib/server.mjs';

const CAPACITY = 2;
const ROUNDS = 25;
const fast = ['--routing-tick-ms', '50', '--reconcile-ms', '300', '--grace-ms', '300'];
let a, b, admin;
const agents = [];  // {login, server, ws, id}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pick = (xs, rnd) => xs[Math.floor(rnd() * xs.length)];
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

before(async () => {
  a = await startServer({ args: fast });
  b = await startServer({ dataDir: a.dataDir, demo: false, args: fast });
  admin = await loginAgent(a.url, DEMO.admin);
  const inbox = (await admin.call('/api/v1/inboxes')).json.inboxes.find((i) => i.public_key === 'demo');
  const r = await admin.call(`/api/v1/inboxes/${inbox.id}`, {
    method: 'PATCH', body: { routing: { mode: 'offer', offer_timeout_s: 5 } } });
  assert.equal(r.status, 200, r.text);
  const logins = [DEMO.anna, DEMO.marek];
  for (let i = 0; i < 6; i++) {
    const login = { email: `agent${i}@demo.switchboard.test`, password: 'agent-pass-' + i };
    const c = await admin.call('/api/v1/agents', { method: 'POST', body: { name: `Agent ${i}`, ...login } });
    assert.equal(c.status, 201, c.text);
    logins.push(login);
  }
  for (const [i, login] of logins.entries()) {
    const server = i % 2 ? b : a;  // half the agents work through each process
    const s = await loginAgent(server.url, login);
    const p = await admin.call(`/api/v1/agents/${s.agent.id}/routing`, { method: 'PUT', body: { capacity: { chat: CAPACITY } } });
    assert.equal(p.status, 200, p.text);
    agents.push({ login: s, server, id: s.agent.id, ws: null });
  }
  for (const ag of agents) await connect(ag);
});
after(async () => {
  for (const ag of agents) ag.ws?.close();
  await b.stop({ keepData: true });
  await a.stop();
});

async function connect(ag) {
  ag.ws = ag.login.ws();
  await ag.ws.opened;
  await ag.login.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } });
}

const pendingOffers = (ag) => {
  const offered = new Map();
  for (const f of ag.ws.frames) {
    if (f.type === 'offer') offered.set(f.conversation.id, f);
    if (f.type === 'offer_withdrawn') offered.delete(f.conversation_id);
  }
  ag.ws.frames.length = 0;  // consumed; what is still open is carried over below
  for (const f of offered.values()) ag.ws.frames.push(f);
  return [...offered.keys()];
};

async function openConversations() {
  const res = await admin.call('/api/v1/conversations?view=all&status=open');
  return res.json.conversations;
}

async function checkInvariants(round, accepted) {
  const open = await openConversations();
  const load = new Map();
  for (const c of open) if (c.assignee) load.set(c.assignee.id, (load.get(c.assignee.id) || 0) + 1);
  for (const [agent, n] of load) assert.ok(n <= CAPACITY, `round ${round}: agent ${agent} holds ${n} chats`);

  for (const [conv, wins] of accepted) {
    if (wins < 2) continue;
    const events = (await admin.call(`/api/v1/conversations/${conv}/events`)).json.events;
    const requeues = events.filter((e) => e.kind === 'system' && /back in the queue|transferred/.test(e.body)).length;
    assert.ok(wins <= 1 + requeues, `round ${round}: conversation ${conv} accepted ${wins} times, requeued ${requeues}`);
  }

  // Not lost: each open unassigned conversation is known to a queue or an offer
  // in one of the processes (each resyncs with the database every 300 ms).
  const deadline = Date.now() + 3000;
  for (;;) {
    const views = await Promise.all([a, b].map(async (s) => {
      const res = await loginAgent(s.url, DEMO.admin).then((x) => x.call('/api/v1/supervisor/live'));
      return res.json;
    }));
    const known = new Set();
    for (const v of views) {
      for (const q of v.queue) known.add(q.conversation_id);
      for (const o of v.offers) known.add(o.conversation_id);
    }
    const now = await openConversations();
    const lost = now.filter((c) => !c.assignee && !known.has(c.id));
    if (lost.length === 0) return;
    if (Date.now() > deadline) assert.fail(`round ${round}: lost ${lost.map((c) => c.id).join(', ')}`);
    await sleep(100);
  }
}

test('two processes, eight agents, concurrent accepts/declines/transfers/disconnects keep the invariants', async () => {
  const rnd = rng(4242);
  const accepted = new Map();
  let accepts = 0, conflicts = 0, transfers = 0, disconnects = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 3; i++) {
      const v = await newVisitor(pick([a, b], rnd).url);
      await v.startChat({ language: 'en' });
    }
    await sleep(150);
    await Promise.all(agents.map(async (ag) => {
      const offers = pendingOffers(ag);
      const roll = rnd();
      if (offers.length && roll < 0.55) {
        // Every agent with an offer tries to accept it and, sometimes, one offered to someone else.
        const conv = rnd() < 0.2 ? pick(offers, rnd) + 1 : pick(offers, rnd);
        const r = await ag.login.call(`/api/v1/conversations/${conv}/accept`, { method: 'POST', body: {} });
        if (r.status === 200) {
          accepts++;
          accepted.set(conv, (accepted.get(conv) || 0) + 1);
          assert.equal(r.json.assignee.id, ag.id);
        } else {
          assert.equal(r.status, 409, r.text);
          conflicts++;
        }
      } else if (offers.length && roll < 0.75) {
        await ag.login.call(`/api/v1/conversations/${pick(offers, rnd)}/decline`, { method: 'POST', body: {} });
      } else if (roll < 0.85) {
        const mine = (await ag.login.call('/api/v1/conversations?view=mine')).json.conversations;
        if (mine.length) {
          const target = pick(agents.filter((x) => x !== ag), rnd);
          const r = await ag.login.call(`/api/v1/conversations/${mine[0].id}/transfer`,
            { method: 'POST', body: { agent_id: target.id, note: 'over to you' } });
          assert.ok([200, 409].includes(r.status), r.text);
          if (r.status === 200) transfers++;
        }
      } else if (roll < 0.93) {
        const mine = (await ag.login.call('/api/v1/conversations?view=mine')).json.conversations;
        if (mine.length) await ag.login.call(`/api/v1/conversations/${mine[0].id}/close`, { method: 'POST', body: {} });
      } else {
        disconnects++;
        ag.ws.close();
        await sleep(400 + Math.floor(rnd() * 200));  // past the grace period: set away, chats requeued
        await connect(ag);
      }
    }));
    await checkInvariants(round, accepted);
  }
  console.log(JSON.stringify({ accepts, conflicts, transfers, disconnects }));
  // The run must have exercised the races, or it proves little.
  assert.ok(accepts >= 10, `accepts ${accepts}`);
  assert.ok(conflicts >= 3, `conflicts ${conflicts}`);
  assert.ok(transfers >= 2, `transfers ${transfers}`);
  assert.ok(disconnects >= 2, `disconnects ${disconnects}`);
});
