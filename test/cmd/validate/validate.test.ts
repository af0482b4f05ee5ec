/** `k8smctl validate`, in-process: files, standard input, report formats, the cluster models, exit codes. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k8smctl } from '../harness.js';
import { clientError, fakeFactory, FakeMesos, MASTER_URL } from '../fakes.js';

let dir: string;
const w = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const podYaml = (name: string, hostPort: number, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    ports:\n    - containerPort: 80\n      hostPort: ${hostPort}\n    resources:\n      limits: {cpu: 100m, memory: 64Mi}\n${extra}`;

interface Report {
  findings: Array<{ rule: string; severity: string; file: string; line?: number; name?: string; port?: number }>;
  summary: { files: number; errors: number; warnings: number; infos: number };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-cmd-validate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validate', () => {
  test('a pod the default ranges hold: exit 0, a one-line summary', async () => {
    const f = w('ok.yaml', podYaml('ok', 31080));
    const r = await k8smctl(['validate', '-f', f]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No problems (1 resource in 1 file checked)\n');
  });

  test('a host port no agent offers: the finding with file and line, exit 1', async () => {
    const f = w('bad.yaml', podYaml('bad', 40000));
    const r = await k8smctl(['validate', '-f', f, '-o', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings).toContainEqual(expect.objectContaining({ rule: 'host-port-not-offered', severity: 'error', file: f, line: 11, port: 40000 }));
    expect(report.summary).toMatchObject({ files: 1, errors: 1 });
  });

  test('--strict fails on warnings; without it they pass', async () => {
    const f = w('warn.yaml', podYaml('warn', 31081).replace('metadata:\n', 'metadata:\n  labels: {k8s.mesosphere.io/portMapping: sideways}\n'));
    const lax = await k8smctl(['validate', '-f', f, '-o', 'json']);
    expect((JSON.parse(lax.stdout) as Report).summary).toMatchObject({ errors: 0, warnings: 1 });
    expect(lax.code).toBe(0);
    expect((await k8smctl(['validate', '-f', f, '--strict'])).code).toBe(1);
  });

  test('-f - reads the manifests from the injected standard input', async () => {
    const r = await k8smctl(['validate', '-f', '-', '-o', 'json'], { stdin: podYaml('from-stdin', 40001) });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Report).findings).toContainEqual(
      expect.objectContaining({ rule: 'host-port-not-offered', file: '<stdin>', name: 'from-stdin' }),
    );
  });

  test('-o sarif names the tool with the version the factory carries', async () => {
    const f = w('sarif.yaml', podYaml('s', 40002));
    const r = await k8smctl(['validate', '-f', f, '-o', 'sarif'], { factory: fakeFactory({ version: '7.8.9' }) });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { name: string; version: string } } }> };
    expect(sarif.runs[0]!.tool.driver).toMatchObject({ name: 'k8smctl', version: '7.8.9' });
  });

  test('nothing readable: one line per path on stderr, no report, exit 2', async () => {
    const r = await k8smctl(['validate', '-f', join(dir, 'missing.yaml'), '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*missing\.yaml: no such file or directory[^\n]*\n$/);
    const empty = join(dir, 'empty-dir');
    mkdirSync(empty);
    const e = await k8smctl(['validate', '-f', empty]);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe('error: no manifest files found in the given paths (directories contribute *.yaml, *.yml and *.json; use -R for subdirectories)\n');
  });

  test.each([
    [[], "error: no input given; pass -f FILE|DIR|- (repeatable) or --static-pods-dir DIR; see 'k8smctl validate --help'"],
    [['-f', 'x.yaml', '--ports', 'lots'], /^error: --ports "lots": /],
    [['-f', 'x.yaml', '-o', 'html'], /^error: Expected --output=html to be one of: text, json, yaml, sarif, junit; see 'k8smctl validate --help'$/],
    [['-f', 'x.yaml', '--agents', '1.5'], "error: Parsing --agents: Expected an integer but received: 1.5; see 'k8smctl validate --help'"],
    [
      ['-f', 'x.yaml', '--agents', '0'],
      "error: Parsing --agents: Expected an integer greater than or equal to 1 but received: 0; see 'k8smctl validate --help'",
    ],
    [['-f', 'x.yaml', '--max-file-size', '0'], 'error: --max-file-size "0": must be at least 1 byte (the default is 10Mi)'],
    [
      ['-f', 'x.yaml', '--cluster-snapshot', 'a.json', '--mesos-master', MASTER_URL],
      /^error: --(cluster-snapshot|mesos-master)=\S+ cannot also be provided when using --(mesos-master|cluster-snapshot); see 'k8smctl validate --help'$/,
    ],
  ])('usage error %j: one line, exit 2', async (args, line) => {
    const r = await k8smctl(['validate', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    if (typeof line === 'string') expect(lines[0]).toBe(line);
    else expect(lines[0]).toMatch(line);
  });
});

describe('validate --static-pods-dir', () => {
  test('a folder that cannot be read, or a file: usage errors naming the flag', async () => {
    const missing = join(dir, 'no-static');
    const r = await k8smctl(['validate', '--static-pods-dir', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --static-pods-dir ${missing} cannot be read (no such directory); check the path\n`);
    const file = w('not-a-dir', 'x');
    const f = await k8smctl(['validate', '--static-pods-dir', file]);
    expect(f.code).toBe(2);
    expect(f.stderr).toBe(`error: --static-pods-dir ${file} is not a directory; give the folder the scheduler reads with --static-pods-config\n`);
  });

  test('an empty file is skipped as the scheduler skips it (info); a pod without limits is an error', async () => {
    const sp = join(dir, 'static');
    mkdirSync(sp);
    writeFileSync(join(sp, 'empty'), '');
    writeFileSync(join(sp, 'web.yaml'), podYaml('web', 31000).replace('    resources:\n      limits: {cpu: 100m, memory: 64Mi}\n', ''));
    const r = await k8smctl(['validate', '--static-pods-dir', sp, '-o', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report & { findings: Array<{ message: string }> };
    expect(report.findings.find((x) => x.rule === 'static-pod-file-skipped')).toMatchObject({
      severity: 'info',
      file: join(sp, 'empty'),
      message: `${join(sp, 'empty')} is empty (0 bytes): the k8sm scheduler skips it; delete it, or put a Pod in it if one was meant to be there`,
    });
    expect(report.findings.filter((x) => x.rule === 'static-pod-missing-limits').map((x) => x.severity)).toEqual(['error', 'error']);
  });

  test('a broken file gets one finding with the real reason (not also "holds no pod"); a comment-only one is said to hold no pod', async () => {
    const sp = join(dir, 'static-broken');
    mkdirSync(sp);
    writeFileSync(join(sp, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x\n');
    writeFileSync(join(sp, 'b.yaml'), '- a\n- b\n');
    writeFileSync(join(sp, 'c.yaml'), '# nothing yet\n');
    const r = await k8smctl(['validate', '--static-pods-dir', sp, '-o', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report & { findings: Array<{ rule: string; file: string; severity: string }> };
    const errors = report.findings.filter((x) => x.severity === 'error');
    expect(errors.map((x) => [x.file.slice(sp.length + 1), x.rule])).toEqual([
      ['a.yaml', 'yaml-syntax'],
      ['b.yaml', 'not-an-object'],
      ['c.yaml', 'static-pod-file-invalid'],
    ]);
  });
});

describe('validate against a cluster', () => {
  test("--mesos-master: every agent's ranges from one snapshot; a port one agent offers is fine, one none offers is an error", async () => {
    const mesos = new FakeMesos();
    // agent-1 offers [31000-31099, 31101-32000]; agent-2 [31000-31499] to every role and [32000-32999] to role
    // public only: 31100 is on agent-2 (fine), 32500 only to another role, 33000 nowhere.
    const f = w('live.yaml', [podYaml('some', 31100), podYaml('reserved', 32500), podYaml('none', 33000)].join('---\n'));
    const r = await k8smctl(['validate', '-f', f, '-o', 'json', '--mesos-master', MASTER_URL], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(1);
    const offered = (JSON.parse(r.stdout) as Report).findings.filter((x) => x.rule === 'host-port-not-offered');
    expect(offered.map((x) => [x.name, x.port])).toEqual([
      ['reserved', 32500],
      ['none', 33000],
    ]);
    expect(mesos.calls).toEqual([{}]);
    expect(mesos.agentsAsked).toEqual([]);
  });

  test('--mesos-master unreachable: exit 2 and the hint, no report', async () => {
    const mesos = new FakeMesos({
      fail: clientError({ service: 'mesos-master', kind: 'unreachable', message: `cannot get /state from Mesos master ${MASTER_URL}: connection refused` }),
    });
    const f = w('any.yaml', podYaml('any', 31000));
    const r = await k8smctl(['validate', '-f', f, '--mesos-master', MASTER_URL], { factory: fakeFactory({ mesos }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: cannot get /state from Mesos master ${MASTER_URL}: connection refused; check --mesos-master (or $MESOS_MASTER) and that the masters are running\n`,
    );
  });

  test('validate offline never asks the factory for a client', async () => {
    const factory = fakeFactory();
    const f = w('offline.yaml', podYaml('o', 31000));
    expect((await k8smctl(['validate', '-f', f], { factory })).code).toBe(0);
    expect(factory.mesosOptions).toEqual([]);
    expect(factory.kubeOptions).toEqual([]);
  });

  test('--cluster-snapshot: a missing file is exit 2 saying how to make one; junk is named', async () => {
    const f = w('snap.yaml', podYaml('s', 31000));
    const missing = await k8smctl(['validate', '-f', f, '--cluster-snapshot', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `error: --cluster-snapshot ${join(dir, 'nope.json')} cannot be read (no such file); save one with 'k8smctl get agents -o json > FILE'\n`,
    );
    const junk = w('junk.json', '{"kind": "Something"}');
    const j = await k8smctl(['validate', '-f', f, '--cluster-snapshot', junk]);
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(new RegExp(`^error: --cluster-snapshot ${junk.replace(/[.]/g, '\\.')}: `));
  });

  test('--cluster-snapshot: a device is refused, never read without end', async () => {
    const f = w('snap2.yaml', podYaml('s', 31000));
    const dev = await k8smctl(['validate', '-f', f, '--cluster-snapshot', '/dev/zero']);
    expect(dev.code).toBe(2);
    expect(dev.stderr).toBe(
      "error: --cluster-snapshot /dev/zero cannot be read (is a character device, not a file); save one with 'k8smctl get agents -o json > FILE'\n",
    );
  });
});
