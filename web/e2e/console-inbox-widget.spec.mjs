// Settings → Inboxes → the widget's new settings in the console: per-language texts
// (title, greeting, offline message, pop-up message, topic labels → widget.translations),
// the pre-chat mode (before the chat / progressively) and the greeting pop-up delay; the
// preview shows the pop-up only when the real widget would (a delay set), in the preview's
// language; a 400 naming a field is said at that field (its language's tab opened). And the
// contact panel's live "Current page" (meta.current_page, the visitor_page frame), with
// "Started on" kept. Screenshots in English, Russian and Hungarian at 1366 and 390 px.
import { test, expect } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, setContactPanel } from './helpers.mjs';

const SHOTS = '/work/tmp/shots31';
const env = serverForFile({ online: [] });

async function openInbox(page, lang = 'en') {
  await page.addInitScript((l) => localStorage.setItem('sb.console.lang', l), lang);
  await consoleLogin(page, env.server.url, 'admin', `/console/settings/inboxes/${env.inbox.id}`);
  await expect(page.getByTestId('inbox-form')).toBeVisible();
}

test('translations, pre-chat mode and pop-up are saved and reloaded; the preview shows the pop-up only with a delay, in its language', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await openInbox(page);
  const preview = page.getByTestId('widget-preview');
  // No delay: the real widget shows no pop-up, nor does the preview (it used to show the greeting).
  await expect(page.getByTestId('inbox-popup-on')).not.toBeChecked();
  await expect(page.getByTestId('inbox-popup-delay')).toBeDisabled();
  await expect(preview.getByTestId('widget-preview-popup')).toHaveCount(0);

  // Italian texts in their tab (keyboard: arrows move between the language tabs).
  await page.getByTestId('inbox-tr-tab-en').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('inbox-tr-tab-it')).toBeFocused();
  await expect(page.getByTestId('inbox-tr-tab-it')).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByTestId('inbox-tr-panel');
  await expect(panel).toHaveAttribute('data-lang', 'it');
  await panel.getByTestId('inbox-tr-title').fill('Negozio Demo');
  await panel.getByTestId('inbox-tr-greeting').fill('Buongiorno! Come possiamo aiutarLa?');
  await panel.getByTestId('inbox-tr-offline_message').fill('Siamo chiusi: Le risponderemo domani.');
  await panel.getByTestId('inbox-tr-popup_message').fill('Ha domande sul Suo ordine?');
  await panel.locator('[data-topic="Returns"]').fill('Resi e rimborsi');
  // The preview follows the tab's language; still no pop-up without a delay.
  await expect(page.getByTestId('inbox-preview-lang')).toHaveValue('it');
  await expect(preview.getByTestId('widget-preview-popup')).toHaveCount(0);
  // Pop-up on after 5 s: the preview shows the Italian pop-up message.
  await page.getByTestId('inbox-popup-on').check();
  await page.getByTestId('inbox-popup-delay').fill('5');
  await expect(preview.getByTestId('widget-preview-popup')).toHaveText('Ha domande sul Suo ordine?');
  // In Russian (no translation yet) the preview falls back to the inbox's greeting, as the widget does.
  await page.getByTestId('inbox-preview-lang').selectOption('ru');
  await expect(page.getByTestId('inbox-tr-tab-ru')).toHaveAttribute('aria-selected', 'true');
  const greeting = await page.getByTestId('inbox-greeting').inputValue();
  await expect(preview.getByTestId('widget-preview-popup')).toHaveText(greeting.trim());
  await page.getByTestId('inbox-tr-popup_message').fill('Есть вопросы о заказе?');
  await expect(preview.getByTestId('widget-preview-popup')).toHaveText('Есть вопросы о заказе?');
  // Progressive pre-chat.
  await page.getByTestId('inbox-prechat-mode-progressive').click();

  await page.getByTestId('inbox-save').click();
  await expect(page.locator('.toast-success, [data-testid="toast"]').first()).toBeVisible();
  const w = (await env.admin.call('/api/v1/inboxes')).json.inboxes.find((i) => i.id === env.inbox.id).widget;
  expect(w.prechat_mode).toBe('progressive');
  expect(w.popup_delay_s).toBe(5);
  expect(w.translations.it).toEqual({
    title: 'Negozio Demo',
    greeting: 'Buongiorno! Come possiamo aiutarLa?',
    offline_message: 'Siamo chiusi: Le risponderemo domani.',
    popup_message: 'Ha domande sul Suo ordine?',
    topics: { Returns: 'Resi e rimborsi' },
  });
  expect(w.translations.ru).toEqual({ popup_message: 'Есть вопросы о заказе?' });

  // Reloaded: the same, and the pop-up off again hides it in the preview.
  await page.reload();
  await expect(page.getByTestId('inbox-form')).toBeVisible();
  await expect(page.getByTestId('inbox-popup-delay')).toHaveValue('5');
  await expect(page.getByTestId('inbox-prechat-mode-progressive').locator('input')).toBeChecked();
  await page.getByTestId('inbox-tr-tab-it').click();
  await expect(page.getByTestId('inbox-tr-panel').locator('[data-topic="Returns"]')).toHaveValue('Resi e rimborsi');
  await expect(preview.getByTestId('widget-preview-popup')).toHaveText('Ha domande sul Suo ordine?');
  await page.getByTestId('inbox-popup-on').uncheck();
  await expect(preview.getByTestId('widget-preview-popup')).toHaveCount(0);
});

