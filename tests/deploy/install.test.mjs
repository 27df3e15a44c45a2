// deploy/install.sh, staged into a temporary root (--root): what it installs,
// that it says so, and that a second run changes nothing and keeps the
// administrator's settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, WEB_ROOT } from '../lib/server.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const install = (root, ...args) => {
  const r = spawnSync('bash', [join(repo, 'deploy/install.sh'), '--root', root, '--binary', BIN, '--web', WEB_ROOT, ...args],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
};
const line = (out, verb, what) => new RegExp(`^${verb} +${what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm');

test('install.sh installs everything once, says what it did, and is idempotent', () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-install-'));
  try {
    const asRoot = process.getuid() === 0;
    if (asRoot) {  // useradd --prefix works on the staged /etc
      mkdirSync(join(root, 'etc'), { recursive: true });
      for (const f of ['passwd', 'group', 'shadow', 'gshadow']) copyFileSync(join('/etc', f), join(root, 'etc', f));
    }
    const first = install(root, '--nginx', 'help.acme.example');
    for (const path of ['/usr/local/bin/switchboard', '/usr/local/share/switchboard/web/',
      '/usr/local/share/doc/switchboard/DEPLOY.md', '/etc/switchboard/switchboard.env',
      '/etc/systemd/system/switchboard.service', '/etc/nginx/snippets/switchboard-proxy.conf',
      '/etc/nginx/sites-available/switchboard'])
      assert.match(first, line(first, 'installed', root + path), path);
    assert.match(first, line(first, 'created', root + '/var/lib/switchboard'));
    if (asRoot) {
      assert.match(first, /^created +user switchboard/m);
      assert.match(readFileSync(join(root, 'etc/passwd'), 'utf8'), /^switchboard:x:\d+:\d+:Switchboard:\/var\/lib\/switchboard:\/usr\/sbin\/nologin$/m);
    }
    assert.equal(statSync(join(root, 'var/lib/switchboard')).mode & 0o777, 0o700);
    assert.equal(statSync(join(root, 'usr/local/bin/switchboard')).mode & 0o777, 0o755);
    assert.ok(existsSync(join(root, 'usr/local/share/switchboard/web/widget.js')));
    assert.deepEqual(readFileSync(join(root, 'usr/local/bin/switchboard')), readFileSync(BIN));
    const site = readFileSync(join(root, 'etc/nginx/sites-available/switchboard'), 'utf8');
    assert.match(site, /server_name help\.acme\.example;/);
    assert.doesNotMatch(site, /help\.example\.com/);

    // The administrator edits the settings; a second run keeps them and changes nothing.
    const env = join(root, 'etc/switchboard/switchboard.env');
    writeFileSync(env, readFileSync(env, 'utf8').replace('https://help.example.com', 'https://help.acme.example'));
    const second = install(root, '--nginx', 'help.acme.example');
    assert.doesNotMatch(second, /^(installed|created) /m, 'nothing new:\n' + second);
    for (const path of ['/usr/local/bin/switchboard', '/usr/local/share/switchboard/web/',
      '/etc/systemd/system/switchboard.service'])
      assert.match(second, line(second, 'unchanged', root + path), path);
    assert.match(second, line(second, 'kept', root + '/etc/switchboard/switchboard.env'));
    assert.match(second, line(second, 'exists', root + '/var/lib/switchboard'));
    assert.match(readFileSync(env, 'utf8'), /SWITCHBOARD_PUBLIC_URL=https:\/\/help\.acme\.example/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('install.sh refuses what it cannot do, with a reason', () => {
  const r = spawnSync('bash', [join(repo, 'deploy/install.sh'), '--root', '/tmp/x', '--binary', '/nonexistent/switchboard'],
    { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no binary at \/nonexistent\/switchboard/);
  const bad = spawnSync('bash', [join(repo, 'deploy/install.sh'), '--frobnicate'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option --frobnicate/);
});

test('the unit file passes systemd-analyze verify', () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-unit-'));
  try {
    install(root);
    // The host's own units (sysinit.target…), which verify resolves the unit against.
    mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
    execFileSync('cp', ['-r', '/usr/lib/systemd/system', join(root, 'usr/lib/systemd/')]);
    const r = spawnSync('systemd-analyze', ['verify', '--root', root, '/etc/systemd/system/switchboard.service'],
      { encoding: 'utf8' });
    // Warnings about the host's other units are not ours; the unit's own lines must be clean.
    const ours = (r.stderr + r.stdout).split('\n').filter((l) => l.includes('switchboard.service'));
    assert.deepEqual(ours, [], (r.stderr + r.stdout));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  execFileSync('bash', ['-n', join(repo, 'deploy/install.sh')]);
});
