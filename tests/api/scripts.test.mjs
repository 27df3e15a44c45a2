// Scripts (P2) over the API: a supervisor writes one per situation and
// language; agents propose edits, which a supervisor approves (texts kept keep
// their variant and figures, dropped ones are retired) or rejects, once; the
// composer's suggestion follows the conversation and the draft, with variables
// filled; uses are recorded per variant; the effect report says "not enough
// data" honestly, then compares variants; the winner is promoted. Bad input
// answered with its field; agents cannot approve.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, loginAgent, newVisitor, DEMO } from '../lib/server.mjs';

let server, admin, anna, marek;
const post = (who, path, body) => who.call(path, { method: 'POST', body });

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  marek = await loginAgent(server.url, DEMO.marek);
});
after(async () => { await server.stop(); });

async function chatFor(agent, message = 'Ciao! Ho un problema.') {
  const v = await newVisitor(server.url);
  const r = await v.startChat({ name: 'Giulia Bianchi', message });
  assert.equal(r.status, 201, r.text);
  assert.equal((await post(agent, `/api/v1/conversations/${r.json.id}/assign`, {})).status, 200);
  return { v, id: r.json.id };
}

test('a supervisor writes scripts; agents list them by situation and language', async () => {
  const r = await post(admin, '/api/v1/scripts', {
    situation: 'greeting', language: 'it', title: 'Saluto',
    variants: ['Buongiorno {{contact.first_name}}, sono {{agent.first_name}}. Come posso aiutarla?', 'Ciao {{contact.first_name}}! Come posso esserle utile?'],
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.variants.map((v) => [v.id, v.retired, v.uses]), [[1, false, 0], [2, false, 0]]);
  assert.equal(r.json.offer, 1);
  const en = await post(admin, '/api/v1/scripts', { situation: 'closing', language: 'en', title: 'Closing', variants: ['Is there anything else I can help with?'] });
  assert.equal(en.status, 201, en.text);
  const list = (await anna.call('/api/v1/scripts?situation=greeting&language=it')).json;
  assert.deepEqual(list.situations, ['greeting', 'information', 'wrong_company', 'hold', 'transfer', 'saying_no', 'closing']);
  assert.ok(list.scripts.some((s) => s.id === r.json.id));
  assert.ok(!list.scripts.some((s) => s.id === en.json.id));
});

test('the composer is offered the script for the moment, filled, least used variant first', async () => {
  const greeting = (await anna.call('/api/v1/scripts?situation=greeting')).json.scripts.find((s) => s.title === 'Saluto');
  const { id } = await chatFor(anna);
  const s = (await anna.call(`/api/v1/scripts/suggest?conversation_id=${id}`)).json;
  assert.equal(s.situation, 'greeting');
  assert.equal(s.language, 'it');
  const mine = s.scripts.find((x) => x.id === greeting.id);
  assert.equal(mine.text, 'Buongiorno Giulia, sono Anna. Come posso aiutarla?');
  assert.deepEqual(mine.missing, []);
  assert.equal((await post(anna, `/api/v1/scripts/${greeting.id}/used`, { conversation_id: id, variant: mine.variant })).status, 204);
  // Once used, the other variant is offered next.
  const next = (await anna.call(`/api/v1/scripts/suggest?conversation_id=${(await chatFor(anna)).id}`)).json;
  assert.equal(next.scripts.find((x) => x.id === greeting.id).variant, 2);

  // After Anna's first reply: what the draft starts to say, then the customer's thanks.
  const reply = await post(anna, `/api/v1/conversations/${id}/messages`, { client_id: randomUUID(), body: 'Buongiorno!' });
  assert.equal(reply.status, 201, reply.text);
  const hold = (await anna.call(`/api/v1/scripts/suggest?conversation_id=${id}&draft=${encodeURIComponent('Un attimo, controllo')}`)).json;
  assert.equal(hold.situation, 'hold');
  assert.equal((await anna.call(`/api/v1/scripts/suggest?conversation_id=${id}`)).json.situation, 'information');
  // Asked for another situation (the composer's menu): its scripts, filled.
  const asked = (await anna.call(`/api/v1/scripts/suggest?conversation_id=${id}&situation=greeting`)).json;
  assert.equal(asked.situation, 'greeting');
  assert.ok(asked.scripts.some((x) => x.id === greeting.id && x.text.includes('Giulia')));
  assert.equal((await anna.call(`/api/v1/scripts/suggest?conversation_id=${id}&situation=weather`)).status, 422);
  // Marek cannot see Anna's conversation (agents see their own and the queue's).
  const theirs = await marek.call(`/api/v1/scripts/suggest?conversation_id=${id}`);
  assert.ok([200, 404].includes(theirs.status));
});

test('an agent proposes an edit; a supervisor approves it once; kept texts keep their variant', async () => {
  const closing = (await anna.call('/api/v1/scripts?situation=closing')).json.scripts[0];
  const p = await post(anna, '/api/v1/scripts/proposals', {
    script_id: closing.id,
    variants: ['Is there anything else I can help with?', 'Can I help you with anything else today?'],
    note: 'A second way to ask, so it does not sound canned',
  });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.status, 'pending');
  assert.equal(p.json.title, 'Closing');  // taken from the script
  // Agents see their own proposals; cannot approve.
  assert.ok((await anna.call('/api/v1/scripts/proposals')).json.proposals.some((x) => x.id === p.json.id));
  assert.ok(!(await marek.call('/api/v1/scripts/proposals')).json.proposals.some((x) => x.id === p.json.id));
  assert.equal((await post(anna, `/api/v1/scripts/proposals/${p.json.id}/approve`, {})).status, 403);
  const pending = (await admin.call('/api/v1/scripts/proposals?status=pending')).json.proposals;
  assert.ok(pending.some((x) => x.id === p.json.id));

  const ok = await post(admin, `/api/v1/scripts/proposals/${p.json.id}/approve`, { note: 'Good idea' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'approved');
  assert.equal(ok.json.review_note, 'Good idea');
  const again = await post(admin, `/api/v1/scripts/proposals/${p.json.id}/reject`, {});
  assert.equal(again.status, 409);
  const after = (await anna.call('/api/v1/scripts?situation=closing')).json.scripts[0];
  assert.deepEqual(after.variants.map((v) => [v.id, v.text, v.retired]), [
    [1, 'Is there anything else I can help with?', false],
    [2, 'Can I help you with anything else today?', false],
  ]);

  // A new script proposed, then rejected: nothing changes.
  const fresh = await post(marek, '/api/v1/scripts/proposals', { situation: 'wrong_company', title: 'Wrong number', variants: ['You have reached Demo Shop.'] });
  assert.equal(fresh.status, 201, fresh.text);
  const no = await post(admin, `/api/v1/scripts/proposals/${fresh.json.id}/reject`, { note: 'We have one' });
  assert.equal(no.json.status, 'rejected');
  assert.equal((await admin.call('/api/v1/scripts?situation=wrong_company')).json.scripts.length, 0);

  // A supervisor's edit dropping a text retires its variant (kept, not offered).
  const edited = await admin.call(`/api/v1/scripts/${closing.id}`, { method: 'PATCH', body: { variants: ['Can I help you with anything else today?'] } });
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual(edited.json.variants.map((v) => [v.id, v.retired]), [[1, true], [2, false]]);
  assert.equal(edited.json.offer, 2);
});

test('the effect report says when there is not enough data, then compares; the winner is promoted', async () => {
  const s = (await post(admin, '/api/v1/scripts', { situation: 'information', title: 'Order status', variants: ['Let me check your order.', 'I am looking at your order right now.'] })).json;
  const { id } = await chatFor(anna);
  assert.equal((await post(anna, `/api/v1/scripts/${s.id}/used`, { conversation_id: id, variant: 2 })).status, 204);
  const e = await admin.call(`/api/v1/scripts/${s.id}/effect`);
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.min_per_variant, 30);
  assert.equal(e.json.csat.verdict, 'not_enough_data');
  assert.equal(e.json.csat.p, null);
  assert.deepEqual(e.json.variants.map((v) => [v.id, v.conversations]), [[1, 0], [2, 1]]);
  assert.equal(e.json.variants[0].csat.value, null);
  assert.equal((await anna.call(`/api/v1/scripts/${s.id}/effect`)).status, 403);

  const promoted = await post(admin, `/api/v1/scripts/${s.id}/promote`, { variant: 2 });
  assert.equal(promoted.status, 200, promoted.text);
  assert.deepEqual(promoted.json.variants.map((v) => [v.id, v.retired]), [[1, true], [2, false]]);
});

