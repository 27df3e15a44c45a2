// Three nodes on one PostgreSQL and one NATS, behind nginx, while a node is
// killed with SIGKILL every few seconds (the routing leader among them) and
// started again on its port, then restarted one by one with SIGTERM (a rolling
// upgrade: each drains first). Visitors send messages through nginx and resend
// with the same client id until acknowledged; two agents race to claim the
// same conversations through nginx (so through different nodes). Then, read
// from the database: every acknowledged message exists exactly once, each
// conversation's seq has no gap, no conversation was ever assigned twice, and
// no agent holds more chats than their capacity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { BIN, DEMO, FLOOD_LIMITS, freshDataDir, loginAgent, newVisitor, sleep, startServer, until } from '../lib/server.mjs';
import { startNats, stopNats, leads } from '../lib/cluster.mjs';
import { freePort, startNginx } from '../lib/nginx.mjs';
import { startPgServer } from '../lib/pgserver.mjs';

// nginx's certificate is a throw-away one.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

const NODES = 3;
const VISITORS = 12;
const ROUNDS = 6;  // kills; every other one the routing leader
const KILL_EVERY_MS = 4000;
const DOWN_MS = 1500;
const CAPACITY = 3;

let pg, database, nats, nginx, dataDir;
const ports = [];
const nodes = [];
const stats = { kills: 0, leaderKills: 0, rollingRestarts: 0, acked: 0, retries: 0, claims: 0, claimRefusals: 0 };

const startNode = (i, demo = false) => startServer({
  dataDir,
  port: ports[i],
  demo,
  limits: FLOOD_LIMITS,
  args: ['--database', pg.url(database), '--bus', nats.url, '--node-id', `node-${i}`,
    '--routing-tick-ms', '100', '--lease-ms', '1000', '--trusted-proxy', '127.0.0.2', '--drain-timeout-ms', '3000'],
});

const sql = (text) => pg.psql(database, text);

before(async () => {
  pg = startPgServer();
  database = pg.createDatabase();
  execFileSync(BIN, ['migrate', '--database', pg.url(database)]);
  nats = startNats();
  dataDir = freshDataDir();
  for (let i = 0; i < NODES; ++i) ports.push(await freePort());
  nodes[0] = await startNode(0, true);  // seeds the demo workspace
  for (let i = 1; i < NODES; ++i) nodes[i] = await startNode(i);
  nginx = await startNginx({ upstreamPorts: ports });
});

