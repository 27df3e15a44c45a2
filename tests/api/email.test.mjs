// The e-mail channel end to end, against real Dovecot (IMAP, LMTP) and OpenSMTPD
// started for this file (tests/mail/mailservers.sh): a customer's mail becomes a
// ticket, is acknowledged, the agent's reply arrives in the customer's mailbox
// with the threading headers and signature, and the customer's answer joins the
// same ticket. Settings: validation, no secrets out, workspace isolation, and a
// connection test that names what failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginAgent, initWorkspace, newVisitor, sqlOn, onPostgres, request, DEMO, uuid, until } from '../lib/server.mjs';

// The widget wants a dotted domain; the test Dovecot delivers by local part alone.
const CUSTOMER_ADDRESS = 'customer@customer.example';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'mail', 'mailservers.sh');
let mail, mailDir, server, admin, anna, other, inbox;

before(async () => {
  mailDir = mkdtempSync(join(tmpdir(), 'sb-mail-'));
  mail = JSON.parse(execFileSync('bash', [SCRIPT, 'start', mailDir], { encoding: 'utf8' }));
  assert.ok(mail.smtp, 'the SMTP server must start (it needs root for its private mount namespace)');
  server = await startServer();
  initWorkspace(server.dataDir, 'Other Co', 'boss@other.test', 'other-pass-1');
  [admin, anna, other] = await Promise.all([
    loginAgent(server.url, DEMO.admin), loginAgent(server.url, DEMO.anna),
    loginAgent(server.url, { email: 'boss@other.test', password: 'other-pass-1' })]);
  inbox = (await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Support mail' } })).json;
});

after(async () => {
  await server?.stop();
  if (mailDir) execFileSync('bash', [SCRIPT, 'stop', mailDir]);
});

const settings = (overrides = {}) => ({
  enabled: true,
  imap: { host: '127.0.0.1', port: mail.imap.plain, security: 'none', user: mail.user, password: mail.password },
  smtp: { host: '127.0.0.1', port: mail.smtp.plain, security: 'none', user: '', password: '' },
  folder: 'INBOX',
  from_address: mail.address,
  display_name: 'Demo Support',
  company: { name: 'Demo Shop S.r.l.', department: 'Customer Service', address: 'Via Roma 1, 00100 Roma', phone: '+39 06 123456', email: mail.address, tax_id: 'IT01234567890' },
  answer_promise: 'We answer within one working day.',
  ...overrides,
});

// Hands a raw mail to the SMTP server, as a customer's mail program would.
function sendMail(from, to, raw) {
  const file = join(mailDir, `out-${uuid()}.eml`);
  writeFileSync(file, raw.replace(/\r?\n/g, '\r\n'));
  execFileSync('curl', ['-sS', `smtp://127.0.0.1:${mail.smtp.plain}`, '--mail-from', from, '--mail-rcpt', to, '--upload-file', file]);
}

function customerMails() {
  const out = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(mail.customer.maildir, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) out.push(readFileSync(join(dir, f), 'utf8'));
  }
  return out;
}

const header = (raw, name) => raw.match(new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'mi'))?.[1].replace(/\r?\n[ \t]+/g, ' ').trim();

async function emailTickets() {
  const r = await admin.call('/api/v1/conversations?view=all');
  return r.json.conversations.filter((c) => c.kind === 'email');
}

test('settings are validated, never show a password, and belong to one workspace', async () => {
  const bad = await admin.call(`/api/v1/inboxes/${inbox.id}/email`, { method: 'PUT', body: settings({ from_address: 'not an address', imap: { host: '', port: 0 } }) });
  assert.equal(bad.status, 422);
  assert.match(bad.json.error.message, /address/i);
  const notJson = await admin.call(`/api/v1/inboxes/${inbox.id}/email`, { method: 'PUT', raw: '{oops', headers: { 'content-type': 'application/json' } });
  assert.equal(notJson.status, 400);
  const unknown = await admin.call('/api/v1/inboxes/999999/email', { method: 'PUT', body: settings() });
  assert.equal(unknown.status, 404);
  const foreign = await other.call(`/api/v1/inboxes/${inbox.id}/email`);
  assert.equal(foreign.status, 404);
  const agent = await anna.call(`/api/v1/inboxes/${inbox.id}/email`);
  assert.equal(agent.status, 403);

  const saved = await admin.call(`/api/v1/inboxes/${inbox.id}/email`, { method: 'PUT', body: settings() });
  assert.equal(saved.status, 200);
  assert.equal(saved.json.imap.password_set, true);
  const read = await admin.call(`/api/v1/inboxes/${inbox.id}/email`);
  assert.ok(!JSON.stringify(read.json).includes(mail.password), 'the password never comes back');
  assert.equal(read.json.company.tax_id, 'IT01234567890');
  // Stored sealed, not in clear, in the database (SQLite: the whole file).
  const db = onPostgres ? Buffer.from(sqlOn(server.dataDir, 'SELECT * FROM inbox_mail'))
    : readFileSync(join(server.dataDir, 'switchboard.db'));
  assert.ok(!db.includes(Buffer.from(mail.password)), 'no clear-text password on disk');
});

