// Canned answers (P1): personal, team and workspace answers with /shortcuts and
// who may see and change which; variables filled from the conversation with
// what is missing; variants taking turns by use; the picker's search; and every
// bad input answered with its field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, DEMO, uuid } from '../lib/server.mjs';

let server, admin, anna, marek, teamId;
const create = (who, body) => who.call('/api/v1/canned', { method: 'POST', body });
const list = async (who, q = '') => (await who.call('/api/v1/canned' + q)).json.answers;

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  marek = await loginAgent(server.url, DEMO.marek);
  const saved = await admin.call('/api/v1/routing', { method: 'PUT', body: { teams: [{ name: 'Returns desk' }] } });
  assert.equal(saved.status, 200, saved.text);
  teamId = saved.json.teams.find((t) => t.name === 'Returns desk').id;
});
after(async () => { await server.stop(); });

test('an agent keeps personal answers; the workspace\'s are for supervisors and admins', async () => {
  const mine = await create(anna, { shortcut: '/thanks', title: 'Thanks', variants: ['Thank you, {{contact.first_name|there}}!'] });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.json.scope, 'personal');
  assert.equal(mine.json.owner_id, anna.agent.id);
  assert.equal(mine.json.shortcut, 'thanks');
  assert.equal(mine.json.editable, true);
  // Nobody else sees it.
  assert.ok(!(await list(marek)).some((a) => a.id === mine.json.id));
  assert.equal((await marek.call(`/api/v1/canned/${mine.json.id}`, { method: 'PATCH', body: { title: 'x' } })).status, 404);

  const shared = { scope: 'workspace', shortcut: 'refund', title: 'Refund on its way', language: 'en',
    variants: ['Hi {{contact.first_name}}, your refund is on its way.', 'Good news {{contact.first_name}}: the refund has been sent.'],
    actions: { status: 'solved', tags: ['refund'] } };
  const refused = await create(anna, shared);
  assert.equal(refused.status, 403);
  const r = await create(admin, shared);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.actions, { status: 'solved', tags: ['refund'] });
  const seen = (await list(anna)).find((a) => a.id === r.json.id);
  assert.equal(seen.editable, false);
  assert.equal((await anna.call(`/api/v1/canned/${r.json.id}`, { method: 'DELETE' })).status, 403);
  // One /refund per scope: a second workspace one is refused, a personal one is fine.
  const twice = await create(admin, { ...shared, title: 'Again' });
  assert.equal(twice.status, 409);
  assert.ok(twice.json.error.fields.shortcut);
  assert.equal((await create(anna, { ...shared, scope: 'personal' })).status, 201);
  const audit = (await admin.call('/api/v1/audit')).json.entries;
  assert.ok(audit.some((e) => e.action === 'canned.create' && e.after.shortcut === 'refund'));
});

test('a team\'s answers are seen by its members and kept by its supervisors', async () => {
  const r = await create(admin, { scope: 'team', team_id: teamId, shortcut: 'label', title: 'Return label', variants: ['Here is your return label.'] });
  assert.equal(r.status, 201, r.text);
  assert.ok(!(await list(anna)).some((a) => a.id === r.json.id), 'not in the team yet');
  const joined = await admin.call(`/api/v1/agents/${anna.agent.id}/routing`, { method: 'PUT', body: { teams: [teamId] } });
  assert.equal(joined.status, 200, joined.text);
  assert.ok((await list(anna)).some((a) => a.id === r.json.id));
  assert.equal((await create(admin, { scope: 'team', shortcut: 'x', title: 'x', variants: ['x'] })).json.error.fields.team_id, 'is required for a team\'s answer');
  assert.equal((await create(admin, { scope: 'team', team_id: 99999, shortcut: 'x', title: 'x', variants: ['x'] })).json.error.fields.team_id, 'no such team');
});

