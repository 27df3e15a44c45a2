// FAQ bot, human handoff, emotional peak and the help center, end to end: the widget
// gets the bot's answer in the visitor's language, "Talk to a person" hands the chat to
// an online agent who sees the bot part, an upset message flags the conversation, an
// admin teaches the bot a new intent from the console, and the help center searches.
import { test, expect } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';
import { setup, teardown, consoleLogin, startWidgetChat, consoleMessages, widgetMessages } from './helpers.mjs';

const SHOTS = '/tmp';
const GRACE = ['--grace-ms', '600000'];

// Two intents of our own, in Italian and English, on top of the demo shop's FAQ.
const KB_DOC = {
  version: 1,
  intents: [
    {
      name: 'e2e.gift',
      language: 'it',
      question: 'Fate le confezioni regalo?',
      phrasings: ['posso avere una confezione regalo', 'incartate il pacco come regalo', 'è possibile il pacchetto regalo'],
      answer: 'Sì, la confezione regalo costa 3 euro: la scelga nel carrello prima di pagare.',
      enabled: true,
    },
    {
      name: 'e2e.gift',
      language: 'en',
      question: 'Do you offer gift wrapping?',
      phrasings: ['can you gift wrap my order', 'is gift wrapping available', 'wrap it as a present'],
      answer: 'Yes, gift wrapping costs 3 euros: pick it in the cart before paying.',
      enabled: true,
    },
  ],
};

async function setupBot(opts = {}) {
  const env = await setup({ args: GRACE, bot: true, ...opts });
  const imp = await env.admin.call('/api/v1/kb/import?mode=merge', { method: 'POST', body: KB_DOC });
  if (imp.status !== 200) throw new Error('kb import: ' + imp.status + ' ' + imp.text);
  const bot = await env.admin.call('/api/v1/bot', { method: 'PUT', body: { enabled: true, name: 'Sofia' } });
  if (bot.status !== 200) throw new Error('bot: ' + bot.status + ' ' + bot.text);
  return env;
}

let env;
test.afterEach(async ({}, testInfo) => {
  await teardown(env, testInfo);
  env = undefined;
});

