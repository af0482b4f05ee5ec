import { K8SM_EXECUTOR_SHUTDOWN_SECONDS } from '../agents/agent-flag-findings.js';
import { parseStoutDuration } from '../agents/stout-duration.js';
import { isLiveTaskState } from '../mesos/task-state.js';
import { podOfTaskName } from '../views/agent-description.js';
import { frameworkReason, heldOffersReason } from './cluster-reasons.js';
import { contextOf, eventsOf, podKey, type Context } from './context.js';
import { count, cpuAmount, formatDuration, listNames, memAmount, ranges, timeMs } from './format.js';
import { ANNOTATION, MIRROR_ANNOTATION } from '../k8sm/keys.js';
import type { ClusterCause, ClusterDiagnosis, DiagnoseSettings, DiagnoseSnapshot, PodObject } from './model.js';

/**
 * `diagnose cluster`: the causes that hold every pod back, or will (issue 8): the framework, held
 * offers, a silent scheduler, agents that do not answer; agents whose executor shutdown grace
 * period orphans pod containers; executor id drift; agents without ports or with different
 * ranges; agents without a Node and Nodes without an agent; k8sm tasks whose pod is gone and
 * launched pods whose task is gone. Errors hold pods back now (exit 1); warnings will.
 */

function error(c: Omit<ClusterCause, 'severity'>): ClusterCause {
  return { ...c, severity: 'error' };
}
function warning(c: Omit<ClusterCause, 'severity'>): ClusterCause {
  return { ...c, severity: 'warning' };
}

const isScheduler = (c: string | undefined, reason: string | undefined): boolean =>
  c === 'default-scheduler' || reason === 'FailedScheduling' || reason === 'Scheduled';

function silentPods(ctx: Context, pods: ReadonlyArray<PodObject>): PodObject[] {
  const out: PodObject[] = [];
  for (const p of pods) {
    const ann = p.metadata.annotations ?? {};
    if (ann[ANNOTATION.bindingHost] !== undefined || ann[MIRROR_ANNOTATION] !== undefined || p.metadata.deletionTimestamp) continue;
    if ((p.status?.phase ?? 'Unknown') !== 'Pending') continue;
    const created = timeMs(p.metadata.creationTimestamp) ?? ctx.now;
    if (ctx.now - created < ctx.settings.stuckAfterMs) continue;
    if (eventsOf(ctx, p).some((e) => isScheduler(e.source?.component ?? e.reportingComponent, e.reason))) continue;
    out.push(p);
  }
  return out;
}

