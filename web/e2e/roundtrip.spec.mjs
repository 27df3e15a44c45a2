// Visitor ↔ agent round trip: pre-chat form, live list, contact panel, replies,
// typing indicators, attachments both ways, read receipts, closing.
import { test, expect } from './helpers.mjs';
import {
  serverForFile, agentAndVisitor, consoleLogin, startWidgetChat, widgetMessages, consoleMessages,
  makePng, makePdf, shotPath, setContactPanel,
} from './helpers.mjs';

const env = serverForFile();

test('visitor and agent chat end to end', async ({ browser }) => {
  const url = env.server.url;
  const { agent, visitor, close } = await agentAndVisitor(browser);

  // The agent is already watching her own list when the visitor writes.
  await consoleLogin(agent, url, 'anna');
  await agent.getByTestId('view-mine').click();
  await expect(agent.getByTestId('count-mine')).toHaveText('0');
  await expect(agent.getByTestId('conversation-item')).toHaveCount(0);

  const email = 'giulia.bianchi@example.com';
  const first = 'Hello, my parcel has not arrived yet.';
  await startWidgetChat(visitor, url, { name: 'Giulia Bianchi', email, topic: 'Orders and delivery', message: first });
  const visitorFirst = widgetMessages(visitor).filter({ hasText: first });
  await expect(visitorFirst.getByTestId('message-state')).toHaveAttribute('data-state', /^(sent|delivered)$/);

  // Routing gives it to Anna, the only agent online: it appears live (no reload) in her list.
  const item = agent.getByTestId('conversation-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Giulia Bianchi');
  await expect(item).toContainText(first);
  await expect(agent.getByTestId('count-mine')).toHaveText('1');
  await expect(agent.getByTestId('count-unassigned')).toHaveText('0');
  await item.click();
  await expect(agent).toHaveURL(/\/console\/mine\/\d+$/);

  // Contact panel (closed below 1440 px until opened): name, e-mail, page URL.
  await setContactPanel(agent);
  const panel = agent.getByTestId('contact-panel');
  await expect(panel.getByTestId('contact-name')).toHaveText('Giulia Bianchi');
  await expect(panel.getByTestId('contact-email')).toHaveText(email);
  // The page the chat started on (the widget also reports the current page: the same one here).
  await expect(panel.getByTestId('contact-started-on').locator(`a[title="${url}/demo/"]`)).toHaveText(`${new URL(url).host}/demo/`);
  await expect(consoleMessages(agent).filter({ hasText: first })).toHaveCount(1);

  // The agent has it open: the visitor's message reaches "read".
  await expect(visitorFirst.getByTestId('message-state')).toHaveAttribute('data-state', 'read');

  // Agent typing → the visitor sees the indicator; the reply clears it.
  const composer = agent.getByTestId('composer');
  const reply = 'Hi Giulia, I am checking with the courier right now.';
  await composer.pressSequentially('Hi Giulia', { delay: 20 });
  await expect(visitor.getByTestId('typing')).toBeVisible();
  await expect(visitor.getByTestId('typing')).toContainText('Anna Rossi');
  await composer.fill(reply);
  await agent.getByTestId('send-button').click();
  const visitorReply = widgetMessages(visitor).filter({ hasText: reply });
  await expect(visitorReply).toHaveCount(1);
  await expect(visitorReply.locator('time')).toHaveText(/^\d{1,2}:\d{2}/);
  await expect(visitorReply.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(visitor.getByTestId('typing')).toBeHidden();
  const agentReply = consoleMessages(agent).filter({ hasText: reply });
  await expect(agentReply).toHaveAttribute('data-seq', /^\d+$/);
  // The visitor has the panel open on the conversation: the agent sees "read".
  await expect(agentReply.getByTestId('message-state')).toHaveAttribute('data-state', 'read');

  // Visitor typing → the agent sees the indicator; the message clears it.
  const vComposer = visitor.getByTestId('composer');
  await vComposer.pressSequentially('Thank', { delay: 20 });
  await expect(agent.getByTestId('typing')).toBeVisible();
  await expect(agent.getByTestId('typing')).toContainText('Giulia Bianchi');
  await vComposer.pressSequentially(' you!', { delay: 10 });
  await visitor.getByTestId('send').click();
  await expect(consoleMessages(agent).filter({ hasText: 'Thank you!' })).toHaveCount(1);
  await expect(agent.getByTestId('typing')).toHaveCount(0);

  // Visitor attaches an image → the agent sees a preview that actually loads.
  const png = makePng(40, 30, [220, 38, 38]);
  await visitor.getByTestId('attach-input').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png });
  await expect(widgetMessages(visitor).locator('img[alt="receipt.png"]')).toHaveCount(1);
  const agentImg = consoleMessages(agent).locator('img[alt="receipt.png"]');
  await expect(agentImg).toBeVisible();
  await expect.poll(() => agentImg.evaluate((img) => img.complete && img.naturalWidth)).toBe(40);
  const imgResp = await agent.request.get(new URL(await agentImg.getAttribute('src'), url).href);
  expect(imgResp.status()).toBe(200);
  expect(Buffer.compare(await imgResp.body(), png)).toBe(0);

  await visitor.screenshot({ path: shotPath('widget-mid-chat.png') });

  // Agent attaches a PDF → the visitor gets a download link to the same bytes.
  const pdf = makePdf('Return label');
  await agent.getByTestId('attach-input').setInputFiles({ name: 'return-label.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(agent.getByTestId('send-button')).toBeEnabled();
  await agent.getByTestId('send-button').click();
  const link = widgetMessages(visitor).locator('a[download="return-label.pdf"]');
  await expect(link).toBeVisible();
  await expect(link).toContainText('return-label.pdf');
  const href = await link.getAttribute('href');
  expect(href).toMatch(/\/api\/v1\/attachments\/[0-9a-f]+\?visitor_token=/);
  const pdfResp = await visitor.request.get(href);
  expect(pdfResp.status()).toBe(200);
  expect(pdfResp.headers()['content-type']).toContain('application/pdf');
  expect(Buffer.compare(await pdfResp.body(), pdf)).toBe(0);

  await agent.screenshot({ path: shotPath('console-conversation.png') });

  // Every visitor message ends up "read" (the agent has the conversation open).
  const states = widgetMessages(visitor).getByTestId('message-state');
  await expect(states).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(states.nth(i)).toHaveAttribute('data-state', 'read');

  // Agent closes the conversation: both sides see it.
  await agent.getByTestId('close-conversation').click();
  await expect(agent.getByTestId('reopen-conversation')).toBeVisible();
  await expect(agent.locator('.conv-closed-banner')).toBeVisible();
  await expect(visitor.getByTestId('system-message').filter({ hasText: 'Conversation closed' })).toHaveCount(1);
  await expect(agent.getByTestId('count-unassigned')).toHaveText('0');
  const res = await env.admin.call('/api/v1/conversations?view=all&status=closed');
  expect(res.json.conversations.map((c) => c.contact.email)).toEqual([email]);

  await close();
});
