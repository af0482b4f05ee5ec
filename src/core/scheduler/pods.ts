import { asRecord } from '../json-shapes.js';
import { ANNOTATION, MIRROR_ANNOTATION } from '../k8sm/keys.js';

/** Which pods a scheduler takes (reference §1.10), read from a pod's JSON as the apiserver gives it. */

type Json = Record<string, unknown>;

const metaOf = (pod: Json): Record<string, unknown> => asRecord(pod.metadata) ?? {};

/** The pod's `spec.schedulerName`, `default-scheduler` when unset (as the apiserver defaults it). */
export function schedulerNameOf(pod: Json): string {
  const sn = asRecord(pod.spec)?.schedulerName;
  return typeof sn === 'string' && sn !== '' ? sn : 'default-scheduler';
}

/** The uid of the pod's controller (its ownerReference with `controller: true`): whose replicas are spread. */
export function controllerUidOf(pod: Json): string | undefined {
  const refs = metaOf(pod).ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    const ref = asRecord(r);
    if (ref?.controller === true && typeof ref.uid === 'string') return ref.uid;
  }
  return undefined;
}

/**
 * Whether the pod waits for `schedulerName` to launch it: its own, not bound (no nodeName), not
 * launched by k8sm (no bindingHost or taskId annotation), not a mirror pod, not being deleted, not
 * ended.
 */
export function awaitsScheduling(pod: Json, schedulerName: string): boolean {
  const m = metaOf(pod);
  const ann = asRecord(m.annotations) ?? {};
  const phase = asRecord(pod.status)?.phase;
  return (
    schedulerNameOf(pod) === schedulerName &&
    !asRecord(pod.spec)?.nodeName &&
    ann[ANNOTATION.bindingHost] === undefined &&
    ann[ANNOTATION.taskId] === undefined &&
    ann[MIRROR_ANNOTATION] === undefined &&
    m.deletionTimestamp === undefined &&
    phase !== 'Succeeded' &&
    phase !== 'Failed'
  );
}
