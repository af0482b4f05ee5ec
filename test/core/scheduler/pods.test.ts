import { describe, expect, test } from '@jest/globals';
import { awaitsScheduling, controllerUidOf, schedulerNameOf } from '../../../src/core/scheduler/pods.js';

const pod = (o: { spec?: Record<string, unknown>; annotations?: Record<string, string>; meta?: Record<string, unknown>; phase?: string } = {}) => ({
  metadata: { name: 'web-1', namespace: 'ns', ...(o.annotations ? { annotations: o.annotations } : {}), ...o.meta },
  spec: { containers: [{ name: 'c' }], ...o.spec },
  ...(o.phase ? { status: { phase: o.phase } } : {}),
});

describe('which pods a scheduler takes', () => {
  test("a pod without schedulerName is default-scheduler's, as the apiserver defaults it", () => {
    expect(schedulerNameOf(pod())).toBe('default-scheduler');
    expect(schedulerNameOf(pod({ spec: { schedulerName: '' } }))).toBe('default-scheduler');
    expect(schedulerNameOf(pod({ spec: { schedulerName: 'k8sm' } }))).toBe('k8sm');
    expect(awaitsScheduling(pod(), 'default-scheduler')).toBe(true);
    expect(awaitsScheduling(pod(), 'k8sm')).toBe(false);
    expect(awaitsScheduling(pod({ spec: { schedulerName: 'k8sm' } }), 'k8sm')).toBe(true);
  });

  test('a bound, launched, mirror, deleted or ended pod is not taken', () => {
    expect(awaitsScheduling(pod({ phase: 'Pending' }), 'default-scheduler')).toBe(true);
    expect(awaitsScheduling(pod({ spec: { nodeName: 'a1' } }), 'default-scheduler')).toBe(false);
    expect(awaitsScheduling(pod({ annotations: { 'k8s.mesosphere.io/bindingHost': 'a1' } }), 'default-scheduler')).toBe(false);
    expect(awaitsScheduling(pod({ annotations: { 'k8s.mesosphere.io/taskId': 'pod.1' } }), 'default-scheduler')).toBe(false);
    expect(awaitsScheduling(pod({ annotations: { 'kubernetes.io/config.mirror': 'x' } }), 'default-scheduler')).toBe(false);
    expect(awaitsScheduling(pod({ meta: { deletionTimestamp: '2026-12-03T00:00:00Z' } }), 'default-scheduler')).toBe(false);
    expect(awaitsScheduling(pod({ phase: 'Succeeded' }), 'default-scheduler')).toBe(false);
    expect(awaitsScheduling(pod({ phase: 'Failed' }), 'default-scheduler')).toBe(false);
    // Another k8sm annotation (roles) does not make a pod launched.
    expect(awaitsScheduling(pod({ annotations: { 'k8s.mesosphere.io/roles': 'public' } }), 'default-scheduler')).toBe(true);
  });

  test("a pod's spread group is its controller's uid, not any owner's", () => {
    expect(controllerUidOf(pod())).toBeUndefined();
    expect(controllerUidOf(pod({ meta: { ownerReferences: [{ uid: 'u1' }, { uid: 'u2', controller: true }] } }))).toBe('u2');
    expect(controllerUidOf(pod({ meta: { ownerReferences: [{ uid: 'u1', controller: false }] } }))).toBeUndefined();
    expect(controllerUidOf(pod({ meta: { ownerReferences: 'not a list' } }))).toBeUndefined();
  });
});
