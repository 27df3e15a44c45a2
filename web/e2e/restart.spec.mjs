// A server restart (SIGTERM, then a new process on the same port and data):
// the widget and the console are told 1012 "service restart", reconnect on
// their own, and the conversation goes on with nothing lost or doubled.
import { test, expect } from './helpers.mjs';
import { startServer } from '../../tests/lib/server.mjs';
import {
  setup, teardown, agentAndVisitor, consoleLogin, startWidgetChat, widgetMessages, consoleMessages,
  widgetTranscript, consoleTranscript,
} from './helpers.mjs';

// Records each WebSocket's close code in the page, before any script of the page runs.
const recordCloses = () => {
  window.__closes = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('close', (e) => window.__closes.push(e.code));
    }
  };
};

let env;
test.afterEach(async ({}, testInfo) => teardown(env, testInfo));

test('after a restart the widget and the console reconnect and the chat goes on', async ({ browser }) => {
  env = await setup();
  const { agent, visitor, agentCtx, visitorCtx, close } = await agentAndVisitor(browser);
  await agentCtx.addInitScript(recordCloses);
  await visitorCtx.addInitScript(recordCloses);
  const url = env.server.url;

  await consoleLogin(agent, url, 'anna', '/console/mine');
  await startWidgetChat(visitor, url, { name: 'Márta Kovács', email: 'marta@example.com', message: 'Before the restart' });
  await agent.getByTestId('conversation-item').filter({ hasText: 'Márta Kovács' }).click();
  await expect(consoleMessages(agent).filter({ hasText: 'Before the restart' })).toHaveCount(1);

  const old = env.server;
  const exited = new Promise((resolve) => old.proc.once('exit', (code) => resolve(code)));
  old.proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  await expect.poll(() => visitor.evaluate(() => window.__closes)).toContain(1012);
  await expect.poll(() => agent.evaluate(() => window.__closes)).toContain(1012);

  env.server = await startServer({ dataDir: old.dataDir, port: old.port });
  await expect(visitor.getByTestId('reconnecting')).toBeHidden();
  await expect(agent.getByTestId('reconnecting')).toBeHidden();

  await visitor.getByTestId('composer').fill('After the restart');
  await visitor.getByTestId('composer').press('Enter');
  await expect(widgetMessages(visitor).filter({ hasText: 'After the restart' })).toHaveAttribute('data-seq', /^\d+$/);
  await expect(consoleMessages(agent).filter({ hasText: 'After the restart' })).toHaveCount(1);
  await agent.getByTestId('composer').fill('Welcome back');
  await agent.getByTestId('composer').press('Enter');
  await expect(widgetMessages(visitor).filter({ hasText: 'Welcome back' })).toHaveCount(1);

  const expected = ['Before the restart', 'After the restart', 'Welcome back'];
  await expect.poll(async () => (await widgetTranscript(visitor)).map((m) => m.body)).toEqual(expected);
  await expect.poll(async () => (await consoleTranscript(agent)).map((m) => m.body)).toEqual(expected);
  await close();
});
