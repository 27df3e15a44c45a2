// Bad cluster options stop `serve` at once with a message naming the option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { BIN, freshDataDir } from '../lib/server.mjs';

const serve = (...args) => {
  const dataDir = freshDataDir();
  try {
    return spawnSync(BIN, ['serve', '--port', '0', '--data-dir', dataDir, ...args], { timeout: 20000 });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

test('a bus that is not nats:// is refused', () => {
  const r = serve('--bus', 'http://127.0.0.1:4222');
  assert.equal(r.status, 1);
  assert.match(r.stderr.toString(), /--bus must be a nats:\/\/ URL/);
});

test('a nats URL with a bad port is refused', () => {
  const r = serve('--bus', 'nats://127.0.0.1:notaport');
  assert.equal(r.status, 1);
  assert.match(r.stderr.toString(), /port/i);
});

test('a lease shorter than 300 ms is refused', () => {
  const r = serve('--bus', 'nats://127.0.0.1:4222', '--lease-ms', '10');
  assert.equal(r.status, 1);
  assert.match(r.stderr.toString(), /--lease-ms must be at least 300/);
});
