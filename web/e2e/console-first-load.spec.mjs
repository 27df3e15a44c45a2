// The console's first load: English is in console-*.js, every other language is a chunk of
// its own fetched only when that language is used (before the first render, or on a switch
// in the language menu); the rarely used pages (settings, reports, live view, account,
// canned answers, scripts, simulator) are lazy chunks with a loading state; while the
// script loads, index.html's app-shell skeleton is on screen, never a blank page.
import { test, expect } from './helpers.mjs';
import { serverForFile, consoleLogin, DEMO, shotPath } from './helpers.mjs';

const env = serverForFile({ online: [] });
const LANG_CHUNK = /\/console\/chunks\/(it|ru|hu|pl)-[A-Z0-9]+\.js$/;

function scriptsFetched(page) {
  const got = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname;
    if (m.startsWith('/console/') && m.endsWith('.js')) got.push(m);
  });
  return got;
}
const langChunks = (got) => got.filter((p) => LANG_CHUNK.test(p)).map((p) => p.match(LANG_CHUNK)[1]);

test('English: no language chunk; settings and reports are fetched on first visit', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const got = scriptsFetched(page);
  await consoleLogin(page, env.server.url, 'admin');
  await expect(page.getByTestId('filter-open')).toHaveText('Open');
  expect(langChunks(got)).toEqual([]);
  expect(got.some((p) => /\/chunks\/Settings-/.test(p))).toBe(false);
  expect(got.some((p) => /\/chunks\/Reports-/.test(p))).toBe(false);

  await page.goto(env.server.url + '/console/settings/survey');
  await expect(page.getByTestId('widget-nps-form')).toBeVisible();
  expect(got.some((p) => /\/chunks\/Settings-/.test(p))).toBe(true);
  expect(langChunks(got)).toEqual([]);
  await ctx.close();
});

test('Russian: its chunk before the first render; a switch to Hungarian fetches Hungarian', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  const got = scriptsFetched(page);
  // Whatever is on screen first is Russian: the first text drawn is checked.
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      const h = document.querySelector('#app h1');
      if (h) {
        window.__firstHeading = h.textContent;
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(env.server.url + '/console/');
  await expect(page.getByTestId('login-submit')).toBeVisible();
  expect(await page.evaluate(() => window.__firstHeading)).toBe('Вход в Switchboard');
  expect(langChunks(got)).toEqual(['ru']);
  await page.getByTestId('login-email').fill(DEMO.anna.email);
  await page.getByTestId('login-password').fill(DEMO.anna.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('filter-open')).toHaveText('Открытые');

  got.length = 0;
  await page.goto(env.server.url + '/console/account');
  await page.getByTestId('account-lang').selectOption('hu');
  await expect(page.locator('html')).toHaveAttribute('lang', 'hu');
  expect(langChunks(got)).toEqual(['ru', 'hu']);
  got.length = 0; // the choice is kept: the next load fetches Hungarian only
  await page.goto(env.server.url + '/console/');
  await expect(page.getByTestId('filter-open')).toHaveText('Nyitott');
  expect(langChunks(got)).toEqual(['hu']);
  await ctx.close();
});

test('while console.js loads: the app-shell skeleton, not a blank page', async ({ browser }) => {
  for (const [w, h] of [[1366, 768], [390, 844]]) {
    const ctx = await browser.newContext({ viewport: { width: w, height: h } });
    const page = await ctx.newPage();
    let release;
    const held = new Promise((r) => (release = r));
    await page.route(/\/console\/console-[A-Z0-9]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    page.goto(env.server.url + '/console/').catch(() => {});
    const shell = page.locator('#boot-shell');
    await expect(shell).toBeVisible();
    await expect(page.locator('.bs-top')).toBeVisible();
    await page.screenshot({ path: shotPath(`console-boot-shell-${w}.png`) });
    release();
    await expect(page.getByTestId('login-submit')).toBeVisible();
    await expect(shell).toHaveCount(0);
    await ctx.close();
  }
});
