// End-of-chat satisfaction (CSAT): the agent closes a chat, the widget asks
// "how satisfied… 1 to 3" (radio group, arrow keys), the customer picks 3 and
// comments, sees the thanks and the next steps; the agent's console shows the
// rating as a note; the supervisor's report counts it (100 %, 1 response, the
// agent ranked #1) and its CSV has the comment. The card in Hungarian and
// Russian, the console note and the report at 1366 and 390 px are screenshots.
// Solved tickets: the admin picks the survey mailed when a ticket is solved
// (none yet: a link to create one; on without one: refused under the select).
import { test, expect } from './helpers.mjs';
import { serverForFile, consoleLogin, startWidgetChat, shotPath } from './helpers.mjs';

const env = serverForFile();
const PHONE = { width: 390, height: 844 };
let customers = 0;

/** The id of the open chat of the customer called `name`. */
async function chatOf(name) {
  const list = (await env.admin.call('/api/v1/conversations?view=all')).json.conversations;
  const c = list.find((x) => x.contact?.name === name);
  if (!c) throw new Error('no chat of ' + name);
  return c.id;
}

/** A customer in `locale` chats on a phone; the agent closes the chat through the API. */
async function endedChat(browser, locale, name, message) {
  const ctx = await browser.newContext({ locale, viewport: PHONE });
  const page = await ctx.newPage();
  await startWidgetChat(page, env.server.url, { name, email: `customer${++customers}@example.com`, message });
  const id = await chatOf(name);
  const anna = env.agent('anna');
  expect((await env.admin.call(`/api/v1/conversations/${id}/assign`, { method: 'POST', body: { agent_id: anna.id } })).status).toBe(200);
  expect((await env.admin.call(`/api/v1/conversations/${id}/close`, { method: 'POST' })).status).toBe(200);
  return { ctx, page, id };
}

