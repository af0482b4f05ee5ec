/**
 * What the orphan commands share (issue 9): the Docker flags turned into checked settings (a bad
 * template, map file or certificate folder is a usage error before anything connects), and one
 * scan: the master, the chosen agents' own /state, their Docker engines (concurrently, bounded, each
 * with a deadline) and the pods, classified by core/orphans.
 */
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { DockerEngineApi, DockerTls } from '../../clients/docker/docker-client.js';
import { ClientError } from '../../clients/errors.js';
import type { KubeLoadOptions } from '../../clients/kube/kube-client.js';
import type { KubePod } from '../../clients/kube/types.js';
import { readTextFile } from '../../clients/local-files.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import type { AgentSnapshot, ClusterSnapshot } from '../../core/mesos/snapshot.js';
import {
  checkTemplate,
  classifyAll,
  EndpointProblem,
  ipOfPid,
  mesosLeftovers,
  parseEndpointsFile,
  parseEngineUrl,
  resolveEndpoint,
  type AgentReading,
  type Classification,
  type ClusterFacts,
  type EndpointSources,
  type EngineEndpoint,
  type KubeletContainer,
  type MesosLeftovers,
  type PodFacts,
} from '../../core/orphans/index.js';
import { ANNOTATION } from '../../core/k8sm/keys.js';
import { resolveAgentNames } from '../../core/views/agent-names.js';
import { durationFlagMs } from './duration-flag.js';
import { requestTimeoutMs } from './mesos.js';
import { essentialRead } from './unreadable.js';
import { UsageError } from '../../lib/errors.js';
import type { Factory, KubeApi, MesosApi } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';

/** The flags of src/lib/flags/docker-flags.ts, as parsed. */
export interface DockerFlags {
  'docker-endpoints'?: string;
  'docker-endpoint'?: string;
  'docker-tls-verify': boolean;
  'docker-cert-path'?: string;
  'docker-timeout': string;
  agent?: string[];
}

export interface DockerSettings {
  sources: EndpointSources;
  tls?: DockerTls;
  /** Deadline for one engine's list and inspects, and for each request. */
  timeoutMs: number;
}

/** Engines read at once, and inspects at once on one engine. */
export const ENGINE_CONCURRENCY = 8;
export const INSPECTS_PER_ENGINE = 8;
const MAX_ENDPOINTS_FILE = 1024 * 1024;

/** Names and addresses of this machine (the local engine answers for the agent with one of them). */
function localNames(): Set<string> {
  const names = new Set<string>([hostname()]);
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.address);
  return names;
}

/** A file named by a flag, or a usage error naming the flag. */
async function flagText(flag: string, path: string): Promise<string> {
  try {
    return await readTextFile(path, MAX_ENDPOINTS_FILE);
  } catch (e) {
    if (e instanceof ClientError && e.kind === 'config') throw new UsageError(`${flag}: ${e.message}`);
    throw e;
  }
}

/**
 * The Docker settings from the flags and the environment (docker CLI semantics: DOCKER_HOST,
 * DOCKER_TLS_VERIFY non-empty, DOCKER_CERT_PATH else ~/.docker). Every problem is a usage error.
 */
