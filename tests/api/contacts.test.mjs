// One customer record (R5): the same person's chat, offline form, call-back,
// help-center form and e-mail meet in one contact and one timeline; the widget
// never shows a visitor what belongs to someone else; contacts are searched,
// edited, merged and unmerged exactly; another workspace's contacts are unknown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginAgent, newVisitor, initWorkspace, request, until, DEMO, uuid } from '../lib/server.mjs';

const MAIL_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'mail', 'mailservers.sh');
let server, admin, anna, other;

before(async () => {
  server = await startServer();
  initWorkspace(server.dataDir, 'Other Co', 'boss@contacts-other.test', 'other-pass-1');
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  other = await loginAgent(server.url, { email: 'boss@contacts-other.test', password: 'other-pass-1' });
});
after(async () => { await server.stop(); });

const post = (who, path, body = {}) => who.call(path, { method: 'POST', body });
const patch = (who, path, body) => who.call(path, { method: 'PATCH', body });
const contactOf = async (convId) => (await admin.call(`/api/v1/conversations/${convId}`)).json.conversation.contact.id;
const profile = async (id, who = admin) => (await who.call(`/api/v1/contacts/${id}`)).json.contact;
const timeline = async (id, who = admin) => (await who.call(`/api/v1/contacts/${id}/timeline?limit=100`)).json.conversations;

