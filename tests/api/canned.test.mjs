// Canned answers (P1): personal, team and workspace answers with /shortcuts and
// who may see and change which; variables filled from the conversation with
// what is missing; variants taking turns by use; the picker's search; and every
// bad input answered with its field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, DEMO } from '../lib/server.mjs';

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
