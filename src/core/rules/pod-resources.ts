import type { AgentShape } from '../cluster/cluster-model.js';
import { asArray, asRecord } from '../json-shapes.js';
import { resourceReasons } from '../k8sm/fit.js';
import { containerName, eachContainerDemand } from '../k8sm/pod-spec.js';
import { formatCpu, formatMem } from '../k8sm/quantity.js';
import type { ContainerDemand, ResourceValue } from '../k8sm/resources.js';
import { K8SM_DEFAULTS } from '../k8sm/settings.js';
import { ownString } from '../own-string.js';
import { podRule } from './rule.js';
import type { SizedAgent } from './cluster-index.js';
import type { PodView } from './pod-view.js';
import { containerPath, podFinding } from './report.js';

function resourcesPath(pod: PodView, ci: number, resource?: 'cpu' | 'memory'): ReadonlyArray<string | number> {
  return resourcesPathOf(pod, ci, asRecord(asArray(pod.t.spec?.containers)?.[ci]), resource);
}

/** The most specific of a container's `resources.limits.<resource>`, `resources.limits`, `resources`, or the container. */
function resourcesPathOf(pod: PodView, ci: number, c: Record<string, unknown> | undefined, resource?: 'cpu' | 'memory'): ReadonlyArray<string | number> {
  const res = asRecord(c?.resources);
  if (res === undefined) return containerPath(pod, ci);
  const limits = asRecord(res.limits);
  if (resource !== undefined && limits?.[resource] !== undefined) return containerPath(pod, ci, 'resources', 'limits', resource);
  if (limits !== undefined) return containerPath(pod, ci, 'resources', 'limits');
  return containerPath(pod, ci, 'resources');
}

function biggest(containers: ContainerDemand[], key: 'cpu' | 'mem'): ContainerDemand | undefined {
  let best: ContainerDemand | undefined;
  for (const c of containers) if (best === undefined || c[key].limit > best[key].limit) best = c;
  return best;
}

function maxBy(agents: SizedAgent[], key: 'cpus' | 'mem'): AgentShape | undefined {
  let best: AgentShape | undefined;
  for (const { agent: a } of agents) if (a[key] !== undefined && (best === undefined || a[key] > best[key]!)) best = a;
  return best;
}

export const podExceedsAgentResources = podRule({
  id: 'pod-exceeds-agent-resources',
  severity: 'error',
  title: 'Pod larger than any agent (as k8sm counts it)',
  description:
    "k8sm asks Mesos for the SUM of the pod's container limits, after filling in missing ones (neither request nor limit: 0.25 CPU / 64 MB; only a request: the limit copied from it; at least 0.01 CPU / 32 MB each). A host's first pod also carries the executor (--mesos-executor-cpus/-mem, 0.25 CPU / 128 MB, plus the static pods). A pod that fits no agent of known size never gets an offer. Only checked when agent sizes are known.",
  help: "Lower the containers' limits (set them explicitly rather than relying on defaults), or run larger agents.",
  check(ctx, pod, out) {
    const agents = ctx.cluster.sized;
    if (!ctx.model.sizesKnown || agents.length === 0) return;
    const ex = ctx.executor;
    const t = pod.scan;
    if (t.invalid || t.containers === 0) return;
    let cpuOk = false;
    let memOk = false;
    for (const a of agents) {
      const reasons = resourceReasons(t, pod.roles.list, a.resources, ctx.scheduler);
      if (reasons.length === 0) return;
      cpuOk ||= !reasons.some((r) => r.resource === 'cpu');
      memOk ||= !reasons.some((r) => r.resource === 'mem');
    }
    const d = pod.resources();
    const defaulted = t.adjusted;
    const staticNote = ex.staticCpus > 0 || ex.staticMem > 0 ? ' including static pods' : '';
    const liveNote = ctx.cluster.live ? ', not charged where a k8sm executor already runs' : '';
    const short: string[] = [];
    const who = (a: AgentShape) => (ctx.cluster.live ? `the largest agent (${a.name})` : 'an agent');
    const maxCpu = maxBy(agents, 'cpus');
    const maxMem = maxBy(agents, 'mem');
    if (!cpuOk && maxCpu) short.push(`${who(maxCpu)} has ${formatCpu(maxCpu.cpus!)} CPU`);
    if (!memOk && maxMem) short.push(`${who(maxMem)} has ${formatMem(maxMem.mem!)} MB`);
    if (short.length === 0) short.push('no single agent has enough of both');
    const dim = !cpuOk ? 'cpu' : !memOk ? 'mem' : 'cpu';
    const big = biggest(d.containers, dim);
    const path = big ? resourcesPath(pod, big.index, dim === 'cpu' ? 'cpu' : 'memory') : [...pod.t.specPath, 'containers'];
    const bigNote =
      big && d.containers.length > 1
        ? ` (the largest is container "${big.name}": ${dim === 'cpu' ? `${formatCpu(big.cpu.limit)} CPU` : `${formatMem(big.mem.limit)} MB`})`
        : '';
    out.push(
      podFinding(
        this,
        pod,
        path,
        `The pod asks k8sm for ${formatCpu(d.cpus)} CPU / ${formatMem(d.mem)} MB (the sum of its container limits${defaulted ? ', k8sm defaults included' : ''}) plus ${formatCpu(ex.cpus)} CPU / ${formatMem(ex.mem)} MB for the executor${staticNote} on a host's first pod${liveNote}, but ${short.join(' and ')}: no offer ever fits and the pod stays Pending ("no suitable offers for pod/task"). Lower the limits${bigNote} or use larger agents.`,
        big ? { container: big.name } : undefined,
      ),
    );
  },
});

