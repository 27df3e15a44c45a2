// Knowledge base administration (CRUD, JSON/CSV import and export, bad input)
// and the public help center (pages, search, votes, contact form with
// deflection), against a real server with the demo shop's FAQ.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, loginAgent, initWorkspace, DEMO, uuid, until } from '../lib/server.mjs';

let server, admin, anna;
const post = (who, path, body) => who.call(path, { method: 'POST', body });
const put = (who, path, body) => who.call(path, { method: 'PUT', body });
const form = (fields) => new URLSearchParams(fields).toString();
const postForm = (path, fields, headers = {}) => request(server.url, path, {
  method: 'POST', raw: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});

before(async () => {
  server = await startServer();
  admin = await loginAgent(server.url, DEMO.admin);
  anna = await loginAgent(server.url, DEMO.anna);
});
after(async () => { await server.stop(); });

test('the demo knowledge base is there in five languages', async () => {
  const kb = (await anna.call('/api/v1/kb')).json;
  assert.equal(kb.help_center, '/help/demo');
  for (const lang of ['en', 'it', 'ru', 'hu', 'pl']) {
    assert.ok(kb.articles.filter((a) => a.language === lang).length >= 5, lang);
    assert.ok(kb.intents.filter((i) => i.language === lang).length >= 8, lang);
  }
});

test('admins write articles and intents; agents only read; bad input names the field', async () => {
  const article = { slug: 'gift-cards', language: 'en', category: 'payment', title: 'Gift cards',
    body: 'Gift cards are valid for **two years**.', keywords: ['voucher'] };
  assert.equal((await post(anna, '/api/v1/kb/articles', article)).status, 403);
  const created = await post(admin, '/api/v1/kb/articles', article);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.published, true);
  assert.equal((await post(admin, '/api/v1/kb/articles', article)).status, 409);  // slug + language taken
  const got = await anna.call(`/api/v1/kb/articles/${created.json.id}`);
  assert.match(got.json.html, /<strong>two years<\/strong>/);
  const updated = await put(admin, `/api/v1/kb/articles/${created.json.id}`, { ...article, title: 'Gift cards and vouchers' });
  assert.equal(updated.json.title, 'Gift cards and vouchers');

  for (const [body, field] of [
    [{ ...article, slug: 'Gift Cards!' }, 'article.slug'],
    [{ ...article, language: 'de' }, 'article.language'],
    [{ ...article, title: '' }, 'article.title'],
    [{ ...article, keywords: 'voucher' }, 'article.keywords'],
  ]) {
    const r = await post(admin, '/api/v1/kb/articles', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.json.error.message, new RegExp(field.replace('.', '\\.')));
  }
  const bad = await admin.call('/api/v1/kb/articles', { method: 'POST', raw: '{"slug":', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);

  const intent = await post(admin, '/api/v1/kb/intents', { name: 'gift.cards', language: 'en',
    question: 'Do you sell gift cards?', phrasings: ['gift voucher', 'can I buy a gift card'], answer: 'Yes, from €10.' });
  assert.equal(intent.status, 201, intent.text);
  assert.deepEqual(intent.json.phrasings, ['gift voucher', 'can I buy a gift card']);
  assert.equal((await put(admin, '/api/v1/kb/intents/999999', { ...intent.json })).status, 404);
  assert.equal((await admin.call('/api/v1/kb/intents/abc', { method: 'DELETE' })).status, 404);
  assert.equal((await admin.call(`/api/v1/kb/intents/${intent.json.id}`, { method: 'DELETE' })).status, 200);
  assert.equal((await admin.call(`/api/v1/kb/articles/${created.json.id}`, { method: 'DELETE' })).status, 200);
  assert.equal((await anna.call(`/api/v1/kb/articles/${created.json.id}`)).status, 404);
});

test('another workspace sees none of it, and cannot touch it', async () => {
  const email = `boss-${uuid().slice(0, 6)}@globex.test`;
  initWorkspace(server.dataDir, 'Globex', email, 'globex-pass-1');
  const boss = await loginAgent(server.url, { email, password: 'globex-pass-1' });
  const kb = (await boss.call('/api/v1/kb')).json;
  assert.equal(kb.articles.length, 0);
  assert.notEqual(kb.help_center, '/help/demo');
  const demoArticle = (await admin.call('/api/v1/kb')).json.articles[0];
  assert.equal((await boss.call(`/api/v1/kb/articles/${demoArticle.id}`)).status, 404);
  assert.equal((await boss.call(`/api/v1/kb/articles/${demoArticle.id}`, { method: 'DELETE' })).status, 404);
});

