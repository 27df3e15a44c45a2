// Satisfaction (Q2): the end-of-chat rating (1-3 by default, seed 004), its
// settings (1-5, thumbs, off), the agents' note, CSAT per agent ranked by the
// lower bound of its interval, the CSV, GDPR erasure of the comment, and every
// bad input answered with its field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, loginAgent, newVisitor, DEMO } from '../lib/server.mjs';

let server, admin, anna, marek;
const rating = (id) => `/api/v1/widget/conversations/${id}/rating`;

// A chat taken by `agent` (assigned by its first reply) and, unless `open`, closed.
async function chat(agent, { open = false, name = 'Giulia Bianchi', email } = {}) {
  const v = await newVisitor(server.url);
  const r = await v.startChat(email ? { name, email } : { name });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  const take = await agent.call(`/api/v1/conversations/${id}/assign`, { method: 'POST', body: {} });
  assert.equal(take.status, 200, take.text);
  const reply = await agent.call(`/api/v1/conversations/${id}/messages`, { method: 'POST', body: { client_id: randomUUID(), body: 'Ecco fatto!' } });
  assert.equal(reply.status, 201, reply.text);
  if (!open) assert.equal((await agent.call(`/api/v1/conversations/${id}/close`, { method: 'POST' })).status, 200);
  return { v, id };
}

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  marek = await loginAgent(server.url, DEMO.marek);
});
after(async () => { await server.stop(); });

test('a customer rates an ended chat 1-3 with a comment; agents see it as a note', async () => {
  const open = await chat(anna, { open: true });
  const early = await open.v.call(rating(open.id));
  assert.equal(early.status, 200, early.text);
  assert.deepEqual(early.json.survey, { enabled: true, scale: '3', comment: true });
  assert.equal(early.json.can_rate, false);
  const refused = await open.v.call(rating(open.id), { method: 'POST', body: { score: 3 } });
  assert.equal(refused.status, 409);
  assert.equal(refused.json.error.code, 'not_ended');

  const { v, id } = await chat(anna);
  assert.equal((await v.call(rating(id))).json.can_rate, true);
  const r = await v.call(rating(id), { method: 'POST', body: { score: 3, comment: ' Anna was <b>great</b>! ' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rating.score, 3);
  assert.equal(r.json.rating.positive, true);
  assert.equal(r.json.rating.comment, 'Anna was <b>great</b>!');
  // A mis-click is fixed within half an hour; the newest answer counts.
  const fixed = await v.call(rating(id), { method: 'POST', body: { score: 2, comment: 'Quick, but a bit short.' } });
  assert.equal(fixed.status, 200, fixed.text);
  assert.equal(fixed.json.rating.positive, false);
  assert.equal((await v.call(rating(id))).json.rating.score, 2);

  const events = (await anna.call(`/api/v1/conversations/${id}/events?after=0`)).json.events;
  const notes = events.filter((e) => e.notice?.code === 'chat_rating');
  assert.equal(notes.length, 2);
  assert.equal(notes[1].kind, 'note');
  assert.deepEqual(notes[1].notice.args, { score: 2, scale: '3', positive: false, comment: 'Quick, but a bit short.' });
  // The note is the agents': the customer's own view has no trace of it.
  const theirs = (await v.call(`/api/v1/widget/conversations/${id}/events?after=0`)).json.events;
  assert.ok(!theirs.some((e) => e.notice?.code === 'chat_rating'));
  // Rating is no message: the chat stays ended.
  assert.equal((await anna.call(`/api/v1/conversations/${id}`)).json.conversation.status, 'closed');
});

test('bad ratings are refused with the field; another visitor cannot rate', async () => {
  const { v, id } = await chat(marek);
  for (const [body, field] of [
    [{}, 'score'],
    [{ score: 0 }, 'score'],
    [{ score: 4 }, 'score'],
    [{ score: '3' }, 'score'],
    [{ score: 3, comment: 'x'.repeat(1001) }, 'comment'],
    [{ score: 3, comment: 5 }, 'comment'],
  ]) {
    const r = await v.call(rating(id), { method: 'POST', body });
    assert.equal(r.status, 422, JSON.stringify(body).slice(0, 60));
    assert.ok(r.json.error.fields[field], r.text);
  }
  assert.equal((await v.call(rating(id))).json.rating, null);  // nothing saved
  const stranger = await newVisitor(server.url);
  assert.equal((await stranger.call(rating(id), { method: 'POST', body: { score: 3 } })).status, 404);
  assert.equal((await v.call(rating(999999), { method: 'POST', body: { score: 3 } })).status, 404);
  const raw = await fetch(server.url + rating(id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"score":3}' });
  assert.equal(raw.status, 401);
});

test('admins choose 1-5, thumbs or off; CSAT counts the top of each scale', async () => {
  assert.equal((await anna.call('/api/v1/settings/survey', { method: 'PUT', body: { chat: { scale: '5' } } })).status, 403);
  const bad = await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { chat: { scale: '10', enabled: 'yes' } } });
  assert.equal(bad.status, 422);
  assert.ok(bad.json.error.fields['chat.scale'] && bad.json.error.fields['chat.enabled'], bad.text);

  const five = await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { chat: { scale: '5' } } });
  assert.equal(five.status, 200, five.text);
  assert.deepEqual(five.json.chat, { enabled: true, scale: '5', comment: true });
  const a = await chat(marek);
  assert.equal((await a.v.call(rating(a.id), { method: 'POST', body: { score: 5 } })).status, 200);
  const b = await chat(marek);
  const four = await b.v.call(rating(b.id), { method: 'POST', body: { score: 4 } });
  assert.equal(four.json.rating.positive, true);
  const c = await chat(marek);
  assert.equal((await c.v.call(rating(c.id), { method: 'POST', body: { score: 3 } })).json.rating.positive, false);

  await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { chat: { scale: 'thumbs', comment: false } } });
  const d = await chat(marek);
  const up = await d.v.call(rating(d.id), { method: 'POST', body: { score: 1, comment: 'not asked for' } });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.rating.positive, true);
  assert.equal(up.json.rating.comment, '');  // comments are off

  await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { chat: { enabled: false } } });
  const e = await chat(marek);
  assert.equal((await e.v.call(rating(e.id))).json.can_rate, false);
  assert.equal((await e.v.call(rating(e.id), { method: 'POST', body: { score: 1 } })).json.error.code, 'survey_off');
  await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { chat: { enabled: true, scale: '3', comment: true } } });
  const audit = (await admin.call('/api/v1/audit')).json.entries;
  assert.ok(audit.some((x) => x.action === 'survey.update' && x.after.scale === 'thumbs'));
});

