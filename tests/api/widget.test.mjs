import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, newVisitor, DEMO, uuid } from '../lib/server.mjs';

let server, admin;
before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
});
after(async () => { await server.stop(); });

async function inboxWith(fields) {
  const r = await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Test ' + uuid().slice(0, 6), ...fields } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('widget config of an unknown inbox is 404', async () => {
  const r = await request(server.url, '/api/v1/widget/nope/config');
  assert.equal(r.status, 404);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
});

test('config says honestly when no agent is online, then when one is', async () => {
  const inbox = await inboxWith({ business_hours: { weekly: [] } });
  let r = await request(server.url, `/api/v1/widget/${inbox.public_key}/config`);
  assert.equal(r.json.availability.open, false);
  assert.equal(r.json.availability.reason, 'no_agents');
  await admin.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } });
  r = await request(server.url, `/api/v1/widget/${inbox.public_key}/config`);
  assert.equal(r.json.availability.open, true);
  assert.equal(r.json.availability.agents_online, 1);
  await admin.call('/api/v1/me/status', { method: 'PUT', body: { status: 'offline' } });
});

test('outside business hours the widget is closed and says when it opens', async () => {
  // Open one hour a week, on a day that is not today in UTC: closed now.
  const tomorrow = (new Date().getUTCDay() + 2) % 7;
  const inbox = await inboxWith({ timezone: 'UTC', business_hours: { weekly: [{ day: tomorrow, open: '10:00', close: '11:00' }] } });
  await admin.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } });
  const r = await request(server.url, `/api/v1/widget/${inbox.public_key}/config`);
  await admin.call('/api/v1/me/status', { method: 'PUT', body: { status: 'offline' } });
  assert.equal(r.json.availability.open, false);
  assert.equal(r.json.availability.reason, 'closed');
  const next = new Date(r.json.availability.next_open_at);
  assert.equal(next.getUTCDay(), tomorrow);
  assert.equal(next.getUTCHours(), 10);
  assert.equal(next.getUTCMinutes(), 0);
});

test('a holiday closes the inbox for the whole day', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const all = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' }));
  const inbox = await inboxWith({ timezone: 'UTC', business_hours: { weekly: all, holidays: [today] } });
  const r = await request(server.url, `/api/v1/widget/${inbox.public_key}/config`);
  assert.equal(r.json.availability.reason, 'holiday');
});

test('invalid business hours and time zones are rejected', async () => {
  const bad = [
    { business_hours: { weekly: [{ day: 9, open: '09:00', close: '10:00' }] } },
    { business_hours: { weekly: [{ day: 1, open: '18:00', close: '09:00' }] } },
    { business_hours: { holidays: ['christmas'] } },
    { timezone: 'Mars/Olympus' },
    { timezone: '../../etc/passwd' },
  ];
  for (const fields of bad) {
    const r = await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'x', ...fields } });
    assert.equal(r.status, 400, JSON.stringify(fields));
  }
});

test('a chat is created once per client id, with the first message as seq 1', async () => {
  const v = await newVisitor(server.url);
  const clientId = uuid();
  const first = await v.startChat({ client_id: clientId });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.kind, 'chat');
  assert.equal(first.json.last_seq, 1);
  assert.equal(first.json.contact, undefined, 'the widget never shows the contact record it was filed under');
  assert.equal(first.json.meta.page_url, 'http://shop.example/cart');
  const again = await v.startChat({ client_id: clientId });
  assert.equal(again.status, 200);
  assert.equal(again.json.id, first.json.id);
  const list = await v.call('/api/v1/widget/conversations');
  assert.equal(list.json.conversations.length, 1);
  const ev = await v.call(`/api/v1/widget/conversations/${first.json.id}/events?after=0`);
  assert.deepEqual(ev.json.events.map((e) => [e.seq, e.body]), [[1, 'Ciao! Ho un problema.']]);
});

test('messages are idempotent by client id and seq is gap-free', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const ids = [uuid(), uuid(), uuid()];
  for (const id of ids) {
    const r = await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: id, body: 'msg ' + id } });
    assert.equal(r.status, 201);
  }
  const dup = await v.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: ids[1], body: 'msg again' } });
  assert.equal(dup.status, 200);
  assert.equal(dup.json.seq, 3);
  assert.equal(dup.json.body, 'msg ' + ids[1], 'the stored message is returned, not the retry');
  const ev = await v.call(`/api/v1/widget/conversations/${conv.id}/events?after=1`);
  assert.deepEqual(ev.json.events.map((e) => e.seq), [2, 3, 4]);
});