export async function dockerSettings(flags: DockerFlags, env: Readonly<Record<string, string | undefined>>): Promise<DockerSettings> {
  const timeoutMs = durationFlagMs('docker-timeout', flags['docker-timeout']);
  const sources: EndpointSources = { localNames: localNames() };
  const template = flags['docker-endpoint'];
  if (template !== undefined) {
    try {
      checkTemplate(template);
      // The scheme and shape, with sample values: a template that can never work fails now.
      parseEngineUrl(
        template
          .replace(/\{hostname\}/g, 'agent.example')
          .replace(/\{ip\}/g, '10.0.0.1')
          .replace(/\{id\}/g, 'S0'),
        'template',
      );
    } catch (e) {
      if (e instanceof EndpointProblem) throw new UsageError(`--docker-endpoint: ${e.message}`);
      throw e;
    }
    sources.template = template;
  }
  const file = flags['docker-endpoints'];
  if (file !== undefined) {
    const text = await flagText('--docker-endpoints', file);
    try {
      sources.map = parseEndpointsFile(text, file);
    } catch (e) {
      if (e instanceof EndpointProblem) throw new UsageError(`--docker-endpoints: ${e.message}`);
      throw e;
    }
  }
  const dockerHost = env['DOCKER_HOST'];
  if (dockerHost) {
    try {
      parseEngineUrl(dockerHost, 'local');
    } catch (e) {
      if (e instanceof EndpointProblem) throw new UsageError(`DOCKER_HOST: ${e.message}`);
      throw e;
    }
    sources.dockerHost = dockerHost;
  }
  const verify = flags['docker-tls-verify'] || Boolean(env['DOCKER_TLS_VERIFY']);
  if (flags['docker-cert-path'] !== undefined && !verify) {
    throw new UsageError('--docker-cert-path needs --docker-tls-verify', 'pass --docker-tls-verify (or set DOCKER_TLS_VERIFY=1) to use TLS');
  }
  let tls: DockerTls | undefined;
  if (verify) {
    const home = env['HOME'] ?? env['USERPROFILE'] ?? '';
    const certPath = flags['docker-cert-path'] ?? (env['DOCKER_CERT_PATH'] || join(home, '.docker'));
    const where = flags['docker-cert-path'] !== undefined ? '--docker-cert-path' : env['DOCKER_CERT_PATH'] ? 'DOCKER_CERT_PATH' : 'the default ~/.docker';
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) {
      try {
        await readTextFile(join(certPath, f), MAX_ENDPOINTS_FILE);
      } catch (e) {
        if (e instanceof ClientError && e.kind === 'config') {
          throw new UsageError(`TLS is on but ${e.message} (from ${where})`, 'put ca.pem, cert.pem and key.pem there, or pass --docker-cert-path DIR');
        }
        throw e;
      }
    }
    tls = { verify: true, certPath };
  }
  return { sources, ...(tls ? { tls } : {}), timeoutMs };
}

/** One agent's engine as read by the scan. */
export interface EngineResult {
  agentId: string;
  hostname: string;
  endpoint?: EngineEndpoint;
  /** The engine, kept for delete orphans (absent when it could not be reached). */
  engine?: DockerEngineApi;
  /** Why the engine could not be read (one line); its containers are unknown. */
  error?: string;
  /** Kubelet containers listed (and inspected). */
  containers: KubeletContainer[];
}

export interface OrphanScan {
  snapshot: ClusterSnapshot;
  agents: AgentSnapshot[];
  readings: Map<string, AgentReading>;
  engines: EngineResult[];
  cluster: ClusterFacts;
  classified: Classification[];
  leftovers: MesosLeftovers;
  warnings: string[];
}

export interface ScanRequest {
  agentNames: ReadonlyArray<string>;
  docker: DockerSettings;
  kube: KubeLoadOptions;
  /** The user named a kubeconfig or context: failing to load it is an error, not a warning. */
  kubeExplicit: boolean;
  debug?: (line: string) => void;
}

/** Rejects after `ms` (a ClientError timeout naming the engine), or when the signal fires. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, target: string, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new ClientError({ kind: 'timeout', service: 'docker-engine', reason: 'deadline', target, message: `${what}: no answer within ${ms / 1000}s` })),
      ms,
    );
    const onAbort = () =>
      reject(
        new ClientError({ kind: 'aborted', service: 'docker-engine', target, message: `${what}: interrupted`, details: { reason: String(signal.reason) } }),
      );
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/** One engine: one list, then at most one inspect per kubelet container (a container gone by then is dropped). */
async function readEngine(f: Factory, endpoint: EngineEndpoint, s: DockerSettings): Promise<{ engine: DockerEngineApi; containers: KubeletContainer[] }> {
  const engine = await f.docker({ endpoint, ...(s.tls ? { tls: s.tls } : {}), timeoutMs: s.timeoutMs });
  const listed = await engine.listKubeletContainers();
  const limit = pLimit(INSPECTS_PER_ENGINE);
  const inspected = await Promise.all(
    listed.map((c) =>
      limit(async (): Promise<KubeletContainer | undefined> => {
        try {
          const i = await engine.inspect(c.id);
          return i ? { ...i, created: i.created ?? c.created } : undefined;
        } catch (e) {
          return { ...c, inspectError: oneLine(e) };
        }
      }),
    ),
  );
  return { engine, containers: inspected.filter((c): c is KubeletContainer => c !== undefined) };
}

