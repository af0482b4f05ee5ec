/**
 * Diagnose's unit tests build their clusters with the Mesos simulator's own state (no sockets):
 * agents, frameworks, executors, tasks and offers go in through `ClusterState`, whose resource
 * checks refuse what a real master would; the snapshot comes out through the simulator's JSON views
 * and k8smctl's parsers, as the command reads it (GET_STATE by default, or the model `/state`).
 */
import { ClusterState } from '../../stack/mesos-sim/state.js';
import { K8smExecutorSim, type LaunchK8smPodOptions, type PodLike } from '../../stack/mesos-sim/k8sm.js';
import { getState } from '../../stack/mesos-sim/views/operator.js';
import { renderMasterState } from '../../stack/mesos-sim/views/master.js';
import { parseOperatorState } from '../../../src/core/mesos/operator-state.js';
import { parseMasterState } from '../../../src/core/mesos/master-state.js';
import { parseAgentState } from '../../../src/core/mesos/agent-state.js';
import { mergeAgentDetails } from '../../../src/core/mesos/merge-agent-details.js';
import { renderAgentState } from '../../stack/mesos-sim/views/agent.js';
import { k8smScheduler } from '../../../src/core/k8sm/scheduler.js';
import { defaultSchedulerSettings, type SchedulerSettings } from '../../../src/core/k8sm/settings.js';
import { nodeLabelsOf } from '../../../src/core/k8sm/node-labels.js';
import {
  DIAGNOSE_DEFAULTS,
  type DiagnoseSettings,
  type DiagnoseSnapshot,
  type EventObject,
  type NodeObject,
  type PodObject,
} from '../../../src/core/diagnose/index.js';
import type { AgentDetail } from '../../../src/core/mesos/snapshot.js';

export const MASTER_ID = '4b7d4d0e-5f0e-4d7b-9c5a-2f1e0f6f4a11';
/** The simulated clock starts here (seconds). */
export const T0 = 1_700_000_000;

export interface Sim {
  state: ClusterState;
  /** Advance the simulated clock by seconds. */
  tick(seconds: number): void;
  /** Now, in ms (what diagnose takes). */
  now(): number;
  k8sm: K8smExecutorSim;
}

export function sim(version = '1.11.0', start = T0): Sim {
  let t = start;
  const state = new ClusterState({ version, idPrefix: MASTER_ID, now: () => t });
  return { state, tick: (s) => (t += s), now: () => t * 1000, k8sm: new K8smExecutorSim(state) };
}

let nextIp = 2;
export function agent(s: Sim, hostname: string, cfg: Partial<Parameters<ClusterState['addAgent']>[0]> = {}) {
  return s.state.addAgent({ hostname, resources: { cpus: 4, mem: 8192, ports: '[31000-32000]' }, ...cfg }, { ip: `127.0.0.${nextIp++}`, port: 5051 });
}

export function k8smFramework(s: Sim, seed: Partial<Parameters<ClusterState['addFramework']>[0]> = {}) {
  return s.state.addFramework({ name: 'Kubernetes', role: '*', principal: 'k8sm', failoverTimeout: 604800, checkpoint: true, ...seed });
}

export function settings(o: Partial<SchedulerSettings> = {}, d: Partial<Omit<DiagnoseSettings, 'scheduler'>> = {}): DiagnoseSettings {
  const base: SchedulerSettings = { ...defaultSchedulerSettings(), ...o };
  return {
    scheduler: k8smScheduler(base),
    frameworkName: DIAGNOSE_DEFAULTS.frameworkName,
    stuckAfterMs: DIAGNOSE_DEFAULTS.stuckAfterMs,
    launchGraceMs: DIAGNOSE_DEFAULTS.launchGraceMs,
    offerTtlMs: DIAGNOSE_DEFAULTS.offerTtlMs,
    ...d,
  };
}

export interface PodSpecInput {
  ports?: Array<{ containerPort: number; hostPort?: number; protocol?: string; name?: string }>;
  /** Limits of the first container (the others have none: k8sm's defaults). */
  cpu?: string;
  memory?: string;
  containers?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  schedulerName?: string;
}

