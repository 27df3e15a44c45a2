// NPS and custom surveys (Q2) over the API: an admin builds a survey; a
// supervisor sends a contact a link; the customer answers once on the public
// endpoint (expired and archived links refused); the NPS report gives seed
// 003's score and each question's answers, and the CSV. Bad questions and
// answers are refused with their field; agents cannot build or send.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, request, DEMO } from '../lib/server.mjs';

let server, admin, anna, survey;
const post = (who, path, body) => who.call(path, { method: 'POST', body });
const open = (token) => request(server.url, `/api/v1/public/surveys/${token}`);
const answer = (token, answers) => request(server.url, `/api/v1/public/surveys/${token}`, { method: 'POST', body: { answers } });

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
});
after(async () => { await server.stop(); });

test('an admin builds an NPS survey; question ids are the server’s and stay', async () => {
  const r = await post(admin, '/api/v1/surveys', {
    name: 'Quarterly NPS',
    questions: [
      { type: 'nps', label: 'How likely are you to recommend us to a friend?', required: true },
      { type: 'choice', label: 'What did you contact us about?', options: ['Delivery', 'Refund', 'Other'] },
      { type: 'rating', label: 'How was the agent?', scale: '3' },
      { type: 'text', label: 'Anything else?' },
    ],
  });
  assert.equal(r.status, 201, r.text);
  survey = r.json;
  assert.deepEqual(survey.questions.map((q) => [q.id, q.type, q.required]), [['q1', 'nps', true], ['q2', 'choice', false], ['q3', 'rating', false], ['q4', 'text', false]]);
  assert.equal(survey.status, 'active');
  // An edit: q2 dropped, a new question gets q5 (never q2 again).
  const edited = await admin.call(`/api/v1/surveys/${survey.id}`, { method: 'PATCH', body: { questions: [survey.questions[0], survey.questions[2], survey.questions[3], { type: 'text', label: 'Your e-mail, if we may follow up' }] } });
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual(edited.json.questions.map((q) => q.id), ['q1', 'q3', 'q4', 'q5']);
  const back = await admin.call(`/api/v1/surveys/${survey.id}`, { method: 'PATCH', body: { questions: survey.questions } });
  survey = back.json;
  assert.deepEqual(survey.questions.map((q) => q.id), ['q1', 'q2', 'q3', 'q4']);
  assert.ok((await admin.call('/api/v1/surveys')).json.surveys.some((s) => s.id === survey.id));
});

test('a customer answers once through the link; the NPS report adds it up', async () => {
  const answers = [
    { q1: 10, q2: 'Delivery', q3: 3, q4: 'Quick and <b>kind</b>' },
    { q1: 9, q2: 'Refund' },
    { q1: 7 },
    { q1: 3, q2: 'Refund', q4: 'Too slow' },
  ];
  const tokens = [];
  for (const a of answers) {
    const link = await post(admin, `/api/v1/surveys/${survey.id}/links`, {});
    assert.equal(link.status, 201, link.text);
    assert.equal(link.json.url, `/s/${link.json.token}`);
    tokens.push(link.json.token);
    const page = await open(link.json.token);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.json.survey.name, 'Quarterly NPS');
    assert.equal(page.json.answered, false);
    const r = await answer(link.json.token, a);
    assert.equal(r.status, 201, r.text);
  }
  assert.equal((await open(tokens[0])).json.answered, true);
  const twice = await answer(tokens[0], { q1: 0 });
  assert.equal(twice.status, 409);
  assert.equal(twice.json.error.code, 'already_answered');

  const rep = await admin.call(`/api/v1/reports/nps?survey_id=${survey.id}`);
  assert.equal(rep.status, 200, rep.text);
  assert.equal(rep.json.responses, 4);
  assert.deepEqual([rep.json.nps.promoters, rep.json.nps.passives, rep.json.nps.detractors], [2, 1, 1]);
  assert.equal(rep.json.nps.score, 25);  // 50% promoters - 25% detractors
  assert.ok(rep.json.nps.lower < 25 && rep.json.nps.upper > 25);
  const [q1, q2, q3, q4] = rep.json.questions;
  assert.equal(q1.distribution['10'], 1);
  assert.equal(q1.distribution['0'], 0);
  assert.deepEqual(q2.options, [{ option: 'Delivery', n: 1 }, { option: 'Refund', n: 2 }, { option: 'Other', n: 0 }]);
  assert.deepEqual(q3.distribution, { 1: 0, 2: 0, 3: 1 });
  assert.deepEqual(q4.answers.map((a) => a.text), ['Too slow', 'Quick and <b>kind</b>']);  // newest first, as written
  assert.equal(rep.json.by_day.reduce((n, d) => n + d.n, 0), 4);

  const csv = await admin.call(`/api/v1/reports/nps?survey_id=${survey.id}&format=csv`);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0], /"How likely are you to recommend us to a friend\?"/);
});

