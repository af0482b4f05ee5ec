/**
 * main.ts as the stack runs it: bundled by esbuild into one ESM file outside the project, started
 * with node and a config file (TLS and the auth secret from files, a control port), endpoints read
 * from its one line of stdout, driven through the control API, stopped with SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { stopPid } from '../stack/proc.js';
import { raw } from './helpers/http-client.js';

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mesos-sim-main-'));
  bundle = join(dir, 'mesos-sim.mjs');
  await build({
    entryPoints: [new URL('../stack/mesos-sim/main.ts', import.meta.url).pathname],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-subj',
      '/CN=sim',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  writeFileSync(join(dir, 'secret'), 'pa55\n');
}, 60000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  firstLine.catch(() => undefined); // awaited by the tests that expect output
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exit, stderr: () => err };
}

describe('mesos-sim CLI', () => {
  test('starts from a config file, prints its endpoints, obeys the control API, stops on SIGTERM', async () => {
    const cfg = join(dir, 'sim.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        masters: 2,
        tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') },
        auth: { principal: 'ops', secretFile: join(dir, 'secret') },
        agents: [{ hostname: 'agent-1', resources: { cpus: 2, mem: 1024 } }],
        frameworks: [{ name: 'Kubernetes', executors: [{ agentId: 'agent-1', k8sm: true }] }],
      }),
    );
    const p = run(['--config', cfg, '--control-port', '0']);
    try {
      const info = JSON.parse(await p.firstLine);
      expect(info).toMatchObject({ pid: p.child.pid, version: '1.11.0' });
      expect(info.masters).toHaveLength(2);
      expect(info.leaderUrl).toBe(info.masters[0].url);
      expect(info.agents[0]).toMatchObject({ hostname: 'agent-1' });
      expect(info.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
      const auth = { principal: 'ops', secret: 'pa55' };
      const st = await raw(`${info.leaderUrl}/master/state`, { ca, auth });
      expect(st.status).toBe(200);
      expect(JSON.parse(st.body).frameworks[0].executors[0].name).toBe('Kubelet-Executor');
      expect((await raw(`${info.leaderUrl}/master/state`, { ca })).status).toBe(401);

      const ctl = (method: string, body: unknown = {}) => raw(`${info.controlUrl}/${method}`, { method: 'POST', body: JSON.stringify(body) });
      expect((await ctl('setLeader', { index: 1 })).status).toBe(200);
      expect((await raw(`${info.masters[0].url}/state`, { ca, auth })).status).toBe(307);
      expect((await ctl('fault', { kind: 'status', status: 503, endpoint: { regex: '^/state$' }, times: 1 })).status).toBe(200);
      expect((await raw(`${info.masters[1].url}/state`, { ca, auth })).status).toBe(503);
      const log = JSON.parse((await raw(`${info.controlUrl}/requestLog`)).body).result;
      expect(log.at(-1)).toMatchObject({ path: '/state', status: 503, fault: 'status' });
      const bad = await ctl('setTaskState', { taskId: 'nope', state: 'TASK_KILLED' });
      expect([bad.status, JSON.parse(bad.body).error]).toEqual([400, 'no task nope']);
      expect((await ctl('nope')).status).toBe(404);
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exit).toBe(0);
  }, 30000);

  test('usage errors exit 2, a bad config exits 1 with one line on stderr', async () => {
    const usage = run([]);
    expect(await usage.exit).toBe(2);
    expect(usage.stderr()).toMatch(/--config is required/);
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ agents: [{ hostname: 'a', resources: { cpus: 1, mem: 1 }, reserved: { r: { cpus: 3 } } }] }));
    const bad = run(['--config', cfg]);
    expect(await bad.exit).toBe(1);
    expect(bad.stderr().trim()).toBe('mesos-sim: agent a: reserved cpus exceed its total resources');
    await stopPid(bad.child.pid!, { graceMs: 1000 });
  }, 30000);
});
