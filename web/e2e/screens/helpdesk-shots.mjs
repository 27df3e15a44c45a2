// Screenshots of the help-desk screens for a visual review (not part of the e2e
// suite): seeds a demo server through the real API (tickets with an SLA policy,
// a complaint with ticked steps, an HTML mail through real Dovecot/OpenSMTPD,
// contacts) and captures each screen at laptop and phone width in several languages.
//   SWITCHBOARD_BIN=… SB_WEB_ROOT=web/dist node web/e2e/screens/helpdesk-shots.mjs \
//     [--out /work/tmp/shots] [--screens 1,2,3] [--langs en,ru] [--widths 1366,390]
import { chromium } from 'playwright';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startServer, loginAgent, newVisitor, DEMO, triaged } from '../../../tests/lib/server.mjs';
import { startMailServers, deliverMail } from '../../../tests/lib/mailservers.mjs';
import { makePng, makePdf } from '../helpers.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : def;
};
const OUT = arg('out', '/work/tmp/shots');
const SCREENS = arg('screens', '1,2,3,4,5,6').split(',').map(Number);
const LANGS = arg('langs', 'en,ru,hu,it,pl').split(',');
const WIDTHS = arg('widths', '1366,390').split(',').map(Number);
// it and pl only for the ticket list and the complaint.
const wanted = (screen, lang) => SCREENS.includes(screen) && (['en', 'ru', 'hu'].includes(lang) || [1, 3].includes(screen));

const must = (r, what) => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.json;
};

