// NPS and custom surveys (Q2): the admin builds a survey in the console's editor
// (the NPS question it starts with, a free-text question added, moved and moved
// back, the preview, a refused empty name), gets a link and copies it; a customer
// who is not signed in opens /s/<token> on a phone, is asked for the required NPS
// answer, answers 9 and a text with <b>html</b>, and is thanked; the link then says
// it was answered. Reports → NPS: +100, one promoter, the text shown as text (no
// bold), the CSV is text/csv with the answer. Archived, the survey's link is closed.
// The editor, the customer's page (English and Italian) and the NPS tab at 1366 and
// 390 px are screenshots.
import { test, expect } from './helpers.mjs';
import { readFile } from 'node:fs/promises';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const env = serverForFile();
const PHONE = { width: 390, height: 844 };
const NAME = 'After your order';
const TEXT_LABEL = 'What could we do better?';
const ANSWER = 'Faster replies, please: <b>html</b> & more';

test('an admin builds an NPS survey, a customer answers it, the NPS tab counts it', async ({ browser }) => {
  const url = env.server.url;
  const actx = await browser.newContext({ viewport: { width: 1366, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const admin = await actx.newPage();
  await consoleLogin(admin, url, 'admin', '/console/settings/surveys');
  await expect(admin.getByTestId('surveys-page')).toBeVisible();
  await expect(admin.getByTestId('sv-empty')).toBeVisible();

  // The editor starts with the NPS question, required, in the usual words.
  await admin.getByTestId('sv-new').click();
  const form = admin.getByTestId('sv-form');
  const questions = form.getByTestId('sv-question');
  await expect(questions).toHaveCount(1);
  await expect(questions.first()).toHaveAttribute('data-type', 'nps');
  await expect(questions.first().getByTestId('sv-q-label')).toHaveValue('How likely are you to recommend us to a friend or colleague?');
  await expect(questions.first().getByTestId('sv-q-required')).toBeChecked();
  // One NPS question per survey: its button is off.
  await expect(form.getByTestId('sv-add-nps')).toBeDisabled();

  // A free-text question, added, then moved up and back down (the focus follows it).
  await form.getByTestId('sv-add-text').click();
  await expect(questions).toHaveCount(2);
  await expect(questions.nth(1).getByTestId('sv-q-label')).toBeFocused();
  await admin.keyboard.type(TEXT_LABEL);
  await questions.nth(1).getByTestId('sv-q-up').click();
  await expect(questions.nth(0)).toHaveAttribute('data-type', 'text');
  await expect(questions.nth(0).getByTestId('sv-q-down')).toBeFocused();
  await admin.keyboard.press('Enter');
  await expect(questions.nth(0)).toHaveAttribute('data-type', 'nps');
  await expect(questions.nth(1).getByTestId('sv-q-label')).toHaveValue(TEXT_LABEL);

  // Without a name it is refused, under the field, which takes the focus.
  await form.getByTestId('sv-save').click();
  await expect(form.getByTestId('sv-error-name')).toHaveText('Give the survey a name.');
  await expect(form.getByTestId('sv-name')).toBeFocused();
  await admin.keyboard.type(NAME);
  await expect(form.getByTestId('sv-error-name')).toHaveCount(0);

  // The preview: the customer's page, with its words.
  await form.getByTestId('sv-mode-preview').click();
  const preview = form.getByTestId('sv-preview');
  await expect(preview).toContainText(NAME);
  await expect(preview).toContainText('Not at all likely');
  await expect(preview).toContainText('Extremely likely');
  await expect(preview.getByTestId('sv-preview-question')).toHaveCount(2);
  await admin.screenshot({ path: shotPath('surveys-preview-1366.png') });
  await form.getByTestId('sv-mode-edit').click();
  await admin.screenshot({ path: shotPath('surveys-editor-1366.png') });
  await admin.setViewportSize(PHONE);
  await admin.screenshot({ path: shotPath('surveys-editor-390.png') });
  await expect.poll(() => admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await admin.setViewportSize({ width: 1366, height: 1000 });

  await form.getByTestId('sv-save').click();
  await expect(form).toHaveCount(0);
  const row = admin.getByTestId('sv-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(NAME);
  await expect(row.getByTestId('sv-status')).toHaveText('Active');
  await expect(row.getByTestId('sv-responses')).toHaveText('Responses: 0');
  const surveyId = Number(await row.getAttribute('data-id'));
  const saved = (await env.admin.call('/api/v1/surveys')).json.surveys.find((s) => s.id === surveyId);
  expect(saved.questions.map((q) => [q.id, q.type, q.label, q.required])).toEqual([
    ['q1', 'nps', 'How likely are you to recommend us to a friend or colleague?', true],
    ['q2', 'text', TEXT_LABEL, false],
  ]);

  // Get link: the whole address and Copy.
  await row.getByTestId('sv-get-link').click();
  const dialog = admin.getByTestId('sv-link-dialog');
  await expect(dialog.getByTestId('sv-link-days')).toHaveValue('30');
  // A contact that does not exist is refused under its field.
  await dialog.getByTestId('sv-link-contact').fill('999999');
  await dialog.getByTestId('sv-link-create').click();
  await expect(dialog.getByTestId('sv-link-contact-error')).toHaveText('There is no contact with this number.');
  await dialog.getByTestId('sv-link-contact').fill('');
  await dialog.getByTestId('sv-link-create').click();
  const linkField = dialog.getByTestId('sv-link-url');
  await expect(linkField).toHaveValue(new RegExp(`^${url.replace(/[.:/]/g, '\\$&')}/s/[0-9a-f]{48}$`));
  const link = await linkField.inputValue();
  await dialog.getByTestId('sv-link-copy').click();
  await expect(dialog.getByTestId('sv-link-copy')).toHaveText('Copied!');
  expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await admin.screenshot({ path: shotPath('surveys-link-1366.png') });
  await admin.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // The customer, not signed in, on a phone.
  const cctx = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
  const customer = await cctx.newPage();
  await customer.goto(link);
  await expect(customer.getByRole('heading', { level: 1 })).toHaveText(NAME);
  await expect(customer).toHaveTitle(NAME);
  const nps = customer.getByRole('group', { name: /How likely are you to recommend us/ });
  await expect(nps.getByRole('radio')).toHaveCount(11);
  await expect(nps).toContainText('Not at all likely');
  await expect(nps).toContainText('Extremely likely');
  const text = customer.getByRole('textbox', { name: TEXT_LABEL });
  await expect(text).toBeVisible();
  await customer.screenshot({ path: shotPath('survey-public-en-390.png'), fullPage: true });
  expect(await customer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  // The NPS answer is required: said under it, and the focus goes there.
  await customer.getByTestId('sv-submit').click();
  await expect(nps.getByTestId('sv-error')).toHaveText('Please answer this question.');
  await expect(nps.getByRole('radio').first()).toBeFocused();
  await expect(customer.getByTestId('sv-alert')).toBeVisible();
  // Arrow keys move along the scale (radio buttons); a click picks 9.
  await customer.keyboard.press('ArrowRight');
  await expect(nps.getByRole('radio', { name: '1', exact: true })).toBeChecked();
  await expect(nps.getByTestId('sv-error')).toBeHidden();
  await nps.getByRole('radio', { name: '9', exact: true }).check();
  await expect(nps.getByRole('radio', { checked: true })).toHaveCount(1);
  await text.fill(ANSWER);
  await expect(customer.getByText(`${(2000 - ANSWER.length).toLocaleString('en')} characters left`)).toBeVisible();
  await customer.getByTestId('sv-submit').click();
  const thanks = customer.locator('[data-state="thanks"]');
  await expect(thanks).toContainText('Thank you!');
  await expect(thanks.getByRole('heading', { level: 1 })).toBeFocused();
  await customer.screenshot({ path: shotPath('survey-thanks-en-390.png') });
  // Opened again: already answered.
  await customer.reload();
  await expect(customer.locator('[data-state="answered"]')).toContainText('Already answered');

  // Another link, in Italian (the browser's language): the page in Italian.
  const second = await env.admin.call(`/api/v1/surveys/${surveyId}/links`, { method: 'POST', body: { expires_in_days: 7 } });
  expect(second.status).toBe(201);
  const ictx = await browser.newContext({ viewport: PHONE, locale: 'it-IT' });
  const italian = await ictx.newPage();
  await italian.goto(url + second.json.url);
  await expect(italian.getByTestId('sv-submit')).toHaveText('Invia le risposte');
  await expect(italian.locator('html')).toHaveAttribute('lang', 'it');
  await expect(italian.getByText('Per niente probabile')).toBeVisible();
  await italian.screenshot({ path: shotPath('survey-public-it-390.png'), fullPage: true });
  await italian.getByTestId('sv-submit').click();
  await expect(italian.getByTestId('sv-error').first()).toHaveText('Rispondi a questa domanda.');
  await ictx.close();

  // Reports → NPS: +100, one promoter, the text as text.
  await admin.goto(url + '/console/reports');
  await admin.getByTestId('report-tab-nps').click();
  await expect(admin).toHaveURL(/\/console\/reports\/nps/);
  const report = admin.getByTestId('nps-report');
  await expect(report.getByTestId('nps-survey')).toHaveValue(String(surveyId));
  await expect(report.getByTestId('nps-score')).toHaveText('+100');
  await expect(report.getByTestId('nps-promoters-n')).toHaveText('1');
  await expect(report.getByTestId('nps-passives-n')).toHaveText('0');
  await expect(report.getByTestId('nps-detractors-n')).toHaveText('0');
  await expect(report.getByTestId('nps-n')).toHaveText('NPS answers: 1');
  await expect(report.getByTestId('nps-few')).toHaveText('Few answers');
  const npsQ = report.locator('[data-testid="nps-question"][data-type="nps"]');
  await expect(npsQ.locator('tr[data-key="9"] td').first()).toHaveText('1');
  const texts = report.getByTestId('nps-texts');
  await expect(texts.getByTestId('nps-text')).toHaveCount(1);
  await expect(texts.locator('blockquote')).toHaveText(ANSWER);
  await expect(texts.locator('b')).toHaveCount(0);
  await expect(report.getByTestId('nps-daily-canvas')).toBeVisible();
  await admin.screenshot({ path: shotPath('nps-tab-1366.png') });
  await texts.scrollIntoViewIfNeeded();
  await admin.screenshot({ path: shotPath('nps-tab-questions-1366.png') });

  // The CSV: text/csv, a header row with the questions, the answer.
  const csv = report.getByTestId('nps-csv');
  const href = await csv.getAttribute('href');
  expect(href).toContain(`survey_id=${surveyId}`);
  expect(href).toContain('format=csv');
  const direct = await admin.request.get(url + href);
  expect(direct.status()).toBe(200);
  expect(direct.headers()['content-type']).toMatch(/^text\/csv/);
  const [download] = await Promise.all([admin.waitForEvent('download'), csv.click()]);
  const body = await readFile(await download.path(), 'utf8');
  const lines = body.split(/\r?\n/).filter(Boolean);
  expect(lines.length).toBe(2);
  expect(lines[0]).toContain(TEXT_LABEL);
  expect(lines[1]).toMatch(/,"?9"?,/);
  expect(body).toContain('<b>html</b>');

  // The same tab on a phone: nothing wider than the screen.
  await admin.setViewportSize(PHONE);
  await expect(report.getByTestId('nps-score')).toBeVisible();
  await admin.screenshot({ path: shotPath('nps-tab-390.png') });
  expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await admin.setViewportSize({ width: 1366, height: 1000 });

  // Answered, it can no longer be deleted, only archived; archived, its links are closed.
  await admin.goto(url + '/console/settings/surveys');
  await expect(row.getByTestId('sv-responses')).toHaveText('Responses: 1');
  await expect(row.getByTestId('sv-delete')).toHaveCount(0);
  await row.getByTestId('sv-archive').click();
  await expect(row.getByTestId('sv-status')).toHaveText('Archived');
  await expect(row.getByTestId('sv-get-link')).toHaveCount(0);
  const closed = await browser.newContext({ viewport: PHONE });
  const late = await closed.newPage();
  await late.goto(url + second.json.url);
  await expect(late.locator('[data-state="expired"]')).toContainText('This survey is closed');
  await closed.close();

  await cctx.close();
  await actx.close();
});