test('the bot answers in Italian; "Talk to a person" hands the chat to an agent who sees the bot part; an upset message is flagged', async ({ browser }) => {
  env = await setupBot({ routing: { mode: 'offer', offer_timeout_s: 90 }, online: ['anna'] });
  const url = env.server.url;
  const visitor = await (await browser.newContext({ locale: 'it-IT' })).newPage();
  const anna = await (await browser.newContext()).newPage();
  await consoleLogin(anna, url, 'anna');

  // (a) The visitor writes in Italian; Sofia answers in Italian.
  const question = 'Buongiorno, fate le confezioni regalo?';
  await startWidgetChat(visitor, url, { name: 'Giulia Bianchi', email: 'giulia@example.com', message: question });
  const botMsg = widgetMessages(visitor).filter({ hasText: 'la confezione regalo costa 3 euro' });
  await expect(botMsg).toHaveCount(1);
  await expect(botMsg.locator('.who')).toHaveText('Sofia');
  await expect(botMsg).toHaveClass(/them/);
  const handoff = visitor.getByTestId('handoff');
  await expect(handoff).toBeVisible();
  await expect(handoff).toHaveText('Parla con una persona');
  // While the bot answers, nobody is offered the chat.
  await expect(anna.getByTestId('offer-card')).toHaveCount(0);
  await visitor.screenshot({ path: `${SHOTS}/bot-widget-answer.png` });

  // (b) The visitor asks for a person: the button goes, Anna gets the offer and accepts.
  await handoff.click();
  await expect(handoff).toBeHidden();
  await expect(widgetMessages(visitor)).toHaveCount(3);
  await expect(anna.getByTestId('offer-card')).toHaveCount(1);
  await anna.locator('body').press('a');
  await expect(anna).toHaveURL(/\/console\/mine\/\d+$/);
  await expect(anna.getByTestId('assignee')).toContainText('Assigned to you');
  // The bot part of the conversation: the question and Sofia's answer, marked as the bot's.
  await expect(consoleMessages(anna).filter({ hasText: question })).toHaveCount(1);
  const consoleBot = consoleMessages(anna).filter({ hasText: 'la confezione regalo costa 3 euro' });
  await expect(consoleBot).toHaveAttribute('data-author', 'bot');
  await expect(consoleBot.locator('.msg-author')).toContainText('Sofia');
  await expect(anna.getByTestId('handoff-reason')).toHaveText('Handed off by the bot: the customer asked for a person');
  await expect(anna.locator('.conv-header').getByTestId('lang-badge')).toHaveText('IT');
  await expect(anna.locator('.conv-header').getByTestId('bot-badge')).toHaveCount(0);

  // (c) An upset message: the red badge in the list row and the header, reasons on hover, the note localized.
  const angry = 'this is a f***ing scam, I will call my lawyer!!!';
  await visitor.getByTestId('composer').fill(angry);
  await visitor.getByTestId('composer').press('Enter');
  await expect(consoleMessages(anna).filter({ hasText: angry })).toHaveCount(1);
  const headerBadge = anna.locator('.conv-header').getByTestId('upset-badge');
  await expect(headerBadge).toHaveText(/Upset customer/);
  await expect(headerBadge).toHaveAttribute('title', /^Upset customer\. Why: .*swearing/);
  const row = anna.locator('[data-testid="conversation-item"][data-upset="true"]');
  await expect(row.getByTestId('upset-badge')).toBeVisible();
  const note = anna.locator('.messages .msg-upset');
  await expect(note).toContainText('Emotional peak: the customer sounds upset');
  await expect(note).toContainText('swearing');
  // The visitor never sees the internal note.
  await expect(visitor.getByText('Emotional peak')).toHaveCount(0);
  await anna.screenshot({ path: `${SHOTS}/bot-console-conversation.png` });

  // The same conversation with the console in Italian: badge, reason and note translated.
  await anna.evaluate(() => localStorage.setItem('sb.console.lang', 'it'));
  await anna.reload();
  await expect(anna.locator('.conv-header').getByTestId('upset-badge')).toHaveText(/Cliente arrabbiato/);
  await expect(anna.getByTestId('handoff-reason')).toHaveText('Passata dal bot: il cliente ha chiesto una persona');
  await expect(anna.locator('.messages .msg-upset')).toContainText('parolacce');
});

