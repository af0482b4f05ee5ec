/**
 * Run the BUILT k8smctl (`node bin/run.js ...`) as a user would: a separate process, no TTY, the
 * environment given (not the test runner's KUBECONFIG/MESOS_* or colour settings), stdin closed unless
 * given. Never hangs: the process group is killed at the timeout.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const cliBin = join(projectRoot, 'bin', 'run.js');
const cliBundle = join(projectRoot, 'dist', 'k8smctl.js');

export interface RunOptions {
  /** Added to the base environment; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed (closed at once when absent). */
  stdin?: string | Buffer;
  /** Kill the process after this long (default 30 s). */
  timeoutMs?: number;
  cwd?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit code; null if killed by a signal (e.g. the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
}

/** Variables of the test runner that must not leak into the command under test. */
const SCRUB = /^(KUBECONFIG|MESOS_.*|K8SMCTL_(?!STACK$).*|FORCE_COLOR|NO_COLOR|DOCKER_HOST|DOCKER_.*|NODE_OPTIONS|JEST_WORKER_ID)$/;

export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SCRUB.test(k)) env[k] = v;
  return env;
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (!existsSync(cliBundle)) {
    return Promise.reject(new Error(`k8smctl is not built (${cliBundle} missing): run npm run build before the e2e tests`));
  }
  return runProcess(process.execPath, [cliBin, ...args], opts);
}

/** Run any program the same way (used for kubectl). */
export function runProcess(command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const env = baseEnv();
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd ?? projectRoot, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => undefined); // the command may exit without reading stdin
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Grandchildren (none expected) must not outlive the call either.
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* group already gone */
        }
      }
      resolvePromise({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        signal,
        timedOut,
        durationMs: Date.now() - t0,
      });
    });
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}
