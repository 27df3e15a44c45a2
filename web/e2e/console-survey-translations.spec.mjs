// Surveys in the customer's language (console): the admin opens a saved survey's
// Translations, picks Italian (the first language that is not the console's), writes the
// name, the NPS question, a choice question and one of its two options (the other left
// empty: the original), adds Russian's name, and a question added meanwhile says it is
// translated once saved. Saved and reloaded, the fields come back as written; a refused
// translation (422 on translations.ru.name) opens its language and is said under its field.
// Screenshots at 1366 and 390 px, and with the console in Hungarian.
import { test, expect } from './helpers.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const env = serverForFile({ online: [] });

test('a survey translated into Italian and Russian is saved and reloaded', async ({ browser }) => {
  const url = env.server.url;
  const made = await env.admin.call('/api/v1/surveys', {
    method: 'POST',
    body: {
      name: 'After your chat',
      questions: [
        { type: 'nps', label: 'How likely are you to recommend us?', required: true },
        { type: 'choice', label: 'What was it about?', required: false, options: ['Delivery', 'Refund'], multiple: false },
      ],
    },
  });
  expect(made.status, made.text).toBe(201);
  const id = made.json.id;

  const ctx = await browser.newContext({ viewport: { width: 1366, height: 1000 } });
  const page = await ctx.newPage();
  await consoleLogin(page, url, 'admin', '/console/settings/surveys');
  const row = page.locator(`[data-testid="sv-row"][data-id="${id}"]`);
  await row.getByTestId('sv-edit').click();
  const form = page.getByTestId('sv-form');

  // A question added (not saved yet): it cannot be translated until it has an id.
  await form.getByTestId('sv-add-text').click();
  await page.keyboard.type('Anything else?');

  await form.getByTestId('sv-mode-translations').click();
  const tr = form.getByTestId('sv-translations');
  await expect(form.getByTestId('sv-tr-lang-it')).toHaveAttribute('aria-pressed', 'true');
  await expect(tr).toHaveAttribute('data-lang', 'it');
  await expect(tr.getByTestId('sv-tr-name')).toHaveAttribute('placeholder', 'After your chat');
  await expect(tr.getByTestId('sv-tr-unsaved')).toHaveText('New questions: 1. They can be translated once the survey is saved.');
  const qs = tr.getByTestId('sv-tr-question');
  await expect(qs).toHaveCount(3);
  await expect(qs.nth(2)).toHaveAttribute('data-new', 'true');
  await expect(qs.nth(2).getByTestId('sv-tr-label')).toHaveCount(0);
  await expect(qs.nth(0)).toContainText('Original: How likely are you to recommend us?');

  await tr.getByTestId('sv-tr-name').fill('Dopo la chat');
  await qs.nth(0).getByTestId('sv-tr-label').fill('Quanto ci consiglierebbe?');
  await qs.nth(1).getByTestId('sv-tr-label').fill('Di che cosa si trattava?');
  const options = qs.nth(1).getByTestId('sv-tr-option');
  await expect(options).toHaveCount(2);
  await expect(options.nth(1)).toHaveAttribute('placeholder', 'Refund');
  await expect(page.getByRole('textbox', { name: 'Option 1 (Italiano; original: Delivery)' })).toBeVisible();
  await options.nth(0).fill('Consegna');
  await expect(form.getByTestId('sv-tr-lang-it')).toContainText('4');
  await page.screenshot({ path: shotPath('survey-translations-1366.png') });

  // The preview as an Italian customer reads it: the translations, the original where empty, the page's words in Italian.
  await form.getByTestId('sv-mode-preview').click();
  const preview = form.getByTestId('sv-preview');
  await expect(preview.locator('.sv-pv-title')).toHaveText('After your chat');
  await form.getByTestId('sv-pv-lang').selectOption('it');
  await expect(preview.locator('.sv-pv-title')).toHaveText('Dopo la chat');
  await expect(preview.getByTestId('sv-preview-question').nth(0)).toContainText('Quanto ci consiglierebbe?');
  await expect(preview.getByTestId('sv-preview-question').nth(1).locator('.sv-pv-option')).toHaveText(['Consegna', 'Refund']);
  await expect(preview.getByTestId('sv-preview-question').nth(2)).toContainText('Anything else?');
  await page.screenshot({ path: shotPath('survey-translations-preview-it-1366.png') });
  await form.getByTestId('sv-mode-translations').click();

  // Russian: the name only.
  await form.getByTestId('sv-tr-lang-ru').click();
  await expect(tr).toHaveAttribute('data-lang', 'ru');
  await expect(tr.getByTestId('sv-tr-name')).toHaveValue('');
  await tr.getByTestId('sv-tr-name').fill('После чата');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await form.getByTestId('sv-mode-translations').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('survey-translations-390.png') });
  await qs.nth(1).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('survey-translations-choice-390.png') });
  await page.setViewportSize({ width: 1366, height: 1000 });

  await form.getByTestId('sv-save').click();
  await expect(form).toHaveCount(0);
  const saved = (await env.admin.call('/api/v1/surveys')).json.surveys.find((s) => s.id === id);
  expect(saved.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
  expect(saved.translations.it).toEqual({
    name: 'Dopo la chat',
    questions: { q1: { label: 'Quanto ci consiglierebbe?' }, q2: { label: 'Di che cosa si trattava?', options: ['Consegna', 'Refund'] } },
  });
  expect(saved.translations.ru.name).toBe('После чата');
  expect(Object.keys(saved.translations.ru.questions ?? {})).toEqual([]);
  expect(saved.translations.hu).toBeUndefined();

  // Reloaded: as written (the option left empty is empty again), and the new question is translatable now.
  await page.reload();
  await row.getByTestId('sv-edit').click();
  await form.getByTestId('sv-mode-translations').click();
  await expect(tr.getByTestId('sv-tr-unsaved')).toHaveCount(0);
  await expect(tr.getByTestId('sv-tr-name')).toHaveValue('Dopo la chat');
  await expect(qs.nth(0).getByTestId('sv-tr-label')).toHaveValue('Quanto ci consiglierebbe?');
  await expect(qs.nth(1).getByTestId('sv-tr-label')).toHaveValue('Di che cosa si trattava?');
  await expect(options.nth(0)).toHaveValue('Consegna');
  await expect(options.nth(1)).toHaveValue('');
  await expect(qs.nth(2).getByTestId('sv-tr-label')).toHaveValue('');
  await qs.nth(2).getByTestId('sv-tr-label').fill('Altro?');

  // A refusal on another language: that language opens, the field says why and takes the focus.
  await form.getByTestId('sv-tr-lang-hu').click();
  await page.route(`**/api/v1/surveys/${id}`, (route) =>
    route.request().method() === 'PATCH'
      ? route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid', message: 'invalid', fields: { 'translations.ru.name': 'must be text of 1 to 120 characters' } } }) })
      : route.continue(),
  );
  await form.getByTestId('sv-save').click();
  await expect(tr).toHaveAttribute('data-lang', 'ru');
  await expect(tr.getByTestId('sv-tr-name-error')).toHaveText('Must be text of 1 to 120 characters');
  await expect(tr.getByTestId('sv-tr-name')).toBeFocused();
  await expect(form.getByTestId('sv-tr-lang-ru')).toHaveClass(/is-invalid/);
  await page.unroute(`**/api/v1/surveys/${id}`);
  await tr.getByTestId('sv-tr-name').fill('После чата');
  await expect(tr.getByTestId('sv-tr-name-error')).toHaveCount(0);
  await form.getByTestId('sv-save').click();
  await expect(form).toHaveCount(0);
  const again = (await env.admin.call('/api/v1/surveys')).json.surveys.find((s) => s.id === id);
  expect(again.translations.it.questions.q3).toEqual({ label: 'Altro?' });

  // The console in Hungarian.
  const hu = await ctx.newPage();
  await hu.addInitScript(() => localStorage.setItem('sb.console.lang', 'hu'));
  await hu.goto(url + '/console/settings/surveys');
  await hu.locator(`[data-testid="sv-row"][data-id="${id}"]`).getByTestId('sv-edit').click();
  await hu.getByTestId('sv-mode-translations').click();
  // The first language that is not the console's: English.
  await expect(hu.getByTestId('sv-translations')).toHaveAttribute('data-lang', 'en');
  await expect(hu.getByTestId('sv-mode-translations')).toHaveText('Fordítások');
  await hu.screenshot({ path: shotPath('survey-translations-hu-1366.png') });
  await ctx.close();
});