test('a visitor cannot see another visitor\'s conversation', async () => {
  const a = await newVisitor(server.url);
  const b = await newVisitor(server.url);
  const conv = (await a.startChat()).json;
  const r = await b.call(`/api/v1/widget/conversations/${conv.id}/events`);
  assert.equal(r.status, 404);
  const post = await b.call(`/api/v1/widget/conversations/${conv.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'hi' } });
  assert.equal(post.status, 404);
  const events = await a.call(`/api/v1/widget/conversations/${conv.id}/events`);
  assert.equal(events.json.events.length, 1, 'nothing was added');
});

test('bad visitor tokens are 401', async () => {
  const v = await newVisitor(server.url);
  const tampered = v.token.slice(0, -1) + (v.token.endsWith('0') ? '1' : '0');
  for (const token of [tampered, 'v1.1.abc.def', '', 'garbage']) {
    const r = await request(server.url, '/api/v1/widget/conversations', { headers: { authorization: 'Bearer ' + token } });
    assert.equal(r.status, 401, token);
  }
});

test('conversation input is validated', async () => {
  const v = await newVisitor(server.url);
  const cases = [
    { kind: 'fax' },
    { kind: 'chat', client_id: '' },
    { kind: 'chat', email: 'not-an-email' },
    { kind: 'callback', phone: '12' },
    { kind: 'callback', phone: '+39 333 1234567', window_from: 2000, window_to: 1000 },
    { kind: 'offline', email: '', message: 'hello' },
    { kind: 'offline', email: 'a@b.example', message: '' },
  ];
  for (const c of cases) {
    const r = await v.startChat({ client_id: uuid(), ...c });
    assert.equal(r.status, 400, JSON.stringify(c) + ' ' + r.text);
    assert.ok(r.json.error.message.length > 0);
  }
  assert.equal((await v.call('/api/v1/widget/conversations')).json.conversations.length, 0);
  const malformed = await v.call('/api/v1/widget/conversations', { method: 'POST', body: '{"kind":' });
  assert.equal(malformed.status, 400);
});

test('call-back and offline requests become conversations agents see', async () => {
  const v = await newVisitor(server.url);
  // A window the demo inbox offers (inside its hours, whatever the time now).
  const { from, to } = (await request(server.url, '/api/v1/widget/demo/callback-slots')).json.slots[0];
  const cb = await v.startChat({ kind: 'callback', phone: '+39 333 123 4567', window_from: from, window_to: to, message: '' });
  assert.equal(cb.status, 201, cb.text);
  assert.equal(cb.json.kind, 'callback');
  assert.deepEqual(cb.json.meta.callback, { phone: '+39 333 123 4567', window_from: from, window_to: to });
  const off = await v.startChat({ kind: 'offline', email: 'late@example.com', message: 'Where is my order #123?' });
  assert.equal(off.status, 201);
  const anna = await loginAgent(server.url, DEMO.anna);
  const list = await anna.call('/api/v1/conversations?view=unassigned');
  const ids = list.json.conversations.map((c) => c.id);
  assert.ok(ids.includes(cb.json.id) && ids.includes(off.json.id));
  const shown = await anna.call(`/api/v1/conversations/${off.json.id}/events`);
  assert.equal(shown.json.events[0].body, 'Where is my order #123?');
  // An offline request is a ticket waiting for its first answer; a call-back is not one.
  const ticket = (await anna.call(`/api/v1/conversations/${off.json.id}`)).json.conversation.ticket;
  assert.equal(ticket.number, off.json.id);
  assert.equal(ticket.status, 'new');
  assert.equal(ticket.priority, 'normal');
  assert.deepEqual(ticket.tags, []);
  assert.equal(cb.json.ticket, null);
});

test('text a visitor sends is stored verbatim and only ever served as JSON', async () => {
  const v = await newVisitor(server.url);
  const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  const conv = (await v.startChat({ message: evil, name: '<b>Bob</b>' })).json;
  const anna = await loginAgent(server.url, DEMO.anna);
  const r = await anna.call(`/api/v1/conversations/${conv.id}/events`);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(r.json.events[0].body, evil);
  assert.equal((await anna.call(`/api/v1/conversations/${conv.id}`)).json.conversation.contact.name, '<b>Bob</b>');
});

test('CORS preflight is allowed on widget endpoints', async () => {
  const r = await request(server.url, '/api/v1/widget/conversations', { method: 'OPTIONS' });
  assert.equal(r.status, 204);
  assert.match(r.headers.get('access-control-allow-headers'), /Authorization/);
});

test('a visitor message is refused with the right status and nothing is stored', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat()).json;
  const path = `/api/v1/widget/conversations/${conv.id}/messages`;
  const cases = [
    [{ raw: '{"client_id": "x", "body": ', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    [{ body: { client_id: uuid(), body: '   ' } }, 400, 'bad_request'],
    [{ body: { body: 'no client id' } }, 400, 'bad_request'],
    [{ raw: 'client_id=x&body=y', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
    [{ body: { client_id: uuid(), body: 'x'.repeat(100000) } }, 413, 'too_large'],
  ];
  for (const [opts, status, code] of cases) {
    const r = await v.call(path, { method: 'POST', ...opts });
    assert.equal(r.status, status, `${JSON.stringify(opts).slice(0, 80)}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');  // the widget reads it
  }
  const noToken = await request(server.url, path, { method: 'POST', body: { client_id: uuid(), body: 'hi' } });
  assert.equal(noToken.status, 401);
  const unknown = await v.call('/api/v1/widget/conversations/999999999/messages', { method: 'POST', body: { client_id: uuid(), body: 'hi' } });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error.code, 'not_found');
  const events = await v.call(`/api/v1/widget/conversations/${conv.id}/events`);
  assert.equal(events.json.events.length, 1, 'only the first message');
});
