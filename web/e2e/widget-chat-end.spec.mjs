// Widget: the end of a chat — the closing screen (rating, "Start a new conversation",
// the transcript; no composer); after a reload "Your conversations" lists the ended
// chat (last message, date), and opening it shows its history read-only with the
// closing screen. English at 1366 px, Russian at 390 px.
import { test, expect } from './helpers.mjs';
import { serverForFile, startWidgetChat, shotPath } from './helpers.mjs';

const env = serverForFile();

async function chatOf(name) {
  const list = (await env.admin.call('/api/v1/conversations?view=all')).json.conversations;
  const c = list.find((x) => x.contact?.name === name);
  if (!c) throw new Error('no chat of ' + name);
  return c.id;
}

for (const [locale, width, name] of [['en-US', 1366, 'Giulia Bianchi'], ['ru-RU', 390, 'Ольга Смирнова']]) {
  test(`closing screen and past conversations (${locale}, ${width} px)`, async ({ browser }) => {
    const ru = locale === 'ru-RU';
    const ctx = await browser.newContext({ locale, viewport: { width, height: ru ? 780 : 800 } });
    const page = await ctx.newPage();
    const message = ru ? 'Где мой заказ?' : 'Where is my parcel?';
    await startWidgetChat(page, env.server.url, { name, email: `c.${width}@example.com`, message });
    const id = await chatOf(name);
    const anna = env.agent('anna');
    expect((await env.admin.call(`/api/v1/conversations/${id}/assign`, { method: 'POST', body: { agent_id: anna.id } })).status).toBe(200);
    expect((await env.admin.call(`/api/v1/conversations/${id}/close`, { method: 'POST' })).status).toBe(200);

    // The closing screen: no composer; "Start a new conversation" and the transcript, by keyboard.
    await expect(page.getByTestId('chat-end')).toBeVisible();
    await expect(page.getByTestId('composer')).toBeHidden();
    const fresh = page.getByTestId('new-chat');
    await expect(fresh).toHaveText(ru ? 'Начать новый разговор' : 'Start a new conversation');
    await expect(page.getByTestId('email-transcript')).toBeVisible();
    await fresh.focus();
    await expect(fresh).toBeFocused();
    await page.screenshot({ path: shotPath(`widget-end-${locale}-${width}.png`) });

    // After a reload: "Your conversations" with the ended chat.
    await page.reload();
    // (The panel was open: it opens again by itself.)
    await expect(page.getByTestId('panel')).toBeVisible();
    const past = page.getByTestId('past-conversations');
    await expect(past).toBeVisible();
    await expect(past.locator('h2')).toHaveText(ru ? 'Ваши разговоры' : 'Your conversations');
    const item = page.getByTestId('past-conversation');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-status', 'closed');
    await expect(item).toContainText(ru ? 'Завершён' : 'Ended');
    await expect(item.locator('time')).toHaveText(/\d{2}[:.]\d{2}/);
    await page.waitForTimeout(400); // the panel's opening transition
    await page.screenshot({ path: shotPath(`widget-past-${locale}-${width}.png`) });

    // Opened: its history, read-only, with the closing screen.
    await item.click();
    await expect(page.getByTestId('message').filter({ hasText: message })).toHaveCount(1);
    await expect(page.getByTestId('chat-end')).toBeVisible();
    await expect(page.getByTestId('composer')).toBeHidden();
    await page.screenshot({ path: shotPath(`widget-past-open-${locale}-${width}.png`) });

    // A new conversation (through the pre-chat form: the topic is asked each time), the old messages gone.
    await page.getByTestId('new-chat').press('Enter');
    await expect(page.getByTestId('composer').or(page.getByTestId('prechat-message'))).toBeVisible();
    await expect(page.getByTestId('message').filter({ hasText: message })).toHaveCount(0);
    await ctx.close();
  });
}
