// Reports (Q3) in the console: three chats in an inbox of their own — one answered
// by Anna, closed and rated 3/3, one left open, one closed unanswered (abandoned).
// The overview filtered to that inbox counts 3 conversations, 50 % abandoned,
// CSAT 100 %; the daily chart is a canvas with its table behind "Show table"; its
// CSV is text/csv with a header row; the heat map holds the 3; a figure, a day and
// an hour list their conversations (/drill), and a link opens the conversation.
// A 422 for a too long period is named under its field. Live polls every 10 s and
// pauses in a hidden tab. Screenshots at 1366 and 390 px in English and Russian.
import { test, expect } from './helpers.mjs';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { serverForFile, consoleLogin, shotPath, dateIn } from './helpers.mjs';
import { loginAgent, newVisitor, DEMO } from '../../tests/lib/server.mjs';

const TZ = 'Europe/Rome'; // the browser's (playwright.config.mjs)
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 900 };

const chats = {};
const env = serverForFile({}, async (env) => {
  const made = await env.admin.call('/api/v1/inboxes', { method: 'POST', body: { name: 'Reports line' } });
  expect(made.status).toBe(201);
  const inbox = made.json;
  const open = await env.admin.call(`/api/v1/inboxes/${inbox.id}`, { method: 'PATCH', body: { business_hours: { weekly: [], holidays: [] } } });
  expect(open.status).toBe(200);
  env.reportInbox = inbox;
  const anna = env.agent('anna');
  const start = async (name, message) => {
    const v = await newVisitor(env.server.url, inbox.public_key);
    const r = await v.startChat({ name, message, email: `${name.split(' ')[0].toLowerCase()}@example.com` });
    expect(r.status, r.text).toBe(201);
    return { v, id: r.json.id };
  };
  // Answered by Anna, closed, rated 3 of 3.
  chats.answered = await start('Giulia Bianchi', 'Where is my parcel?');
  expect((await env.admin.call(`/api/v1/conversations/${chats.answered.id}/assign`, { method: 'POST', body: { agent_id: anna.id } })).status).toBe(200);
  const annaApi = await loginAgent(env.server.url, DEMO.anna);
  const reply = await annaApi.call(`/api/v1/conversations/${chats.answered.id}/messages`, { method: 'POST', body: { client_id: randomUUID(), body: 'It arrives tomorrow.' } });
  expect(reply.status, reply.text).toBe(201);
  expect((await annaApi.call(`/api/v1/conversations/${chats.answered.id}/close`, { method: 'POST' })).status).toBe(200);
  const rated = await chats.answered.v.call(`/api/v1/widget/conversations/${chats.answered.id}/rating`, { method: 'POST', body: { score: 3 } });
  expect(rated.status, rated.text).toBe(200);
  // Still open, nobody has answered.
  chats.open = await start('Marta Nowak', 'Do you ship to Poland?');
  // Closed without an answer: abandoned.
  chats.abandoned = await start('Piotr Zieliński', 'Hello?');
  expect((await env.admin.call(`/api/v1/conversations/${chats.abandoned.id}/close`, { method: 'POST' })).status).toBe(200);
});

const overview = (q = '') => `/console/reports?inbox_id=${env.reportInbox.id}${q}`;

/** The whole page (the console scrolls inside its pane, so the window grows to the pane's height). */
async function shootPage(page, name) {
  const size = page.viewportSize();
  const height = await page.locator('.settings-pane').evaluate((el) => el.scrollHeight + 52);
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 5000) });
  await page.screenshot({ path: shotPath(name) });
  await page.setViewportSize(size);
}

/** Nothing on the page is wider than the content column, but inside the parts that scroll sideways. */
async function overflowing(page) {
  return page.evaluate(() => {
    const box = document.querySelector('.settings-content').getBoundingClientRect();
    return [...document.querySelectorAll('.settings-content *')]
      .filter((x) => x.getBoundingClientRect().right > box.right + 1 && !x.closest('.table-scroll, .rp-table-wrap, .rp-heat-wrap, .rp-tabs, .sr-only'))
      .slice(0, 5)
      .map((x) => `${x.tagName}.${x.className} ${x.dataset.testid ?? ''}`);
  });
}

