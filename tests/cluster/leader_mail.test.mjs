// Two switchboard nodes on one shared SQLite file, a real nats-server, and real
// Dovecot + OpenSMTPD (tests/mail/mailservers.sh): only the node that holds the
// workspace's routing lease polls the inbox's mailbox and sends its outbox. The
// settings are saved on the other node (the leader reads them through the bus);
// a customer's mail becomes one ticket and is acknowledged once; an agent's
// reply written on the follower is mailed once. Then the leader is killed with
// -9 and the survivor starts polling within a lease's ttl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loginAgent, freshDataDir, DEMO, uuid, until, sleep } from '../lib/server.mjs';
import { metric, leads, leaderAndFollower as twoNodes, startNats, stopNats, startNode as clusterNode } from '../lib/cluster.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const MAIL_SCRIPT = join(HERE, '..', 'mail', 'mailservers.sh');
const LEASE_MS = 1500;

let nats, mail, mailDir, dataDir, nodeA, nodeB, inbox;

const startNode = (name, demo) => clusterNode({ dataDir, nats, name, demo, leaseMs: LEASE_MS });

const leaderAndFollower = () => twoNodes(nodeA, nodeB);

before(async () => {
  mailDir = mkdtempSync(join(tmpdir(), 'sb-mail-'));
  mail = JSON.parse(execFileSync('bash', [MAIL_SCRIPT, 'start', mailDir], { encoding: 'utf8' }));
  assert.ok(mail.smtp, 'the SMTP server must start (it needs root for its private mount namespace)');
  nats = startNats();
  dataDir = freshDataDir();
  nodeA = await startNode('node-a', true);  // seeds the demo workspace
  nodeB = await startNode('node-b', false);
});

after(async () => {
  for (const n of [nodeA, nodeB]) if (n) await n.stop({ keepData: true });
  if (nats) stopNats(nats);
  if (mailDir) execFileSync('bash', [MAIL_SCRIPT, 'stop', mailDir]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function sendMail(subject, body) {
  const file = join(mailDir, `out-${uuid()}.eml`);
  const customer = mail.customer.address;
  writeFileSync(file, [
    `From: Laura Bianchi <${customer}>`, `To: ${mail.address}`, `Subject: ${subject}`,
    `Message-ID: <${uuid()}@customer.example>`, 'Date: Thu, 03 Dec 2026 10:00:00 +0100',
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'));
  execFileSync('curl', ['-sS', `smtp://127.0.0.1:${mail.smtp.plain}`, '--mail-from', customer,
    '--mail-rcpt', mail.address, '--upload-file', file]);
}

function customerMails() {
  const out = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(mail.customer.maildir, sub);
    if (existsSync(dir)) for (const f of readdirSync(dir)) out.push(readFileSync(join(dir, f), 'utf8'));
  }
  return out;
}

const tickets = async (agent, subject) => (await agent.call('/api/v1/conversations?view=all')).json.conversations
  .filter((c) => c.kind === 'email' && c.subject === subject);

test('only the leader polls and sends; mail is ticketed and answered once', { timeout: 90000 }, async () => {
  const [leader, follower] = await leaderAndFollower();
  const admin = await loginAgent(follower.url, DEMO.admin);
  inbox = (await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Support mail' } })).json;
  const saved = await admin.call(`/api/v1/inboxes/${inbox.id}/email`, { method: 'PUT', body: {
    enabled: true,
    imap: { host: '127.0.0.1', port: mail.imap.plain, security: 'none', user: mail.user, password: mail.password },
    smtp: { host: '127.0.0.1', port: mail.smtp.plain, security: 'none', user: '', password: '' },
    folder: 'INBOX',
    from_address: mail.address,
    display_name: 'Demo Support',
  } });
  assert.equal(saved.status, 200, saved.text);
  await until(async () => (await metric(leader, 'switchboard_mail_pollers')) === 1, 'the leader polls', 10000);
  assert.equal(await metric(follower, 'switchboard_mail_pollers'), 0);
  // The follower's settings page says another node receives, not "off".
  const here = (await admin.call(`/api/v1/inboxes/${inbox.id}/email/status`)).json;
  assert.deepEqual(here, { running: false, elsewhere: true });
  const there = (await (await loginAgent(leader.url, DEMO.admin)).call(`/api/v1/inboxes/${inbox.id}/email/status`)).json;
  assert.equal(there.running, true);

  sendMail('Order 4711 missing', 'My order 4711 has not arrived.');
  const [ticket] = await until(async () => {
    const found = await tickets(admin, 'Order 4711 missing');
    return found.length && found;
  }, 'the ticket', 20000);
  // The acknowledgement went out once, from the leader's outbox.
  await until(() => customerMails().some((m) => m.includes(`[#${ticket.id}]`)), 'the acknowledgement', 20000);

  // Written on the follower: its outbox row is sent by the leader.
  const reply = await admin.call(`/api/v1/conversations/${ticket.id}/messages`,
    { method: 'POST', body: { client_id: uuid(), body: 'Your parcel leaves today.' } });
  assert.equal(reply.status, 201, reply.text);
  await until(() => customerMails().some((m) => m.includes('Your parcel leaves today.')), 'the reply', 20000);
  await sleep(LEASE_MS * 2);
  assert.equal((await tickets(admin, 'Order 4711 missing')).length, 1);
  const ours = customerMails().filter((m) => m.includes(`[#${ticket.id}]`));
  assert.equal(ours.filter((m) => m.includes('Your parcel leaves today.')).length, 1);
  assert.equal(ours.length, 2, 'one acknowledgement and one reply');
  assert.equal(await metric(follower, 'switchboard_mail_pollers'), 0);
});

test('kill -9 of the leader: the survivor polls the mailbox', { timeout: 60000 }, async () => {
  const [leader, survivor] = await leaderAndFollower();
  const admin = await loginAgent(survivor.url, DEMO.admin);
  await leader.kill9();
  await until(async () => (await metric(survivor, 'switchboard_mail_pollers')) === 1, 'the survivor polls',
    LEASE_MS + 5000);
  sendMail('Order 4712 missing', 'And 4712 neither.');
  await until(async () => (await tickets(admin, 'Order 4712 missing')).length === 1, 'the second ticket', 20000);
  // The first mail was fetched before: not ticketed again.
  assert.equal((await tickets(admin, 'Order 4711 missing')).length, 1);
});