async function seed(server, mail) {
  const url = server.url;
  const admin = await loginAgent(url, DEMO.admin);
  const anna = await loginAgent(url, DEMO.anna);
  const marek = await loginAgent(url, DEMO.marek);
  const demo = must(await admin.call('/api/v1/inboxes'), 'inboxes').inboxes.find((i) => i.public_key === 'demo');

  // The e-mail inbox, configured against the real mail servers.
  const mailInbox = must(await admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Support mail' } }), 'inbox');
  must(await admin.call(`/api/v1/inboxes/${mailInbox.id}/email`, {
    method: 'PUT',
    body: {
      enabled: true,
      imap: { host: '127.0.0.1', port: mail.imap.plain, security: 'none', user: mail.user, password: mail.password },
      smtp: { host: '127.0.0.1', port: mail.smtp?.plain ?? mail.imap.plain, security: 'none', user: '', password: '' },
      from_address: mail.address,
      aliases: ['help@shop.example'],
      display_name: 'Demo Support',
      acknowledge: false,
      answer_promise: 'We answer within one working day.',
      company: { name: 'Demo Shop S.r.l.', department: 'Customer Service', address: 'Via Roma 1, 00100 Roma', phone: '+39 06 123456', tax_id: 'IT01234567890' },
    },
  }), 'e-mail settings');

  // SLA: high priority is at risk from the start, normal is on track.
  must(await admin.call('/api/v1/sla-policies', {
    method: 'POST',
    body: { name: 'Standard', when: { inboxes: [demo.id, mailInbox.id] }, targets: { first_response: { low: 1440, normal: 480, high: 20, urgent: 10 } }, hours: 'calendar', at_risk: { percent: 0, minutes: 30 }, position: 0 },
  }), 'sla policy');
  must(await admin.call('/api/v1/ticket-fields', { method: 'POST', body: { key: 'order_no', label: 'Order number', type: 'text' } }), 'field');

  const tickets = {};
  const offline = async (key, name, email, topic, message, patch) => {
    const v = await newVisitor(url);
    const t = must(await v.call('/api/v1/widget/conversations', {
      method: 'POST',
      body: { kind: 'offline', inbox_key: 'demo', client_id: randomUUID(), name, email, topic, message, language: 'en' },
    }), 'offline ' + key);
    if (patch) must(await admin.call(`/api/v1/tickets/${t.id}`, { method: 'PATCH', body: patch }), 'patch ' + key);
    tickets[key] = t.id;
  };
  await offline('kettle', 'Laura Bianchi', 'laura@example.com', 'My kettle arrived broken', 'My kettle arrived broken, the lid is cracked. I would like a replacement please.', { priority: 'high', tags: ['damaged', 'replacement'] });
  await offline('refund', 'Marco Rossi', 'marco@example.com', 'Refund for order 4711', 'I returned order 4711 two weeks ago and still have no refund.', { priority: 'urgent', tags: ['refund'] });
  await offline('address', 'Julia Nowak', 'julia@example.com', 'Change of delivery address', 'Can I still change the delivery address of my order?', null);
  await offline('invoice', 'Ilona Kovács', 'ilona@example.com', 'Invoice with a VAT number for my company please', 'I need an invoice with our company VAT number HU12345678.', { tags: ['invoice'] });
  await offline('complaint', 'Piotr Wiśniewski', 'piotr@example.com', 'Third damaged parcel in a row', 'This is the third parcel that arrives damaged. I am really disappointed and want this fixed.', { priority: 'high' });
  must(await admin.call(`/api/v1/tickets/${tickets.address}`, { method: 'PATCH', body: { status: 'pending_customer' } }), 'pending');
  must(await admin.call(`/api/v1/tickets/${tickets.kettle}`, { method: 'PATCH', body: { custom_fields: { order_no: 'A-1001' } } }), 'cf');

  // The complaint: anna takes it and ticks steps, marek ticks one.
  const cid = tickets.complaint;
  must(await anna.call(`/api/v1/conversations/${cid}/complaint`, { method: 'POST', body: { category: 'delivery' } }), 'complaint');
  const state = must(await anna.call(`/api/v1/conversations/${cid}/complaint`), 'complaint state');
  const keys = state.complaint.steps.map((s) => s.key);
  for (const k of keys.slice(0, 2)) must(await anna.call(`/api/v1/conversations/${cid}/complaint/steps/${k}`, { method: 'PUT', body: { done: true } }), 'tick');
  must(await marek.call(`/api/v1/conversations/${cid}/complaint/steps/${keys[2]}`, { method: 'PUT', body: { done: true } }), 'tick');

  // An HTML mail with an inline logo, a remote image and a PDF attached.
  const subject = 'Damaged espresso machine – order 5120';
  const b64 = (s) => Buffer.from(s, 'utf8').toString('base64').replace(/.{76}/g, '$&\n');
  const [mixed, rel, alt] = ['m-', 'r-', 'a-'].map((p) => p + randomUUID());
  const html = `<html><head><style>.box{border:1px solid #ddd;padding:12px;border-radius:6px} td{padding:4px 8px}</style></head><body style="font-family:Georgia,serif">
<p>Good morning,</p>
<p>the espresso machine from <b>order 5120</b> arrived today with a <span style="color:#b91c1c">broken water tank</span>. Photos are attached.</p>
<div class="box"><table><tr><td>Order</td><td><b>5120</b></td></tr><tr><td>Product</td><td>Espresso Pro 2</td></tr><tr><td>Delivered</td><td>2 December</td></tr></table></div>
<p><img src="cid:logo@cust" alt="our logo" width="24" height="16"> <img src="https://tracker.example/pixel.png" alt="tracking"></p>
<p>Kind regards,<br>Helena Schmidt</p>
<script>alert(1)</script></body></html>`;
  const text = 'Good morning,\nthe espresso machine from order 5120 arrived today with a broken water tank.\nKind regards,\nHelena Schmidt\n';
  const raw = [
    'From: Helena Schmidt <helena@customer.example>', `To: ${mail.address}`, `Subject: ${subject}`,
    `Message-ID: <${randomUUID()}@customer.example>`, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${mixed}"`, '',
    `--${mixed}`, `Content-Type: multipart/related; boundary="${rel}"`, '',
    `--${rel}`, `Content-Type: multipart/alternative; boundary="${alt}"`, '',
    `--${alt}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', b64(text),
    `--${alt}`, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '', b64(html),
    `--${alt}--`, '',
    `--${rel}`, 'Content-Type: image/png', 'Content-Transfer-Encoding: base64', 'Content-ID: <logo@cust>',
    'Content-Disposition: inline; filename="logo.png"', '', makePng(24, 16).toString('base64'),
    `--${rel}--`, '',
    `--${mixed}`, 'Content-Type: image/png; name="water-tank.png"', 'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="water-tank.png"', '', makePng(320, 200, [200, 120, 60]).toString('base64'),
    `--${mixed}`, 'Content-Type: application/pdf; name="delivery-note-5120.pdf"', 'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="delivery-note-5120.pdf"', '', makePdf('Delivery note 5120').toString('base64'),
    `--${mixed}--`, '',
  ].join('\n');
  await deliverMail(mail.lmtp, 'helena@customer.example', mail.address, raw, { lmtp: true });
  let mailTicket;
  for (let i = 0; i < 200 && !mailTicket; i++) {
    mailTicket = must(await anna.call('/api/v1/conversations?view=all'), 'list').conversations.find((c) => c.subject === subject);
    if (!mailTicket) await new Promise((r) => setTimeout(r, 150));
  }
  if (!mailTicket) throw new Error('the HTML mail did not arrive');
  must(await anna.call(`/api/v1/tickets/${mailTicket.id}`, { method: 'PATCH', body: { assignee_id: anna.agent.id } }), 'assign');
  must(await anna.call(`/api/v1/conversations/${mailTicket.id}/messages`, {
    method: 'POST',
    body: { client_id: randomUUID(), body: 'Dear Helena,\nsorry about the broken tank. A replacement machine leaves our warehouse tomorrow; the courier will take the damaged one back.' },
  }), 'reply');
  await new Promise((r) => setTimeout(r, 3000)); // let the reply go out
  await triaged(url).catch(() => undefined);
  return { tickets, mailTicket: mailTicket.id, mailInbox: mailInbox.id };
}

async function login(page, url, who, path) {
  await page.goto(url + path);
  await page.getByTestId('login-email').fill(DEMO[who].email);
  await page.getByTestId('login-password').fill(DEMO[who].password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('view-all').waitFor();
}

async function shoot(browser, url, data, lang, width) {
  const ctx = await browser.newContext({ viewport: { width, height: width > 600 ? 800 : 844 }, locale: 'en-GB', timezoneId: 'Europe/Rome' });
  await ctx.addInitScript((l) => localStorage.setItem('sb.console.lang', l), lang);
  const page = await ctx.newPage();
  const snap = async (name, { full = false } = {}) => {
    await page.waitForTimeout(400);
    const path = `${OUT}/${name}-${lang}-${width}.png`;
    await page.screenshot({ path, fullPage: full });
    // The page itself never scrolls (only its panes): a taller document means something leaks out.
    const doc = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
    console.log(path + (doc > 0 ? `  (document ${doc}px taller than the window)` : ''));
  };
  await login(page, url, 'admin', '/console/tickets/all_open');
  const t = data.tickets;
  if (wanted(1, lang)) {
    await page.goto(url + '/console/tickets/all_open');
    await page.getByTestId('ticket-row').first().waitFor();
    await page.getByTestId('ticket-row').nth(0).getByTestId('ticket-select').check();
    await page.getByTestId('ticket-row').nth(2).getByTestId('ticket-select').check();
    await page.locator('.tickets-pane').evaluate((el) => (el.scrollTop = 0));
    await snap('1-tickets');
    await page.goto(url + '/console/tickets/breaching_soon');
    await page.waitForTimeout(500);
    await snap('1-tickets-breaching');
    await page.goto(url + '/console/tickets/complaints');
    await page.getByTestId('complaint-marker').first().waitFor();
    await snap('1-tickets-complaints');
    await page.goto(url + '/console/tickets/mine_open');
    await page.waitForTimeout(500);
    await snap('1-tickets-empty');
  }
  // On a phone the properties start closed: one shot without, one with them.
  const withPanel = async (name) => {
    if (await page.getByTestId('ticket-panel').count()) return;
    await page.locator('.conv-actions .icon-button[aria-pressed]').click();
    await page.getByTestId('ticket-panel').waitFor();
    await snap(name);
  };
  if (wanted(2, lang)) {
    await page.goto(url + `/console/tickets/all_open/${t.kettle}`);
    await page.locator('.conv-header').waitFor();
    await snap('2-ticket');
    await withPanel('2-ticket-panel');
  }
  if (wanted(3, lang)) {
    await page.goto(url + `/console/tickets/all_open/${t.complaint}`);
    await page.getByTestId('complaint-panel').waitFor();
    await page.getByTestId('complaint-panel').scrollIntoViewIfNeeded();
    await snap('3-complaint');
    // On a phone the checklist starts folded: one shot with it unfolded.
    const toggle = page.locator('.complaint-toggle');
    if ((await toggle.getAttribute('aria-expanded')) === 'false') {
      await toggle.click();
      await snap('3-complaint-open');
    }
    await withPanel('3-complaint-panel');
  }
  if (wanted(4, lang)) {
    await page.goto(url + `/console/tickets/all_open/${data.mailTicket}`);
    await page.getByTestId('mail-parts').first().waitFor();
    await page.waitForTimeout(800);
    await page.locator('.messages').evaluate((el) => (el.scrollTop = 0));
    await snap('4-mail');
    await page.getByTestId('mail-show-html').first().click();
    await page.getByTestId('mail-frame').first().waitFor();
    await page.waitForTimeout(800);
    await page.getByTestId('mail-parts').first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await snap('4-mail-html');
    await page.getByTestId('mail-load-remote').first().click().catch(() => undefined);
    await page.getByTestId('mail-delivery').first().evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await snap('4-mail-reply');
  }
  if (wanted(5, lang)) {
    await page.goto(url + '/console/contacts');
    await page.getByTestId('contact-row').first().waitFor();
    await snap('5-contacts');
    await page.getByTestId('contact-row').filter({ hasText: 'piotr@example.com' }).getByTestId('contact-open').click();
    await page.getByTestId('timeline-item').first().waitFor();
    await snap('5-contact');
  }
  if (wanted(6, lang)) {
    await page.goto(url + `/console/settings/inboxes/${data.mailInbox}`);
    const form = page.getByTestId('email-settings');
    await form.waitFor();
    await form.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await snap('6-email-settings');
    await page.getByTestId('email-smtp').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await snap('6-email-settings-smtp');
  }
  await ctx.close();
}

mkdirSync(OUT, { recursive: true });
const mail = startMailServers();
const server = await startServer({});
try {
  const data = await seed(server, mail);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  for (const lang of LANGS) for (const w of WIDTHS) await shoot(browser, server.url, data, lang, w);
  await browser.close();
} finally {
  await server.stop();
  mail.stop();
}