test('the overview counts the inbox\'s conversations; chart, table, CSV, heat map and drill-down agree', async ({ browser }) => {
  const url = env.server.url;
  // The API first: the figures the page is to show.
  const api = (await env.admin.call(`/api/v1/reports/summary?inbox_id=${env.reportInbox.id}&tz=${encodeURIComponent(TZ)}`)).json;
  expect(api.conversations).toBe(3);

  const ctx = await browser.newContext({ viewport: DESK, acceptDownloads: true });
  const page = await ctx.newPage();
  await consoleLogin(page, url, 'admin', overview());
  await expect(page.getByTestId('report-tab-overview')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('rp-inbox')).toHaveValue(String(env.reportInbox.id));
  await expect(page.getByTestId('kpi-conversations')).toHaveText('3');
  await expect(page.getByTestId('kpi-abandonment')).toHaveText('50%');
  await expect(page.getByTestId('kpi-csat')).toHaveText('100%');
  await expect(page.getByTestId('kpi-first-response')).toHaveText(/\d.*\b(s|min)$/); // Anna's answer, humanised

  // The daily chart: a canvas named by its heading, and the same numbers in a table.
  const daily = page.getByTestId('rp-daily');
  const canvas = daily.getByTestId('rp-daily-canvas');
  await expect(canvas).toBeVisible();
  await expect(canvas).toHaveAttribute('role', 'img');
  await expect(canvas).toHaveAttribute('aria-label', 'Conversations and first response by day');
  await expect.poll(() => canvas.evaluate((c) => c.width)).toBeGreaterThan(300); // Chart.js drew it
  await daily.getByTestId('rp-daily-toggle').click();
  await expect(daily.getByTestId('rp-daily-toggle')).toHaveAttribute('aria-expanded', 'true');
  const today = daily.getByTestId('rp-daily-table').locator(`tr[data-date="${dateIn(TZ)}"]`);
  await expect(today.locator('td').first()).toHaveText('3');
  // Every day of the period is a row (30, today the last), the days without conversations at 0.
  await expect(daily.getByTestId('rp-daily-table').locator('tbody tr')).toHaveCount(30);
  await expect(daily.getByTestId('rp-daily-table').locator('tbody tr').last()).toHaveAttribute('data-date', dateIn(TZ));

  // Its CSV: the same filters, text/csv, a header row, today's line.
  const csv = daily.getByTestId('rp-daily-csv');
  const href = await csv.getAttribute('href');
  expect(href).toContain(`inbox_id=${env.reportInbox.id}`);
  expect(href).toContain('format=csv');
  const direct = await env.admin.call(href);
  expect(direct.status).toBe(200);
  expect(direct.headers.get('content-type')).toMatch(/^text\/csv/);
  const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
  expect(download.suggestedFilename()).toBe('daily.csv');
  const lines = (await readFile(await download.path(), 'utf8')).split(/\r?\n/);
  expect(lines[0]).toMatch(/^"?date"?,"?conversations"?,/);
  expect(lines.find((l) => l.includes(dateIn(TZ)))).toBeTruthy();

  // The heat map holds the three, in this hour of the week (or two, at an hour's turn).
  const cells = page.getByTestId('rp-heatmap-grid').locator('button[data-count]');
  await expect(cells).toHaveCount(7 * 24);
  expect(await cells.evaluateAll((bs) => bs.reduce((n, b) => n + Number(b.dataset.count), 0))).toBe(3);

  // Agents: Anna is ranked, with her rating.
  const anna = page.getByTestId('rp-agent-row').filter({ hasText: 'Anna Rossi' });
  await expect(anna).toHaveCount(1);
  await expect(anna).toContainText('100%');
  await shootPage(page, 'reports-overview-en-1366.png');

  // Drill-down from a figure: the abandoned one.
  await page.getByTestId('kpi-abandonment-drill').click();
  const drill = page.getByTestId('rp-drill');
  await expect(drill.getByTestId('rp-drill-metric')).toHaveValue('abandoned');
  await expect(drill.getByTestId('rp-drill-row')).toHaveCount(1);
  await expect(drill.getByTestId('rp-drill-row')).toHaveAttribute('data-id', String(chats.abandoned.id));
  await expect(page).toHaveURL(/drill=abandoned/);
  await expect(drill.locator('h2')).toBeFocused();
  // All three, newest first.
  await drill.getByTestId('rp-drill-metric').selectOption('all');
  await expect(drill.getByTestId('rp-drill-row')).toHaveCount(3);
  expect(await drill.getByTestId('rp-drill-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)))).toEqual([chats.abandoned.id, chats.open.id, chats.answered.id]);
  await expect(drill.getByTestId('rp-drill-count')).toHaveText('3 conversations.');
  // From a day of the table, and from an hour of the heat map (keyboard: Enter).
  await today.getByTestId('rp-day-drill').click();
  await expect(drill.locator('h2')).toContainText('Conversations ·');
  await expect(drill.getByTestId('rp-drill-row')).toHaveCount(3);
  const busiest = page.getByTestId('rp-heatmap-grid').locator('button:not([data-count="0"])').first();
  await busiest.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/weekday=\d&hour=\d+/);
  await expect(busiest).toHaveAttribute('aria-pressed', 'true');
  await expect(drill.getByTestId('rp-drill-row')).toHaveCount(Number(await busiest.getAttribute('data-count')));
  await expect(drill.locator('h2')).toBeInViewport();
  await page.screenshot({ path: shotPath('reports-drill-en-1366.png') });
  // A link opens the conversation in the console.
  await drill.locator(`[data-testid="rp-drill-row"][data-id="${chats.abandoned.id}"]`).getByTestId('rp-drill-link').click();
  await expect(page).toHaveURL(new RegExp(`/console/all/${chats.abandoned.id}(\\?|$)`));
  await expect(page.getByTestId('message').filter({ hasText: 'Hello?' })).toHaveCount(1);
  // Back: the same report, drill-down and all.
  await page.goBack();
  await expect(page.getByTestId('rp-drill')).toBeVisible();
  await expect(page.getByTestId('kpi-conversations')).toHaveText('3');

  // On a phone: nothing wider than the page.
  await page.setViewportSize(PHONE);
  await expect(page.getByTestId('rp-heatmap-grid')).toHaveAttribute('data-orientation', 'hours');
  expect(await overflowing(page)).toEqual([]);
  await shootPage(page, 'reports-overview-en-390.png');
  await ctx.close();
});

test('a period of more than 400 days is refused under the date', async ({ page }) => {
  await consoleLogin(page, env.server.url, 'admin', overview('&period=custom&from=2019-01-01&to=2020-12-31'));
  await expect(page.getByTestId('rp-period')).toHaveValue('custom');
  await expect(page.getByTestId('rp-from')).toHaveValue('2019-01-01');
  await expect(page.getByTestId('rp-from-error')).toContainText('400 days');
  await expect(page.getByTestId('rp-from')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('kpi-conversations')).toHaveCount(0);
  // Back to a preset: the report again.
  await page.getByTestId('rp-period').selectOption('7d');
  await expect(page.getByTestId('kpi-conversations')).toHaveText('3');
  await expect(page.getByTestId('rp-from-error')).toHaveCount(0);
});

test('in Russian at 1366 and 390 px', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'ru-RU', viewport: DESK });
  const page = await ctx.newPage();
  await consoleLogin(page, env.server.url, 'admin', overview());
  await expect(page.getByTestId('report-tab-overview')).toHaveText('Обзор');
  await expect(page.getByTestId('kpi-conversations')).toHaveText('3');
  await expect(page.getByTestId('rp-kpis')).toContainText('Разговоры');
  await expect(page.getByTestId('rp-daily-toggle')).toHaveText('Показать таблицу');
  await expect(page.getByTestId('kpi-csat')).toHaveText('100 %');
  await shootPage(page, 'reports-overview-ru-1366.png');
  await page.setViewportSize(PHONE);
  expect(await overflowing(page)).toEqual([]);
  await shootPage(page, 'reports-overview-ru-390.png');
  await page.getByTestId('report-tab-live').click();
  await expect(page.getByTestId('rp-live-badge')).toHaveText('В эфире');
  await shootPage(page, 'reports-live-ru-390.png');
  await ctx.close();
});

