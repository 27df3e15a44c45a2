// Scripts (P2) in the console: the admin keeps an English greeting with two variants and a
// hold script (through the API); a customer chats as Giulia Bianchi; when Anna is in the reply
// box the greeting is suggested under the text ("Suggested for Greeting: Warm welcome", said
// politely to screen readers), Alt+S inserts it filled in for Giulia and counts the variant's
// use, and it goes out; the ▾ menu lists another situation's scripts; once she has written,
// a draft that asks for a moment suggests the hold script. Anna proposes a change to the
// greeting on the Scripts page; the admin sees it in Proposals (waiting first, the reworded
// text as a word diff), approves it with a note, and the script keeps the first variant's
// figures and retires the second. The admin's Effect view says honestly that there is not
// enough data yet. Screenshots: the composer at 1366 and 390 px, the page, the proposals and
// the effect at 1366 and 390 px, and the page and the effect in Russian.
import { test, expect } from './helpers.mjs';
import { loginAgent } from '../../tests/lib/server.mjs';
import { serverForFile, agentAndVisitor, consoleLogin, startWidgetChat, widgetMessages, shotPath, DEMO, setContactPanel } from './helpers.mjs';

const env = serverForFile({ online: ['anna'] });

const V1 = 'Hi {{contact.first_name}}, I’m {{agent.first_name}}. How can I help you today?';
const V2 = 'Hello {{contact.first_name}}! Thanks for writing to us — what can I do for you?';
const V2_NEW = 'Hello {{contact.first_name}}! Thank you for writing — how can I help?';
const HOLD = 'Let me check that for you, {{contact.first_name}} — it takes about two minutes.';

/** A script as the API lists it now. */
async function script(id) {
  const r = await env.admin.call('/api/v1/scripts');
  expect(r.status, r.text).toBe(200);
  return r.json.scripts.find((s) => s.id === id);
}

