// The knowledge-base article editor: errors at their field (aria-invalid, the message under
// it, the first one scrolled to and focused), in the console's language, also for the
// server's 400 about a field; the Markdown toolbar (bold, italic, link, list, heading) and
// the live preview beside the text (stacked on phones). Screenshots at 1366×768 (English)
// and 390 px (Hungarian).
import { test, expect } from './helpers.mjs';
import { serverForFile, consoleLogin, shotPath } from './helpers.mjs';

const env = serverForFile({ online: [] });

test('field errors, the toolbar and the side-by-side preview', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await consoleLogin(page, env.server.url, 'admin', '/console/settings/kb');
  await page.getByTestId('kb-tab-articles').click();
  await page.getByTestId('kb-new').click();
  const form = page.getByTestId('kb-article-form');
  await expect(form).toBeVisible();

  // Saved empty: each field says what it needs; the first (title) has the focus.
  await form.getByTestId('kb-save').click();
  await expect(form.getByTestId('kb-article-title-error')).toHaveText('Enter a title.');
  await expect(form.getByTestId('kb-article-slug-error')).toContainText('lower-case letters');
  await expect(form.getByTestId('kb-article-body-error')).toHaveText('Write the article’s text.');
  await expect(form.getByTestId('kb-article-title')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('kb-article-title')).toHaveAttribute('aria-describedby', 'kb-article-title-error');
  await expect(form.getByTestId('kb-article-title')).toBeFocused();
  await expect(form.getByTestId('kb-error')).toHaveCount(0);

  await form.getByTestId('kb-article-title').fill('Parcel 2231: where is it?');
  await expect(form.getByTestId('kb-article-title-error')).toHaveCount(0);
  await form.getByTestId('kb-article-slug').fill('Where Is My Parcel');
  await form.getByTestId('kb-save').click();
  await expect(form.getByTestId('kb-article-slug')).toBeFocused();
  await expect(form.getByTestId('kb-article-slug')).toBeInViewport();
  await form.getByTestId('kb-article-slug').fill('parcel-2231-where');

  // The toolbar: a heading, bold on a selection, a list, a link; the preview follows.
  const body = form.getByTestId('kb-article-body');
  await body.fill('Tracking');
  await body.selectText();
  await form.getByTestId('kb-md-heading').click();
  await expect(body).toHaveValue('## Tracking');
  await body.press('End');
  await body.pressSequentially('\nYour parcel ships within ');
  await form.getByTestId('kb-md-bold').click();
  await expect(body).toHaveValue('## Tracking\nYour parcel ships within **bold text**');
  await body.pressSequentially('two days');
  await body.press('End');
  await body.pressSequentially('.\n\nCheck the status');
  await form.getByTestId('kb-md-list').click();
  await body.press('End');
  await body.pressSequentially('\n- Ask us in the chat');
  const preview = form.getByTestId('kb-live-preview');
  await expect(preview.locator('h3')).toHaveText('Tracking');
  await expect(preview.locator('strong')).toHaveText('two days');
  await expect(preview.locator('li')).toHaveText(['Check the status', 'Ask us in the chat']);
  // Side by side at 1366: the preview to the right of the text.
  const bb = await body.boundingBox();
  const pb = await preview.boundingBox();
  expect(pb.x).toBeGreaterThan(bb.x + bb.width - 1);
  // Typed HTML is shown as text, never run.
  await body.press('End');
  await body.pressSequentially('\n\n<img src=x onerror="window.__xss=1">');
  await expect(preview).toContainText('<img src=x');
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('console-kb-editor-1366.png') });

  // An address another article has (the server's 409) is said at the slug field.
  await form.getByTestId('kb-article-slug').fill('track-order');
  await form.getByTestId('kb-save').click();
  await expect(form.getByTestId('kb-article-slug-error')).toHaveText('Another article in this language already has this address: choose another.');
  await expect(form.getByTestId('kb-article-slug')).toBeFocused();
  await expect(form.getByTestId('kb-error')).toHaveCount(0);
  await form.getByTestId('kb-article-slug').fill('parcel-2231-where');

  await form.getByTestId('kb-save').click();
  // Saved: the editor stays open on the saved article, with nothing marked.
  await expect(form.getByRole('heading', { name: 'Edit article' })).toBeVisible();
  await expect(form.locator('[aria-invalid="true"]')).toHaveCount(0);
  await expect(page.getByTestId('kb-article-row').filter({ hasText: 'Parcel 2231: where is it?' })).toHaveCount(1);
});

test('Hungarian at 390 px: the errors in Hungarian, the preview under the text', async ({ browser }) => {
  const page = await (await browser.newContext({ locale: 'hu-HU', viewport: { width: 390, height: 844 } })).newPage();
  await consoleLogin(page, env.server.url, 'admin', '/console/settings/kb');
  await page.getByTestId('kb-tab-articles').click();
  await page.getByTestId('kb-new').click();
  const form = page.getByTestId('kb-article-form');
  await form.getByTestId('kb-article-title').fill('Szállítás');
  await form.getByTestId('kb-article-slug').fill('szallitas');
  await form.getByTestId('kb-save').click();
  await expect(form.getByTestId('kb-article-body-error')).toHaveText('Írja meg a cikk szövegét.');
  await expect(form.getByTestId('kb-article-body')).toBeFocused();
  await expect(form.getByTestId('kb-article-body')).toBeInViewport();
  await form.getByTestId('kb-article-body').fill('## Határidő\n\nA csomagot **két napon belül** feladjuk.');
  const preview = form.getByTestId('kb-live-preview');
  await expect(preview.locator('strong')).toHaveText('két napon belül');
  const bb = await form.getByTestId('kb-article-body').boundingBox();
  const pb = await preview.boundingBox();
  expect(pb.y).toBeGreaterThan(bb.y + bb.height - 1);
  await form.getByTestId('kb-md-toolbar').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shotPath('console-kb-editor-390-hu.png') });
});
