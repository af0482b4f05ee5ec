/** `k8smctl validate` in-process on the input problems of issue 12: empty input, JSON streams, size caps. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k8smctl } from '../harness.js';

let dir: string;
const w = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const pod = (name: string, hostPort: number) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'c', image: 'c', ports: [{ containerPort: 80, hostPort }], resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-issue12-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('empty input is an error (exit 2), as kubectl makes it one', () => {
  test('empty standard input: one line on stderr, no report', async () => {
    const r = await k8smctl(['validate', '-f', '-', '-o', 'json'], { stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: <stdin> holds no objects: it is empty (nothing but whitespace, comments or ---), so there is nothing to check; if it came through a pipe, check the command that produced it\n',
    );
  });

  test('only empty or comment-only files: exit 2; an unreadable path is named too', async () => {
    const a = w('empty.yaml', '');
    const b = w('comments.yaml', '# generated, nothing here\n---\n');
    const r = await k8smctl(['validate', '-f', a, '-f', b, '-f', join(dir, 'missing.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^error: .*missing\.yaml: no such file or directory/),
      `error: the input holds no objects: ${a}, ${b} are empty (nothing but whitespace, comments or ---), so there is nothing to check`,
      '',
    ]);
  });

  test('an empty file next to a manifest is fine', async () => {
    const r = await k8smctl(['validate', '-f', w('e2.yaml', ''), '-f', w('ok.json', pod('ok', 31080))]);
    expect(r.code).toBe(0);
  });
});

describe('a stream of JSON objects reads the same from a file and from standard input', () => {
  test('two pods, one with a host port no agent offers: same findings, same lines', async () => {
    const text = `${pod('fine', 31080)}\n${pod('stuck', 8080)}\n`;
    const fromFile = await k8smctl(['validate', '-f', w('pods.json', text), '-o', 'json']);
    const fromStdin = await k8smctl(['validate', '-f', '-', '-o', 'json'], { stdin: text });
    expect(fromFile.code).toBe(1);
    expect(fromStdin.code).toBe(1);
    const strip = (out: string) => (JSON.parse(out) as { findings: Array<Record<string, unknown>> }).findings.map(({ file: _f, ...rest }) => rest);
    expect(strip(fromStdin.stdout)).toEqual(strip(fromFile.stdout));
    expect(strip(fromFile.stdout)).toEqual([expect.objectContaining({ rule: 'host-port-not-offered', name: 'stuck', line: 2, port: 8080 })]);
  });
});

describe('--per-file', () => {
  test('checks every file on its own: a Service meets only the pods of its own file', async () => {
    const d = w(
      'deploy.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: api, ports: [{name: http, containerPort: 80}], resources: {limits: {cpu: 1, memory: 1Gi}}}]\n',
    );
    const s = w('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: http}]\n');
    const rules = async (extra: string[]) =>
      (JSON.parse((await k8smctl(['validate', '-f', d, '-f', s, '-o', 'json', ...extra])).stdout) as { findings: Array<{ rule: string }> }).findings.map(
        (f) => f.rule,
      );
    expect(await rules([])).toEqual([]);
    expect(await rules(['--per-file'])).toEqual(['service-selects-no-pods']);
  });
});
