// Ticket deflection: with nobody online the widget shows the offline form; before the
// message goes, it suggests help-center articles (the demo shop FAQ). "No, send my
// message" sends it as before; "Yes, this answered it" sends nothing and keeps what the
// visitor typed. Both answers are counted in the self-service report.
import { test, expect } from './helpers.mjs';
import { serverForFile, shotPath } from './helpers.mjs';

const QUESTION = 'How do I return an item?';

const env = serverForFile({ online: [] }); // always open, but no agent online

const tickets = async () => (await env.admin.call('/api/v1/conversations?view=all')).json.conversations;
const report = async () => (await env.admin.call('/api/v1/reports/self-service')).json.deflection;

async function ask(page, email) {
  await page.goto(env.server.url + '/demo/');
  await page.getByTestId('launcher').click();
  await expect(page.getByTestId('offline-notice')).toContainText('No one is available right now');
  await page.getByTestId('offline-name').fill('Ilona Kovács');
  await page.getByTestId('offline-email').fill(email);
  await page.getByTestId('offline-message').fill(QUESTION);
  await page.getByTestId('offline-submit').click();
}

test('the visitor sees a suggestion, then sends the message anyway', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await ask(page, 'ilona@example.com');

  const panel = page.getByTestId('suggestions');
  const heading = panel.getByRole('heading', { name: 'These articles may answer your question' });
  await expect(heading).toBeFocused();
  await expect(page.getByTestId('offline-message')).toBeHidden();
  const link = panel.getByRole('link', { name: 'How do I return an item?' });
  await expect(link).toHaveAttribute('href', `${env.server.url}/help/demo/articles/how-to-return?lang=en`);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await page.getByTestId('panel').screenshot({ path: shotPath('deflection-suggestions.png') });
  expect(await tickets()).toEqual([]);

  // Keyboard: Tab from the heading reaches the article link first.
  await page.keyboard.press('Tab');
  await expect(link).toBeFocused();
  await page.getByTestId('suggestions-send').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('confirmation')).toContainText('ilona@example.com');

  const list = await tickets();
  expect(list.map((c) => [c.kind, c.contact.email])).toEqual([['offline', 'ilona@example.com']]);
  await expect.poll(report).toMatchObject({ shown: 1, helped: 0, continued: 1 });
  await ctx.close();
});

test('the article answered it: nothing is sent, and the message is still there', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await ask(page, 'piotr@example.com');
  await page.getByTestId('suggestions-helped').click();
  const panel = page.getByTestId('suggestions');
  await expect(panel.getByRole('heading')).toHaveText(/Glad we could help/);
  await expect(panel.getByRole('heading')).toBeFocused();
  await expect.poll(report).toMatchObject({ shown: 2, helped: 1, continued: 1 });
  expect((await tickets()).length).toBe(1);

  await page.getByTestId('suggestions-back').click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('offline-message')).toHaveValue(QUESTION);
  await expect(page.getByTestId('offline-message')).toBeFocused();
  await expect(page.getByTestId('offline-email')).toHaveValue('piotr@example.com');
  expect((await tickets()).length).toBe(1);
  await ctx.close();
});

test('when suggestions cannot be fetched, the message is sent at once', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.route('**/suggestions', (r) => r.abort());
  await ask(page, 'anna.k@example.com');
  await expect(page.getByTestId('confirmation')).toContainText('anna.k@example.com');
  await expect(page.getByTestId('suggestions')).toHaveCount(0);
  expect((await tickets()).map((c) => c.contact.email).sort()).toEqual(['anna.k@example.com', 'ilona@example.com']);
  expect(await report()).toMatchObject({ shown: 2, helped: 1, continued: 1 });
  await ctx.close();
});

test('the panel speaks the widget language', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'it-IT' });
  const page = await ctx.newPage();
  await page.goto(env.server.url + '/demo/');
  await page.getByTestId('launcher').click();
  await page.getByTestId('offline-email').fill('giulia@example.com');
  await page.getByTestId('offline-message').fill('Come faccio un reso?');
  await page.getByTestId('offline-submit').click();
  const panel = page.getByTestId('suggestions');
  await expect(panel.getByRole('heading')).toHaveText('Questi articoli potrebbero rispondere alla Sua domanda');
  await expect(panel.getByRole('link', { name: 'Come faccio un reso?' })).toHaveAttribute('href', /how-to-return\?lang=it$/);
  await expect(page.getByTestId('suggestions-send')).toHaveText('No, invia il mio messaggio');
  await ctx.close();
});
