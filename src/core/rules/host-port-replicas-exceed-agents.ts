import { podRule } from './rule.js';
import { plural, podFinding, portPath } from './report.js';

export const hostPortReplicasExceedAgents = podRule({
  id: 'host-port-replicas-exceed-agents',
  severity: 'error',
  title: 'More replicas than agents for a fixed host port',
  description:
    'Two pods cannot hold the same host port on one agent, so a workload whose pods declare a non-zero hostPort runs at most one pod per agent that offers that port. More replicas (Job parallelism) than such agents leaves the rest Pending. Error when the agent count is known (--agents, or a live model counting only agents whose ranges hold the port), warning otherwise. DaemonSets run one pod per agent and are fine.',
  help: 'Lower replicas to the number of agents offering the port, add agents, or let k8sm pick a free port per pod (hostPort 0 under wildcard mapping) and reach the pods through a Service.',
  check(ctx, pod, out) {
    const rep = pod.t.replicas;
    if (rep.kind !== 'count' || rep.count <= 1 || pod.scan.fixed.length === 0) return;
    const fits = pod.portFits();
    const eligible = fits.filter((f) => f.notOffered.length === 0);
    if (fits.length > 0 && eligible.length === 0) return; // host-port-not-offered / no-common-agent report it
    const ports = pod.scan.fixed;
    const spec = pod.hostPorts().fixedSpecs[0]!;
    const portText = `hostPort${ports.length > 1 ? 's' : ''} ${ports.join(', ')}`;
    const job = pod.t.resource.kind === 'Job' || pod.t.resource.kind === 'CronJob' || pod.t.resource.kind === 'ScheduledJob';
    const what = job ? 'parallel pods' : 'replicas';
    const field = job ? 'parallelism' : 'replicas';
    const path = rep.path ?? portPath(pod, spec, 'hostPort');
    const extras = { container: spec.container, port: spec.hostPort };
    let agents: number | undefined;
    if (ctx.cluster.live) agents = eligible.reduce((n, f) => n + f.shape.agents.length, 0);
    else agents = ctx.cluster.agentCount;
    if (agents === undefined) {
      out.push(
        podFinding(
          this,
          pod,
          path,
          `${rep.count} ${what} each need ${portText} on a different agent (k8sm places at most one pod per agent per host port): with fewer than ${rep.count} agents offering ${ports.length > 1 ? 'them' : 'it'}, the rest stay Pending. Pass --agents N to check this, or let k8sm pick a free port per pod (hostPort 0 under wildcard mapping).`,
          { ...extras, severity: 'warning' },
        ),
      );
    } else if (rep.count > agents) {
      const offering = ctx.cluster.live
        ? `only ${plural(agents, 'agent')} offer${agents === 1 ? 's' : ''} ${ports.length > 1 ? 'them' : 'it'}`
        : `there ${agents === 1 ? 'is' : 'are'} only ${plural(agents, 'agent')}`;
      out.push(
        podFinding(
          this,
          pod,
          path,
          `${rep.count} ${what} each need ${portText} on a different agent (k8sm places at most one pod per agent per host port), but ${offering}: ${rep.count - agents} ${rep.count - agents === 1 ? 'stays' : 'stay'} Pending. Lower ${field} to ${agents}, add agents, or let k8sm pick a free port per pod (hostPort 0 under wildcard mapping).`,
          extras,
        ),
      );
    }
  },
});
