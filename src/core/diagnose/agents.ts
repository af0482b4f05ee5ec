import { fitPodOnAgent, type FitReason, type K8smPod } from '../k8sm/fit.js';
import { ROLES_ANNOTATION } from '../k8sm/keys.js';
import { podOfTaskName } from '../views/agent-description.js';
import { normalizePortRanges, type PortRange } from '../ports/port-range.js';
import { agentTotalsByRole, portHolder } from './agent-free.js';
import type { AgentContext, Context } from './context.js';
import { count, cpuAmount, listNames, memAmount, ranges } from './format.js';
import type { AgentVerdict } from './model.js';

/**
 * Per agent, for a pod never launched: every reason k8sm does not place it there (reference §1.5,
 * §1.8, §1.19), in the order the issue fixes (the first is the headline), each with its numbers and
 * a fix; or `fits`. The fit itself is `fitPodOnAgent` (src/core/k8sm): this file only words it and
 * adds what k8sm checks before procurement (agent active, Node, executor id).
 */

export type AgentReasonId =
  | 'agent-inactive'
  | 'node-missing'
  | 'node-attributes-stale'
  | 'executor-incompatible'
  | 'node-name-mismatch'
  | 'node-selector-mismatch'
  | 'roles-unavailable'
  | 'host-port-not-offered'
  | 'host-port-in-use'
  | 'wildcard-ports-short'
  | 'insufficient-cpu'
  | 'insufficient-mem'
  | 'executor-overhead'
  | 'fits';

export const AGENT_REASON_ORDER: ReadonlyArray<AgentReasonId> = [
  'agent-inactive',
  'node-missing',
  'node-attributes-stale',
  'executor-incompatible',
  'node-name-mismatch',
  'node-selector-mismatch',
  'roles-unavailable',
  'host-port-not-offered',
  'host-port-in-use',
  'wildcard-ports-short',
  'insufficient-cpu',
  'insufficient-mem',
  'executor-overhead',
  'fits',
];

const RANK = new Map(AGENT_REASON_ORDER.map((id, i) => [id, i]));
/** In summaries, among groups of as many agents: the pod's own needs first, the agents' state last. */
const SUMMARY_RANK = new Map<AgentReasonId, number>(
  (
    [
      'fits',
      'host-port-not-offered',
      'host-port-in-use',
      'wildcard-ports-short',
      'insufficient-cpu',
      'insufficient-mem',
      'executor-overhead',
      'roles-unavailable',
      'node-selector-mismatch',
      'node-name-mismatch',
      'executor-incompatible',
      'node-attributes-stale',
      'node-missing',
      'agent-inactive',
    ] as const
  ).map((id, i) => [id, i]),
);

export type AgentReason = AgentVerdict['reasons'][number] & {
  reason: AgentReasonId;
  /** For summaries across agents: the figure that differs (free cpus, free ports...). */
  figure?: number;
};

function reason(r: AgentReason): AgentReason {
  return r;
}

/** The pod's "shape": everything `fitPodOnAgent` reads of it. Pods of one shape get one verdict list. */
export function shapeKey(p: K8smPod): string {
  const sel = Object.keys(p.nodeSelector)
    .sort()
    .map((k) => `${k}=${p.nodeSelector[k]}`)
    .join(',');
  const hp = p.hostPorts;
  return [
    p.roles.key,
    p.roles.annotation?.raw ?? '',
    p.mapping,
    hp.fixed.join(','),
    hp.wildcard,
    hp.duplicated.join(','),
    p.resources.cpus,
    p.resources.mem,
    p.nodeName ?? '',
    sel,
  ].join('|');
}

function rolesTotalPorts(a: AgentContext, roles: ReadonlyArray<string>): PortRange[] {
  const totals = agentTotalsByRole(a.agent);
  return normalizePortRanges(roles.flatMap((r) => totals.get(r)?.ports ?? []));
}

