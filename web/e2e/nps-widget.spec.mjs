// NPS in the widget after a chat: the admin asks the survey "After your chat"
// (NPS + a free-text question, the NPS label translated into Italian) of ended
// chats. The customer sees it under the 1-3 rating: 0-10 as a radio group with
// its ends named (arrows, Home/End), the text question "(optional)"; the chat
// reopened and closed again still asks it (the server hands it out once, the
// widget keeps it for the tab); answered, it thanks and the NPS
// report counts the promoter and the reason. In Russian the widget's words are
// Russian, the label as written; in Italian the translated label shows. A
// survey with another required question (a choice) is finished on its page,
// opened from the widget in a new tab in the widget's language with the score
// chosen (#nps=N): the choices read in Italian (option_labels), the answer is
// stored as the option was written. The page also follows ?lang= alone. The
// end screen in English and Russian at 390 and 1366 px are screenshots.
import { test, expect } from './helpers.mjs';
import { serverForFile, startWidgetChat, shotPath } from './helpers.mjs';

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 900 };
const NPS_LABEL = 'How likely are you to recommend us to a friend or colleague?';
const NPS_IT = 'Quanto è probabile che ci consigli a un amico o a un collega?';
const WHY = 'What is the main reason for your score?';
const ids = {};

const env = serverForFile({}, async (env) => {
  const make = async (body) => {
    const r = await env.admin.call('/api/v1/surveys', { method: 'POST', body });
    if (r.status !== 201) throw new Error('survey: ' + r.text);
    return r.json.id;
  };
  ids.short = await make({
    name: 'After your chat',
    questions: [
      { type: 'nps', label: NPS_LABEL, required: true },
      { type: 'text', label: WHY },
    ],
    translations: { it: { questions: { q1: { label: NPS_IT }, q2: { label: 'Qual è il motivo principale del Suo punteggio?' } } } },
  });
  ids.long = await make({
    name: 'Your chat in detail',
    questions: [
      { type: 'nps', label: NPS_LABEL, required: true },
      { type: 'text', label: WHY },
      { type: 'choice', label: 'What was your chat about?', options: ['Delivery', 'Refund', 'Something else'], required: true },
    ],
    translations: { it: { name: 'La Sua chat nel dettaglio', questions: { q1: { label: NPS_IT }, q3: { label: 'Di che cosa parlava la chat?', options: ['Consegna', 'Rimborso', 'Altro'] } } } },
  });
  await ask(env, ids.short);
});

async function ask(env, survey_id) {
  const r = await env.admin.call('/api/v1/settings/survey', { method: 'PUT', body: { widget_nps: { enabled: true, survey_id, every_days: 90 } } });
  if (r.status !== 200) throw new Error('settings: ' + r.text);
}

let customers = 0;

const HELLO = { en: 'Hello, where is my parcel?', ru: 'Здравствуйте, где моя посылка?', it: 'Buongiorno, dov\'è il mio pacco? Non è ancora arrivato.' };

/** A customer in `locale` chats (in its language: the server reads it); an admin hands the chat to Anna and closes it. */
async function endedChat(browser, locale, name, viewport = PHONE) {
  const ctx = await browser.newContext({ locale, viewport, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  await startWidgetChat(page, env.server.url, { name, email: `nps${++customers}@example.com`, message: HELLO[locale.slice(0, 2)] });
  const list = (await env.admin.call('/api/v1/conversations?view=all')).json.conversations;
  const id = list.find((x) => x.contact?.name === name).id;
  const anna = env.agent('anna');
  expect((await env.admin.call(`/api/v1/conversations/${id}/assign`, { method: 'POST', body: { agent_id: anna.id } })).status).toBe(200);
  expect((await env.admin.call(`/api/v1/conversations/${id}/close`, { method: 'POST' })).status).toBe(200);
  return { ctx, page, id };
}

/** Nothing in the card is wider than it (the 11 buttons stay in one row, inside). */
async function fits(card) {
  return card.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const bs = [...el.querySelectorAll('[role=radio]')].map((b) => b.getBoundingClientRect());
    return { inside: bs.every((b) => b.left >= box.left && b.right <= box.right), rows: new Set(bs.map((b) => Math.round(b.top))).size, width: Math.min(...bs.map((b) => b.width)), height: Math.min(...bs.map((b) => b.height)) };
  });
}