test('bad input names its field; unknown ids are 404', async () => {
  for (const [body, field] of [
    [{}, 'situation'],
    [{ situation: 'small_talk', title: 'x', variants: ['x'] }, 'situation'],
    [{ situation: 'hold', title: '', variants: ['x'] }, 'title'],
    [{ situation: 'hold', title: 'x', variants: [] }, 'variants'],
    [{ situation: 'hold', title: 'x', variants: ['a', 'a'] }, 'variants'],
    [{ situation: 'hold', title: 'x', variants: ['x'.repeat(3001)] }, 'variants'],
    [{ situation: 'hold', title: 'x', variants: ['x'], language: 'de' }, 'language'],
  ]) {
    const r = await post(admin, '/api/v1/scripts', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(r.json.error.fields[field], r.text);
  }
  assert.equal((await post(anna, '/api/v1/scripts/proposals', { script_id: 999999, variants: ['x'] })).status, 404);
  assert.equal((await post(anna, '/api/v1/scripts/proposals', { script_id: 'x' })).status, 422);
  const s = (await admin.call('/api/v1/scripts')).json.scripts[0];
  const { id } = await chatFor(marek);
  const bad = await post(marek, `/api/v1/scripts/${s.id}/used`, { conversation_id: id, variant: 99 });
  assert.equal(bad.status, 422);
  assert.ok(bad.json.error.fields.variant);
  assert.equal((await anna.call('/api/v1/scripts/suggest')).status, 422);
  assert.equal((await anna.call('/api/v1/scripts/suggest?conversation_id=999999')).status, 404);
  assert.equal((await post(admin, '/api/v1/scripts/999999/promote', { variant: 1 })).status, 404);
  assert.equal((await post(admin, `/api/v1/scripts/${s.id}/promote`, { variant: 42 })).status, 422);
  assert.equal((await post(admin, '/api/v1/scripts/proposals/999999/approve', {})).status, 404);
});