function inactiveReason(a: AgentContext): AgentReason {
  const host = a.agent.hostname;
  const why =
    a.inactive === 'deactivated'
      ? 'is deactivated (maintenance, or DEACTIVATE_AGENT)'
      : a.inactive === 'draining'
        ? `is being drained (drain_info ${a.agent.drainState})`
        : 'is not connected to the master (active: false)';
  return reason({
    reason: 'agent-inactive',
    message: `agent ${host} ${why}: the master sends no offers for it, so k8sm cannot place the pod there`,
    fix:
      a.inactive === 'disconnected'
        ? `bring the agent on ${host} back (its process, its network to the master); the pod goes elsewhere once another agent fits`
        : `reactivate the agent when its maintenance is over (REACTIVATE_AGENT / STOP_MAINTENANCE); the pod goes elsewhere once another agent fits`,
    short: a.inactive ?? 'inactive',
    group: `agent-inactive:${a.inactive}`,
  });
}

function nodeMissingReason(a: AgentContext): AgentReason {
  const host = a.agent.hostname;
  return reason({
    reason: 'node-missing',
    message: `there is no Node named ${host} in the apiserver: k8sm declines this agent's offers as incompatible until one exists`,
    fix: `the k8sm scheduler registers the Node when the agent's offers arrive: check that the scheduler may create Nodes (RBAC) and that nothing deletes node ${host}`,
    short: 'without a Node',
    group: 'node-missing',
  });
}

function staleReason(a: AgentContext): AgentReason {
  const diffs = a.staleLabels.map((d) =>
    d.node === undefined
      ? `${d.key} is missing on the Node (agent: ${d.agent})`
      : d.agent === undefined
        ? `${d.key}=${d.node} on the Node, no such attribute on the agent`
        : `${d.key} is ${d.node} on the Node, ${d.agent} on the agent`,
  );
  const set = a.staleLabels.map((d) => (d.agent === undefined ? `${d.key}-` : `${d.key}=${d.agent}`)).join(' ');
  return reason({
    reason: 'node-attributes-stale',
    message: `Node ${a.agent.hostname}'s attribute labels differ from the agent's attributes (${diffs.join('; ')}): k8sm declines the agent's offers as incompatible`,
    fix: `make them agree: kubectl label node ${a.agent.hostname} ${set} --overwrite (or restart the agent with the attributes the Node has)`,
    short: 'with stale Node attribute labels',
    group: 'node-attributes-stale',
  });
}

function executorReason(ctx: Context, a: AgentContext): AgentReason {
  const e = a.otherExecutors[0]!;
  const also = a.otherExecutors.length > 1 ? ` (and ${a.otherExecutors.length - 1} more)` : '';
  const how = ctx.executorIdFrom === 'flag' ? '(--executor-id)' : ctx.executorIdFrom === 'newest' ? '(the id of the executor that launched a pod last)' : '';
  return reason({
    reason: 'executor-incompatible',
    message:
      `a k8sm executor of framework ${ctx.settings.frameworkName} with id ${e.id}${also} runs on ${a.agent.hostname} with ${count(e.tasks, 'task')}, while the scheduler uses ${ctx.executorId} ${how}`.trimEnd() +
      ': its configuration changed since that executor started, and k8sm declines offers from agents that run another executor id',
    fix: `let the old executor go: delete its ${count(e.tasks, 'pod')} on ${a.agent.hostname} (their controllers recreate them) so that it exits after --executor-suicide-timeout (20m by default); keep executor-affecting scheduler flags identical across schedulers`,
    short: `running another executor (${e.id})`,
    group: `executor-incompatible:${e.id}`,
  });
}

