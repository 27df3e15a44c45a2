// Reports (Q3) over the API: figures from a few chats made here (taken,
// answered, closed, rated; one left unanswered), per day in the reader's zone,
// per hour of week, channel and agent; the drill-down to the conversations, the
// CSV of each, the live queue; bad parameters answered with their field; agents
// refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, loginAgent, newVisitor, DEMO, sleep } from '../lib/server.mjs';

let server, admin, anna, t0;
const made = {};

async function start() {
  const v = await newVisitor(server.url);
  const r = await v.startChat({ name: 'Giulia Bianchi' });
  assert.equal(r.status, 201, r.text);
  return { v, id: r.json.id };
}
const post = (who, path, body) => who.call(path, { method: 'POST', body });

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  await sleep(5);
  t0 = Date.now();
  // Answered and closed by Anna, rated 3 of 3.
  made.answered = await start();
  const id = made.answered.id;
  assert.equal((await post(anna, `/api/v1/conversations/${id}/assign`, {})).status, 200);
  await sleep(30);
  const reply = await post(anna, `/api/v1/conversations/${id}/messages`, { client_id: randomUUID(), body: 'Eccomi!' });
  assert.equal(reply.status, 201, reply.text);
  assert.equal((await post(anna, `/api/v1/conversations/${id}/close`)).status, 200);
  const rated = await made.answered.v.call(`/api/v1/widget/conversations/${id}/rating`, { method: 'POST', body: { score: 3 } });
  assert.equal(rated.status, 200, rated.text);
  // Nobody answered; closed.
  made.left = await start();
  assert.equal((await post(admin, `/api/v1/conversations/${made.left.id}/close`)).status, 200);
  // Still waiting.
  made.waiting = await start();
});
after(async () => { await server.stop(); });

const q = (extra = '') => `?from=${t0}&to=${Date.now() + 1000}${extra}`;

test('the summary counts what happened, with the times measured', async () => {
  const r = await admin.call('/api/v1/reports/summary' + q());
  assert.equal(r.status, 200, r.text);
  const s = r.json;
  assert.equal(s.conversations, 3);
  assert.equal(s.open, 1);
  assert.equal(s.closed, 2);
  assert.equal(s.first_response.n, 1);
  assert.ok(s.first_response.median_ms >= 30, JSON.stringify(s.first_response));
  assert.equal(s.wait.n, 1);
  assert.equal(s.handle.n, 1);
  assert.equal(s.abandoned, 1);
  assert.equal(s.abandonment_rate, 0.5);
  assert.equal(s.rated, 1);
  assert.equal(s.csat, 1);
  assert.equal(s.truncated, false);

  // Filtered: Anna's conversations only; an e-mail filter finds none of these chats.
  const annas = (await admin.call('/api/v1/reports/summary' + q(`&agent_id=${anna.agent.id}`))).json;
  assert.equal(annas.conversations, 1);
  assert.equal((await admin.call('/api/v1/reports/summary' + q('&channel=email'))).json.conversations, 0);
});

test('days in the reader zone, the hour-of-week map, channels and the agent ranking', async () => {
  const days = (await admin.call('/api/v1/reports/daily' + q('&tz=Europe/Rome'))).json;
  assert.equal(days.tz, 'Europe/Rome');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date(t0));
  assert.equal(days.days.at(-1).date, new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()));
  assert.equal(days.days[0].date, today);
  assert.equal(days.days.reduce((n, d) => n + d.conversations, 0), 3);

  const map = (await admin.call('/api/v1/reports/heatmap' + q('&tz=Asia/Tokyo'))).json;
  assert.equal(map.hours.length, 7);
  assert.ok(map.hours.every((row) => row.length === 24));
  const tokyo = new Date(t0 + 9 * 3600e3);
  assert.ok(map.hours[tokyo.getUTCDay()][tokyo.getUTCHours()] >= 1, JSON.stringify(map.hours));
  assert.equal(map.hours.flat().reduce((a, b) => a + b, 0), 3);

  const channels = (await admin.call('/api/v1/reports/channels' + q())).json.channels;
  assert.deepEqual(channels.map((c) => [c.channel, c.conversations]), [['chat', 3]]);

  const agents = (await admin.call('/api/v1/reports/agents' + q())).json.agents;
  const row = agents.find((a) => a.agent_id === anna.agent.id);
  assert.ok(row, JSON.stringify(agents));
  assert.equal(row.rank, 1);
  assert.equal(row.agent_name, anna.agent.name);
  assert.equal(row.rated, 1);
  assert.ok(row.csat_lower > 0 && row.csat_lower < 1);
});