export function diagnoseCluster(snapshot: DiagnoseSnapshot, settings: DiagnoseSettings, now: number): ClusterDiagnosis {
  const ctx = contextOf(snapshot, settings, now);
  const causes: ClusterCause[] = [];
  const name = settings.frameworkName;

  const fw = frameworkReason(ctx);
  if (fw) {
    const { short: _s, ...r } = fw;
    causes.push(error(r));
  }
  const held = heldOffersReason(ctx);
  if (held) causes.push(error(held));

  if (!fw && snapshot.events !== undefined) {
    const silent = silentPods(ctx, snapshot.pods);
    if (silent.length > 0) {
      const names = silent.map((p) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`);
      causes.push(
        error({
          reason: 'scheduler-silent',
          message: `${count(silent.length, 'Pending pod')} older than ${formatDuration(settings.stuckAfterMs)} ${silent.length === 1 ? 'has' : 'have'} no event from the scheduler (${listNames(names, 5)}): the k8sm scheduler is down, or does not watch ${silent.length === 1 ? 'it' : 'them'}`,
          fix: 'check that the k8sm scheduler runs and reaches the apiserver (its log, its --api-servers/--kubeconfig), and that the pods have no other spec.schedulerName',
        }),
      );
    }
  }

  // Agents that did not answer their /state.
  for (const a of ctx.agents) {
    const d = a.agent.detail;
    if (d && !d.reachable) {
      causes.push(
        error({
          reason: 'agent-not-answering',
          message: `agent ${a.agent.hostname} did not answer (${d.error ?? 'no answer'}): its flags and executors cannot be checked`,
          fix: `check the agent process on ${a.agent.hostname} and the network to it, then run diagnose cluster again`,
          agent: a.agent.hostname,
        }),
      );
    }
  }

  // Executor shutdown grace period against the 15 s the k8sm executor needs, and the pods' own grace periods.
  const graceByHost = new Map<string, { seconds: number; pod: string }>();
  for (const p of snapshot.pods) {
    const host = p.metadata.annotations?.[ANNOTATION.bindingHost];
    if (!host || (p.status?.phase ?? '') !== 'Running') continue;
    const g = p.spec.terminationGracePeriodSeconds ?? 30;
    const had = graceByHost.get(host);
    if (!had || g > had.seconds) graceByHost.set(host, { seconds: g, pod: `${p.metadata.namespace ?? 'default'}/${p.metadata.name}` });
  }
  for (const a of ctx.agents) {
    const flag = a.agent.detail?.flags?.['executor_shutdown_grace_period'];
    if (flag === undefined) continue;
    const secs = parseStoutDuration(flag);
    if (secs === undefined) continue;
    const pod = graceByHost.get(a.agent.hostname);
    const need = Math.max(K8SM_EXECUTOR_SHUTDOWN_SECONDS, pod?.seconds ?? 0);
    if (secs >= need) continue;
    const why =
      secs < K8SM_EXECUTOR_SHUTDOWN_SECONDS
        ? `shorter than the ${K8SM_EXECUTOR_SHUTDOWN_SECONDS}s the k8sm executor allows its kubelet to stop the pods${pod && pod.seconds > K8SM_EXECUTOR_SHUTDOWN_SECONDS ? ` and than pod ${pod.pod}'s terminationGracePeriodSeconds ${pod.seconds}` : ''}`
        : `shorter than pod ${pod!.pod}'s terminationGracePeriodSeconds ${pod!.seconds}`;
    causes.push(
      warning({
        reason: 'executor-shutdown-grace-short',
        message: `agent ${a.agent.hostname}'s executor_shutdown_grace_period is ${flag}, ${why}: when the executor is shut down the agent kills it first, and its pod containers are orphaned`,
        fix: `start the agent with --executor_shutdown_grace_period=${Math.max(30, Math.ceil(need * 2))}secs (at least ${need}s)`,
        agent: a.agent.hostname,
      }),
    );
  }

  // Executor id drift across agents.
  const byId = new Map<string, { agents: string[]; tasks: number }>();
  for (const e of ctx.executors) {
    if (!e.isK8sm) continue;
    const host = ctx.agentById.get(e.agentId)?.agent.hostname ?? e.agentId;
    const g = byId.get(e.id) ?? { agents: [], tasks: 0 };
    g.agents.push(host);
    g.tasks += e.taskIds.length;
    byId.set(e.id, g);
  }
  if (byId.size > 1) {
    const parts = [...byId].map(([id, g]) => `${id}${id === ctx.executorId ? ' (current)' : ''} on ${listNames(g.agents, 4)} (${count(g.tasks, 'task')})`);
    causes.push(
      error({
        reason: 'executor-id-drift',
        message: `k8sm executors of framework ${name} run with ${byId.size} different ids: ${parts.join('; ')}: the scheduler's executor-affecting flags changed (or differ between schedulers), and k8sm declines offers from agents with an executor id other than its own`,
        fix: `keep executor-affecting scheduler flags identical across schedulers; let old executors go by deleting their pods (they exit after --executor-suicide-timeout)`,
      }),
    );
  }

  // Ports resources.
  const active = ctx.agents.filter((a) => !a.inactive);
  const byRanges = new Map<string, string[]>();
  for (const a of active) {
    if (a.agent.total.ports.length === 0) {
      causes.push(
        warning({
          reason: 'agent-no-ports',
          message: `agent ${a.agent.hostname} has no ports resource: no pod with a hostPort, nor (under wildcard mapping) with any container port, can run there`,
          fix: `give the agent ports in --resources (Mesos default [31000-32000]), e.g. ports:[31000-32000]`,
          agent: a.agent.hostname,
        }),
      );
      continue;
    }
    const key = ranges(a.agent.total.ports);
    byRanges.set(key, [...(byRanges.get(key) ?? []), a.agent.hostname]);
  }
  if (byRanges.size > 1) {
    const parts = [...byRanges]
      .sort((x, y) => y[1].length - x[1].length)
      .map(([r, hosts]) => `${r} on ${hosts.length === 1 ? hosts[0] : `${hosts.length} agents (${listNames(hosts, 3)})`}`);
    causes.push(
      warning({
        reason: 'agent-ports-differ',
        message: `agents offer different port ranges: ${parts.join('; ')}: a pod with a fixed hostPort runs only where its port is offered`,
        fix: `give every agent the same ports in --resources, or keep fixed hostPorts inside the ranges all agents share`,
      }),
    );
  }

  // Agents and Nodes.
  if (ctx.nodes) {
    const hosts = new Set(ctx.agents.map((a) => a.agent.hostname));
    for (const a of active) {
      if (a.node) continue;
      causes.push(
        error({
          reason: 'agent-without-node',
          message: `agent ${a.agent.hostname} has no Node in the apiserver: k8sm declines its offers (${cpuAmount(a.agent.total.cpus)}, ${memAmount(a.agent.total.mem)} unused by k8sm)`,
          fix: `the k8sm scheduler registers the Node when the agent's offers arrive: check that it may create Nodes (RBAC) and that nothing deletes node ${a.agent.hostname}`,
          agent: a.agent.hostname,
        }),
      );
    }
    for (const n of ctx.nodes.values()) {
      if (hosts.has(n.metadata.name)) continue;
      causes.push(
        warning({
          reason: 'node-without-agent',
          message: `Node ${n.metadata.name} has no Mesos agent of that hostname: pods bound to it never run`,
          fix: `delete the Node (kubectl delete node ${n.metadata.name}) if the agent is gone for good`,
        }),
      );
    }
  }

  // Tasks whose pod is gone; launched pods whose task is gone.
  const podsByTask = new Map<string, PodObject>();
  /** Pods by name that name no task (a pod of the task's name that names another task is a later pod). */
  const untaggedPods = new Set<string>();
  for (const p of snapshot.pods) {
    const id = p.metadata.annotations?.[ANNOTATION.taskId];
    if (id) podsByTask.set(id, p);
    else untaggedPods.add(podKey(p.metadata.namespace ?? 'default', p.metadata.name));
  }
  for (const t of snapshot.mesos.tasks) {
    if (t.frameworkId !== ctx.frameworkId || t.list !== 'tasks' || !isLiveTaskState(t.state)) continue;
    if (podsByTask.has(t.id)) continue;
    const named = podOfTaskName(t.name);
    if (named && untaggedPods.has(podKey(named.namespace, named.name))) continue;
    const host = ctx.agentById.get(t.agentId)?.agent.hostname ?? t.agentId;
    causes.push(
      warning({
        reason: 'task-without-pod',
        message: `task ${t.id}${named ? ` (pod ${named.namespace}/${named.name})` : ''} of framework ${name} is ${t.state} on ${host}, but its pod is gone from the apiserver: it holds ${cpuAmount(t.resources.cpus)}, ${memAmount(t.resources.mem)}${t.resources.ports.length ? `, ports ${ranges(t.resources.ports)}` : ''} until it is killed`,
        fix: `the k8sm scheduler kills such tasks when it reconciles; if it stays, kill it (the scheduler's /debug/actions/requestExplicit, or restart the scheduler)`,
        agent: host,
      }),
    );
  }
  for (const p of snapshot.pods) {
    const ann = p.metadata.annotations ?? {};
    const host = ann[ANNOTATION.bindingHost];
    if (host === undefined || ann[MIRROR_ANNOTATION] !== undefined || p.metadata.deletionTimestamp) continue;
    const phase = p.status?.phase ?? 'Unknown';
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const id = ann[ANNOTATION.taskId];
    const t = id ? ctx.tasksById.get(id) : undefined;
    if (t && isLiveTaskState(t.state)) continue;
    const pod = `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
    const slaveId = ann['k8s.mesosphere.io/slaveId'];
    if (!t && !ctx.agentByHostname.has(host) && !(slaveId && ctx.agentById.has(slaveId))) {
      // Its agent is not one of this master's: removed long ago, or another cluster's (one apiserver, two Mesos clusters).
      causes.push(
        warning({
          reason: 'pod-on-unknown-agent',
          message: `pod ${pod} is ${phase} on ${host}${slaveId ? ` (agent ${slaveId})` : ''}, an agent this Mesos master does not know: it was removed, or the pod belongs to another Mesos cluster`,
          fix: `if that agent is gone for good, delete the pod (kubectl delete pod ${p.metadata.name} -n ${p.metadata.namespace ?? 'default'}) so that its controller creates a new one`,
          agent: host,
        }),
      );
      continue;
    }
    causes.push(
      error({
        reason: 'pod-without-task',
        message: t
          ? `pod ${pod} is ${phase} on ${host}, but its task ${t.id} is ${t.state}: the pod does not run as Kubernetes believes`
          : `pod ${pod} is ${phase} on ${host}, but its task ${id ?? '(no taskId annotation)'} is unknown to Mesos`,
        fix: `delete the pod (kubectl delete pod ${p.metadata.name} -n ${p.metadata.namespace ?? 'default'}) so that its controller creates a new one; k8smctl diagnose pod ${p.metadata.name} -n ${p.metadata.namespace ?? 'default'} says why`,
        agent: host,
      }),
    );
  }

  return { causes };
}
