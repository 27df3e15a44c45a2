// Starts Debian's nginx with the shipped site (deploy/nginx/switchboard.conf and
// its snippet, verbatim but for the machine-specific lines: the node's port,
// loopback listen ports, a throw-away certificate) in a temporary prefix, in
// front of one Switchboard node. No root needed: it listens on free loopback
// ports and keeps every file in its prefix.
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from './server.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';

export async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

// Each rule must match the shipped file: if its shape changes, the test says so.
function adapt(site, rules) {
  for (const [pattern, replacement] of rules) {
    if (!pattern.test(site)) throw new Error(`deploy/nginx/switchboard.conf no longer has ${pattern}`);
    site = site.replace(pattern, replacement);
  }
  return site;
}

// `bind`: the address nginx connects to the node from (the node's --trusted-proxy).
// `upstreamPorts`: several nodes (a cluster) instead of one `upstreamPort`.
export async function startNginx({ upstreamPort, upstreamPorts = [upstreamPort], bind = '127.0.0.2' }) {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: scripts/setup.sh installs nginx`);
  const dir = mkdtempSync(join(tmpdir(), 'sb-nginx-'));
  chmodSync(dir, 0o755);  // started as root, nginx's workers run as nobody and need to get in
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'],
  { stdio: 'ignore' });
  const httpPort = await freePort();
  const httpsPort = await freePort();
  const site = adapt(readFileSync(join(repo, 'deploy/nginx/switchboard.conf'), 'utf8'), [
    [/server 127\.0\.0\.1:8080 (.*)\n/, (_m, rest) =>
      upstreamPorts.map((port) => `server 127.0.0.1:${port} ${rest}\n`).join('    ')],
    [/^\s*listen \[::\]:80;\n/m, ''],
    [/^\s*listen \[::\]:443 ssl http2;\n/m, ''],
    [/listen 80;/, `listen 127.0.0.1:${httpPort};`],
    [/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`],
    [/\/etc\/letsencrypt\/live\/help\.example\.com\/fullchain\.pem/, join(dir, 'cert.pem')],
    [/\/etc\/letsencrypt\/live\/help\.example\.com\/privkey\.pem/, join(dir, 'key.pem')],
    [/root \/var\/www\/letsencrypt;/, `root ${join(dir, 'acme')};`],
    [/include snippets\/switchboard-proxy\.conf;/, `include ${join(repo, 'deploy/nginx/switchboard-proxy.conf')};`],
  ]);
  const user = process.getuid() === 0 ? 'user nobody nogroup;\n' : '';
  writeFileSync(join(dir, 'nginx.conf'), `${user}worker_processes 1;
error_log ${join(dir, 'error.log')} info;
events { worker_connections 1024; }
http {
  access_log ${join(dir, 'access.log')};
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  proxy_bind ${bind};
${site}
}
`);
  const proc = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'),
    '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const errorLog = () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
  try {
    await until(() => {
      if (proc.exitCode !== null) throw new Error(`nginx exited ${proc.exitCode}: ${output}\n${errorLog()}`);
      return new Promise((resolve) => {
        const s = net.connect(httpsPort, '127.0.0.1');
        s.once('connect', () => { s.destroy(); resolve(true); });
        s.once('error', () => resolve(false));
      });
    }, 'nginx listening', 10000);
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
  return {
    dir,
    httpPort,
    httpsPort,
    url: `https://127.0.0.1:${httpsPort}`,
    errorLog,
    accessLog: () => readFileSync(join(dir, 'access.log'), 'utf8'),
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGQUIT');  // graceful: finish what is in progress
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One HTTPS request to nginx's throw-away certificate, from a chosen loopback
// address (`from`), so the test can be several clients.
export function httpsRequest(url, path, { method = 'GET', headers = {}, body, from = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const hs = { ...headers };
    if (data && !Buffer.isBuffer(body)) hs['content-type'] ??= 'application/json';
    if (data) hs['content-length'] = data.length;
    const req = https.request(url + path, { method, headers: hs, rejectUnauthorized: false, localAddress: from, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