test('answers are checked against their questions, each under its id', async () => {
  const link = (await post(admin, `/api/v1/surveys/${survey.id}/links`, {})).json;
  for (const [answers, field] of [
    [{}, 'answers.q1'],
    [{ q1: 11 }, 'answers.q1'],
    [{ q1: '9' }, 'answers.q1'],
    [{ q1: 9, q2: 'Pizza' }, 'answers.q2'],
    [{ q1: 9, q2: ['Refund'] }, 'answers.q2'],
    [{ q1: 9, q3: 5 }, 'answers.q3'],
    [{ q1: 9, q4: 'x'.repeat(2001) }, 'answers.q4'],
    [{ q1: 9, q9: 'who?' }, 'answers.q9'],
  ]) {
    const r = await answer(link.token, answers);
    assert.equal(r.status, 422, `${JSON.stringify(answers)}: ${r.text}`);
    assert.ok(r.json.error.fields[field], `${JSON.stringify(answers)}: ${r.text}`);
  }
  const notAnObject = await answer(link.token, 'nope');
  assert.equal(notAnObject.status, 422);
  assert.ok(notAnObject.json.error.fields.answers);
  const broken = await request(server.url, `/api/v1/public/surveys/${link.token}`, { method: 'POST', body: '{"answers": {"q1": 9', headers: { 'content-type': 'application/json' } });
  assert.equal(broken.status, 400);
  // Nothing was recorded by the refused ones: the link still answers.
  assert.equal((await answer(link.token, { q1: 8 })).status, 201);
});

