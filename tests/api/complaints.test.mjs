// The complaint playbook (R7): marking a conversation as a complaint, the
// eight-step checklist with who ticked what and when (unticks kept), the
// resolution rule, withdrawing, agents' rights, the realtime frame, the
// emotional-peak suggestion after an angry customer message, and the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAgent, newVisitor, initWorkspace, DEMO, triaged } from '../lib/server.mjs';

const STEPS = ['thank', 'explain', 'apologise', 'say_what_will_be_done', 'fix', 'report_fix', 'check_satisfaction', 'prevent_recurrence'];
let server, admin, anna, marek, sofia;
const base = (id) => `/api/v1/conversations/${id}/complaint`;
const mark = (who, id, body = {}) => who.call(base(id), { method: 'POST', body });
const tick = (who, id, step, body) => who.call(`${base(id)}/steps/${step}`, { method: 'PUT', body });
const withdraw = (who, id, body) => who.call(base(id), { method: 'DELETE', body });
const agentEvents = async (id) => (await admin.call(`/api/v1/conversations/${id}/events?after=0`)).json.events;
const complaintNotes = async (id) => (await agentEvents(id)).filter((e) => e.notice?.code?.startsWith('complaint_'));
async function chat(fields = {}) {
  const v = await newVisitor(server.url);
  const r = await v.startChat({ message: 'My parcel never arrived.', language: 'en', ...fields });
  assert.equal(r.status, 201, r.text);
  // The widget does not show the contact record: the console does.
  const shown = await admin.call(`/api/v1/conversations/${r.json.id}`);
  return { v, id: r.json.id, contact: shown.json.conversation.contact.id };
}

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
  marek = await loginAgent(server.url, DEMO.marek);
  const r = await admin.call('/api/v1/agents', { method: 'POST', body: { name: 'Sofia', email: 'sofia@demo.switchboard.test', password: 'complaint-pass-1', role: 'supervisor' } });
  assert.equal(r.status, 201, r.text);
  sofia = await loginAgent(server.url, { email: 'sofia@demo.switchboard.test', password: 'complaint-pass-1' });
});
after(async () => { await server.stop(); });

test('an agent marks a complaint; each tick and untick is kept with who and when', async () => {
  const { id } = await chat();
  const none = await anna.call(base(id));
  assert.equal(none.status, 200);
  assert.deepEqual(none.json, { complaint: null, complaint_suggested: false });

  const t0 = Date.now();
  const m = await mark(anna, id, { category: 'delivery' });
  assert.equal(m.status, 201, m.text);
  const c = m.json.complaint;
  assert.equal(c.status, 'open');
  assert.equal(c.category, 'delivery');
  assert.equal(c.marked_by.name, anna.agent.name);
  assert.equal(c.marked_by.id, anna.agent.id);
  assert.deepEqual(c.steps.map((s) => s.key), STEPS);
  assert.ok(c.steps.every((s) => !s.done && s.by === null && s.at === null));
  assert.deepEqual(c.progress, { done: 0, total: 8 });
  // Marking again is no new complaint; a category changes it.
  const again = await mark(marek, id, { category: 'product' });
  assert.equal(again.status, 200);
  assert.equal(again.json.complaint.id, c.id);
  assert.equal(again.json.complaint.category, 'product');

  const t1 = await tick(anna, id, 'thank', { done: true, note: 'Thanked her on the phone' });
  assert.equal(t1.status, 200, t1.text);
  const thank = t1.json.complaint.steps[0];
  assert.equal(thank.done, true);
  assert.equal(thank.by.id, anna.agent.id);
  assert.equal(thank.note, 'Thanked her on the phone');
  assert.ok(thank.at >= t0 && thank.at <= Date.now());
  const t2 = await tick(marek, id, 'apologise', { done: true });
  assert.equal(t2.json.complaint.progress.done, 2);
  // Marek unticks Anna's step: the step shows the untick, the history keeps both.
  const un = await tick(marek, id, 'thank', { done: false, note: 'not yet, wrong customer' });
  const s = un.json.complaint.steps[0];
  assert.equal(s.done, false);
  assert.equal(s.by.id, marek.agent.id);
  const hist = un.json.complaint.history.filter((h) => h.step === 'thank');
  assert.deepEqual(hist.map((h) => [h.done, h.by.id]), [[true, anna.agent.id], [false, marek.agent.id]]);
  assert.equal(un.json.complaint.progress.done, 1);
  // The same state again without a note writes nothing.
  const same = await tick(marek, id, 'thank', { done: false });
  assert.equal(same.json.complaint.history.length, 3);
  assert.equal(same.json.complaint.revision, un.json.complaint.revision);

  const notes = await complaintNotes(id);
  assert.equal(notes.length, 1);
  assert.equal(notes[0].kind, 'note');
  assert.equal(notes[0].notice.code, 'complaint_marked');
  assert.equal(notes[0].author.id, anna.agent.id);
});

