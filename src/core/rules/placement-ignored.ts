import { podRule } from './rule.js';
import { asArray, asRecord } from '../json-shapes.js';
import { metadataPath, podFinding, specPath } from './report.js';

const NODE_SELECTOR_HINT = 'Use a nodeSelector on kubernetes.io/hostname or k8s.mesosphere.io/attribute-<name> labels instead';
const SPREAD_HINT =
  'k8sm has no equivalent: to keep replicas on different agents give the pod a fixed hostPort (one pod per agent per host port) or run it as a DaemonSet';

const WHAT: Record<string, { effect: string; hint: string }> = {
  nodeAffinity: { effect: 'the pod may run on any agent whose offer fits', hint: NODE_SELECTOR_HINT },
  podAffinity: { effect: 'the pod is not placed next to the pods it selects', hint: 'k8sm has no equivalent; place both with the same nodeSelector' },
  podAntiAffinity: { effect: 'replicas may land on the same agent', hint: SPREAD_HINT },
};

export const placementIgnored = podRule({
  id: 'placement-ignored',
  severity: 'warning',
  title: 'Placement setting k8sm ignores',
  description:
    "k8sm's scheduler takes the first Mesos offer that fits (first-come-first-served) and honours only spec.nodeName and spec.nodeSelector. Node and pod affinity, anti-affinity, topology spread constraints and tolerations (and their alpha annotations) are ignored: the pod may land anywhere, and taints neither keep it off nor let it on.",
  help: 'Place pods with a nodeSelector on kubernetes.io/hostname or k8s.mesosphere.io/attribute-<name> (Mesos agent attributes); spread replicas with a fixed hostPort or a DaemonSet.',
  check(ctx, pod, out) {
    const spec = pod.t.spec;
    if (spec === undefined) return;
    const affinity = asRecord(spec.affinity);
    if (affinity !== undefined) {
      let any = false;
      for (const k of ['nodeAffinity', 'podAffinity', 'podAntiAffinity'] as const) {
        if (affinity[k] === undefined || affinity[k] === null) continue;
        any = true;
        out.push(
          podFinding(
            this,
            pod,
            specPath(pod, 'affinity', k),
            `k8sm ignores spec.affinity.${k}: its scheduler takes the first Mesos offer that fits, so ${WHAT[k]!.effect}. ${WHAT[k]!.hint}.`,
          ),
        );
      }
      if (!any && Object.keys(affinity).length > 0) {
        out.push(
          podFinding(
            this,
            pod,
            specPath(pod, 'affinity'),
            `k8sm ignores spec.affinity: its scheduler takes the first Mesos offer that fits. ${NODE_SELECTOR_HINT}.`,
          ),
        );
      }
    }
    const spread = asArray(spec.topologySpreadConstraints);
    if (spread !== undefined && spread.length > 0) {
      out.push(
        podFinding(
          this,
          pod,
          specPath(pod, 'topologySpreadConstraints'),
          `k8sm ignores spec.topologySpreadConstraints: its scheduler takes the first Mesos offer that fits, so replicas may pile up on one agent. ${SPREAD_HINT}.`,
        ),
      );
    }
    const tol = asArray(spec.tolerations);
    if (tol !== undefined && tol.length > 0) {
      out.push(
        podFinding(
          this,
          pod,
          specPath(pod, 'tolerations'),
          `k8sm ignores spec.tolerations: its scheduler does not look at node taints, so they neither keep this pod off an agent nor let it onto one. Remove them, and place the pod with a nodeSelector if it matters.`,
        ),
      );
    }
    for (const key of ['scheduler.alpha.kubernetes.io/affinity', 'scheduler.alpha.kubernetes.io/tolerations']) {
      if (pod.annotations[key] === undefined) continue;
      out.push(
        podFinding(
          this,
          pod,
          metadataPath(pod, 'annotations', key),
          `k8sm ignores the ${key} annotation: its scheduler takes the first Mesos offer that fits. ${NODE_SELECTOR_HINT}.`,
        ),
      );
    }
  },
});