test('a customer rates the ended chat; the agent sees it; the report and its CSV count it', async ({ browser }) => {
  const url = env.server.url;
  const comment = 'Anna was <b>great</b> & quick — grazie!';

  // The customer chats on a phone; Anna answers and closes the chat in her console.
  const vctx = await browser.newContext({ viewport: PHONE });
  const visitor = await vctx.newPage();
  await startWidgetChat(visitor, url, { name: 'Giulia Bianchi', email: 'giulia@example.com', message: 'Hello, where is my parcel?' });
  const id = await chatOf('Giulia Bianchi');
  const actx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const agent = await actx.newPage();
  await consoleLogin(agent, url, 'anna', `/console/c/${id}`);
  await agent.getByTestId('composer').fill('It arrives tomorrow. Anything else?');
  await agent.getByTestId('send-button').click();
  await expect(visitor.getByTestId('message').filter({ hasText: 'It arrives tomorrow' })).toHaveCount(1);
  await agent.getByTestId('close-conversation').click();

  // The widget: the question, three choices, the comment box; no composer.
  const card = visitor.getByTestId('rating-card');
  await expect(card).toBeVisible();
  await expect(card).toContainText('How satisfied were you with the live chat experience today on a scale of 1 to 3?');
  const group = card.getByRole('radiogroup', { name: /How satisfied/ });
  const options = group.getByRole('radio');
  await expect(options).toHaveText(['Not satisfied', 'OK', 'Very satisfied']);
  await expect(visitor.getByTestId('composer')).toBeHidden();
  await expect(visitor.getByTestId('new-chat')).toBeVisible();
  await expect(visitor.getByTestId('email-transcript')).toBeVisible();
  await visitor.screenshot({ path: shotPath('csat-widget-card-en-390.png') });

  // Sending without a choice asks for one; arrows move the choice (radio semantics).
  await card.getByTestId('rating-send').click();
  await expect(card.getByTestId('rating-error')).toHaveText('Please choose a rating.');
  await expect(options.first()).toBeFocused();
  await visitor.keyboard.press('ArrowRight');
  await visitor.keyboard.press('ArrowRight');
  await expect(group.getByRole('radio', { name: 'Very satisfied' })).toHaveAttribute('aria-checked', 'true');
  await expect(group.getByRole('radio', { checked: true })).toHaveCount(1);
  await expect(card.getByTestId('rating-error')).toHaveText('');
  await card.getByLabel('Anything you would like to add? (optional)').fill(comment);
  await card.getByTestId('rating-send').click();

  // Thanks, with the score and the comment as text, and the next steps.
  const thanks = visitor.getByTestId('rating-thanks');
  await expect(thanks).toContainText('Thank you for your feedback!');
  await expect(thanks.getByTestId('rating-given')).toHaveText('Your rating: Very satisfied');
  await expect(thanks.locator('q')).toHaveText(comment);
  await expect(thanks.locator('b')).toHaveCount(0);
  await expect(card).toHaveCount(0);
  await visitor.screenshot({ path: shotPath('csat-widget-thanks-390.png') });

  // "E-mail me the transcript" is the transcript form; back in the chat, a new conversation.
  await visitor.getByTestId('email-transcript').click();
  await expect(visitor.getByTestId('transcript-email')).toHaveValue('giulia@example.com');
  await visitor.getByTestId('back').click();
  await expect(thanks).toBeVisible();
  await visitor.getByTestId('new-chat').click();
  await expect(visitor.getByTestId('prechat-name')).toHaveValue('Giulia Bianchi');
  await visitor.getByTestId('back').click();
  await visitor.getByTestId('chat-button').click();
  await expect(visitor.getByTestId('prechat-name')).toBeVisible();

  // Anna's console: the rating as a note, live — stars, words, the comment as text.
  const note = agent.getByTestId('rating-note');
  await expect(note).toContainText('Customer rating:');
  await expect(note.getByTestId('csat-score')).toContainText('3/3');
  await expect(note.getByTestId('csat-score')).toContainText('Very satisfied');
  await expect(note.getByRole('img', { name: '3 of 3' })).toHaveCount(1);
  await expect(note.getByTestId('rating-note-comment')).toHaveText(comment);
  await expect(note.locator('b')).toHaveCount(0);
  await note.scrollIntoViewIfNeeded();
  await agent.screenshot({ path: shotPath('csat-console-note-1366.png') });
  await actx.close();

  // The supervisor's reports: CSAT 100 % of 1 rating, Anna first, the comment; the CSV has it.
  const sctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const sup = await sctx.newPage();
  await consoleLogin(sup, url, 'admin', '/console/reports/csat');
  const report = sup.getByTestId('csat-report');
  await expect(report.getByTestId('csat-pct')).toHaveText('100%');
  await expect(report.getByTestId('csat-responses')).toHaveText('1');
  await expect(report.getByTestId('csat-few').first()).toHaveText('Few ratings');
  const row = report.getByTestId('csat-agent-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-rank', '1');
  await expect(row).toContainText('#1');
  await expect(row).toContainText('Anna Rossi');
  await expect(report.getByTestId('csat-channels')).toContainText('Chat');
  // The distribution is a table: the score's row has the count and the share.
  const top = report.getByTestId('csat-dist-3').getByRole('row', { name: /3 · Very satisfied/ });
  await expect(top.getByRole('cell')).toHaveText(['1', '100%']);
  await expect(report.getByTestId('csat-comment')).toHaveCount(1);
  await expect(report.getByTestId('csat-comment').locator('blockquote')).toHaveText(comment);
  await report.scrollIntoViewIfNeeded();
  await report.screenshot({ path: shotPath('csat-report-1366.png') });
  const [download] = await Promise.all([sup.waitForEvent('download'), report.getByTestId('csat-csv').click()]);
  expect(download.suggestedFilename()).toBe('csat.csv');
  const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('conversation_id,rated_at,channel,inbox_id,agent_id,agent_name,scale,score,positive,comment');
  expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^"${id}","\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z","chat","\\d+","\\d+","Anna Rossi","3","3","1",`));
  expect(csv).toContain('Anna was <b>great</b> & quick — grazie!');
  // On a phone (a tall one, so the whole section is in one picture).
  await sup.setViewportSize({ width: 390, height: 1900 });
  await report.evaluate((el) => el.scrollIntoView());
  // Nothing in the section is wider than it: no table scrolls sideways.
  const wide = await report.evaluate((el) => [...el.querySelectorAll('table, .table-scroll, .stat-row')].filter((x) => x.scrollWidth > x.clientWidth + 1 || x.getBoundingClientRect().right > el.getBoundingClientRect().right).map((x) => x.dataset.testid || x.className));
  expect(wide).toEqual([]);
  await sup.screenshot({ path: shotPath('csat-report-390.png') });
  await sctx.close();
});

test('the rating card in Hungarian and Russian on a phone', async ({ browser }) => {
  for (const [locale, name, question, labels] of [
    ['hu-HU', 'Kovács Éva', 'Mennyire volt elégedett a mai chates ügyintézéssel egy 1-től 3-ig terjedő skálán?', ['Elégedetlen', 'Megfelelő', 'Nagyon elégedett']],
    ['ru-RU', 'Анна Смирнова', 'Насколько Вы довольны общением в чате сегодня по шкале от 1 до 3?', ['Не понравилось', 'Нормально', 'Очень понравилось']],
  ]) {
    const { ctx, page } = await endedChat(browser, locale, name, 'Hello!');
    const card = page.getByTestId('rating-card');
    await expect(card.getByRole('radiogroup', { name: question })).toBeVisible();
    await expect(card.getByRole('radio')).toHaveText(labels);
    await page.screenshot({ path: shotPath(`csat-widget-card-${locale.slice(0, 2)}-390.png`) });
    await ctx.close();
  }
});

test('the admin switches to 1-5 stars without comments; the widget and the note follow', async ({ browser }) => {
  const url = env.server.url;
  const actx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const admin = await actx.newPage();
  await consoleLogin(admin, url, 'admin', '/console/settings/survey');
  const form = admin.getByTestId('survey-form');
  await expect(form.getByTestId('survey-enabled')).toBeChecked();
  await expect(form.getByTestId('survey-scale-3')).toBeChecked();
  await expect(form.getByTestId('survey-comment')).toBeChecked();
  await form.getByTestId('survey-scale-5').check();
  await form.getByTestId('survey-comment').uncheck({ force: true });
  await form.getByTestId('survey-save').click();
  await expect(form.getByTestId('survey-save')).toBeDisabled();
  expect((await env.admin.call('/api/v1/settings/survey')).json.chat).toEqual({ enabled: true, scale: '5', comment: false });
  await admin.screenshot({ path: shotPath('csat-settings-1366.png') });

  // Stars, no comment box; End picks 5, ArrowLeft 4.
  const { ctx, page, id } = await endedChat(browser, 'en-GB', 'Marta Nowak', 'Hi there');
  const card = page.getByTestId('rating-card');
  const stars = card.getByRole('radio');
  await expect(stars).toHaveCount(5);
  await expect(card.getByTestId('rating-comment')).toHaveCount(0);
  await stars.first().focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await expect(card.getByRole('radio', { name: 'Rating: 4 of 5' })).toHaveAttribute('aria-checked', 'true');
  await page.screenshot({ path: shotPath('csat-widget-stars-390.png') });
  // A refusal is worded for the customer and the card stays to try again.
  await page.route('**/rating', (r) => (r.request().method() === 'POST' ? r.fulfill({ status: 409, json: { error: { code: 'not_ended', message: 'x' } } }) : r.continue()), { times: 1 });
  await card.getByTestId('rating-send').click();
  await expect(card.getByTestId('rating-error')).toHaveText('The chat is still open — you can rate it once it has ended.');
  await card.getByTestId('rating-send').click();
  await expect(page.getByTestId('rating-given')).toHaveText('Your rating: 4/5');
  await ctx.close();

  // Ratings turned off: an ended chat still offers the next steps, without the card.
  expect((await env.admin.call('/api/v1/settings/survey', { method: 'PUT', body: { chat: { enabled: false } } })).status).toBe(200);
  const off = await endedChat(browser, 'en-GB', 'Piotr Zieliński', 'Hello again');
  await expect(off.page.getByTestId('chat-end').getByTestId('new-chat')).toBeVisible();
  await expect(off.page.getByTestId('email-transcript')).toBeVisible();
  await expect(off.page.getByTestId('composer')).toBeHidden();
  await expect(off.page.getByTestId('rating-card')).toHaveCount(0);
  await off.ctx.close();

  await admin.goto(`${url}/console/c/${id}`);
  const note = admin.getByTestId('rating-note');
  await expect(note.getByRole('img', { name: '4 of 5' })).toHaveCount(1);
  await expect(note).toContainText('4/5');
  await expect(note.getByTestId('rating-note-comment')).toHaveCount(0);
  await actx.close();
  expect((await env.admin.call('/api/v1/settings/survey', { method: 'PUT', body: { chat: { enabled: true, scale: '3', comment: true } } })).status).toBe(200);
});

test('solved tickets: the admin picks the survey e-mailed when a ticket is solved', async ({ browser }) => {
  const url = env.server.url;
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const admin = await ctx.newPage();
  await consoleLogin(admin, url, 'admin', '/console/settings/survey');
  // No survey yet: the section says so and links to the surveys page.
  let form = admin.getByTestId('ticket-survey-form');
  await expect(form.getByRole('heading', { name: 'Solved tickets' })).toBeVisible();
  await expect(form.getByTestId('ticket-survey-enabled')).not.toBeChecked();
  await expect(form.getByTestId('ticket-survey-empty')).toContainText('There is no active survey yet.');
  await expect(form.getByTestId('ticket-survey-create')).toHaveAttribute('href', '/console/settings/surveys');
  await form.screenshot({ path: shotPath('csat-ticket-survey-empty-1366.png') });

  const NAME = 'After your ticket';
  const created = await env.admin.call('/api/v1/surveys', { method: 'POST', body: { name: NAME, questions: [{ type: 'nps', label: 'How likely are you to recommend us?', required: true }] } });
  expect(created.status).toBe(201);
  const surveyId = created.json.id;
  await admin.reload();
  form = admin.getByTestId('ticket-survey-form');
  const select = form.getByLabel('Survey to send');
  await expect(select).toBeDisabled();
  await expect(form.getByTestId('ticket-survey-empty')).toHaveCount(0);
  await expect(form).toContainText('Sent once per ticket, when it is solved; the link works once and for 30 days. The inbox’s e-mail must be set up.');

  // Turned on without a survey: the server's refusal is said under the select, which takes the focus.
  await form.getByTestId('ticket-survey-enabled').check({ force: true });
  await expect(select).toBeEnabled();
  await form.getByTestId('ticket-survey-save').click();
  await expect(form.getByTestId('ticket-survey-id-error')).toHaveText('Choose the survey to send.');
  await expect(select).toHaveAttribute('aria-invalid', 'true');
  await expect(select).toBeFocused();
  await form.screenshot({ path: shotPath('csat-ticket-survey-error-1366.png') });
  expect((await env.admin.call('/api/v1/settings/survey')).json.tickets.enabled).toBe(false);

  await select.selectOption({ label: NAME });
  await expect(form.getByTestId('ticket-survey-id-error')).toHaveCount(0);
  await form.getByTestId('ticket-survey-save').click();
  await expect(form.getByTestId('ticket-survey-save')).toBeDisabled();
  const saved = (await env.admin.call('/api/v1/settings/survey')).json;
  expect(saved.tickets).toEqual({ enabled: true, survey_id: surveyId });
  expect(saved.chat).toEqual({ enabled: true, scale: '3', comment: true });
  await admin.reload();
  await expect(admin.getByTestId('ticket-survey-enabled')).toBeChecked();
  await expect(admin.getByLabel('Survey to send')).toHaveValue(String(surveyId));
  await admin.getByTestId('ticket-survey-form').scrollIntoViewIfNeeded();
  await admin.screenshot({ path: shotPath('csat-ticket-survey-1366.png') });
  await admin.setViewportSize({ width: 390, height: 1400 });
  await admin.getByTestId('ticket-survey-form').scrollIntoViewIfNeeded();
  await expect.poll(() => admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await admin.screenshot({ path: shotPath('csat-ticket-survey-390.png') });

  // Off again (the other tests send no ticket survey); the choice is kept.
  await admin.getByTestId('ticket-survey-enabled').uncheck({ force: true });
  await admin.getByTestId('ticket-survey-save').click();
  await expect(admin.getByTestId('ticket-survey-save')).toBeDisabled();
  expect((await env.admin.call('/api/v1/settings/survey')).json.tickets).toEqual({ enabled: false, survey_id: surveyId });
  await ctx.close();
});