after(async () => {
  for (const n of nodes) await n?.stop({ keepData: true });
  await nginx?.stop();
  if (nats) stopNats(nats);
  pg?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// Runs `call` until it gets an answer that is not a transport error or a
// 502/503/504 (a node died under the request, nginx found none up yet).
async function retried(call, deadline) {
  for (;;) {
    try {
      const r = await call();
      if (![502, 503, 504].includes(r.status)) return r;
    } catch {
      // the connection broke: resend
    }
    if (Date.now() > deadline) throw new Error('no node answered in time');
    stats.retries++;
    await sleep(100);
  }
}

test('kill -9 a node every few seconds, then a rolling restart: nothing lost, nothing doubled, no double assignment', { timeout: 180000 }, async () => {
  const url = nginx.url;
  const admin = await loginAgent(url, DEMO.admin);
  // Two agents (not the admin, who may take a chat from a colleague on purpose):
  // each may only claim what nobody holds, so a second "joined" would be a double assignment.
  const agents = [await loginAgent(url, DEMO.anna), await loginAgent(url, DEMO.marek)];
  for (const a of agents) {
    const r = await admin.call(`/api/v1/agents/${a.agent.id}/routing`, {
      method: 'PUT', body: { capacity: { chat: CAPACITY } } });
    assert.equal(r.status, 200, r.text);
  }
  const deadline = Date.now() + 150000;  // for resends: the test's own timeout is later
  let running = true;  // traffic runs through the kills and the rolling restart
  const acked = new Map();  // conversation id -> [client ids acknowledged]
  const conversations = [];

  const visitor = async () => {
    const v = await retried(async () => ({ status: 200, v: await newVisitor(url) }), deadline).then((r) => r.v);
    const clientId = randomUUID();
    // Starting is idempotent by client id too: a resend finds the first one.
    const started = await retried(() => v.startChat({ client_id: clientId }), deadline);
    assert.ok([200, 201].includes(started.status), started.text);
    const id = started.json.id;
    conversations.push(id);
    acked.set(id, []);
    for (let n = 0; running; ++n) {
      const cid = randomUUID();
      const r = await retried(() => v.call(`/api/v1/widget/conversations/${id}/messages`, {
        method: 'POST', body: { client_id: cid, body: `message ${n}` } }), deadline);
      assert.ok([200, 201].includes(r.status), r.text);
      acked.get(id).push(cid);
      stats.acked++;
      await sleep(50);
    }
  };

  const claimer = async (agent) => {
    while (running) {
      if (conversations.length) {
        const id = conversations[Math.floor(Math.random() * conversations.length)];
        const r = await retried(() => agent.call(`/api/v1/conversations/${id}/assign`, { method: 'POST', body: {} }),
          deadline);
        if (r.status === 200) stats.claims++;
        else stats.claimRefusals++;
      }
      await sleep(30);
    }
  };

  const killer = async () => {
    for (let round = 0; round < ROUNDS; ++round) {
      await sleep(KILL_EVERY_MS - DOWN_MS);
      // Every other round the routing leader, else the next node in turn.
      let i = round % NODES;
      if (round % 2 === 0) {
        // A leader within seconds of the last kill: the lease failed over.
        await until(async () => {
          for (let j = 0; j < NODES; ++j) if (await leads(nodes[j]).catch(() => false)) return (i = j), true;
          return false;
        }, 'a routing leader', 10000);
        stats.leaderKills++;
      }
      await nodes[i].kill9();
      stats.kills++;
      await sleep(DOWN_MS);
      nodes[i] = await startNode(i);
    }
  };

  const rolling = async () => {
    for (let i = 0; i < NODES; ++i) {
      await nodes[i].stop({ keepData: true });  // SIGTERM: drains, then exits
      stats.rollingRestarts++;
      nodes[i] = await startNode(i);
      await sleep(1000);
    }
  };

  const traffic = Promise.all([...agents.map(claimer), ...Array.from({ length: VISITORS }, visitor)]);
  await killer();
  await rolling();
  running = false;
  await traffic;

  // Every acknowledged message exactly once; seq gap-free.
  const ids = conversations.join(',');
  const dups = sql(`SELECT client_id FROM event WHERE conversation_id IN (${ids}) AND client_id <> ''
                    GROUP BY conversation_id, client_id HAVING count(*) > 1`);
  assert.equal(dups, '', 'duplicated client ids');
  for (const [id, cids] of acked) {
    const stored = new Set(sql(`SELECT client_id FROM event WHERE conversation_id = ${id}`).split('\n'));
    const lost = cids.filter((c) => !stored.has(c));
    assert.deepEqual(lost, [], `conversation ${id}: acknowledged messages missing`);
    const seqs = sql(`SELECT seq FROM event WHERE conversation_id = ${id} ORDER BY seq`).split('\n').map(Number);
    assert.deepEqual(seqs, seqs.map((_s, k) => k + 1), `conversation ${id}: seq has a gap`);
    assert.equal(Number(sql(`SELECT last_seq FROM conversation WHERE id = ${id}`)), seqs.length);
  }
  // Nobody requeues here: one "joined" per conversation at most, by its assignee.
  const joins = sql(`SELECT conversation_id, count(*) FROM event WHERE conversation_id IN (${ids})
                     AND kind = 'system' AND notice->>'code' = 'joined' GROUP BY conversation_id HAVING count(*) > 1`);
  const history = joins && sql(`SELECT conversation_id, seq, author_name, notice FROM event
    WHERE conversation_id IN (${joins.split('\n').map((l) => l.split('|')[0]).join(',')})
    AND kind = 'system' ORDER BY conversation_id, seq`);
  assert.equal(joins, '', 'a conversation was assigned twice:\n' + history);
  const assigned = Number(sql(`SELECT count(*) FROM conversation WHERE id IN (${ids}) AND assignee_id IS NOT NULL`));
  const joinedOnce = Number(sql(`SELECT count(DISTINCT conversation_id) FROM event WHERE conversation_id IN (${ids})
                                 AND kind = 'system' AND notice->>'code' = 'joined'`));
  assert.equal(assigned, joinedOnce);
  const over = sql(`SELECT assignee_id FROM conversation WHERE id IN (${ids}) AND status = 'open'
                    AND assignee_id IS NOT NULL GROUP BY assignee_id HAVING count(*) > ${CAPACITY}`);
  assert.equal(over, '', 'an agent above capacity');
  assert.ok(stats.kills === ROUNDS && stats.leaderKills === ROUNDS / 2, JSON.stringify(stats));
  assert.ok(assigned > 0 && stats.acked > 100, JSON.stringify(stats));
  console.log(JSON.stringify({ nodes: NODES, conversations: conversations.length, assigned, ...stats,
    lost: 0, duplicated: 0, double_assigned: 0 }));
  // And the cluster is whole again: every node ready.
  for (const n of nodes) await until(async () => (await fetch(n.url + '/readyz')).status === 200, 'ready', 15000);
});
