/**
 * `k8smctl validate` as a user runs it: the built binary, real files, stdin, exit codes, every
 * output format, and the bad-input list of issue 3.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/index.js';

let dir: string;
const w = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};

const CLEAN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - name: http
          containerPort: 80
          hostPort: 31080
        resources:
          limits: {cpu: 500m, memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: http
`;

const BAD = `apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
spec:
  containers:
  - name: api
    image: example/api:2.1
    ports:
    - containerPort: 8080
      hostPort: 8080
    resources:
      limits: {cpu: "1", memory: 512Mi}
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-validate-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  findings: Array<Record<string, unknown> & { rule: string; severity: string; line?: number; column?: number; file?: string }>;
  summary: { files: number; resources: number; customResources: number; skipped: number; errors: number; warnings: number; infos: number };
}

describe('validate: results and exit codes', () => {
  test('a clean manifest exits 0 and says so', async () => {
    const f = w('clean.yaml', CLEAN);
    const r = await runCli(['validate', '-f', f]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No problems \(2 resources in 1 file checked\)/);
  });

  test('a host port outside the offered range is an error at its line and column; exit 1', async () => {
    const f = w('bad.yaml', BAD);
    const r = await runCli(['validate', '-f', f, '-o', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const finding = report.findings.find((x) => x.rule === 'host-port-not-offered')!;
    expect(finding).toMatchObject({
      severity: 'error',
      file: f,
      line: 12,
      column: 17,
      kind: 'Pod',
      namespace: 'shop',
      name: 'api',
      container: 'api',
      port: 8080,
    });
    expect(String(finding.message)).toMatch(/\[31000-32000\].*no suitable offers for pod\/task/);
    // exactly the documented keys, in the documented order
    expect(Object.keys(finding)).toEqual(['rule', 'severity', 'message', 'file', 'line', 'column', 'kind', 'namespace', 'name', 'container', 'port']);
    expect(Object.keys(report)).toEqual(['findings', 'summary']);
    expect(Object.keys(report.summary)).toEqual(['files', 'resources', 'customResources', 'skipped', 'errors', 'warnings', 'infos']);
    expect(report.summary).toMatchObject({ files: 1, resources: 1, skipped: 0, errors: 1 });
  });

  test('--ports with the port inside makes the same pod pass; a gap in the ranges does not', async () => {
    const f = w('bad2.yaml', BAD);
    expect((await runCli(['validate', '-f', f, '--ports', '[8000-9000]'])).code).toBe(0);
    const gap = await runCli(['validate', '-f', f, '--ports', '[8000-8079, 8081-9000]', '-o', 'json']);
    expect(gap.code).toBe(1);
    expect((JSON.parse(gap.stdout) as Report).findings.map((x) => x.rule)).toContain('host-port-not-offered');
  });

  test('--strict turns warnings into failure', async () => {
    const f = w(
      'warn.yaml',
      CLEAN.replace('      labels: {app: web}\n    spec:', '      labels: {app: web}\n    spec:\n      tolerations: [{key: dedicated, operator: Exists}]'),
    );
    const lax = await runCli(['validate', '-f', f, '-o', 'json']);
    expect(lax.code).toBe(0);
    expect((JSON.parse(lax.stdout) as Report).summary.warnings).toBeGreaterThan(0);
    expect((await runCli(['validate', '-f', f, '--strict'])).code).toBe(1);
  });

  test('standard input, kind: List, and JSON input', async () => {
    const list = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p' },
            spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 1, hostPort: 70 }] }] },
          },
        ],
      },
      null,
      2,
    );
    const r = await runCli(['validate', '-f', '-', '-o', 'json'], { stdin: list });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const f = report.findings.find((x) => x.rule === 'host-port-not-offered')!;
    expect(f.file).toBe('<stdin>');
    expect(f.line).toBe(19); // "hostPort": 70 in the pretty-printed JSON
  });

  test('directories: only manifest extensions, subdirectories only with -R', async () => {
    w('tree/top.yaml', CLEAN);
    w('tree/notes.txt', 'not a manifest');
    w('tree/sub/deep.yml', BAD);
    const flat = JSON.parse((await runCli(['validate', '-f', join(dir, 'tree'), '-o', 'json'])).stdout) as Report;
    expect(flat.summary.files).toBe(1);
    const deep = await runCli(['validate', '-R', '-f', join(dir, 'tree'), '-o', 'json']);
    expect((JSON.parse(deep.stdout) as Report).summary.files).toBe(2);
    expect(deep.code).toBe(1);
  });

  test('other kinds are counted as skipped', async () => {
    const f = w(
      'cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n---\n' + BAD.replace('8080\n    resources', '31080\n    resources'),
    );
    const r = JSON.parse((await runCli(['validate', '-f', f, '-o', 'json'])).stdout) as Report;
    expect(r.summary).toMatchObject({ resources: 1, skipped: 1 });
  });
});

describe('validate: output formats', () => {
  test('sarif is SARIF 2.1.0 with regions', async () => {
    const f = w('s.yaml', BAD);
    const r = await runCli(['validate', '-f', f, '-o', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const res = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'host-port-not-offered');
    expect(res.level).toBe('error');
    expect(res.locations[0].physicalLocation.region).toMatchObject({ startLine: 12, startColumn: 17 });
    expect(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toContain('host-port-not-offered');
  });

  test('junit is XML with a failure per error; yaml carries the same report as json', async () => {
    const f = w('j.yaml', BAD);
    const junit = await runCli(['validate', '-f', f, '-o', 'junit']);
    expect(junit.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(junit.stdout).toMatch(/<failure [^>]*type="host-port-not-offered"/);
    const y = await runCli(['validate', '-f', f, '-o', 'yaml']);
    expect(y.stdout).toMatch(/^findings:\n/);
    expect(y.stdout).toMatch(/rule: host-port-not-offered/);
  });

  test('text output carries no colour codes when not a terminal, and none with NO_COLOR', async () => {
    const f = w('c.yaml', BAD);
    expect((await runCli(['validate', '-f', f])).stdout).not.toContain('\x1b[');
    const forced = await runCli(['validate', '-f', f], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[');
    expect((await runCli(['validate', '-f', f], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await runCli(['validate', '-f', f, '--no-color'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain('\x1b[');
  });
});

describe('validate: bad input', () => {
  test('malformed YAML is an error with its line; the other files are still checked', async () => {
    const broken = w('broken/a.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
    const fine = w('broken/b.yaml', BAD);
    const r = await runCli(['validate', '-f', broken, '-f', fine, '-o', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const syntax = report.findings.find((x) => x.rule === 'yaml-syntax')!;
    expect(syntax.file).toBe(broken);
    expect(syntax.line).toBeGreaterThanOrEqual(4);
    expect(report.findings.some((x) => x.rule === 'host-port-not-offered' && x.file === fine)).toBe(true);
  });

  test('a YAML alias bomb is rejected (the command ends by itself with the finding)', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const f = w('bomb.yaml', `${levels.join('\n')}\n`);
    const r = await runCli(['validate', '-f', f, '-o', 'json'], { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false); // that it reads each shared value once is pinned in parse-manifest.test.ts
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Report).findings.map((x) => x.rule)).toContain('yaml-aliases');
  });

  test('BOM and CRLF keep line numbers right', async () => {
    const f = w('crlf.yaml', `\ufeff${BAD.replace(/\n/g, '\r\n')}`);
    const r = JSON.parse((await runCli(['validate', '-f', f, '-o', 'json'])).stdout) as Report;
    expect(r.findings.find((x) => x.rule === 'host-port-not-offered')).toMatchObject({ line: 12, column: 17 });
  });

  test('binary and empty files', async () => {
    const bin = w('bin/blob.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0xff, 0xfe]));
    const empty = w('bin/empty.yaml', '');
    const r = await runCli(['validate', '-f', bin, '-f', empty, '-o', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((x) => x.rule)).toEqual(['binary-file']);
    expect(report.summary.files).toBe(2);
    expect(r.code).toBe(1);
  });

  test('a file over the size cap is refused with the flag that raises it; alone, exit 2', async () => {
    const big = w('big.yaml', `# ${'x'.repeat(300_000)}\n`);
    const r = await runCli(['validate', '-f', big, '--max-file-size', '100K']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*big\.yaml.*--max-file-size/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a missing path alone exits 2 with one line and no stack trace; --debug is allowed to say more', async () => {
    const r = await runCli(['validate', '-f', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*nope\.yaml: no such file or directory/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  test('a symlink loop with -R is reported once and does not hang', async () => {
    mkdirSync(join(dir, 'loop/inner'), { recursive: true });
    symlinkSync(join(dir, 'loop'), join(dir, 'loop/inner/back'));
    w('loop/ok.yaml', CLEAN);
    const r = await runCli(['validate', '-R', '-f', join(dir, 'loop'), '-o', 'json'], { timeoutMs: 20_000 });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.summary.files).toBe(1);
    expect(report.findings.filter((x) => x.rule === 'input-unreadable')).toHaveLength(1);
  });

  test('usage errors exit 2 with one line', async () => {
    for (const args of [
      ['validate'],
      ['validate', '-f', 'x.yaml', '--ports', '[9-1]'],
      ['validate', '-f', 'x.yaml', '--bogus'],
      ['validate', '-f', 'x.yaml', '-o', 'xml'],
    ]) {
      const r = await runCli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('validate: cluster snapshot file', () => {
  const agents = (ports: Array<[number, number]>) =>
    JSON.stringify({
      kind: 'List',
      items: [{ kind: 'MesosAgent', hostname: 'a1', total: { cpus: 4, mem: 8192, ports: ports.map(([begin, end]) => ({ begin, end })) } }],
    });

  test('ports offered by the saved agents decide', async () => {
    const f = w('snap/pod.yaml', BAD);
    const good = w('snap/good.json', agents([[8000, 9000]]));
    const none = w('snap/none.json', agents([[31000, 32000]]));
    expect((await runCli(['validate', '-f', f, '--cluster-snapshot', good])).code).toBe(0);
    expect((await runCli(['validate', '-f', f, '--cluster-snapshot', none])).code).toBe(1);
  });

  test('a snapshot that is not one is a usage error naming the file', async () => {
    const f = w('snap/pod2.yaml', BAD);
    const junk = w('snap/junk.json', '{"kind":"Pod"}');
    const r = await runCli(['validate', '-f', f, '--cluster-snapshot', junk]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --cluster-snapshot .*junk\.json: expected the output of 'k8smctl get agents -o json'/);
  });
});

describe('validate: static pods', () => {
  test('--static-pods-dir checks the folder as the scheduler reads it', async () => {
    w('static/good.yaml', BAD.replace('8080\n    resources', '31081\n    resources'));
    // (a pod named plain `n` would be a third error: kubectl's YAML 1.1 reads it as false)
    w('static/nolimits.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: nolimits}\nspec:\n  containers:\n  - name: c\n    image: busybox\n');
    w('static/empty', '');
    const r = await runCli(['validate', '--static-pods-dir', join(dir, 'static'), '-o', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const rules = report.findings.map((x) => `${x.rule}:${String(x.file).split('/').pop()}`);
    expect(rules).toEqual(expect.arrayContaining(['static-pod-file-skipped:empty']));
    expect(report.findings.filter((x) => x.severity === 'error').every((x) => String(x.file).endsWith('nolimits.yaml'))).toBe(true);
    expect(report.findings.filter((x) => x.severity === 'error').length).toBe(2); // cpu and memory
  });

  test('a missing static pods folder is a usage error', async () => {
    const r = await runCli(['validate', '--static-pods-dir', join(dir, 'no-such-dir')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --static-pods-dir .*no such directory/);
  });
});