test('the drill-down lists the conversations behind a figure', async () => {
  const left = (await admin.call('/api/v1/reports/drill' + q('&metric=abandoned'))).json;
  assert.equal(left.total, 1);
  assert.equal(left.conversations[0].id, made.left.id);
  assert.equal(left.conversations[0].status, 'closed');
  const happy = (await admin.call('/api/v1/reports/drill' + q('&metric=rated_positive'))).json;
  assert.deepEqual(happy.conversations.map((c) => c.id), [made.answered.id]);
  assert.ok(happy.conversations[0].first_response_ms >= 30);
  const all = (await admin.call('/api/v1/reports/drill' + q())).json;
  assert.deepEqual(all.conversations.map((c) => c.id), [made.waiting.id, made.left.id, made.answered.id]);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(new Date(t0));
  const cell = new Date(t0);
  const inCell = (await admin.call('/api/v1/reports/drill' + q(`&day=${day}&weekday=${cell.getUTCDay()}&hour=${cell.getUTCHours()}`))).json;
  assert.ok(inCell.conversations.some((c) => c.id === made.answered.id));
});

test('every report is a CSV too, cells safe for spreadsheets', async () => {
  for (const name of ['summary', 'daily', 'heatmap', 'channels', 'agents', 'drill']) {
    const r = await admin.call(`/api/v1/reports/${name}` + q('&format=csv'));
    assert.equal(r.status, 200, `${name}: ${r.text}`);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="\w+\.csv"/);
    const lines = r.text.trim().split('\r\n');
    assert.ok(lines.length >= 2, `${name}: ${r.text}`);
    assert.ok(lines.every((l) => l.startsWith('"')), name);
  }
  const summary = (await admin.call('/api/v1/reports/summary' + q('&format=csv'))).text.split('\r\n');
  const head = summary[0].split(',').map((c) => c.replaceAll('"', ''));
  const values = summary[1].split(',').map((c) => c.replaceAll('"', ''));
  assert.equal(values[head.indexOf('conversations')], '3');
  assert.equal(values[head.indexOf('abandoned')], '1');
});

test('the live dashboard shows the queue now and today so far', async () => {
  const r = await admin.call('/api/v1/reports/live?tz=Europe/Rome');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.waiting >= 1);
  assert.ok(r.json.longest_wait_ms >= 0);
  assert.ok(r.json.today.conversations >= 3);
  const me = r.json.agents.find((a) => a.id === anna.agent.id);
  assert.ok(me && typeof me.status === 'string');
});

test('bad parameters name their field; agents may not read reports', async () => {
  for (const [path, field] of [
    ['/api/v1/reports/summary?tz=Mars/Olympus', 'tz'],
    ['/api/v1/reports/summary?channel=pigeon', 'channel'],
    ['/api/v1/reports/summary?from=tomorrow', 'from'],
    ['/api/v1/reports/summary?from=20&to=10', 'from'],
    ['/api/v1/reports/agents?inbox_id=x', 'inbox_id'],
    ['/api/v1/reports/drill?metric=everything', 'metric'],
    ['/api/v1/reports/drill?day=5-12-2026', 'day'],
    ['/api/v1/reports/drill?weekday=3', 'hour'],
    ['/api/v1/reports/drill?weekday=9&hour=1', 'weekday'],
    ['/api/v1/reports/live?tz=Nowhere', 'tz'],
  ]) {
    const r = await admin.call(path);
    assert.equal(r.status, 422, `${path}: ${r.text}`);
    assert.ok(r.json.error.fields[field], `${path}: ${r.text}`);
  }
  const refused = await anna.call('/api/v1/reports/summary');
  assert.equal(refused.status, 403);
});
