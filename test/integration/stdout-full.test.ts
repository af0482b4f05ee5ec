/**
 * The built CLI writing to a stdout that fails (a full disk: /dev/full): one line on stderr naming
 * what failed, exit 1, never a stack trace (needs `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

test('stdout on a full disk: one error line, exit 1, no stack trace', () => {
  const fd = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [bin, 'completion', 'bash'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('error: cannot write the output: ENOSPC: no space left on device, write; free some space, or send the output elsewhere\n');
    expect(r.status).toBe(1);
  } finally {
    closeSync(fd);
  }
});

describe('a long report (written straight to the descriptor, not through the stream)', () => {
  // 400 pods without limits: one finding each, a JSON report of about 250 KB
  let dir: string;
  let manifest: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8smctl-long-report-'));
    manifest = join(dir, 'pods.yaml');
    const pod = (i: number): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-${i}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n`;
    writeFileSync(manifest, Array.from({ length: 400 }, (_, i) => pod(i)).join('---\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('through a pipe: the same bytes as to a file, once each', () => {
    const out = join(dir, 'report.json');
    const fd = openSync(out, 'w');
    try {
      spawnSync(process.execPath, [bin, 'validate', '-f', manifest, '-o', 'json'], { stdio: ['ignore', fd, 'pipe'], timeout: 60_000 });
    } finally {
      closeSync(fd);
    }
    const piped = spawnSync(process.execPath, [bin, 'validate', '-f', manifest, '-o', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 60_000 });
    expect(piped.stderr).toBe('');
    const report = JSON.parse(piped.stdout) as { findings: unknown[] };
    expect(report.findings).toHaveLength(400);
    expect(piped.stdout.length).toBeGreaterThan(200_000);
    expect(piped.stdout).toBe(readFileSync(out, 'utf8'));
  });

  test('on a full disk: one error line, exit 1, no stack trace', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'validate', '-f', manifest, '-o', 'json'], {
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.stderr).toBe('error: cannot write the output: ENOSPC: no space left on device, write; free some space, or send the output elsewhere\n');
      expect(r.status).toBe(1);
    } finally {
      closeSync(fd);
    }
  });

  test('to a reader that stops early (| head -c 100): quiet, and the exit status of the check (infos only: 0)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" validate -f "${manifest}" -o json | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
