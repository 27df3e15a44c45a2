// The ticket workflow through the API: views with counts, changes validated and
// written into the timeline, bulk changes, merge and split, custom fields, a chat
// turned ticket with its follow-up reminder, and who may do what (agent, scoped
// agent, admin, another workspace). Threading after a merge or split through the
// real mail ingest is in the C++ threading matrix (tests/unit/email_threading_test.cc).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, initWorkspace, newVisitor, DEMO, uuid, until } from '../lib/server.mjs';

let server, admin, anna, marek, piotr, other, inboxB;

before(async () => {
  server = await startServer();
  initWorkspace(server.dataDir, 'Other Co', 'boss@other.test', 'other-pass-1');
  [admin, anna, marek, other] = await Promise.all([
    loginAgent(server.url, DEMO.admin), loginAgent(server.url, DEMO.anna), loginAgent(server.url, DEMO.marek),
    loginAgent(server.url, { email: 'boss@other.test', password: 'other-pass-1' })]);
  inboxB = (await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Wholesale' } })).json;
  const made = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Piotr', email: 'piotr@demo.switchboard.test', password: 'tickets-pass-1', role: 'agent', scope: { inboxes: [inboxB.id] } } });
  assert.equal(made.status, 201, made.text);
  piotr = await loginAgent(server.url, { email: 'piotr@demo.switchboard.test', password: 'tickets-pass-1' });
});

after(async () => {
  await server?.stop();
});

// An offline-form ticket from a customer (their own visitor), in the demo inbox.
async function offlineTicket(message = 'Where is my order?', { email = `c.${uuid().slice(0, 8)}@example.com`, visitor } = {}) {
  const v = visitor || await newVisitor(server.url);
  const r = await v.startChat({ kind: 'offline', email, message, topic: message.slice(0, 40) });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, visitor: v, email };
}

const patch = (who, id, body) => who.call(`/api/v1/tickets/${id}`, { method: 'PATCH', body });
const listIds = async (who, query) => (await who.call('/api/v1/tickets?' + query)).json.tickets.map((t) => t.id);
const events = async (who, id) => (await who.call(`/api/v1/conversations/${id}/events`)).json.events;
const codes = (evs) => evs.map((e) => e.notice?.code).filter(Boolean);

test('views count what the list shows; filters and paging narrow it', async () => {
  const a = await offlineTicket('Kettle arrived broken');
  const b = await offlineTicket('Refund for order 88');
  const c = await offlineTicket('Invoice address wrong');
  assert.equal((await patch(anna, a.id, { assignee_id: anna.agent.id, tags: ['Kettle', 'damaged'] })).status, 200);
  assert.equal((await patch(anna, b.id, { status: 'pending_customer', priority: 'high', tags: ['refund'] })).status, 200);
  assert.equal((await patch(anna, c.id, { status: 'solved' })).status, 200);

  const views = (await anna.call('/api/v1/tickets/views')).json;
  for (const view of ['mine_open', 'unassigned', 'pending', 'all_open', 'solved', 'closed', 'follow_up_due', 'complaints']) {
    const listed = await listIds(anna, `view=${view}&limit=200`);
    assert.equal(views.views[view], listed.length, `count of ${view}`);
  }
  assert.ok((await listIds(anna, 'view=mine_open')).includes(a.id));
  assert.ok(!(await listIds(anna, 'view=mine_open')).includes(b.id));
  assert.ok((await listIds(anna, 'view=pending')).includes(b.id));
  assert.ok((await listIds(anna, 'view=solved')).includes(c.id));
  assert.ok(!(await listIds(anna, 'view=all_open')).includes(c.id));
  const tags = Object.fromEntries(views.tags.map((t) => [t.tag, t.count]));
  assert.ok(tags.kettle >= 1 && tags.refund >= 1, JSON.stringify(views.tags));

  assert.deepEqual(await listIds(anna, 'tag=kettle'), [a.id]);
  assert.ok((await listIds(anna, 'priority=high')).includes(b.id));
  assert.ok(!(await listIds(anna, 'priority=high')).includes(a.id));
  assert.deepEqual(await listIds(anna, 'view=all&q=Invoice%20address'), [c.id]);
  assert.ok((await listIds(anna, `assignee=${anna.agent.id}`)).includes(a.id));
  assert.ok(!(await listIds(anna, 'assignee=none')).includes(a.id));

  // A row has what the list shows.
  const row = (await anna.call('/api/v1/tickets?tag=kettle')).json.tickets[0];
  assert.equal(row.assignee.name, 'Anna Rossi');
  assert.equal(row.contact.email, a.email);
  assert.equal(row.status, 'new');
  assert.deepEqual(row.tags, ['kettle', 'damaged']);
  assert.equal(row.follow_up_due, false);

  // Paging: newest updated first; the cursor continues without repeats.
  const first = (await anna.call('/api/v1/tickets?view=all&limit=2')).json;
  assert.equal(first.tickets.length, 2);
  assert.ok(first.tickets[0].updated_at >= first.tickets[1].updated_at);
  const second = (await anna.call(`/api/v1/tickets?view=all&limit=2&before=${first.next_before}`)).json;
  assert.ok(second.tickets.every((t) => !first.tickets.some((f) => f.id === t.id)));

  for (const q of ['view=nope', 'status=asleep', 'priority=meh', 'limit=0', 'limit=201', 'before=x', 'inbox=abc', 'tag=a,b'])
    assert.equal((await anna.call('/api/v1/tickets?' + q)).status, 400, q);
});

