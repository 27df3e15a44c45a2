// PostgreSQL crashes (immediate stop: connections cut, no checkpoint) and comes
// back 2 s later while two nodes take messages. Requests in the gap fail with an
// error the client resends (same client id); the nodes reconnect by themselves;
// afterwards every acknowledged message exists exactly once with gap-free seq,
// and both nodes are ready again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { BIN, FLOOD_LIMITS, freshDataDir, newVisitor, sleep, startServer, until } from '../lib/server.mjs';
import { startNats, stopNats } from '../lib/cluster.mjs';
import { startPgServer } from '../lib/pgserver.mjs';

const VISITORS = 6;
const RUN_MS = 10000;
const CRASH_AT_MS = 3000;
const DOWN_S = 2;

let pg, database, nats, dataDir;
const nodes = [];

before(async () => {
  pg = startPgServer({ durable: true });  // an acknowledged COMMIT survives the crash
  database = pg.createDatabase();
  execFileSync(BIN, ['migrate', '--database', pg.url(database)]);
  nats = startNats();
  dataDir = freshDataDir();
  for (let i = 0; i < 2; ++i) {
    nodes.push(await startServer({
      dataDir, demo: i === 0, limits: FLOOD_LIMITS,
      args: ['--database', pg.url(database), '--bus', nats.url, '--node-id', `node-${i}`, '--lease-ms', '1000'],
    }));
  }
});

after(async () => {
  for (const n of nodes) await n.stop({ keepData: true });
  if (nats) stopNats(nats);
  pg?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('PostgreSQL restarts mid-run: errors are resent, nothing acknowledged is lost, the nodes reconnect', { timeout: 90000 }, async () => {
  const started = Date.now();
  const end = started + RUN_MS;
  const acked = new Map();
  const failures = { during: 0, total: 0 };
  let back = Infinity;  // when PostgreSQL was up again
  let ackedAfter = 0;
  const notReady = new Set();

  const visitor = async (k) => {
    const node = nodes[k % nodes.length];
    const v = await newVisitor(node.url);
    const conv = (await v.startChat({ client_id: randomUUID() })).json;
    acked.set(conv.id, []);
    while (Date.now() < end) {
      const cid = randomUUID();
      for (;;) {  // resend the same message until the store takes it
        let status = 0;
        try {
          status = (await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, {
            method: 'POST', body: { client_id: cid, body: `to ${node.url} at ${Date.now()}` } })).status;
        } catch {
          status = 0;
        }
        if (status === 200 || status === 201) break;
        assert.ok(status === 0 || status >= 500, `unexpected ${status}`);
        failures.total++;
        if (Date.now() < back) failures.during++;
        if (Date.now() > end + 30000) throw new Error('writes did not resume');
        await sleep(100);
      }
      acked.get(conv.id).push(cid);
      if (Date.now() > back) ackedAfter++;
      await sleep(20);
    }
  };

  const crash = async () => {
    await sleep(CRASH_AT_MS);
    const restarted = pg.restart(DOWN_S);
    // While it is down, /readyz says so (each node re-checks every moment).
    let up = false;
    restarted.finally(() => (up = true));
    while (!up) {
      for (const [i, n] of nodes.entries()) {
        const r = await fetch(n.url + '/readyz').catch(() => undefined);
        if (r && r.status === 503) notReady.add(i);
      }
      await sleep(200);
    }
    await restarted;
    back = Date.now();
  };

  await Promise.all([crash(), ...Array.from({ length: VISITORS }, (_x, k) => visitor(k))]);

  assert.ok(failures.during > 0, 'the outage was felt');
  assert.ok(ackedAfter > 0, 'writes resumed after the restart');
  assert.deepEqual([...notReady].sort(), [0, 1], '/readyz said not ready while PostgreSQL was down');
  for (const [id, cids] of acked) {
    const rows = pg.psql(database, `SELECT client_id FROM event WHERE conversation_id = ${id}`).split('\n');
    const counts = new Map();
    for (const c of rows) counts.set(c, (counts.get(c) ?? 0) + 1);
    for (const c of cids) assert.equal(counts.get(c), 1, `conversation ${id}: message ${c}`);
    const seqs = pg.psql(database, `SELECT seq FROM event WHERE conversation_id = ${id} ORDER BY seq`)
      .split('\n').map(Number);
    assert.deepEqual(seqs, seqs.map((_s, k) => k + 1), `conversation ${id}: seq has a gap`);
  }
  for (const n of nodes) await until(async () => (await fetch(n.url + '/readyz')).status === 200, 'ready', 15000);
  console.log(JSON.stringify({ messages: [...acked.values()].reduce((a, c) => a + c.length, 0),
    failed_and_resent: failures.total, acked_after_restart: ackedAfter }));
});
