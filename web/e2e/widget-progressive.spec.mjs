// Progressive pre-chat (widget.prechat_mode "progressive"): no form before the chat;
// the customer writes at once (a topic optional, as buttons), and the name / e-mail
// are asked in the chat: at "Talk to a person" (sent with the handoff) and, offline,
// after the first message (sent to …/contact). The agents see them on the contact.
import { test, expect } from './helpers.mjs';
import { serverForFile, dateIn, widgetMessages } from './helpers.mjs';

const SHOTS = '/work/tmp/shots31';
const env = serverForFile({ bot: true, args: ['--grace-ms', '600000'] }, async (env) => {
  const r = await env.admin.call(`/api/v1/inboxes/${env.inbox.id}`, { method: 'PATCH', body: { widget: { ...env.inbox.widget, prechat_mode: 'progressive' } } });
  if (r.status !== 200) throw new Error('PATCH widget: ' + r.status + ' ' + r.text);
});

const contactOf = async (email) => {
  const list = (await env.admin.call('/api/v1/conversations?view=all')).json.conversations;
  return list.find((c) => c.contact?.email === email);
};

test('online: write first, the details asked at "Talk to a person" and sent with the handoff', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 780 } });
  const page = await ctx.newPage();
  await page.goto(env.server.url + '/demo/');
  await page.getByTestId('launcher').click();
  await page.getByTestId('chat-button').click();
  await expect(page.getByTestId('prechat-submit')).toHaveCount(0);
  await page.getByTestId('topics').getByRole('button', { name: 'Returns' }).click();
  await expect(page.getByTestId('topics').getByRole('button', { name: 'Returns' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('composer').fill('Where is my order?');
  await page.getByTestId('composer').press('Enter');
  await expect(page.getByTestId('topics')).toBeHidden();
  const handoff = page.getByTestId('handoff');
  await expect(handoff).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('contact-card')).toHaveCount(0);  // the bot answers: not asked yet
  // "Did this help?" answered: still answered after a reload.
  await page.getByTestId('bot-feedback-yes').click();
  await page.reload();
  await expect(page.getByTestId('bot-feedback')).toBeVisible();
  await expect(page.getByTestId('bot-feedback-yes')).toHaveCount(0);
  await handoff.click();
  const card = page.getByTestId('contact-card');
  await expect(card).toBeVisible();
  await expect(page.getByTestId('contact-name')).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/widget-progressive-card-390.png` });
  await page.getByTestId('contact-submit').click();
  await expect(page.getByTestId('contact-name')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('contact-name').fill('Marta Rossi');
  await page.getByTestId('contact-email').fill('marta.rossi@example.com');
  await page.getByTestId('contact-submit').click();
  await expect(card).toHaveCount(0);
  await expect.poll(async () => (await contactOf('marta.rossi@example.com'))?.contact?.name).toBe('Marta Rossi');
  expect((await contactOf('marta.rossi@example.com')).subject).toBe('Returns');
  // The page the visitor is on, for the agents: reported on navigation.
  await page.evaluate(() => history.pushState({}, '', '/demo/product.html?e2e=1'));
  await expect.poll(async () => (await contactOf('marta.rossi@example.com'))?.meta?.current_page?.url, { timeout: 15_000 }).toContain('/demo/product.html?e2e=1');
  await ctx.close();
});

test('online without a bot: the e-mail asked while waiting for a person, saved on the contact', async ({ browser }) => {
  expect((await env.admin.call('/api/v1/bot', { method: 'PUT', body: { enabled: false } })).status).toBe(200);
  const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 780 } });
  const page = await ctx.newPage();
  try {
    await page.goto(env.server.url + '/demo/');
    await page.getByTestId('launcher').click();
    await page.getByTestId('chat-button').click();
    await page.getByTestId('composer').fill('Здравствуйте, где мой заказ?');
    await page.getByTestId('composer').press('Enter');
    const card = page.getByTestId('contact-card');
    await expect(card).toBeVisible();
    await expect(card).toContainText('Пока Вы ждёте');
    await page.getByTestId('contact-name').fill('Ольга Петрова');
    await page.getByTestId('contact-email').fill('olga.petrova@example.com');
    await page.getByTestId('contact-submit').click();
    await expect(card).toHaveCount(0);
    await expect.poll(async () => (await contactOf('olga.petrova@example.com'))?.contact?.name).toBe('Ольга Петрова');
  } finally {
    expect((await env.admin.call('/api/v1/bot', { method: 'PUT', body: { enabled: true } })).status).toBe(200);
    await ctx.close();
  }
});

test('offline: the message first, then the e-mail to reply to, saved on the contact', async ({ browser }) => {
  const hours = { weekly: [], holidays: [dateIn('Europe/Rome'), dateIn('Europe/Rome', 1)] };
  expect((await env.admin.call(`/api/v1/inboxes/${env.inbox.id}`, { method: 'PATCH', body: { business_hours: hours } })).status).toBe(200);
  const ctx = await browser.newContext({ locale: 'it-IT', viewport: { width: 1366, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(env.server.url + '/demo/');
  await page.getByTestId('launcher').click();
  await expect(page.getByTestId('offline-notice')).toBeVisible();
  await expect(page.getByTestId('offline-submit')).toHaveCount(0);
  await page.getByTestId('chat-button').click();
  await page.getByTestId('composer').fill('La lampada è arrivata rotta.');
  await page.getByTestId('composer').press('Enter');
  await expect(widgetMessages(page).filter({ hasText: 'La lampada è arrivata rotta.' })).toHaveCount(1);
  await expect(page.getByTestId('contact-card')).toBeVisible();
  await page.getByTestId('contact-name').fill('Giulia Bianchi');
  await page.getByTestId('contact-email').fill('giulia@example');
  await page.getByTestId('contact-submit').click();
  await expect(page.getByTestId('contact-email')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: `${SHOTS}/widget-progressive-offline-it-1366.png` });
  await page.getByTestId('contact-email').fill('giulia.bianchi@example.com');
  await page.getByTestId('contact-submit').click();
  await expect(page.getByTestId('contact-card')).toHaveCount(0);
  await expect.poll(async () => (await contactOf('giulia.bianchi@example.com'))?.contact?.name).toBe('Giulia Bianchi');
  await ctx.close();
});