/** The message about one container's filled-in resources, or undefined when k8sm sets nothing on it. */
function defaultedMessage(name: string, cpuValue: ResourceValue, memValue: ResourceValue, cpus: number, mem: number): string | undefined {
  const parts: string[] = [];
  const cpu = describe('cpu', cpuValue);
  const memory = describe('memory', memValue);
  if (cpu !== undefined) parts.push(cpu);
  if (memory !== undefined) parts.push(memory);
  if (parts.length === 0) return undefined;
  return `k8sm will set ${parts.join(' and ')} on container "${name}" before launching it; the pod is charged ${formatCpu(cpus)} CPU / ${formatMem(mem)} MB from the offer and the container is capped at these limits. Set resources.limits to what the container needs.`;
}

/** Whether `describe` says the same of two values. */
function sameValue(a: ResourceValue, b: ResourceValue): boolean {
  return (
    a.source === b.source &&
    a.clamped === b.clamped &&
    a.limit === b.limit &&
    a.request === b.request &&
    a.givenLimit === b.givenLimit &&
    a.givenRequest === b.givenRequest
  );
}

/**
 * The messages of pod-resources-defaulted already written in a run, by container name: most
 * workloads of an input give their containers the same defaults, so each message is built once (and
 * is one string of its own, shared by every finding that says it) instead of once per container and
 * then looked up among the findings' kept messages. Found by comparing the few numbers the text is
 * made of, with no key to build. A few entries per name, for the first 4096 names.
 */
export class DefaultedMessages {
  private readonly byName = new Map<string, Array<{ cpu: ResourceValue; mem: ResourceValue; cpus: number; memTotal: number; message: string | undefined }>>();

  /** The message for container `name` with these values in a pod of these totals (the values are copied when kept). */
  message(name: string, cpu: Readonly<ResourceValue>, mem: Readonly<ResourceValue>, cpus: number, memTotal: number): string | undefined {
    let list = this.byName.get(name);
    if (list !== undefined) {
      for (const e of list) if (e.cpus === cpus && e.memTotal === memTotal && sameValue(e.cpu, cpu) && sameValue(e.mem, mem)) return e.message;
    }
    const built = defaultedMessage(name, cpu, mem, cpus, memTotal);
    const message = built === undefined ? undefined : ownString(built);
    if (list === undefined) {
      if (this.byName.size >= 4096) return message;
      this.byName.set(ownString(name), (list = []));
    }
    if (list.length < 8) list.push({ cpu: { ...cpu }, mem: { ...mem }, cpus, memTotal, message });
    return message;
  }
}

const newDefaultedMessages = (): DefaultedMessages => new DefaultedMessages();

function describe(resource: 'cpu' | 'memory', v: ResourceValue): string | undefined {
  const fmt = resource === 'cpu' ? (x: number) => `${formatCpu(x)} CPU` : (x: number) => `${formatMem(x)} MB`;
  const min = resource === 'cpu' ? K8SM_DEFAULTS.minContainerCpu : K8SM_DEFAULTS.minContainerMem;
  const clampNote = v.clamped ? `, raised to k8sm's minimum ${fmt(min)}` : '';
  switch (v.source) {
    case 'default':
      return `${resource} request and limit ${fmt(v.limit)} (none set: the scheduler default${clampNote})`;
    case 'copied-from-request':
      return `${resource} limit ${fmt(v.limit)} (copied from the request${clampNote})`;
    case 'given': {
      if (!v.clamped) return undefined;
      // Name what was below the minimum: the limit, the request, or both.
      const raised: string[] = [];
      if (v.givenLimit !== undefined && v.givenLimit < min) raised.push(`limit ${fmt(v.limit)} (${fmt(v.givenLimit)} is below k8sm's minimum)`);
      if (v.givenRequest !== undefined && v.givenRequest < min) raised.push(`request ${fmt(v.request)} (${fmt(v.givenRequest)} is below k8sm's minimum)`);
      if (raised.length === 0) return `${resource} ${fmt(v.limit)} (raised to k8sm's minimum)`;
      return `${resource} ${raised.join(' and ')}`;
    }
  }
}

export const podResourcesDefaulted = podRule({
  id: 'pod-resources-defaulted',
  severity: 'info',
  title: 'k8sm fills in container resources',
  description:
    'Before launching a pod k8sm writes cpu and memory requests and limits into every container that lacks them: the scheduler defaults (0.25 CPU / 64 MB) when neither is set, the request copied into the limit when only a request is set, and at least 0.01 CPU / 32 MB. The pod is charged the sum of these limits, and the container is capped at them.',
  help: 'Set resources.limits (cpu and memory) on every container to state what it needs.',
  check(ctx, pod, out) {
    const scan = pod.scan;
    if (!scan.adjusted) return;
    const said = ctx.stateOf(this, newDefaultedMessages);
    // The pod's totals are the walk's (the same sums as `pod.resources()`); each container's values
    // are read without an object per container.
    eachContainerDemand(pod.t.spec, ctx.cluster.scheduler.demandDefaults, (v) => {
      const name = containerName(v.container, v.index);
      const message = said.message(name, v.cpu, v.mem, scan.cpus, scan.mem);
      if (message !== undefined) out.push(podFinding(this, pod, resourcesPathOf(pod, v.index, v.container), message, { container: name }));
    });
  },
});
