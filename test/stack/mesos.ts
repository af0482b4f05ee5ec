/**
 * The Mesos simulator (test/stack/mesos-sim/, the stack's one fake) as a server process of the stack:
 * bundled with esbuild into the stack's folder, run with node, a leader and a standby master
 * registered in the stack's ZooKeeper under /mesos, one agent per Docker engine with varied
 * resources (port ranges with gaps, attributes, a reserved role).
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerHandle } from './docker.js';
import type { FileConfig } from './mesos-sim/config-file.js';
import type { AgentConfig } from './mesos-sim/types.js';
import { http, isPortFree, pickPort, waitUntil } from './net.js';
import { exitedWhy, startDaemon, type Daemon } from './proc.js';
import type { MesosAgentInfo, MesosInfo, PkiInfo } from './types.js';

export const MESOS_ZK_PATH = '/mesos';
export const MESOS_AGENT_PORT = 5051;

type AgentShape = Pick<AgentConfig, 'resources' | 'reserved' | 'attributes' | 'flags'>;

/**
 * Agent i (1-based) of the stack, in the spirit of a small real cluster: a plain agent, one whose port
 * range has a gap (31100 taken out) with rack/zone attributes, and a "public" agent with a static
 * reservation for role `public` (ports 80 and 443 among them). Further agents repeat the pattern.
 */
export function agentShape(i: number): AgentShape {
  const rack = `r${i}`;
  switch ((i - 1) % 3) {
    case 0:
      return {
        resources: { cpus: 4, mem: 8192, disk: 40960, ports: '[31000-32000]' },
        ...(i > 1 ? { attributes: { rack, zone: 'c' } } : {}),
      };
    case 1:
      return {
        resources: { cpus: 2, mem: 4096, disk: 20480, ports: '[31000-31099, 31101-32000]' },
        attributes: { rack: i === 2 ? 'r1' : rack, zone: 'a' },
      };
    default:
      return {
        resources: { cpus: 8, mem: 16384, disk: 81920, ports: '[80-80, 443-443, 31000-32000]' },
        reserved: { public: { cpus: 2, mem: 2048, ports: '[80-80, 443-443]' } },
        attributes: { rack, zone: 'b', public_ip: 'true' },
      };
  }
}

export interface MesosSimProcess {
  daemon: Daemon;
  info: MesosInfo;
}

/** Bundle test/stack/mesos-sim/main.ts (and everything it imports) into one ESM file. */
export async function bundleSimulator(projectRoot: string, outfile: string): Promise<void> {
  const entry = join(projectRoot, 'test', 'stack', 'mesos-sim', 'main.ts');
  if (!existsSync(entry)) throw new Error(`Mesos simulator not found (${entry})`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // Bundled CommonJS dependencies (node-zookeeper-client) call require(): give them one.
    banner: { js: "import { createRequire as __k8smCreateRequire } from 'node:module'; const require = __k8smCreateRequire(import.meta.url);" },
  });
}

/** The JSON object the simulator's CLI printed on stdout (its endpoints), once complete. */
export function readEndpoints(file: string): Record<string, unknown> | undefined {
  // main.ts prints one line of JSON, ended by a newline, when everything listens.
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Possibly more than one line (e.g. a log line before): take the last line that parses.
    for (const line of text.split('\n').reverse()) {
      try {
        const v = JSON.parse(line) as unknown;
        if (v && typeof v === 'object') return v as Record<string, unknown>;
      } catch {
        /* keep looking */
      }
    }
    return undefined;
  }
}