test('the CSAT report: totals, each agent ranked by the lower bound, comments, CSV', async () => {
  // By now: Anna 1 rating (2 of 3: not satisfied); Marek 4 (5, 4, 3 of 5 and a thumb up: 3 satisfied).
  assert.equal((await anna.call('/api/v1/reports/csat')).status, 403);
  const r = await admin.call('/api/v1/reports/csat');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.responses, 5);
  assert.equal(r.json.positive, 3);
  assert.equal(r.json.csat_pct, 60);
  assert.deepEqual(r.json.by_agent.map((x) => [x.agent_name, x.responses, x.positive, x.rank]),
    [[marek.agent.name, 4, 3, 1], [anna.agent.name, 1, 0, 2]]);
  const m = r.json.by_agent[0];
  assert.equal(m.csat_pct, 75);
  assert.ok(m.csat_low_pct < 75 && m.csat_high_pct > 75 && m.low_sample, JSON.stringify(m));
  assert.deepEqual(r.json.distribution['3'], { 1: 0, 2: 1, 3: 0 });
  assert.deepEqual(r.json.distribution['5'], { 1: 0, 2: 0, 3: 1, 4: 1, 5: 1 });
  assert.deepEqual(r.json.distribution.thumbs, { 0: 0, 1: 1 });
  assert.equal(r.json.comments[0].comment, 'Quick, but a bit short.');
  const only = await admin.call(`/api/v1/reports/csat?agent_id=${anna.agent.id}`);
  assert.equal(only.json.responses, 1);
  assert.equal((await admin.call('/api/v1/reports/csat?from=10&to=5')).status, 422);
  assert.equal((await admin.call('/api/v1/reports/csat?from=x')).status, 422);

  const csv = await admin.call('/api/v1/reports/csat?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length, 6);
  assert.ok(lines[0].startsWith('conversation_id,rated_at,channel'));
  assert.ok(lines.some((l) => l.includes('"Quick, but a bit short."')));
});

