// Two switchboard nodes on one shared SQLite file and a real nats-server: only
// the node that holds the workspace's routing lease runs its SLA timer. A
// breach is escalated once, by the leader, while the other node's timer takes
// nothing (not even a refused duplicate); the policy was saved on the other
// node, so the leader also shows it re-reads settings saved elsewhere. Then the
// leader is killed with -9 and the survivor's timer takes over: a ticket
// written before it held the lease is escalated once the lease is its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { loginAgent, newVisitor, freshDataDir, DEMO, uuid, until, sleep } from '../lib/server.mjs';
import { metric, leads, leaderAndFollower as twoNodes, startNats, stopNats, startNode as clusterNode } from '../lib/cluster.mjs';

const LEASE_MS = 1500;

let nats, dataDir, nodeA, nodeB;

const startNode = (name, demo) => clusterNode({ dataDir, nats, name, demo, leaseMs: LEASE_MS });

const leaderAndFollower = () => twoNodes(nodeA, nodeB);

before(async () => {
  nats = startNats();
  dataDir = freshDataDir();
  nodeA = await startNode('node-a', true);  // seeds the demo workspace
  nodeB = await startNode('node-b', false);
});

after(async () => {
  for (const n of [nodeA, nodeB]) if (n) await n.stop({ keepData: true });
  if (nats) stopNats(nats);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function offlineTicket(node, inbox, message) {
  const v = await newVisitor(node.url, inbox.public_key);
  const r = await v.startChat({ kind: 'offline', email: `c.${uuid().slice(0, 8)}@example.com`, message });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const codes = async (agent, ticket) => (await agent.call(`/api/v1/conversations/${ticket.id}/events`)).json.events
  .map((e) => e.notice?.code).filter(Boolean);

// Waits for the timer's two escalations of a ticket, then checks each was taken once.
async function escalatedOnce(agent, ticket) {
  await until(async () => {
    const c = await codes(agent, ticket);
    return c.includes('sla_escalation') && c.includes('ticket_priority');
  }, 'the SLA escalations', 15000);
  await sleep(LEASE_MS);  // a second timer, if one ran, has had its chance
  const c = await codes(agent, ticket);
  assert.equal(c.filter((x) => x === 'ticket_priority').length, 1, c.join());
  assert.equal(c.filter((x) => x === 'sla_escalation').length, 1, c.join());
}

let inbox;

test('an SLA breach is escalated once, by the routing leader alone', { timeout: 60000 }, async () => {
  const [leader, follower] = await leaderAndFollower();
  const admin = await loginAgent(follower.url, DEMO.admin);
  inbox = (await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Hot ' + uuid().slice(0, 6) } })).json;
  // Two minutes to answer, at risk under five minutes left: at risk at once.
  const policy = await admin.call('/api/v1/sla-policies', { method: 'POST', body: {
    name: 'Hot line',
    when: { inboxes: [inbox.id] },
    targets: { first_response: { normal: 2, high: 3 } },
    at_risk: { percent: 0, minutes: 5 },
    escalations: [
      { metric: 'first_response', when: 'at_risk', action: 'raise_priority' },
      { metric: 'first_response', when: 'at_risk', action: 'notify_supervisor' },
    ],
    position: 0,
  } });
  assert.equal(policy.status, 201, policy.text);
  const before = { leader: await metric(leader, 'switchboard_sla_actions_total') };

  // Written on the follower: the leader's timer hears of it through the bus.
  const ticket = await offlineTicket(follower, inbox, 'The heating is off');
  await escalatedOnce(admin, ticket);
  assert.ok(await metric(leader, 'switchboard_sla_actions_total') >= before.leader + 2);
  assert.equal(await metric(follower, 'switchboard_sla_actions_total'), 0, 'the follower took nothing');
  assert.equal(await metric(follower, 'switchboard_sla_actions_refused_total'), 0,
    'the follower did not even try');
  assert.equal(await leads(leader), true, 'the lease did not move meanwhile');
});

test('kill -9 of the leader: the survivor runs the SLA timer', { timeout: 60000 }, async () => {
  const [leader, survivor] = await leaderAndFollower();
  const admin = await loginAgent(survivor.url, DEMO.admin);
  await leader.kill9();
  // Written while the dead leader's lease still runs: the survivor's timer skips
  // the workspace until the lease is its own, then looks at all of it.
  const ticket = await offlineTicket(survivor, inbox, 'Still no heating');
  await until(() => leads(survivor), 'the survivor takes the lease', 10000);
  await escalatedOnce(admin, ticket);
  assert.ok(await metric(survivor, 'switchboard_sla_actions_total') >= 2);
  assert.equal(await metric(survivor, 'switchboard_sla_actions_refused_total'), 0);
});