export async function startMesosSimulatorProcess(o: {
  projectRoot: string;
  dir: string;
  logsDir: string;
  timeoutMs: number;
  zk: { host: string; port: number };
  dockers: DockerHandle[];
  pki: PkiInfo;
  kube: { url: string; caFile: string; token: string; ready: Promise<void> };
  onDaemon: (d: Daemon) => void;
}): Promise<MesosSimProcess> {
  const base = join(o.dir, 'mesos');
  mkdirSync(base, { recursive: true });
  const bundle = join(base, 'mesos-sim.mjs');
  const bundled = bundleSimulator(o.projectRoot, bundle);

  const masterPorts = [await pickPort('127.0.0.1'), await pickPort('127.0.0.1')];
  const agents: (AgentConfig & { ip: string; port: number })[] = [];
  for (const d of o.dockers) {
    const port = (await isPortFree(d.ip, MESOS_AGENT_PORT)) ? await pickPort(d.ip, MESOS_AGENT_PORT) : await pickPort(d.ip);
    agents.push({ hostname: `agent-${d.index}`, ip: d.ip, port, ...agentShape(d.index), docker: { host: d.ip, port: d.port } });
  }
  const zkConnect = `${o.zk.host}:${o.zk.port}`;
  const kubeTokenFile = join(base, 'kube-token');
  writeFileSync(kubeTokenFile, `${o.kube.token}\n`, { mode: 0o600 });
  const config: FileConfig = {
    masters: 2,
    host: '127.0.0.1',
    masterPorts,
    zk: { connect: zkConnect, path: MESOS_ZK_PATH },
    clusterName: 'k8sm-test',
    agents,
    // The stack's apiserver, so that tasks launched through the scheduler API run as k8sm's executor
    // runs them (reference §1.9-1.11): the pod bound with the scheduler's annotations, its containers
    // on the agent's Docker engine, TASK_STARTING then TASK_RUNNING once the pod is Running.
    kube: { server: o.kube.url, tokenFile: kubeTokenFile, caFile: o.kube.caFile },
    schedulerApi: { launch: 'k8sm' },
  };
  const configFile = join(base, 'sim.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  await bundled;

  const endpointsFile = join(base, 'endpoints.json');
  const controlPort = await pickPort('127.0.0.1');
  const daemon = startDaemon({
    name: 'mesos-sim',
    command: process.execPath,
    args: [bundle, '--config', configFile, '--control-port', String(controlPort)],
    log: join(o.logsDir, 'mesos-sim.log'),
    stdout: endpointsFile,
    cwd: base,
  });
  o.onDaemon(daemon);

  const endpoints = (await waitUntil(`Mesos simulator (config ${configFile})`, () => Promise.resolve(readEndpoints(endpointsFile)), {
    timeoutMs: o.timeoutMs,
    intervalMs: 50,
    abort: () => exitedWhy(daemon),
  })) as SimEndpoints;
  const masters = (endpoints.masters ?? []).map((m, i) => ({
    url: m.url,
    host: m.host,
    port: m.port,
    leader: m.url === endpoints.leaderUrl || (!endpoints.leaderUrl && i === 0),
  }));
  const leader = masters.find((m) => m.leader);
  if (masters.length !== 2 || !leader) throw new Error(`Mesos simulator: expected a leader and a standby, got ${JSON.stringify(endpoints.masters)}`);
  // Ready when the leader serves its state (the simulator printed its endpoints once listening).
  await waitUntil(`Mesos leader at ${leader.url}`, async () => ((await http(`${leader.url}/state`, { timeoutMs: 2000 })).status === 200 ? true : undefined), {
    timeoutMs: o.timeoutMs,
    intervalMs: 50,
    abort: () => exitedWhy(daemon),
  });
  const agentInfos: MesosAgentInfo[] = agents.map((a, i) => {
    const reported = endpoints.agents?.find((e) => e.hostname === a.hostname);
    return {
      hostname: a.hostname,
      ...(reported?.id ? { id: reported.id } : {}),
      ip: a.ip,
      port: reported?.port ?? a.port,
      url: reported?.url ?? `http://${a.ip}:${a.port}`,
      dockerIndex: i,
      resources: Object.fromEntries(Object.entries(a.resources).map(([k, v]) => [k, String(v)])),
      attributes: Object.fromEntries(Object.entries(a.attributes ?? {}).map(([k, v]) => [k, String(v)])),
      ...(a.reserved ? { reserved: a.reserved } : {}),
    };
  });
  return {
    daemon,
    info: {
      masters,
      leaderUrl: leader.url,
      masterList: masters.map((m) => m.url).join(','),
      zkUrl: `zk://${zkConnect}${MESOS_ZK_PATH}`,
      zkPath: MESOS_ZK_PATH,
      agents: agentInfos,
      ...(endpoints.controlUrl ? { controlUrl: endpoints.controlUrl } : {}),
      version: endpoints.version ?? '',
      configFile,
      endpoints,
    },
  };
}

/** What main.ts prints once everything listens (see its header). */
interface SimEndpoints {
  pid?: number;
  version?: string;
  masters?: { index: number; id: string; url: string; host: string; port: number; pid: string }[];
  leaderUrl?: string;
  agents?: { id: string; hostname: string; url: string; ip: string; port: number; pid: string }[];
  zk?: { connect: string; path: string };
  controlUrl?: string;
}
