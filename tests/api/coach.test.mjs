// The etiquette coach's API (Q1, docs/COACH.md): a draft checked in the
// conversation's language with what the conversation says (first message, an
// earlier "anything else?", the customer's name), admins' rules per language,
// the shown/accepted counts, and every bad input answered with its field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, loginAgent, newVisitor, DEMO } from '../lib/server.mjs';

let server, admin, anna;
const check = (who, body) => who.call('/api/v1/coach/check', { method: 'POST', body });
const rulesOf = (r) => r.json.flags.map((f) => f.rule).sort();

async function chat(fields) {
  const v = await newVisitor(server.url);
  const r = await v.startChat(fields);
  assert.equal(r.status, 201, r.text);
  return { v, id: r.json.id };
}

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
});
after(async () => { await server.stop(); });

test('a draft is checked in the language asked, with UTF-16 offsets and edits that fix it', async () => {
  const text = '😀 Sorry, I don’t know, that is company policy.';
  const r = await check(anna, { text, language: 'en' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.language, 'en');
  assert.deepEqual(rulesOf(r), ['phrase.dont_know', 'phrase.policy']);
  const f = r.json.flags.find((x) => x.rule === 'phrase.dont_know');
  assert.equal(text.slice(f.start, f.end), 'I don’t know');  // JS indices: the emoji counts two
  const s = f.suggestions[0];
  assert.equal(text.slice(0, s.start) + s.text + text.slice(s.end), '😀 Sorry, let me find out for you, that is company policy.');
});

test('the conversation gives the language, the greeting rule, an earlier anything-else and the name', async () => {
  const { id } = await chat({ language: 'hu', name: 'Kovács Zsófia', message: 'Jó napot, hol a csomagom?' });
  const first = await check(anna, { text: 'Hé, te! Kell segítség?', conversation_id: id });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.language, 'hu');
  assert.deepEqual(rulesOf(first), ['greeting_informal']);
  // The suggested greeting carries the agent's own name.
  assert.match(first.json.flags[0].suggestions[0].text, new RegExp(anna.agent.name));

  const name = await check(anna, { text: 'Köszönöm, Zsofia, utánanézek.', conversation_id: id });
  assert.ok(rulesOf(name).includes('name_spelling'), name.text);
  assert.equal(name.json.flags.find((f) => f.rule === 'name_spelling').params.name, 'Zsófia');

  const bye = 'Szép napot kívánok!';
  const reply = await anna.call(`/api/v1/conversations/${id}/messages`, { method: 'POST', body: { client_id: randomUUID(), body: 'Helló, üdvözlöm! Az én nevem Anna. Miben segíthetek?' } });
  assert.equal(reply.status, 201, reply.text);
  assert.deepEqual(rulesOf(await check(anna, { text: bye, conversation_id: id })), ['closing_without_question']);
  await anna.call(`/api/v1/conversations/${id}/messages`, { method: 'POST', body: { client_id: randomUUID(), body: 'Van még valami, amiben segíthetek?' } });
  // Asked already: the goodbye passes, and the greeting rule no longer applies.
  assert.deepEqual(rulesOf(await check(anna, { text: bye, conversation_id: id })), []);
  assert.deepEqual(rulesOf(await check(anna, { text: 'Hé!', conversation_id: id })), []);
  // The language asked for wins over the conversation's.
  const en = await check(anna, { text: 'I don\'t know.', conversation_id: id, language: 'en' });
  assert.equal(en.json.language, 'en');
  assert.deepEqual(rulesOf(en), ['phrase.dont_know']);
});

