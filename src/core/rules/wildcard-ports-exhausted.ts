import { formatPortRanges } from '../ports/port-range.js';
import type { Rule } from './rule.js';
import { PORT_MAPPING_KEY, podPortFits } from './context.js';
import { plural, podFinding, portPath } from './report.js';

export const wildcardPortsExhausted: Rule = {
  id: 'wildcard-ports-exhausted',
  severity: 'error',
  title: 'More ports than the offered ranges hold (wildcard mapping)',
  description:
    "Under k8sm's wildcard port mapping (the default while host-port endpoints are on) every container port with hostPort 0 or no hostPort consumes one offered host port, on top of the fixed hostPorts. A pod that declares more ports than any single agent's offered ranges hold never fits an offer. Under fixed mapping hostPort 0 consumes nothing.",
  help: "Label the pod k8s.mesosphere.io/portMapping=fixed so that ports without a hostPort stay pod-private, declare fewer container ports, or widen the agents' ports resource.",
  check(ctx, out) {
    for (const pod of ctx.pods) {
      if (pod.mapping !== 'wildcard' || pod.demand.wildcard.length === 0) continue;
      const fits = podPortFits(ctx, pod).filter((f) => f.fit.notOffered.length === 0);
      if (fits.length === 0 || fits.some((f) => f.fit.fits)) continue;
      let best = fits[0]!;
      for (const f of fits) if (f.ports.total > best.ports.total) best = f;
      const fixed = pod.demand.fixed.size;
      const wild = pod.demand.wildcard.length;
      const first = pod.demand.wildcard[Math.max(0, best.ports.total - fixed)] ?? pod.demand.wildcard[0]!;
      const where = ctx.cluster.live
        ? `the best agent (${best.shape.agents[0]!.name}) offers only ${best.ports.total} (${formatPortRanges(best.ports.ranges)})`
        : `the offered ranges ${formatPortRanges(best.ports.ranges)} hold only ${best.ports.total}`;
      const mappingNote = pod.labels[PORT_MAPPING_KEY] === 'wildcard' ? 'its wildcard label' : 'the default wildcard mapping';
      out.push(
        podFinding(
          this,
          pod,
          portPath(pod, first, 'containerPort'),
          `Under ${mappingNote} every container port without a hostPort takes an offered host port: the pod needs ${best.fit.needed} (${plural(wild, 'port')} without hostPort${fixed > 0 ? ` + ${plural(fixed, 'fixed hostPort')}` : ''}) but ${where}, so it is never scheduled. Label the pod ${PORT_MAPPING_KEY}=fixed to keep such ports pod-private, declare fewer ports, or widen the agents' ports resource.`,
          { container: first.container, ...(first.containerPort !== undefined ? { port: first.containerPort } : {}) },
        ),
      );
    }
  },
};
