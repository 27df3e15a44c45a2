// Settings pages: a field far down the page that takes the focus (keyboard, an error's
// focus, scrollIntoView) scrolls the settings pane only; the window and the app shell never
// move (no top bar pushed away, no grey strip under the app), and the document is never
// taller than the window. Without a positioned shell and pane (base.css .app, settings.css
// .settings-pane) this fails on the inbox page: the window scrolls by ~300 px.
import { test, expect } from './helpers.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const env = serverForFile({ online: [] });

const shifted = (page) =>
  page.evaluate(() => {
    const app = document.querySelector('.app');
    const ws = document.querySelector('.workspace');
    return {
      window: window.scrollY,
      root: document.scrollingElement.scrollTop,
      body: document.body.scrollTop,
      app: app.scrollTop,
      workspace: ws.scrollTop,
      top: document.querySelector('.topbar').getBoundingClientRect().top,
      bottom: Math.round(app.getBoundingClientRect().bottom),
      // Nothing makes the document taller than the window (what the window could be scrolled by).
      overflow: document.scrollingElement.scrollHeight - window.innerHeight,
    };
  });

for (const [w, h] of [[1366, 768], [390, 844]]) {
  test(`focus far down a settings page moves only the settings pane (${w} px)`, async ({ browser }) => {
    const page = await (await browser.newContext({ viewport: { width: w, height: h } })).newPage();
    await consoleLogin(page, env.server.url, 'admin');
    for (const path of ['/console/settings/survey', '/console/settings/inboxes/1', '/console/settings/kb', '/console/settings/bot']) {
      await page.goto(env.server.url + path);
      await expect(page.locator('.settings-pane')).toBeVisible();
      await page.waitForTimeout(300);
      // Every field of the page in turn, the last ones far below the fold.
      const n = await page.locator('.settings-pane :is(input, select, textarea, button):visible').count();
      for (const i of [n - 1, Math.floor(n / 2), n - 1]) {
        await page.locator('.settings-pane :is(input, select, textarea, button):visible').nth(i).evaluate((el) => {
          el.focus();
          el.scrollIntoView({ block: 'center' });
        });
        await page.waitForTimeout(50);
        expect(await shifted(page), path).toEqual({ window: 0, root: 0, body: 0, app: 0, workspace: 0, top: 0, bottom: h, overflow: 0 });
      }
      await page.keyboard.press('Shift+Tab');
      expect(await shifted(page), path).toEqual({ window: 0, root: 0, body: 0, app: 0, workspace: 0, top: 0, bottom: h, overflow: 0 });
    }
    await page.screenshot({ path: shotPath(`console-settings-scroll-${w}.png`) });
  });
}
