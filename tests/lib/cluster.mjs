// The cluster tests' pieces: a throwaway nats-server, a node on the shared data
// directory, and what they read off a node's /metrics (a figure, whether the
// node holds the routing lease, which of two nodes leads).
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, until } from './server.mjs';

const NATS_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'bus', 'natsserver.sh');

// tests/bus/natsserver.sh, stopped with this process at the latest; `port`
// starts "the same" server again on a known port.
export function startNats(port) {
  const args = ['start', '--owner', String(process.pid)];
  if (port) args.push('--port', String(port));
  return JSON.parse(execFileSync(NATS_SCRIPT, args).toString());
}

export const stopNats = (nats) => execFileSync(NATS_SCRIPT, ['stop', nats.dir]);

// A node on the shared data directory, joined by the bus, with a short lease.
export const startNode = ({ dataDir, nats, name, demo = true, leaseMs }) => startServer({
  dataDir,
  demo,
  args: ['--bus', nats.url, '--node-id', name, '--routing-tick-ms', '100', '--lease-ms', String(leaseMs)],
});

export async function metric(node, name) {
  const text = await (await fetch(node.url + '/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(name + '{') || l.startsWith(name + ' '));
  return line ? Number(line.split(' ').pop()) : undefined;
}

export async function leads(node) {
  const text = await (await fetch(node.url + '/metrics')).text();
  return text.split('\n').some((l) => l.startsWith('switchboard_routing_leader{') && l.endsWith(' 1'));
}

// [leader, follower] once exactly one of the two leads.
export async function leaderAndFollower(a, b) {
  await until(async () => (await leads(a)) !== (await leads(b)), 'one routing leader', 10000);
  return (await leads(a)) ? [a, b] : [b, a];
}
