// Call me back with the inbox's own slots (GET /widget/:key/callback-slots): days in
// the visitor's time zone, local times with a leading zero, "As soon as possible"
// only while open, and a window the server refuses said at the field, nothing lost.
import { test, expect } from './helpers.mjs';
import { serverForFile, dateIn } from './helpers.mjs';

const SHOTS = '/work/tmp/shots31';
// Open 09:00-17:00 every day in Rome except today: not open now, so no "As soon as possible".
const today = new Date(dateIn('Europe/Rome') + 'T12:00:00Z').getUTCDay();
const weekly = [0, 1, 2, 3, 4, 5, 6].filter((d) => d !== today).map((day) => ({ day, open: '09:00', close: '17:00' }));
const env = serverForFile({ hours: { weekly, holidays: [] } });

test('slots by day with local times; a refused window is said at the field and the form kept', async ({ browser }) => {
  // A visitor in Moscow (one or two hours ahead of Rome): the times shown are theirs.
  const ctx = await browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow', viewport: { width: 390, height: 780 } });
  const page = await ctx.newPage();
  await page.goto(env.server.url + '/demo/');
  await page.getByTestId('launcher').click();
  await page.getByTestId('callback-button').click();
  const day = page.getByTestId('callback-day');
  await expect(day).toBeEnabled();
  const slots = (await (await fetch(env.server.url + '/api/v1/widget/demo/callback-slots')).json());
  expect(slots.open_now).toBe(false);
  await expect(day.locator('option[value=asap]')).toHaveCount(0);
  await expect(day.locator('option').first()).toHaveText('Завтра');
  const time = page.getByTestId('callback-time');
  const first = slots.slots[0];
  const hm = (ms) => new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Moscow' }).format(ms);
  await expect(time.locator('option').first()).toHaveText(`${hm(first.from)}–${hm(first.to)}`);
  await expect(time.locator('option').first()).toHaveText(/^\d\d:\d\d–\d\d:\d\d$/);
  await expect(page.getByTestId('callback-zone')).toHaveText('Время указано в Вашем часовом поясе (Moscow).');
  await page.getByTestId('callback-name').fill('Ольга Смирнова');
  await page.getByTestId('callback-phone').fill('+7 912 345 6789');
  await page.screenshot({ path: `${SHOTS}/widget-callback-ru-390.png` });

  // The server refuses the window: said at the field, what was typed stays.
  await page.route('**/api/v1/widget/conversations', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'bad_request', message: 'the call-back window has already passed' } }) })
      : route.continue(),
  );
  await page.getByTestId('callback-submit').click();
  await expect(time).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('callback-phone')).toHaveValue('+7 912 345 6789');
  await page.unroute('**/api/v1/widget/conversations');

  await page.getByTestId('callback-submit').click();
  await expect(page.getByTestId('confirmation')).toContainText('+7 912 345 6789');
  const list = (await env.admin.call('/api/v1/conversations?view=all&status=open')).json.conversations;
  expect(list[0]).toMatchObject({ kind: 'callback', meta: { callback: { window_from: first.from, window_to: first.to } } });
  await ctx.close();
});
