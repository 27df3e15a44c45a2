// The console's top-bar search: "/" focuses it, typing shows grouped results
// (conversations, messages with the match marked, contacts), arrows move and
// Enter opens the conversation; customer text stays text.
import { test, expect } from './helpers.mjs';
import { mkdirSync } from 'node:fs';
import { newVisitor, uuid } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, SHOTS } from './helpers.mjs';

const env = serverForFile();

async function chat(message, name = 'Giulia Bianchi') {
  const v = await newVisitor(env.server.url);
  return (await v.startChat({ name, message })).json;
}

// "/" from anywhere but a text field; the first press may come before the console listens.
async function focusWithSlash(page, box) {
  await expect(async () => {
    await page.locator('body').press('/');
    await expect(box).toBeFocused({ timeout: 500 });
  }).toPass();
  await box.fill('');
}

test('type a word, move with the arrows, Enter opens the conversation', async ({ page }) => {
  const word = 'zq' + uuid().replace(/-/g, '').slice(0, 8);
  const older = await chat(`Ho chiesto il rimborso ${word} la settimana scorsa`);
  const newer = await chat(`I still wait for my refunds ${word} <img src=x onerror="window.pwned=1">`, 'Mallory <b>Bold</b>');
  await consoleLogin(page, env.server.url, 'anna');

  const box = page.getByTestId('search-input');
  await focusWithSlash(page, box);
  await box.pressSequentially(`refund ${word}`, { delay: 20 });
  const results = page.getByTestId('search-results');
  await expect(results).toBeVisible();
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  const messages = results.locator('[data-group="messages"]');
  await expect(messages).toHaveCount(1);  // "refund" finds "refunds", not the Italian one
  await expect(messages.locator('mark')).toHaveText(['refunds', word]);
  await expect(results.locator('img')).toHaveCount(0);
  await expect(messages).toContainText('<img src=x');

  // Another word finds both; the newer first. ArrowDown to the second, Enter opens it.
  await box.fill(word);
  await expect(messages).toHaveCount(2);
  await expect(messages.first()).toContainText('refunds');
  await expect(results.getByRole('option', { selected: true })).toHaveCount(1);
  const target = messages.nth(1);
  for (let i = 0; i < 10 && (await target.getAttribute('aria-selected')) !== 'true'; i++) await box.press('ArrowDown');
  await expect(target).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/console/\\w+/${older.id}$`));
  await expect(page.locator('.messages')).toContainText(`rimborso ${word}`);
  await expect(results).toBeHidden();
  expect(await page.evaluate(() => window.pwned)).toBeUndefined();

  // Esc closes the popup; the contact group opens the newest conversation.
  await focusWithSlash(page, box);
  await box.fill('Mallory');
  const contact = results.locator('[data-group="contacts"]').first();
  await expect(contact).toContainText('Mallory <b>Bold</b>');
  await box.press('Escape');
  await expect(results).toBeHidden();
  await box.press('ArrowDown');
  await expect(results).toBeVisible();
  await contact.click();
  await expect(page).toHaveURL(new RegExp(`/console/\\w+/${newer.id}$`));
});

test('screenshots at 1366 and 390 pixels', async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  const word = 'parcel';
  await chat(`My parcel never arrived, tracking says delivered`, 'Anna Kowalska');
  await chat(`Where is my parcel? It has been two weeks`, 'Marco Rossi');
  for (const [width, height] of [[1366, 800], [390, 844]]) {
    await page.setViewportSize({ width, height });
    await consoleLogin(page, env.server.url, 'anna');
    const box = page.getByTestId('search-input');
    await focusWithSlash(page, box);
    await box.fill(word);
    await expect(page.getByTestId('search-results').locator('mark').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/search-${width}.png` });
    await box.press('Escape');  // closes the results
    await box.press('Escape');  // leaves the box
    await expect(box).not.toBeFocused();
    await page.getByTestId('logout').click();
  }
});