/** A pod as the apiserver lists it; created `ageSeconds` before `now`. */
export function pod(
  name: string,
  spec: PodSpecInput = {},
  o: { namespace?: string; ageSeconds?: number; now?: number; phase?: string; uid?: string } = {},
): PodObject & PodLike {
  const now = o.now ?? T0 * 1000;
  const containers = Array.from({ length: spec.containers ?? 1 }, (_, i) => ({
    name: i === 0 ? 'main' : `side${i}`,
    image: 'busybox:latest',
    ...(i === 0 && spec.ports ? { ports: spec.ports } : {}),
    // Limits on the first container only: the others get k8sm's defaults.
    resources: i === 0 ? { limits: { ...(spec.cpu ? { cpu: spec.cpu } : {}), ...(spec.memory ? { memory: spec.memory } : {}) } } : {},
  }));
  return {
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? `uid-${name}`,
      creationTimestamp: new Date(now - (o.ageSeconds ?? 120) * 1000).toISOString(),
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
      ...(spec.labels ? { labels: spec.labels } : {}),
    },
    spec: {
      containers,
      ...(spec.nodeName ? { nodeName: spec.nodeName } : {}),
      ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
      ...(spec.schedulerName ? { schedulerName: spec.schedulerName } : {}),
    },
    status: { phase: o.phase ?? 'Pending' },
  };
}

/** A FailedScheduling event of the k8sm scheduler about a pod. */
export function schedulingEvent(p: PodObject, now: number, message = 'Error scheduling: no suitable offers for pod/task'): EventObject {
  const at = new Date(now - 5000).toISOString();
  return {
    metadata: { name: `${p.metadata.name}.1`, namespace: p.metadata.namespace ?? 'default' },
    type: 'Warning',
    reason: 'FailedScheduling',
    message,
    count: 3,
    firstTimestamp: at,
    lastTimestamp: at,
    source: { component: 'default-scheduler' },
    involvedObject: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace ?? 'default', ...(p.metadata.uid ? { uid: p.metadata.uid } : {}) },
  };
}

/** The Nodes k8sm registers for these agents (labels from their attributes). */
export function nodesFor(s: Sim): NodeObject[] {
  return [...s.state.agents.values()].map((a) => ({
    metadata: {
      name: a.hostname,
      labels: nodeLabelsOf(
        a.hostname,
        Object.fromEntries(
          a.attributes
            .filter((x) => x.type === 'SCALAR' || x.type === 'TEXT')
            .map((x) => [x.name, x.type === 'SCALAR' ? (x.scalar as number) : (x.text ?? '')]),
        ),
      ),
    },
  }));
}

export interface SnapshotInput {
  pods?: PodObject[];
  events?: EventObject[];
  nodes?: NodeObject[] | 'none';
  /** Read the model `/state` instead of GET_STATE. */
  source?: 'operator' | 'state';
  /** Agents (hostnames) whose own `/state` was asked; a string value is the error it ended with. */
  agentsAsked?: Record<string, true | string>;
  offersLater?: DiagnoseSnapshot['offersLater'];
}

export function snapshot(s: Sim, input: SnapshotInput = {}): DiagnoseSnapshot {
  const opts = { source: 'test', masterUrl: 'http://127.0.0.1:5050', fetchedAt: new Date(s.now()).toISOString() };
  const mesos =
    input.source === 'state'
      ? parseMasterState(
          renderMasterState(s.state, {
            self: { id: MASTER_ID, ip: '127.0.0.1', port: 5050, hostname: '127.0.0.1', pid: 'master@127.0.0.1:5050', version: s.state.version },
            leader: { id: MASTER_ID, ip: '127.0.0.1', port: 5050, hostname: '127.0.0.1', pid: 'master@127.0.0.1:5050', version: s.state.version },
            startTime: T0 - 10,
            flags: {},
          }),
          opts,
        )
      : parseOperatorState({ type: 'GET_STATE', get_state: getState(s.state) }, opts);
  if (input.agentsAsked) {
    const details = new Map<string, AgentDetail>();
    for (const [host, v] of Object.entries(input.agentsAsked)) {
      const a = s.state.agent(host);
      details.set(
        a.id,
        v === true ? parseAgentState(renderAgentState(s.state, a, { flags: a.config.flags ?? {} }), `agent ${host}`) : { reachable: false, error: v },
      );
    }
    mergeAgentDetails(mesos, details);
  }
  return {
    mesos,
    pods: input.pods ?? [],
    events: input.events ?? [],
    nodes: input.nodes === 'none' ? undefined : (input.nodes ?? nodesFor(s)),
    ...(input.offersLater ? { offersLater: input.offersLater } : {}),
  };
}

/** Launches a pod the k8sm way into the simulated state (no apiserver, no Docker) and returns the pod as the apiserver would then have it. */
export async function launch(s: Sim, p: PodObject & PodLike, o: Omit<LaunchK8smPodOptions, 'pod'>, phase = 'Running'): Promise<PodObject & PodLike> {
  const r = await s.k8sm.launch({ ...o, pod: p });
  return { ...p, metadata: { ...p.metadata, annotations: r.annotations }, status: { ...(p.status ?? {}), phase } };
}
