// POST /api/v1/simulate: the staffing simulator for admins, same JSON as `switchboard simulate --json`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, request, loginAgent, DEMO } from '../lib/server.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const monday = readFileSync(join(repo, 'examples', 'scenarios', 'monday.json'), 'utf8');

const small = {
  seed: 3,
  day: { start_hour: 9, hours: 2 },
  arrivals: { chat: [20, 30] },
  handle_time: { chat: { distribution: 'exponential', mean_s: 300 } },
  agents: [{ name: 'Desk', count: 2, capacity: { chat: 2 } }],
};

let server, admin, anna;
before(async () => {
  server = await startServer();
  [admin, anna] = await Promise.all([loginAgent(server.url, DEMO.admin), loginAgent(server.url, DEMO.anna)]);
});
after(async () => { await server.stop(); });

test('an admin simulates a scenario and gets the JSON result', async () => {
  const res = await admin.call('/api/v1/simulate', { method: 'POST', body: monday });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.seed, 42);
  assert.equal(res.json.start_hour, 8);
  assert.equal(res.json.hours, 10);
  const chat = res.json.channels.find((c) => c.channel === 'chat');
  assert.ok(chat.arrived > 0 && chat.service_level > 0 && chat.service_level <= 1);
  const hourly = res.json.hourly.filter((h) => h.channel === 'chat');
  assert.equal(hourly.length, 10);
  assert.ok('erlang_c' in hourly[0] && 'sim' in hourly[0]);
  assert.equal(hourly[0].needed, undefined);
  assert.equal(res.json.agents.length, 12);
  // Same scenario and seed: the same result.
  const again = await admin.call('/api/v1/simulate', { method: 'POST', body: monday });
  assert.equal(again.text, res.text);
});

test('?find_agents=1 adds the agents Erlang C says are needed', async () => {
  const res = await admin.call('/api/v1/simulate?find_agents=1', { method: 'POST', body: small });
  assert.equal(res.status, 200, res.text);
  for (const h of res.json.hourly) assert.ok(h.needed && h.needed.agents >= 1, JSON.stringify(h));
});

test('only admins may simulate; signed-out callers get 401', async () => {
  const res = await anna.call('/api/v1/simulate', { method: 'POST', body: small });
  assert.equal(res.status, 403);
  const anon = await request(server.url, '/api/v1/simulate', { method: 'POST', body: small });
  assert.equal(anon.status, 401);
});

test('a bad scenario is a 400 naming the field', async () => {
  const bad = { ...small, agents: [{ name: 'Desk', capacity: { chat: 2 }, shift: { start: 9, end: 30 } }] };
  const res = await admin.call('/api/v1/simulate', { method: 'POST', body: bad });
  assert.equal(res.status, 400);
  assert.equal(res.json.error.code, 'bad_request');
  assert.match(res.json.error.message, /agents\[0\]\.shift\.end/);

  const typo = await admin.call('/api/v1/simulate', { method: 'POST', body: { ...small, capacty: 1 } });
  assert.equal(typo.status, 400);
  assert.match(typo.json.error.message, /capacty: unknown field/);

  const notJson = await admin.call('/api/v1/simulate', { method: 'POST', body: '{"day": ' });
  assert.equal(notJson.status, 400);
  assert.match(notJson.json.error.message, /not valid JSON/);
});

test('too much work is refused: a huge body is 413, too many customers 400', async () => {
  const big = JSON.stringify({ ...small, description: 'x'.repeat(300 * 1024) });
  const res = await admin.call('/api/v1/simulate', { method: 'POST', body: big });
  assert.equal(res.status, 413);

  const busy = { ...small, day: { start_hour: 0, hours: 100 }, arrivals: { chat: 5000 } };
  const tooMany = await admin.call('/api/v1/simulate', { method: 'POST', body: busy });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.json.error.message, /at most 200000/);
});

test('a run past the time limit is stopped with a 400; meanwhile others get 429', async () => {
  // Two agents for ~2,000 chats an hour and nobody gives up: the queue grows without end.
  const overloaded = {
    day: { start_hour: 0, hours: 100 }, arrivals: { chat: 1990 },
    handle_time: { chat: { distribution: 'exponential', mean_s: 300 } },
    agents: [{ name: 'Alone', count: 2, capacity: { chat: 3 } }],
  };
  const started = Date.now();
  const slow = admin.call('/api/v1/simulate', { method: 'POST', body: overloaded });
  await new Promise((r) => setTimeout(r, 500));
  const meanwhile = await admin.call('/api/v1/simulate', { method: 'POST', body: small });
  assert.equal(meanwhile.status, 429, meanwhile.text);
  const res = await slow;
  assert.equal(res.status, 400, res.text);
  assert.match(res.json.error.message, /longer than 5 s/);
  assert.ok(Date.now() - started < 15000);
  // The slot is free again.
  assert.equal((await admin.call('/api/v1/simulate', { method: 'POST', body: small })).status, 200);
});
