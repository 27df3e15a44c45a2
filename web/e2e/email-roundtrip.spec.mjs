// E-mail end to end with real Dovecot and OpenSMTPD (tests/mail/mailservers.sh):
// the admin sets the inbox's mailbox up in the console (a wrong password is named
// as the failing step), a customer's mail arrives, the agent sees it in the
// console and replies with a Cc; the mail in the customer's Dovecot mailbox has
// the threading headers, the [#n] subject, the Cc and the signature with the
// agent's title; the console shows it sent; the customer's answer joins the same
// ticket.
import { test, expect } from './helpers.mjs';
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { serverForFile, consoleLogin, SHOTS, DEMO } from './helpers.mjs';
import { startMailServers, deliverMail } from '../../tests/lib/mailservers.mjs';
import { loginAgent } from '../../tests/lib/server.mjs';

let mail;
let inbox;
const env = serverForFile({ online: ['anna'] }, async (env) => {
  mail = startMailServers();
  inbox = (await env.admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Support mail' } })).json;
  const anna = env.agent('anna');
  const r = await env.admin.call(`/api/v1/agents/${anna.id}`, { method: 'PATCH', body: { title: 'Customer Care Lead' } });
  if (r.status !== 200) throw new Error('title: ' + r.text);
});
test.afterAll(() => mail?.stop());

const header = (raw, name) => raw.match(new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'mi'))?.[1].replace(/\r?\n[ \t]+/g, ' ').trim();

function customerMails() {
  const out = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(mail.customer.maildir, sub);
    if (existsSync(dir)) for (const f of readdirSync(dir)) out.push(readFileSync(join(dir, f), 'utf8'));
  }
  return out;
}

test('the admin sets the mailbox up in the console; a wrong password is named as the failing step', async ({ page }) => {
  test.skip(!mail.smtp, 'OpenSMTPD needs root');
  await consoleLogin(page, env.server.url, 'admin', `/console/settings/inboxes/${inbox.id}`);
  const form = page.getByTestId('email-settings');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('email-status')).toHaveAttribute('data-state', 'off');
  await form.getByTestId('email-enabled').check({ force: true });
  await form.getByTestId('email-from').fill(mail.address);
  await form.getByTestId('email-display-name').fill('Demo Support');
  await form.getByTestId('email-aliases').fill('help@shop.example');
  for (const [side, port] of [['imap', mail.imap.plain], ['smtp', mail.smtp.plain]]) {
    await form.getByTestId(`email-${side}-host`).fill('127.0.0.1');
    await form.getByTestId(`email-${side}-port`).fill(String(port));
    await form.getByTestId(`email-${side}-security`).selectOption('none');
  }
  await form.getByTestId('email-imap-user').fill(mail.user);
  await form.getByTestId('email-imap-password').fill('not-the-password');
  await form.getByTestId('email-company-name').fill('Demo Shop S.r.l.');
  await form.getByTestId('email-company-department').fill('Customer Service');
  await form.getByTestId('email-company-address').fill('Via Roma 1, 00100 Roma');
  await form.getByTestId('email-company-phone').fill('+39 06 123456');
  await form.getByTestId('email-company-tax_id').fill('IT01234567890');
  await form.getByTestId('email-answer-promise').fill('We answer within one working day.');

  await form.getByTestId('email-test').click();
  await expect(form.getByTestId('email-check-imap')).toHaveAttribute('data-ok', 'false');
  await expect(form.getByTestId('email-check-imap')).toHaveAttribute('data-stage', 'auth');
  await expect(form.getByTestId('email-check-imap')).toContainText('login (user name or password)');
  await expect(form.getByTestId('email-check-smtp')).toHaveAttribute('data-ok', 'true');

  await form.getByTestId('email-imap-password').fill(mail.password);
  await form.getByTestId('email-test').click();
  await expect(form.getByTestId('email-check-imap')).toHaveAttribute('data-ok', 'true');
  await form.getByTestId('email-save').click();
  await expect(form.getByTestId('email-error')).toHaveCount(0);
  await expect(form.getByTestId('email-imap-password')).toHaveValue('');
  await expect(form.getByTestId('email-imap-password')).toHaveAttribute('placeholder', 'unchanged');
  await expect(async () => {
    await form.getByRole('button', { name: 'Refresh the status' }).click();
    await expect(form.getByTestId('email-status')).toHaveAttribute('data-state', 'idle', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  // Saved as typed, the password only as "set".
  const saved = (await env.admin.call(`/api/v1/inboxes/${inbox.id}/email`)).json;
  expect(saved).toMatchObject({ enabled: true, from_address: mail.address, aliases: ['help@shop.example'], imap: { password_set: true, user: mail.user } });
  expect(JSON.stringify(saved)).not.toContain(mail.password);

  mkdirSync(SHOTS, { recursive: true });
  const scrollTo = (testid) => form.getByTestId(testid).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.setViewportSize({ width: 1366, height: 900 });
  await form.getByTestId('email-imap-password').fill('not-the-password');
  await form.getByTestId('email-test').click();
  await expect(form.getByTestId('email-check-imap')).toHaveAttribute('data-ok', 'false');
  await form.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: `${SHOTS}/email-settings-1366.png` });
  await scrollTo('email-smtp');
  await page.screenshot({ path: `${SHOTS}/email-settings-test-1366.png` });
  await form.getByTestId('email-imap-password').fill('');
  await page.setViewportSize({ width: 390, height: 844 });
  await form.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: `${SHOTS}/email-settings-390.png` });
  await scrollTo('email-checks');
  await page.screenshot({ path: `${SHOTS}/email-settings-test-390.png` });
});

