// Two switchboard nodes on one shared SQLite file, joined by a real nats-server
// (tests/bus/natsserver.sh): a visitor on one node and an agent on the other
// chat in real time; NATS restarts mid-conversation and nothing is lost; the
// routing leader is killed with -9 and the other node takes over routing.
//
// A shared SQLite file is a test and development arrangement (one host, WAL
// across processes); a production cluster runs on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { loginAgent, newVisitor, freshDataDir, DEMO, uuid, until, sleep } from '../lib/server.mjs';
import { startNats, stopNats, startNode as clusterNode, leads } from '../lib/cluster.mjs';

const LEASE_MS = 1500;

let nats, dataDir, nodeA, nodeB, adminA;
const nodes = () => [nodeA, nodeB].filter((n) => n.proc.exitCode === null && n.proc.signalCode === null);

const startNode = (name, demo = true) => clusterNode({ dataDir, nats, name, demo, leaseMs: LEASE_MS });

const isEvent = (conv, seq) => (f) => f.type === 'event' && f.event.conversation_id === conv && f.event.seq === seq;
const post = (who, path, body = {}) => who.call(path, { method: 'POST', body });
const metric = async (node, name) => {
  const text = await (await fetch(node.url + '/metrics')).text();
  return text.split('\n').filter((l) => l.startsWith(name));
};

before(async () => {
  nats = startNats();
  dataDir = freshDataDir();
  nodeA = await startNode('node-a');  // seeds the demo workspace
  nodeB = await startNode('node-b');
  adminA = await loginAgent(nodeA.url, DEMO.admin);
  const inbox = (await adminA.call('/api/v1/inboxes')).json.inboxes.find((i) => i.public_key === 'demo');
  const routing = { mode: 'offer', offer_timeout_s: 30, rules: [],
    fallback: { widen_skills_after_s: null, widen_team_after_s: null, overflow_after_s: null } };
  const r = await adminA.call(`/api/v1/inboxes/${inbox.id}`, { method: 'PATCH', body: { routing } });
  assert.equal(r.status, 200, r.text);
  const marek = await loginAgent(nodeA.url, DEMO.marek);
  await marek.call('/api/v1/me/status', { method: 'PUT', body: { status: 'away' } });
});

after(async () => {
  for (const n of [nodeA, nodeB]) if (n) await n.stop({ keepData: true });
  if (nats) stopNats(nats);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// Anna on `agentNode` is online with a console open; a visitor on `visitorNode`
// starts a chat; the offer reaches her and she accepts it on her node.
async function offeredAndAccepted(visitorNode, agentNode) {
  const anna = await loginAgent(agentNode.url, DEMO.anna);
  assert.equal((await anna.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } })).status, 200);
  const annaWs = anna.ws();
  await annaWs.opened;
  const v = await newVisitor(visitorNode.url);
  const conv = (await v.startChat({ language: 'en' })).json;
  const offer = await annaWs.next((f) => f.type === 'offer' && f.conversation.id === conv.id, 10000);
  assert.ok(offer.expires_at > Date.now());
  const accepted = await post(anna, `/api/v1/conversations/${conv.id}/accept`);
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.json.assignee.id, anna.agent.id);
  return { anna, annaWs, v, conv };
}

test('both nodes serve and report the bus', { timeout: 20000 }, async () => {
  for (const n of nodes()) {
    const ready = await until(async () => {
      const r = await fetch(n.url + '/readyz');
      return r.status === 200 && (await r.json());
    }, 'ready with the bus', 10000);
    assert.equal(ready.checks.bus.status, 'ok', JSON.stringify(ready));
    assert.deepEqual(await metric(n, 'switchboard_bus_connected'), ['switchboard_bus_connected{node="' +
      (n === nodeA ? 'node-a' : 'node-b') + '"} 1']);
  }
  // Exactly one node leads the demo workspace's routing.
  await until(async () => (await leads(nodeA)) !== (await leads(nodeB)), 'one routing leader', 10000);
});

