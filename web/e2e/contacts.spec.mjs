// One customer record in the console (R5): an agent searches the contacts, opens
// one and sees every channel's conversations, merges a duplicate in (with a
// preview of what moves) and undoes it, with the keyboard; the conversation's
// contact panel shows the channels used and leads to the contact page.
// Screenshots at 390 and 1366 px.
import { test, expect } from './helpers.mjs';
import { newVisitor } from '../../tests/lib/server.mjs';
import { serverForFile, consoleLogin, shotPath, setContactPanel } from './helpers.mjs';

const env = serverForFile({}, async (e) => {
  const say = async (fields) => (await (await newVisitor(e.server.url)).startChat(fields)).json;
  e.chat = await say({ name: 'Laura Bianchi', email: 'laura@customer.example', message: 'Where is order 4711?' });
  e.offline = await say({ kind: 'offline', name: 'Laura', email: 'laura@customer.example', topic: 'Parcel', message: 'Still no parcel for 4711' });
  e.callback = await say({ kind: 'callback', name: 'Laura B.', email: '', phone: '+39 333 765 4321', message: 'Please call me' });
  for (const n of ['Marco Rossi', 'Ilona Kovács', 'Piotr Nowak'])
    await say({ name: n, email: `${n.split(' ')[0].toLowerCase()}@example.com`, message: `Hello from ${n}` });
});

test('search, open, merge with a preview, undo', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 860 });
  await consoleLogin(page, env.server.url, 'anna');
  await page.getByTestId('nav-contacts').click();
  await expect(page).toHaveURL(/\/console\/contacts$/);
  const search = page.getByTestId('contacts-search');
  await expect(search).toBeFocused();
  await expect(page.getByTestId('contact-row')).toHaveCount(5);
  await page.screenshot({ path: shotPath('contacts-list-en-1366.png') });

  await search.fill('laura@');
  await expect(page.getByTestId('contact-row')).toHaveCount(1);
  await search.fill('zzz-nobody');
  await expect(page.getByTestId('contacts-empty')).toContainText('zzz-nobody');
  await search.fill('Laura');
  await expect(page.getByTestId('contact-row')).toHaveCount(2);  // the call-back came with a number only
  // Keyboard: Tab to the first contact, Enter opens it.
  const withEmail = page.getByTestId('contact-row').filter({ hasText: 'laura@customer.example' });
  await withEmail.getByTestId('contact-open').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('contact-page-name')).toHaveText('Laura Bianchi');
  const timeline = page.getByTestId('timeline-item');
  await expect(timeline).toHaveCount(2);
  await expect(timeline.first()).toHaveAttribute('data-channel', 'offline');
  await expect(timeline.first()).toContainText('Offline form');
  await expect(timeline.last()).toContainText('Where is order 4711?');

  // Merge the call-back's contact in: search it in the dialog, see what moves, confirm.
  await page.getByTestId('contact-merge').click();
  const dialog = page.getByTestId('merge-dialog');
  await expect(dialog.getByTestId('merge-search')).toBeFocused();
  await page.keyboard.type('765 4321');
  const candidate = dialog.getByTestId('merge-candidate');
  await expect(candidate).toHaveCount(1);
  await candidate.locator('input[type=radio]').check();
  const preview = dialog.getByTestId('merge-preview');
  await expect(preview).toContainText('Laura B.');
  await expect(preview).toContainText('Call-back');
  await expect(preview).toContainText('+393337654321');
  await page.screenshot({ path: shotPath('contacts-merge-en-1366.png') });
  await dialog.getByTestId('merge-confirm').click();
  await expect(dialog).toHaveCount(0);
  const banner = page.getByTestId('merge-banner');
  await expect(banner).toContainText('conversations moved: 1');
  await expect(timeline).toHaveCount(3);
  await expect(page.getByTestId('identity-list')).toContainText('+393337654321');
  await page.screenshot({ path: shotPath('contacts-page-en-1366.png'), fullPage: true });

  await banner.getByTestId('merge-undo').click();
  await expect(banner).toHaveCount(0);
  await expect(timeline).toHaveCount(2);
  await expect(page.getByTestId('identity-list')).not.toContainText('+393337654321');

  // From a conversation: the panel shows the channels and opens the contact page.
  await timeline.last().click();
  await setContactPanel(page);
  const panel = page.getByTestId('contact-panel');
  await expect(panel.getByTestId('contact-channels')).toContainText('Offline form');
  await expect(panel.getByTestId('contact-channels')).toContainText('Chat');
  await page.screenshot({ path: shotPath('contacts-panel-en-1366.png') });
  await panel.getByTestId('contact-open-page').click();
  await expect(page.getByTestId('contact-page-name')).toHaveText('Laura Bianchi');
});

test('an identity another contact has is refused with the reason; the phone is normalised', async ({ page }) => {
  await consoleLogin(page, env.server.url, 'admin', '/console/contacts');
  await page.getByTestId('contacts-search').fill('marco');
  await expect(page.getByTestId('contact-row')).toHaveCount(1);
  await page.getByTestId('contact-open').click();
  await page.getByTestId('identity-value').fill('ilona@example.com');
  await page.getByTestId('identity-add').click();
  await expect(page.getByTestId('identity-error')).toContainText('belongs to contact');
  await page.locator('#identity-kind').selectOption('phone');
  await page.getByTestId('identity-value').fill('0039 02 555 0101');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('identity-list')).toContainText('+39025550101');
});

test('at 390 px in Italian the list and the contact page fit', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.addInitScript(() => localStorage.setItem('sb.console.lang', 'it'));
  await consoleLogin(page, env.server.url, 'anna', '/console/contacts');
  await expect(page.getByRole('heading', { name: 'Contatti' })).toBeVisible();
  await page.screenshot({ path: shotPath('contacts-list-it-390.png'), fullPage: true });
  await page.getByTestId('contacts-search').fill('laura@');
  await expect(page.getByTestId('contact-row')).toHaveCount(1);
  await page.getByTestId('contact-open').click();
  await expect(page.getByTestId('contact-page-name')).toHaveText('Laura Bianchi');
  await expect(page.getByText('Tutte le conversazioni')).toBeVisible();
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: shotPath('contacts-page-it-390.png'), fullPage: true });
});
