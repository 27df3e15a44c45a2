// The etiquette coach in the console (docs/COACH.md): while the agent types a reply,
// negative phrasing is underlined (a wavy line on a backdrop mirrored behind the
// textarea) and listed under the composer with a one-click alternative; using it
// rewrites the draft and is counted (feedback → stats). The admin edits a language's
// rules (a custom Hungarian phrase, a 422 shown by the form, reset to defaults).
// Screenshots at 1366 and 390 px, and with the console in Russian and Hungarian.
import { test, expect } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, shotPath, DEMO } from './helpers.mjs';

const env = serverForFile({ online: [] });

async function chat(message, { language = 'en', name = 'Laura Rossi' } = {}) {
  const v = await newVisitor(env.server.url);
  const r = await v.startChat({ message, language, name });
  if (r.status !== 201) throw new Error('chat: ' + r.text);
  return r.json.id;
}

/** The coach's counts for one rule and language (GET /coach/stats as the admin). */
async function counts(rule, language) {
  const r = await env.admin.call('/api/v1/coach/stats');
  if (r.status !== 200) throw new Error('stats: ' + r.status + ' ' + r.text);
  return r.json.rules.find((x) => x.rule === rule && x.language === language) ?? { shown: 0, accepted: 0 };
}

/** Logs in with the console in `lang` (and the contact panel closed when `panel` is false). */
async function login(page, who, path, { lang = 'en', panel = true } = {}) {
  await page.addInitScript(
    ([l, p]) => {
      localStorage.setItem('sb.console.lang', l);
      if (!p) localStorage.setItem('sb.console.contactPanel', '0');
    },
    [lang, panel],
  );
  await page.goto(env.server.url + path);
  await page.getByTestId('login-email').fill(DEMO[who].email);
  await page.getByTestId('login-password').fill(DEMO[who].password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('composer')).toBeVisible();
}

const DRAFT = "Hi. I don't know, that's company policy.";

test('the agent sees the underline and the hint, uses the suggestion, and it is counted', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const url = env.server.url;
  const id = await chat('Hello, my parcel has not arrived. Where is it?');
  const before = await counts('phrase.dont_know', 'en');
  const checks = [];
  page.on('request', (r) => r.url().endsWith('/api/v1/coach/check') && checks.push(JSON.parse(r.postData())));

  await page.setViewportSize({ width: 1366, height: 860 });
  await consoleLogin(page, url, 'anna', `/console/c/${id}`);
  const composer = page.getByTestId('composer');
  await composer.pressSequentially(DRAFT, { delay: 15 });

  // Underlined: a wavy mark over exactly "I don't know", lying on the textarea.
  const mark = page.locator('[data-testid="coach-mark"][data-rule="phrase.dont_know"]');
  await expect(mark).toHaveText("I don't know");
  await expect(page.locator('[data-testid="coach-mark"][data-rule="phrase.policy"]')).toHaveText(/company policy/);
  expect(await mark.evaluate((el) => getComputedStyle(el).textDecorationStyle)).toBe('wavy');
  const [m, box] = [await mark.boundingBox(), await composer.boundingBox()];
  expect(m.x).toBeGreaterThan(box.x);
  expect(m.y).toBeGreaterThan(box.y);
  expect(m.y + m.height).toBeLessThan(box.y + box.height);
  // The textarea stays a plain textarea, with the draft as typed.
  await expect(composer).toHaveValue(DRAFT);
  // Debounced: not one check per keystroke; each check carries the conversation.
  expect(checks.length).toBeLessThan(DRAFT.length / 2);
  expect(checks.every((c) => c.conversation_id === id)).toBe(true);

  // Listed: what is wrong, the words, and the fix.
  const hint = page.locator('[data-testid="coach-hint"][data-rule="phrase.dont_know"]');
  await expect(hint).toContainText('Negative phrasing');
  await expect(hint.getByTestId('coach-flagged')).toHaveText("I don't know");
  const use = hint.getByRole('button', { name: 'Use: “Let me find out for you”' });
  await expect(use).toBeVisible();
  await page.screenshot({ path: shotPath('coach-composer-1366.png') });

  // The same draft on a phone (390 px), contact panel closed.
  const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await phoneCtx.newPage();
  await login(phone, 'anna', `/console/c/${id}`, { panel: false });
  const phoneShown = phone.waitForRequest((r) => r.url().endsWith('/api/v1/coach/feedback'));
  await phone.getByTestId('composer').fill(DRAFT);
  await expect(phone.getByTestId('coach-hint')).toHaveCount(2);
  await phone.screenshot({ path: shotPath('coach-composer-390.png') });
  await phoneShown; // its "shown" is counted too (before the page goes)
  await phoneCtx.close();

  // Keyboard: Alt+Shift+C reaches the first fix; Enter applies it and the caret lands after it.
  await composer.focus();
  await page.keyboard.press('Alt+Shift+C');
  await expect(use).toBeFocused();
  await page.keyboard.press('Enter');
  const fixed = "Hi. Let me find out for you, that's company policy.";
  await expect(composer).toHaveValue(fixed);
  await expect(composer).toBeFocused();
  expect(await composer.evaluate((el) => [el.selectionStart, el.selectionEnd])).toEqual([27, 27]);
  await expect(page.locator('[data-testid="coach-mark"][data-rule="phrase.dont_know"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="coach-hint"][data-rule="phrase.policy"]')).toHaveCount(1);

  // Counted: shown once per draft (this one and the phone's), accepted once (reported within a few seconds).
  await expect.poll(async () => (await counts('phrase.dont_know', 'en')).accepted, { timeout: 15_000 }).toBe(before.accepted + 1);
  expect((await counts('phrase.dont_know', 'en')).shown).toBe(before.shown + 2);

  // Hints never block sending; once sent, the next draft reports its rules afresh.
  await composer.press('Enter');
  await expect(page.locator('.messages [data-testid="message"]').filter({ hasText: 'Let me find out for you' })).toHaveCount(1);
  await expect(composer).toHaveValue('');
  await expect(page.getByTestId('coach-hint')).toHaveCount(0);
  await composer.pressSequentially('No idea, sorry.', { delay: 15 });
  await expect(page.locator('[data-testid="coach-hint"][data-rule="phrase.dont_know"]')).toHaveCount(1);
  await composer.press('Enter'); // sending flushes the "shown"
  await expect.poll(async () => (await counts('phrase.dont_know', 'en')).shown, { timeout: 15_000 }).toBe(before.shown + 3);

  // The agent can hide the coach (remembered in this browser).
  await page.getByTestId('coach-switch').click();
  await expect(page.getByTestId('coach-switch')).toHaveAttribute('aria-pressed', 'false');
  await composer.pressSequentially("I don't know.", { delay: 10 });
  await page.waitForTimeout(600);
  await expect(page.getByTestId('coach-hint')).toHaveCount(0);
  await expect(page.getByTestId('coach-mark')).toHaveCount(0);
  await page.getByTestId('coach-switch').click();
  await expect(page.locator('[data-testid="coach-hint"][data-rule="phrase.dont_know"]')).toHaveCount(1);
});

