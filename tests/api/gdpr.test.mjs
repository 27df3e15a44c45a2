// GDPR: an admin exports a contact's data as a zip and erases it;
// closed conversations past the workspace's retention are deleted by the janitor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, loginAgent, newVisitor, initWorkspace, sqlOn, until, DEMO, uuid } from '../lib/server.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const DAY = 24 * 3600 * 1000;
let server, admin, anna, other;
before(async () => {
  server = await startServer();
  initWorkspace(server.dataDir, 'Other Co', 'boss@gdpr-other.test', 'other-pass-1');
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  other = await loginAgent(server.url, { email: 'boss@gdpr-other.test', password: 'other-pass-1' });
});
after(async () => { await server.stop(); });

const post = (who, path, body = {}) => who.call(path, { method: 'POST', body });

// A chat with a customer message, an attachment from them, an agent reply and an internal note.
async function chatWithFile(url, agent, who = {}) {
  const v = await newVisitor(url);
  const name = who.name ?? 'Erika Mustermann';
  const email = `erika.${uuid().slice(0, 8)}@example.com`;
  const conv = (await v.startChat({ name, email, message: 'My order 4711 never arrived', ...who })).json;
  const up = await v.call('/api/v1/widget/uploads', {
    method: 'POST', raw: PNG, headers: { 'content-type': 'image/png', 'x-filename': encodeURIComponent('../../receipt.png') } });
  assert.equal(up.status, 201, up.text);
  const sent = await post(v, `/api/v1/widget/conversations/${conv.id}/messages`, { client_id: uuid(), body: 'here is my receipt', attachment_ids: [up.json.id] });
  assert.equal(sent.status, 201, sent.text);
  assert.equal((await post(agent, `/api/v1/conversations/${conv.id}/messages`, { client_id: uuid(), body: 'Sorry to hear that, checking now' })).status, 201);
  assert.equal((await post(agent, `/api/v1/conversations/${conv.id}/notes`, { client_id: uuid(), body: `Refund ok, reach ${name} at ${email}` })).status, 201);
  const shown = await agent.call(`/api/v1/conversations/${conv.id}`);
  return { v, conv, name, email, attachment: up.json, contactId: shown.json.conversation.contact.id };
}

