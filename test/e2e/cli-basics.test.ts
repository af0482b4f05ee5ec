/** The launcher and the conventions every command shares, run as a user runs them. */
import { readFileSync } from 'node:fs';
import { cliBin, runCli, runProcess } from './helpers/index.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

test('--version and -v print the version without loading the CLI', async () => {
  for (const flag of ['--version', '-v']) {
    const r = await runCli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`k8smctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
  }
});

test('--help lists the topics and commands', async () => {
  const r = await runCli(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/validate\s+Check manifests/);
  expect(r.stdout).toMatch(/get\s+Show cluster objects/);
  expect(r.stdout).toMatch(/describe\s+Show everything about one cluster object/);
});

test('an unknown command: one line, the closest command, exit 2', async () => {
  const r = await runCli(['get', 'agent']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`error: unknown command "get agent"; did you mean "get agents"? ('k8smctl --help' lists the commands)\n`);
  const far = await runCli(['frobnicate']);
  expect(far.code).toBe(2);
  expect(far.stderr).toBe(`error: unknown command "frobnicate"; run 'k8smctl --help' for the commands\n`);
});

test('stdout closed early (| head -1) is not an error and prints no stack trace', async () => {
  const big = JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: Array.from({ length: 3000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}` },
      spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort: 80 }] }] },
    })),
  });
  const r = await runProcess('bash', ['-c', `node ${cliBin} validate -f - -o json | head -1`], { stdin: big });
  expect(r.stdout).toBe('{\n');
  expect(r.stderr).toBe('');
});