test('bad input: 400 invalid_json, 422 naming the field, unknown step or conversation 404', async () => {
  const { id } = await chat();
  const raw = await anna.call(base(id), { method: 'POST', body: '{nope' });
  assert.equal(raw.status, 400);
  assert.equal(raw.json.error.code, 'invalid_json');
  const cat = await mark(anna, id, { category: '<script>' });
  assert.equal(cat.status, 422);
  // The API's one 422 shape (as tickets and contacts answer it).
  assert.equal(cat.json.error.code, 'invalid');
  assert.match(cat.json.error.message, /^category: /);
  assert.ok(cat.json.error.fields.category, cat.text);
  assert.equal((await mark(anna, id, { category: 7 })).status, 422);
  assert.equal((await tick(anna, id, 'thank', { done: true })).status, 404, 'not a complaint yet');
  assert.equal((await mark(anna, id)).status, 201);
  const done = await tick(anna, id, 'thank', { done: 'yes' });
  assert.equal(done.status, 422);
  assert.ok(done.json.error.fields.done);
  const long = await tick(anna, id, 'thank', { done: true, note: 'x'.repeat(2001) });
  assert.equal(long.status, 422);
  assert.ok(long.json.error.fields.note);
  // Every bad field at once.
  const both = await tick(anna, id, 'thank', { done: 'yes', note: 42 });
  assert.equal(both.status, 422);
  assert.deepEqual(Object.keys(both.json.error.fields).sort(), ['done', 'note']);
  assert.equal(both.json.error.code, 'invalid');
  assert.equal((await tick(anna, id, 'bribe', { done: true })).status, 404);
  const noReason = await withdraw(anna, id, {});
  assert.equal(noReason.status, 422);
  assert.ok(noReason.json.error.fields.reason);
  assert.equal((await anna.call(base(99999999))).status, 404);
  assert.equal((await mark(anna, 99999999)).status, 404);
  assert.equal((await anna.call(`${base(id)}/reopen`, { method: 'POST' })).status, 409, 'it is not resolved');
});

test('another workspace\'s complaint is unknown (404), and the report is per workspace', async () => {
  const { id } = await chat();
  assert.equal((await mark(anna, id, { category: 'billing' })).status, 201);
  const two = initWorkspace(server.dataDir, 'Other Shop', 'boss@other-shop.example', 'other-pass-123');
  assert.ok(two.inbox_key);
  const boss = await loginAgent(server.url, { email: 'boss@other-shop.example', password: 'other-pass-123' });
  assert.equal((await boss.call(base(id))).status, 404);
  assert.equal((await mark(boss, id)).status, 404);
  assert.equal((await tick(boss, id, 'thank', { done: true })).status, 404);
  assert.equal((await withdraw(boss, id, { reason: 'x' })).status, 404);
  assert.equal((await boss.call(`${base(id)}/resolve`, { method: 'POST', body: {} })).status, 404);
  const rep = await boss.call('/api/v1/reports/complaints');
  assert.equal(rep.status, 200);
  assert.equal(rep.json.total, 0);
});

test('rights: anyone may tick, only the author or a supervisor may withdraw; reports are for supervisors', async () => {
  const { id } = await chat();
  assert.equal((await mark(anna, id)).status, 201);
  assert.equal((await tick(marek, id, 'explain', { done: true })).status, 200);
  const refused = await withdraw(marek, id, { reason: 'I do not think so' });
  assert.equal(refused.status, 403, refused.text);
  const byBoss = await withdraw(sofia, id, { reason: 'A question, not a complaint' });
  assert.equal(byBoss.status, 200, byBoss.text);
  assert.equal(byBoss.json.complaint, null);
  assert.equal((await anna.call(base(id))).json.complaint, null);
  const notes = await complaintNotes(id);
  assert.deepEqual(notes.map((n) => n.notice.code), ['complaint_marked', 'complaint_withdrawn']);
  assert.equal(notes[1].notice.args.reason, 'A question, not a complaint');
  // Withdrawn: marking again starts a new one, which its author may withdraw.
  const fresh = await mark(marek, id);
  assert.equal(fresh.status, 201);
  assert.equal(fresh.json.complaint.progress.done, 0);
  assert.equal((await withdraw(marek, id, { reason: 'mine to undo' })).status, 200);
  assert.equal((await withdraw(marek, id, { reason: 'again' })).status, 404, 'nothing left to withdraw');
  assert.equal((await anna.call('/api/v1/reports/complaints')).status, 403);
  assert.equal((await sofia.call('/api/v1/reports/complaints')).status, 200);
});