test('export and import round-trip as JSON and CSV; a bad row writes nothing', async () => {
  const exported = await admin.call('/api/v1/kb/export?format=json');
  assert.equal(exported.status, 200);
  assert.match(exported.headers.get('content-disposition'), /knowledge-base\.json/);
  const doc = exported.json;
  const before = doc.articles.length;
  const reimport = await post(admin, '/api/v1/kb/import', doc);
  assert.equal(reimport.status, 200, reimport.text);
  assert.equal(reimport.json.articles, before);
  assert.equal((await admin.call('/api/v1/kb')).json.articles.length, before);  // merge: nothing doubled

  const csv = await admin.call('/api/v1/kb/export?format=intents.csv');
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.ok(csv.text.startsWith('name,language,question,phrasings,answer,enabled'));

  const rows = 'name,language,question,phrasings,answer,enabled\r\n' +
    'loyalty.points,it,"Come funzionano i punti, e quanto valgono?","punti fedeltà | ""raccolta"" punti",' +
    '"Ogni euro vale 1 punto.\nCon 100 punti hai 5 € di sconto.",true\r\n';
  const imported = await admin.call('/api/v1/kb/import?table=intents', { method: 'POST', raw: rows, headers: { 'content-type': 'text/csv' } });
  assert.equal(imported.status, 200, imported.text);
  const loyalty = (await admin.call('/api/v1/kb')).json.intents.find((i) => i.name === 'loyalty.points');
  assert.equal(loyalty.question, 'Come funzionano i punti, e quanto valgono?');
  assert.deepEqual(loyalty.phrasings, ['punti fedeltà', '"raccolta" punti']);
  assert.equal(loyalty.answer, 'Ogni euro vale 1 punto.\nCon 100 punti hai 5 € di sconto.');

  const badRows = 'name,language,question,phrasings,answer\r\nok.one,en,Fine?,,Yes\r\nbad.two,xx,Bad?,,No\r\n';
  const refused = await admin.call('/api/v1/kb/import?table=intents', { method: 'POST', raw: badRows, headers: { 'content-type': 'text/csv' } });
  assert.equal(refused.status, 400);
  assert.match(refused.json.error.message, /row 3\.language/);
  assert.ok(!(await admin.call('/api/v1/kb')).json.intents.some((i) => i.name === 'ok.one'));
  const noTable = await admin.call('/api/v1/kb/import', { method: 'POST', raw: rows, headers: { 'content-type': 'text/csv' } });
  assert.equal(noTable.status, 400);
  assert.equal((await anna.call('/api/v1/kb/export')).status, 403);

  // replace: what the document does not name is deleted
  const replaced = await post(admin, '/api/v1/kb/import?mode=replace', doc);
  assert.equal(replaced.status, 200);
  assert.ok(!(await admin.call('/api/v1/kb')).json.intents.some((i) => i.name === 'loyalty.points'));
});

test('the help center lists, finds (word forms, typos) and shows articles, in the asked language', async () => {
  let r = await request(server.url, '/help/demo?lang=it');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(r.text, /<html lang="it"/);
  assert.match(r.text, /Resi/);
  r = await request(server.url, '/help/demo', { headers: { 'accept-language': 'pl-PL,pl;q=0.9,en;q=0.5' } });
  assert.match(r.text, /<html lang="pl"/);

  r = await request(server.url, '/help/demo/search?lang=it&q=' + encodeURIComponent('spedizone costi'));
  assert.match(r.text, /articles\/delivery-times-costs\?lang=it/);
  r = await request(server.url, '/help/demo/search?lang=pl&q=' + encodeURIComponent('zwroty pieniędzy'));
  assert.match(r.text, /articles\/refund-timing\?lang=pl/);
  r = await request(server.url, '/help/demo/search?lang=ru&q=' + encodeURIComponent('способы оплаты'));
  assert.match(r.text, /articles\/payment-methods\?lang=ru/);
  r = await request(server.url, '/help/demo/search?lang=en&q=' + encodeURIComponent('<img src=x onerror=alert(1)>'));
  assert.ok(!r.text.includes('<img src=x'));
  assert.match(r.text, /&lt;img src=x onerror=alert\(1\)&gt;/);

  r = await request(server.url, '/help/demo/articles/how-to-return?lang=hu');
  assert.equal(r.status, 200);
  assert.match(r.text, /<strong>/);  // Markdown rendered
  assert.match(r.text, /hreflang="it"/);  // the other translations
  assert.equal((await request(server.url, '/help/demo/articles/no-such-article')).status, 404);
  assert.equal((await request(server.url, '/help/no-such-workspace')).status, 404);
});

