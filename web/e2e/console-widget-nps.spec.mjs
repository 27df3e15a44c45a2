// The widget's NPS question after a chat (console): Settings → Satisfaction survey → NPS in
// the chat widget. Without a survey with an NPS question it says so and links to NPS &
// surveys; with surveys, only active ones with an NPS question are offered. Turned on
// without a survey it is refused (the server's 422, said in the console's language under the
// select, which takes the focus); days outside 1–365 are refused under their field; chosen
// with 30 days it is saved and comes back after a reload; a survey that lost its NPS question
// is named as such and refused; off again. Screenshots at 1366 and 390 px and in Russian.
import { test, expect } from './helpers.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const env = serverForFile({ online: [] });

async function survey(name, questions) {
  const r = await env.admin.call('/api/v1/surveys', { method: 'POST', body: { name, questions } });
  expect(r.status, r.text).toBe(201);
  return r.json;
}
const widgetNps = async () => (await env.admin.call('/api/v1/settings/survey')).json.widget_nps;

test('the widget NPS setting: chosen, refused, saved and reloaded', async ({ browser }) => {
  const url = env.server.url;
  expect(await widgetNps()).toEqual({ enabled: false, survey_id: null, every_days: 90 });
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 1000 } });
  const page = await ctx.newPage();
  await consoleLogin(page, url, 'admin', '/console/settings/survey');
  const form = page.getByTestId('widget-nps-form');
  await expect(form.getByRole('heading', { name: 'NPS in the chat widget' })).toBeVisible();
  await expect(form.getByTestId('widget-nps-empty')).toContainText('There is no active survey with an NPS question yet.');
  await expect(form.getByTestId('widget-nps-create')).toHaveText('Create one in NPS & surveys');
  await expect(form.getByTestId('widget-nps-days')).toHaveValue('90');
  await expect(form.getByTestId('widget-nps-days')).toBeDisabled();

  const nps = await survey('After your chat', [{ type: 'nps', label: 'How likely are you to recommend us?', required: true }]);
  await survey('Topics only', [{ type: 'choice', label: 'What was it about?', required: true, options: ['Delivery', 'Refund'], multiple: false }]);
  await page.reload();
  const select = form.getByTestId('widget-nps-survey');
  await expect(select.locator('option')).toHaveText(['Choose a survey…', 'After your chat']);

  // On, without a survey: the server refuses; said under the select, which takes the focus.
  await form.getByText('Ask NPS in the chat widget after a chat').click();
  await expect(form.getByTestId('widget-nps-enabled')).toBeChecked();
  await form.getByTestId('widget-nps-save').click();
  await expect(form.getByTestId('widget-nps-survey-error')).toHaveText('Choose the survey to ask.');
  await expect(select).toHaveAttribute('aria-invalid', 'true');
  await expect(select).toBeFocused();
  await select.selectOption(String(nps.id));
  await expect(form.getByTestId('widget-nps-survey-error')).toHaveCount(0);

  // Days outside 1–365: refused under the field.
  const days = form.getByTestId('widget-nps-days');
  await days.fill('400');
  await form.getByTestId('widget-nps-save').click();
  await expect(form.getByTestId('widget-nps-days-error')).toHaveText('Enter a number of days from 1 to 365.');
  await expect(days).toBeFocused();
  await days.fill('30');
  await expect(form.getByTestId('widget-nps-days-error')).toHaveCount(0);
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('widget-nps-setting-1366.png') });
  await form.getByTestId('widget-nps-save').click();
  await expect(page.locator('.toast').filter({ hasText: 'Survey settings saved' })).toHaveCount(1);
  await expect(form.getByTestId('widget-nps-save')).toBeDisabled();
  expect(await widgetNps()).toEqual({ enabled: true, survey_id: nps.id, every_days: 30 });

  // Reloaded: as saved.
  await page.reload();
  await expect(form.getByTestId('widget-nps-enabled')).toBeChecked();
  await expect(select).toHaveValue(String(nps.id));
  await expect(days).toHaveValue('30');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('widget-nps-setting-390.png') });
  await page.setViewportSize({ width: 1366, height: 1000 });

  // The survey loses its NPS question: named as such; saving again is refused by the server.
  const edited = await env.admin.call(`/api/v1/surveys/${nps.id}`, { method: 'PATCH', body: { questions: [{ type: 'text', label: 'Anything to add?', required: false }] } });
  expect(edited.status, edited.text).toBe(200);
  await page.reload();
  await expect(select.locator('option:checked')).toHaveText('After your chat (no NPS question)');
  await expect(form).toContainText('This survey cannot be asked now');
  await days.fill('31');
  await form.getByTestId('widget-nps-save').click();
  await expect(form.getByTestId('widget-nps-survey-error')).toHaveText('This survey has no NPS question. Choose one that has.');
  expect((await widgetNps()).every_days).toBe(30);

  // Off again (the choice may stay as it is: nothing is asked).
  await select.selectOption('');
  await form.getByText('Ask NPS in the chat widget after a chat').click();
  await expect(form.getByTestId('widget-nps-enabled')).not.toBeChecked();
  await form.getByTestId('widget-nps-save').click();
  await expect(form.getByTestId('widget-nps-error')).toHaveCount(0);
  await expect.poll(widgetNps).toEqual({ enabled: false, survey_id: null, every_days: 31 });

  // In Russian.
  const ru = await ctx.newPage();
  await ru.addInitScript(() => localStorage.setItem('sb.console.lang', 'ru'));
  await ru.goto(url + '/console/settings/survey');
  const ruForm = ru.getByTestId('widget-nps-form');
  await expect(ruForm.getByRole('heading', { name: 'NPS в виджете чата' })).toBeVisible();
  await expect(ruForm.getByText('Спрашивать одного клиента не чаще раза в')).toBeVisible();
  await ruForm.scrollIntoViewIfNeeded();
  await ru.screenshot({ path: shotPath('widget-nps-setting-ru-1366.png') });
  await ctx.close();
});