test('a customer mail arrives, the agent replies with a Cc from the console, the answer joins the same ticket', async ({ page }) => {
  test.skip(!mail.smtp, 'OpenSMTPD needs root');
  test.setTimeout(120_000);
  const customer = mail.customer.address;
  const firstId = `<${randomUUID()}@customer.example>`;
  const subject = 'Ordine 4711 non arrivato';
  await deliverMail(mail.smtp.plain, customer, mail.address, [
    `From: Laura Bianchi <${customer}>`, `To: ${mail.address}`, `Subject: ${subject}`, `Message-ID: ${firstId}`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
    'Buongiorno, il mio ordine 4711 non è ancora arrivato. Potete aiutarmi?', '',
  ].join('\n'));

  const anna = await loginAgent(env.server.url, DEMO.anna);
  let ticket;
  await expect
    .poll(async () => (ticket = (await anna.call('/api/v1/conversations?view=all')).json.conversations.find((c) => c.subject === subject)), { timeout: 20_000 })
    .toBeTruthy();

  await consoleLogin(page, env.server.url, 'anna', '/console/all');
  const item = page.getByTestId('conversation-item').filter({ hasText: 'Laura Bianchi' });
  await expect(item).toHaveCount(1);
  await item.click();
  await expect(page.locator('.messages .bubble').filter({ hasText: 'il mio ordine 4711' })).toHaveCount(1);
  const part = page.getByTestId('mail-parts').first();
  await expect(part.getByTestId('mail-headers')).toContainText(subject);

  // The composer: To is the customer; a Cc is added (a wrong one is refused first).
  const compose = page.getByTestId('mail-compose');
  await expect(compose.getByTestId('mail-to')).toContainText(customer);
  await expect(compose.getByTestId('mail-signature')).toHaveText(/Customer Care Lead[\s\S]*Demo Shop S\.r\.l\./, { useInnerText: false });
  await compose.getByTestId('mail-show-cc').click();
  await compose.getByTestId('mail-cc').fill('not an address');
  await compose.getByTestId('mail-cc').press('Enter');
  await expect(compose.getByRole('alert')).toContainText('is not an e-mail address');
  await compose.getByTestId('mail-cc').fill('customer@partner.example');
  await compose.getByTestId('mail-cc').press('Enter');
  await expect(compose.getByTestId('mail-cc-chip')).toHaveText(['customer@partner.example']);
  await page.getByTestId('composer').fill('Buongiorno Laura, il pacco arriva domani.');
  await page.getByTestId('composer').press('Enter');

  // Sent: the console says so, and the customer's mailbox has it, threaded and signed.
  const ours = page.getByTestId('message').filter({ hasText: 'il pacco arriva domani' });
  await expect(ours.getByTestId('mail-delivery')).toHaveAttribute('data-status', 'sent', { timeout: 20_000 });
  await expect(ours.getByTestId('mail-headers')).toContainText('customer@partner.example');
  let sent;
  await expect.poll(() => (sent = customerMails().find((m) => m.includes('il pacco arriva domani'))), { timeout: 20_000 }).toBeTruthy();
  expect(header(sent, 'In-Reply-To')).toBe(firstId);
  expect(header(sent, 'References')).toContain(firstId);
  expect(header(sent, 'Subject')).toBe(`Re: ${subject} [#${ticket.id}]`);
  expect(header(sent, 'Cc')).toContain('customer@partner.example');
  expect(sent).toMatch(/Anna Rossi\r?\nCustomer Care Lead\r?\nCustomer Service/);
  expect(sent).toContain('IT01234567890');
  expect(sent).toMatch(/^> Buongiorno, il mio ordine 4711/m); // the customer's mail quoted below
  const ourId = header(sent, 'Message-ID');

  // The customer answers: the same ticket, live in the console.
  await deliverMail(mail.smtp.plain, customer, mail.address, [
    `From: Laura Bianchi <${customer}>`, `To: ${mail.address}`, `Cc: customer@partner.example`, `Subject: Re: ${subject} [#${ticket.id}]`,
    `Message-ID: <${randomUUID()}@customer.example>`, `In-Reply-To: ${ourId}`, `References: ${firstId} ${ourId}`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
    'Grazie mille!', '', '> Buongiorno Laura, il pacco arriva domani.', '',
  ].join('\n'));
  await expect(page.locator('.messages .bubble').filter({ hasText: 'Grazie mille!' })).toHaveCount(1, { timeout: 20_000 });
  const tickets = (await anna.call('/api/v1/conversations?view=all')).json.conversations.filter((c) => c.contact?.email === customer);
  expect(tickets.map((c) => c.id)).toEqual([ticket.id]);
  // Its quoted history is folded behind "…".
  const answer = page.getByTestId('mail-parts').last();
  await expect(answer.getByTestId('mail-quoted')).toHaveCount(0);
  await answer.getByTestId('mail-quote-toggle').click();
  await expect(answer.getByTestId('mail-quoted')).toContainText('il pacco arriva domani');
});
