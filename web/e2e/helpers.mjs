// Shared helpers for the browser tests: a server with deterministic availability,
// console login, the widget's pre-chat flow, transcripts and small test files.
import { test as base, expect } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { mkdirSync } from 'node:fs';
import { startServer, loginAgent, DEMO } from '../../tests/lib/server.mjs';

/**
 * The specs' `test`: after each test its browser contexts are closed. One worker runs every
 * spec; pages left open kept reconnecting to servers already stopped and slowed the rest.
 */
export const test = base.extend({
  closeContexts: [
    async ({ browser }, use) => {
      await use();
      await Promise.all(browser.contexts().map((c) => c.close().catch(() => {})));
    },
    { auto: true },
  ],
});
export { expect };

export { DEMO };
export const SHOTS = '/tmp/e2e-shots';

/**
 * Starts a demo server; `hours` is the demo inbox's business_hours (default: always
 * open, no holidays) and `online` the demo agents put online through the API, so the
 * widget's availability does not depend on the wall clock. `routing` is merged into
 * the demo inbox's routing, `capacity` sets demo agents' chat capacity ({anna: 1}),
 * `args` go to `switchboard serve`; `bot` keeps the demo FAQ bot on.
 */
export async function setup({ hours = { weekly: [], holidays: [] }, online = ['anna'], routing, capacity = {}, args = [], bot = false } = {}) {
  const server = await startServer({ args, bot });
  const admin = await loginAgent(server.url, DEMO.admin);
  const inboxes = (await admin.call('/api/v1/inboxes')).json.inboxes;
  const demo = inboxes.find((i) => i.public_key === 'demo');
  // The demo asks progressively with translated texts; specs get the pre-chat form first and
  // the inbox's own texts unless they set these themselves.
  const patch = { business_hours: hours, widget: { ...demo.widget, prechat_mode: 'before', translations: {} } };
  if (routing) patch.routing = { ...demo.routing, ...routing };
  const res = await admin.call(`/api/v1/inboxes/${demo.id}`, { method: 'PATCH', body: patch });
  if (res.status !== 200) throw new Error('PATCH inbox: ' + res.status + ' ' + res.text);
  const agents = (await admin.call('/api/v1/agents')).json.agents;
  const env = { server, admin, inbox: res.json, agents, agent: (who) => agents.find((a) => a.email === DEMO[who].email) };
  for (const [who, chat] of Object.entries(capacity)) await setCapacity(env, who, chat);
  for (const who of online) {
    const a = await loginAgent(server.url, DEMO[who]);
    const r = await a.call('/api/v1/me/status', { method: 'PUT', body: { status: 'online' } });
    if (r.status !== 200) throw new Error('status: ' + r.text);
  }
  return env;
}

/**
 * For a spec file whose tests share one server: starts it before them (`options` as for setup;
 * `prepare(env)` may add to it) and stops it after them. The env returned is filled in by then.
 */
export function serverForFile(options, prepare) {
  const env = {};
  test.beforeAll(async () => {
    Object.assign(env, await setup(options));
    if (prepare) await prepare(env);
  });
  test.afterAll(async ({}, testInfo) => {
    await teardown(env, testInfo);
  });
  return env;
}

/** An agent's page and a visitor's page, each in a browser context of its own; `close()` closes both contexts. */
export async function agentAndVisitor(browser) {
  const agentCtx = await browser.newContext();
  const visitorCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  const visitor = await visitorCtx.newPage();
  return { agentCtx, visitorCtx, agent, visitor, close: () => Promise.all([agentCtx.close(), visitorCtx.close()]) };
}

/** Merges `routing` into the demo inbox's routing (as it was when the server started). */
export async function setRouting(env, routing) {
  const r = await env.admin.call(`/api/v1/inboxes/${env.inbox.id}`, { method: 'PATCH', body: { routing: { ...env.inbox.routing, ...routing } } });
  if (r.status !== 200) throw new Error('PATCH routing: ' + r.status + ' ' + r.text);
}

/** Sets a demo agent's chat capacity, keeping the rest of their routing profile. */
export async function setCapacity(env, who, chat) {
  const agent = env.agent(who);
  const routing = agent.routing ?? {};
  const body = {
    skills: routing.skills ?? {},
    capacity: { ...(routing.capacity ?? { chat: 3, callback: 1, ticket: 10, email: 10, sms: 5 }), chat },
    teams: routing.teams ?? [],
  };
  const r = await env.admin.call(`/api/v1/agents/${agent.id}/routing`, { method: 'PUT', body });
  if (r.status !== 200) throw new Error('agent routing: ' + r.status + ' ' + r.text);
}