test('an admin adds an intent from the unanswered questions in the console; the bot then answers it', async ({ browser }) => {
  env = await setupBot({ online: ['anna'] });
  const url = env.server.url;

  // A question the bot cannot answer yet: it hands off as unsure and lists it.
  const unknown = 'Do you have parking spaces for customers at the shop?';
  const v = await newVisitor(url);
  const c = await v.startChat({ message: unknown, language: 'en' });
  expect(c.status).toBe(201);
  await expect
    .poll(async () => (await env.admin.call('/api/v1/bot/unanswered?days=30')).json.questions.map((q) => q.text))
    .toContain(unknown);

  const admin = await (await browser.newContext()).newPage();
  admin.on('dialog', (d) => d.accept());
  await consoleLogin(admin, url, 'admin');
  await admin.getByTestId('settings').click();
  await admin.getByTestId('settings-bot').click();
  await expect(admin).toHaveURL(/\/console\/settings\/bot$/);
  await expect(admin.getByTestId('bot-enabled')).toBeChecked();
  await expect(admin.getByTestId('bot-name')).toHaveValue('Sofia');
  const row = admin.getByTestId('bot-unanswered-row').filter({ hasText: unknown });
  await expect(row).toHaveCount(1);
  await expect(admin.getByTestId('bot-report')).toBeVisible();
  await admin.screenshot({ path: `${SHOTS}/bot-admin-page.png`, fullPage: true });

  // "Add as intent": the knowledge base opens on the intent form, prefilled.
  await row.getByTestId('bot-add-intent').click();
  await expect(admin).toHaveURL(/\/console\/settings\/kb$/);
  const form = admin.getByTestId('kb-intent-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('kb-intent-language')).toHaveValue('en');
  await expect(form.getByTestId('kb-intent-phrasings')).toHaveValue(unknown);

  // The server's message is shown next to the form when a field is missing.
  await form.getByTestId('kb-save').click();
  await expect(form.getByTestId('kb-error')).toContainText('name');

  await form.getByTestId('kb-intent-name').fill('store.parking');
  await form.getByTestId('kb-intent-phrasings').fill([unknown, 'where can I park near your shop', 'is there a car park', 'parking for customers'].join('\n'));
  await form.getByTestId('kb-intent-answer').fill('Yes: 20 free parking spaces for customers behind the shop, in Via Roma.');
  await form.getByTestId('kb-save').click();
  await expect(form).toHaveCount(0);
  await admin.getByTestId('kb-lang').selectOption('en');
  await expect(admin.getByTestId('kb-intent-row').filter({ hasText: 'store.parking' })).toHaveCount(1);
  await admin.screenshot({ path: `${SHOTS}/bot-kb-intents.png`, fullPage: true });

  // Articles tab: the list, the editor and the server-rendered preview.
  await admin.getByTestId('kb-tab-articles').click();
  const art = admin.getByTestId('kb-article-row').filter({ hasText: 'How do I return an item?' });
  await expect(art).toHaveCount(1);
  await art.getByTestId('kb-edit').click();
  const aform = admin.getByTestId('kb-article-form');
  await expect(aform.getByTestId('kb-article-slug')).toHaveValue('how-to-return');
  await aform.getByTestId('kb-mode-preview').click();
  await expect(aform.getByTestId('kb-preview').locator('strong, li').first()).toBeVisible();
  await admin.screenshot({ path: `${SHOTS}/bot-kb-article.png`, fullPage: true });

  // A new visitor asks in the widget: the bot now answers.
  const visitor = await (await browser.newContext()).newPage();
  await startWidgetChat(visitor, url, { name: 'Paul Green', email: 'paul@example.com', message: 'Hi, where can I park near your shop?' });
  await expect(widgetMessages(visitor).filter({ hasText: '20 free parking spaces' })).toHaveCount(1);
  await expect(visitor.getByTestId('handoff')).toBeVisible();
  await expect(visitor.getByTestId('handoff')).toHaveText('Talk to a person');
});

test('the help center renders and its search finds an article', async ({ page }) => {
  env = await setup({ bot: true });
  const url = env.server.url;
  const kb = (await env.admin.call('/api/v1/kb')).json;
  expect(kb.help_center).toMatch(/^\/help\/[\w-]+$/);

  await page.goto(url + kb.help_center + '?lang=it');
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await expect(page.locator('a.card').first()).toBeVisible();
  await expect(page.locator('a.card strong').first()).toHaveText('Resi');
  await page.screenshot({ path: `${SHOTS}/bot-help-home.png`, fullPage: true });

  await page.locator('form.search input[name="q"]').fill('reso');
  await page.locator('form.search input[name="q"]').press('Enter');
  await expect(page).toHaveURL(/\/search\?/);
  const hit = page.locator('main a', { hasText: 'Come faccio un reso?' }).first();
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(page.locator('main h1')).toHaveText('Come faccio un reso?');
  await expect(page.locator('nav.crumbs li[aria-current="page"]')).toHaveText('Come faccio un reso?');
  await page.screenshot({ path: `${SHOTS}/bot-help-article.png`, fullPage: true });
  // "Chat with us" opens the shop's widget on the page, in the page's language.
  await page.locator('[data-open-chat]').click();
  await expect(page.getByTestId('panel')).toBeVisible();
  await expect(page).toHaveURL(/\/articles\//);
});
