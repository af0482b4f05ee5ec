import { podRule } from './rule.js';
import { asStringMap } from '../json-shapes.js';
import { ATTRIBUTE_LABEL_PREFIX, HOSTNAME_LABEL } from '../k8sm/keys.js';
import { isK8smNodeLabel } from '../k8sm/node-labels.js';
import type { PodView } from './pod-view.js';
import { podFinding, specPath } from './report.js';

function nodeSelectorOf(pod: PodView): Record<string, string> {
  return asStringMap(pod.t.spec?.nodeSelector);
}

export const nodeSelectorUnknownLabel = podRule({
  id: 'node-selector-unknown-label',
  severity: 'warning',
  title: 'nodeSelector on a label k8sm does not set',
  description:
    'k8sm registers a Node per Mesos agent with only two kinds of labels: kubernetes.io/hostname and k8s.mesosphere.io/attribute-<name> (one per text or scalar agent attribute), and matches nodeSelector against them. Other labels exist only when someone adds them to the Nodes by hand (k8sm keeps such labels when it updates a Node); otherwise no node matches and the pod stays Pending. A warning, because hand-made labels cannot be seen from here.',
  help: 'Select on k8s.mesosphere.io/attribute-<name> (start the agents with --attributes) or kubernetes.io/hostname, or make sure the Nodes carry the label.',
  check(ctx, pod, out) {
    const sel = nodeSelectorOf(pod);
    for (const key in sel) {
      if (isK8smNodeLabel(key)) continue;
      out.push(
        podFinding(
          this,
          pod,
          specPath(pod, 'nodeSelector', key),
          `nodeSelector ${key}=${sel[key]} uses a label k8sm never sets: its Nodes carry only ${HOSTNAME_LABEL} and ${ATTRIBUTE_LABEL_PREFIX}<name> labels (from Mesos agent attributes), so unless the Nodes are labelled by hand no node matches and the pod stays Pending. Select on an agent attribute instead, e.g. ${ATTRIBUTE_LABEL_PREFIX}${key.replace(/^.*\//, '')}.`,
        ),
      );
    }
  },
});

export const nodeSelectorNoAgent = podRule({
  id: 'node-selector-no-agent',
  severity: 'error',
  title: 'nodeSelector no agent satisfies (live cluster)',
  description:
    "With a live cluster model the labels k8sm gives each agent's Node are known (hostname and agent attributes, scalar attributes formatted like Go's %G). A nodeSelector on those labels that no agent satisfies means no offer ever matches: the pod stays Pending.",
  help: "Fix the selector value to one an agent has (see 'k8smctl get agents'), or give the agents that attribute.",
  check(ctx, pod, out) {
    if (!ctx.cluster.live || ctx.cluster.nodeLabels.length === 0) return;
    const sel = nodeSelectorOf(pod);
    const keys = Object.keys(sel).filter(isK8smNodeLabel);
    if (keys.length === 0) return;
    const nodes = ctx.cluster.nodeLabels;
    if (nodes.some((n) => keys.every((k) => n.labels[k] === sel[k]))) return;
    const unmatched = keys.filter((k) => !nodes.some((n) => n.labels[k] === sel[k]));
    const key = unmatched[0] ?? keys[0]!;
    let detail: string;
    if (unmatched.length > 0) {
      const seen = [...new Set(nodes.map((n) => n.labels[key]).filter((v): v is string => v !== undefined))];
      const seenText = seen.length === 0 ? 'no agent has that label' : `agents have ${seen.slice(0, 5).join(', ')}${seen.length > 5 ? ', ...' : ''}`;
      detail = `no agent has ${key}=${sel[key]} (${seenText})`;
    } else {
      detail = `each label is found on some agent, but no single agent has all of ${keys.map((k) => `${k}=${sel[k]}`).join(', ')}`;
    }
    out.push(
      podFinding(
        this,
        pod,
        specPath(pod, 'nodeSelector', key),
        `nodeSelector matches no agent: ${detail}. k8sm only launches the pod on an agent whose Node labels match, so it stays Pending; fix the selector or the agents' attributes.`,
      ),
    );
  },
});

export const nodeNameNoAgent = podRule({
  id: 'node-name-no-agent',
  severity: 'error',
  title: 'spec.nodeName names no agent (live cluster)',
  description:
    'k8sm launches a pod with spec.nodeName only from an offer of the agent with that hostname. With a live cluster model, a nodeName that is no agent hostname means the pod stays Pending.',
  help: 'Remove spec.nodeName (use a kubernetes.io/hostname nodeSelector if the host matters) or name an existing agent.',
  check(ctx, pod, out) {
    if (!ctx.cluster.live || ctx.cluster.hostnames.size === 0) return;
    const name = pod.t.spec?.nodeName;
    if (typeof name !== 'string' || name === '' || ctx.cluster.hostnames.has(name)) return;
    const some = [...ctx.cluster.hostnames].slice(0, 3).join(', ');
    out.push(
      podFinding(
        this,
        pod,
        specPath(pod, 'nodeName'),
        `spec.nodeName "${name}" is not an agent of the cluster (agents: ${some}${ctx.cluster.hostnames.size > 3 ? ', ...' : ''}): k8sm only launches the pod on an offer from that host, so it stays Pending. Remove nodeName or name an existing agent.`,
      ),
    );
  },
});