test('complaints: list rows carry the marker; the complaints view lists and counts the unresolved ones', async () => {
  const a = await offlineTicket('The blender burnt out after a day');
  const b = await offlineTicket('Delivery left at the wrong door');
  const plain = await offlineTicket('Which colours does the kettle come in?');
  const complaint = (id) => `/api/v1/conversations/${id}/complaint`;
  assert.equal((await anna.call(complaint(a.id), { method: 'POST', body: { category: 'product' } })).status, 201);
  assert.equal((await anna.call(complaint(b.id), { method: 'POST', body: {} })).status, 201);
  assert.equal((await anna.call(`${complaint(b.id)}/resolve`, { method: 'POST', body: {} })).status, 200);

  const rows = Object.fromEntries((await anna.call('/api/v1/tickets?view=all&limit=200')).json.tickets.map((r) => [r.id, r]));
  assert.deepEqual(rows[a.id].complaint, { status: 'open' });
  assert.deepEqual(rows[b.id].complaint, { status: 'resolved' });
  assert.equal(rows[plain.id].complaint, null);

  // The view: complaints not resolved yet, whatever the ticket's status; its count agrees.
  assert.equal((await patch(anna, a.id, { status: 'solved' })).status, 200);
  const listed = await listIds(anna, 'view=complaints&limit=200');
  assert.ok(listed.includes(a.id), 'a solved ticket whose complaint is open stays in the view');
  assert.ok(!listed.includes(b.id) && !listed.includes(plain.id));
  assert.equal((await anna.call('/api/v1/tickets/views')).json.views.complaints, listed.length);
  assert.ok((await listIds(anna, 'view=complaints&status=solved')).includes(a.id));

  // Withdrawn: no marker, out of the view; other workspaces see none of it.
  assert.equal((await anna.call(complaint(a.id), { method: 'DELETE', body: { reason: 'A question after all' } })).status, 200);
  const after = (await anna.call('/api/v1/tickets?view=all&limit=200')).json.tickets.find((r) => r.id === a.id);
  assert.equal(after.complaint, null);
  assert.ok(!(await listIds(anna, 'view=complaints')).includes(a.id));
  assert.deepEqual(await listIds(other, 'view=complaints'), []);
  assert.equal((await other.call('/api/v1/tickets/views')).json.views.complaints, 0);
  assert.equal((await anna.call('/api/v1/tickets?view=complaint')).status, 400);
});