test('resolved when fixed, reported and checked; unticking the fix reopens; explicit resolve and reopen', async () => {
  const { id } = await chat();
  await mark(anna, id);
  for (const s of ['fix', 'report_fix']) assert.equal((await tick(anna, id, s, { done: true })).json.complaint.status, 'open');
  const done = await tick(anna, id, 'check_satisfaction', { done: true, note: 'She is happy' });
  assert.equal(done.json.complaint.status, 'resolved');
  assert.equal(done.json.complaint.resolution, 'steps');
  assert.ok(done.json.complaint.resolved_at > 0);
  const back = await tick(marek, id, 'fix', { done: false, note: 'the replacement is broken too' });
  assert.equal(back.json.complaint.status, 'open');
  assert.equal(back.json.complaint.resolved_at, null);
  const explicit = await anna.call(`${base(id)}/resolve`, { method: 'POST', body: { note: 'Refunded in full' } });
  assert.equal(explicit.status, 200, explicit.text);
  assert.equal(explicit.json.complaint.resolution, 'agent');
  assert.equal(explicit.json.complaint.resolved_by.id, anna.agent.id);
  // An agent's resolution is a decision: unticking does not undo it; reopening does.
  assert.equal((await tick(anna, id, 'report_fix', { done: false })).json.complaint.status, 'resolved');
  const reopened = await marek.call(`${base(id)}/reopen`, { method: 'POST' });
  assert.equal(reopened.status, 200);
  assert.equal(reopened.json.complaint.status, 'open');
  const codes = (await complaintNotes(id)).map((n) => n.notice.code);
  assert.deepEqual(codes, ['complaint_marked', 'complaint_resolved_steps', 'complaint_reopened', 'complaint_resolved', 'complaint_reopened']);
});

test('other consoles viewing the conversation get each new state live', async () => {
  const { id } = await chat();
  const ws = marek.ws();
  await ws.opened;
  ws.send({ type: 'subscribe', conversation_id: id, after_seq: 0 });
  await ws.next((f) => f.type === 'event' && f.event.conversation_id === id);
  await mark(anna, id);
  await tick(anna, id, 'apologise', { done: true, note: 'Sorry said twice' });
  const f = await ws.next((fr) => fr.type === 'complaint' && fr.complaint?.progress.done === 1);
  assert.equal(f.conversation_id, id);
  const step = f.complaint.steps.find((s) => s.key === 'apologise');
  assert.equal(step.by.name, anna.agent.name);
  assert.equal(step.note, 'Sorry said twice');
  ws.close();
});

test('an angry customer message through the widget suggests a complaint; taking or dismissing it', async () => {
  const calm = await chat();
  const { v, id } = await chat();
  const r = await v.call(`/api/v1/widget/conversations/${id}/messages`, { method: 'POST', body: { client_id: crypto.randomUUID(), body: 'This is a f***ing scam, I will call my lawyer!!! Worst shop ever.' } });
  assert.equal(r.status, 201, r.text);
  await triaged(server.url);
  const s = await anna.call(base(id));
  assert.equal(s.json.complaint_suggested, true, s.text);
  assert.equal(s.json.complaint, null);
  assert.equal((await anna.call(base(calm.id))).json.complaint_suggested, false, 'a calm chat is not suggested');
  // The customer never sees any of it.
  const seen = (await v.call(`/api/v1/widget/conversations/${id}/events?after=0`)).json.events;
  assert.ok(!seen.some((e) => e.kind === 'note'));
  // Dismissed: no longer suggested, and nothing to tick.
  const no = await withdraw(marek, id, { reason: 'Angry at the courier, already sorted' });
  assert.equal(no.status, 200, no.text);
  assert.deepEqual(no.json, { complaint: null, complaint_suggested: false });
  assert.equal((await complaintNotes(id)).at(-1).notice.code, 'complaint_dismissed');
  // Another angry chat, taken: the complaint remembers it was suggested.
  const other = await chat({ message: 'I am FURIOUS, this is the third time I write!!! I will cancel my account.' });
  await triaged(server.url);
  assert.equal((await anna.call(base(other.id))).json.complaint_suggested, true);
  const taken = await mark(anna, other.id);
  assert.equal(taken.status, 201);
  assert.equal(taken.json.complaint.suggested, true);
  assert.equal(taken.json.complaint_suggested, false);
});

