// The web root serves its own files and nothing else, whatever the path looks like.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, symlinkSync, mkdtempSync, cpSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, rawRequest, initWorkspace, loginAgent, WEB_ROOT, DEMO } from '../lib/server.mjs';

let server, webRoot;
const passwd = readFileSync('/etc/passwd', 'latin1');
before(async () => {
  // A copy of the web root with symlinks planted in it, as a careless deploy might.
  webRoot = mkdtempSync(join(tmpdir(), 'sb-web-'));
  chmodSync(webRoot, 0o755);  // readable by the user the server drops to
  cpSync(WEB_ROOT, webRoot, { recursive: true });
  symlinkSync('/etc/passwd', join(webRoot, 'passwd.txt'));
  // A precompressed sibling that leads out of the root must not be sent either.
  rmSync(join(webRoot, 'widget.js.br'), { force: true });
  symlinkSync('/etc/passwd', join(webRoot, 'widget.js.br'));
  symlinkSync('/', join(webRoot, 'rootfs'));
  server = await startServer({ args: ['--web-root', webRoot] });
  symlinkSync(server.dataDir, join(webRoot, 'datadir'));
  writeFileSync(join(webRoot, '.env'), 'SECRET=1');
});
after(async () => {
  await server.stop();
  rmSync(webRoot, { recursive: true, force: true });
});

const attacks = () => [
  '//etc/passwd', '///etc/passwd', '//etc//passwd', '/.//etc/passwd',
  '/../../../../etc/passwd', '/console/../../../../../etc/passwd',
  '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
  '/.%2e/.%2e/.%2e/.%2e/etc/passwd', '/..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/%2fetc%2fpasswd', '/%2F%2Fetc%2Fpasswd', '/..\\..\\..\\..\\etc\\passwd', '/..%5c..%5c..%5cetc%5cpasswd',
  '/console/..%2f..%2f..%2f..%2f..%2fetc/passwd', '/widget.js%00/../../../../etc/passwd',
  '//proc/self/cwd/data/visitor-keys.json', `/${server.dataDir}/visitor-keys.json`, `/${server.dataDir}/secret.key`, `/${server.dataDir}/switchboard.db`,
  `//${server.dataDir}/switchboard.db`, '/passwd.txt', '/rootfs/etc/passwd', '/datadir/visitor-keys.json',
  '/datadir/switchboard.db', '/.env', '/%2eenv',
];

test('no path form reads a file outside the web root', async () => {
  const secret = JSON.parse(readFileSync(join(server.dataDir, 'visitor-keys.json'), 'latin1')).keys[0].secret;
  for (const target of attacks()) {
    for (const method of ['GET', 'HEAD']) {
      const r = await rawRequest(server.port, target, { method });
      assert.ok(r.status === 404 || r.status === 400, `${method} ${target} -> ${r.status}`);
      assert.ok(!r.body.includes('root:x:0:0'), `${target} leaked /etc/passwd`);
      assert.ok(!passwd || !r.body.includes(passwd.slice(0, 40)), `${target} leaked /etc/passwd`);
      assert.ok(!r.body.includes(secret), `${target} leaked the token key`);
      assert.ok(!r.body.includes('SQLite format 3'), `${target} leaked the database`);
    }
  }
});

test('the web root still serves its files, index pages and console routes', async () => {
  const widget = await rawRequest(server.port, '/widget.js');
  assert.equal(widget.status, 200);
  assert.match(widget.headers['content-type'], /^text\/javascript/);
  const console = await rawRequest(server.port, '/console/');
  assert.equal(console.status, 200);
  assert.match(console.body, /<html/i);
  const spa = await rawRequest(server.port, '/console/conversations/12');
  assert.equal(spa.status, 200);
  assert.match(spa.body, /<html/i);
  const doubled = await rawRequest(server.port, '//widget.js');
  assert.equal(doubled.status, 200, 'a doubled slash inside the root is harmless');
  assert.equal((await rawRequest(server.port, '/demo')).status, 200);
  assert.equal((await rawRequest(server.port, '/nope.js')).status, 404);
});

test('text files go precompressed, with validators and cache lifetimes; a planted sibling is refused', async () => {
  const html = readFileSync(join(webRoot, 'console/index.html'), 'utf8');
  const js = /src="(\/console\/console-[A-Z0-9]{8}\.js)"/.exec(html)[1];
  const br = await rawRequest(server.port, js, { headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['vary'], 'Accept-Encoding');
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.match(br.headers['content-type'], /^text\/javascript/);
  assert.equal(Number(br.headers['content-length']), readFileSync(join(webRoot, js + '.br')).length);
  const plain = await rawRequest(server.port, js);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.notEqual(plain.headers.etag, br.headers.etag);
  // Revalidation: the same tag is 304 with no body.
  const again = await rawRequest(server.port, js, { headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.etag } });
  assert.equal(again.status, 304);
  assert.equal(again.body, '');
  const page = await rawRequest(server.port, '/console/tickets', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(page.headers['cache-control'], 'no-cache');  // small: sent as it is
  assert.ok(page.headers['content-security-policy']);
  // widget.js.br leads to /etc/passwd: gzip is sent instead, never the planted file.
  const widget = await rawRequest(server.port, '/widget.js', { headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(widget.status, 200);
  assert.equal(widget.headers['content-encoding'], 'gzip');
  assert.ok(!widget.body.includes('root:'));
});

test('after the attacks the database is intact and a second writer works', async () => {
  // Opening switchboard.db by a second handle used to drop SQLite's POSIX locks,
  // so a later `init` deleted the live server's WAL.
  for (const t of attacks()) await rawRequest(server.port, t);
  const other = initWorkspace(server.dataDir, 'After Attack', 'boss@after.test', 'after-pass-1');
  assert.ok(other.workspace_id);
  const admin = await loginAgent(server.url, DEMO.admin);
  const me = await admin.call('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  await loginAgent(server.url, { email: 'boss@after.test', password: 'after-pass-1' });
});