test('unknown, malformed, expired and archived links are refused', async () => {
  assert.equal((await open('0'.repeat(48))).status, 404);
  assert.equal((await open('../../etc/passwd')).status, 404);
  assert.equal((await open('zz')).status, 404);
  const link = (await post(admin, `/api/v1/surveys/${survey.id}/links`, { expires_in_days: 1 })).json;
  const archive = await admin.call(`/api/v1/surveys/${survey.id}`, { method: 'PATCH', body: { status: 'archived' } });
  assert.equal(archive.status, 200, archive.text);
  const closed = await open(link.token);
  assert.equal(closed.status, 410);
  assert.equal(closed.json.error.code, 'expired');
  assert.equal((await post(admin, `/api/v1/surveys/${survey.id}/links`, {})).status, 409);
  await admin.call(`/api/v1/surveys/${survey.id}`, { method: 'PATCH', body: { status: 'active' } });
  // A survey with responses is archived, not deleted.
  const del = await admin.call(`/api/v1/surveys/${survey.id}`, { method: 'DELETE' });
  assert.equal(del.status, 409);
  assert.equal(del.json.error.code, 'has_responses');
  // The public page's route serves the page for any token.
  const page = await request(server.url, `/s/${link.token}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'none'/);
});

test('bad surveys are refused with the field; agents cannot build or send', async () => {
  for (const [body, field] of [
    [{ questions: [{ type: 'text', label: 'x' }] }, 'name'],
    [{ name: 'x' }, 'questions'],
    [{ name: 'x', questions: [] }, 'questions'],
    [{ name: 'x', questions: [{ type: 'poll', label: 'x' }] }, 'questions[0].type'],
    [{ name: 'x', questions: [{ type: 'text', label: '' }] }, 'questions[0].label'],
    [{ name: 'x', questions: [{ type: 'choice', label: 'x', options: ['only'] }] }, 'questions[0].options'],
    [{ name: 'x', questions: [{ type: 'choice', label: 'x', options: ['a', 'a'] }] }, 'questions[0].options'],
    [{ name: 'x', questions: [{ type: 'rating', label: 'x', scale: '10' }] }, 'questions[0].scale'],
    [{ name: 'x', questions: [{ type: 'nps', label: 'a' }, { type: 'nps', label: 'b' }] }, 'questions'],
    [{ name: 'x', questions: [{ id: 'q1', type: 'text', label: 'a' }, { id: 'q1', type: 'text', label: 'b' }] }, 'questions[1].id'],
    [{ name: 'x', questions: Array.from({ length: 21 }, () => ({ type: 'text', label: 'x' })) }, 'questions'],
  ]) {
    const r = await post(admin, '/api/v1/surveys', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(r.json.error.fields[field], `${JSON.stringify(body)}: ${r.text}`);
  }
  assert.equal((await post(anna, '/api/v1/surveys', { name: 'x', questions: [{ type: 'text', label: 'x' }] })).status, 403);
  assert.equal((await post(anna, `/api/v1/surveys/${survey.id}/links`, {})).status, 403);
  assert.equal((await post(admin, `/api/v1/surveys/${survey.id}/links`, { contact_id: 999999 })).status, 422);
  assert.equal((await post(admin, '/api/v1/surveys/999999/links', {})).status, 404);
  assert.equal((await admin.call('/api/v1/reports/nps')).status, 422);
  assert.equal((await admin.call('/api/v1/reports/nps?survey_id=999999')).status, 404);
});

test('a survey in the customer\'s language: translated name, labels and choice labels; answers stay in the original options', async () => {
  const r = await post(admin, '/api/v1/surveys', {
    name: 'After your chat',
    questions: [
      { type: 'nps', label: 'How likely are you to recommend us?', required: true },
      { type: 'choice', label: 'Topic?', options: ['Delivery', 'Refund'] },
    ],
    translations: { it: { name: 'Dopo la chat', questions: { q1: { label: 'Quanto ci consiglieresti?' }, q2: { label: 'Argomento?', options: ['Consegna', 'Rimborso'] } } } },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.translations.it.questions.q2.options[1], 'Rimborso');
  const link = (await post(admin, `/api/v1/surveys/${r.json.id}/links`, {})).json;
  const it = await request(server.url, `/api/v1/public/surveys/${link.token}?lang=it`);
  assert.equal(it.json.survey.name, 'Dopo la chat');
  assert.equal(it.json.survey.language, 'it');
  assert.deepEqual(it.json.survey.questions.map((q) => q.label), ['Quanto ci consiglieresti?', 'Argomento?']);
  assert.deepEqual(it.json.survey.questions[1].options, ['Delivery', 'Refund']);
  assert.deepEqual(it.json.survey.questions[1].option_labels, ['Consegna', 'Rimborso']);
  // Not translated into Polish: the survey as written.
  const pl = await request(server.url, `/api/v1/public/surveys/${link.token}?lang=pl`);
  assert.equal(pl.json.survey.name, 'After your chat');
  assert.equal(pl.json.survey.language, '');
  assert.equal((await answer(link.token, { q1: 9, q2: 'Refund' })).status, 201);
  // Dropping q2 drops its translation; bad translations are named.
  const pruned = await admin.call(`/api/v1/surveys/${r.json.id}`, { method: 'PATCH', body: { questions: [r.json.questions[0]] } });
  assert.deepEqual(Object.keys(pruned.json.translations.it.questions), ['q1']);
  for (const [translations, field] of [
    [{ de: { name: 'x' } }, 'translations.de'],
    [{ it: { name: '' } }, 'translations.it.name'],
    [{ it: { questions: { q9: { label: 'x' } } } }, 'translations.it.questions.q9'],
    [{ it: { questions: { q1: { label: 'x'.repeat(301) } } } }, 'translations.it.questions.q1.label'],
    ['x', 'translations'],
  ]) {
    const bad = await admin.call(`/api/v1/surveys/${r.json.id}`, { method: 'PATCH', body: { translations } });
    assert.equal(bad.status, 422, bad.text);
    assert.ok(bad.json.error.fields[field], `${field}: ${bad.text}`);
  }
  const choice = await post(admin, '/api/v1/surveys', { name: 'x', questions: [{ type: 'choice', label: 'a', options: ['A', 'B'] }], translations: { ru: { questions: { q1: { options: ['А'] } } } } });
  assert.equal(choice.status, 422);
  assert.ok(choice.json.error.fields['translations.ru.questions.q1.options'], choice.text);
});