test('rendering fills the conversation\'s values, lists what is missing, and variants take turns', async () => {
  const v = await newVisitor(server.url);
  const chat = await v.startChat({ name: 'Giulia Bianchi', language: 'en' });
  assert.equal(chat.status, 201, chat.text);
  const answer = (await list(anna, '?q=/refund')).find((a) => a.scope === 'workspace');
  const render = (body) => anna.call(`/api/v1/canned/${answer.id}/render`, { method: 'POST', body });
  const first = await render({ conversation_id: chat.json.id });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.variant, 0);
  assert.equal(first.json.text, 'Hi Giulia, your refund is on its way.');
  assert.deepEqual(first.json.missing, []);
  assert.deepEqual(first.json.actions, { status: 'solved', tags: ['refund'] });
  // Used once: the other variant is offered next.
  assert.equal((await anna.call(`/api/v1/canned/${answer.id}/used`, { method: 'POST', body: { variant: 0 } })).status, 204);
  const next = await render({ conversation_id: chat.json.id });
  assert.equal(next.json.variant, 1);
  assert.equal(next.json.text, 'Good news Giulia: the refund has been sent.');
  const pinned = await render({ conversation_id: chat.json.id, variant: 0 });
  assert.equal(pinned.json.variant, 0);
  const counted = (await list(anna, '?q=refund')).find((a) => a.id === answer.id);
  assert.deepEqual(counted.variants.map((x) => x.uses), [1, 0]);
  assert.equal(counted.next_variant, 1);

  // Without a conversation the contact's name is missing: the agent is told.
  const bare = await render({ variant: 0 });
  assert.deepEqual(bare.json.missing, ['contact.first_name']);
  assert.equal(bare.json.text, 'Hi , your refund is on its way.');

  const hours = await create(anna, { shortcut: 'hours', title: 'Opening hours', variants: ['{{inbox.name}} is open today: {{inbox.hours_today}}. — {{agent.first_name}}, {{workspace.name}}'] });
  assert.equal(hours.status, 201, hours.text);
  const h = await anna.call(`/api/v1/canned/${hours.json.id}/render`, { method: 'POST', body: { conversation_id: chat.json.id } });
  assert.match(h.json.text, /is open today: (\d\d:\d\d–\d\d:\d\d|closed today|open all day)/);
  assert.ok(h.json.text.includes(anna.agent.name.split(' ')[0]), h.json.text);
  assert.deepEqual(h.json.missing, []);
});

test('the picker: shortcut first, then title and text, in the conversation\'s language', async () => {
  await create(anna, { shortcut: 'reso', title: 'Reso', language: 'it', variants: ['Il reso è gratuito entro 30 giorni.'] });
  const ref = await list(anna, '?q=ref&language=en');
  assert.ok(ref.length >= 2);
  assert.equal(ref[0].shortcut, 'refund');
  assert.equal(ref[0].scope, 'personal');  // one's own before the workspace's
  assert.ok(!ref.some((a) => a.shortcut === 'reso'));
  assert.equal((await list(anna, '?q=reso&language=it'))[0].shortcut, 'reso');
  assert.ok(!(await list(anna, '?q=reso&language=en')).some((a) => a.shortcut === 'reso'));
  assert.equal((await list(anna, '?q=sent'))[0].shortcut, 'refund');  // found in a variant
  assert.deepEqual(await list(anna, '?q=zzzz'), []);
});

