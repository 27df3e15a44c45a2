// Widget: keyboard and phones — Esc (with the focus inside) closes the panel and gives
// the focus back to the launcher; on a phone no field is focused on its own (the
// keyboard would cover the panel); message times with a leading zero in 12-hour locales.
import { test, expect } from './helpers.mjs';
import { serverForFile, startWidgetChat, shotPath } from './helpers.mjs';

const env = serverForFile();
const active = (page) => page.evaluate(() => {
  const a = document.querySelector('#switchboard-widget')?.shadowRoot?.activeElement;
  return a ? a.getAttribute('data-testid') || a.tagName : null;
});

test('desktop, English: Esc closes and the launcher has the focus; 12-hour times with a leading zero', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 800 } });
  const page = await ctx.newPage();
  await startWidgetChat(page, env.server.url, { name: 'Giulia Bianchi', email: 'g.kb@example.com', message: 'Hello there' });
  await expect(page.getByTestId('message').first().locator('time')).toHaveText(/^\d{2}:\d{2}\s?(AM|PM)$/);
  await page.getByTestId('composer').focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('panel')).toBeHidden();
  await expect(page.getByTestId('launcher')).toBeFocused();
  await expect(page.getByTestId('launcher')).toHaveAttribute('aria-expanded', 'false');
  // Opened again from the keyboard: the composer has the focus on a desktop.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('composer')).toBeFocused();
  await page.waitForTimeout(400);
  await page.screenshot({ path: shotPath('widget-keyboard-en-US-1366.png') });
  await ctx.close();
});

test('phone, Russian: opening the forms focuses no field; Esc closes; 24-hour times', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 780 }, hasTouch: true, isMobile: true });
  const page = await ctx.newPage();
  await page.goto(env.server.url + '/demo/');
  await page.getByTestId('launcher').tap();
  await expect(page.getByTestId('panel')).toBeVisible();
  await page.getByTestId('chat-button').tap();
  await expect(page.getByTestId('prechat-name')).toBeVisible();
  await page.waitForTimeout(300);
  expect(await active(page)).toBe('panel');
  await page.screenshot({ path: shotPath('widget-keyboard-ru-RU-390.png') });
  await page.getByTestId('prechat-name').fill('Ольга Смирнова');
  await page.getByTestId('prechat-email').fill('olga.kb@example.com');
  await page.getByTestId('prechat-topic').selectOption({ index: 1 });
  await page.getByTestId('prechat-message').fill('Здравствуйте');
  await page.getByTestId('prechat-submit').tap();
  const first = page.getByTestId('message').filter({ hasText: 'Здравствуйте' });
  await expect(first).toHaveAttribute('data-seq', /^\d+$/);
  await expect(first.locator('time')).toHaveText(/^\d{2}:\d{2}$/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('panel')).toBeHidden();
  await expect(page.getByTestId('launcher')).toBeFocused();
  await ctx.close();
});
