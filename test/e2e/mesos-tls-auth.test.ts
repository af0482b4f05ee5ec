/**
 * The cluster commands against a Mesos that serves https with HTTP basic authentication (masters and
 * agents), as a user configures them: --mesos-ca-file, --mesos-principal with --mesos-secret-file or
 * MESOS_SECRET, --insecure-skip-tls-verify. The secret must never show up in any output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMesosSimulator, type MesosSimulator } from '../stack/mesos-sim/index.js';
import { runCli, stack } from './helpers/index.js';

const SECRET = 'k8smctl-e2e-Sup3r-s3cret';
let sim: MesosSimulator;
let dir: string;
let secretFile: string;
let ca: string;

beforeAll(async () => {
  const { pki } = stack();
  ca = pki.caCert;
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-tls-e2e-'));
  secretFile = join(dir, 'secret');
  writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  sim = await startMesosSimulator({
    tls: { cert: readFileSync(pki.mesosCert, 'utf8'), key: readFileSync(pki.mesosKey, 'utf8') },
    auth: { principal: 'ops', secret: SECRET },
    agents: [
      { hostname: 'secure-1', resources: { cpus: 2, mem: 2048 } },
      { hostname: 'secure-2', resources: { cpus: 2, mem: 2048, ports: '[31000-31499]' } },
    ],
  });
});

afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const url = () => sim.leaderUrl()!;

test('https with the CA and the principal/secret file: masters and agents answer', async () => {
  const r = await runCli([
    'get',
    'agents',
    '-o',
    'wide',
    '--mesos-master',
    url(),
    '--mesos-ca-file',
    ca,
    '--mesos-principal',
    'ops',
    '--mesos-secret-file',
    secretFile,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^secure-1\s+true/m);
  expect(r.stdout).toMatch(/^secure-2\s+true\s.*\[31000-31499\]/m);
});

test('the secret from MESOS_SECRET', async () => {
  const r = await runCli(['get', 'agents', '-o', 'name', '--mesos-ca-file', ca, '--mesos-principal', 'ops'], {
    env: { MESOS_MASTER: url(), MESOS_SECRET: SECRET },
  });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('agent/secure-1\nagent/secure-2\n');
});

test('without the CA: a certificate error that says what to do, exit 2', async () => {
  const r = await runCli(['get', 'agents', '--mesos-master', url(), '--mesos-principal', 'ops', '--mesos-secret-file', secretFile]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^error: cannot verify the TLS certificate of Mesos master https:\/\/127\.0\.0\.1:\d+.*--mesos-ca-file/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});

test('--insecure-skip-tls-verify connects without the CA', async () => {
  const r = await runCli([
    'get',
    'agents',
    '-o',
    'name',
    '--mesos-master',
    url(),
    '--insecure-skip-tls-verify',
    '--mesos-principal',
    'ops',
    '--mesos-secret-file',
    secretFile,
  ]);
  expect(r.code).toBe(0);
});

test('a wrong secret: 401 in one line, exit 2 (unreadable master), and no secret anywhere even with --debug', async () => {
  const wrong = join(dir, 'wrong');
  writeFileSync(wrong, 'not-the-right-one-Xy9');
  for (const extra of [[], ['--debug']]) {
    const r = await runCli([
      'get',
      'agents',
      '-o',
      'wide',
      '--mesos-master',
      url(),
      '--mesos-ca-file',
      ca,
      '--mesos-principal',
      'ops',
      '--mesos-secret-file',
      wrong,
      ...extra,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Mesos master https:\/\/\S+ rejected the credentials of principal "ops" for \/state \(401 Unauthorized\)/m);
    if (!extra.length) expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const all = r.stdout + r.stderr;
    expect(all).not.toContain('not-the-right-one-Xy9');
    expect(all).not.toContain(Buffer.from('ops:not-the-right-one-Xy9').toString('base64'));
  }
});

test('no credentials at all: told how to give them, exit 2 (unreadable master)', async () => {
  const r = await runCli(['get', 'agents', '--mesos-master', url(), '--mesos-ca-file', ca]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/requires authentication for \/state \(401 Unauthorized\); pass --mesos-principal with --mesos-secret-file/);
});

test('the right secret never appears in debug output either', async () => {
  const r = await runCli([
    'get',
    'agents',
    '-o',
    'wide',
    '--debug',
    '--mesos-master',
    url(),
    '--mesos-ca-file',
    ca,
    '--mesos-principal',
    'ops',
    '--mesos-secret-file',
    secretFile,
  ]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/debug: /);
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  expect(r.stdout + r.stderr).not.toContain(Buffer.from(`ops:${SECRET}`).toString('base64'));
});
