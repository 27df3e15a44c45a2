// `switchboard email-parse FILE|-`: a mail read as the e-mail channel reads it, as JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, openSync, ftruncateSync, closeSync, existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from '../lib/server.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mail');

function run(args, input) {
  const r = spawnSync(BIN, ['email-parse', ...args], { input, maxBuffer: 64 << 20 });
  const out = r.stdout.toString();
  return { code: r.status, json: out ? JSON.parse(out) : null, stderr: r.stderr.toString() };
}
const parse = (name) => run([join(fixtures, name)]);

test('a Gmail reply: the whole shape, threading ids, plain text preferred, HTML sanitised', () => {
  const { code, json } = parse('gmail-reply.eml');
  assert.equal(code, 0);
  assert.deepEqual(Object.keys(json).sort(), ['attachments', 'auto_reply', 'bounce', 'broken', 'cc', 'date',
    'from', 'html', 'in_reply_to', 'message_id', 'references', 'subject', 'text', 'to']);
  assert.equal(json.subject, 'Re: [#1043] Cannot log in');
  assert.deepEqual(json.from, { name: 'Anna Kowalska', address: 'anna.kowalska@gmail.com' });
  assert.deepEqual(json.to, [{ name: 'Switchboard Support', address: 'support@example.com' }]);
  assert.deepEqual(json.cc, []);
  assert.equal(json.date, '2024-03-05T09:02:41Z');
  assert.equal(json.message_id, 'CAFk3xYz0Qm=9Jw+fA@mail.gmail.com');
  assert.equal(json.in_reply_to, 'reply-1043-1@example.com');
  assert.deepEqual(json.references, ['ticket-1043@example.com', 'reply-1043-1@example.com']);
  assert.match(json.text, /^Thanks, that worked!/);
  assert.match(json.html, /rel="noopener noreferrer"/);
  assert.equal(json.auto_reply, false);
  assert.equal(json.bounce, false);
  assert.equal(json.broken, false);
});

test('charsets: KOI8-R, GB2312, and an ISO-8859-1 label on UTF-8 bytes', () => {
  assert.equal(parse('russian-koi8r.eml').json.subject, 'Заказ не доставлен');
  const zh = parse('chinese-gb2312.eml').json;
  assert.equal(zh.subject, '订单没有收到');
  assert.match(zh.text, /我的订单还没有收到/);
  assert.match(parse('italian-mislabelled.eml').json.text, /perché la mia fattura è così alta/);
});

test('attachments: RFC 2231 names, cid images, winmail.dat', () => {
  const pdf = parse('rfc2231-filename.eml').json.attachments;
  assert.deepEqual(pdf, [{ filename: 'Rechnung_März_2024_Überweisung_Kundennummer_4711_sehr_langer_Dateiname_für_Tests.pdf',
    content_type: 'application/pdf', size: 27, inline: false, content_id: '' }]);
  const cid = parse('cid-inline-image.eml').json;
  assert.equal(cid.attachments[0].inline, true);
  assert.equal(cid.attachments[0].content_id, 'screenshot.png@01DA7');
  assert.match(cid.html, /src="cid:screenshot.png@01DA7"/);
  assert.equal(parse('winmail-dat.eml').json.attachments[0].content_type, 'application/ms-tnef');
});

test('bounces, auto-replies and newsletters', () => {
  const dsn = parse('dsn-bounce.eml').json;
  assert.equal(dsn.bounce, true);
  assert.deepEqual(dsn.bounce_info.recipient, 'nobody@customer.example');
  assert.equal(dsn.bounce_info.status, '5.1.1');
  assert.equal(dsn.bounce_info.original_message_id, 'reply-1050-2@example.com');
  assert.equal(parse('bounce-plain.eml').json.bounce, true);
  assert.equal(parse('out-of-office-it.eml').json.auto_reply, true);
  const news = parse('newsletter-html-only.eml').json;
  assert.equal(news.auto_reply, false);
  assert.match(news.text, /Everything 50% off this week/);
  assert.doesNotMatch(news.html, /<script|onclick| src=/);
  assert.match(news.html, /data-src="https:\/\/deals.example\/open.gif\?u=abc"/);
});

test('broken MIME is read, not refused', () => {
  const { code, json } = parse('broken-multipart.eml');
  assert.equal(code, 0);
  assert.equal(json.broken, true);
  assert.equal(json.text, 'I cannot open the app since the update. Please help.');
});