function fitReasonText(ctx: Context, a: AgentContext, pod: K8smPod, r: FitReason): AgentReason | undefined {
  const host = a.agent.hostname;
  switch (r.id) {
    case 'no-roles':
    case 'host-port-duplicate':
      return undefined; // pod-level
    case 'node-name':
      return reason({
        reason: 'node-name-mismatch',
        message: `the pod's spec.nodeName is ${r.nodeName}, not ${host}: k8sm places it on that host only`,
        fix: `remove spec.nodeName, or set it to an agent that can take the pod`,
        short: `not spec.nodeName ${r.nodeName}`,
        group: `node-name-mismatch:${r.nodeName}`,
      });
    case 'node-selector':
      return reason({
        reason: 'node-selector-mismatch',
        message:
          r.actual === undefined
            ? `nodeSelector ${r.key}=${r.value} does not match: Node ${host} has no label ${r.key}`
            : `nodeSelector ${r.key}=${r.value} does not match: Node ${host} has ${r.key}=${r.actual}`,
        fix: `change the pod's nodeSelector, or give the agent that attribute (agent attributes become ${'k8s.mesosphere.io/attribute-<name>'} Node labels)`,
        short: `not matching nodeSelector ${r.key}=${r.value}`,
        group: `node-selector-mismatch:${r.key}=${r.value}`,
      });
    case 'host-port-not-offered': {
      const have = rolesTotalPorts(a, r.roles);
      const other = r.otherRoles.length ? `; ${host} reserves it to role ${r.otherRoles.join(', ')}, which the pod may not use` : '';
      const rolesText = r.roles.join(',');
      return reason({
        reason: 'host-port-not-offered',
        message: `host port ${r.port} is outside the ports ${host} offers for roles ${rolesText}: ${ranges(have)}${other}`,
        fix:
          pod.mapping === 'wildcard'
            ? `use a hostPort inside ${ranges(have)}, or hostPort 0 to let k8sm pick a free one${r.otherRoles.length ? `, or add role ${r.otherRoles[0]} to the pod's ${ROLES_ANNOTATION} annotation (and the scheduler's --mesos-framework-roles)` : ''}, or add the port to the agent's --resources ports`
            : `use a hostPort inside ${ranges(have)}, or add the port to the agent's --resources ports`,
        short: `host port ${r.port} not offered (ranges ${ranges(have)})`,
        group: `host-port-not-offered:${r.port}:${ranges(have)}`,
      });
    }
    case 'host-port-in-use': {
      const h = portHolder(r.port, a.tasks, a.offersToOthers);
      let by = 'something the master does not name';
      let free = '';
      if (h?.kind === 'task') {
        const fw = ctx.frameworkNames.get(h.task.frameworkId) ?? h.task.frameworkId;
        const pod = podOfTaskName(h.task.name);
        by = `task ${h.task.id}${pod ? ` (pod ${pod.namespace}/${pod.name})` : ''} of framework ${fw}`;
        free = pod ? `delete pod ${pod.namespace}/${pod.name} if it is not needed` : `end task ${h.task.id} if it is not needed`;
      } else if (h?.kind === 'offer') {
        by = `an offer (${h.offer.id}) outstanding to framework ${ctx.frameworkNames.get(h.offer.frameworkId) ?? h.offer.frameworkId}`;
        free = 'the offer goes back when that framework declines it';
      }
      return reason({
        reason: 'host-port-in-use',
        message: `host port ${r.port} is in ${host}'s ranges for role ${r.role}, but ${by} holds it`,
        fix: `${free ? `${free}, or ` : ''}use another hostPort (or hostPort 0 under wildcard mapping)`,
        short: `host port ${r.port} in use`,
        group: `host-port-in-use:${r.port}`,
      });
    }
    case 'wildcard-ports-short': {
      const per = r.byRole.map((x) => `${x.role}: ${x.ports}`).join(', ');
      return reason({
        reason: 'wildcard-ports-short',
        message: `the pod needs ${count(r.wildcard, 'free port')} for its container ports without hostPort (wildcard mapping)${r.fixed ? ` besides its ${count(r.fixed, 'fixed host port')}` : ''}, but ${host} has ${r.free} free for roles ${r.roles.join(',')} (offered ${r.offered}${per ? `; ${per}` : ''})`,
        fix: `declare fewer container ports, or label the pod k8s.mesosphere.io/portMapping=fixed (ports without hostPort then take no host port), or widen the agent's ports`,
        short: `short of ports (needs ${r.wildcard}, ${r.free} free)`,
        group: `wildcard-ports-short:${r.wildcard}`,
        figure: r.free,
      });
    }
    case 'insufficient-cpu':
    case 'insufficient-mem': {
      const cpu = r.id === 'insufficient-cpu';
      const f = cpu ? cpuAmount : memAmount;
      const per = r.byRole && r.byRole.length > 1 ? ` (${r.byRole.map((x) => `${x.role}: ${f(x.amount)}`).join(', ')})` : '';
      const defaults = ctx.scheduler.demandDefaults;
      return reason({
        reason: r.id,
        message: `the pod needs ${f(r.needed)}${cpu ? '' : ' of memory'} (the sum of its containers' limits, k8sm's defaults for those without), ${host} has ${f(r.free)} free for roles ${pod.roles.key}${per}`,
        fix: cpu
          ? `lower the containers' cpu limits (k8sm charges limits, ${cpuAmount(defaults.cpu)} each when unset), free CPU on the agent, or add agents`
          : `lower the containers' memory limits (k8sm charges limits, ${memAmount(defaults.mem)} each when unset), free memory on the agent, or add agents`,
        short: `insufficient ${cpu ? 'cpu' : 'memory'} (needs ${f(r.needed)}, ${f(r.free)} free)`,
        group: r.id,
        figure: r.free,
      });
    }
    case 'executor-overhead': {
      const cpu = r.resource === 'cpu';
      const f = cpu ? cpuAmount : memAmount;
      const statics = r.staticPods > 0 ? ` (${f(r.executor - r.staticPods)} + ${f(r.staticPods)} for static pods)` : '';
      return reason({
        reason: 'executor-overhead',
        message: `the pod's ${f(r.needed)} fit on ${host}, but no k8sm executor runs there yet and k8sm charges the executor's ${f(r.executor)}${statics} with a host's first pod: ${f(r.left)} left in the framework roles after the pod`,
        fix: `lower the pod's ${cpu ? 'cpu' : 'memory'} limits by ${f(r.executor - r.left)}, lower --mesos-executor-${cpu ? 'cpus' : 'mem'} on the scheduler, or run it where a k8sm executor already runs`,
        short: `no room for the executor (needs ${f(r.needed)} + ${f(r.executor)}, ${f(r.needed + r.left)} free)`,
        group: `executor-overhead:${r.resource}`,
        figure: r.needed + r.left,
      });
    }
  }
}

