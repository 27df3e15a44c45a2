// The console in Italian: picked from the browser locale, or chosen in the
// language menu; strings come from web/console/i18n/it.ts and <html lang> follows.
import { test, expect } from './helpers.mjs';
import { serverForFile, DEMO } from './helpers.mjs';

const env = serverForFile();

async function expectItalianApp(page) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await expect(page.getByTestId('view-unassigned')).toContainText('Non assegnate');
  await expect(page.getByTestId('view-mine')).toContainText('Mie');
  await expect(page.getByTestId('view-all')).toContainText('Tutte');
  await expect(page.getByTestId('filter-open')).toHaveText('Aperte');
  await expect(page.getByTestId('filter-closed')).toHaveText('Chiuse');
  await expect(page.locator('.sidebar-heading').first()).toHaveText('Posta in arrivo');
  await expect(page.locator('.sidebar-heading').nth(1)).toHaveText('Assistenza');
  await expect(page.getByTestId('nav-tickets')).toHaveText('Ticket');
  await expect(page.getByRole('heading', { name: 'Nessuna conversazione selezionata' })).toBeVisible();
  await expect(page.getByTestId('status-select').locator('option[value="away"]')).toHaveText('Assente');
  await expect(page.getByTestId('logout')).toHaveAttribute('aria-label', 'Esci');
}

test('browser locale it-IT: login page and console in Italian', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'it-IT' });
  const page = await ctx.newPage();
  await page.goto(env.server.url + '/console/');

  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accedi a Switchboard');
  await expect(page.getByText('Rispondi a ogni cliente da un unico posto, con calma.')).toBeVisible();
  await expect(page.getByTestId('login-submit')).toHaveText('Accedi');
  await expect(page.getByRole('button', { name: 'Mostra password' })).toBeVisible();
  await expect(page.getByTestId('lang-select')).toHaveValue('it');

  await page.getByTestId('login-email').fill(DEMO.anna.email);
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('E-mail o password errate.');

  await page.getByTestId('login-password').fill(DEMO.anna.password);
  await page.getByTestId('login-submit').click();
  await expectItalianApp(page);
  // "Mie" is the default view: its empty state.
  await expect(page.getByText('Nessuna conversazione assegnata a te.')).toBeVisible();
  await page.getByTestId('view-unassigned').click();
  await expect(page.getByText('Nessuno è in attesa. Ottimo lavoro!')).toBeVisible();
  await expect(page.locator('#list-title')).toContainText('Non assegnate');
  await ctx.close();
});

test('English browser: choosing Italiano in the language menu switches and is remembered', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(env.server.url + '/console/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('login-submit')).toHaveText('Sign in');
  await page.getByTestId('lang-select').selectOption('it');
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accedi a Switchboard');
  await expect(page.getByTestId('login-submit')).toHaveText('Accedi');

  await page.getByTestId('login-email').fill(DEMO.marek.email);
  await page.getByTestId('login-password').fill(DEMO.marek.password);
  await page.getByTestId('login-submit').click();
  await expectItalianApp(page);

  // Survives a reload; switching back to English works from the top bar.
  await page.reload();
  await expectItalianApp(page);
  await page.getByTestId('lang-select').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('view-unassigned')).toContainText('Unassigned');
  await ctx.close();
});
