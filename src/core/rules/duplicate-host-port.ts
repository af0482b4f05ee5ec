import { podRule } from './rule.js';
import { describePort, podFinding, portPath } from './report.js';

export const duplicateHostPort = podRule({
  id: 'duplicate-host-port',
  severity: 'error',
  title: 'Same host port twice in one pod',
  description:
    'k8sm\'s port mapper keys a pod\'s host ports by number only (KMF `hostport/mapper.go`), not by number and protocol: the same non-zero hostPort declared twice in one pod, even once TCP and once UDP, makes the mapper fail with "Host port N is specified for container ...", and the pod is never scheduled.',
  help: 'Give every container port of the pod its own hostPort number (for DNS-style TCP+UDP pairs, use two different host ports), or hostPort 0 for ports that need no fixed host port.',
  check(ctx, pod, out) {
    if (pod.scan.duplicated.length === 0) return;
    for (const d of pod.hostPorts().duplicates) {
      const protoNote =
        d.first.protocol !== d.second.protocol
          ? ` Different protocols do not help: k8sm keys host ports by number only, so ${d.first.protocol} and ${d.second.protocol} collide.`
          : '';
      const firstWhere = d.first.container === d.second.container ? 'the same container' : `container "${d.first.container}"`;
      out.push(
        podFinding(
          this,
          pod,
          portPath(pod, d.second, 'hostPort'),
          `hostPort ${d.port} is declared twice in the pod: container "${d.second.container}" port ${describePort(d.second)} repeats it from ${firstWhere} port ${describePort(d.first)}. k8sm's port mapper rejects the pod and it is never scheduled; give each container port its own hostPort.${protoNote}`,
          { container: d.second.container, port: d.port },
        ),
      );
    }
  },
});
