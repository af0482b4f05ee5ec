/**
 * Server processes of the test stack: started detached (they outlive `npm run stack:up`), output to a
 * log file, stopped by PID. Nothing here looks processes up by name: the only search is for processes
 * whose command line names the stack's own unique temp folder (shims and containerd that dockerd
 * starts), which are ours by construction.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { StackProcess } from './types.js';

export interface DaemonSpec {
  name: string;
  command: string;
  args: string[];
  log: string;
  /** Send stdout here instead of to `log` (e.g. a server that prints its endpoints as JSON). */
  stdout?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface Daemon extends StackProcess {
  /** Resolves with the exit code/signal if the process ends (while we still watch it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

/** Start a server detached in its own process group, stdout+stderr appended to `spec.log`. */
export function startDaemon(spec: DaemonSpec): Daemon {
  const fd = openSync(spec.log, 'a');
  const outFd = spec.stdout ? openSync(spec.stdout, 'a') : fd;
  let ended = false;
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', outFd, fd],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        ended = true;
        resolve({ code, signal });
      });
      child.once('error', () => {
        ended = true;
        resolve({ code: 127, signal: null });
      });
    });
    child.unref();
    if (child.pid === undefined) {
      // spawn failed synchronously (ENOENT arrives as 'error'); keep the shape and let callers see the exit.
      return { name: spec.name, pid: -1, log: spec.log, exited, hasExited: () => true };
    }
    return { name: spec.name, pid: child.pid, log: spec.log, exited, hasExited: () => ended };
  } finally {
    closeSync(fd);
    if (outFd !== fd) closeSync(outFd);
  }
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) counts as gone.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The last `n` non-empty lines of a log file, joined with ' | ' (for one-line errors). */
export function logTail(file: string, n = 3): string {
  try {
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return lines.slice(-n).join(' | ').slice(0, 600);
  } catch {
    return '';
  }
}

/** Why a daemon is no longer worth waiting for (it exited), or undefined while it runs. */
export function exitedWhy(d: Daemon): string | undefined {
  if (!d.hasExited()) return undefined;
  const tail = logTail(d.log);
  return `exited${tail ? `: ${tail}` : ''} (log ${d.log})`;
}

/** Resident memory of a process in KiB (0 if gone). */
export function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * Stop one process: SIGTERM, wait up to `graceMs`, then SIGKILL. If `mustMention` is given, the process
 * is only signalled when its command line contains it (guards against a recycled PID from an old
 * stack.json). Returns true when the process is gone.
 */
export async function stopPid(pid: number, opts: { graceMs?: number; mustMention?: string } = {}): Promise<boolean> {
  if (!isAlive(pid)) return true;
  if (opts.mustMention && !cmdlineOf(pid).includes(opts.mustMention)) return true;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + (opts.graceMs ?? 5000);
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  signal(pid, 'SIGKILL');
  for (let i = 0; i < 40; i++) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

interface ProcEntry {
  pid: number;
  ppid: number;
  cmdline: string;
  cwd: string;
}

function listProcesses(): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(rest[1]);
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        /* not ours to read */
      }
      out.push({ pid, ppid, cmdline: cmdlineOf(pid), cwd });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * PIDs of processes that belong to the stack in `dir` although it did not start them itself: any
 * process whose command line or working folder is inside `dir` (dockerd's containerd, containerd's
 * shims), plus all their descendants (the containers' processes). Never this process or its ancestors.
 */
export function strayProcessesOf(dir: string): number[] {
  if (!dir || dir.length < 8) return [];
  const procs = listProcesses();
  const protectedPids = new Set<number>();
  for (let p: number | undefined = process.pid; p && p > 1;) {
    protectedPids.add(p);
    p = procs.find((e) => e.pid === p)?.ppid;
  }
  const roots = procs.filter((e) => !protectedPids.has(e.pid) && (e.cmdline.includes(dir) || e.cwd === dir || e.cwd.startsWith(`${dir}/`)));
  const found = new Set(roots.map((e) => e.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of procs) {
      if (!found.has(e.pid) && found.has(e.ppid) && !protectedPids.has(e.pid)) {
        found.add(e.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** SIGKILL every stray process of the stack in `dir` (see `strayProcessesOf`); returns how many. */
export async function killStrays(dir: string): Promise<number> {
  let total = 0;
  for (let round = 0; round < 5; round++) {
    const pids = strayProcessesOf(dir);
    if (pids.length === 0) break;
    total += pids.length;
    for (const pid of pids) signal(pid, 'SIGKILL');
    await sleep(100);
  }
  return total;
}

/** Mount points at or below `dir` (overlay mounts a killed dockerd left behind), deepest first. */
export function mountsUnder(dir: string): string[] {
  if (!existsSync('/proc/self/mounts')) return [];
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => unescape(l.split(' ')[1] ?? ''))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}