test('the server\'s 400 naming a translated topic is said at that field, in its language tab; a bad delay at the delay', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await openInbox(page);
  // What the form cannot send (its fields stop at 200 characters) slipped into the request:
  // the server's own refusal names the field.
  await page.route(`**/api/v1/inboxes/${env.inbox.id}`, async (route) => {
    if (route.request().method() !== 'PATCH') return route.continue();
    const body = JSON.parse(route.request().postData());
    body.widget.translations = { ...body.widget.translations, hu: { topics: { Returns: 'x'.repeat(201) } } };
    await route.continue({ postData: JSON.stringify(body) });
  });
  await page.getByTestId('inbox-save').click();
  await expect(page.getByTestId('inbox-tr-tab-hu')).toHaveAttribute('aria-selected', 'true');
  const field = page.getByTestId('inbox-tr-panel').locator('[data-topic="Returns"]');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await expect(page.getByTestId('inbox-tr-topic-error')).toContainText(/^widget\.translations\.hu\.topics\.Returns /);
  await page.screenshot({ path: `${SHOTS}/console-inbox-field-error-en-1366.png` });
  // Typing there clears it.
  await field.fill('Visszaküldés');
  await expect(page.getByTestId('inbox-tr-topic-error')).toHaveCount(0);
  // A delay out of range is refused before sending, at the field.
  await page.unroute(`**/api/v1/inboxes/${env.inbox.id}`);
  await page.getByTestId('inbox-popup-on').check();
  await page.getByTestId('inbox-popup-delay').fill('900');
  await page.getByTestId('inbox-save').click();
  await expect(page.getByTestId('inbox-popup-error')).toContainText('0 to 600');
  await expect(page.getByTestId('inbox-popup-delay')).toBeFocused();
});

for (const [lang, w, h] of [['en', 1366, 768], ['ru', 1366, 768], ['hu', 1366, 768], ['en', 390, 844], ['ru', 390, 844], ['hu', 390, 844]]) {
  test(`screenshots: inbox widget settings, ${lang} ${w} px`, async ({ browser }) => {
    const page = await (await browser.newContext({ viewport: { width: w, height: h } })).newPage();
    await openInbox(page, lang);
    await page.getByTestId('inbox-popup-on').check();
    await page.getByTestId('inbox-tr-tab-ru').click();
    await page.getByTestId('inbox-tr-popup_message').fill('Здравствуйте! Нужна помощь с заказом?');
    for (const sec of ['widget', 'prechat', 'translations']) {
      await page.locator(`#sec-${sec}`).evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(150);
      await page.screenshot({ path: `${SHOTS}/console-inbox-${sec}-${lang}-${w}.png` });
    }
  });
}

test('the contact panel shows the current page live, with a dot, and where the chat started', async ({ browser }) => {
  const v = await newVisitor(env.server.url);
  const r = await v.startChat({ name: 'Ольга Кузнецова', language: 'ru', message: 'Здравствуйте!', page_url: 'https://shop.example/start' });
  expect(r.status).toBe(201);
  const id = r.json.id;
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await page.clock.install(); // time flows as usual until fast-forwarded below
  await consoleLogin(page, env.server.url, 'anna', `/console/all/${id}`);
  await setContactPanel(page);
  const cp = page.getByTestId('contact-panel');
  await expect(cp.getByTestId('contact-started-on')).toContainText('shop.example/start');
  // The widget reports a page: the agent sees it at once, online.
  const p = await v.call(`/api/v1/widget/conversations/${id}/page`, { method: 'POST', body: { url: 'https://shop.example/cart?step=2', title: 'Your cart' } });
  expect(p.status).toBe(204);
  const current = cp.getByTestId('contact-current-page');
  await expect(current).toContainText('shop.example/cart?step=2');
  await expect(current).toContainText('Your cart');
  await expect(current).toHaveAttribute('data-online', 'true');
  await expect(cp.getByTestId('contact-current-seen')).toHaveText('Online now');
  await expect(cp.getByTestId('contact-started-on')).toContainText('shop.example/start');
  await page.screenshot({ path: `${SHOTS}/console-current-page-en-1366.png` });
  // Five minutes later (the page's clock moved on): "last seen 5 min ago", the dot off.
  await page.clock.fastForward(5 * 60_000);
  await expect(current).toHaveAttribute('data-online', 'false');
  await expect(cp.getByTestId('contact-current-seen')).toHaveText(/^Last seen 5 min\.? ago$/);
});