// The links of the search page's result list (not the header's or the hero's).
const results = (html) => [...(html.match(/<ul class="articles">([\s\S]*?)<\/ul>/)?.[1] ?? '')
  .matchAll(/href="\/help\/demo\/articles\/([a-z0-9-]+)\?/g)].map((m) => m[1]);

test('search ranks the closest article first and leaves out ones that share only a common word', async () => {
  const find = async (q, lang = 'en') =>
    results((await request(server.url, `/help/demo/search?lang=${lang}&q=` + encodeURIComponent(q))).text);
  const track = await find('track my order');
  assert.equal(track[0], 'track-order');
  assert.ok(track.length <= 3, `not every article that mentions an order: ${track}`);
  // The bot's tracking intent ("my package hasn't arrived") knows what the articles do not say.
  assert.equal((await find('parcel never arrived'))[0], 'track-order');
  assert.equal((await find('gdzie jest moja paczka', 'pl'))[0], 'track-order');
  assert.deepEqual(await find('how do I'), []);  // stop-words alone match nothing
});

test('the help center looks like the shop: brand colour, category cards, popular and related articles, chat', async () => {
  let r = await request(server.url, '/help/demo?lang=en');
  assert.match(r.text, /--brand:#[0-9a-fA-F]{3,6}/);
  assert.match(r.text, /class="hero"/);
  assert.match(r.text, /class="card" href="\/help\/demo\/categories\/delivery\?lang=en"><span class="icon"><svg/);
  assert.match(r.text, /Popular articles/);
  assert.match(r.text, /<script src="\/widget.js" data-inbox="demo" data-lang="en" async><\/script>/);
  assert.match(r.text, /data-open-chat/);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline'[^;]*script|script-src[^;]*unsafe/);
  assert.ok(!/<script>/.test(r.text), 'no inline script');
  const js = await request(server.url, '/help/demo/help.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);

  r = await request(server.url, '/help/demo/articles/track-order?lang=ru');
  assert.match(r.text, /<nav class="crumbs"[^>]*><ol><li><a href="\/help\/demo\?lang=ru">Центр помощи<\/a><\/li><li><a href="\/help\/demo\/categories\/delivery\?lang=ru">Доставка<\/a><\/li><li aria-current="page">Где моя посылка\?<\/li>/);
  assert.match(r.text, /Похожие статьи/);
  assert.match(r.text, /articles\/delivery-times-costs\?lang=ru/);  // same category
  assert.match(r.text, /<div class="choices">/);  // the vote buttons stay together
  assert.match((await request(server.url, '/help/demo?lang=it')).text, /Come possiamo aiutarLa\?/);
});

test('article text from admins cannot inject markup', async () => {
  const a = await post(admin, '/api/v1/kb/articles', { slug: 'xss-check', language: 'en', category: 'orders',
    title: 'Hello <script>alert(1)</script>', body: 'Hi <script>alert(2)</script> [click](javascript:alert(3)) <b onclick="x()">b</b>' });
  assert.equal(a.status, 201, a.text);
  const r = await request(server.url, '/help/demo/articles/xss-check?lang=en');
  assert.ok(!/<script>alert/.test(r.text), 'no script element');
  assert.ok(!r.text.includes('javascript:alert'), 'no script link');
  assert.ok(!r.text.includes('onclick'), 'no raw HTML');
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
  await admin.call(`/api/v1/kb/articles/${a.json.id}`, { method: 'DELETE' });
});

test('"was this helpful?" counts one vote per reader; a second vote replaces the first', async () => {
  const vote = (helpful, cookie) => fetch(server.url + '/help/demo/articles/payment-methods/vote', {
    method: 'POST', redirect: 'manual', body: form({ lang: 'en', helpful }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) } });
  // Reading the article gives the reader the cookie its vote form posts.
  const read = async () => (await fetch(server.url + '/help/demo/articles/payment-methods?lang=en'))
    .headers.get('set-cookie').split(';')[0];
  const reader = await read();
  assert.match(reader, /^sb_hc=[0-9a-f]{32}$/);
  const first = await vote('1', reader);
  assert.equal(first.status, 303);
  assert.match(first.headers.get('location'), /payment-methods\?lang=en&voted=1/);
  const count = async () => (await admin.call('/api/v1/kb')).json.articles
    .find((a) => a.slug === 'payment-methods' && a.language === 'en');
  assert.equal((await count()).helpful, 1);
  await vote('0', reader);  // same reader changes their mind
  assert.deepEqual([(await count()).helpful, (await count()).not_helpful], [0, 1]);
  await vote('1', await read());  // a new reader
  assert.deepEqual([(await count()).helpful, (await count()).not_helpful], [1, 1]);
  assert.equal((await vote('maybe', reader)).status, 400);
  const report = (await admin.call('/api/v1/reports/self-service')).json;
  assert.ok(report.articles.some((a) => a.slug === 'payment-methods' && a.not_helpful === 1));
});

test('the contact form suggests articles first, counts whether they helped, then files the ticket', async () => {
  const fields = { lang: 'en', name: 'Ola', email: 'ola@example.com', subject: 'Return',
    message: 'How do I return an item I bought last week?' };
  const invalid = await postForm('/help/demo/contact', { ...fields, email: 'not-an-email' });
  assert.equal(invalid.status, 400);
  assert.match(invalid.text, /valid e-mail/);
  assert.match(invalid.text, /How do I return an item I bought last week\?/);  // nothing typed is lost

  const step1 = await postForm('/help/demo/contact', fields);
  assert.equal(step1.status, 200);
  assert.match(step1.text, /These articles may answer your question/);
  assert.match(step1.text, /how-to-return/);
  const deflection = step1.text.match(/name="deflection" value="(\d+)"/)[1];
  const helped = await postForm('/help/demo/contact', { ...fields, deflection, outcome: 'helped' });
  assert.match(helped.text, /glad it helped/);
  assert.equal((await postForm('/help/demo/contact', { ...fields, deflection, outcome: 'continued' })).status, 409);

  const again = await postForm('/help/demo/contact', fields);
  const second = again.text.match(/name="deflection" value="(\d+)"/)[1];
  const filed = await postForm('/help/demo/contact', { ...fields, deflection: second, outcome: 'continued' });
  assert.equal(filed.status, 201);
  const tickets = (await admin.call('/api/v1/conversations?view=all')).json.conversations
    .filter((c) => c.kind === 'offline' && c.contact.email === 'ola@example.com');
  assert.equal(tickets.length, 1);
  assert.equal(tickets[0].meta.source, 'help_center');

  const report = (await admin.call('/api/v1/reports/self-service')).json;
  assert.equal(report.deflection.shown, 2);
  assert.equal(report.deflection.helped, 1);
  assert.equal(report.deflection.continued, 1);
  assert.equal(report.deflection.rate, 0.5);
  assert.equal((await anna.call('/api/v1/reports/self-service')).status, 403);
});

test('the widget suggests articles before a message is sent, and counts the answer', async () => {
  const ask = (body) => request(server.url, '/api/v1/widget/demo/suggestions', { method: 'POST', body });
  await until(async () => (await request(server.url, '/healthz')).json.language_detection === 'ready', 'langid', 60000);
  const before = (await admin.call('/api/v1/reports/self-service')).json.deflection;
  const r = await ask({ query: 'Jak mogę zwrócić produkt?', language: '' });  // language detected
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.ok(r.json.deflection_id > 0);
  assert.match(r.json.articles[0].url, /^\/help\/demo\/articles\/how-to-return\?lang=pl$/);
  const none = await ask({ query: 'zebra quantum', language: 'en' });
  assert.equal(none.json.deflection_id, null);  // nothing shown, nothing counted
  assert.deepEqual(none.json.articles, []);
  const outcome = (body, id = r.json.deflection_id) =>
    request(server.url, `/api/v1/widget/demo/suggestions/${id}`, { method: 'POST', body });
  assert.equal((await outcome({ outcome: 'maybe' })).status, 400);
  assert.equal((await outcome({ outcome: 'helped' })).status, 200);
  assert.equal((await outcome({ outcome: 'continued' })).status, 409);
  assert.equal((await outcome({ outcome: 'helped' }, 999999)).status, 404);
  assert.equal((await request(server.url, '/api/v1/widget/nope/suggestions', { method: 'POST', body: { query: 'x' } })).status, 404);
  const after = (await admin.call('/api/v1/reports/self-service')).json.deflection;
  assert.equal(after.shown, before.shown + 1);
  assert.equal(after.helped, before.helped + 1);
});

// After the report's counts above: this one counts a deflection too.
test('the contact form suggests the tracking article for a parcel that never arrived', async () => {
  const r = await postForm('/help/demo/contact', { lang: 'en', name: 'Jo', email: 'jo@example.com',
    subject: '', message: 'My parcel never arrived' });
  assert.equal(r.status, 200);
  assert.match(r.text, /These articles may answer your question/);
  assert.equal(results(r.text.replace('class="articles box"', 'class="articles"'))[0], 'track-order');
});
