import { inputRule } from './rule.js';
import { findContainerPort } from '../k8sm/endpoints.js';
import { PORT_MAPPING_LABEL } from '../k8sm/keys.js';
import type { ServiceView } from './service-view.js';
import { describePort, podLabel, resourceFinding } from './report.js';

function targetOf(p: ServiceView['ports'][number]): number | string | undefined {
  return p.targetPort ?? p.port;
}

/**
 * Every endpoint finding depends on the controller-manager's --host-port-endpoints, whose default
 * changed between k8sm versions (§1.16): the messages say so, and how to turn the check off.
 */
const DEPENDS =
  "This depends on the k8sm controller-manager's --host-port-endpoints (on in k8sm's documentation, off by default in the later kube-mesos-framework); if yours runs with --host-port-endpoints=false, pod IPs are used and this does not apply: validate with --no-host-port-endpoints.";

function selectorText(s: ServiceView): string {
  return Object.entries(s.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export const serviceEndpointNoHostPort = inputRule({
  id: 'service-endpoint-no-host-port',
  severity: 'error',
  title: 'Service endpoint cannot terminate at HostIP:HostPort',
  description:
    "With host-port endpoints on (k8sm controller-manager --host-port-endpoints), k8sm publishes service endpoints as HostIP:HostPort instead of PodIP:containerPort. It finds the Service's targetPort (a number, a name, or `port` when absent) among the selected pod's container ports with the same protocol and looks up the host port k8sm allocated for it. A pod that does not declare that container port, or declares it without a hostPort under fixed mapping (no host port allocated), never becomes an endpoint.",
  help: "Declare the target as a container port (same protocol) in the pod template, and give it a hostPort, or keep hostPort 0 under wildcard mapping so k8sm allocates one; or run the controller-manager with --host-port-endpoints=false on a network where pod IPs are routable. The check follows the controller-manager's --host-port-endpoints (on in k8sm's documentation, off by default in the later kube-mesos-framework): validate with --no-host-port-endpoints when yours runs with it off.",
  check(ctx, out) {
    if (!ctx.model.hostPortEndpoints) return;
    for (const svc of ctx.services) {
      const pods = ctx.servicePods(svc);
      for (const sp of svc.ports) {
        const target = targetOf(sp);
        if (target === undefined) continue;
        const path = () => [...svc.specPath, 'ports', sp.index, sp.targetPort !== undefined ? 'targetPort' : 'port'];
        const label = sp.name !== undefined ? `"${sp.name}" (${sp.port ?? '?'})` : String(sp.port ?? '?');
        for (const pod of pods) {
          const p = findContainerPort(pod.ports, target, sp.protocol);
          if (p === undefined) {
            out.push(
              resourceFinding(
                this,
                svc.resource,
                path(),
                `Service port ${label} targets ${typeof target === 'number' ? `container port ${target}` : `the port named "${target}"`}/${sp.protocol}, which ${podLabel(pod)} does not declare: with host-port endpoints on, k8sm's endpoints controller finds no host port for it and the pods never become endpoints. Declare ${typeof target === 'number' ? `containerPort ${target}` : `a container port named "${target}"`} (protocol ${sp.protocol}) in the pod template, or fix targetPort. ${DEPENDS}`,
                typeof target === 'number' ? { port: target } : undefined,
              ),
            );
            continue;
          }
          if (p.hostPort !== 0 || pod.mapping !== 'fixed') continue;
          const why = pod.mappingLabel === 'fixed' ? `its ${PORT_MAPPING_LABEL}=fixed label` : "the scheduler's fixed port mapping";
          out.push(
            resourceFinding(
              this,
              svc.resource,
              path(),
              `Service port ${label} targets container port ${describePort(p)} of ${podLabel(pod)} (container "${p.container}"), which has no hostPort under ${why}: k8sm allocates no host port for it, so the endpoints controller has nothing to publish as HostIP:HostPort and the pods never become endpoints. Give that port a hostPort inside the offered ranges, or use wildcard mapping so k8sm picks one. ${DEPENDS}`,
              { container: p.container, ...(p.containerPort !== undefined ? { port: p.containerPort } : {}) },
            ),
          );
        }
      }
    }
  },
});

export const serviceSelectsNoPods = inputRule({
  id: 'service-selects-no-pods',
  severity: 'warning',
  title: 'Service selects no pod in the input',
  description:
    "With host-port endpoints on, a Service's endpoints depend on the selected pods' host ports, so validate checks them together. A Service whose selector matches no pod template in the input (same namespace) cannot be checked, and if nothing on the cluster matches either it gets no endpoints.",
  help: 'Validate the Service together with the workloads it selects, and check its selector and namespace against their pod template labels.',
  check(ctx, out) {
    if (!ctx.model.hostPortEndpoints) return;
    for (const svc of ctx.services) {
      if (ctx.servicePods(svc).length > 0) continue;
      out.push(
        resourceFinding(
          this,
          svc.resource,
          [...svc.specPath, 'selector'],
          `Service selector ${selectorText(svc)} matches no pod template in namespace ${svc.namespace} in the input, so its HostIP:HostPort endpoints cannot be checked; if nothing on the cluster matches either, it gets no endpoints. Validate it together with its workloads, or fix the selector.`,
        ),
      );
    }
  },
});
