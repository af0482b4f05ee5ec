import { podRule } from './rule.js';
import { asRecord } from '../json-shapes.js';
import { ROLES_ANNOTATION } from '../k8sm/keys.js';
import { metadataPath, podFinding } from './report.js';

export const podRolesEmpty = podRule({
  id: 'pod-roles-empty',
  severity: 'error',
  title: 'k8s.mesosphere.io/roles annotation lists no role',
  description:
    'The pod annotation k8s.mesosphere.io/roles overrides the roles a pod takes Mesos resources from. k8sm splits it on commas, trims and drops empty entries; when nothing is left the pod has no role to take resources from and is never scheduled.',
  help: 'List at least one role, e.g. "*" or "*,public", or remove the annotation to use the scheduler\'s --mesos-default-pod-roles.',
  check(ctx, pod, out) {
    const a = pod.roles.annotation;
    if (a === undefined || a.listed.length > 0) return;
    const raw = a.raw;
    out.push(
      podFinding(
        this,
        pod,
        metadataPath(pod, 'annotations', ROLES_ANNOTATION),
        `${ROLES_ANNOTATION} is ${JSON.stringify(raw)}, which lists no role: k8sm gives the pod no role to take resources from and it is never scheduled. List roles such as "*" or "*,public", or remove the annotation to use the default pod roles (${ctx.cluster.scheduler.defaultPodRoles.key}).`,
      ),
    );
  },
});

export const podRolesNotInFramework = podRule({
  id: 'pod-roles-not-in-framework',
  severity: 'error',
  title: 'Pod roles the framework does not have',
  description:
    "k8sm drops every role of the k8s.mesosphere.io/roles annotation that is not one of the scheduler's --mesos-framework-roles. When all of them are dropped the pod is never scheduled (error); when only some are, the pod just cannot use resources of those roles (warning).",
  help: "Use roles from the scheduler's --mesos-framework-roles, or add the role there (at most two framework roles, one of them '*').",
  check(ctx, pod, out) {
    const fw = ctx.cluster.scheduler.frameworkRoles.join(',');
    const a = pod.roles.annotation;
    if (a === undefined || a.listed.length === 0) return;
    const { listed, dropped } = a;
    if (dropped.length === 0) return;
    const all = dropped.length === listed.length;
    const names = dropped.map((r) => `"${r}"`).join(', ');
    out.push(
      podFinding(
        this,
        pod,
        metadataPath(pod, 'annotations', ROLES_ANNOTATION),
        all
          ? `${ROLES_ANNOTATION} lists only roles the framework does not have (${names}; framework roles: ${fw}): k8sm drops them all, leaving the pod no role, and it is never scheduled. Use roles from --mesos-framework-roles (${fw}).`
          : `${ROLES_ANNOTATION} lists ${names}, which the framework does not have (framework roles: ${fw}): k8sm drops ${dropped.length === 1 ? 'it' : 'them'} and the pod only uses ${pod.roles.key} resources. Remove ${dropped.length === 1 ? 'it' : 'them'} or add ${dropped.length === 1 ? 'it' : 'them'} to --mesos-framework-roles.`,
        all ? undefined : { severity: 'warning' },
      ),
    );
  },
});

export const podRolesIgnored = podRule({
  id: 'pod-roles-ignored',
  severity: 'warning',
  title: 'k8s.mesosphere.io/roles set where k8sm does not read it',
  description:
    "k8sm reads the pod's role list only from the pod's ANNOTATIONS (the scheduler flag's help text says \"label\", the code reads annotations). Set as a pod label, or on a workload's own metadata, it is ignored and the pod uses the default pod roles.",
  help: "Move k8s.mesosphere.io/roles to the pod's annotations (spec.template.metadata.annotations for workloads).",
  check(ctx, pod, out) {
    if (pod.annotations[ROLES_ANNOTATION] !== undefined) return;
    const label = pod.labels[ROLES_ANNOTATION];
    const own = pod.resource.kind === 'Pod' || label !== undefined ? undefined : asRecord(pod.resource.object.metadata);
    const ownAnnotations = asRecord(own?.annotations);
    const ownLabels = asRecord(own?.labels);
    if (label === undefined && ownAnnotations?.[ROLES_ANNOTATION] === undefined && ownLabels?.[ROLES_ANNOTATION] === undefined) return;
    const rel = pod.t.metadataPath.slice(pod.resource.basePath.length).join('.');
    const deflt = ctx.cluster.scheduler.defaultPodRoles.key;
    if (label !== undefined) {
      out.push(
        podFinding(
          this,
          pod,
          metadataPath(pod, 'labels', ROLES_ANNOTATION),
          `${ROLES_ANNOTATION} is a label, but k8sm reads the pod's roles only from its annotations, so the pod uses the default pod roles (${deflt}). Move it to ${rel}.annotations.`,
        ),
      );
      return;
    }
    for (const where of ['annotations', 'labels'] as const) {
      if ((where === 'labels' ? ownLabels : ownAnnotations)?.[ROLES_ANNOTATION] === undefined) continue;
      out.push(
        podFinding(
          this,
          pod,
          [...pod.resource.basePath, 'metadata', where, ROLES_ANNOTATION],
          `${ROLES_ANNOTATION} is set on the ${pod.resource.kind}'s own metadata.${where}, which its pods do not inherit, so they use the default pod roles (${deflt}). Move it to ${rel}.annotations.`,
        ),
      );
    }
  },
});
