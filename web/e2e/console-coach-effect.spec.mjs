// The coach's effect on outcomes (console): the composer's feedback names the conversation
// whose draft was checked, and the supervisors' Reports → Coach tab shows, under the hints'
// counts, the two groups (no suggestion taken / a suggestion taken) with CSAT, resolution and
// handle time, each verdict in words ("not enough data yet" here) and the note that it is an
// association, not an experiment. Screenshots at 1366 and 390 px and in Polish.
import { test, expect } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const env = serverForFile({ online: [] });

test('coach feedback carries the conversation; the effect section says what it can', async ({ browser }) => {
  const url = env.server.url;
  const v = await newVisitor(url);
  const chat = await v.startChat({ message: 'Hello, where is my parcel?', language: 'en', name: 'Laura Rossi' });
  expect(chat.status, chat.text).toBe(201);
  const id = chat.json.id;

  // The draft's feedback goes with its conversation.
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const page = await ctx.newPage();
  await consoleLogin(page, url, 'anna', `/console/c/${id}`);
  const feedback = page.waitForRequest((r) => r.url().endsWith('/api/v1/coach/feedback'));
  const composer = page.getByTestId('composer');
  await composer.pressSequentially("Hi. I don't know, that's company policy.", { delay: 10 });
  const hint = page.locator('[data-testid="coach-hint"][data-rule="phrase.dont_know"]');
  await expect(hint).toBeVisible();
  await hint.getByRole('button', { name: /^Use:/ }).first().click();
  await composer.press('Enter'); // sending flushes the queue
  const body = (await feedback).postDataJSON();
  expect(body.conversation_id).toBe(id);
  expect(body.events.length).toBeGreaterThan(0);
  await ctx.close();

  // Reports → Coach (the admin is a supervisor too).
  const actx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const admin = await actx.newPage();
  await consoleLogin(admin, url, 'admin', '/console/reports');
  await admin.getByTestId('report-tab-coach').click();
  const effect = admin.getByTestId('coach-effect');
  await expect(effect.getByRole('heading', { name: 'Effect on outcomes' })).toBeVisible();
  await expect(effect.getByTestId('coach-effect-note')).toHaveText(/association, not an experiment/);
  await expect(effect.getByTestId('effect-verdict-csat')).toHaveAttribute('data-verdict', 'not_enough_data');
  await expect(effect.getByTestId('effect-verdict-csat')).toContainText('Not enough data yet: each group needs 30 rated conversations');
  const rows = effect.getByTestId('effect-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator('th')).toHaveText('No suggestion taken');
  await expect(rows.nth(1).locator('th')).toHaveText('A suggestion taken');
  await expect(effect).not.toContainText('a suggestion taken'); // the server's English names are not shown
  await effect.scrollIntoViewIfNeeded();
  await admin.screenshot({ path: shotPath('coach-effect-1366.png') });
  await admin.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await effect.getByTestId('effect-table').scrollIntoViewIfNeeded();
  await admin.screenshot({ path: shotPath('coach-effect-390.png') });

  const pl = await actx.newPage();
  await pl.setViewportSize({ width: 1366, height: 900 });
  await pl.addInitScript(() => localStorage.setItem('sb.console.lang', 'pl'));
  await pl.goto(url + '/console/reports');
  await pl.getByTestId('report-tab-coach').click();
  await expect(pl.getByTestId('coach-effect').getByRole('heading', { name: 'Wpływ na wyniki' })).toBeVisible();
  await expect(pl.getByTestId('coach-effect').getByTestId('effect-row').nth(1).locator('th')).toHaveText('Z przyjętą propozycją');
  await pl.getByTestId('coach-effect').scrollIntoViewIfNeeded();
  await pl.screenshot({ path: shotPath('coach-effect-pl-1366.png') });
  await actx.close();
});