test('bad answers are refused with the field, and nothing is saved', async () => {
  const before = (await list(anna)).length;
  for (const [body, field] of [
    [{ title: 'x', variants: ['x'] }, 'shortcut'],
    [{ shortcut: 'Bad Shortcut', title: 'x', variants: ['x'] }, 'shortcut'],
    [{ shortcut: 'a', variants: ['x'] }, 'title'],
    [{ shortcut: 'a', title: 'x' }, 'variants'],
    [{ shortcut: 'a', title: 'x', variants: [] }, 'variants'],
    [{ shortcut: 'a', title: 'x', variants: Array(11).fill('x') }, 'variants'],
    [{ shortcut: 'a', title: 'x', variants: ['ok', ''] }, 'variants[1]'],
    [{ shortcut: 'a', title: 'x', variants: ['{{contact.password}}'] }, 'variants[0]'],
    [{ shortcut: 'a', title: 'x', variants: ['x'], language: 'de' }, 'language'],
    [{ shortcut: 'a', title: 'x', variants: ['x'], scope: 'everyone' }, 'scope'],
    [{ shortcut: 'a', title: 'x', variants: ['x'], actions: { status: 'done' } }, 'actions.status'],
    [{ shortcut: 'a', title: 'x', variants: ['x'], actions: { delete: true } }, 'actions.delete'],
  ]) {
    const r = await create(anna, body);
    assert.equal(r.status, 422, JSON.stringify(body).slice(0, 80));
    assert.ok(r.json.error.fields[field], `${field}: ${r.text}`);
  }
  assert.equal((await list(anna)).length, before);
  assert.equal((await anna.call('/api/v1/canned/999999/render', { method: 'POST', body: {} })).status, 404);
  const any = (await list(anna))[0];
  assert.equal((await anna.call(`/api/v1/canned/${any.id}/render`, { method: 'POST', body: { variant: 7 } })).status, 422);
  assert.equal((await anna.call(`/api/v1/canned/${any.id}/render`, { method: 'POST', body: { conversation_id: 999999 } })).status, 404);
  assert.equal((await anna.call(`/api/v1/canned/${any.id}/used`, { method: 'POST', body: {} })).status, 422);
  const anonymous = await fetch(server.url + '/api/v1/canned');
  assert.equal(anonymous.status, 401);
});

const PDF = Buffer.from('%PDF-1.4\n%a return form\n');
const uploadPdf = (who, name = 'return-form.pdf') => who.call('/api/v1/uploads', {
  method: 'POST', raw: PDF, headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent(name) } });