// The zip's entries and their bytes, read back by Debian's unzip.
function unzip(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-gdpr-'));
  const file = join(dir, 'export.zip');
  writeFileSync(file, bytes);
  try {
    const names = execFileSync('unzip', ['-Z1', file]).toString().trim().split('\n');
    const bytes = new Map(names.map((n) => [n, execFileSync('unzip', ['-p', file, n])]));
    const read = (name) => bytes.get(name);
    return { names, read, json: JSON.parse(read('contact.json').toString()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function exportZip(agent, contactId) {
  const res = await fetch(`${server.url}/api/v1/contacts/${contactId}/export`, { headers: { cookie: agent.cookie } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const attachmentFile = (dataDir, id) => join(dataDir, 'files', '1', id);  // the demo workspace is 1

test('an admin exports a contact: messages, notes marked internal, identities and attachment bytes', async () => {
  const c = await chatWithFile(server.url, anna);
  const res = await exportZip(admin, c.contactId);
  assert.equal(res.status, 200, res.bytes.toString());
  assert.equal(res.headers.get('content-type'), 'application/zip');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="contact-\d+-export\.zip"$/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const zip = unzip(res.bytes);
  for (const n of zip.names) assert.ok(!n.includes('..') && !n.startsWith('/') && !n.includes('\\'), n);
  assert.equal(zip.json.contact.id, c.contactId);
  assert.equal(zip.json.contact.name, c.name);
  assert.equal(zip.json.contact.email, c.email);
  assert.ok(zip.json.identities.some((i) => i.kind === 'email' && i.value === c.email));
  assert.ok(zip.json.identities.some((i) => i.kind === 'visitor'));
  const conv = zip.json.conversations.find((x) => x.id === c.conv.id);
  const bodies = conv.events.map((e) => e.body);
  assert.ok(bodies.includes('My order 4711 never arrived'));
  assert.ok(bodies.includes('here is my receipt'));
  assert.ok(bodies.includes('Sorry to hear that, checking now'));
  const note = conv.events.find((e) => e.kind === 'note');
  assert.equal(note.internal, true);
  assert.ok(conv.events.filter((e) => e.kind !== 'note').every((e) => e.internal === false));
  assert.equal(conv.meta.page_url, 'http://shop.example/cart');
  const file = zip.json.attachments.find((a) => a.id === c.attachment.id);
  assert.equal(file.name, '../../receipt.png'.replace(/\//g, ''));  // upload names lose slashes
  assert.match(file.file, /^attachments\/[0-9a-f]+-[^/]+$/);
  assert.ok(zip.names.includes(file.file));
  assert.deepEqual(zip.read(file.file), PNG);
  // the temporary zip is gone once sent
  await until(() => !readdirSync(join(server.dataDir, 'files', 'incoming')).some((f) => f.startsWith('export-')), 'temp zip removed');
});

test('agents get 403; another workspace and unknown ids get 404', async () => {
  const c = await chatWithFile(server.url, anna, { name: 'Private Person' });
  assert.equal((await exportZip(anna, c.contactId)).status, 403);
  assert.equal((await post(anna, `/api/v1/contacts/${c.contactId}/erase`)).status, 403);
  assert.equal((await exportZip(other, c.contactId)).status, 404);
  assert.equal((await post(other, `/api/v1/contacts/${c.contactId}/erase`)).status, 404);
  assert.equal((await exportZip(admin, 999999)).status, 404);
  assert.equal((await exportZip(admin, 'abc')).status, 404);
  assert.equal((await post(admin, '/api/v1/contacts/999999/erase')).status, 404);
  const noCsrf = await fetch(`${server.url}/api/v1/contacts/${c.contactId}/erase`, { method: 'POST', headers: { cookie: admin.cookie } });
  assert.equal(noCsrf.status, 403);
  const anon = await fetch(`${server.url}/api/v1/contacts/${c.contactId}/export`);
  assert.equal(anon.status, 401);
  // nothing was erased by the refused attempts
  const still = await admin.call(`/api/v1/conversations/${c.conv.id}`);
  assert.equal(still.json.conversation.contact.name, 'Private Person');
});

test('erasing a contact redacts their messages, deletes files and identities, and is idempotent', async () => {
  const c = await chatWithFile(server.url, anna);
  const second = (await c.v.startChat({ name: c.name, email: c.email, message: 'Another question, call me on +39 333 1234567' })).json;
  const file = attachmentFile(server.dataDir, c.attachment.id);
  assert.ok(existsSync(file), 'the upload is on disk before');

  const r = await post(admin, `/api/v1/contacts/${c.contactId}/erase`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.conversations, 2);
  assert.equal(r.json.messages_redacted, 3);
  assert.equal(r.json.attachments_deleted, 1);

  const events = (await admin.call(`/api/v1/conversations/${c.conv.id}/events`)).json.events;
  const text = JSON.stringify(events);
  assert.ok(!text.includes('4711') && !text.includes('receipt'), text);
  assert.ok(!text.includes(c.name) && !text.includes(c.email), 'the note loses the name and e-mail');
  assert.ok(events.some((e) => e.body === '[erased]' && e.author.type === 'visitor' && e.author.name === ''));
  assert.ok(events.some((e) => e.body === 'Sorry to hear that, checking now'), 'agent replies stay');
  assert.ok(events.every((e) => e.attachments.length === 0));
  const other2 = JSON.stringify((await admin.call(`/api/v1/conversations/${second.id}/events`)).json.events);
  assert.ok(!other2.includes('333 1234567'));

  const shown = (await admin.call(`/api/v1/conversations/${c.conv.id}`)).json.conversation;
  assert.deepEqual([shown.contact.name, shown.contact.email, shown.contact.phone], ['', '', '']);
  assert.deepEqual(Object.keys(shown.meta), ['erased_at']);
  assert.equal(shown.subject, '');
  assert.equal(shown.language, '');

  const dl = await fetch(`${server.url}/api/v1/attachments/${c.attachment.id}`, { headers: { cookie: admin.cookie } });
  assert.equal(dl.status, 404);
  assert.ok(!existsSync(file), 'the file is gone from disk');

  const again = await post(admin, `/api/v1/contacts/${c.contactId}/erase`);
  assert.equal(again.status, 200);
  assert.deepEqual(again.json, { contact_id: c.contactId, conversations: 2, messages_redacted: 0, attachments_deleted: 0 });

  // The old widget cookie no longer sees the erased chats and starts a fresh contact.
  const mine = await c.v.call('/api/v1/widget/conversations');
  assert.equal(mine.status, 200);
  assert.ok(!mine.json.conversations.some((x) => x.id === c.conv.id || x.id === second.id));
  const fresh = (await c.v.startChat({ name: 'Someone New', email: `new.${uuid().slice(0, 8)}@example.com` })).json;
  const freshContact = (await admin.call(`/api/v1/conversations/${fresh.id}`)).json.conversation.contact;
  assert.notEqual(freshContact.id, c.contactId);
  assert.equal(freshContact.name, 'Someone New');
  // and the same e-mail address too
  const v2 = await newVisitor(server.url);
  const byMail = (await v2.startChat({ name: 'Erika Again', email: c.email })).json;
  const mailContact = (await admin.call(`/api/v1/conversations/${byMail.id}`)).json.conversation.contact;
  assert.ok(![c.contactId, freshContact.id].includes(mailContact.id));

  // The export of an erased contact says so and holds none of it.
  const zip = unzip((await exportZip(admin, c.contactId)).bytes);
  assert.ok(zip.json.contact.erased_at > 0);
  assert.deepEqual(zip.json.identities, []);
  assert.deepEqual(zip.json.attachments, []);
  assert.equal(zip.json.conversations.length, 2);
  assert.ok(zip.json.conversations.every((x) => x.erased_at > 0));
  const all = zip.read('contact.json').toString();
  assert.ok(!all.includes('4711') && !all.includes(c.email) && !all.includes(c.name));
});

test('a ticket\'s custom fields and complaints are in the export; erasure blanks the field values', async () => {
  const field = await post(admin, '/api/v1/ticket-fields', { key: 'order_no', label: 'Order number', type: 'text' });
  assert.equal(field.status, 201, field.text);
  const v = await newVisitor(server.url);
  const email = `rosa.${uuid().slice(0, 8)}@example.com`;
  const form = (await v.startChat({ kind: 'offline', name: 'Rosa Verdi', email, message: 'The lamp came broken' })).json;
  const set = await anna.call(`/api/v1/tickets/${form.id}`, { method: 'PATCH', body: { custom_fields: { order_no: 'ORD-99-1234' } } });
  assert.equal(set.status, 200, set.text);
  assert.equal((await post(anna, `/api/v1/conversations/${form.id}/complaint`, { category: 'damaged' })).status, 201);
  const ticked = await anna.call(`/api/v1/conversations/${form.id}/complaint/steps/apologise`, { method: 'PUT', body: { done: true, note: 'apologised on the phone' } });
  assert.equal(ticked.status, 200, ticked.text);
  const contactId = (await anna.call(`/api/v1/conversations/${form.id}`)).json.conversation.contact.id;

  const zip = unzip((await exportZip(admin, contactId)).bytes);
  const conv = zip.json.conversations.find((x) => x.id === form.id);
  assert.deepEqual(conv.custom_fields, [{ key: 'order_no', label: 'Order number', value: 'ORD-99-1234' }]);
  assert.equal(conv.ticket.custom_fields.order_no, 'ORD-99-1234');
  assert.equal(conv.complaints.length, 1);
  const c = conv.complaints[0];
  assert.equal(c.category, 'damaged');
  assert.equal(c.marked_by.name, 'Anna Rossi');
  assert.ok(c.marked_at > 0);
  const step = c.steps.find((s) => s.key === 'apologise');
  assert.deepEqual([step.done, step.by.name, step.note], [true, 'Anna Rossi', 'apologised on the phone']);
  assert.ok(step.at >= c.marked_at);
  assert.deepEqual(c.history.map((h) => [h.step, h.done, h.by.name]), [['apologise', true, 'Anna Rossi']]);
  assert.equal(c.withdrawn_at, null);

  assert.equal((await post(admin, `/api/v1/contacts/${contactId}/erase`)).status, 200);
  const after = (await admin.call(`/api/v1/conversations/${form.id}`)).json.conversation;
  assert.deepEqual(after.ticket.custom_fields, {});
  const again = unzip((await exportZip(admin, contactId)).bytes).json.conversations.find((x) => x.id === form.id);
  assert.deepEqual(again.custom_fields, []);
  // The append-only audit log named the field it set, never its value.
  const log = JSON.stringify((await admin.call('/api/v1/audit?action=ticket.update&limit=500')).json.entries);
  assert.ok(log.includes('order_no'));
  assert.ok(!log.includes('ORD-99-1234'), 'no value in the audit log');
  await admin.call(`/api/v1/ticket-fields/${field.json.id}`, { method: 'DELETE' });
});

test('after an erasure the old widget socket no longer hears the conversation', async () => {
  const v = await newVisitor(server.url);
  const conv = (await v.startChat({ name: 'Live Listener' })).json;
  const shown = (await admin.call(`/api/v1/conversations/${conv.id}`)).json.conversation;
  const ws = v.ws();
  await ws.opened;
  ws.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  await ws.next((f) => f.type === 'event' && f.event.conversation_id === conv.id);
  const annaWs = anna.ws();
  await annaWs.opened;
  annaWs.send({ type: 'subscribe', conversation_id: conv.id, after_seq: 0 });
  await annaWs.next((f) => f.type === 'event' && f.event.conversation_id === conv.id);
  assert.equal((await post(admin, `/api/v1/contacts/${shown.contact.id}/erase`)).status, 200);
  assert.equal((await post(anna, `/api/v1/conversations/${conv.id}/messages`, { client_id: uuid(), body: 'still there?' })).status, 201);
  // Fanned out (the agent has it), and the old socket has answered since: had it
  // been among the listeners, the event would have come before this pong.
  await annaWs.next((f) => f.type === 'event' && f.event.body === 'still there?');
  ws.send({ type: 'ping' });
  await ws.next((f) => f.type === 'pong');
  annaWs.close();
  assert.ok(!ws.frames.some((f) => f.type === 'event' && f.event.body === 'still there?'), 'no frame after the erasure');
  const mine = await v.call(`/api/v1/widget/conversations/${conv.id}/events`);
  assert.equal(mine.status, 404);
  ws.close();
});

test('retention: validation and admin only', async () => {
  assert.deepEqual((await admin.call('/api/v1/admin/retention')).json, { retention_days: null });
  for (const bad of [0, 3651, 'x', 1.5, -3]) {
    const r = await admin.call('/api/v1/admin/retention', { method: 'PUT', body: { retention_days: bad } });
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
  }
  assert.equal((await admin.call('/api/v1/admin/retention', { method: 'PUT', body: {} })).status, 400);
  assert.equal((await anna.call('/api/v1/admin/retention', { method: 'PUT', body: { retention_days: 5 } })).status, 403);
  assert.equal((await anna.call('/api/v1/admin/retention')).status, 403);
  const ok = await admin.call('/api/v1/admin/retention', { method: 'PUT', body: { retention_days: 3650 } });
  assert.deepEqual(ok.json, { retention_days: 3650 });
  assert.deepEqual((await other.call('/api/v1/admin/retention')).json, { retention_days: null }, 'per workspace');
  const off = await admin.call('/api/v1/admin/retention', { method: 'PUT', body: { retention_days: null } });
  assert.deepEqual(off.json, { retention_days: null });
});

test('the retention janitor deletes old closed conversations with their files, not open or recent ones', async () => {
  const s = await startServer();
  try {
    let boss = await loginAgent(s.url, DEMO.admin);
    assert.equal((await boss.call('/api/v1/admin/retention', { method: 'PUT', body: { retention_days: 30 } })).status, 200);
    const oldClosed = await chatWithFile(s.url, boss);
    const oldOpen = await chatWithFile(s.url, boss);
    const recentClosed = await chatWithFile(s.url, boss);
    for (const c of [oldClosed, recentClosed])
      assert.equal((await post(boss, `/api/v1/conversations/${c.conv.id}/close`)).status, 200);
    const file = attachmentFile(s.dataDir, oldClosed.attachment.id);
    assert.ok(existsSync(file));
    await s.stop({ keepData: true });
    // 40 days of silence, written while the server is down; it sweeps at start.
    sqlOn(s.dataDir,
      `UPDATE conversation SET updated_at = updated_at - ${40 * DAY} WHERE id IN (${oldClosed.conv.id}, ${oldOpen.conv.id})`);
    const s2 = await startServer({ dataDir: s.dataDir });
    s.proc = s2.proc;  // so the finally clause stops the restarted one
    boss = await loginAgent(s2.url, DEMO.admin);
    await until(async () => (await boss.call(`/api/v1/conversations/${oldClosed.conv.id}`)).status === 404, 'old closed deleted');
    assert.equal((await boss.call(`/api/v1/conversations/${oldOpen.conv.id}`)).status, 200, 'open stays');
    assert.equal((await boss.call(`/api/v1/conversations/${recentClosed.conv.id}`)).status, 200, 'recent stays');
    assert.ok(!existsSync(file), 'its attachment file is gone');
    assert.ok(existsSync(attachmentFile(s.dataDir, recentClosed.attachment.id)));
    const dl = await fetch(`${s2.url}/api/v1/attachments/${oldClosed.attachment.id}`, { headers: { cookie: boss.cookie } });
    assert.equal(dl.status, 404);
    assert.match(s2.log(), /retention: conversations deleted.*"count":1/);
    await s2.stop();
  } finally {
    await s.stop();
  }
});