test('Russian and Hungarian consoles: the conversation language picks the rules; long strings fit', async ({ browser }) => {
  const ru = await chat('Здравствуйте, мой заказ не пришёл.', { language: 'ru', name: 'Ольга Смирнова' });
  const hu = await chat('Jó napot, nem érkezett meg a csomagom.', { language: 'hu', name: 'Zsófia Kovács' });

  const ruCtx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const ruPage = await ruCtx.newPage();
  await login(ruPage, 'anna', `/console/c/${ru}`, { lang: 'ru' });
  await ruPage.getByTestId('composer').fill('Здравствуйте! Я не знаю, такова политика компании. Мы никогда так не делаем.');
  await expect(ruPage.locator('[data-testid="coach-hint"][data-rule="phrase.dont_know"]')).toContainText('Негативная формулировка');
  await expect(ruPage.locator('[data-testid="coach-mark"][data-rule="phrase.dont_know"]')).toHaveText(/не знаю/i);
  await ruPage.screenshot({ path: shotPath('coach-composer-ru-1366.png') });
  await ruCtx.close();

  const huCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const huPage = await huCtx.newPage();
  await login(huPage, 'anna', `/console/c/${hu}`, { lang: 'hu', panel: false });
  await huPage.getByTestId('composer').fill('Szia Zsofia! Nem tudom, ez a vállalati politika.');
  await expect(huPage.locator('[data-testid="coach-hint"][data-rule="phrase.dont_know"]')).toContainText('Negatív megfogalmazás');
  await expect(huPage.getByRole('button', { name: /^Csere erre: „/ }).first()).toBeVisible();
  // Nothing sticks out sideways on a phone.
  expect(await huPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const panel = await huPage.locator('.coach-panel').boundingBox();
  expect(panel.x + panel.width).toBeLessThanOrEqual(390);
  await huPage.screenshot({ path: shotPath('coach-composer-hu-390.png') });
  await huCtx.close();

  // The admin's page in Hungarian: the tabs, the sections and the foot's buttons fit.
  const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const admin = await adminCtx.newPage();
  await admin.addInitScript(() => localStorage.setItem('sb.console.lang', 'hu'));
  await admin.goto(env.server.url + '/console/settings/coach');
  await admin.getByTestId('login-email').fill(DEMO.admin.email);
  await admin.getByTestId('login-password').fill(DEMO.admin.password);
  await admin.getByTestId('login-submit').click();
  await expect(admin.getByTestId('coach-form')).toBeVisible();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Illemtanácsadó');
  await expect(admin.getByTestId('coach-save')).toHaveText('Szabályok mentése (English)');
  await admin.screenshot({ path: shotPath('coach-admin-hu-1366.png') });
  await adminCtx.close();
});

test('the admin adds a Hungarian phrase; the check flags it; a 422 is shown by the form; reset to defaults', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await consoleLogin(page, env.server.url, 'admin', '/console/settings/coach');
  await expect(page.getByTestId('settings-coach')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('coach-form')).toHaveAttribute('data-lang', 'en');

  // Tabs by keyboard: → three times from English is Magyar.
  await page.getByTestId('coach-tab-en').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('coach-tab-hu')).toBeFocused();
  await expect(page.getByTestId('coach-tab-hu')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('coach-form')).toHaveAttribute('data-lang', 'hu');
  await expect(page.getByTestId('coach-rules-status')).toHaveText('Magyar: the shipped defaults');
  await page.screenshot({ path: shotPath('coach-admin-top-1366.png') });
  const shipped = await page.getByTestId('coach-phrase').count();
  expect(shipped).toBeGreaterThan(0);

  // A custom phrase.
  await page.getByTestId('coach-add-phrase').click();
  const row = page.getByTestId('coach-phrase').last();
  await expect(row.getByTestId('coach-phrase-id')).toBeFocused();
  await row.getByTestId('coach-phrase-id').fill('tul_draga');
  await row.getByTestId('coach-phrase-match').fill('ez túl drága\nmegfizethetetlen');
  await row.getByTestId('coach-phrase-suggest').fill('Megnézem, milyen kedvezményt adhatunk');
  await expect(page.getByTestId('coach-rules-status')).toContainText('unsaved changes');

  // A wrong number first: the server's 422 is shown by the form, nothing saved.
  await page.getByTestId('coach-min-words').fill('50');
  await page.getByTestId('coach-save').click();
  await expect(page.getByTestId('coach-rules-error')).toContainText('greeting.min_words');
  expect((await env.admin.call('/api/v1/coach/rules')).json.customized).not.toContain('hu');
  await page.getByTestId('coach-min-words').fill('3');
  await page.getByTestId('coach-save').click();
  await expect(page.getByTestId('coach-rules-error')).toHaveCount(0);
  await expect(page.getByTestId('coach-rules-status')).toHaveText('Magyar: customized rules');
  await expect(page.getByTestId('coach-tab-hu').locator('.coach-tab-dot')).toHaveCount(1);
  await page.getByTestId('coach-add-phrase').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('coach-admin-1366.png') });

  const rules = (await env.admin.call('/api/v1/coach/rules')).json;
  expect(rules.customized).toContain('hu');
  expect(rules.languages.hu.phrases.find((p) => p.id === 'tul_draga')).toEqual({
    id: 'tul_draga',
    match: ['ez túl drága', 'megfizethetetlen'],
    suggest: ['Megnézem, milyen kedvezményt adhatunk'],
  });
  expect(rules.languages.hu.greeting.min_words).toBe(3);
  expect(rules.languages.hu.phrases.length).toBe(shipped + 1);

  // A Hungarian check flags it, with the alternative as an edit.
  const text = 'Ez túl drága, sajnos.';
  const check = await env.admin.call('/api/v1/coach/check', { method: 'POST', body: { text, language: 'hu' } });
  expect(check.status).toBe(200);
  const flag = check.json.flags.find((f) => f.rule === 'phrase.tul_draga');
  expect(flag).toBeTruthy();
  expect(text.slice(flag.start, flag.end)).toBe('Ez túl drága');
  expect(flag.suggestions[0].text).toBe('Megnézem, milyen kedvezményt adhatunk');

  // The stats table is on the same page (and the supervisors' reports): shown 2, used 1 = 50 %.
  const events = [
    { rule: 'phrase.tul_draga', language: 'hu', action: 'shown' },
    { rule: 'phrase.tul_draga', language: 'hu', action: 'shown' },
    { rule: 'phrase.tul_draga', language: 'hu', action: 'accepted' },
  ];
  expect((await env.admin.call('/api/v1/coach/feedback', { method: 'POST', body: { events } })).status).toBe(204);
  await page.getByTestId('coach-days').selectOption('7');
  const stat = page.locator('[data-testid="coach-stats-row"][data-rule="phrase.tul_draga"][data-language="hu"]');
  await expect(stat.getByTestId('coach-stats-shown')).toHaveText('2');
  await expect(stat.getByTestId('coach-stats-accepted')).toHaveText('1');
  await expect(stat.locator('td').last()).toHaveText('50%');

  // Supervisors find the same table in the reports.
  await page.getByTestId('nav-reports').click();
  await page.getByTestId('report-tab-coach').click();
  await expect(page.getByTestId('reports-page').getByTestId('coach-stats-row').filter({ hasText: 'phrase.tul_draga' })).toHaveCount(1);
  await page.goBack(); // the reports' overview
  await page.goBack();
  await expect(page.getByTestId('coach-form')).toBeVisible();
  await page.getByTestId('coach-tab-hu').click();

  // Reset to defaults (asked first).
  await page.getByTestId('coach-reset').click();
  await page.getByTestId('coach-reset-confirm').click();
  await expect(page.getByTestId('coach-reset-dialog')).toHaveCount(0);
  await expect(page.getByTestId('coach-rules-status')).toHaveText('Magyar: the shipped defaults');
  await expect(page.getByTestId('coach-phrase')).toHaveCount(shipped);
  expect((await env.admin.call('/api/v1/coach/rules')).json.customized).not.toContain('hu');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shotPath('coach-admin-390.png') });
});
