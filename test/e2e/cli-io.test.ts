/**
 * What the built binary takes from its surroundings: positional names from the arguments only (a
 * piped stdin is never read as names), its own version in SARIF reports, and Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMesosSimulator, type MesosSimulator } from '../stack/mesos-sim/index.js';
import { baseEnv, cliBin, runCli } from './helpers/index.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

let sim: MesosSimulator;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-cli-io-'));
  sim = await startMesosSimulator({
    agents: [
      { hostname: 'io-a', resources: { cpus: 1, mem: 1024 } },
      { hostname: 'io-b', resources: { cpus: 1, mem: 1024 } },
    ],
  });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const master = () => ['--mesos-master', sim.leaderUrl()!];

test('get agents with a piped stdin lists every agent: stdin is not read as agent names', async () => {
  const r = await runCli(['get', 'agents', '-o', 'name', ...master()], { stdin: 'foo bar\n' });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('agent/io-a\nagent/io-b\n');
});

test('in a while-read loop, each name comes from the argument', async () => {
  const r = await runCli(['get', 'agents', 'io-b', '-o', 'name', ...master()], { stdin: 'io-a\n' });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('agent/io-b\n');
});

test('describe agent without a name is a usage error even with a piped stdin', async () => {
  const r = await runCli(['describe', 'agent', ...master()], { stdin: 'io-a\n' });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe("error: Missing 1 required arg: name; see 'k8smctl describe agent --help'\n");
});

test('validate -o sarif names the tool with the package version', async () => {
  const f = join(dir, 'pod.yaml');
  writeFileSync(
    f,
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox, ports: [{containerPort: 80, hostPort: 40000}]}]}\n',
  );
  const r = await runCli(['validate', '-f', f, '-o', 'sarif']);
  expect(r.code).toBe(1);
  const sarif = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { name: string; version: string } } }> };
  expect(sarif.runs[0]!.tool.driver).toMatchObject({ name: 'k8smctl', version });
  expect(version).not.toBe('0.0.0');
});

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s while a master request is in flight: the request is aborted, no error line, exit %i', async (signal, code) => {
  // A master that accepts the request and never answers: only the signal can end the command.
  const open: IncomingMessage[] = [];
  let asked: () => void = () => undefined;
  const askedOnce = new Promise<void>((r) => (asked = r));
  const server = createServer((req) => {
    open.push(req);
    asked();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  let closedByClient = false;
  try {
    const { port } = server.address() as AddressInfo;
    const child = spawn(process.execPath, [cliBin, 'get', 'agents', '--request-timeout', '60s', '--mesos-master', `http://127.0.0.1:${port}`], {
      env: baseEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    await askedOnce;
    const hungUp = new Promise<void>((r) => open[0]!.socket.once('close', () => r()));
    child.kill(signal);
    const exitCode = await exited;
    await hungUp;
    closedByClient = true;
    expect({ exitCode, out, err }).toEqual({ exitCode: code, out: '', err: '' });
  } finally {
    for (const r of open) r.socket.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
  expect(closedByClient).toBe(true);
});