test('the report on a known set: counts, time to resolve, categories, recurrence, skipped steps', async () => {
  // A fresh workspace, so earlier tests do not count.
  initWorkspace(server.dataDir, 'Report Shop', 'boss@report.example', 'report-pass-123');
  const boss = await loginAgent(server.url, { email: 'boss@report.example', password: 'report-pass-123' });
  const key = (await boss.call('/api/v1/inboxes')).json.inboxes[0].public_key;
  const from = Date.now() - 1000;
  const start = async (email) => {
    const v = await newVisitor(server.url, key);
    const r = await v.startChat({ inbox_key: key, email, message: 'complaint', language: 'en' });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  // Laura complains twice about delivery, then once about billing; Piotr once about delivery.
  const l1 = await start('laura@example.com');
  const l2 = await start('laura@example.com');
  const l3 = await start('laura@example.com');
  const p1 = await start('piotr@example.com');
  const w1 = await start('wanda@example.com');
  for (const [id, category] of [[l1, 'delivery'], [l2, 'delivery'], [l3, 'billing'], [p1, 'delivery'], [w1, 'product']])
    assert.equal((await mark(boss, id, { category })).status, 201);
  // l1 and p1 resolved by the steps (only those three ticked), l2 by the agent; w1 withdrawn.
  for (const id of [l1, p1]) for (const s of ['fix', 'report_fix', 'check_satisfaction']) await tick(boss, id, s, { done: true });
  await tick(boss, l2, 'thank', { done: true });
  await boss.call(`${base(l2)}/resolve`, { method: 'POST', body: {} });
  await withdraw(boss, w1, { reason: 'duplicate' });

  const r = await boss.call(`/api/v1/reports/complaints?from=${from}&to=${Date.now() + 1000}&recurrence_days=30`);
  assert.equal(r.status, 200, r.text);
  const rep = r.json;
  assert.equal(rep.total, 4);
  assert.equal(rep.open, 1);
  assert.equal(rep.resolved, 3);
  assert.equal(rep.time_to_resolve.count, 3);
  assert.ok(rep.time_to_resolve.median_ms >= 0 && rep.time_to_resolve.p90_ms >= rep.time_to_resolve.median_ms);
  assert.deepEqual(rep.by_category, [
    { category: 'delivery', total: 3, open: 0, resolved: 3, repeats: 1 },
    { category: 'billing', total: 1, open: 1, resolved: 0, repeats: 0 },
  ]);
  assert.deepEqual(rep.recurrence, { days: 30, contact_repeats: 2, same_category_repeats: 1, repeat_contacts: 1 });
  const skipped = Object.fromEntries(rep.skipped_steps.map((s) => [s.step, s.skipped]));
  assert.deepEqual(skipped, { thank: 2, explain: 3, apologise: 3, say_what_will_be_done: 3, fix: 1, report_fix: 1, check_satisfaction: 1, prevent_recurrence: 3 });
  assert.equal(rep.skipped_steps[0].of, 3);
  assert.equal(rep.skipped_steps[0].skipped, 3);
  // A window before any of it is empty; a bad range names its field.
  const empty = await boss.call(`/api/v1/reports/complaints?from=${from - 100000}&to=${from - 50000}`);
  assert.equal(empty.json.total, 0);
  const bad = await boss.call(`/api/v1/reports/complaints?from=${from}&to=${from - 1}`);
  assert.equal(bad.status, 422);
  assert.ok(bad.json.error.fields.from);
  assert.ok((await boss.call('/api/v1/reports/complaints?recurrence_days=0')).json.error.fields.recurrence_days);
  const twoBad = (await boss.call('/api/v1/reports/complaints?to=x&recurrence_days=999')).json.error;
  assert.deepEqual([twoBad.code, Object.keys(twoBad.fields).sort()], ['invalid', ['recurrence_days', 'to']]);
});
