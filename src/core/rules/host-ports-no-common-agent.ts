import { formatPortRanges } from '../ports/port-range.js';
import { podRule } from './rule.js';
import { podFinding, portPath } from './report.js';

export const hostPortsNoCommonAgent = podRule({
  id: 'host-ports-no-common-agent',
  severity: 'error',
  title: "No single agent offers all of the pod's host ports",
  description:
    "A pod is launched from one offer of one agent, so all of its non-zero hostPorts must lie in the same agent's port ranges. With agents offering different ranges (live cluster model) each port may be offered somewhere while no agent offers them all: the pod is never scheduled.",
  help: "Choose hostPorts that one agent group offers together, or align the agents' ports resources.",
  check(ctx, pod, out) {
    if (ctx.cluster.shapes.length < 2) return;
    if (pod.scan.fixed.length < 2 || pod.portsFitSomewhere()) return;
    const fits = pod.portFits();
    if (fits.some((f) => f.notOffered.length === 0)) return;
    // Only when every port on its own is offered somewhere; otherwise host-port-not-offered says it.
    const ports = pod.scan.fixed;
    if (!ports.every((p) => fits.some((f) => !f.notOffered.includes(p)))) return;
    const groups = fits
      .slice(0, 4)
      .map(
        (f) =>
          `${f.shape.agents.length === 1 ? `${f.shape.agents[0]!.name} offers` : `${f.shape.agents.length} agents offer`} ${formatPortRanges(f.ports.ranges)}`,
      )
      .join('; ');
    const spec = pod.hostPorts().fixedSpecs[0]!;
    out.push(
      podFinding(
        this,
        pod,
        portPath(pod, spec, 'hostPort'),
        `hostPorts ${ports.join(', ')} are each offered by some agent, but no single agent offers them all (${groups}); k8sm launches a pod from one agent's offer, so it is never scheduled. Pick hostPorts that one agent group offers together.`,
        { container: spec.container, port: spec.hostPort },
      ),
    );
  },
});
