/** Kinds matched by API group and kind; pod templates of custom resources checked (issue 12). */
import { ManifestChecker } from '../../../src/core/check-manifests.js';
import { readAs } from '../../../src/core/manifest/kinds.js';
import { parseManifest } from '../../../src/core/manifest/parse-manifest.js';
import { apiGroup, podTemplateOf, podTemplatesOf } from '../../../src/core/manifest/pod-template.js';
import { defaultModel } from './offline-model.js';

const tmpl = (hostPort: number) =>
  `  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        ports: [{containerPort: 80, hostPort: ${hostPort}}]\n        resources: {limits: {cpu: 100m, memory: 64Mi}}\n`;

function check(text: string) {
  const checker = new ManifestChecker(defaultModel());
  checker.addFile({ file: 'cr.yaml', text, staticPodFile: false });
  return checker.finish();
}

describe('API group and kind', () => {
  test('apiGroup', () => {
    expect(apiGroup('v1')).toBe('');
    expect(apiGroup('apps/v1')).toBe('apps');
    expect(apiGroup('serving.knative.dev/v1')).toBe('serving.knative.dev');
  });

  test.each([
    ['v1', 'Service', 'service'],
    ['serving.knative.dev/v1', 'Service', 'custom'],
    ['apps/v1', 'StatefulSet', 'pod'],
    ['apps.kruise.io/v1beta1', 'StatefulSet', 'custom'],
    ['apps.kruise.io/v1alpha1', 'DaemonSet', 'custom'],
    ['apps.kruise.io/v1alpha1', 'CloneSet', 'custom'],
    ['argoproj.io/v1alpha1', 'Rollout', 'custom'],
    ['apps.openshift.io/v1', 'DeploymentConfig', 'custom'],
    ['v1', 'DeploymentConfig', 'custom'],
    ['extensions/v1beta1', 'Deployment', 'pod'],
    ['batch/v1', 'CronJob', 'pod'],
    ['v1', 'ConfigMap', undefined],
    ['example.com/v1', 'Database', 'custom'], // any custom resource with a pod template
    ['v1', 'Secret', undefined],
  ])('%s %s is read as %s', (apiVersion, kind, as) => {
    const p = parseManifest(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\nspec:\n  selector: {app: x}\n${tmpl(31080)}`, 'x.yaml');
    expect(readAs(p.resources[0]!)).toBe(as);
  });

  test('any custom resource with a pod template of the pod shape, or a job template of one, is read', () => {
    const job = parseManifest(
      'apiVersion: example.com/v1\nkind: ScheduledTask\nmetadata: {name: t}\nspec:\n  jobTemplate:\n    spec:\n      parallelism: 3\n      template:\n        spec:\n          containers: [{name: t, image: t}]\n',
      'x.yaml',
    ).resources[0]!;
    expect(readAs(job)).toBe('custom');
    expect(podTemplateOf(job)!.replicas).toMatchObject({ kind: 'count', count: 3 });
    // not the pod shape: a template of something else
    const other = parseManifest(
      'apiVersion: example.com/v1\nkind: Report\nmetadata: {name: r}\nspec:\n  template:\n    spec:\n      containers: [a, b]\n',
      'x.yaml',
    ).resources[0]!;
    expect(readAs(other)).toBeUndefined();
  });
});

describe('custom resources are checked by their pod template and counted', () => {
  test('a Knative Service with a host port no agent offers: an error, and it is no core Service (no selector finding)', () => {
    const r = check(`apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec:\n${tmpl(8080)}`);
    expect(r.findings.map((f) => `${f.rule} ${f.kind} ${f.line}:${f.column}`)).toEqual(['host-port-not-offered Service 12:47']);
    expect(r.checked).toBe(1);
    expect(r.custom).toBe(1);
  });

  test('OpenKruise StatefulSet and DaemonSet, Argo Rollout: checked without the apps schema (their fields are their own)', () => {
    const docs = [
      `apiVersion: apps.kruise.io/v1beta1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  replicas: 2\n  updateStrategy: {rollingUpdate: {partition: "x"}}\n${tmpl(31081)}`,
      `apiVersion: apps.kruise.io/v1alpha1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n${tmpl(9100)}`,
      `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  replicas: 3\n${tmpl(31082)}`,
    ].join('---\n');
    const r = check(docs);
    expect(r.custom).toBe(3);
    expect(r.findings.filter((f) => f.rule === 'schema')).toEqual([]); // no apps/v1 selector demanded
    expect(r.findings.map((f) => `${f.rule} ${f.kind}/${f.name}`)).toEqual([
      'host-port-replicas-exceed-agents StatefulSet/s',
      'host-port-not-offered DaemonSet/d',
      'host-port-replicas-exceed-agents Rollout/r',
    ]);
  });
});

describe('JobSet: one pod template per replicated Job', () => {
  const JOBSET = `apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata: {name: multislice}
spec:
  replicatedJobs:
  - name: slice
    replicas: 2
    template:
      spec:
        parallelism: 2
        template:
          spec:
            hostNetwork: true
            containers:
            - name: jax-worker
              image: jax
              ports: [{containerPort: 8471}]
              resources: {limits: {cpu: 1, memory: 1Gi}}
  - name: driver
    template:
      spec:
        template:
          spec:
            containers:
            - name: driver
              image: driver
              ports: [{containerPort: 80, hostPort: 31080}]
              resources: {limits: {cpu: 1, memory: 1Gi}}
`;

  test('every replicated Job is checked: a host-network port outside the offered ranges is an error', () => {
    const r = check(JOBSET);
    expect(r.custom).toBe(1);
    expect(r.findings.map((f) => `${f.rule} ${f.line}:${f.column} ${f.container} ${f.port}`)).toEqual(['host-port-not-offered 17:39 jax-worker 8471']);
  });

  test('pods at once: parallelism times the replicated Job replicas', () => {
    const p = parseManifest(
      JOBSET.replace('hostNetwork: true', 'hostNetwork: false').replace('[{containerPort: 8471}]', '[{containerPort: 8471, hostPort: 31471}]'),
      'js.yaml',
    );
    const [slice, driver] = podTemplatesOf(p.resources[0]!);
    expect(slice!.replicas).toMatchObject({ kind: 'count', count: 4 });
    expect(driver!.replicas).toMatchObject({ kind: 'count', count: 1 });
    expect(slice!.specPath).toEqual(['spec', 'replicatedJobs', 0, 'template', 'spec', 'template', 'spec']);
  });
});
