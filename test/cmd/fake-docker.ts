/**
 * A fake Docker engine for the orphan commands (test/cmd/**): containers as a real engine lists
 * and inspects them, stop and remove that change them, the answers a real engine gives (404 gone,
 * 304 already stopped, 409 conflict) as the real client turns them into results and ClientErrors,
 * and hooks to change the world between the plan and the act.
 */
import type { DockerEngineApi, DockerEngineOptions } from '../../src/clients/docker/docker-client.js';
import { ClientError } from '../../src/clients/errors.js';
import type { KubeletContainer } from '../../src/core/orphans/index.js';

export interface FakeContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: string;
  created: number;
  env: string[];
}

/** A kubelet container of pod `ns/pod`; `marker` is its MESOS_EXECUTOR_CONTAINER_UUID (none when undefined). */
export function kubeletContainer(
  id: string,
  pod: string,
  ns: string,
  marker: string | undefined,
  o: { container?: string; hostPort?: number; grace?: number; state?: string; created?: number } = {},
): FakeContainer {
  const c = o.container ?? 'app';
  return {
    id: id.padEnd(64, '0'),
    name: `k8s_${c}.1a2b3c_${pod}_${ns}_uid-${pod}_0badf00d`,
    labels: {
      'io.kubernetes.pod.name': pod,
      'io.kubernetes.pod.namespace': ns,
      'io.kubernetes.pod.uid': `uid-${pod}`,
      ...(o.grace !== undefined ? { 'io.kubernetes.pod.terminationGracePeriod': String(o.grace) } : {}),
      ...(o.hostPort !== undefined ? { 'io.kubernetes.container.ports': JSON.stringify([{ hostPort: o.hostPort, containerPort: 80, protocol: 'TCP' }]) } : {}),
    },
    state: o.state ?? 'running',
    created: o.created ?? Date.parse('2025-12-31T23:00:00Z') / 1000,
    env: marker === undefined ? ['PATH=/bin'] : ['PATH=/bin', `MESOS_EXECUTOR_CONTAINER_UUID=${marker}`],
  };
}

export interface FakeEngineOptions {
  /** The list never answers (an engine that hangs). */
  hang?: boolean;
  /** Listing fails with this. */
  listError?: ClientError;
  /** Called before each inspect (change the world between plan and act). */
  beforeInspect?: (id: string, n: number) => void;
  /** stop of this id answers with this error instead. */
  stopError?: Record<string, ClientError>;
  removeError?: Record<string, ClientError>;
}

export class FakeDockerEngine implements DockerEngineApi {
  readonly counters = { list: 0, inspect: 0, stop: 0, remove: 0 };
  readonly containers = new Map<string, FakeContainer>();
  /** `stop <id> <seconds>` / `remove <id>`, in order. */
  readonly actions: string[] = [];
  private inspects = 0;

  constructor(
    readonly endpoint: DockerEngineOptions['endpoint'],
    containers: FakeContainer[],
    private readonly o: FakeEngineOptions = {},
  ) {
    for (const c of containers) this.containers.set(c.id, c);
  }

  private err(kind: ClientError['kind'], status: number, what: string): ClientError {
    return new ClientError({ kind, service: 'docker-engine', status, target: this.endpoint.url, message: `Docker engine ${this.endpoint.url}: ${what}` });
  }

  async listKubeletContainers(): Promise<KubeletContainer[]> {
    this.counters.list++;
    if (this.o.hang) return new Promise(() => {});
    if (this.o.listError) throw this.o.listError;
    return [...this.containers.values()].map((c) => ({ id: c.id, name: c.name, labels: c.labels, state: c.state, created: c.created }));
  }

  async inspect(id: string): Promise<KubeletContainer | undefined> {
    this.counters.inspect++;
    this.o.beforeInspect?.(id, ++this.inspects);
    const c = this.containers.get(id);
    return c ? { id: c.id, name: c.name, labels: c.labels, state: c.state, created: c.created, env: c.env } : undefined;
  }

  async stop(id: string, seconds: number): Promise<'stopped' | 'already-stopped'> {
    this.counters.stop++;
    this.actions.push(`stop ${id.slice(0, 12)} ${seconds}`);
    const e = this.o.stopError?.[id];
    if (e) throw e;
    const c = this.containers.get(id);
    if (!c) throw this.err('not-found', 404, `stopping ${id.slice(0, 12)}: No such container: ${id}`);
    if (c.state !== 'running') return 'already-stopped';
    c.state = 'exited';
    return 'stopped';
  }

  async remove(id: string): Promise<void> {
    this.counters.remove++;
    this.actions.push(`remove ${id.slice(0, 12)}`);
    const e = this.o.removeError?.[id];
    if (e) throw e;
    const c = this.containers.get(id);
    if (!c) throw this.err('not-found', 404, `removing ${id.slice(0, 12)}: No such container: ${id}`);
    if (c.state === 'running') throw this.err('conflict', 409, `removing ${id.slice(0, 12)}: You cannot remove a running container`);
    this.containers.delete(id);
  }
}

/** `fakeFactory({ docker })`: the engine for each endpoint URL. */
export function engines(byUrl: Record<string, FakeDockerEngine>): (opts: DockerEngineOptions) => DockerEngineApi | undefined {
  return (opts) => byUrl[opts.endpoint.url];
}
