// The real mail servers of tests/mail/mailservers.sh (Dovecot IMAP/LMTP/submission
// and OpenSMTPD on free loopback ports in a temporary directory) for node API and
// browser tests. startMailServers() returns the script's JSON plus dir and stop().
import { execFileSync } from 'node:child_process';
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
