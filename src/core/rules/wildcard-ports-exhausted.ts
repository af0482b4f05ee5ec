import { formatPortRanges } from '../ports/port-range.js';
import { podRule } from './rule.js';
import { PORT_MAPPING_LABEL } from '../k8sm/keys.js';
import type { ShapeFit } from './pod-view.js';
import { plural, podFinding, portPath } from './report.js';

export const wildcardPortsExhausted = podRule({
  id: 'wildcard-ports-exhausted',
  severity: 'error',
  title: 'More ports than the offered ranges hold (wildcard mapping)',
  description:
    "Under k8sm's wildcard port mapping (the default while host-port endpoints are on) every container port with hostPort 0 or no hostPort consumes one offered host port, on top of the fixed hostPorts. A pod that declares more ports than any single agent's offered ranges hold never fits an offer. Under fixed mapping hostPort 0 consumes nothing.",
  help: "Label the pod k8s.mesosphere.io/portMapping=fixed so that ports without a hostPort stay pod-private, declare fewer container ports, or widen the agents' ports resource.",
  check(ctx, pod, out) {
    if (pod.mapping !== 'wildcard' || pod.scan.wildcard === 0 || pod.portsFitSomewhere()) return;
    let best: ShapeFit | undefined;
    let fitsSomewhere = false;
    for (const f of pod.portFits()) {
      if (f.notOffered.length > 0) continue;
      if (f.wildcardShort === undefined) {
        fitsSomewhere = true;
        break;
      }
      if (best === undefined || f.ports.total > best.ports.total) best = f;
    }
    if (fitsSomewhere || best === undefined) return;
    const short = best.wildcardShort!;
    const fixed = short.fixed;
    const wild = short.wildcard;
    const specs = pod.hostPorts().wildcardSpecs;
    const first = specs[Math.max(0, short.free)] ?? specs[0]!;
    const where = ctx.cluster.live
      ? `the best agent (${best.shape.agents[0]!.name}) offers only ${best.ports.total} (${formatPortRanges(best.ports.ranges)})`
      : `the offered ranges ${formatPortRanges(best.ports.ranges)} hold only ${best.ports.total}`;
    const mappingNote = pod.labels[PORT_MAPPING_LABEL] === 'wildcard' ? 'its wildcard label' : 'the default wildcard mapping';
    out.push(
      podFinding(
        this,
        pod,
        portPath(pod, first, 'containerPort'),
        `Under ${mappingNote} every container port without a hostPort takes an offered host port: the pod needs ${fixed + wild} (${plural(wild, 'port')} without hostPort${fixed > 0 ? ` + ${plural(fixed, 'fixed hostPort')}` : ''}) but ${where}, so it is never scheduled. Label the pod ${PORT_MAPPING_LABEL}=fixed to keep such ports pod-private, declare fewer ports, or widen the agents' ports resource.`,
        { container: first.container, ...(first.containerPort !== undefined ? { port: first.containerPort } : {}) },
      ),
    );
  },
});