/** Reads an engine under the scan's deadline; never throws (an interruption does). */
export async function readEngineBounded(f: Factory, agent: AgentSnapshot, s: DockerSettings): Promise<EngineResult> {
  const base = { agentId: agent.id, hostname: agent.hostname };
  const ip = ipOfPid(agent.pid);
  const where = resolveEndpoint({ id: agent.id, hostname: agent.hostname, ...(ip ? { ip } : {}) }, s.sources);
  if ('problem' in where) return { ...base, error: where.problem, containers: [] };
  const endpoint = where.endpoint;
  try {
    const r = await withDeadline(readEngine(f, endpoint, s), s.timeoutMs, `Docker engine ${endpoint.url} of agent ${agent.hostname}`, endpoint.url, f.signal);
    return { ...base, endpoint, engine: r.engine, containers: r.containers };
  } catch (e) {
    if (e instanceof ClientError && e.kind === 'aborted') throw e;
    const hint = e instanceof ClientError ? ENGINE_HINTS[e.kind] : undefined;
    return { ...base, endpoint, error: `${oneLine(e)}${hint ? `; ${hint}` : ''}`, containers: [] };
  }
}

/** What to do about an engine that could not be read, by kind (flags named). */
const ENGINE_HINTS: Partial<Record<ClientError['kind'], string>> = {
  tls: 'check --docker-tls-verify and ca.pem/cert.pem/key.pem in --docker-cert-path (or DOCKER_CERT_PATH)',
  unreachable: 'check its endpoint (--docker-endpoints, --docker-endpoint) and that the engine listens there',
  timeout: 'the engine is slow or unreachable; check it, or raise --docker-timeout',
  truncated: 'a retry may help, else check the engine (or a proxy in front of it)',
  config: 'check --docker-cert-path (ca.pem, cert.pem, key.pem)',
  protocol: 'is it a Docker engine? check its endpoint (--docker-endpoints, --docker-endpoint)',
};

/** What the orphan check knows of a pod. */
export function podFacts(p: KubePod): PodFacts {
  const taskId = p.metadata.annotations?.[ANNOTATION.taskId];
  return {
    name: p.metadata.name,
    namespace: p.metadata.namespace ?? 'default',
    ...(p.metadata.uid ? { uid: p.metadata.uid } : {}),
    ...(p.spec.nodeName ? { nodeName: p.spec.nodeName } : {}),
    ...(taskId ? { taskId } : {}),
  };
}

/** Every pod (evidence only): a failure is a warning unless the user named the kubeconfig or context. */
async function readPods(f: Factory, req: ScanRequest, warnings: string[]): Promise<PodFacts[] | undefined> {
  let kube: KubeApi | undefined;
  try {
    kube = await f.kube(req.kube);
    return (await kube.listPods({ allNamespaces: true })).map(podFacts);
  } catch (e) {
    if (!(e instanceof ClientError) || e.kind === 'aborted' || (req.kubeExplicit && e.kind === 'config')) throw e;
    warnings.push(`pods not read (${oneLine(e)}): no apiserver evidence is shown`);
    return undefined;
  } finally {
    kube?.close();
  }
}

