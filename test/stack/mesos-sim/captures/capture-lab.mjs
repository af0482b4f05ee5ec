// A private network for real Mesos captures: run inside a fresh network namespace
// (`unshare -rn node capture-lab.mjs`), it puts the captured masters' and agents' own addresses on
// the namespace's loopback, answers each capture's bytes UNCHANGED on the paths that Mesos version
// served, and runs commands (the built k8smctl) inside the same namespace, so that the CLI reaches
// agents at the addresses in their `pid` exactly as it would on the captured cluster. Addresses
// without a server refuse the connection; every other address is unreachable (no routes), so
// nothing leaves the machine.
//
// Protocol (JSON lines). stdin line 1: {servers: [{host, port, routes: {"/path": "/abs/file"}}]}.
// stdout: {"ready": true} once every server listens (or {"error": "..."} and exit 1).
// Then each stdin line {id, argv, env, timeoutMs} runs `node ...argv` and answers
// {id, stdout, stderr, code, signal, timedOut, requests: ["GET 10.0.0.1:5050/state 404", ...]}
// (the requests the servers saw while it ran). stdin closed: servers close, exit 0.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { createInterface } from 'node:readline';

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

function addAddress(host) {
  if (isIPv4(host)) {
    if (host.startsWith('127.')) return; // 127.0.0.0/8 is on lo once it is up
    execFileSync('ip', ['addr', 'add', `${host}/32`, 'dev', 'lo']);
  } else if (isIPv6(host)) {
    if (host === '::1') return;
    execFileSync('ip', ['-6', 'addr', 'add', `${host}/128`, 'dev', 'lo', 'nodad']);
  } else {
    throw new Error(`${host} is not an IP address`);
  }
}

const requests = [];
const servers = [];

async function start(config) {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  const hosts = new Set(config.servers.map((s) => s.host));
  for (const h of hosts) addAddress(h);
  for (const s of config.servers) {
    const bodies = new Map(Object.entries(s.routes).map(([path, file]) => [path, readFileSync(file)]));
    const srv = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const body = req.method === 'GET' ? bodies.get(path) : undefined;
      const status = body ? 200 : 404;
      requests.push(`${req.method} ${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}${req.url} ${status}`);
      if (body) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        res.end(body);
      } else {
        res.writeHead(404, { 'Content-Length': 0 });
        res.end();
      }
    });
    await new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen({ host: s.host, port: s.port, exclusive: true }, resolve);
    });
    servers.push(srv);
  }
}

function run(cmd) {
  const before = requests.length;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, cmd.argv, { env: cmd.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, cwd: cmd.cwd });
    const so = [];
    const se = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, cmd.timeoutMs ?? 30_000);
    child.stdout.on('data', (c) => so.push(c));
    child.stderr.on('data', (c) => se.push(c));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        id: cmd.id,
        stdout: Buffer.concat(so).toString('utf8'),
        stderr: Buffer.concat(se).toString('utf8'),
        code,
        signal,
        timedOut,
        requests: requests.slice(before),
      });
    });
  });
}

const rl = createInterface({ input: process.stdin });
let started = false;
let queue = Promise.resolve();
rl.on('line', (line) => {
  if (!line.trim()) return;
  const msg = JSON.parse(line);
  if (!started) {
    started = true;
    queue = start(msg).then(
      () => out({ ready: true }),
      (e) => {
        out({ error: e instanceof Error ? e.message : String(e) });
        process.exit(1);
      },
    );
    return;
  }
  // One command at a time, so that the request log of each is its own.
  queue = queue.then(() => run(msg).then(out));
});
rl.on('close', () => {
  queue.then(() => {
    for (const s of servers) s.close();
    process.exit(0);
  });
});