test('scripts: suggested in the composer, inserted with Alt+S, proposed, approved, effect', async ({ browser }) => {
  const url = env.server.url;

  // ---- the admin writes the scripts through the API ----
  const made = await env.admin.call('/api/v1/scripts', { method: 'POST', body: { situation: 'greeting', language: 'en', title: 'Warm welcome', variants: [V1, V2] } });
  expect(made.status, made.text).toBe(201);
  const greeting = made.json;
  expect(greeting.offer).toBe(greeting.variants[0].id);
  const hold = await env.admin.call('/api/v1/scripts', { method: 'POST', body: { situation: 'hold', language: '', title: 'One moment', variants: [HOLD] } });
  expect(hold.status, hold.text).toBe(201);

  // ---- a customer writes; Anna opens the chat ----
  const { agent, visitor, close } = await agentAndVisitor(browser);
  await agent.setViewportSize({ width: 1366, height: 860 });
  await startWidgetChat(visitor, url, { name: 'Giulia Bianchi', email: 'giulia.bianchi@example.com', message: 'Hello, where is my refund?' });
  await consoleLogin(agent, url, 'anna');
  await agent.getByTestId('view-mine').click();
  await agent.getByTestId('conversation-item').first().click();
  const composer = agent.getByTestId('composer');
  await composer.click();

  // The greeting, suggested under the text, filled in for Giulia; announced politely.
  const suggestion = agent.getByTestId('script-suggest');
  await expect(suggestion).toHaveAttribute('data-situation', 'greeting');
  const chip = agent.getByTestId('script-insert');
  await expect(chip).toContainText('Warm welcome');
  await expect(chip).toHaveAttribute('aria-keyshortcuts', 'Alt+S');
  await expect(chip).toHaveAttribute('aria-label', /Hi Giulia, I’m Anna\. How can I help you today\?/);
  await expect(agent.getByTestId('script-live')).toHaveText('Script suggested for Greeting: Warm welcome. Alt+S inserts it.');
  await expect(agent.getByTestId('script-live')).toHaveAttribute('aria-live', 'polite');
  // It sits in the row under the text (the hint's place): the box keeps its height.
  const box = agent.locator('.composer-box');
  const before = (await box.boundingBox()).height;
  await chip.hover();
  await agent.screenshot({ path: shotPath('scripts-composer-1366.png') });

  // ▾ lists the scripts of any situation: the hold script for "Putting on hold".
  await agent.getByTestId('script-more').click();
  const menu = agent.getByTestId('script-menu');
  await expect(menu.getByTestId('script-option')).toHaveCount(1);
  await expect(menu.getByTestId('script-option')).toContainText('Hi Giulia, I’m Anna.');
  await expect(agent.getByTestId('script-menu-situation')).toBeFocused();
  await agent.getByTestId('script-menu-situation').selectOption('hold');
  await expect(menu.getByTestId('script-option')).toContainText('Let me check that for you, Giulia — it takes about two minutes.');
  await agent.screenshot({ path: shotPath('scripts-menu-1366.png') });
  await agent.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(composer).toBeFocused();

  // Alt+S inserts the suggestion and counts the use of that variant.
  await composer.press('Alt+s');
  await expect(composer).toHaveValue('Hi Giulia, I’m Anna. How can I help you today?');
  await expect(composer).toBeFocused();
  await expect(chip).toHaveCount(0); // already in the draft
  expect((await box.boundingBox()).height).toBeLessThanOrEqual(before + 24); // one line of text more at most
  await expect.poll(async () => (await script(greeting.id)).variants.map((v) => v.uses)).toEqual([1, 0]);
  await composer.press('Enter');
  await expect(widgetMessages(visitor).filter({ hasText: 'Hi Giulia, I’m Anna. How can I help you today?' })).toHaveCount(1);
  // Answered: no greeting any more (nothing is written for an information request), ▾ still lists the scripts.
  await expect(suggestion).toHaveAttribute('data-situation', 'information');
  await expect(chip).toHaveCount(0);
  await expect(agent.getByTestId('script-more')).toBeVisible();
  await box.screenshot({ path: shotPath('scripts-composer-answered-1366.png') });

  // Once she has written, a draft that asks for a moment suggests the hold script.
  await composer.pressSequentially('Just a moment', { delay: 20 });
  await expect(suggestion).toHaveAttribute('data-situation', 'hold');
  await expect(chip).toContainText('One moment');
  await chip.click();
  await expect(composer).toHaveValue('Just a moment Let me check that for you, Giulia — it takes about two minutes.');
  await composer.fill('');

  // On a phone the suggestion still fits the row, and the menu the screen.
  await setContactPanel(agent, false);
  await agent.setViewportSize({ width: 390, height: 800 });
  await composer.pressSequentially('Please hold on', { delay: 20 });
  await expect(chip).toContainText('One moment');
  const chipBox = await chip.boundingBox();
  expect(chipBox.x + chipBox.width).toBeLessThanOrEqual(390);
  await agent.screenshot({ path: shotPath('scripts-composer-390.png') });
  await agent.getByTestId('script-more').click();
  const menuBox = await menu.boundingBox();
  expect(menuBox.x).toBeGreaterThanOrEqual(0);
  expect(menuBox.x + menuBox.width).toBeLessThanOrEqual(390);
  await agent.screenshot({ path: shotPath('scripts-menu-390.png') });
  await agent.keyboard.press('Escape');
  await composer.fill('');
  await agent.setViewportSize({ width: 1366, height: 860 });

  // ---- Anna proposes a change to the greeting ----
  await agent.getByTestId('nav-scripts').click();
  await expect(agent.getByTestId('scripts-page')).toBeVisible();
  const card = agent.locator(`[data-testid="script-card"][data-script="${greeting.id}"]`);
  await expect(card.getByTestId('script-variant')).toHaveCount(2);
  await expect(card.getByTestId('script-variant-uses').first()).toHaveText('Uses: 1');
  await expect(card.getByTestId('script-edit')).toHaveCount(0);
  await expect(card.getByTestId('script-effect')).toHaveCount(0);
  await card.getByTestId('script-propose').click();
  const form = agent.getByTestId('script-form');
  await expect(form).toHaveAttribute('data-mode', 'propose-edit');
  await expect(form.getByTestId('script-variant-text')).toHaveCount(2);
  await form.getByTestId('script-variant-text').nth(1).fill(V2_NEW);
  await form.getByTestId('script-note').fill('Shorter and warmer.');
  await form.getByTestId('script-save').click();
  await expect(agent.locator('.toast').filter({ hasText: 'Proposal sent: a supervisor will review it' })).toHaveCount(1);
  await expect(form).toHaveCount(0);
  await expect(card.getByTestId('script-waiting')).toHaveText('Your proposal is waiting for review');
  await agent.getByTestId('scripts-tab-proposals').click();
  await expect(agent.getByTestId('proposal-card')).toHaveCount(1);
  await expect(agent.getByTestId('proposal-status')).toHaveText('Waiting');
  await expect(agent.getByTestId('proposal-approve')).toHaveCount(0);
  await close();

  // ---- the admin approves it ----
  const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const admin = await adminCtx.newPage();
  await consoleLogin(admin, url, 'admin', '/console/scripts');
  await expect(admin.getByTestId('scripts-tab-count-proposals')).toContainText('1');
  await admin.screenshot({ path: shotPath('scripts-page-1366.png') });
  await admin.getByTestId('scripts-tab-proposals').click();
  await expect(admin).toHaveURL(/\/console\/scripts\/proposals$/);
  const proposal = admin.getByTestId('proposal-card');
  await expect(proposal).toHaveCount(1);
  await expect(proposal).toHaveAttribute('data-status', 'pending');
  await expect(proposal).toContainText('Change to “Warm welcome”');
  await expect(proposal).toContainText('Proposed by Anna Rossi');
  await expect(proposal.getByTestId('proposal-note')).toContainText('Shorter and warmer.');
  const diff = proposal.getByTestId('proposal-diff');
  await expect(diff.locator('[data-kind="kept"]')).toContainText('How can I help you today?');
  const reworded = diff.locator('[data-kind="changed"]');
  await expect(reworded.locator('del').first()).toHaveText('Thanks');
  await expect(reworded.locator('ins').first()).toHaveText('Thank you');
  await admin.screenshot({ path: shotPath('scripts-proposals-1366.png') });
  await proposal.getByTestId('proposal-review-note').fill('Nice, thank you!');
  await proposal.getByTestId('proposal-approve').click();
  await expect(admin.locator('.toast').filter({ hasText: 'Proposal approved: the script is updated' })).toHaveCount(1);
  await expect(admin.getByTestId('proposals-empty')).toHaveText('No proposals to review.');
  await expect(admin.getByTestId('scripts-tab-count-proposals')).toHaveCount(0);
  await admin.getByTestId('proposals-filter-approved').click();
  await expect(admin.getByTestId('proposal-review').first()).toContainText('“Nice, thank you!”');
  // The kept text keeps its variant and its use; the reworded one is a new variant; the old one is retired.
  const after = await script(greeting.id);
  expect(after.variants.map((v) => [v.text, v.retired, v.uses])).toEqual([
    [V1, false, 1],
    [V2, true, 0],
    [V2_NEW, false, 0],
  ]);

  // ---- the effect: not enough data yet, said honestly ----
  await admin.getByTestId('scripts-tab-list').click();
  const adminCard = admin.locator(`[data-testid="script-card"][data-script="${greeting.id}"]`);
  await expect(adminCard.getByTestId('script-variant')).toHaveCount(2);
  await expect(adminCard).toContainText('Retired variants: 1');
  await adminCard.getByTestId('script-effect').click();
  await expect(admin).toHaveURL(new RegExp(`/console/scripts/${greeting.id}/effect$`));
  const effect = admin.getByTestId('script-effect');
  await expect(effect).toContainText('Effect of “Warm welcome”');
  await expect(admin.getByTestId('effect-verdict-csat')).toHaveAttribute('data-verdict', 'not_enough_data');
  await expect(admin.getByTestId('effect-verdict-csat')).toContainText('Not enough data yet: each variant needs 30 rated conversations (the fewest has 0).');
  await expect(admin.getByTestId('effect-verdict-resolution')).toContainText('Not enough data yet: each variant needs 30 closed conversations');
  await expect(admin.getByTestId('effect-verdict-handle')).toContainText('Not enough data yet');
  await expect(admin.getByTestId('effect-promote-winner')).toHaveCount(0);
  const first = admin.locator(`[data-testid="effect-row"][data-variant="${after.variants[0].id}"]`);
  await expect(first.locator('td').first()).toHaveText('1');
  await expect(admin.getByTestId('effect-row')).toHaveCount(3);
  await admin.screenshot({ path: shotPath('scripts-effect-1366.png') });
  // Promoting by hand asks first, and says the figures do not show it is better.
  await admin.locator(`[data-testid="effect-row"][data-variant="${after.variants[2].id}"]`).getByTestId('effect-promote-variant').click();
  await expect(admin.getByTestId('promote-dialog')).toContainText('The figures do not show that variant 3 is better.');
  await admin.getByTestId('promote-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(admin.getByTestId('promote-dialog')).toHaveCount(0);

  // On a phone: the tabs stay a row, nothing is wider than the screen.
  await admin.setViewportSize({ width: 390, height: 844 });
  await expect(admin.getByTestId('effect-verdict-csat')).toBeVisible();
  const wide = await admin.evaluate(() => document.querySelector('.settings-pane').scrollWidth - document.querySelector('.settings-pane').clientWidth);
  expect(wide).toBeLessThanOrEqual(0);
  await admin.screenshot({ path: shotPath('scripts-effect-390.png') });
  await admin.getByTestId('scripts-tab-list').click();
  await expect(adminCard).toBeVisible();
  await admin.screenshot({ path: shotPath('scripts-page-390.png') });
  await admin.getByTestId('scripts-tab-proposals').click();
  await admin.getByTestId('proposals-filter-all').click();
  await admin.screenshot({ path: shotPath('scripts-proposals-390.png') });

  // ---- in Russian ----
  const ru = await adminCtx.newPage();
  await ru.addInitScript(() => localStorage.setItem('sb.console.lang', 'ru'));
  await ru.goto(url + '/console/scripts');
  await expect(ru.getByRole('heading', { name: 'Скрипты', level: 1 })).toBeVisible();
  await expect(ru.locator('[data-testid="script-group"][data-situation="greeting"] h2')).toHaveText('Приветствие');
  await ru.screenshot({ path: shotPath('scripts-page-ru-1366.png') });
  await ru.goto(url + `/console/scripts/${greeting.id}/effect`);
  await expect(ru.getByTestId('effect-verdict-csat')).toContainText('Пока недостаточно данных');
  await ru.screenshot({ path: shotPath('scripts-effect-ru-1366.png') });
  await adminCtx.close();
});

test('an agent cannot open the effect, and a proposal is reviewed once', async ({ browser }) => {
  const url = env.server.url;
  const marek = await loginAgent(url, DEMO.marek);
  const made = await env.admin.call('/api/v1/scripts', { method: 'POST', body: { situation: 'closing', language: '', title: 'Anything else?', variants: ['Is there anything else I can help you with?'] } });
  expect(made.status, made.text).toBe(201);
  const p = await marek.call('/api/v1/scripts/proposals', { method: 'POST', body: { situation: 'wrong_company', language: 'en', title: 'Not us', variants: ['I’m sorry, you reached Switchboard Shop, not your bank.'], note: '' } });
  expect(p.status, p.text).toBe(201);

  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  // An agent sent to the effect's address gets the scripts instead.
  await consoleLogin(page, url, 'marek', `/console/scripts/${made.json.id}/effect`);
  await expect(page.getByTestId('scripts-page')).toHaveAttribute('data-tab', 'list');
  await expect(page.getByTestId('script-effect')).toHaveCount(0);
  await page.getByTestId('scripts-tab-proposals').click();
  await expect(page.getByTestId('proposal-card')).toContainText('New script: “Not us”');

  // The admin rejects it in the console while someone else already did through the API: 409, said, list read again.
  const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const admin = await adminCtx.newPage();
  await consoleLogin(admin, url, 'admin', '/console/scripts/proposals');
  const card = admin.locator(`[data-testid="proposal-card"][data-proposal="${p.json.id}"]`);
  await expect(card).toBeVisible();
  const done = await env.admin.call(`/api/v1/scripts/proposals/${p.json.id}/reject`, { method: 'POST', body: { note: 'We have one.' } });
  expect(done.status, done.text).toBe(200);
  await card.getByTestId('proposal-reject').click();
  await expect(admin.locator('.toast').filter({ hasText: 'Someone has already reviewed this proposal.' })).toHaveCount(1);
  await expect(admin.getByTestId('proposals-empty')).toBeVisible();
  await adminCtx.close();
  await ctx.close();
});
