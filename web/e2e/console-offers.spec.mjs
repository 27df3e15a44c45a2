// Offer cards and @mention notices in the agent console. In the inbox the offer cards are
// docked at the top of the conversation list, which they push down: the list stays
// clickable under them. The card previews the customer's message. A mention notice goes
// when its conversation is opened (from the list as well as from the notice) or closed
// with its × button. Screenshots at 1366×768 (English) and 390 px (Russian).
import { test, expect } from './helpers.mjs';
import { setup, teardown, consoleLogin, startWidgetChat, shotPath } from './helpers.mjs';

const GRACE = ['--grace-ms', '600000'];
let env;
test.afterEach(async ({}, testInfo) => {
  await teardown(env, testInfo);
  env = undefined;
});

test('offer cards dock above the conversation list and leave it clickable', async ({ browser }) => {
  env = await setup({ args: GRACE, routing: { mode: 'offer', offer_timeout_s: 120 }, online: ['anna'] });
  const url = env.server.url;
  const anna = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await consoleLogin(anna, url, 'anna');
  await anna.getByTestId('view-all').click();

  const visitor = await (await browser.newContext()).newPage();
  const message = 'Hello, my parcel 2231 never arrived — can you check where it is?';
  await startWidgetChat(visitor, url, { name: 'Giulia Conti', email: 'giulia@example.com', topic: 'Returns', message });

  const card = anna.getByTestId('offer-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Giulia Conti');
  await expect(card.locator('.offer-preview')).toHaveText(message);
  // Docked inside the list pane, above its items: nothing of the list is under the card.
  const stack = anna.locator('.list-pane [data-testid="offer-stack"]');
  await expect(stack).toBeVisible();
  const item = anna.getByTestId('conversation-item').first();
  await expect(item).toBeVisible();
  const sb = await stack.boundingBox();
  const ib = await item.boundingBox();
  expect(ib.y).toBeGreaterThanOrEqual(sb.y + sb.height - 1);
  await anna.waitForTimeout(300);
  await anna.screenshot({ path: shotPath('console-offer-docked-1366.png') });
  // The list is clickable with the offer showing.
  await item.click();
  await expect(anna).toHaveURL(/\/console\/all\/\d+$/);
  await expect(card).toHaveCount(1);
  await anna.screenshot({ path: shotPath('console-offer-docked-open-1366.png') });

  // Elsewhere (settings): in a corner, not over the page's top.
  await anna.getByTestId('nav-tickets').click();
  await expect(anna.locator('[data-testid="offer-stack"].is-floating')).toBeVisible();
  const fb = await anna.getByTestId('offer-stack').boundingBox();
  expect(fb.y + fb.height).toBeGreaterThan(768 - 40);
  await anna.screenshot({ path: shotPath('console-offer-floating-1366.png') });

  // 390 px in Russian: docked above the list.
  const ru = await (await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 844 } })).newPage();
  await consoleLogin(ru, url, 'anna');
  await ru.getByTestId('view-all').click();
  await expect(ru.locator('.list-pane [data-testid="offer-card"]')).toHaveCount(1);
  await expect(ru.getByTestId('offer-accept')).toContainText('Принять');
  await ru.screenshot({ path: shotPath('console-offer-docked-390-ru.png') });

  await anna.getByTestId('offer-accept').click();
  await expect(anna).toHaveURL(/\/console\/mine\/\d+$/);
  await expect(card).toHaveCount(0);
});

test('a mention notice goes when its conversation is opened or it is closed, and does not come back', async ({ browser }) => {
  test.setTimeout(120_000);  // three consoles and a widget: ~50 s on a busy 2-core box
  env = await setup({ args: GRACE, online: ['anna'] });
  const url = env.server.url;
  const anna = await (await browser.newContext()).newPage();
  const marek = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await consoleLogin(anna, url, 'anna');
  await consoleLogin(marek, url, 'marek');
  const visitor = await (await browser.newContext()).newPage();
  await startWidgetChat(visitor, url, { name: 'Luca Ferri', email: 'luca@example.com', message: 'The drawer handle broke on day one.' });

  await anna.getByTestId('view-mine').click();
  await anna.getByTestId('conversation-item').filter({ hasText: 'Luca Ferri' }).click();
  const note = async (text) => {
    await anna.getByTestId('composer-mode-note').click();
    const composer = anna.getByTestId('composer');
    await composer.pressSequentially(text + ' @Ma', { delay: 10 });
    await expect(anna.getByTestId('mention-option')).toHaveCount(1);
    await composer.press('Enter');
    await composer.pressSequentially('please look', { delay: 5 });
    await composer.press('Enter');
  };

  await note('First:');
  const notice = marek.getByTestId('mention-notice');
  await expect(notice).toHaveCount(1);
  await marek.screenshot({ path: shotPath('console-mention-1366.png') });
  // Closed with its × button.
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);

  await note('Second:');
  await expect(notice).toHaveCount(1);
  // Opened from the list, not from the notice: the notice goes too.
  await marek.getByTestId('view-all').click();
  await marek.getByTestId('conversation-item').filter({ hasText: 'Luca Ferri' }).click();
  await expect(notice).toHaveCount(0);
  await marek.waitForTimeout(1000);
  await expect(notice).toHaveCount(0);
});