/** Stops the server; on failure prints its log tail to help debugging. */
export async function teardown(env, testInfo) {
  if (!env?.server) return;
  if (testInfo && testInfo.status !== testInfo.expectedStatus) console.log(env.server.log().slice(-4000));
  await env.server.stop();
}

/** Logs an agent in through the console's login form. */
export async function consoleLogin(page, url, who, path = '/console/') {
  await page.goto(url + path);
  await page.getByTestId('login-email').fill(DEMO[who].email);
  await page.getByTestId('login-password').fill(DEMO[who].password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('view-all')).toBeVisible();
}

/** Opens the widget on the demo page and starts a chat through the pre-chat form. */
export async function startWidgetChat(page, url, { name, email, topic = 'Returns', message, path = '/demo/' }) {
  await page.goto(url + path);
  await page.getByTestId('launcher').click();
  await expect(page.getByTestId('panel')).toBeVisible();
  await page.getByTestId('chat-button').click();
  await page.getByTestId('prechat-name').fill(name);
  await page.getByTestId('prechat-email').fill(email);
  if (topic) await page.getByTestId('prechat-topic').selectOption(topic);
  await page.getByTestId('prechat-message').fill(message);
  await page.getByTestId('prechat-submit').click();
  const first = page.getByTestId('message').filter({ hasText: message });
  await expect(first).toHaveCount(1);
  await expect(first).toHaveAttribute('data-seq', /^\d+$/);
}

/** Widget: the message bubbles (not system lines), in DOM order. */
export const widgetMessages = (page) => page.getByTestId('panel').getByTestId('message');
/** Console: the message rows (not system lines), in DOM order. */
export const consoleMessages = (page) => page.locator('.messages [data-testid="message"]:not([data-kind="system"])');

/** The widget transcript: [{seq, body, pending}] in display order. */
export function widgetTranscript(page) {
  return widgetMessages(page).evaluateAll((els) =>
    els.map((el) => ({
      seq: el.dataset.seq ?? null,
      body: el.querySelector('.b > div:not(a)')?.textContent ?? '',
      pending: el.classList.contains('pd'),
    })),
  );
}

/** The console transcript: [{seq, body, pending}] in display order. */
export function consoleTranscript(page) {
  return consoleMessages(page).evaluateAll((els) =>
    els.map((el) => ({
      seq: el.dataset.seq ?? null,
      body: el.querySelector('.bubble')?.textContent ?? '',
      pending: el.dataset.pending === 'true',
    })),
  );
}

// ---- small valid files ----------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A w×h RGB PNG filled with one colour. */
export function makePng(w = 24, h = 16, [r, g, b] = [37, 99, 235]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal one-page PDF with a correct xref table. */
export function makePdf(text = 'Switchboard e2e') {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 12 Tf 10 50 Td (${text}) Tj ET`;
  objs[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += String(o).padStart(10, '0') + ' 00000 n \n';
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export function shotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return `${SHOTS}/${name}`;
}

/** Today's date (YYYY-MM-DD) in a time zone, `days` later. */
export function dateIn(tz, days = 0) {
  const d = new Date(Date.now() + days * 86400e3);
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/**
 * Clicks a conversation header action by its data-testid (transfer-open, hold-open, make-ticket,
 * complaint-mark, assign-me): the button itself, or its item in the "More" menu when the header
 * had no room for it.
 */
export async function headerAction(page, testid) {
  const shown = page.locator(`.conv-actions [data-testid="${testid}"]:visible, .conv-actions [data-testid="conv-more"]:visible`).first();
  await expect(shown).toBeVisible();
  if ((await shown.getAttribute('data-testid')) === testid) return shown.click();
  await shown.click();
  await page.getByTestId('more-' + testid).click();
}

/** Opens (or closes) the open conversation's contact panel: below 1440 px it starts closed. */
export async function setContactPanel(page, open = true) {
  const toggle = page.locator('.conv-actions button[aria-pressed]');
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-pressed')) !== String(open)) await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', String(open));
}
