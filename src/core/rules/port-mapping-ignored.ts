import { podRule } from './rule.js';
import { asRecord } from '../json-shapes.js';
import { PORT_MAPPING_LABEL } from '../k8sm/keys.js';
import { metadataPath, podFinding } from './report.js';

export const portMappingIgnored = podRule({
  id: 'port-mapping-ignored',
  severity: 'warning',
  title: 'k8s.mesosphere.io/portMapping set where k8sm does not read it',
  description:
    "k8sm reads the port-mapping strategy only from the pod's LABELS. Set as a pod annotation, or on a workload's own metadata (which its pods do not inherit), it is ignored and the pod gets the scheduler default strategy, which decides whether ports without hostPort consume offered host ports.",
  help: "Move k8s.mesosphere.io/portMapping to the pod's labels (spec.template.metadata.labels for workloads).",
  check(ctx, pod, out) {
    const labelled = pod.labels[PORT_MAPPING_LABEL] !== undefined;
    const ann = pod.annotations[PORT_MAPPING_LABEL];
    const own = pod.resource.kind === 'Pod' || labelled ? undefined : asRecord(pod.resource.object.metadata);
    const ownLabels = asRecord(own?.labels);
    const ownAnnotations = asRecord(own?.annotations);
    if (ann === undefined && ownLabels?.[PORT_MAPPING_LABEL] === undefined && ownAnnotations?.[PORT_MAPPING_LABEL] === undefined) return;
    const effective = `${pod.mapping} mapping${labelled ? ' from its label' : ' (the scheduler default)'}`;
    const rel = pod.t.metadataPath.slice(pod.resource.basePath.length).join('.');
    if (ann !== undefined) {
      out.push(
        podFinding(
          this,
          pod,
          metadataPath(pod, 'annotations', PORT_MAPPING_LABEL),
          `${PORT_MAPPING_LABEL}: ${JSON.stringify(ann)} is an annotation, but k8sm reads the port mapping only from the pod's labels, so the pod gets ${effective}. Move it to ${rel}.labels.`,
        ),
      );
    }
    for (const where of ['labels', 'annotations'] as const) {
      const v = (where === 'labels' ? ownLabels : ownAnnotations)?.[PORT_MAPPING_LABEL];
      if (v === undefined) continue;
      out.push(
        podFinding(
          this,
          pod,
          [...pod.resource.basePath, 'metadata', where, PORT_MAPPING_LABEL],
          `${PORT_MAPPING_LABEL} is set on the ${pod.resource.kind}'s own metadata.${where}, which its pods do not inherit: k8sm reads it from the pod's labels, so the pods get ${effective}. Move it to ${rel}.labels.`,
        ),
      );
    }
  },
});