test('an answer keeps files; each use sends its own copy; dropped and deleted files go', async () => {
  const up = await uploadPdf(anna);
  assert.equal(up.status, 201, up.text);
  const r = await create(anna, { shortcut: 'form', title: 'Return form', variants: ['Here is the return form.'], attachment_ids: [up.json.id] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.attachments.map((f) => [f.id, f.name, f.url]), [[up.json.id, 'return-form.pdf', `/api/v1/attachments/${up.json.id}`]]);
  // The answer's file is not the agent's to send by itself any more.
  const v = await newVisitor(server.url);
  const chat = (await v.startChat({ name: 'Giulia Bianchi' })).json;
  const direct = await anna.call(`/api/v1/conversations/${chat.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'x', attachment_ids: [up.json.id] } });
  assert.equal(direct.status, 400, direct.text);
  // Two uses, two copies, each sent in its conversation; the visitor downloads theirs.
  const copies = [];
  for (let i = 0; i < 2; ++i) {
    const a = await anna.call(`/api/v1/canned/${r.json.id}/attach`, { method: 'POST', body: { conversation_id: chat.id } });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.attachments.length, 1);
    assert.notEqual(a.json.attachments[0].id, up.json.id);
    copies.push(a.json.attachments[0].id);
  }
  const sent = await anna.call(`/api/v1/conversations/${chat.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Here is the return form.', attachment_ids: [copies[0]] } });
  assert.equal(sent.status, 201, sent.text);
  const got = await fetch(`${server.url}/api/v1/attachments/${copies[0]}?visitor_token=${encodeURIComponent(v.token)}`);
  assert.equal(got.status, 200);
  assert.equal(Buffer.from(await got.arrayBuffer()).toString(), PDF.toString());
  // Someone else's upload cannot be taken into an answer; bad lists are named.
  const marekFile = await uploadPdf(marek, 'mine.pdf');
  for (const [ids, field] of [[[marekFile.json.id], 'attachment_ids[0]'], [['nope'], 'attachment_ids[0]'],
    [Array(6).fill(up.json.id), 'attachment_ids'], ['x', 'attachment_ids'], [[copies[0]], 'attachment_ids[0]']]) {
    const bad = await anna.call(`/api/v1/canned/${r.json.id}`, { method: 'PATCH', body: { attachment_ids: ids } });
    assert.equal(bad.status, 422, bad.text);
    assert.ok(bad.json.error.fields[field], bad.text);
  }
  // Swapped for another file: the old one is deleted, the sent copy stays.
  const second = await uploadPdf(anna, 'label.pdf');
  const swapped = await anna.call(`/api/v1/canned/${r.json.id}`, { method: 'PATCH', body: { attachment_ids: [second.json.id] } });
  assert.equal(swapped.status, 200, swapped.text);
  assert.deepEqual(swapped.json.attachments.map((f) => f.name), ['label.pdf']);
  assert.equal((await anna.call(`/api/v1/attachments/${up.json.id}`)).status, 404);
  assert.equal((await fetch(`${server.url}/api/v1/attachments/${copies[0]}?visitor_token=${encodeURIComponent(v.token)}`)).status, 200);
  // Unchanged by an edit that does not name files; gone with the answer.
  const renamed = await anna.call(`/api/v1/canned/${r.json.id}`, { method: 'PATCH', body: { title: 'Return label' } });
  assert.deepEqual(renamed.json.attachments.map((f) => f.name), ['label.pdf']);
  assert.equal((await anna.call(`/api/v1/attachments/${second.json.id}`)).status, 200);
  assert.equal((await anna.call(`/api/v1/canned/${r.json.id}`, { method: 'DELETE' })).status, 200);
  assert.equal((await anna.call(`/api/v1/attachments/${second.json.id}`)).status, 404);
  assert.equal((await anna.call(`/api/v1/canned/${r.json.id}/attach`, { method: 'POST', body: { conversation_id: chat.id } })).status, 404);
  assert.equal((await marek.call(`/api/v1/canned/999999/attach`, { method: 'POST', body: {} })).status, 404);
});

test('each variant\'s effect: the conversations it was used in, rated and resolved', async () => {
  const r = await create(admin, { scope: 'workspace', shortcut: 'delay', title: 'Delay', variants: ['Sorry for the wait.', 'Thanks for waiting!'] });
  assert.equal(r.status, 201, r.text);
  for (const [variant, score] of [[0, 1], [1, 3], [1, 3]]) {
    const v = await newVisitor(server.url);
    const id = (await v.startChat({ name: 'Giulia Bianchi' })).json.id;
    assert.equal((await anna.call(`/api/v1/conversations/${id}/assign`, { method: 'POST', body: {} })).status, 200);
    const used = await anna.call(`/api/v1/canned/${r.json.id}/used`, { method: 'POST', body: { variant, conversation_id: id } });
    assert.equal(used.status, 204, used.text);
    await anna.call(`/api/v1/conversations/${id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Sorted.' } });
    assert.equal((await anna.call(`/api/v1/conversations/${id}/close`, { method: 'POST' })).status, 200);
    assert.equal((await v.call(`/api/v1/widget/conversations/${id}/rating`, { method: 'POST', body: { score } })).status, 200);
  }
  const e = await admin.call(`/api/v1/canned/${r.json.id}/effect`);
  assert.equal(e.status, 200, e.text);
  assert.deepEqual(e.json.variants.map((x) => [x.id, x.conversations, x.csat.value]), [[0, 1, 0], [1, 2, 1]]);
  assert.equal(e.json.csat.verdict, 'not_enough_data');
  assert.equal(e.json.answer.id, r.json.id);
  assert.equal((await anna.call(`/api/v1/canned/${r.json.id}/effect`)).status, 403);
  const foreign = await anna.call(`/api/v1/canned/${r.json.id}/used`, { method: 'POST', body: { variant: 0, conversation_id: 999999 } });
  assert.equal(foreign.status, 404);
});