test('an ended chat asks NPS under the rating; kept when ended again; answered, thanked and counted', async ({ browser }) => {
  const { ctx, page, id } = await endedChat(browser, 'en-GB', 'Giulia Bianchi', DESK);
  await expect(page.getByTestId('rating-card')).toBeVisible();
  const card = page.getByTestId('nps-card');
  await expect(card).toBeVisible();
  const group = card.getByRole('radiogroup', { name: NPS_LABEL });
  const radios = group.getByRole('radio');
  await expect(radios).toHaveText(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  await expect(group).toHaveAttribute('aria-describedby', /.+/);
  await expect(card).toContainText('Not at all likely');
  await expect(card).toContainText('Extremely likely');
  const why = card.getByRole('textbox', { name: `${WHY} (optional)` });
  await expect(why).toBeVisible();
  // Below the rating, above the next steps.
  const order = await page.getByTestId('chat-end').evaluate((el) => [...el.children].filter((c) => c.dataset.testid).map((c) => c.dataset.testid));
  expect(order).toEqual(['rating-card', 'nps-card']);
  const geo = await fits(card);
  expect(geo).toMatchObject({ inside: true, rows: 1 });
  expect(geo.width).toBeGreaterThanOrEqual(24);
  expect(geo.height).toBeGreaterThanOrEqual(40);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('nps-widget-en-1366.png') });
  await page.getByTestId('panel').screenshot({ path: shotPath('nps-widget-en-1366-panel.png') });
  await page.setViewportSize(PHONE);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('nps-widget-en-390.png') });
  expect(await fits(card)).toMatchObject({ inside: true, rows: 1 });

  // Send with no score: asked for one, the focus on the group; End, ArrowLeft choose 10, 9.
  await card.getByTestId('nps-send').click();
  await expect(card.getByTestId('nps-error')).toHaveText('Please choose a score from 0 to 10.');
  await expect(radios.first()).toBeFocused();
  await page.keyboard.press('End');
  await expect(group.getByRole('radio', { name: '10' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(group.getByRole('radio', { name: '9' })).toHaveAttribute('aria-checked', 'true');
  await expect(group.getByRole('radio', { checked: true })).toHaveCount(1);
  await expect(group.getByRole('radio', { name: '9' })).toBeFocused();
  await expect(card.getByTestId('nps-error')).toHaveText('');
  await page.screenshot({ path: shotPath('nps-widget-en-focus-390.png') });

  // The server hands the survey out once; the widget keeps it (for the tab, by chat), so
  // the chat reopened and closed again still asks it.
  const key = `sb:nps:${env.server.url}:${id}`;
  expect(await page.evaluate((k) => JSON.parse(sessionStorage.getItem(k)).token, key)).toMatch(/^[0-9a-f]{48}$/);
  const again = await page.evaluate(async (id) => {
    const token = JSON.parse(localStorage.getItem('sb:demo:token'));
    const r = await fetch(`/api/v1/widget/conversations/${id}/survey`, { headers: { Authorization: 'Bearer ' + token } });
    return r.json();
  }, id);
  expect(again).toEqual({ survey: null });
  expect((await env.admin.call(`/api/v1/conversations/${id}/reopen`, { method: 'POST' })).status).toBe(200);
  await expect(page.getByTestId('nps-card')).toHaveCount(0);
  await expect(page.getByTestId('composer')).toBeVisible();
  expect((await env.admin.call(`/api/v1/conversations/${id}/close`, { method: 'POST' })).status).toBe(200);
  await expect(page.getByTestId('nps-card').getByRole('radiogroup', { name: NPS_LABEL })).toBeVisible();
  await page.getByTestId('nps-card').getByRole('radio', { name: '9' }).click();
  await page.getByTestId('nps-card').getByRole('textbox', { name: `${WHY} (optional)` }).fill('Quick and <b>kind</b>');
  await page.getByTestId('nps-send').click();
  const thanks = page.getByTestId('nps-thanks');
  await expect(thanks).toHaveText('Thank you — your answer helps us improve.');
  await expect(thanks).toBeFocused();
  await expect(page.getByTestId('nps-card')).toHaveCount(0);
  await expect(page.getByTestId('rating-card')).toBeVisible();
  expect(await page.evaluate((k) => sessionStorage.getItem(k), key)).toBeNull();
  await thanks.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('nps-widget-thanks-en-390.png') });

  // The report: one promoter, the reason as text, from this chat.
  const report = (await env.admin.call(`/api/v1/reports/nps?survey_id=${ids.short}`)).json;
  expect(report.nps).toMatchObject({ n: 1, promoters: 1, passives: 0, detractors: 0, score: 100 });
  expect(report.questions[0].distribution['9']).toBe(1);
  expect(report.questions[1].answers.map((a) => a.text)).toEqual(['Quick and <b>kind</b>']);
  const csv = await env.admin.call(`/api/v1/reports/nps?survey_id=${ids.short}&format=csv`);
  expect(csv.text).toContain(`"${id}"`);

  // Answered: ended again, the chat asks its rating, not the question.
  expect((await env.admin.call(`/api/v1/conversations/${id}/reopen`, { method: 'POST' })).status).toBe(200);
  await expect(page.getByTestId('composer')).toBeVisible();
  expect((await env.admin.call(`/api/v1/conversations/${id}/close`, { method: 'POST' })).status).toBe(200);
  await expect(page.getByTestId('rating-card')).toBeVisible();
  await expect(page.getByTestId('new-chat')).toBeVisible();
  await expect(page.getByTestId('nps-card')).toHaveCount(0);
  await ctx.close();
});