test('a visitor on one node and an agent on the other chat in real time', { timeout: 30000 }, async () => {
  // The agent is on the node that does not route: the offer crosses the bus,
  // and her accept is asked of the leader, which holds the offer.
  const [leader, follower] = (await leads(nodeA)) ? [nodeA, nodeB] : [nodeB, nodeA];
  const { annaWs, v, conv } = await offeredAndAccepted(leader, follower);
  const visitorWs = v.ws();
  await visitorWs.opened;
  annaWs.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  visitorWs.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  await annaWs.next(isEvent(conv.id, 1));
  // The assignment's notice was committed on the leader; both sides see it.
  const joined = await visitorWs.next((f) => f.type === 'event' && f.event.kind === 'system' &&
    /joined/.test(f.event.body));
  const base = joined.event.seq;

  visitorWs.send({ type: 'typing', conversation_id: conv.id, typing: true });
  const typing = await annaWs.next((f) => f.type === 'typing' && f.conversation_id === conv.id);
  assert.deepEqual([typing.who, typing.typing], ['visitor', true]);
  annaWs.send({ type: 'typing', conversation_id: conv.id, typing: true });
  const annaTyping = await visitorWs.next((f) => f.type === 'typing' && f.who === 'agent');
  assert.equal(annaTyping.name, 'Anna Rossi');

  visitorWs.send({ type: 'send', conversation_id: conv.id, client_id: uuid(), body: 'Where is my parcel?' });
  const got = await annaWs.next(isEvent(conv.id, base + 1));
  assert.equal(got.event.body, 'Where is my parcel?');
  annaWs.send({ type: 'send', conversation_id: conv.id, client_id: uuid(), body: 'On its way.' });
  const reply = await visitorWs.next(isEvent(conv.id, base + 2));
  assert.equal(reply.event.body, 'On its way.');
  assert.equal(reply.event.author.name, 'Anna Rossi');

  visitorWs.send({ type: 'receipt', conversation_id: conv.id, delivered_seq: base + 2, read_seq: base + 2 });
  const receipt = await annaWs.next((f) => f.type === 'receipt' && f.who === 'visitor' && f.read_seq === base + 2);
  assert.equal(receipt.delivered_seq, base + 2);
  // Anna's conversation list on node B follows the conversation committed on A.
  await annaWs.next((f) => f.type === 'conversation' && f.conversation.id === conv.id &&
    f.conversation.assignee?.id !== undefined);
  const doorbells = await metric(follower, 'switchboard_bus_doorbells_total');
  assert.ok(Number(doorbells[0].split(' ')[1]) > 0, doorbells.join());
  annaWs.close();
  visitorWs.close();
  await post(adminA, `/api/v1/conversations/${conv.id}/close`);
});

test("the supervisor's live view is the same on every node: agents connected elsewhere, the leader's offers", { timeout: 30000 }, async () => {
  const [leader, follower] = (await leads(nodeA)) ? [nodeA, nodeB] : [nodeB, nodeA];
  const anna = await loginAgent(follower.url, DEMO.anna);
  assert.equal((await anna.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } })).status, 200);
  const annaWs = anna.ws();
  await annaWs.opened;
  const v = await newVisitor(leader.url);
  const conv = (await v.startChat({ language: 'en' })).json;
  await annaWs.next((f) => f.type === 'offer' && f.conversation.id === conv.id, 10000);
  for (const node of [leader, follower]) {
    const admin = node === nodeA ? adminA : await loginAgent(node.url, DEMO.admin);
    // Her console is open on the follower only; the offer is in the leader's memory.
    const live = await until(async () => {
      const r = await admin.call('/api/v1/supervisor/live');
      assert.equal(r.status, 200, r.text);
      const her = r.json.agents.find((a) => a.id === anna.agent.id);
      return her.connected && r.json.offers.some((o) => o.conversation_id === conv.id) && r.json;
    }, `live view on ${node === leader ? 'the leader' : 'the follower'}`, 8000);
    const offer = live.offers.find((o) => o.conversation_id === conv.id);
    assert.equal(offer.agent_id, anna.agent.id);
    // The admin has no console open anywhere: not connected.
    assert.equal(live.agents.find((a) => a.id === admin.agent.id).connected, false);
  }
  assert.equal((await post(anna, `/api/v1/conversations/${conv.id}/decline`)).status, 200);
  annaWs.close();
  await post(adminA, `/api/v1/conversations/${conv.id}/close`);
});

