import type { DocPath, Finding, Severity } from '../finding.js';
import type { ContainerPort } from '../k8sm/pod-spec.js';
import type { PodView } from './pod-view.js';
import type { ResourceRef } from './service-view.js';
import type { Rule } from './rule.js';

export interface FindingExtras {
  severity?: Severity;
  container?: string;
  port?: number;
}

/** A finding about one resource, located at `path` (absolute inside the document). */
export function resourceFinding(rule: Rule, r: ResourceRef, path: DocPath, message: string, extras?: FindingExtras): Finding {
  const f: Finding = {
    rule: rule.id,
    severity: extras?.severity ?? rule.severity,
    message,
    file: r.file,
    docIndex: r.docIndex,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    path,
  };
  if (extras?.container !== undefined) f.container = extras.container;
  if (extras?.port !== undefined) f.port = extras.port;
  return f;
}

export function podFinding(rule: Rule, pod: PodView, path: DocPath, message: string, extras?: FindingExtras): Finding {
  return resourceFinding(rule, pod.resource, path, message, extras);
}

/** Path (absolute) of `spec.<rest>` of the pod. */
export function specPath(pod: PodView, ...rest: Array<string | number>): DocPath {
  return [...pod.t.specPath, ...rest];
}

export function metadataPath(pod: PodView, ...rest: Array<string | number>): DocPath {
  return [...pod.t.metadataPath, ...rest];
}

export function containerPath(pod: PodView, containerIndex: number, ...rest: Array<string | number>): DocPath {
  return [...pod.t.specPath, 'containers', containerIndex, ...rest];
}

/** The most specific existing field of a container port: `field` when present, else the port entry. */
export function portPath(pod: PodView, p: ContainerPort, field: 'hostPort' | 'containerPort' | 'name'): DocPath {
  const c = pod.containers().find((x) => x.index === p.containerIndex)?.obj;
  const entry = (c?.ports as unknown[] | undefined)?.[p.portIndex] as Record<string, unknown> | undefined;
  if (entry !== undefined && entry[field] !== undefined) return containerPath(pod, p.containerIndex, 'ports', p.portIndex, field);
  return containerPath(pod, p.containerIndex, 'ports', p.portIndex);
}

/** `Deployment web` / `Pod cache` for messages. */
export function podLabel(pod: { kind: string; name: string }): string {
  return `${pod.kind} ${pod.name || '(unnamed)'}`;
}

/** `port 8080/TCP "http"` for messages. */
export function describePort(p: ContainerPort): string {
  const n = p.name !== undefined ? ` "${p.name}"` : '';
  return `${p.containerPort ?? '?'}/${p.protocol}${n}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
