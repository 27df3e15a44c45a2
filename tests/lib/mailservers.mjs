// The real mail servers of tests/mail/mailservers.sh (Dovecot IMAP/LMTP/submission
// and OpenSMTPD on free loopback ports in a temporary directory) for node API and
// browser tests. startMailServers() returns the script's JSON plus dir and stop().
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'mail', 'mailservers.sh');

export function startMailServers({ idle = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-mail-'));
  let out;
  try {
    out = execFileSync(SCRIPT, ['start', dir, ...(idle ? [] : ['--no-idle'])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error('the mail servers did not start:\n' + (e.stderr || e.message));
  }
  const servers = JSON.parse(out);
  servers.dir = dir;
  servers.stop = () => {
    execFileSync(SCRIPT, ['stop', dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  return servers;
}

// Hands a raw mail to an SMTP (or, lmtp = true, LMTP) server on loopback, as a
// customer's mail program or the mail system would; resolves when it is accepted.
export function deliverMail(port, from, rcpts, raw, { lmtp = false } = {}) {
  const crlf = raw.replace(/\r?\n/g, '\r\n');
  const data = crlf.replace(/^\./gm, '..') + (crlf.endsWith('\r\n') ? '' : '\r\n') + '.\r\n';
  const steps = [`${lmtp ? 'LHLO' : 'EHLO'} test.example`, `MAIL FROM:<${from}>`, ...[].concat(rcpts).map((r) => `RCPT TO:<${r}>`), 'DATA', data, 'QUIT'];
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    let step = -1; // the greeting first
    const fail = (why) => {
      sock.destroy();
      reject(new Error(why));
    };
    sock.setTimeout(10000, () => fail('mail server timeout'));
    sock.on('error', (e) => reject(e));
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      // A reply is complete at a line "NNN text" (not "NNN-text").
      let m;
      while ((m = buf.match(/^(\d{3}) [^\r\n]*\r?\n/m))) {
        const end = buf.indexOf(m[0]) + m[0].length;
        const code = Number(m[1]);
        buf = buf.slice(end);
        if (code >= 400) return fail(`mail refused at "${steps[step] ?? 'greeting'}": ${m[0].trim()}`);
        step++;
        if (step >= steps.length) return;
        if (steps[step - 1] === 'QUIT') return;
        sock.write(steps[step].endsWith('\r\n') ? steps[step] : steps[step] + '\r\n');
        if (steps[step] === 'QUIT') {
          sock.end();
          resolve();
        }
      }
    });
  });
}
