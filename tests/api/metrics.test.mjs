// /metrics: the queue per inbox (waiting, oldest wait), offers outstanding, the
// group-commit write latency, writes in flight, and the node label — present,
// and moving with what happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, DEMO, uuid, until, sleep, request } from '../lib/server.mjs';

// Prometheus text -> Map of 'name{labels}' -> number (labels as written).
function parse(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}
const scrape = async (url) => parse((await request(url, '/metrics')).text);

test('queues, offers and write latency appear and move; every series carries the node', async () => {
  const server = await startServer({ args: ['--routing-tick-ms', '50', '--node-id', 'node-7'] });
  try {
    const admin = await loginAgent(server.url, DEMO.admin);
    const anna = await loginAgent(server.url, DEMO.anna);
    const inbox = (await admin.call('/api/v1/inboxes')).json.inboxes.find((i) => i.public_key === 'demo');
    const ws = 1;  // the demo workspace, the first in a fresh data directory
    const key = `{node="node-7",workspace="${ws}",inbox="${inbox.id}"}`;
    const r = await admin.call(`/api/v1/inboxes/${inbox.id}`, { method: 'PATCH',
      body: { routing: { mode: 'offer', offer_timeout_s: 30, rules: [],
        fallback: { widen_skills_after_s: null, widen_team_after_s: null, overflow_after_s: null } } } });
    assert.equal(r.status, 200, r.text);

    let m = await scrape(server.url);
    assert.equal(m.get('switchboard_node_info{node="node-7"}'), 1);
    for (const [series] of m) assert.match(series, /node="node-7"/, `${series} carries the node`);
    const writesBefore = m.get('switchboard_db_write_latency_ms_count{node="node-7"}');
    assert.ok(writesBefore >= 0);
    assert.equal(m.get('switchboard_db_writes_in_flight{node="node-7"}'), 0);
    assert.equal(m.get('switchboard_draining{node="node-7"}'), 0);

    // Nobody online: a new chat waits, and its wait grows.
    const visitor = await newVisitor(server.url);
    const conv = (await visitor.startChat({ language: 'en' })).json;
    m = await until(async () => {
      const s = await scrape(server.url);
      return s.get(`switchboard_queue_waiting${key}`) === 1 ? s : null;
    }, 'the chat counted as waiting');
    await sleep(1100);
    m = await scrape(server.url);
    assert.ok(m.get(`switchboard_queue_oldest_wait_seconds${key}`) >= 1, 'the oldest wait grows');
    assert.equal(m.get(`switchboard_offers_outstanding{node="node-7",workspace="${ws}"}`), 0);

    // Messages over the fast path are timed from the writer's queue to COMMIT.
    for (let i = 0; i < 5; i++) {
      const res = await visitor.call(`/api/v1/widget/conversations/${conv.id}/messages`, {
        method: 'POST', body: { client_id: uuid(), body: 'still there? ' + i } });
      assert.equal(res.status, 201, res.text);
    }
    m = await scrape(server.url);
    assert.ok(m.get('switchboard_db_write_latency_ms_count{node="node-7"}') >= writesBefore + 5, 'writes counted');
    assert.ok(m.get('switchboard_db_write_latency_ms_sum{node="node-7"}') > 0);
    assert.equal(m.get('switchboard_db_write_latency_ms_bucket{node="node-7",le="+Inf"}'),
      m.get('switchboard_db_write_latency_ms_count{node="node-7"}'));
    // The full-text index takes them within moments, without a search.
    await until(async () => {
      const s = await scrape(server.url);
      return s.get('switchboard_search_index_behind{node="node-7"}') === 0
        && s.get('switchboard_search_index_building{node="node-7"}') === 0;
    }, 'the search index caught up');

    // Anna comes online: the chat is offered to her, so it leaves the queue.
    const annaWs = anna.ws();
    await annaWs.opened;
    assert.equal((await anna.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } })).status, 200);
    await annaWs.next((f) => f.type === 'offer' && f.conversation.id === conv.id);
    m = await until(async () => {
      const s = await scrape(server.url);
      return s.get(`switchboard_offers_outstanding{node="node-7",workspace="${ws}"}`) === 1 ? s : null;
    }, 'the offer counted');
    assert.equal(m.get(`switchboard_queue_waiting${key}`), 0);
    assert.equal(m.get(`switchboard_queue_oldest_wait_seconds${key}`), 0);

    // Accepted: no offer outstanding.
    const accepted = await anna.call(`/api/v1/conversations/${conv.id}/accept`, { method: 'POST', body: {} });
    assert.equal(accepted.status, 200, accepted.text);
    m = await scrape(server.url);
    assert.equal(m.get(`switchboard_offers_outstanding{node="node-7",workspace="${ws}"}`), 0);
    annaWs.close();
  } finally {
    await server.stop();
  }
});

test('without --node-id the series carry no node label', async () => {
  const server = await startServer({ demo: false });
  try {
    const text = (await request(server.url, '/metrics')).text;
    assert.match(text, /^switchboard_node_info 1$/m);
    assert.match(text, /^switchboard_triage_queued_total \d+$/m);
    assert.doesNotMatch(text, /node="/);
    assert.match(text, /^# TYPE switchboard_db_write_latency_ms histogram$/m);
  } finally {
    await server.stop();
  }
});
