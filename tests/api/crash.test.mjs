// kill -9 the server while clients send; restart; every acknowledged message is
// there exactly once, logs are gap-free, and retried messages are not doubled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newVisitor, uuid, FLOOD_LIMITS } from '../lib/server.mjs';

test('acknowledged messages survive kill -9 exactly once', async () => {
  let server = await startServer({ limits: FLOOD_LIMITS });
  const visitors = await Promise.all(Array.from({ length: 8 }, () => newVisitor(server.url)));
  const convs = await Promise.all(visitors.map(async (v) => (await v.startChat()).json));
  const acked = convs.map(() => new Set());
  const attempted = convs.map(() => []);
  let killed = false;

  const sender = async (i) => {
    while (!killed) {
      const id = uuid();
      attempted[i].push(id);
      try {
        const r = await visitors[i].call(`/api/v1/widget/conversations/${convs[i].id}/messages`, {
          method: 'POST', body: { client_id: id, body: 'message ' + id } });
        if (r.status === 201 || r.status === 200) acked[i].add(id);
      } catch { /* the connection died with the server: not acknowledged */ }
    }
  };
  const senders = convs.map((_, i) => sender(i));
  await new Promise((r) => setTimeout(r, 1500));
  killed = true;
  await server.kill9();
  await Promise.all(senders);
  const totalAcked = acked.reduce((n, s) => n + s.size, 0);
  assert.ok(totalAcked > 50, `expected traffic before the kill, got ${totalAcked}`);

  server = await startServer({ dataDir: server.dataDir, demo: true, port: server.port, limits: FLOOD_LIMITS });
  try {
    for (let i = 0; i < convs.length; i++) {
      // The widget's outbox re-sends everything not acknowledged, with the same ids.
      for (const id of attempted[i].filter((x) => !acked[i].has(x)))
        await visitors[i].call(`/api/v1/widget/conversations/${convs[i].id}/messages`, {
          method: 'POST', body: { client_id: id, body: 'message ' + id } });
      const events = (await visitors[i].call(`/api/v1/widget/conversations/${convs[i].id}/events?after=0`)).json.events;
      assert.deepEqual(events.map((e) => e.seq), events.map((_, k) => k + 1), 'gap-free seq');
      const counts = new Map();
      for (const e of events) counts.set(e.client_id, (counts.get(e.client_id) || 0) + 1);
      for (const id of acked[i]) assert.equal(counts.get(id), 1, `acked ${id} present exactly once`);
      for (const id of attempted[i]) assert.equal(counts.get(id), 1, `retried ${id} present exactly once`);
    }
  } finally {
    await server.stop();
  }
});
