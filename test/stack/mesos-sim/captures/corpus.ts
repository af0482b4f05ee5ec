/**
 * The real Mesos captures in ../shared/corpus/mesos-state (read there, never copied into the
 * project): which document is a master's `/state`, which an agent's, which agents belong to which
 * master (the agent's own `id` is one of the master's `slaves[].id`), and on which paths the Mesos
 * version of each served it. Everything here is read from the documents themselves.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** `../shared/corpus/mesos-state` relative to the project root. */
export const CAPTURE_DIR = resolve(projectRoot, '..', 'shared', 'corpus', 'mesos-state');

export function capturesAvailable(): boolean {
  return existsSync(CAPTURE_DIR);
}

export interface Capture {
  /** File name in CAPTURE_DIR. */
  file: string;
  path: string;
  kind: 'master' | 'agent' | 'other';
  /** Mesos version the document states (`version`). */
  version: string;
  /** libprocess pid (`master@10.0.0.1:5050`, `slave(1)@10.0.0.2:5051`). */
  pid: string;
  id: string;
  json: any;
}

/** `0.22.0-rc1` → [0, 22, 0]. */
export function versionParts(v: string): number[] {
  return v
    .split(/[.-]/)
    .slice(0, 3)
    .map((x) => Number.parseInt(x, 10) || 0);
}

export function versionBelow(v: string, than: string): boolean {
  const a = versionParts(v);
  const b = versionParts(than);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** Every capture that parses as one JSON document (the v1 SUBSCRIBE stream does not: it is `other`). */
export function loadCaptures(): Capture[] {
  const out: Capture[] = [];
  for (const file of readdirSync(CAPTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const path = join(CAPTURE_DIR, file);
    let json: any;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      out.push({ file, path, kind: 'other', version: '', pid: '', id: '', json: undefined });
      continue;
    }
    const pid = typeof json.pid === 'string' ? json.pid : '';
    const kind = pid.startsWith('master@') ? 'master' : pid.startsWith('slave(') ? 'agent' : 'other';
    out.push({ file, path, kind, version: String(json.version ?? ''), pid, id: String(json.id ?? ''), json });
  }
  return out;
}

export function capture(captures: ReadonlyArray<Capture>, file: string): Capture {
  const c = captures.find((x) => x.file === file);
  if (!c) throw new Error(`capture ${file} not found in ${CAPTURE_DIR}`);
  return c;
}

/** The agent captures whose id the master lists. */
export function agentsOf(master: Capture, captures: ReadonlyArray<Capture>): Capture[] {
  const ids = new Set([...(master.json.slaves ?? []), ...(master.json.recovered_slaves ?? [])].map((s: any) => s.id));
  return captures.filter((c) => c.kind === 'agent' && ids.has(c.id));
}

/** `slave(1)@10.0.0.2:5051` → {process, host, port}; hostnames and IPv6 in brackets are kept as written. */
export function splitPid(pid: string): { process: string; host: string; port: number } | undefined {
  const m = /^([^@]+)@(.+):(\d+)$/.exec(pid);
  if (!m) return undefined;
  return { process: m[1]!, host: m[2]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[3]) };
}

const isIp = (h: string) => /^\d+\.\d+\.\d+\.\d+$/.test(h) || h.includes(':');

/**
 * The paths a Mesos process of that version answered its state on: before 0.25 only the `.json`
 * names; from 0.25 both; from 1.7 (commit 42551cb52, "Removed long ago deprecated endpoints") only
 * the names without `.json` (reference §2.1).
 */
export function statePaths(version: string, process: string): string[] {
  const bare = [`/${process}/state`, '/state'];
  const json = bare.map((p) => `${p}.json`);
  if (versionBelow(version, '0.25.0')) return json;
  if (versionBelow(version, '1.7.0')) return [...bare, ...json];
  return bare;
}

export interface LabServer {
  host: string;
  port: number;
  routes: Record<string, string>;
}

export interface MasterPlan {
  master: Capture;
  agents: Capture[];
  /** Base URL to give --mesos-master. */
  masterUrl: string;
  servers: LabServer[];
}

/**
 * Servers for one master capture: the master at the address of its own pid (127.0.0.1 when the pid
 * names a host name), its agents' captures at the addresses of their pids. Agents the master lists
 * without a capture get no server.
 */
export function planMaster(master: Capture, captures: ReadonlyArray<Capture>): MasterPlan {
  const mp = splitPid(master.pid);
  const host = mp && isIp(mp.host) ? mp.host : '127.0.0.1';
  const port = mp?.port ?? 5050;
  const routes: Record<string, string> = {};
  for (const p of statePaths(master.version, 'master')) routes[p] = master.path;
  const servers: LabServer[] = [{ host, port, routes }];
  const agents = agentsOf(master, captures);
  for (const a of agents) {
    const ap = splitPid(a.pid);
    if (!ap || !isIp(ap.host)) throw new Error(`agent capture ${a.file}: pid ${a.pid} names no IP address`);
    const r: Record<string, string> = {};
    for (const p of statePaths(a.version, ap.process)) r[p] = a.path;
    servers.push({ host: ap.host, port: ap.port, routes: r });
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { master, agents, masterUrl: `http://${urlHost}:${port}`, servers };
}