test('in Russian the widget speaks Russian around the label as written; in Italian the label is translated', async ({ browser }) => {
  const ru = await endedChat(browser, 'ru-RU', 'Анна Смирнова', DESK);
  const card = ru.page.getByTestId('nps-card');
  await expect(card.getByRole('radiogroup', { name: NPS_LABEL })).toBeVisible();
  await expect(card).toContainText('Совсем маловероятно');
  await expect(card).toContainText('Очень вероятно');
  await expect(card.getByRole('textbox', { name: `${WHY} (необязательно)` })).toBeVisible();
  await expect(card.getByTestId('nps-send')).toHaveText('Отправить ответ');
  await card.scrollIntoViewIfNeeded();
  await ru.page.screenshot({ path: shotPath('nps-widget-ru-1366.png') });
  await ru.page.getByTestId('panel').screenshot({ path: shotPath('nps-widget-ru-1366-panel.png') });
  await ru.page.setViewportSize(PHONE);
  await card.scrollIntoViewIfNeeded();
  expect(await fits(card)).toMatchObject({ inside: true, rows: 1 });
  // The focus ring, from the keyboard, on 7.
  await card.getByRole('radio', { name: '0', exact: true }).focus();
  for (let i = 0; i < 7; i++) await ru.page.keyboard.press('ArrowRight');
  await expect(card.getByRole('radio', { name: '7' })).toBeFocused();
  await ru.page.screenshot({ path: shotPath('nps-widget-ru-390.png') });
  await card.getByTestId('nps-send').click();
  await expect(ru.page.getByTestId('nps-thanks')).toHaveText('Спасибо! Ваш ответ помогает нам стать лучше.');
  await ru.ctx.close();

  const it = await endedChat(browser, 'it-IT', 'Marco Rossi');
  const itCard = it.page.getByTestId('nps-card');
  await expect(itCard.getByRole('radiogroup', { name: NPS_IT })).toBeVisible();
  await expect(itCard).toContainText('Per niente probabile');
  await expect(itCard.getByRole('textbox', { name: 'Qual è il motivo principale del Suo punteggio? (facoltativo)' })).toBeVisible();
  await itCard.scrollIntoViewIfNeeded();
  await it.page.screenshot({ path: shotPath('nps-widget-it-390.png') });
  await it.ctx.close();
});