function rolesUnavailable(a: AgentContext, pod: K8smPod): AgentReason {
  const has = a.free.roles.length ? a.free.roles.join(', ') : 'none';
  return reason({
    reason: 'roles-unavailable',
    message: `the pod's roles (${pod.roles.key}) hold no resources on ${a.agent.hostname} (its roles: ${has})`,
    fix: `list a role the agent has in the pod's ${ROLES_ANNOTATION} annotation (roles the framework has: see --mesos-framework-roles), or reserve resources for ${pod.roles.list[0]} on the agent`,
    short: `with no resources for roles ${pod.roles.key}`,
    group: `roles-unavailable:${pod.roles.key}`,
  });
}

function fitsReason(
  a: AgentContext,
  alloc: {
    cpus: ReadonlyArray<{ role: string; amount: number }>;
    mem: ReadonlyArray<{ role: string; amount: number }>;
    hostPorts: ReadonlyArray<{ hostPort: number }>;
    executor?: unknown;
  },
): AgentReason {
  const parts = [
    alloc.cpus.map((x) => `${cpuAmount(x.amount)} (${x.role})`).join(' + ') || cpuAmount(0),
    alloc.mem.map((x) => `${memAmount(x.amount)} (${x.role})`).join(' + ') || memAmount(0),
  ];
  if (alloc.hostPorts.length) parts.push(`host ports ${alloc.hostPorts.map((p) => p.hostPort).join(', ')}`);
  if (alloc.executor) parts.push('plus the executor (first pod there)');
  return reason({
    reason: 'fits',
    message: `${a.agent.hostname} can take the pod now: ${parts.join(', ')}`,
    short: 'fit now',
    group: 'fits',
  });
}

/** Every agent's verdict for a never-launched pod of this shape (cached per shape). */
export function agentVerdicts(ctx: Context, pod: K8smPod): ReadonlyArray<AgentVerdict & { reasons: ReadonlyArray<AgentReason> }> {
  const key = shapeKey(pod);
  const hit = ctx.verdicts.get(key);
  if (hit) return hit as ReadonlyArray<AgentVerdict & { reasons: ReadonlyArray<AgentReason> }>;
  const out: Array<AgentVerdict & { reasons: AgentReason[] }> = [];
  for (const a of ctx.agents) out.push({ id: a.agent.id, hostname: a.agent.hostname, reasons: agentReasons(ctx, a, pod) });
  ctx.verdicts.set(key, out);
  return out;
}

