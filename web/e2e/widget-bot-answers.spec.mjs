// Widget: the FAQ bot's answers — the bot's avatar, a help-center article as a card
// (title, snippet, "Open in the help center" on the server's origin in a new tab),
// "Did this help?" under the latest answer only (Yes: thanks; No: thanks and the focus on "Talk to a person").
import { test, expect } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';
import { setup, teardown, startWidgetChat, widgetMessages, shotPath } from './helpers.mjs';

let env;
test.afterEach(async ({}, testInfo) => {
  await teardown(env, testInfo);
  env = undefined;
});

const QUESTION = 'do you offer gift wrapping for orders?';

test('bot article card, avatar and "Did this help?" in English and Russian at 390 and 1366 px', async ({ browser }) => {
  test.setTimeout(180000);
  env = await setup({ args: ['--grace-ms', '600000'], bot: true });
  const bot = await env.admin.call('/api/v1/bot', { method: 'PUT', body: { enabled: true, name: 'Sofia' } });
  expect(bot.status).toBe(200);
  const art = await env.admin.call('/api/v1/kb/articles', { method: 'POST', body: { slug: 'gift-wrapping', language: 'en', category: 'orders',
    title: 'Gift wrapping for orders', body: 'We **wrap gifts** in recycled paper for 3 euros; add a card with your message at checkout.', published: true } });
  expect(art.status, art.text).toBe(201);
  // The knowledge base retrains in the background: wait until the bot answers with the article.
  await expect.poll(async () => {
    const v = await newVisitor(env.server.url);
    const r = await v.startChat({ message: QUESTION, language: 'en' });
    await new Promise((d) => setTimeout(d, 1500));
    const evs = (await v.call(`/api/v1/widget/conversations/${r.json.id}/events?after=0`)).json.events;
    return evs.some((e) => e.notice?.code === 'bot_article');
  }, { timeout: 90000, intervals: [2000] }).toBe(true);

  for (const [locale, width] of [['en-US', 1366], ['ru-RU', 390]]) {
    const ctx = await browser.newContext({ locale, viewport: { width, height: width < 500 ? 780 : 800 } });
    const page = await ctx.newPage();
    await startWidgetChat(page, env.server.url, { name: 'Giulia Bianchi', email: `g.${width}@example.com`, message: QUESTION });
    const card = page.getByTestId('bot-article');
    await expect(card).toHaveCount(1, { timeout: 20000 });
    await expect(card.locator('b')).toHaveText('Gift wrapping for orders');
    await expect(card.locator('p')).toContainText('We wrap gifts in recycled paper');
    const link = page.getByTestId('bot-article-link');
    await expect(link).toHaveAttribute('href', env.server.url + '/help/demo/articles/gift-wrapping?lang=en');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveText(locale === 'en-US' ? 'Open in the help center' : 'Открыть в справочном центре');
    // No raw help-center path in the bubble.
    await expect(widgetMessages(page).filter({ has: card })).not.toContainText('/help/demo');
    await expect(page.getByTestId('bot-avatar').first()).toBeVisible();
    const fb = page.getByTestId('bot-feedback');
    await expect(fb).toHaveCount(1);
    await expect(fb).toContainText(locale === 'en-US' ? 'Did this help?' : 'Это помогло?');
    await page.screenshot({ path: shotPath(`widget-bot-${locale}-${width}.png`) });

    const sent = page.waitForResponse((r) => r.url().includes('/bot-feedback'));
    if (locale === 'en-US') {
      await page.getByTestId('bot-feedback-yes').click();
      expect((await sent).status()).toBe(204);
      await expect(fb).toContainText('Thanks for letting us know.');
      await expect(page.getByTestId('handoff')).not.toBeFocused();
    } else {
      await page.getByTestId('bot-feedback-no').click();
      const r = await sent;
      expect(r.status()).toBe(204);
      expect(JSON.parse(r.request().postData()).helpful).toBe(false);
      // After No: the thanks, and the focus on the existing "Talk to a person".
      await expect(fb).toContainText('Спасибо, что сообщили.');
      const human = page.getByTestId('handoff');
      await expect(human).toBeFocused();
      await expect(human).toHaveText('Связаться с оператором');
      await page.screenshot({ path: shotPath(`widget-bot-no-${locale}-${width}.png`) });
      await page.keyboard.press('Enter');
      await expect(human).toBeHidden();
    }
    await ctx.close();
  }
});
