// Reconnect: the visitor goes offline mid-conversation while both sides keep
// writing; after reconnecting (and after navigating to another page) both
// transcripts are identical, in the same order, with no duplicates.
import { test, expect } from './helpers.mjs';
import {
  serverForFile, agentAndVisitor, consoleLogin, startWidgetChat, widgetMessages, consoleMessages,
  widgetTranscript, consoleTranscript,
} from './helpers.mjs';

const env = serverForFile();

/** Sends a message from the console and waits until the server stored it. */
async function agentSays(agent, body) {
  await agent.getByTestId('composer').fill(body);
  await agent.getByTestId('composer').press('Enter');
  await expect(consoleMessages(agent).filter({ hasText: body })).toHaveAttribute('data-seq', /^\d+$/);
}

async function visitorSays(visitor, body) {
  await visitor.getByTestId('composer').fill(body);
  await visitor.getByTestId('composer').press('Enter');
}

/** Both sides settled (nothing pending) and showing exactly `expected`, in order, once each. */
async function expectSameTranscripts(visitor, agent, expected) {
  // Polled, so a failure shows the transcript as it was last seen.
  const shown = async (read) => (await read).map((m) => (m.pending ? 'PENDING ' : '') + m.body + ' #' + m.seq);
  await expect.poll(async () => (await shown(widgetTranscript(visitor))).map((x) => x.replace(/ #.*$/, ''))).toEqual(expected);
  await expect.poll(async () => (await shown(consoleTranscript(agent))).map((x) => x.replace(/ #.*$/, ''))).toEqual(expected);
  const w = await widgetTranscript(visitor);
  const c = await consoleTranscript(agent);
  expect(w.map((m) => m.body)).toEqual(expected);
  expect(c.map((m) => m.body)).toEqual(expected);
  expect(w.map((m) => m.seq)).toEqual(c.map((m) => m.seq));
  const seqs = w.map((m) => Number(m.seq));
  expect(seqs.every((s) => Number.isInteger(s) && s > 0)).toBe(true);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  expect(new Set(expected).size).toBe(expected.length);
}

test('messages written while the visitor is offline are delivered once, in order', async ({ browser }) => {
  const url = env.server.url;
  const { agent, visitor, visitorCtx, close } = await agentAndVisitor(browser);

  await consoleLogin(agent, url, 'anna', '/console/mine');
  const opening = 'Is the linen throw machine washable?';
  await startWidgetChat(visitor, url, { name: 'Piotr Zielinski', email: 'piotr@example.com', topic: 'Product question', message: opening });
  await agent.getByTestId('conversation-item').filter({ hasText: 'Piotr Zielinski' }).click();
  await agentSays(agent, 'Yes, at 40 degrees.');
  await expect(widgetMessages(visitor).filter({ hasText: 'Yes, at 40 degrees.' })).toHaveCount(1);

  // --- offline: the agent writes 3 messages, the visitor 2 -------------------------------
  await visitorCtx.setOffline(true);
  await expect(visitor.getByTestId('reconnecting')).toBeVisible();
  const fromAgent = ['Agent while offline 1', 'Agent while offline 2', 'Agent while offline 3'];
  for (const m of fromAgent) await agentSays(agent, m);
  const fromVisitor = ['Visitor while offline A', 'Visitor while offline B'];
  for (const m of fromVisitor) await visitorSays(visitor, m);
  for (const m of fromVisitor) {
    const bubble = widgetMessages(visitor).filter({ hasText: m });
    await expect(bubble.getByTestId('message-state')).toHaveAttribute('data-state', 'sending');
  }
  await visitor.waitForTimeout(2500); // some time offline, through a few reconnect attempts
  await expect(widgetMessages(visitor).filter({ hasText: 'Agent while offline' })).toHaveCount(0);
  await expect(consoleMessages(agent).filter({ hasText: 'Visitor while offline' })).toHaveCount(0);
  await expect(widgetMessages(visitor).getByTestId('message-state').and(visitor.locator('[data-state="sending"]'))).toHaveCount(2);

  await visitorCtx.setOffline(false);
  await expect(visitor.getByTestId('reconnecting')).toBeHidden();
  const expected = [opening, 'Yes, at 40 degrees.', ...fromAgent, ...fromVisitor];
  await expectSameTranscripts(visitor, agent, expected);

  // --- offline again, then the visitor moves to another page of the shop ----------------
  await visitorCtx.setOffline(true);
  await expect(visitor.getByTestId('reconnecting')).toBeVisible();
  await visitorSays(visitor, 'Visitor before navigating');
  await expect(widgetMessages(visitor).filter({ hasText: 'Visitor before navigating' }).getByTestId('message-state'))
    .toHaveAttribute('data-state', 'sending');
  await agentSays(agent, 'Agent while the visitor navigates');
  await visitorCtx.setOffline(false);
  await visitor.goto(url + '/demo/product.html');
  // The panel stays open across pages, the conversation is restored and the queued
  // message is delivered (re-sent with its client id if the first try was cut off).
  await expect(visitor.getByTestId('panel')).toBeVisible();
  await expect(widgetMessages(visitor).filter({ hasText: 'Visitor before navigating' })).toHaveAttribute('data-seq', /^\d+$/);
  await agentSays(agent, 'Agent after the navigation');
  expected.push('Agent while the visitor navigates', 'Visitor before navigating', 'Agent after the navigation');
  await expectSameTranscripts(visitor, agent, expected);

  await close();
});