/** The agents to look at: the named ones (whatever their state), else every active agent. */
export function chooseAgents(snap: ClusterSnapshot, names: ReadonlyArray<string>): AgentSnapshot[] {
  if (!names.length) return snap.agents.filter((a) => a.active);
  const { agents, problems } = resolveAgentNames(snap.agents, names);
  if (problems.length) {
    const p = problems[0]!;
    const known = snap.agents.map((a) => a.hostname).join(', ') || 'none';
    throw new UsageError(
      p.candidates.length ? `--agent "${p.name}" is ambiguous: ${p.candidates.join(', ')}` : `--agent "${p.name}" matches no agent (known: ${known})`,
    );
  }
  return [...new Map(agents.map((a) => [a.id, a])).values()];
}

/** The agents' own /state now (an agent that does not answer is unreadable: nothing on it is proven). */
export async function readAgents(mesos: MesosApi, agents: ReadonlyArray<AgentSnapshot>): Promise<{ readings: Map<string, AgentReading>; warnings: string[] }> {
  const readings = new Map<string, AgentReading>();
  if (!agents.length) return { readings, warnings: [] };
  const { details, warnings } = await mesos.agentDetails(agents, 'state');
  for (const a of agents) {
    readings.set(a.id, { id: a.id, hostname: a.hostname, detail: details.get(a.id) ?? { reachable: false, error: 'not read' } });
  }
  return { readings, warnings };
}

export function clusterFacts(snap: ClusterSnapshot, pods: ReadonlyArray<PodFacts> | undefined): ClusterFacts {
  return { frameworks: snap.frameworks, tasks: snap.tasks, ...(pods ? { pods } : {}) };
}

/** The whole scan; `mesos` stays open for the caller (delete reads agents again before acting). */
export async function scanOrphans(f: Factory, mesos: MesosApi, io: IOStreams, req: ScanRequest): Promise<OrphanScan> {
  const warnings: string[] = [];
  if (io.errIsTTY) io.err.write('reading the Mesos master...\r');
  const snapshot = await essentialRead(mesos.snapshot());
  warnings.push(...snapshot.warnings);
  const agents = chooseAgents(snapshot, req.agentNames);
  if (io.errIsTTY) io.err.write(`\x1b[2Kreading ${agents.length} agents, their Docker engines and the pods...\r`);
  const limit = pLimit(ENGINE_CONCURRENCY);
  // The local engine (DOCKER_HOST) answers only for an agent the user named with --agent (issue 9).
  const docker = req.agentNames.length ? req.docker : { ...req.docker, sources: { ...req.docker.sources, localNames: new Set<string>() } };
  const [pods, agentRead, engines] = await Promise.all([
    readPods(f, req, warnings),
    readAgents(mesos, agents),
    Promise.all(agents.map((a) => limit(() => readEngineBounded(f, a, docker)))),
  ]);
  if (io.errIsTTY) io.err.write('\x1b[2K');
  warnings.push(...agentRead.warnings);
  for (const e of engines) {
    if (e.engine) req.debug?.(`engine ${e.endpoint?.url} of ${e.hostname}: ${e.engine.counters.list} list, ${e.engine.counters.inspect} inspects`);
  }
  const cluster = clusterFacts(snapshot, pods);
  const classified = classifyAll(
    engines.filter((e) => !e.error).map((e) => ({ agentId: e.agentId, hostname: e.hostname, containers: e.containers })),
    agentRead.readings,
    cluster,
  );
  const leftovers = mesosLeftovers(cluster, f.clock.now() / 1000);
  return { snapshot, agents, readings: agentRead.readings, engines, cluster, classified, leftovers, warnings };
}

/** The kube options of the orphan commands (all namespaces are read); --request-timeout bounds each request, as kubectl's does. */
export function kubeOptions(flags: { kubeconfig?: string; context?: string; 'request-timeout': string }, debug?: (line: string) => void): KubeLoadOptions {
  return {
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    requestTimeoutMs: requestTimeoutMs(flags['request-timeout']),
    ...(debug ? { debug } : {}),
  };
}

export type { MesosConnectOptions };