test('the connection test says which step failed', async () => {
  const ok = await admin.call(`/api/v1/inboxes/${inbox.id}/email/test`, { method: 'POST' });
  assert.equal(ok.status, 200);
  assert.deepEqual([ok.json.imap.ok, ok.json.smtp.ok], [true, true], JSON.stringify(ok.json));
  const wrong = await admin.call(`/api/v1/inboxes/${inbox.id}/email/test`, { method: 'POST', body: { imap: { password: 'wrong' } } });
  assert.equal(wrong.json.imap.ok, false);
  assert.equal(wrong.json.imap.stage, 'auth');
  const closed = await admin.call(`/api/v1/inboxes/${inbox.id}/email/test`, { method: 'POST', body: { smtp: { port: 1 } } });
  assert.equal(closed.json.smtp.ok, false);
  assert.equal(closed.json.smtp.stage, 'connect');
});

test('a customer mail becomes a ticket, is acknowledged, the reply arrives threaded and signed, the answer joins the ticket', async () => {
  const customer = mail.customer.address;
  const firstId = `<${uuid()}@customer.example>`;
  sendMail(customer, mail.address, [
    `From: Laura Bianchi <${customer}>`, `To: ${mail.address}`, 'Subject: Ordine 4711 non arrivato',
    `Message-ID: ${firstId}`, 'Date: Thu, 03 Dec 2026 10:00:00 +0100', 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '',
    'Buongiorno, il mio ordine 4711 non è ancora arrivato. Potete aiutarmi?', ''].join('\n'));

  const ticket = await until(async () => (await emailTickets()).find((c) => c.subject === 'Ordine 4711 non arrivato'), 'the ticket', 20000);
  assert.equal(ticket.contact.email, customer);
  assert.equal(ticket.ticket.status, 'new');

  const ack = await until(() => customerMails().find((m) => /^Auto-Submitted:/mi.test(m)), 'the acknowledgement', 20000);
  assert.match(header(ack, 'Subject'), new RegExp(`\\[#${ticket.id}\\]`));
  assert.match(ack, /one working day/);

  const reply = await anna.call(`/api/v1/conversations/${ticket.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Buongiorno Laura, il pacco arriva domani.' } });
  assert.equal(reply.status, 201);
  const sent = await until(() => customerMails().find((m) => m.includes('il pacco arriva domani')), 'the reply in the customer\'s mailbox', 20000);
  assert.equal(header(sent, 'In-Reply-To'), firstId);
  assert.match(header(sent, 'References'), new RegExp(firstId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(header(sent, 'Subject'), `Re: Ordine 4711 non arrivato [#${ticket.id}]`);
  assert.match(sent, /Anna Rossi/);
  assert.match(sent, /Demo Shop S\.r\.l\./);
  assert.match(sent, /IT01234567890/);
  const ourId = header(sent, 'Message-ID');
  assert.ok(ourId);

  sendMail(customer, mail.address, [
    `From: Laura Bianchi <${customer}>`, `To: ${mail.address}`, `Subject: Re: Ordine 4711 non arrivato [#${ticket.id}]`,
    `Message-ID: <${uuid()}@customer.example>`, `In-Reply-To: ${ourId}`, `References: ${firstId} ${ourId}`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
    'Grazie mille!', '', '> Buongiorno Laura, il pacco arriva domani.', ''].join('\n'));
  const events = await until(async () => {
    const r = await admin.call(`/api/v1/conversations/${ticket.id}/events`);
    const msgs = r.json.events.filter((e) => e.kind === 'message');
    return msgs.some((e) => e.body.includes('Grazie mille')) && msgs;
  }, 'the answer on the same ticket', 20000);
  assert.equal(events.at(-1).body.trim(), 'Grazie mille!', 'the quoted history is folded away');
  assert.equal((await emailTickets()).filter((c) => c.contact.email === customer).length, 1, 'no second ticket');
});

test('the widget\'s offline form is acknowledged by mail and the agent\'s reply arrives by mail', async () => {
  const v = await newVisitor(server.url);
  const form = await v.startChat({ kind: 'offline', email: CUSTOMER_ADDRESS, topic: 'Fattura', message: 'Mi serve la fattura del mese scorso.' });
  assert.equal(form.status, 201);
  const id = form.json.id;
  assert.equal(form.json.ticket.status, 'new');
  const ack = await until(() => customerMails().find((m) => /^Auto-Submitted:/mi.test(m) && m.includes(`#${id}`)), 'the form\'s acknowledgement', 20000);
  assert.match(ack, /one working day/);
  const reply = await anna.call(`/api/v1/conversations/${id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Eccola in allegato, a presto.' } });
  assert.equal(reply.status, 201);
  const sent = await until(() => customerMails().find((m) => m.includes('Eccola in allegato')), 'the reply to the form', 20000);
  assert.match(header(sent, 'Subject'), new RegExp(`\\[#${id}\\]`));
  assert.match(header(sent, 'Reply-To'), new RegExp(`\\+t${id}-`));
  // A note is internal: it never leaves by mail.
  await anna.call(`/api/v1/conversations/${id}/notes`, { method: 'POST', body: { client_id: uuid(), body: 'internal: customer VIP' } });
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(!customerMails().some((m) => m.includes('customer VIP')));
});

test('a solved ticket\'s customer is mailed the ticket survey once; the answer lands in its report', async () => {
  const survey = (await admin.call('/api/v1/surveys', { method: 'POST', body: { name: 'After your ticket', questions: [
    { type: 'rating', label: 'How did we do?', scale: '5', required: true }, { type: 'text', label: 'Anything to add?' }] } })).json;
  const off = await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { tickets: { enabled: true } } });
  assert.equal(off.status, 422);
  assert.ok(off.json.error.fields['tickets.survey_id']);
  const set = await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { tickets: { enabled: true, survey_id: survey.id } } });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.json.tickets, { enabled: true, survey_id: survey.id });
  assert.equal(set.json.chat.scale, '3', 'the chat rating settings are left as they were');

  const v = await newVisitor(server.url);
  const id = (await v.startChat({ kind: 'offline', email: CUSTOMER_ADDRESS, topic: 'Reso', message: 'Vorrei restituire le scarpe.' })).json.id;
  await anna.call(`/api/v1/conversations/${id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Le mando l\'etichetta per il reso.' } });
  const invites = () => customerMails().map((m) => m.replace(/=\r?\n/g, '')).filter((m) => header(m, 'Subject') === `How did we do? [#${id}]`);
  assert.equal((await admin.call(`/api/v1/tickets/${id}`, { method: 'PATCH', body: { status: 'solved' } })).status, 200);
  const invite = (await until(() => invites()[0], 'the survey invitation', 20000));
  assert.match(invite, /^Auto-Submitted:/mi);
  const token = invite.match(/https?:\/\/\S+\/s\/([0-9a-f]{48})/)[1];
  const open = await request(server.url, `/api/v1/public/surveys/${token}`);
  assert.equal(open.json.survey.name, 'After your ticket');
  const answered = await request(server.url, `/api/v1/public/surveys/${token}`, { method: 'POST', body: { answers: { q1: 5, q2: 'Veloci!' } } });
  assert.equal(answered.status, 201, answered.text);

  // Reopened and solved again: asked once per ticket.
  assert.equal((await admin.call(`/api/v1/tickets/${id}`, { method: 'PATCH', body: { status: 'open' } })).status, 200);
  assert.equal((await admin.call(`/api/v1/tickets/${id}`, { method: 'PATCH', body: { status: 'solved' } })).status, 200);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(invites().length, 1);

  const report = (await admin.call(`/api/v1/reports/nps?survey_id=${survey.id}`)).json;
  assert.equal(report.responses, 1);
  assert.deepEqual(report.questions[0].distribution, { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 });
  const csv = (await admin.call(`/api/v1/reports/nps?survey_id=${survey.id}&format=csv`)).text.split('\r\n');
  assert.match(csv[1], new RegExp(`"email","\\d+","${id}"`));
  await admin.call('/api/v1/settings/survey', { method: 'PUT', body: { tickets: { enabled: false } } });
});

test('a transcript requested in the widget arrives by mail, without internal notes', async () => {
  const v = await newVisitor(server.url);
  const chat = (await v.startChat({ message: 'Dove trovo il mio numero cliente?' })).json;
  await anna.call(`/api/v1/conversations/${chat.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Lo trova nella prima e-mail di benvenuto.' } });
  await anna.call(`/api/v1/conversations/${chat.id}/notes`, { method: 'POST', body: { client_id: uuid(), body: 'secret internal remark' } });
  const r = await v.call(`/api/v1/widget/conversations/${chat.id}/transcript`, { method: 'POST', body: { email: CUSTOMER_ADDRESS } });
  assert.equal(r.status, 202);
  assert.equal(r.json.sent, true);
  const t = await until(() => customerMails().find((m) => m.includes(`Transcript of your conversation #${chat.id}`)), 'the transcript', 20000);
  assert.match(t, /Dove trovo il mio numero cliente/);
  assert.match(t, /prima e-mail di benvenuto/);
  assert.ok(!t.includes('secret internal remark'));
  const bad = await v.call(`/api/v1/widget/conversations/${chat.id}/transcript`, { method: 'POST', body: { email: 'nope' } });
  assert.equal(bad.status, 400);
});

// ---- the console's view of mail: GET /conversations/:id/mail, the framed HTML page,
// replies with Cc/Bcc and attachments, delivery states and retry, lost replies.

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

async function ticketBySubject(subject) {
  return until(async () => (await emailTickets()).find((c) => c.subject === subject), `the ticket "${subject}"`, 20000);
}

async function mailOf(who, id) {
  const r = await who.call(`/api/v1/conversations/${id}/mail`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('the console reads a ticket\'s mail: headers, quoted history, the HTML as a sandboxed page of its own; only agents who see the ticket', async () => {
  const customer = mail.customer.address;
  const subject = `HTML order question ${uuid().slice(0, 6)}`;
  const b = 'alt-' + uuid();
  const r = 'rel-' + uuid();
  sendMail(customer, mail.address, [
    `From: Laura Bianchi <${customer}>`, `To: ${mail.address}`, `Cc: Marco <marco@partner.example>`, `Subject: ${subject}`,
    `Message-ID: <${uuid()}@customer.example>`, 'MIME-Version: 1.0', `Content-Type: multipart/related; boundary="${r}"`, '',
    `--${r}`, `Content-Type: multipart/alternative; boundary="${b}"`, '',
    `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', 'Where is my lamp?', '', 'On Monday, Shop wrote:', '> It has shipped.', '',
    `--${b}`, 'Content-Type: text/html; charset=utf-8', '',
    '<p style="color:#b91c1c">Where is my <b>lamp</b>?</p><img src="cid:logo@x" alt="logo"><img src="https://tracker.example/p.gif" alt="pixel"><script>alert(1)</script>',
    `--${b}--`,
    `--${r}`, 'Content-Type: image/png', 'Content-Transfer-Encoding: base64', 'Content-ID: <logo@x>', 'Content-Disposition: inline; filename="logo.png"', '', PNG_1x1,
    `--${r}--`, ''].join('\n'));
  const ticket = await ticketBySubject(subject);

  const m = await mailOf(anna, ticket.id);
  assert.equal(m.mail, true);
  assert.deepEqual(m.to, { name: 'Laura Bianchi', address: customer });
  assert.ok(m.participants.some((p) => p.address === 'marco@partner.example'), 'the Cc is on the ticket');
  const inbound = m.messages.find((e) => e.direction === 'in');
  assert.equal(inbound.subject, subject);
  assert.equal(inbound.from.address, customer);
  assert.deepEqual(inbound.cc.map((a) => a.address), ['marco@partner.example']);
  assert.match(inbound.quoted, /It has shipped/);
  assert.match(inbound.html, /data-src="https:\/\/tracker\.example\/p\.gif"/);
  assert.ok(!/<script/i.test(inbound.html));
  assert.match(m.signature, /^Anna Rossi\n/);

  // The framed page: its own CSP, inline images inside it, remote ones only when asked.
  const page = await anna.call(`/api/v1/conversations/${ticket.id}/mail/${inbound.event_id}/html`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /^sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'/);
  assert.doesNotMatch(csp, /allow-scripts|allow-same-origin|https:/);
  assert.equal(page.headers.get('x-frame-options'), 'SAMEORIGIN');
  assert.match(page.text, /<img src="data:image\/png;base64,iVBORw0KGgo/);
  assert.match(page.text, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:;/);
  assert.match(page.text, / data-src="https:\/\/tracker\.example\/p\.gif"/, 'the pixel waits');
  assert.doesNotMatch(page.text, /\ssrc="https:/, 'the pixel waits');
  const remote = await anna.call(`/api/v1/conversations/${ticket.id}/mail/${inbound.event_id}/html?remote=1`);
  assert.match(remote.headers.get('content-security-policy'), /img-src data: https: http:;/);
  assert.match(remote.text, /\ssrc="https:\/\/tracker\.example\/p\.gif"/);

  // Another workspace, an unknown mail, a chat.
  assert.equal((await other.call(`/api/v1/conversations/${ticket.id}/mail`)).status, 404);
  assert.equal((await other.call(`/api/v1/conversations/${ticket.id}/mail/${inbound.event_id}/html`)).status, 404);
  assert.equal((await anna.call(`/api/v1/conversations/${ticket.id}/mail/999999999/html`)).status, 404);
  assert.equal((await anna.call(`/api/v1/conversations/999999999/mail`)).status, 404);
  const v = await newVisitor(server.url);
  const chat = (await v.startChat({ message: 'hello' })).json;
  assert.deepEqual((await mailOf(anna, chat.id)).messages, []);
  assert.equal((await mailOf(anna, chat.id)).mail, false);
});

test('a reply with Cc, Bcc, an attachment and the quote: Cc in the headers, Bcc only in the envelope, the title in the signature', async () => {
  const annaId = (await admin.call('/api/v1/agents')).json.agents.find((a) => a.email === DEMO.anna.email).id;
  const titled = await admin.call(`/api/v1/agents/${annaId}`, { method: 'PATCH', body: { title: 'Customer Care Lead' } });
  assert.equal(titled.status, 200);
  assert.equal(titled.json.title, 'Customer Care Lead');
  assert.equal((await admin.call(`/api/v1/agents/${annaId}`, { method: 'PATCH', body: { title: 42 } })).status, 422);

  const customer = mail.customer.address;
  const subject = `Reply with copies ${uuid().slice(0, 6)}`;
  sendMail(customer, mail.address, [`From: Laura <${customer}>`, `To: ${mail.address}`, `Subject: ${subject}`, `Message-ID: <${uuid()}@customer.example>`, '', 'Please send the invoice.', ''].join('\n'));
  const ticket = await ticketBySubject(subject);
  const url = `/api/v1/conversations/${ticket.id}/mail/replies`;

  // Validation: field-named 422s, malformed JSON 400, a chat 409, another workspace 404.
  const bad = await anna.call(url, { method: 'POST', body: { client_id: uuid(), body: 'x', cc: ['nope'] } });
  assert.equal(bad.status, 422);
  assert.match(bad.json.error.message, /^cc: 'nope' is not an e-mail address/);
  assert.equal((await anna.call(url, { method: 'POST', body: { client_id: uuid(), body: 'x', bcc: 'a@b.example' } })).status, 422);
  assert.equal((await anna.call(url, { method: 'POST', body: { client_id: uuid(), body: 'x', cc: Array(21).fill('a@b.example') } })).status, 422);
  assert.equal((await anna.call(url, { method: 'POST', raw: '{oops', headers: { 'content-type': 'application/json' } })).status, 400);
  assert.equal((await other.call(url, { method: 'POST', body: { client_id: uuid(), body: 'x' } })).status, 404);
  const v = await newVisitor(server.url);
  const chat = (await v.startChat({ message: 'hello' })).json;
  assert.equal((await anna.call(`/api/v1/conversations/${chat.id}/mail/replies`, { method: 'POST', body: { client_id: uuid(), body: 'x' } })).status, 409);

  const up = await anna.call('/api/v1/uploads', { method: 'POST', raw: Buffer.from('%PDF-1.4\n%invoice 4711\n'), headers: { 'content-type': 'application/pdf', 'x-filename': 'fattura-4711.pdf' } });
  assert.equal(up.status, 201, up.text);
  const clientId = uuid();
  const body = { client_id: clientId, body: 'Ecco la fattura.', attachment_ids: [up.json.id], cc: [{ name: 'Marco', address: 'Customer@Partner.example' }], bcc: ['customer@hidden.example'], quote: '> Please send the invoice.' };
  const sentReply = await anna.call(url, { method: 'POST', body });
  assert.equal(sentReply.status, 201, sentReply.text);
  assert.equal(sentReply.json.body, 'Ecco la fattura.');
  // The same client id again: the same event, no second mail.
  const again = await anna.call(url, { method: 'POST', body });
  assert.equal(again.status, 200);
  assert.equal(again.json.id, sentReply.json.id);

  const raw = await until(() => customerMails().find((m) => m.includes('Ecco la fattura')), 'the reply with copies', 20000);
  assert.match(header(raw, 'Cc'), /Marco <customer@partner\.example>/);
  assert.match(raw, /filename="?fattura-4711\.pdf/);
  assert.match(raw, /Anna Rossi\r?\nCustomer Care Lead\r?\n/);
  assert.match(raw, /^> Please send the invoice\./m);
  // Delivered to To, Cc and Bcc (all three reach the test customer's mailbox): once each.
  await until(() => customerMails().filter((m) => m.includes('Ecco la fattura')).length === 3, 'three copies', 20000);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(customerMails().filter((m) => m.includes('Ecco la fattura')).length, 3);
  // Each delivered copy names its own envelope recipient in the trace headers the
  // servers add (Received, Delivered-To); what we wrote never names the Bcc.
  const ours = (m) => m.replace(/^(Received|Delivered-To|Return-Path|X-Original-To):.*(\r?\n[ \t].*)*\r?\n/gim, '');
  for (const copy of customerMails().filter((m) => m.includes('Ecco la fattura'))) {
    assert.ok(!/^Bcc:/mi.test(copy) && !ours(copy).includes('hidden.example'), 'the Bcc is in no header');
  }

  const view = await until(async () => {
    const m = await mailOf(anna, ticket.id);
    const out = m.messages.find((e) => e.event_id === sentReply.json.id);
    return out?.delivery?.status === 'sent' && m;
  }, 'the reply shown sent', 20000);
  const out = view.messages.find((e) => e.event_id === sentReply.json.id);
  assert.deepEqual(out.cc, [{ name: 'Marco', address: 'customer@partner.example' }]);
  assert.deepEqual(out.bcc.map((a) => a.address), ['customer@hidden.example']);
  assert.ok(view.participants.some((p) => p.address === 'customer@partner.example'), 'the Cc stays on the ticket');
  assert.ok(!view.participants.some((p) => p.address === 'customer@hidden.example'), 'the Bcc does not');
  assert.equal((await anna.call(`/api/v1/conversations/${ticket.id}/mail/${sentReply.json.id}/retry`, { method: 'POST' })).status, 409, 'a sent mail is not sent again');
});

test('a reply goes to the address the customer wrote from, not to their contact\'s other address', async () => {
  // Both addresses reach the test customer's mailbox (the test Dovecot delivers by local part).
  const first = 'customer@first.example', second = 'customer@second.example';
  const subject = `Two addresses ${uuid().slice(0, 6)}`;
  const firstId = `<${uuid()}@first.example>`;
  sendMail(first, mail.address, [`From: Laura <${first}>`, `To: ${mail.address}`, `Subject: ${subject}`, `Message-ID: ${firstId}`, '', 'My order is late.', ''].join('\n'));
  const ticket = await ticketBySubject(subject);
  assert.equal(ticket.contact.email, first);
  // An agent records her second address on the same contact (one customer, two identities).
  const added = await anna.call(`/api/v1/contacts/${ticket.contact.id}`, { method: 'PATCH', body: { add_identities: [{ kind: 'email', value: second }] } });
  assert.equal(added.status, 200, added.text);
  // She writes again from the second address, answering her own first mail.
  sendMail(second, mail.address, [`From: Laura <${second}>`, `To: ${mail.address}`, `Subject: Re: ${subject}`, `Message-ID: <${uuid()}@second.example>`, `In-Reply-To: ${firstId}`, '', 'Any news? Please write to this address.', ''].join('\n'));
  await until(async () => (await admin.call(`/api/v1/conversations/${ticket.id}/events`)).json.events.some((e) => e.body.includes('Any news?')), 'the second mail on the ticket', 20000);
  const m = await mailOf(anna, ticket.id);
  assert.deepEqual(m.to, { name: 'Laura', address: second }, 'the composer shows where the reply goes');
  assert.ok(!m.participants.some((p) => p.address === second), 'not in Cc as well');

  const reply = await anna.call(`/api/v1/conversations/${ticket.id}/messages`, { method: 'POST', body: { client_id: uuid(), body: 'Your parcel left today.' } });
  assert.equal(reply.status, 201, reply.text);
  const sent = await until(() => customerMails().find((x) => x.includes('Your parcel left today')), 'the reply', 20000);
  assert.match(header(sent, 'To'), /customer@second\.example/);
  assert.doesNotMatch(header(sent, 'To'), /first\.example/);
  assert.doesNotMatch(header(sent, 'Cc') ?? '', /example/);
  const out = await until(async () => (await mailOf(anna, ticket.id)).messages.find((e) => e.event_id === reply.json.id), 'the reply in the ticket\'s mail', 20000);
  assert.deepEqual(out.to.map((a) => a.address), [second]);
});

test('a refused recipient fails the reply with the server\'s words; retry sends it again', async () => {
  const customer = mail.customer.address;
  const subject = `Refused copy ${uuid().slice(0, 6)}`;
  sendMail(customer, mail.address, [`From: Laura <${customer}>`, `To: ${mail.address}`, `Subject: ${subject}`, `Message-ID: <${uuid()}@customer.example>`, '', 'Hello?', ''].join('\n'));
  const ticket = await ticketBySubject(subject);
  const reply = await anna.call(`/api/v1/conversations/${ticket.id}/mail/replies`, { method: 'POST', body: { client_id: uuid(), body: 'This one cannot go.', bcc: ['refused@nowhere.example'] } });
  assert.equal(reply.status, 201);
  const failedOnce = async (attempts) => until(async () => {
    const out = (await mailOf(anna, ticket.id)).messages.find((e) => e.event_id === reply.json.id);
    return out?.delivery?.status === 'failed' && out.delivery.attempts === attempts && out.delivery;
  }, `failed after ${attempts} attempts`, 20000);
  const d = await failedOnce(1);
  assert.match(d.last_error, /rcpt/i);
  assert.match(d.last_error, /550/);
  const retry = await anna.call(`/api/v1/conversations/${ticket.id}/mail/${reply.json.id}/retry`, { method: 'POST' });
  assert.equal(retry.status, 200);
  assert.equal(retry.json.status, 'queued');
  await failedOnce(2);
  assert.equal((await other.call(`/api/v1/conversations/${ticket.id}/mail/${reply.json.id}/retry`, { method: 'POST' })).status, 404);
});

// Last: it restarts the server.
test('an agent\'s reply committed but never queued (a crash in between) is mailed at the next start', async () => {
  const customer = mail.customer.address;
  const subject = `Lost reply ${uuid().slice(0, 6)}`;
  sendMail(customer, mail.address, [`From: Laura <${customer}>`, `To: ${mail.address}`, `Subject: ${subject}`, `Message-ID: <${uuid()}@customer.example>`, '', 'Anyone there?', ''].join('\n'));
  const ticket = await ticketBySubject(subject);
  const annaId = (await admin.call('/api/v1/agents')).json.agents.find((a) => a.email === DEMO.anna.email).id;
  const dataDir = server.dataDir;
  await server.stop({ keepData: true });
  // The message as the crash left it: in the database, with no outgoing mail.
  const now = Date.now();
  sqlOn(dataDir,
    `INSERT INTO event (workspace_id, conversation_id, seq, kind, author_type, author_id, author_name, body, attachments, client_id, created_at)
     SELECT workspace_id, id, last_seq + 1, 'message', 'agent', ${annaId}, 'Anna Rossi', 'Scusi il ritardo, eccomi.', '[]', '${uuid()}', ${now} FROM conversation WHERE id = ${ticket.id};
     UPDATE conversation SET last_seq = last_seq + 1, updated_at = ${now} WHERE id = ${ticket.id};`);
  server = await startServer({ dataDir });
  const sent = await until(() => customerMails().find((m) => m.includes('Scusi il ritardo, eccomi.')), 'the lost reply mailed after the restart', 30000);
  assert.equal(header(sent, 'Subject'), `Re: ${subject} [#${ticket.id}]`);
  assert.match(sent, /Customer Care Lead/);
});
