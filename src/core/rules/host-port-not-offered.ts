import { podRule } from './rule.js';
import { describeOfferedPorts } from './cluster-index.js';
import { podFinding, portPath } from './report.js';

export const hostPortNotOffered = podRule({
  id: 'host-port-not-offered',
  severity: 'error',
  title: 'Host port outside every offered port range',
  description:
    'k8sm takes every non-zero hostPort from the `ports` resource of a Mesos offer. A hostPort that lies outside every agent\'s offered ranges (gaps between ranges count) never matches an offer, so the pod stays Pending forever with "no suitable offers for pod/task". A pod on the host network (hostNetwork: true) has hostPort = containerPort on every port (the apiserver sets it), so every container port counts. With a live cluster model the port is fine as long as some agent offers it.',
  help: "Use a hostPort inside the agents' ports resource (Mesos default [31000-32000]), or hostPort 0 to let k8sm pick a free offered port (wildcard mapping), or widen the agents' --resources ports.",
  check(ctx, pod, out) {
    if (ctx.cluster.shapes.length === 0) return;
    if (pod.scan.fixed.length === 0 || pod.portsFitSomewhere()) return;
    const fits = pod.portFits();
    if (fits.length === 0) return;
    const declared = pod.hostPorts();
    declared.fixed.forEach((port, i) => {
      const spec = declared.fixedSpecs[i]!;
      if (fits.some((f) => !f.notOffered.includes(port))) return;
      const offered = describeOfferedPorts(ctx.cluster, pod.roles);
      const where = ctx.cluster.live ? `no agent offers it (${offered})` : `the agents offer ${offered}`;
      const rolesNote = ctx.cluster.live && pod.roles.key !== '*' ? ` for roles ${pod.roles.key}` : '';
      const pending = `so k8sm never finds a matching offer and the pod stays Pending ("no suitable offers for pod/task")`;
      const message = spec.hostNetwork
        ? `container "${spec.container}" port ${port} is a host port: on the host network (hostNetwork: true) the apiserver sets hostPort = containerPort, and ${port} is outside every offered port range: ${where}${rolesNote}, ${pending}. Have the agents offer ${port} (their --resources ports), or take the pod off the host network.`
        : `hostPort ${port} of container "${spec.container}" is outside every offered port range: ${where}${rolesNote}, ${pending}. Use a hostPort inside those ranges, ${
            pod.mapping === 'wildcard'
              ? 'or hostPort 0 to let k8sm pick a free one'
              : 'or drop the hostPort (under fixed mapping the port then stays pod-private)'
          }.`;
      out.push(podFinding(this, pod, portPath(pod, spec, spec.hostNetwork ? 'containerPort' : 'hostPort'), message, { container: spec.container, port }));
    });
  },
});