async function helpCenterTicket(fields) {
  const form = (f) => new URLSearchParams(f).toString();
  const send = (f) => request(server.url, '/help/demo/contact', { method: 'POST', raw: form(f), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  let res = await send(fields);
  const deflection = res.text.match(/name="deflection" value="(\d+)"/)?.[1];
  if (deflection) res = await send({ ...fields, deflection, outcome: 'continued' });
  assert.equal(res.status, 201, res.text.slice(0, 300));
}

test('one person on every channel meets in one contact and one timeline; the widget shows nobody else', async () => {
  const mailDir = mkdtempSync(join(tmpdir(), 'sb-contacts-mail-'));
  const mail = JSON.parse(execFileSync('bash', [MAIL_SCRIPT, 'start', mailDir], { encoding: 'utf8' }));
  try {
    const inbox = (await post(admin, '/api/v1/inboxes', { name: 'Mail' })).json;
    const saved = await admin.call(`/api/v1/inboxes/${inbox.id}/email`, { method: 'PUT', body: {
      enabled: true, folder: 'INBOX', from_address: mail.address, display_name: 'Demo Support',
      imap: { host: '127.0.0.1', port: mail.imap.plain, security: 'none', user: mail.user, password: mail.password },
      smtp: { host: '127.0.0.1', port: mail.smtp.plain, security: 'none', user: '', password: '' } } });
    assert.equal(saved.status, 200, saved.text);

    // A chat with the address typed in capitals, an offline form from another
    // browser, a call-back with a number, one written differently, a help-center form.
    const chat = (await (await newVisitor(server.url)).startChat({ name: 'Laura Bianchi', email: 'Laura@Customer.example', message: 'Where is order 4711?' })).json;
    const offline = (await (await newVisitor(server.url)).startChat({ kind: 'offline', name: 'Laura', email: 'laura@customer.example', message: 'Still no parcel' })).json;
    const callback = (await (await newVisitor(server.url)).startChat({ kind: 'callback', name: 'Laura', email: 'laura@customer.example', phone: '+39 06 1234-5678', message: 'Call me' })).json;
    const byPhone = (await (await newVisitor(server.url)).startChat({ kind: 'callback', name: '', email: '', phone: '0039 (06) 1234 5678', message: 'Call me again' })).json;
    await helpCenterTicket({ lang: 'en', name: 'Laura B.', email: 'laura@customer.example', subject: 'Quartz zebra xylophone', message: 'Quartz zebra xylophone 4711' });
    const file = join(mailDir, 'in.eml');
    writeFileSync(file, ['From: Laura Bianchi <laura@customer.example>', `To: ${mail.address}`, 'Subject: Parcel 4711',
      `Message-ID: <${uuid()}@customer.example>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Any news on 4711?', ''].join('\r\n'));
    execFileSync('curl', ['-sS', `smtp://127.0.0.1:${mail.smtp.plain}`, '--mail-from', 'laura@customer.example', '--mail-rcpt', mail.address, '--upload-file', file]);
    const mailTicket = await until(async () => (await admin.call('/api/v1/conversations?view=all')).json.conversations.find((c) => c.kind === 'email' && c.subject === 'Parcel 4711'), 'the mail ticket', 20000);

    const id = await contactOf(chat.id);
    for (const c of [offline, callback, byPhone, mailTicket]) assert.equal(await contactOf(c.id), id, `conversation ${c.id} joins the contact`);
    const p = await profile(id);
    assert.equal(p.name, 'Laura Bianchi');
    assert.equal(p.email, 'laura@customer.example');
    assert.ok(p.identities.some((i) => i.kind === 'email' && i.value === 'laura@customer.example'));
    assert.deepEqual(p.identities.filter((i) => i.kind === 'phone').map((i) => i.value), ['+390612345678']);
    assert.equal(p.identities.filter((i) => i.kind === 'visitor').length, 4, 'every browser that wrote');
    assert.deepEqual(p.channels.map((c) => c.channel).sort(), ['callback', 'chat', 'email', 'help_center', 'offline']);
    assert.equal(p.conversations, 6);

    const items = await timeline(id);
    assert.equal(items.length, 6);
    assert.deepEqual(items.map((c) => c.id), [...items.map((c) => c.id)].sort((a, b) => b - a), 'newest first');
    assert.equal(items[0].id, mailTicket.id);
    assert.equal(items.find((c) => c.channel === 'help_center').subject, 'Quartz zebra xylophone');
    assert.equal(items.find((c) => c.id === chat.id).last_message.preview, 'Where is order 4711?');
    const hit = (await admin.call('/api/v1/contacts?q=laura%40customer')).json.contacts;
    assert.deepEqual(hit.map((c) => c.id), [id]);

    // Someone else types Laura's address: the agents see one person's record, the
    // visitor sees only their own conversation, without Laura's name or number.
    const stranger = await newVisitor(server.url);
    const started = await stranger.startChat({ name: 'Mallory', email: 'laura@customer.example', message: 'hi' });
    assert.equal(started.status, 201);
    assert.equal(started.json.contact, undefined, 'no contact record in the widget');
    await post(stranger, `/api/v1/widget/conversations/${started.json.id}/messages`, { client_id: uuid(), body: 'what is my order status?' });
    const mine = await stranger.call('/api/v1/widget/conversations');
    assert.deepEqual(mine.json.conversations.map((c) => c.id), [started.json.id]);
    const events = await stranger.call(`/api/v1/widget/conversations/${started.json.id}/events?after=0`);
    const seen = mine.text + started.text + events.text;
    for (const secret of ['Laura Bianchi', '390612345678', 'Where is order 4711', 'Parcel 4711'])
      assert.ok(!seen.includes(secret), `the widget shows ${secret}`);
    assert.ok(events.json.events.filter((e) => e.author.type === 'visitor').every((e) => e.author.name === 'Mallory'));
    assert.equal(await contactOf(started.json.id), id, 'filed under the address, for the agents to judge');
  } finally {
    execFileSync('bash', [MAIL_SCRIPT, 'stop', mailDir]);
    rmSync(mailDir, { recursive: true, force: true });
  }
});

test('search finds by name, address or number, and pages with a bound', async () => {
  for (let i = 1; i <= 5; i++)
    await (await newVisitor(server.url)).startChat({ name: `Pagina Persona ${i}`, email: `pagina${i}@search.example`, phone: `+48 600 100 20${i}` });
  const page1 = (await admin.call('/api/v1/contacts?q=pagina&limit=2')).json;
  assert.deepEqual(page1.contacts.map((c) => c.name), ['Pagina Persona 5', 'Pagina Persona 4']);
  const page2 = (await admin.call(`/api/v1/contacts?q=pagina&limit=2&before=${page1.next_before}`)).json;
  assert.deepEqual(page2.contacts.map((c) => c.name), ['Pagina Persona 3', 'Pagina Persona 2']);
  const page3 = (await admin.call(`/api/v1/contacts?q=pagina&limit=2&before=${page2.next_before}`)).json;
  assert.deepEqual([page3.contacts.map((c) => c.name), page3.next_before], [['Pagina Persona 1'], null]);
  assert.deepEqual((await admin.call('/api/v1/contacts?q=PAGINA3%40')).json.contacts.map((c) => c.name), ['Pagina Persona 3']);
  assert.deepEqual((await admin.call(`/api/v1/contacts?q=${encodeURIComponent('600 100 204')}`)).json.contacts.map((c) => c.name), ['Pagina Persona 4']);
  assert.equal((await admin.call('/api/v1/contacts?q=nobody-here-at-all')).json.contacts.length, 0);
  assert.equal((await admin.call('/api/v1/contacts?limit=0')).status, 400);
  assert.equal((await admin.call('/api/v1/contacts?limit=101')).status, 400);
  assert.equal((await admin.call('/api/v1/contacts?before=x')).status, 400);
  assert.equal((await admin.call(`/api/v1/contacts?q=${'a'.repeat(201)}`)).status, 400);
  assert.equal((await admin.call('/api/v1/contacts')).json.contacts.length <= 25, true, 'a default page');
});

async function twoPeople(tag) {
  const a = (await (await newVisitor(server.url)).startChat({ name: `Marco ${tag}`, email: `marco.${tag}@merge.example`, message: `chat of ${tag}` })).json;
  const b = (await (await newVisitor(server.url)).startChat({ kind: 'callback', name: '', email: '', phone: `+39 333 ${String(tag).padStart(7, '0')}`, message: `call of ${tag}` })).json;
  const into = await contactOf(a.id), from = await contactOf(b.id);
  assert.notEqual(into, from);
  assert.equal((await patch(admin, `/api/v1/contacts/${from}`, { notes: 'prefers mornings' })).status, 200);
  return { a, b, into, from };
}

test('a merge moves conversations and identities, and its undo restores exactly', async () => {
  const { a, b, into, from } = await twoPeople(1001);
  const before = { into: await profile(into), from: await profile(from), tInto: await timeline(into), tFrom: await timeline(from) };

  const merged = await post(anna, `/api/v1/contacts/${into}/merge`, { from });
  assert.equal(merged.status, 200, merged.text);
  assert.deepEqual(merged.json.merge.conversations, [b.id]);
  assert.equal(merged.json.contact.conversations, 2);
  assert.equal(merged.json.contact.phone, '+393330001001', 'what the survivor lacked comes along');
  assert.equal(merged.json.contact.notes, 'prefers mornings');
  assert.deepEqual((await timeline(into)).map((c) => c.id), [b.id, a.id]);
  assert.equal((await profile(from)).merged_into, into);
  assert.ok(!(await admin.call('/api/v1/contacts?q=merge.example')).json.contacts.some((c) => c.id === from), 'merged away: not listed');
  assert.equal(await contactOf(b.id), into);
  const audit = (await admin.call('/api/v1/audit?action=contact.')).json.entries;
  const entry = audit.find((e) => e.action === 'contact.merge');
  assert.equal(entry.after.merge_id, merged.json.merge.id);
  assert.ok(!JSON.stringify(entry).includes('+39333'), 'no personal data in the append-only log');

  const undoUrl = `/api/v1/contacts/merges/${merged.json.merge.id}/undo`;
  const undone = await post(anna, undoUrl);
  assert.equal(undone.status, 200, undone.text);
  assert.equal(undone.json.restored.id, from);
  const after = { into: await profile(into), from: await profile(from), tInto: await timeline(into), tFrom: await timeline(from) };
  assert.deepEqual(after, before, 'both contacts and timelines exactly as they were');
  assert.equal(await contactOf(b.id), from);
  assert.ok((await admin.call('/api/v1/contacts?q=merge.example')).json.contacts.some((c) => c.id === into));
  assert.equal((await post(anna, undoUrl)).status, 409, 'undone once');
  assert.ok((await admin.call('/api/v1/audit?action=contact.')).json.entries.some((e) => e.action === 'contact.merge_undo'));
});

test('undo refuses, and says why, when what the merge moved has changed', async () => {
  const { into, from } = await twoPeople(1002);
  const m = (await post(admin, `/api/v1/contacts/${into}/merge`, { from })).json.merge;
  // A call-back from the merged number now finds the survivor.
  const later = (await (await newVisitor(server.url)).startChat({ kind: 'callback', name: '', email: '', phone: '+393330001002', message: 'x' })).json;
  assert.equal(await contactOf(later.id), into);
  const phone = m.identities.find((i) => i.kind === 'phone');
  assert.equal((await patch(admin, `/api/v1/contacts/${into}`, { remove_identities: [phone] })).status, 200);
  const refused = await post(admin, `/api/v1/contacts/merges/${m.id}/undo`);
  assert.equal(refused.status, 409);
  assert.equal(refused.json.error.code, 'undo_unsafe');
  assert.match(refused.json.error.message, /phone number \+393330001002 was removed/);
  assert.equal((await profile(from)).merged_into, into, 'nothing was undone');

  // A chain: the survivor merged on into a third contact must be undone first.
  const third = await twoPeople(1003);
  const m2 = (await post(admin, `/api/v1/contacts/${third.into}/merge`, { from: into })).json.merge;
  const blocked = await post(admin, `/api/v1/contacts/merges/${m.id}/undo`);
  assert.equal(blocked.status, 409);
  assert.ok(m2.id > m.id);
});

test('merge input: itself 422, unknown 404, merged away 409, malformed 400', async () => {
  const { into, from } = await twoPeople(1004);
  const self = await post(admin, `/api/v1/contacts/${into}/merge`, { from: into });
  assert.equal(self.status, 422);
  assert.ok(self.json.error.fields.from);
  assert.ok((await post(admin, `/api/v1/contacts/${into}/merge`, {})).json.error.fields.from);
  assert.equal((await post(admin, `/api/v1/contacts/${into}/merge`, { from: 99999999 })).status, 404);
  assert.equal((await post(admin, '/api/v1/contacts/99999999/merge', { from })).status, 404);
  const bad = await admin.call(`/api/v1/contacts/${into}/merge`, { method: 'POST', raw: '{nope', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'invalid_json');
  assert.equal((await post(admin, `/api/v1/contacts/${into}/merge`, { from })).status, 200);
  assert.equal((await post(admin, `/api/v1/contacts/${from}/merge`, { from: into })).status, 409, 'a merged-away contact takes nothing');
  assert.equal((await post(admin, '/api/v1/contacts/merges/99999999/undo')).status, 404);
});

test('another workspace\'s contacts and merges are unknown', async () => {
  const { into, from } = await twoPeople(1005);
  const m = (await post(admin, `/api/v1/contacts/${into}/merge`, { from })).json.merge;
  assert.equal((await other.call(`/api/v1/contacts/${into}`)).status, 404);
  assert.equal((await other.call(`/api/v1/contacts/${into}/timeline`)).status, 404);
  assert.equal((await patch(other, `/api/v1/contacts/${into}`, { name: 'x' })).status, 404);
  assert.equal((await post(other, `/api/v1/contacts/merges/${m.id}/undo`)).status, 404);
  assert.ok(!(await other.call('/api/v1/contacts?q=marco')).text.includes('Marco'));
  // Their own contact cannot take one of ours, nor give theirs to us.
  const theirs = (await other.call('/api/v1/conversations?view=all')).json.conversations;
  const visitor = await newVisitor(server.url, (await other.call('/api/v1/inboxes')).json.inboxes[0].public_key);
  const conv = (await visitor.startChat({ name: 'Foreign', email: 'foreign@other.example' })).json;
  const foreign = (await other.call(`/api/v1/conversations/${conv.id}`)).json.conversation.contact.id;
  assert.equal((await post(other, `/api/v1/contacts/${foreign}/merge`, { from: into })).status, 404);
  assert.equal((await post(admin, `/api/v1/contacts/${into}/merge`, { from: foreign })).status, 404);
  assert.ok(Array.isArray(theirs));
});

test('editing: names, notes and identities are validated; an identity of another contact is 409', async () => {
  const { into, from } = await twoPeople(1006);
  const taken = await patch(anna, `/api/v1/contacts/${into}`, { name: 'Renamed', add_identities: [{ kind: 'phone', value: '+39 333 000 1006' }] });
  assert.equal(taken.status, 409);
  assert.equal(taken.json.error.code, 'identity_taken');
  assert.match(taken.json.error.message, new RegExp(`contact ${from}`));
  assert.equal((await profile(into)).name, 'Marco 1006', 'a refused edit changes nothing');
  const invalid = await patch(anna, `/api/v1/contacts/${into}`, { name: 'x'.repeat(201), add_identities: [{ kind: 'email', value: 'not an address' }, { kind: 'visitor', value: 'v' }] });
  assert.equal(invalid.status, 422);
  assert.deepEqual(Object.keys(invalid.json.error.fields).sort(), ['add_identities[0].value', 'add_identities[1].kind', 'name']);
  assert.equal(invalid.json.error.code, 'invalid');
  const ok = await patch(anna, `/api/v1/contacts/${into}`, { name: ' Marco Rossi ', notes: 'VIP', add_identities: [{ kind: 'email', value: 'Marco.Work@Merge.example' }, { kind: 'phone', value: '+39 02 555 1006' }] });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.contact.name, 'Marco Rossi');
  assert.equal(ok.json.contact.notes, 'VIP');
  assert.ok(ok.json.contact.identities.some((i) => i.value === 'marco.work@merge.example'));
  assert.equal(ok.json.contact.phone, '+39025551006', 'the first number becomes the shown one');
  const removed = await patch(anna, `/api/v1/contacts/${into}`, { remove_identities: [{ kind: 'email', value: 'marco.1006@merge.example' }] });
  assert.equal(removed.json.contact.email, 'marco.work@merge.example', 'the shown address follows');
  // The address now free starts a new contact when it writes again.
  const back = (await (await newVisitor(server.url)).startChat({ name: 'Marco', email: 'marco.1006@merge.example' })).json;
  assert.notEqual(await contactOf(back.id), into);
  assert.equal((await anna.call(`/api/v1/contacts/${into}`, { method: 'PATCH', raw: '[1', headers: { 'content-type': 'application/json' } })).status, 400);
  assert.equal((await patch(anna, '/api/v1/contacts/99999999', { name: 'x' })).status, 404);
});

test('rights: agents view, edit and merge; a scoped agent sees only contacts in its inboxes and may not merge', async () => {
  const inboxB = (await post(admin, '/api/v1/inboxes', { name: 'Wholesale' })).json;
  const made = await post(admin, '/api/v1/agents', { name: 'Piotr', email: 'piotr.contacts@demo.switchboard.test', password: 'scope-pass-12', role: 'agent', scope: { inboxes: [inboxB.id] } });
  assert.equal(made.status, 201, made.text);
  const piotr = await loginAgent(server.url, { email: 'piotr.contacts@demo.switchboard.test', password: 'scope-pass-12' });
  const { into, from } = await twoPeople(1007);
  const vB = await newVisitor(server.url, inboxB.public_key);
  const inB = (await vB.startChat({ inbox_key: inboxB.public_key, name: 'Wholesale Buyer', email: 'buyer@wholesale.example', message: 'pallets' })).json;
  const buyer = await contactOf(inB.id);

  assert.equal((await anna.call(`/api/v1/contacts/${into}`)).status, 200);
  const list = (await piotr.call('/api/v1/contacts?limit=100')).json.contacts.map((c) => c.id);
  assert.ok(list.includes(buyer) && !list.includes(into), 'only contacts with a conversation in scope');
  assert.equal((await piotr.call(`/api/v1/contacts/${into}`)).status, 404);
  assert.equal((await piotr.call(`/api/v1/contacts/${into}/timeline`)).status, 404);
  assert.equal((await piotr.call(`/api/v1/contacts/${buyer}`)).status, 200);
  assert.equal((await post(piotr, `/api/v1/contacts/${buyer}/merge`, { from })).status, 403);
  // The buyer writes in the main inbox too: Piotr sees only the wholesale conversation.
  await (await newVisitor(server.url)).startChat({ name: 'Wholesale Buyer', email: 'buyer@wholesale.example', message: 'retail question' });
  assert.deepEqual((await timeline(buyer, piotr)).map((c) => c.id), [inB.id]);
  assert.equal((await timeline(buyer, admin)).length, 2);
  assert.equal((await profile(buyer, piotr)).conversations, 1);

  const visitor = await newVisitor(server.url);
  assert.ok([401, 403].includes((await visitor.call('/api/v1/contacts')).status));
  assert.equal((await request(server.url, '/api/v1/contacts')).status, 401);
});

test('GDPR: export and erasure cover the contacts merged into one', async () => {
  const { a, b, into, from } = await twoPeople(1008);
  const m = (await post(admin, `/api/v1/contacts/${into}/merge`, { from })).json.merge;
  const res = await fetch(`${server.url}/api/v1/contacts/${into}/export`, { headers: { cookie: admin.cookie } });
  assert.equal(res.status, 200);
  const dir = mkdtempSync(join(tmpdir(), 'sb-contacts-gdpr-'));
  try {
    writeFileSync(join(dir, 'x.zip'), Buffer.from(await res.arrayBuffer()));
    const doc = JSON.parse(execFileSync('unzip', ['-p', join(dir, 'x.zip'), 'contact.json']).toString());
    assert.deepEqual(doc.conversations.map((c) => c.id).sort(), [a.id, b.id].sort());
    assert.deepEqual(doc.merged_contacts.map((c) => c.id), [from]);
    assert.equal(doc.merged_contacts[0].notes, 'prefers mornings');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const erased = await post(admin, `/api/v1/contacts/${into}/erase`);
  assert.equal(erased.status, 200);
  assert.equal(erased.json.conversations, 2);
  const gone = await profile(from);
  assert.deepEqual([gone.name, gone.phone, gone.notes, gone.identities], ['', '', '', []]);
  assert.equal((await post(admin, `/api/v1/contacts/merges/${m.id}/undo`)).status, 404, 'the merge record went too');
  const fresh = (await (await newVisitor(server.url)).startChat({ kind: 'callback', name: '', email: '', phone: '+39 333 0001008' })).json;
  assert.notEqual(await contactOf(fresh.id), into, 'the erased number starts afresh');
});
