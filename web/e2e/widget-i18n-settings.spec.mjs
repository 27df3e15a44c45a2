// The inbox's own texts in the visitor's language (widget.translations): title,
// greeting, pre-chat topics (the canonical topic is what the conversation gets) and
// the greeting pop-up by the launcher. Screenshots in Italian and Russian, phone and desktop.
import { test, expect } from './helpers.mjs';
import { serverForFile } from './helpers.mjs';

const SHOTS = '/work/tmp/shots31';

const env = serverForFile({}, async (env) => {
  const widget = {
    ...env.inbox.widget,
    language: 'auto',
    greeting: 'Hi! How can we help?',
    popup_delay_s: 1,
    translations: {
      it: { title: 'Negozio Demo', greeting: 'Buongiorno! Come possiamo aiutarLa?', popup_message: 'Ha domande sul Suo ordine? Scriva a noi!', topics: { Returns: 'Resi e rimborsi', Billing: 'Fatturazione' } },
      ru: { title: 'Демо-магазин', greeting: 'Здравствуйте! Чем мы можем помочь?', popup_message: 'Есть вопросы о заказе? Напишите нам!', topics: { Returns: 'Возврат товара', Billing: 'Оплата и счета' } },
    },
  };
  const r = await env.admin.call(`/api/v1/inboxes/${env.inbox.id}`, { method: 'PATCH', body: { widget } });
  if (r.status !== 200) throw new Error('PATCH widget: ' + r.status + ' ' + r.text);
});

for (const [lang, locale, t] of [
  ['it', 'it-IT', { title: 'Negozio Demo', greeting: 'Buongiorno! Come possiamo aiutarLa?', popup: 'Ha domande sul Suo ordine?', topic: 'Resi e rimborsi' }],
  ['ru', 'ru-RU', { title: 'Демо-магазин', greeting: 'Здравствуйте! Чем мы можем помочь?', popup: 'Есть вопросы о заказе?', topic: 'Возврат товара' }],
]) {
  test(`inbox texts in ${lang}: pop-up, title, greeting and topics; the canonical topic is sent`, async ({ browser }) => {
    const ctx = await browser.newContext({ locale, viewport: { width: 1366, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(env.server.url + '/demo/');
    // The pop-up after 1 s, once a day: clicking it opens the widget.
    const pop = page.getByTestId('popup');
    await expect(pop).toContainText(t.popup);
    await page.screenshot({ path: `${SHOTS}/widget-popup-${lang}-1366.png` });
    await page.getByTestId('popup-open').click();
    await expect(pop).toHaveCount(0);
    const panel = page.getByTestId('panel');
    await expect(panel).toContainText(t.title);
    await expect(panel).toContainText(t.greeting);
    await page.waitForTimeout(400); // the panel's opening animation
    await page.screenshot({ path: `${SHOTS}/widget-home-${lang}-1366.png` });
    await page.getByTestId('chat-button').click();
    const topic = page.getByTestId('prechat-topic');
    await expect(topic.locator('option[value="Returns"]')).toHaveText(t.topic);
    await expect(topic.locator('option[value="Orders and delivery"]')).toHaveText('Orders and delivery'); // untranslated: as is
    await page.setViewportSize({ width: 390, height: 780 });
    await page.getByTestId('prechat-name').fill(lang === 'it' ? 'Giulia Bianchi' : 'Ольга Смирнова');
    await page.getByTestId('prechat-email').fill(`e2e-${lang}@example.com`);
    await topic.selectOption({ label: t.topic });
    await page.screenshot({ path: `${SHOTS}/widget-prechat-${lang}-390.png` });
    await page.getByTestId('prechat-message').fill(lang === 'it' ? 'Vorrei restituire una lampada.' : 'Хочу вернуть лампу.');
    await page.getByTestId('prechat-submit').click();
    await expect(page.getByTestId('panel').getByTestId('message')).toHaveCount(1);
    await page.screenshot({ path: `${SHOTS}/widget-chat-${lang}-390.png` });
    const list = (await env.admin.call('/api/v1/conversations?view=all&status=open')).json.conversations;
    const c = list.find((c) => c.contact?.email === `e2e-${lang}@example.com`);
    expect(c.subject).toBe('Returns');
    // Reloaded the same day: no second pop-up.
    await page.getByTestId('close').click();
    await page.reload();
    await page.waitForTimeout(1600);
    await expect(pop).toHaveCount(0);
    await ctx.close();
  });
}
