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
import { startServer, loginAgent, initWorkspace, newVisitor, DEMO, uuid, until } from '../lib/server.mjs';

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
  // Stored sealed, not in clear, in the database file.
  const db = readFileSync(join(server.dataDir, 'switchboard.db'));
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
