/**
 * Runs capture-lab.mjs in a fresh network namespace (`unshare -rn`) and the built k8smctl inside it.
 * See capture-lab.mjs for what happens in there.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { projectRoot, type LabServer } from './corpus.js';

const labScript = join(dirname(fileURLToPath(import.meta.url)), 'capture-lab.mjs');
const cliBin = join(projectRoot, 'bin', 'run.js');
const cliBundle = join(projectRoot, 'dist', 'k8smctl.js');

export interface LabResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  /** `GET 10.0.0.1:5050/state 404`, in the order the servers saw them. */
  requests: string[];
}

/** Why the lab cannot run here, or undefined. */
export function labUnavailable(): string | undefined {
  if (!existsSync(cliBundle)) return `k8smctl is not built (${cliBundle} missing): run npm run build first`;
  const probe = spawnSync('unshare', ['-rn', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return `cannot create a network namespace (unshare -rn; needs util-linux, iproute2 and unprivileged user namespaces): ${probe.error?.message ?? probe.stderr.trim()}`;
  }
  return undefined;
}

export class CaptureLab {
  private readonly pending = new Map<number, (r: LabResult) => void>();
  private next = 1;
  private readonly home = mkdtempSync(join(tmpdir(), 'k8smctl-captures-'));
  private exited?: string;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {}

  static async start(servers: LabServer[]): Promise<CaptureLab> {
    const child = spawn('unshare', ['-rn', process.execPath, labScript], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lab = new CaptureLab(child);
    const stderr: string[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c.toString('utf8')));
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => {
        lab.exited = `capture lab exited (${code}): ${stderr.join('').trim()}`;
        reject(new Error(lab.exited));
        for (const [, done] of lab.pending) done({ stdout: '', stderr: lab.exited, code: null, signal: null, timedOut: false, requests: [] });
      });
      lines.on('line', (line) => {
        const msg = JSON.parse(line) as { ready?: boolean; error?: string; id?: number } & LabResult;
        if (msg.ready) resolve();
        else if (msg.error) reject(new Error(`capture lab: ${msg.error}`));
        else if (msg.id !== undefined) {
          const done = lab.pending.get(msg.id);
          lab.pending.delete(msg.id);
          done?.(msg);
        }
      });
    });
    child.stdin.write(JSON.stringify({ servers }) + '\n');
    await ready;
    return lab;
  }

  /** `k8smctl ...args` inside the namespace, with a clean environment (no MESOS_*, no kubeconfig). */
  run(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<LabResult> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    const id = this.next++;
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: this.home, LANG: 'C.UTF-8', ...opts.env };
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin.write(JSON.stringify({ id, argv: [cliBin, ...args], env, cwd: projectRoot, timeoutMs: opts.timeoutMs ?? 30_000 }) + '\n');
    });
  }

  async close(): Promise<void> {
    if (!this.exited) {
      await new Promise<void>((resolve) => {
        this.child.once('exit', () => resolve());
        this.child.stdin.end();
      });
    }
    rmSync(this.home, { recursive: true, force: true });
  }
}