test('erasing the customer keeps the score for the reports, not their words', async () => {
  const { v, id } = await chat(anna, { name: 'Erika Erasmus' });
  await v.call(rating(id), { method: 'POST', body: { score: 1, comment: 'My order 4711 to Via Roma 3 never came' } });
  const conv = (await admin.call(`/api/v1/conversations/${id}`)).json.conversation;
  const erase = await admin.call(`/api/v1/contacts/${conv.contact.id}/erase`, { method: 'POST', body: {} });
  assert.equal(erase.status, 200, erase.text);
  const events = (await admin.call(`/api/v1/conversations/${id}/events?after=0`)).json.events;
  assert.ok(!JSON.stringify(events).includes('Via Roma'), 'the note lost the comment');
  const report = (await admin.call('/api/v1/reports/csat')).json;
  assert.ok(!JSON.stringify(report).includes('Via Roma'));
  const csv = await admin.call('/api/v1/reports/csat?format=csv');
  assert.ok(!csv.text.includes('Via Roma'));
  assert.equal(report.responses, 6);  // the score still counts
});

test('the widget asks NPS after an ended chat, in the customer\'s language, once per contact within every_days', async () => {
  const s = await admin.call('/api/v1/surveys', { method: 'POST', body: {
    name: 'NPS', questions: [{ type: 'nps', label: 'How likely are you to recommend us?', required: true }, { type: 'text', label: 'Why?' }],
    translations: { it: { questions: { q1: { label: 'Quanto ci consiglieresti a un amico?' } } } } } });
  assert.equal(s.status, 201, s.text);
  const noNps = await admin.call('/api/v1/surveys', { method: 'POST', body: { name: 'x', questions: [{ type: 'text', label: 'x' }] } });
  for (const [widget_nps, field] of [[{ enabled: true }, 'widget_nps.survey_id'], [{ survey_id: noNps.json.id }, 'widget_nps.survey_id'],
    [{ survey_id: s.json.id, every_days: 0 }, 'widget_nps.every_days'], [{ enabled: 'yes' }, 'widget_nps.enabled']]) {
    const bad = await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { widget_nps } });
    assert.equal(bad.status, 422, bad.text);
    assert.ok(bad.json.error.fields[field], bad.text);
  }
  const on = await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { widget_nps: { enabled: true, survey_id: s.json.id, every_days: 30 } } });
  assert.equal(on.status, 200, on.text);
  assert.deepEqual(on.json.widget_nps, { enabled: true, survey_id: s.json.id, every_days: 30 });
  assert.equal(on.json.chat.enabled, true, 'the chat rating is untouched');

  const open = await chat(anna, { open: true, name: 'Giulia Bianchi' });
  const ask = (c) => c.v.call(`/api/v1/widget/conversations/${c.id}/survey`);
  assert.equal((await ask(open)).json.survey, null, 'not while the chat is open');
  const ended = await chat(anna, { name: 'Giulia Bianchi', email: 'giulia.nps@example.com' });
  const asked = await ask(ended);
  assert.equal(asked.status, 200, asked.text);
  const q = asked.json.survey;
  assert.ok(q && /^[0-9a-f]{48}$/.test(q.token), asked.text);
  assert.equal(q.questions[0].type, 'nps');
  // Answered from the widget (the widget's CORS prefix), once.
  const url = `/api/v1/widget/surveys/${q.token}`;
  const bad = await ended.v.call(url, { method: 'POST', body: { answers: { q1: 11 } } });
  assert.equal(bad.status, 422);
  const ok = await ended.v.call(url, { method: 'POST', body: { answers: { q1: 9, q2: 'Fast and kind' } } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await ended.v.call(url, { method: 'POST', body: { answers: { q1: 9 } } })).status, 409);
  assert.equal((await ask(ended)).json.survey, null, 'asked once per chat');
  // The same customer's next chat within 30 days is not asked again.
  const again = await ended.v.startChat({ name: 'Giulia Bianchi', email: 'giulia.nps@example.com', message: 'Un\'altra domanda' });
  assert.equal(again.status, 201, again.text);
  assert.equal((await anna.call(`/api/v1/conversations/${again.json.id}/close`, { method: 'POST' })).status, 200);
  assert.equal((await ask({ v: ended.v, id: again.json.id })).json.survey, null);
  const report = await admin.call(`/api/v1/reports/nps?survey_id=${s.json.id}`);
  assert.equal(report.json.nps.promoters, 1);
  // Another chat of someone else is asked; a stranger's conversation is not theirs.
  const other = await chat(anna, { name: 'Marco Rossi' });
  assert.ok((await ask(other)).json.survey);
  assert.equal((await other.v.call(`/api/v1/widget/conversations/${ended.id}/survey`)).status, 404);
  const off = await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { widget_nps: { enabled: false } } });
  assert.equal(off.status, 200);
  const third = await chat(anna, { name: 'Anna Nowak' });
  assert.equal((await ask(third)).json.survey, null);
});