function agentReasons(ctx: Context, a: AgentContext, pod: K8smPod): AgentReason[] {
  const out: AgentReason[] = [];
  if (a.inactive) out.push(inactiveReason(a));
  if (ctx.nodes && !a.node) out.push(nodeMissingReason(a));
  else if (a.staleLabels.length > 0) out.push(staleReason(a));
  if (a.otherExecutors.length > 0) out.push(executorReason(ctx, a));
  const roles = pod.roles.list;
  const rolesHere = roles.length > 0 && roles.some((r) => a.free.roles.includes(r));
  const fit = fitPodOnAgent(
    pod,
    { ...a.free.resources, executorRunning: a.executorRunning, node: { hostname: a.agent.hostname, labels: a.nodeLabels } },
    ctx.scheduler,
  );
  if (!fit.fits) {
    for (const r of fit.reasons) {
      // Without any resource of the pod's roles, ports and cpu/mem are one reason, not four.
      if (!rolesHere && r.id !== 'node-name' && r.id !== 'node-selector') continue;
      const w = fitReasonText(ctx, a, pod, r);
      if (w) out.push(w);
    }
    if (!rolesHere && roles.length > 0) out.push(rolesUnavailable(a, pod));
  }
  if (out.length === 0) {
    if (fit.fits) out.push(fitsReason(a, fit.allocation));
  }
  out.sort((x, y) => RANK.get(x.reason)! - RANK.get(y.reason)!);
  return out;
}

/** `3 host port 443 not offered (ranges [31000-32000]), 1 insufficient cpu (needs 2.25 CPU, 1.5 CPU free)`: agents grouped by headline. */
export function headlineGroups(
  verdicts: ReadonlyArray<{ hostname: string; reasons: ReadonlyArray<AgentReason> }>,
): Array<{ first: AgentReason; agents: string[]; short: string; figures: number[] }> {
  const groups = new Map<string, { first: AgentReason; agents: string[]; shorts: Set<string>; figures: number[] }>();
  for (const v of verdicts) {
    const h = v.reasons[0];
    if (!h) continue;
    const g = groups.get(h.group);
    if (g) {
      g.agents.push(v.hostname);
      g.shorts.add(h.short);
      if (h.figure !== undefined) g.figures.push(h.figure);
    } else {
      groups.set(h.group, { first: h, agents: [v.hostname], shorts: new Set([h.short]), figures: h.figure !== undefined ? [h.figure] : [] });
    }
  }
  const out = [...groups.values()].map((g) => ({
    first: g.first,
    agents: g.agents,
    figures: g.figures,
    short: g.shorts.size === 1 ? g.first.short : aggregateShort(g.first, g.figures),
  }));
  // fits first, then by count (most agents first), then what the pod asks for before the agents' state.
  out.sort((x, y) => y.agents.length - x.agents.length || SUMMARY_RANK.get(x.first.reason)! - SUMMARY_RANK.get(y.first.reason)!);
  out.sort((x, y) => (x.first.reason === 'fits' ? -1 : 0) - (y.first.reason === 'fits' ? -1 : 0));
  return out;
}

function aggregateShort(first: AgentReason, figures: number[]): string {
  const max = figures.length ? Math.max(...figures) : undefined;
  if (max === undefined) return first.short;
  const fmt =
    first.reason === 'insufficient-mem' || (first.reason === 'executor-overhead' && first.group.endsWith(':mem'))
      ? memAmount
      : first.reason === 'wildcard-ports-short'
        ? String
        : cpuAmount;
  // Replace the agent's own figure (the last "N [unit] free") with "at most M [unit] free".
  return first.short.replace(/, [\d.]+(?: CPU| MB)? free\)$/, `, at most ${fmt(max)} free)`);
}

export function describeGroupAgents(agents: ReadonlyArray<string>): string {
  return listNames(agents, 5);
}