test('bad drafts, languages and conversations are refused with the field', async () => {
  const cases = [
    [{}, 'text'],
    [{ text: 42 }, 'text'],
    [{ text: 'x'.repeat(20_001) }, 'text'],
    [{ text: 'ok', language: 'de' }, 'language'],
    [{ text: 'ok', conversation_id: 'seven' }, 'conversation_id'],
  ];
  for (const [body, field] of cases) {
    const r = await check(anna, body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.ok(r.json.error.fields[field], r.text);
  }
  assert.equal((await check(anna, { text: 'ok', conversation_id: 999999 })).status, 404);
  const raw = await fetch(server.url + '/api/v1/coach/check', {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: anna.cookie, 'x-csrf-token': anna.csrf }, body: '{"text": "unterminated',
  });
  assert.equal(raw.status, 400);
  const anonymous = await fetch(server.url + '/api/v1/coach/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });
  assert.equal(anonymous.status, 401);
  // A visitor's token is no agent's session.
  const { v } = await chat({});
  assert.equal((await v.call('/api/v1/coach/check', { method: 'POST', body: { text: 'hi' } })).status, 401);
});

test('an admin replaces a language\'s rules; a wrong shape names its field; reset brings ours back', async () => {
  const all = await admin.call('/api/v1/coach/rules');
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(Object.keys(all.json.languages).sort(), ['en', 'hu', 'it', 'pl', 'ru']);
  assert.deepEqual(all.json.customized, []);
  const hu = structuredClone(all.json.languages.hu);
  hu.phrases.push({ id: 'sajnos', match: ['sajnos nem lehet'], suggest: ['Ezt most így nem tudjuk, de'] });

  assert.equal((await anna.call('/api/v1/coach/rules/hu', { method: 'PUT', body: hu })).status, 403);
  assert.equal((await anna.call('/api/v1/coach/rules')).status, 403);
  const put = await admin.call('/api/v1/coach/rules/hu', { method: 'PUT', body: hu });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.customized, true);
  const flagged = await check(anna, { text: 'Sajnos nem lehet.', language: 'hu' });
  assert.deepEqual(rulesOf(flagged), ['phrase.sajnos']);
  assert.deepEqual((await admin.call('/api/v1/coach/rules')).json.customized, ['hu']);
  // Other languages keep theirs.
  assert.deepEqual(rulesOf(await check(anna, { text: 'Sajnos nem lehet.', language: 'pl' })), []);

  const bad = await admin.call('/api/v1/coach/rules/hu', { method: 'PUT', body: { ...hu, greeting: { min_words: 50, max_words: 10 } } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.fields['greeting.min_words'], 'must not be above max_words');
  const badPhrase = await admin.call('/api/v1/coach/rules/hu', { method: 'PUT', body: { phrases: [{ id: 'x', match: [] }] } });
  assert.equal(badPhrase.json.error.fields['phrases[0].match'], 'needs at least one phrase');
  assert.equal((await admin.call('/api/v1/coach/rules/de', { method: 'PUT', body: hu })).status, 404);
  // Refused changes changed nothing.
  assert.deepEqual(rulesOf(await check(anna, { text: 'Sajnos nem lehet.', language: 'hu' })), ['phrase.sajnos']);

  const reset = await admin.call('/api/v1/coach/rules/hu', { method: 'DELETE' });
  assert.equal(reset.status, 200, reset.text);
  assert.equal(reset.json.customized, false);
  assert.deepEqual(rulesOf(await check(anna, { text: 'Sajnos nem lehet.', language: 'hu' })), []);
  const audit = await admin.call('/api/v1/audit');
  assert.equal(audit.status, 200, audit.text);
  const changed = audit.json.entries.find((e) => e.action === 'coach.rules');
  assert.ok(changed, 'the change is in the audit log');
  assert.equal(changed.target.id, 'hu');
  assert.equal(changed.after.customized, true);
  assert.ok(audit.json.entries.some((e) => e.action === 'coach.rules_reset'));
});

test('shown and accepted flags are counted per rule and language for supervisors', async () => {
  const events = [
    { rule: 'phrase.dont_know', language: 'en', action: 'shown' },
    { rule: 'phrase.dont_know', language: 'en', action: 'shown' },
    { rule: 'phrase.dont_know', language: 'en', action: 'accepted' },
    { rule: 'bare_no', language: 'pl', action: 'shown' },
  ];
  const r = await anna.call('/api/v1/coach/feedback', { method: 'POST', body: { events } });
  assert.equal(r.status, 204, r.text);
  const stats = await admin.call('/api/v1/coach/stats');
  assert.equal(stats.status, 200, stats.text);
  const row = (rule, language) => stats.json.rules.find((x) => x.rule === rule && x.language === language);
  assert.deepEqual(row('phrase.dont_know', 'en'), { rule: 'phrase.dont_know', language: 'en', shown: 2, accepted: 1 });
  assert.deepEqual(row('bare_no', 'pl'), { rule: 'bare_no', language: 'pl', shown: 1, accepted: 0 });
  assert.equal(stats.json.rules[0].rule, 'phrase.dont_know');  // most shown first
  // A range before today has none.
  const old = await admin.call(`/api/v1/coach/stats?from=0&to=${86_400_000 * 10}`);
  assert.deepEqual(old.json.rules, []);
  assert.equal((await anna.call('/api/v1/coach/stats')).status, 403);
  assert.equal((await admin.call('/api/v1/coach/stats?from=9&to=3')).status, 422);

  for (const [body, field] of [
    [{}, 'events'],
    [{ events: Array(101).fill(events[0]) }, 'events'],
    [{ events: [{ rule: 'x', language: 'en', action: 'liked' }] }, 'events[0].action'],
    [{ events: [{ rule: '<script>', language: 'en', action: 'shown' }] }, 'events[0].rule'],
    [{ events: [{ rule: 'x', language: 'xx', action: 'shown' }] }, 'events[0].language'],
  ]) {
    const bad = await anna.call('/api/v1/coach/feedback', { method: 'POST', body });
    assert.equal(bad.status, 422, JSON.stringify(body).slice(0, 80));
    assert.ok(bad.json.error.fields[field], bad.text);
  }
  // Refused batches counted nothing.
  const again = await admin.call('/api/v1/coach/stats');
  assert.equal(again.json.rules.find((x) => x.rule === 'phrase.dont_know').shown, 2);
});

test('the coach\'s effect: conversations where a suggestion was taken against those where none was', async () => {
  const rated = async (accepted, score) => {
    const { v, id } = await chat({ name: 'Olga Ivanova', message: 'Where is my parcel?' });
    assert.equal((await anna.call(`/api/v1/conversations/${id}/assign`, { method: 'POST', body: {} })).status, 200);
    const events = [{ rule: 'bare_no', language: 'en', action: 'shown' }];
    if (accepted) events.push({ rule: 'bare_no', language: 'en', action: 'accepted' });
    const fed = await anna.call('/api/v1/coach/feedback', { method: 'POST', body: { events, conversation_id: id } });
    assert.equal(fed.status, 204, fed.text);
    await anna.call(`/api/v1/conversations/${id}/messages`, { method: 'POST', body: { client_id: randomUUID(), body: 'Here it is.' } });
    assert.equal((await anna.call(`/api/v1/conversations/${id}/close`, { method: 'POST' })).status, 200);
    const r = await v.call(`/api/v1/widget/conversations/${id}/rating`, { method: 'POST', body: { score } });
    assert.equal(r.status, 200, r.text);
  };
  await rated(true, 3);
  await rated(true, 3);
  await rated(false, 1);
  const e = await admin.call('/api/v1/coach/effect');
  assert.equal(e.status, 200, e.text);
  const [none, taken] = e.json.variants;
  assert.deepEqual([none.id, none.conversations, taken.id, taken.conversations], [0, 1, 1, 2]);
  assert.equal(taken.csat.value, 1);
  assert.equal(none.csat.value, 0);
  assert.equal(taken.resolution.value, 1);
  assert.equal(e.json.csat.verdict, 'not_enough_data');  // 30 per group before a verdict
  assert.equal((await anna.call('/api/v1/coach/effect')).status, 403);
  // Another agent's conversation a plain agent cannot see is refused, and a bad id named.
  const bad = await anna.call('/api/v1/coach/feedback', { method: 'POST', body: { events: [], conversation_id: 'x' } });
  assert.equal(bad.status, 422);
  assert.ok(bad.json.error.fields.conversation_id);
  const gone = await anna.call('/api/v1/coach/feedback', { method: 'POST', body: { events: [{ rule: 'bare_no', language: 'en', action: 'shown' }], conversation_id: 999999 } });
  assert.equal(gone.status, 404);
});