test('more required questions: the survey page in a new tab, in Italian, the score chosen, the choices translated', async ({ browser }) => {
  await ask(env, ids.long);
  const { ctx, page } = await endedChat(browser, 'it-IT', 'Lucia Verdi');
  const card = page.getByTestId('nps-card');
  await card.getByRole('radio', { name: '3' }).click();
  await card.getByTestId('nps-send').click();
  const more = page.getByTestId('nps-more');
  await expect(more).toContainText('risponda ad alcune altre domande');
  const link = more.getByTestId('nps-more-link');
  await expect(link).toBeFocused();
  await expect(link).toHaveAccessibleName('Rispondi ad altre domande (si apre in una nuova scheda)');
  await expect(link).toHaveAttribute('target', '_blank');
  const href = await link.getAttribute('href');
  expect(href).toMatch(new RegExp(`^${env.server.url.replace(/[.:/]/g, '\\$&')}/s/[0-9a-f]{48}\\?lang=it#nps=3$`));
  await more.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('nps-widget-more-it-390.png') });

  const [survey] = await Promise.all([ctx.waitForEvent('page'), page.getByTestId('nps-more-link').click()]);
  await expect(survey.getByRole('heading', { level: 1 })).toHaveText('La Sua chat nel dettaglio');
  await expect(survey.locator('html')).toHaveAttribute('lang', 'it');
  const nps = survey.getByRole('group', { name: new RegExp(NPS_IT.replace(/[?]/g, '\\?')) });
  await expect(nps.getByRole('radio', { name: '3' })).toBeChecked();
  const choice = survey.getByRole('group', { name: /Di che cosa parlava la chat\?/ });
  await expect(choice.getByRole('radio')).toHaveCount(3);
  await expect(choice.locator('.sv-option span')).toHaveText(['Consegna', 'Rimborso', 'Altro']);
  await choice.getByRole('radio', { name: 'Rimborso' }).check();
  await survey.screenshot({ path: shotPath('nps-survey-page-it-390.png'), fullPage: true });
  await survey.getByTestId('sv-submit').click();
  await expect(survey.getByRole('heading', { level: 1 })).toHaveText('Grazie!');

  // Stored as written: Refund; the score a detractor.
  const report = (await env.admin.call(`/api/v1/reports/nps?survey_id=${ids.long}`)).json;
  expect(report.nps).toMatchObject({ n: 1, detractors: 1 });
  expect(report.questions[2].options).toEqual([
    { option: 'Delivery', n: 0 },
    { option: 'Refund', n: 1 },
    { option: 'Something else', n: 0 },
  ]);
  await ctx.close();
});

test('the survey page follows ?lang=: Italian labels and choices, English without it', async ({ browser }) => {
  const link = (await env.admin.call(`/api/v1/surveys/${ids.long}/links`, { method: 'POST', body: {} })).json;
  const url = `${env.server.url}/s/${link.token}`;
  const ctx = await browser.newContext({ locale: 'en-GB', viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your chat in detail');
  await expect(page.locator('.sv-option span')).toHaveText(['Delivery', 'Refund', 'Something else']);
  await expect(page.getByRole('group', { name: /How likely/ }).getByRole('radio', { checked: true })).toHaveCount(0);

  await page.goto(`${url}?lang=it#nps=10`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('La Sua chat nel dettaglio');
  await expect(page.getByRole('group', { name: /Quanto è probabile/ }).getByRole('radio', { name: '10' })).toBeChecked();
  await expect(page.locator('.sv-option span')).toHaveText(['Consegna', 'Rimborso', 'Altro']);
  await expect(page.getByTestId('sv-submit')).toHaveText('Invia le risposte');
  await page.getByRole('radio', { name: 'Consegna' }).check();
  await page.getByTestId('sv-submit').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Grazie!');
  const report = (await env.admin.call(`/api/v1/reports/nps?survey_id=${ids.long}`)).json;
  expect(report.questions[2].options.find((o) => o.option === 'Delivery').n).toBe(1);
  expect(report.nps.promoters).toBe(1);
  await ctx.close();
});
