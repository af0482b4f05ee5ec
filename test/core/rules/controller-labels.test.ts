/**
 * Services that select pods by labels the controllers add (issue 12): the workload's pods carry them
 * although its template does not, so the Service selects them and its endpoints are checked.
 */
import { container, deployment, offline, run, service } from './fixtures.js';

const sts = (name: string, o: { replicas?: number; hostPort?: number } = {}) => ({
  ...deployment(
    { containers: [container({ ports: [{ name: 'http', containerPort: 8080, ...(o.hostPort ? { hostPort: o.hostPort } : {}) }] })] },
    { name, ...(o.replicas ? { replicas: o.replicas } : {}) },
  ),
  kind: 'StatefulSet',
});
const job = (kind: 'Job' | 'CronJob', name: string) => {
  const tmpl = {
    metadata: { labels: { app: 'batch' } },
    spec: { restartPolicy: 'Never', containers: [container({ ports: [{ name: 'metrics', containerPort: 9090 }] })] },
  };
  const spec = kind === 'Job' ? { template: tmpl } : { schedule: '@hourly', jobTemplate: { spec: { template: tmpl } } };
  return { apiVersion: 'batch/v1', kind, metadata: { name, namespace: 'shop' }, spec };
};
const fixed = offline({ portMapping: 'fixed' });

describe('Services selecting controller-added labels', () => {
  test.each([
    ['statefulset.kubernetes.io/pod-name', 'web-0', sts('web')],
    ['apps.kubernetes.io/pod-index', '0', sts('web')],
    ['controller-revision-hash', 'web-7d9c5', sts('web')],
    ['pod-template-hash', '5d8f7c9b6d', deployment({ containers: [container({ ports: [{ name: 'http', containerPort: 8080 }] })] })],
  ])("%s=%s selects the workload's pods: no service-selects-no-pods, the endpoint check runs", (key, value, workload) => {
    const svc = service({ selector: { app: 'web', [key]: value }, ports: [{ port: 80, targetPort: 'http' }] });
    expect(run('service-selects-no-pods', [workload, svc], fixed)).toEqual([]);
    // under fixed mapping the target port has no hostPort: the endpoint check says so (it ran)
    expect(run('service-endpoint-no-host-port', [workload, svc], fixed)).toHaveLength(1);
  });

  test('a pod-name of another StatefulSet, or a label the workload kind never gets, selects nothing', () => {
    const other = service({ selector: { 'statefulset.kubernetes.io/pod-name': 'db-0' }, ports: [{ port: 80, targetPort: 'http' }] });
    expect(run('service-selects-no-pods', [sts('web'), other], fixed)).toHaveLength(1);
    const wrongKind = service({ selector: { app: 'web', 'pod-template-hash': 'abc' }, ports: [{ port: 80, targetPort: 'http' }] });
    expect(run('service-selects-no-pods', [sts('web'), wrongKind], fixed)).toHaveLength(1);
  });

  test('a selector of controller labels only: a StatefulSet pod by name', () => {
    const svc = service({ selector: { 'statefulset.kubernetes.io/pod-name': 'web-2' }, ports: [{ port: 80, targetPort: 'http' }] });
    expect(run('service-selects-no-pods', [sts('web', { hostPort: 31080 }), svc])).toEqual([]);
    expect(run('service-endpoint-no-host-port', [sts('web', { hostPort: 31080 }), svc], fixed)).toEqual([]);
  });

  test('job-name: a Job by its name, a CronJob by the names of its Jobs; controller-uid: any Job', () => {
    const byName = service({ selector: { 'job-name': 'report' }, ports: [{ port: 9090, targetPort: 'metrics' }] });
    expect(run('service-selects-no-pods', [job('Job', 'report'), byName], fixed)).toEqual([]);
    const cron = service({ selector: { 'batch.kubernetes.io/job-name': 'nightly-28712345' }, ports: [{ port: 9090, targetPort: 'metrics' }] });
    expect(run('service-selects-no-pods', [job('CronJob', 'nightly'), cron], fixed)).toEqual([]);
    expect(run('service-selects-no-pods', [job('Job', 'nightly'), cron], fixed)).toHaveLength(1);
    const uid = service({
      selector: { app: 'batch', 'controller-uid': '0b9f6c0e-1f0b-4a8e-9d53-1c2f3d4e5f60' },
      ports: [{ port: 9090, targetPort: 'metrics' }],
    });
    expect(run('service-selects-no-pods', [job('Job', 'report'), uid], fixed)).toEqual([]);
  });
});
