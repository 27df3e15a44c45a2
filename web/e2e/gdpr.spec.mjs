// GDPR in the console: an admin downloads a customer's data and erases it from
// the contact panel (agents see neither button), and sets the retention period.
import { test, expect } from './helpers.mjs';
import { readFileSync } from 'node:fs';
import { loginAgent, newVisitor } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, DEMO, setContactPanel } from './helpers.mjs';

const env = serverForFile();

test('an admin exports and then erases a customer from the contact panel', async ({ page }) => {
  const v = await newVisitor(env.server.url);
  const conv = (await v.startChat({ name: 'Erika Mustermann', email: 'erika.e2e@example.com', message: 'Parcel 4711 is missing' })).json;
  await consoleLogin(page, env.server.url, 'admin', `/console/all/${conv.id}`);
  await setContactPanel(page);
  const panel = page.getByTestId('contact-panel');
  await expect(panel.getByTestId('contact-name')).toHaveText('Erika Mustermann');

  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-contact').click()]);
  expect(download.suggestedFilename()).toMatch(/^contact-\d+-export\.zip$/);
  const zip = readFileSync(await download.path());
  expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');

  page.once('dialog', (d) => d.accept());
  await panel.getByTestId('erase-contact').click();
  await expect(panel.getByTestId('privacy-message')).toContainText('Erased — conversations: 1, messages: 1, files: 0.');
  await expect(panel.getByTestId('contact-erased')).toBeVisible();
  await expect(panel.getByTestId('contact-name')).not.toHaveText('Erika Mustermann');
  await expect(page.locator('.messages')).not.toContainText('Parcel 4711');
  await expect(page.locator('.messages')).toContainText('[erased]');
});

test('agents see no GDPR buttons', async ({ page }) => {
  const v = await newVisitor(env.server.url);
  const conv = (await v.startChat({ message: 'Hello' })).json;
  await consoleLogin(page, env.server.url, 'anna', `/console/all/${conv.id}`);
  await setContactPanel(page);
  await expect(page.getByTestId('contact-panel').getByTestId('contact-name')).toBeVisible();
  await expect(page.getByTestId('contact-privacy')).toHaveCount(0);
});

test('Settings → Privacy saves the retention period', async ({ page }) => {
  await consoleLogin(page, env.server.url, 'admin');
  await page.getByTestId('settings').click();
  await page.getByTestId('settings-privacy').click();
  await page.getByTestId('retention-days').fill('0');
  await expect(page.getByTestId('retention-save')).toBeDisabled();
  await page.getByTestId('retention-days').fill('90');
  await page.getByTestId('retention-save').click();
  await expect(page.getByTestId('retention-save')).toBeDisabled();  // saved: nothing to save
  const admin = await loginAgent(env.server.url, DEMO.admin);
  expect((await admin.call('/api/v1/admin/retention')).json).toEqual({ retention_days: 90 });
});
