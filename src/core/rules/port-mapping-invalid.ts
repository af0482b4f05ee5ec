import { podRule } from './rule.js';
import { PORT_MAPPING_LABEL } from '../k8sm/keys.js';
import { isPortMapping } from '../k8sm/settings.js';
import { metadataPath, podFinding } from './report.js';

export const portMappingInvalid = podRule({
  id: 'port-mapping-invalid',
  severity: 'warning',
  title: 'Unknown k8s.mesosphere.io/portMapping value',
  description:
    "The pod label k8s.mesosphere.io/portMapping selects k8sm's host-port mapping strategy: `fixed` (hostPort 0 stays pod-private) or `wildcard` (hostPort 0 gets a free offered port). Any other value makes the scheduler log a warning and fall back to its default (wildcard while --host-port-endpoints is on, else fixed).",
  help: 'Set the label to fixed or wildcard, or remove it to use the scheduler default.',
  check(ctx, pod, out) {
    const v = pod.labels[PORT_MAPPING_LABEL];
    if (v === undefined || isPortMapping(v)) return;
    out.push(
      podFinding(
        this,
        pod,
        metadataPath(pod, 'labels', PORT_MAPPING_LABEL),
        `${PORT_MAPPING_LABEL}=${JSON.stringify(v)} is not a k8sm port mapping: the scheduler logs a warning and uses its default (${ctx.model.portMapping}) instead. Set the label to fixed or wildcard.`,
      ),
    );
  },
});