test('a change is validated field by field (422 names each field)', async () => {
  const t = await offlineTicket('Validation please');
  const bad = await patch(anna, t.id, {
    status: 'asleep', priority: 'urgentest', tags: 'vip', follow_up_at: 'tomorrow', subject: '  ',
    team_id: 999999, assignee_id: 999999, custom_fields: { nope: 1 }, colour: 'red' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.code, 'invalid');
  for (const f of ['status', 'priority', 'tags', 'follow_up_at', 'subject', 'team_id', 'assignee_id', 'custom_fields.nope', 'colour'])
    assert.ok(bad.json.error.fields[f], `${f} named: ${JSON.stringify(bad.json.error.fields)}`);
  // Nothing of it was applied.
  const after = (await anna.call(`/api/v1/conversations/${t.id}`)).json.conversation.ticket;
  assert.equal(after.status, 'new');
  assert.equal(after.priority, 'normal');

  const malformed = await anna.call(`/api/v1/tickets/${t.id}`, { method: 'PATCH', raw: '{"status":', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.json.error.code, 'invalid_json');
  assert.equal((await patch(anna, 999999, { priority: 'high' })).status, 404);
  // A chat is not a ticket.
  const chat = (await (await newVisitor(server.url)).startChat()).json;
  assert.equal((await patch(anna, chat.id, { priority: 'high' })).status, 404);

  // The workflow: never back to new; closed stays closed.
  assert.equal((await patch(anna, t.id, { status: 'open' })).status, 200);
  const back = await patch(anna, t.id, { status: 'new' });
  assert.equal(back.status, 422);
  assert.ok(back.json.error.fields.status);
  assert.equal((await patch(anna, t.id, { status: 'closed' })).status, 200);
  assert.equal((await patch(anna, t.id, { status: 'open' })).status, 422);
});

test('each change is written into the timeline for agents (the SLA replay reads it), not for the customer', async () => {
  const t = await offlineTicket('Timeline please');
  const r = await patch(anna, t.id, { priority: 'urgent', status: 'on_hold', tags: ['courier'], subject: 'Parcel stuck at depot',
    follow_up_at: Date.now() + 3600e3 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.subject, 'Parcel stuck at depot');
  assert.equal(r.json.ticket.priority, 'urgent');
  assert.equal(r.json.ticket.status, 'on_hold');
  const evs = await events(anna, t.id);
  const byCode = Object.fromEntries(evs.filter((e) => e.notice?.code).map((e) => [e.notice.code, e]));
  assert.deepEqual(byCode.ticket_priority.notice.args, { priority: 'urgent', from: 'normal', by: 'Anna Rossi' });
  assert.equal(byCode.ticket_priority.kind, 'note');
  assert.equal(byCode.ticket_status.notice.args.status, 'on_hold');
  assert.deepEqual(byCode.ticket_tags.notice.args.added, ['courier']);
  assert.ok(byCode.ticket_subject && byCode.ticket_follow_up);
  // The customer sees none of the internal notes.
  const seen = (await t.visitor.call(`/api/v1/widget/conversations/${t.id}/events`)).json.events;
  assert.ok(!codes(seen).includes('ticket_priority'));
  assert.ok(!codes(seen).includes('ticket_tags'));
  // An unchanged value writes nothing.
  const count = (await events(anna, t.id)).length;
  assert.equal((await patch(anna, t.id, { priority: 'urgent' })).status, 200);
  assert.equal((await events(anna, t.id)).length, count);
  // The change reaches other consoles as a conversation update.
  const socket = marek.ws();
  await socket.opened;
  await patch(anna, t.id, { priority: 'low' });
  const frame = await socket.next((f) => f.type === 'conversation' && f.conversation?.id === t.id && f.conversation.ticket?.priority === 'low');
  assert.equal(frame.conversation.ticket.priority, 'low');
  socket.close();
});

test('bulk changes answer per ticket; limits and validation hold', async () => {
  const [a, b] = [await offlineTicket('Bulk one'), await offlineTicket('Bulk two')];
  const foreign = (await (await newVisitor(server.url, (await other.call('/api/v1/inboxes')).json.inboxes[0].public_key))
    .startChat({ kind: 'offline', email: 'x@other.example', message: 'not yours' })).json;
  const r = await anna.call('/api/v1/tickets/bulk', { method: 'POST', body: { ids: [a.id, b.id, foreign.id, 999999], changes: { status: 'pending_customer', add_tags: ['Bulk'], priority: 'high' } } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.ok, 2);
  assert.equal(r.json.failed, 2);
  const byId = Object.fromEntries(r.json.results.map((x) => [x.id, x]));
  assert.equal(byId[a.id].ok, true);
  assert.equal(byId[a.id].ticket.status, 'pending_customer');
  assert.deepEqual(byId[b.id].ticket.tags, ['bulk']);
  assert.equal(byId[foreign.id].status, 404);
  assert.equal(byId[999999].status, 404);
  const removed = await anna.call('/api/v1/tickets/bulk', { method: 'POST', body: { ids: [a.id], changes: { remove_tags: ['bulk'], assignee_id: anna.agent.id } } });
  assert.deepEqual(removed.json.results[0].ticket.tags, []);
  assert.equal(removed.json.results[0].ticket.assignee.id, anna.agent.id);
  // One ticket refused by the workflow does not stop the others.
  await patch(anna, b.id, { status: 'closed' });
  const mixed = await anna.call('/api/v1/tickets/bulk', { method: 'POST', body: { ids: [a.id, b.id], changes: { status: 'open' } } });
  assert.deepEqual(mixed.json.results.map((x) => x.ok), [true, false]);
  assert.equal(mixed.json.results[1].status, 422);

  const tooMany = await anna.call('/api/v1/tickets/bulk', { method: 'POST', body: { ids: Array.from({ length: 201 }, (_, i) => i + 1), changes: { priority: 'low' } } });
  assert.equal(tooMany.status, 422);
  assert.ok(tooMany.json.error.fields.ids);
  const badChange = await anna.call('/api/v1/tickets/bulk', { method: 'POST', body: { ids: [a.id], changes: { subject: 'x', status: 'later' } } });
  assert.equal(badChange.status, 422);
  assert.ok(badChange.json.error.fields.subject && badChange.json.error.fields.status);
  const empty = await anna.call('/api/v1/tickets/bulk', { method: 'POST', body: { ids: [], changes: {} } });
  assert.equal(empty.status, 422);
});

test('merge closes the source with a pointer; the target keeps both customers and notes both', async () => {
  const target = await offlineTicket('Order 77 is late');
  const source = await offlineTicket('WHERE IS ORDER 77');
  await patch(anna, source.id, { tags: ['late'] });
  const r = await anna.call(`/api/v1/tickets/${source.id}/merge`, { method: 'POST', body: { into: target.id } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.ticket.id, target.id);
  assert.deepEqual(r.json.ticket.ticket.tags, ['late']);
  const s = (await anna.call(`/api/v1/conversations/${source.id}`)).json.conversation;
  assert.equal(s.ticket.status, 'closed');
  assert.equal(s.ticket.merged_into, target.id);
  assert.ok(codes(await events(anna, source.id)).includes('ticket_merged_into'));
  const note = (await events(anna, target.id)).find((e) => e.notice?.code === 'ticket_merged_from');
  assert.equal(note.notice.args.ticket, source.id);
  // The customer writes again in the merged ticket's widget: it goes on in the target.
  const again = await source.visitor.call(`/api/v1/widget/conversations/${source.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Any news about 77?' } });
  assert.equal(again.status, 201, again.text);
  assert.ok((await events(anna, target.id)).some((e) => e.kind === 'message' && e.body === 'Any news about 77?'));
  assert.equal((await anna.call(`/api/v1/conversations/${source.id}`)).json.conversation.ticket.status, 'closed');
  // Into itself, into a merged one, or a malformed target: refused naming the field.
  assert.equal((await anna.call(`/api/v1/tickets/${target.id}/merge`, { method: 'POST', body: { into: target.id } })).status, 422);
  const third = await offlineTicket('Order 77 again');
  const intoMerged = await anna.call(`/api/v1/tickets/${third.id}/merge`, { method: 'POST', body: { into: source.id } });
  assert.equal(intoMerged.status, 422);
  assert.ok(intoMerged.json.error.fields.into);
  assert.equal((await anna.call(`/api/v1/tickets/${third.id}/merge`, { method: 'POST', body: { into: 999999 } })).status, 404);
  assert.equal((await anna.call(`/api/v1/tickets/${third.id}/merge`, { method: 'POST', body: {} })).status, 422);
});

test('a merged ticket cannot be reopened, patched, merged or split again: 409 naming where it went', async () => {
  const target = await offlineTicket('Lamp 12 flickers');
  const source = await offlineTicket('LAMP 12 STILL FLICKERS');
  assert.equal((await anna.call(`/api/v1/tickets/${source.id}/merge`, { method: 'POST', body: { into: target.id } })).status, 200);
  const said = `this ticket was merged into #${target.id}`;
  const refused = async (r) => {
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'conflict');
    assert.equal(r.json.error.message, said);
  };
  await refused(await patch(anna, source.id, { status: 'open' }));
  await refused(await patch(anna, source.id, { priority: 'high' }));
  await refused(await anna.call(`/api/v1/conversations/${source.id}/reopen`, { method: 'POST' }));
  await refused(await anna.call(`/api/v1/tickets/${source.id}/merge`, { method: 'POST', body: { into: target.id } }));
  const first = (await events(anna, source.id)).find((e) => e.kind === 'message');
  await refused(await anna.call(`/api/v1/tickets/${source.id}/split`, { method: 'POST', body: { event_id: first.id } }));
  const bulk = await anna.call('/api/v1/tickets/bulk', { method: 'POST', body: { ids: [source.id, target.id], changes: { status: 'open' } } });
  assert.equal(bulk.status, 200, bulk.text);
  const [one, two] = bulk.json.results;
  assert.deepEqual([one.ok, one.status, one.error.message], [false, 409, said]);
  assert.equal(two.ok, true);
  const s = (await anna.call(`/api/v1/conversations/${source.id}`)).json.conversation;
  assert.deepEqual([s.status, s.ticket.status, s.ticket.merged_into], ['closed', 'closed', target.id]);
  // Closing it (it is closed) stays harmless.
  assert.equal((await anna.call(`/api/v1/conversations/${source.id}/close`, { method: 'POST' })).status, 200);
});

test('split: the chosen customer message and later ones become a new ticket', async () => {
  const t = await offlineTicket('Two questions in one');
  const v = t.visitor;
  const more = await v.call(`/api/v1/widget/conversations/${t.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Second question: can I change my address?' } });
  assert.equal(more.status, 201, more.text);
  await v.call(`/api/v1/widget/conversations/${t.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'It is Via Roma 2.' } });
  const note = await anna.call(`/api/v1/conversations/${t.id}/notes`, { method: 'POST', body: { client_id: uuid(), body: 'internal' } });
  const notAMessage = await anna.call(`/api/v1/tickets/${t.id}/split`, { method: 'POST', body: { event_id: note.json.id } });
  assert.equal(notAMessage.status, 422);
  assert.ok(notAMessage.json.error.fields.event_id);
  const r = await anna.call(`/api/v1/tickets/${t.id}/split`, { method: 'POST', body: { event_id: more.json.id } });
  assert.equal(r.status, 201, r.text);
  const split = r.json.ticket;
  assert.notEqual(split.id, t.id);
  assert.equal(split.ticket.status, 'open');
  assert.equal(split.contact.email, t.email);
  const bodies = (await events(anna, split.id)).filter((e) => e.kind === 'message').map((e) => e.body);
  assert.deepEqual(bodies, ['Second question: can I change my address?', 'It is Via Roma 2.']);
  assert.ok(codes(await events(anna, t.id)).includes('ticket_split_to'));
  assert.equal((await anna.call(`/api/v1/tickets/${t.id}/split`, { method: 'POST', body: { event_id: 'x' } })).status, 422);
});

test('custom fields: admins define them, values are checked by type, required ones are needed to solve', async () => {
  const asAgent = await anna.call('/api/v1/ticket-fields', { method: 'POST', body: { key: 'size', label: 'Size', type: 'text' } });
  assert.equal(asAgent.status, 403);
  const bad = await admin.call('/api/v1/ticket-fields', { method: 'POST', body: { key: 'Order No', label: '', type: 'colour' } });
  assert.equal(bad.status, 422);
  for (const f of ['key', 'label', 'type']) assert.ok(bad.json.error.fields[f], f);
  const size = await admin.call('/api/v1/ticket-fields', { method: 'POST', body: { key: 'size', label: 'Size', type: 'select', options: ['S', 'M', 'L'], required: true } });
  assert.equal(size.status, 201, size.text);
  const due = await admin.call('/api/v1/ticket-fields', { method: 'POST', body: { key: 'due', label: 'Due date', type: 'date' } });
  const qty = await admin.call('/api/v1/ticket-fields', { method: 'POST', body: { key: 'qty', label: 'Quantity', type: 'number' } });
  assert.equal(due.status, 201);
  assert.equal(qty.status, 201);
  assert.equal((await admin.call('/api/v1/ticket-fields', { method: 'POST', body: { key: 'size', label: 'Again', type: 'text' } })).status, 422);
  const listed = (await anna.call('/api/v1/ticket-fields')).json.fields.map((f) => f.key);
  assert.deepEqual(listed.filter((k) => ['size', 'due', 'qty'].includes(k)), ['size', 'due', 'qty']);
  assert.ok(!(await other.call('/api/v1/ticket-fields')).json.fields.some((f) => f.key === 'size'));
  assert.equal((await other.call(`/api/v1/ticket-fields/${size.json.id}`, { method: 'PATCH', body: { label: 'Mine' } })).status, 404);
  assert.equal((await other.call(`/api/v1/ticket-fields/${size.json.id}`, { method: 'DELETE' })).status, 404);

  const t = await offlineTicket('Custom fields');
  const wrong = await patch(anna, t.id, { custom_fields: { size: 'XL', due: '2026-02-30', qty: 'three' } });
  assert.equal(wrong.status, 422);
  for (const f of ['custom_fields.size', 'custom_fields.due', 'custom_fields.qty']) assert.ok(wrong.json.error.fields[f], f);
  const unsolved = await patch(anna, t.id, { status: 'solved' });
  assert.equal(unsolved.status, 422);
  assert.ok(unsolved.json.error.fields['custom_fields.size']);
  const ok = await patch(anna, t.id, { custom_fields: { size: 'M', due: '2026-12-24', qty: 2 }, status: 'solved' });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.ticket.custom_fields, { size: 'M', due: '2026-12-24', qty: 2 });
  assert.equal(ok.json.ticket.status, 'solved');
  // The fields are the team's: the customer's widget does not get them.
  const mine = (await t.visitor.call('/api/v1/widget/conversations')).json.conversations.find((c) => c.id === t.id);
  assert.equal(mine.ticket.status, 'solved');
  assert.equal(mine.ticket.custom_fields, undefined);

  const renamed = await admin.call(`/api/v1/ticket-fields/${qty.json.id}`, { method: 'PATCH', body: { label: 'Pieces' } });
  assert.equal(renamed.json.label, 'Pieces');
  for (const id of [size.json.id, due.json.id, qty.json.id])
    assert.equal((await admin.call(`/api/v1/ticket-fields/${id}`, { method: 'DELETE' })).status, 200);
});

test('a chat that cannot be finished becomes a ticket with a 24 h follow-up; a due follow-up reminds its assignee', async () => {
  const v = await newVisitor(server.url);
  const chat = (await v.startChat({ message: 'My printer will not connect, I must go now' })).json;
  const before = Date.now();
  const r = await anna.call(`/api/v1/conversations/${chat.id}/ticket`, { method: 'POST', body: { subject: 'Printer will not connect' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.ticket.status, 'pending_customer');
  assert.equal(r.json.subject, 'Printer will not connect');
  const hours = (r.json.ticket.follow_up_at - before) / 3600e3;
  assert.ok(hours > 23.9 && hours < 24.1, `follow-up in ${hours} h`);
  assert.equal((await anna.call(`/api/v1/conversations/${chat.id}/ticket`, { method: 'POST', body: {} })).status, 409);
  const bad = await anna.call(`/api/v1/conversations/${(await v.startChat()).json.id}/ticket`, { method: 'POST', body: { status: 'solved', follow_up_hours: -1 } });
  assert.equal(bad.status, 422);
  assert.ok(bad.json.error.fields.status && bad.json.error.fields.follow_up_hours);

  // The follow-up comes due: the assignee hears of it, the list flags it.
  await patch(anna, chat.id, { assignee_id: anna.agent.id });
  const socket = anna.ws();
  await socket.opened;
  assert.equal((await patch(anna, chat.id, { follow_up_at: Date.now() - 1000 })).status, 200);
  const frame = await socket.next((f) => f.type === 'ticket_follow_up' && f.conversation_id === chat.id, 15000);
  assert.equal(frame.subject, 'Printer will not connect');
  socket.close();
  assert.ok(codes(await events(anna, chat.id)).includes('ticket_follow_up_due'));
  const due = (await anna.call('/api/v1/tickets?view=follow_up_due')).json.tickets.find((t) => t.id === chat.id);
  assert.equal(due.follow_up_due, true);
});

test('who may act: scope hides tickets, agents do not take colleagues\' tickets, other workspaces see nothing', async () => {
  const t = await offlineTicket('Scope check');
  assert.equal((await patch(anna, t.id, { assignee_id: anna.agent.id })).status, 200);
  // A scoped agent (another inbox) neither sees nor changes it.
  assert.ok(!(await listIds(piotr, 'view=all&limit=200')).includes(t.id));
  assert.equal((await patch(piotr, t.id, { priority: 'high' })).status, 404);
  const piotrViews = (await piotr.call('/api/v1/tickets/views')).json.views;
  assert.equal(piotrViews.all, (await listIds(piotr, 'view=all&limit=200')).length);
  // An agent may change Anna's ticket's fields but not take it; the admin may.
  assert.equal((await patch(marek, t.id, { priority: 'high' })).status, 200);
  assert.equal((await patch(marek, t.id, { assignee_id: marek.agent.id })).status, 403);
  assert.equal((await patch(admin, t.id, { assignee_id: marek.agent.id })).status, 200);
  // Another workspace's admin: every ticket route says 404.
  for (const [path, method, body] of [
    [`/api/v1/tickets/${t.id}`, 'PATCH', { priority: 'low' }],
    [`/api/v1/tickets/${t.id}/merge`, 'POST', { into: t.id }],
    [`/api/v1/tickets/${t.id}/split`, 'POST', { event_id: 1 }],
    [`/api/v1/conversations/${t.id}/ticket`, 'POST', {}],
  ]) assert.equal((await other.call(path, { method, body })).status, 404, path);
  assert.ok(!(await listIds(other, 'view=all&limit=200')).includes(t.id));
  // Merging needs both tickets visible: another workspace's ticket is unknown.
  const foreign = (await (await newVisitor(server.url, (await other.call('/api/v1/inboxes')).json.inboxes[0].public_key))
    .startChat({ kind: 'offline', email: 'y@other.example', message: 'theirs' })).json;
  assert.equal((await anna.call(`/api/v1/tickets/${t.id}/merge`, { method: 'POST', body: { into: foreign.id } })).status, 404);
});