test('NATS restarts mid-conversation and nothing is lost', { timeout: 60000 }, async () => {
  const { annaWs, v, conv } = await offeredAndAccepted(nodeA, nodeB);
  const visitorWs = v.ws();
  await visitorWs.opened;
  annaWs.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  visitorWs.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  const joined = await annaWs.next((f) => f.type === 'event' && f.event.kind === 'system' && /joined/.test(f.event.body));
  const base = joined.event.seq;
  await visitorWs.next(isEvent(conv.id, base));

  stopNats(nats);
  for (const n of nodes()) {
    await until(async () => (await fetch(n.url + '/readyz')).status === 503, 'not ready without the bus', 10000);
  }
  // Both sides keep writing while the bus is down: each write is committed on its node.
  const sent = [];
  for (let i = 0; i < 3; i++) {
    const body = `visitor message ${i} while NATS is down`;
    visitorWs.send({ type: 'send', conversation_id: conv.id, client_id: uuid(), body });
    sent.push((await visitorWs.next((f) => f.type === 'ack' && f.event.body === body)).event.seq);
    if (i > 0) {
      // Her reply before it, committed on the other node, never rang here: the
      // seq skipped by the visitor's own message is read from the database.
      await visitorWs.next(isEvent(conv.id, sent.at(-2)), 5000);
    }
    const reply = `agent reply ${i} while NATS is down`;
    annaWs.send({ type: 'send', conversation_id: conv.id, client_id: uuid(), body: reply });
    sent.push((await annaWs.next((f) => f.type === 'ack' && f.event.body === reply)).event.seq);
    await annaWs.next(isEvent(conv.id, sent.at(-2)), 5000);  // the visitor's, likewise
  }
  await sleep(500);
  nats = startNats(nats.port);  // the same port: the nodes reconnect on their own

  for (const n of nodes()) {
    await until(async () => (await fetch(n.url + '/readyz')).status === 200, 'ready again', 15000);
    const reconnects = await metric(n, 'switchboard_bus_reconnects_total');
    assert.ok(Number(reconnects[0].split(' ')[1]) >= 1, reconnects.join());
  }
  // Each side got every event of the other, in order and without gaps.
  const last = Math.max(...sent);
  for (const ws of [annaWs, visitorWs]) {
    await ws.next(isEvent(conv.id, last), 15000);
    const seqs = ws.frames.filter((f) => f.type === 'event' && f.event.conversation_id === conv.id)
      .map((f) => f.event.seq);
    const expected = Array.from({ length: last }, (_, i) => i + 1);
    assert.deepEqual(seqs.filter((s, i) => seqs.indexOf(s) === i), expected);
  }
  // And the bus carries live traffic again.
  visitorWs.send({ type: 'send', conversation_id: conv.id, client_id: uuid(), body: 'back online?' });
  assert.equal((await annaWs.next(isEvent(conv.id, last + 1), 10000)).event.body, 'back online?');
  annaWs.close();
  visitorWs.close();
  await post(adminA, `/api/v1/conversations/${conv.id}/close`);
});

test('kill -9 of the routing leader: the other node routes within seconds', { timeout: 60000 }, async () => {
  await until(async () => (await leads(nodeA)) || (await leads(nodeB)), 'a leader', 10000);
  const [leader, survivor] = (await leads(nodeA)) ? [nodeA, nodeB] : [nodeB, nodeA];
  await leader.kill9();
  const killedAt = Date.now();
  await until(() => leads(survivor), 'the survivor takes the lease', 10000);
  const tookMs = Date.now() - killedAt;
  assert.ok(tookMs < LEASE_MS + 3000, `took over after ${tookMs} ms`);

  // It decides: a new chat is offered to an agent and accepted on the survivor.
  const { annaWs, conv } = await offeredAndAccepted(survivor, survivor);
  annaWs.close();
  await post(adminA, `/api/v1/conversations/${conv.id}/close`).catch(() => {});

  // The killed node comes back and follows, without taking the lease.
  const back = await startNode(leader === nodeA ? 'node-a' : 'node-b', false);
  if (leader === nodeA) nodeA = back;
  else nodeB = back;
  await sleep(LEASE_MS * 2);
  assert.equal(await leads(back), false);
  assert.equal(await leads(survivor), true);
});
