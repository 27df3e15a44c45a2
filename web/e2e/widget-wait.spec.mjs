// Widget: the wait estimate (the config's estimated_wait_s) in offer mode too — while
// the chat is being offered to agents the greeting keeps it; it goes once an agent joins.
import { test, expect } from './helpers.mjs';
import { setup, teardown, startWidgetChat, shotPath } from './helpers.mjs';

let env;
test.afterEach(async ({}, testInfo) => {
  await teardown(env, testInfo);
  env = undefined;
});

for (const [locale, width, name] of [['en-US', 1366, 'Giulia Bianchi'], ['ru-RU', 390, 'Ольга Смирнова']]) {
  test(`offer mode: the estimate shows until an agent joins (${locale}, ${width} px)`, async ({ browser }) => {
    env = await setup({ routing: { mode: 'offer', offer_timeout_s: 90 }, online: ['anna'] });
    const ru = locale === 'ru-RU';
    const cfg = await (await fetch(env.server.url + '/api/v1/widget/demo/config')).json();
    expect(typeof cfg.estimated_wait_s).toBe('number');
    const ctx = await browser.newContext({ locale, viewport: { width, height: ru ? 780 : 800 } });
    const page = await ctx.newPage();
    await startWidgetChat(page, env.server.url, { name, email: `w.${width}@example.com`, message: ru ? 'Есть кто-нибудь?' : 'Is anyone there?' });
    const est = page.getByTestId('panel').locator('.ms .hi .mut');
    const text = ru ? /^Примерное время ожидания: / : /^Estimated wait: (about \d+ min|less than a minute)$/;
    await page.waitForTimeout(1500); // the queue's answer (null while offered) is in
    await expect(est).toBeVisible();
    await expect(est).toHaveText(text);
    await page.screenshot({ path: shotPath(`widget-wait-offer-${locale}-${width}.png`) });

    // Anna takes it: the estimate goes.
    const list = (await env.admin.call('/api/v1/conversations?view=all')).json.conversations;
    const id = list.find((x) => x.contact?.name === name).id;
    expect((await env.admin.call(`/api/v1/conversations/${id}/assign`, { method: 'POST', body: { agent_id: env.agent('anna').id } })).status).toBe(200);
    await expect(page.getByTestId('system-message').first()).toBeVisible();
    await expect(est).toBeHidden();
    await ctx.close();
  });
}