test('stdin with -', () => {
  const { code, json } = run(['-'], readFileSync(join(fixtures, 'outlook-reply.eml')));
  assert.equal(code, 0);
  assert.equal(json.subject, 'RE: [#1042] Double charge');
});

test('exit 2 with an error for what is not a mail, cannot be read, or is too big', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-email-parse-'));
  try {
    const empty = join(dir, 'empty.eml');
    writeFileSync(empty, '');
    const big = join(dir, 'big.eml');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024 + 1);
    closeSync(fd);
    for (const args of [[empty], [join(fixtures, 'not-a-mail.jpg')], [join(dir, 'missing.eml')], [big], [dir]]) {
      const { code, json } = run(args);
      assert.equal(code, 2, args[0]);
      assert.equal(typeof json.error, 'string', args[0]);
      assert.ok(json.error.length > 0);
    }
    const junk = run(['-'], Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 10, 10, 65]));
    assert.equal(junk.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Under a memory limit (as a service with MemoryMax runs): mail built to blow up a
// MIME tree — 25 MB of empty parts, of header fields, of addresses in one Cc — is
// read in bounded memory, not aborted by the allocator (exit 134).
test('huge MIME structures are read within 600 MB of address space (the cap: release build only)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-email-parse-'));
  try {
    const parts = 'From: a@example.com\nSubject: parts\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nfirst\n' +
      '--b\nContent-Type: text/plain\n\nx\n'.repeat(800_000) + '--b--\n';
    const fields = 'From: a@example.com\nSubject: fields\n' + Array.from({ length: 1_500_000 }, (_, i) => `X-H${i}: v\n`).join('') + '\nbody\n';
    const cc = 'From: a@example.com\nCc: ' + Array.from({ length: 1_300_000 }, (_, i) => `u${i}@x.example`).join(', ') + '\nSubject: cc\n\nbody\n';
    for (const [name, raw, subject] of [['parts.eml', parts, 'parts'], ['fields.eml', fields, 'fields'], ['cc.eml', cc, 'cc']]) {
      const file = join(dir, name);
      writeFileSync(file, raw);
      // The cap is checked on the release build: ASan's shadow memory alone is
      // terabytes of address space, so under it the mails are only read.
      const cap = process.env.SB_SANITIZED ? '' : 'ulimit -v 600000 && ';
      const r = spawnSync('sh', ['-c', `${cap}exec "$0" email-parse "$1"`, BIN, file], { maxBuffer: 64 << 20 });
      assert.equal(r.status, 0, `${name}: exit ${r.status ?? r.signal} ${r.stderr.toString().slice(0, 300)}`);
      const json = JSON.parse(r.stdout.toString());
      assert.equal(json.subject, subject, name);
      assert.equal(json.broken, true, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Real mail from mailing lists (notmuch's corpora, beside the repository): every
// one gives exit 0 with a mail, or 2 with an error, and one JSON object, in time.
const corpus = process.env.SB_NOTMUCH_DIR || join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data', 'email', 'notmuch');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.startsWith('COPYING') || name.startsWith('README') ? [] : [path];
  });
}

function runAsync(file) {
  return new Promise((resolve) => {
    const child = spawn(BIN, ['email-parse', file]);
    const out = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d) => out.push(d));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ file, code, signal, out: Buffer.concat(out).toString() });
    });
  });
}

test('every mail of the real corpus: exit 0 or 2 and one JSON object', { skip: !existsSync(corpus) && `no corpus at ${corpus} (set SB_NOTMUCH_DIR)` }, async () => {
  const all = files(corpus);
  assert.ok(all.length > 300, `${all.length} mails`);
  const results = [];
  for (let i = 0; i < all.length; i += 4) results.push(...(await Promise.all(all.slice(i, i + 4).map(runAsync))));
  for (const r of results) {
    assert.ok(r.code === 0 || r.code === 2, `${r.file}: exit ${r.code} ${r.signal ?? ''}`);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.file);
    const json = JSON.parse(lines[0]);
    if (r.code === 2) assert.equal(typeof json.error, 'string', r.file);
    else assert.equal(typeof json.subject, 'string', r.file);
  }
  assert.ok(results.filter((r) => r.code === 0).length > 300);
});