test('live: every 10 s while the page is in sight, paused while it is hidden', async ({ page }) => {
  let polls = 0;
  page.on('request', (r) => new URL(r.url()).pathname === '/api/v1/reports/live' && polls++);
  await page.clock.install();
  await consoleLogin(page, env.server.url, 'admin', '/console/reports/live');
  await expect(page.getByTestId('report-tab-live')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('live-open')).toHaveText(/^\d+$/);
  expect(Number(await page.getByTestId('live-open').textContent())).toBeGreaterThanOrEqual(1); // Marta's chat
  await expect(page.getByTestId('rp-live-agent').filter({ hasText: 'Anna Rossi' })).toHaveCount(1);
  await expect(page.getByTestId('live-today-conversations')).toHaveText(/^\d+$/);
  // Ten seconds on: the next poll (the next one is timed when an answer is in, so
  // the clock is moved on again until it is — one poll per move at most).
  const tenSeconds = (atLeast) =>
    expect
      .poll(
        async () => {
          await page.clock.fastForward(10_000);
          return polls;
        },
        { intervals: [250] },
      )
      .toBeGreaterThanOrEqual(atLeast);
  await tenSeconds(polls + 1);
  // Hidden: no polling however long.
  const setVisibility = (state) =>
    page.evaluate((s) => {
      Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await setVisibility('hidden');
  await page.waitForTimeout(300);
  const hidden = polls;
  for (let i = 0; i < 6; i++) await page.clock.fastForward(10_000);
  await page.waitForTimeout(300);
  expect(polls).toBe(hidden);
  // In sight again: at once, then every 10 s.
  await setVisibility('visible');
  await expect.poll(() => polls).toBe(hidden + 1);
  await tenSeconds(hidden + 2);
  await page.setViewportSize(DESK);
  await shootPage(page, 'reports-live-en-1366.png');
});
