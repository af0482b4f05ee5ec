/**
 * Issue 12's acceptance: `k8smctl validate` over the real-world corpus in ../shared/corpus/real-manifests
 * (published manifests nobody on this project wrote; read from ../shared, never copied here), as a
 * user runs it on a repository: no exit 2, no stack trace, no exact duplicate, no schema error on an
 * explicit null of an optional field, JUnit counts that agree with the JSON summary, and a fixed list
 * of findings checked by hand against the files (host-network ports among them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { k8smctl } from '../harness.js';

const corpus = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'corpus', 'real-manifests');
const present = existsSync(corpus);

interface Finding {
  rule: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  kind?: string;
  name?: string;
  container?: string;
  port?: number;
}
interface Report {
  findings: Finding[];
  summary: { files: number; resources: number; customResources: number; skipped: number; errors: number; warnings: number; infos: number };
}

/**
 * Findings checked by hand against the files: rule, file (relative to the corpus), line:column,
 * kind/name, port, and the text the file has there.
 */
const EXPECTED: Array<[string, string, string, string, number | undefined, string]> = [
  // host network: hostPort = containerPort on every port (TPU JobSets, nothing written as hostPort)
  [
    'host-port-not-offered',
    'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/gke-tpu-dynamic-slicing/tpu-multislice-jax.yaml',
    '52:32',
    'JobSet/tpu-multislice-jax',
    8471,
    '8471',
  ],
  [
    'host-port-not-offered',
    'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-multihost-tpus-saxml/sax-model-server-set.yaml',
    '46:34',
    'JobSet/sax-model-server-set',
    10001,
    '10001',
  ],
  [
    'host-port-not-offered',
    'GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-multihost-tpus-saxml/sax-model-server-set.yaml',
    '47:34',
    'JobSet/sax-model-server-set',
    8471,
    '8471',
  ],
  // host ports written out, outside [31000-32000]
  ['host-port-not-offered', 'prometheus-operator__kube-prometheus/manifests/nodeExporter-daemonset.yaml', '80:21', 'DaemonSet/node-exporter', 9100, '9100'],
  [
    'host-port-not-offered',
    'kubernetes__examples/_archived/storage/minio/minio-standalone-deployment.yaml',
    '39:21',
    'Deployment/minio-deployment',
    9000,
    '9000',
  ],
  ['host-port-not-offered', 'kubernetes__ingress-nginx/deploy/static/provider/kind/deploy.yaml', '466:21', 'Deployment/ingress-nginx-controller', 80, '80'],
  ['host-port-not-offered', 'kubernetes__ingress-nginx/deploy/static/provider/kind/deploy.yaml', '470:21', 'Deployment/ingress-nginx-controller', 443, '443'],
  // structure: a lower-case protocol, an unquoted boolean env value, an empty image, apps/v1 `selector: null`
  ['schema', 'kubernetes__examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml', '12:21', 'Pod/aws-web', 80, 'tcp'],
  ['schema', 'kubernetes__ingress-nginx/docs/examples/auth/oauth-external-auth/vouch-proxy.yaml', '21:18', 'Deployment/vouch-proxy', undefined, 'true'],
  ['schema', 'longhorn__longhorn/deploy/longhorn-okd.yaml', '5896:16', 'Deployment/longhorn-ui', undefined, '""'],
  [
    'schema',
    'linkerd__linkerd2/cli/cmd/testdata/inject_gettest_deployment.good.golden.yml',
    '6:13',
    'Deployment/get-test-deploy-injected-1',
    undefined,
    'null',
  ],
  // a Deployment without metadata (linkerd's test input of a bad deployment): no name
  ['schema', 'linkerd__linkerd2/cli/cmd/testdata/inject_gettest_deployment.bad.input.yml', '2:1', 'Deployment/', undefined, 'apiVersion: apps/v1'],
  // input: a null List item, a duplicated key, an object without kind, a Kustomize patch
  ['not-an-object', 'linkerd__linkerd2/cli/cmd/testdata/inject_emojivoto_list_empty_resources.input.yml', '69:5', '/', undefined, 'null'],
  [
    'yaml-syntax',
    'kubernetes__examples/_archived/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml',
    '9:1',
    '/',
    undefined,
    'type: kubernetes.io/quobyte',
  ],
  [
    'missing-kind',
    'cert-manager__cert-manager/deploy/charts/cert-manager/tests/controller/deployment_test.yaml',
    '1:1',
    '/',
    undefined,
    'suite: Controller Deployment',
  ],
  ['kustomize-patch', 'kubernetes-sigs__metrics-server/manifests/components/autoscale/patch.yaml', '1:1', '/', undefined, 'apiVersion: apps/v1'],
  // a Service whose target port the selected Deployment does not declare
  [
    'service-endpoint-no-host-port',
    'GoogleCloudPlatform__kubernetes-engine-samples/observability/workload-metrics/manifests/adapter_new_resource_model.yaml',
    '145:17',
    'Service/custom-metrics-stackdriver-adapter',
    443,
    '443',
  ],
];

const rel = (f: Finding) => (f.file ?? '').slice(corpus.length + 1);

if (!present) {
  test.skip(`real-world corpus: skipped, ${corpus} not found (it lives in ../shared next to the project)`, () => undefined);
} else {
  describe('validate over the real-world corpus (../shared/corpus/real-manifests)', () => {
    let json: { code: number; stdout: string; stderr: string };
    let report: Report;

    beforeAll(async () => {
      json = await k8smctl(['validate', '-R', '-f', corpus, '-o', 'json']);
      report = JSON.parse(json.stdout) as Report;
    }, 120_000);

    test('exit 1 (there are errors), never 2; no stack trace and nothing else on stderr', () => {
      expect(json.code).toBe(1);
      expect(json.stderr).toBe('');
      expect(json.stdout).not.toMatch(/\n\s+at [\w.<>]+ \(/);
      expect(report.summary.files).toBeGreaterThan(1600);
      expect(report.summary.errors).toBe(report.findings.filter((f) => f.severity === 'error').length);
    });

    test('no exact duplicate (rule, file, line, column, message); every finding in a file has a line', () => {
      const keys = report.findings.map((f) => [f.rule, f.file, f.line, f.column, f.message].join('\u0000'));
      expect(keys.length - new Set(keys).size).toBe(0);
      expect(report.findings.filter((f) => f.file !== undefined && !(f.line! >= 1))).toEqual([]);
    });

    test('no schema error on an explicit null of an optional field (nodePort: null, annotations: with nothing)', () => {
      for (const f of report.findings.filter((x) => x.rule === 'schema')) {
        const lines = readFileSync(f.file!, 'utf8').split(/\r?\n/);
        const text = lines[f.line! - 1]!.slice(f.column! - 1);
        if (/^(null|~)?\s*(#.*)?$/.test(text)) expect(f.message).toContain('is required (null is the same as leaving it out)');
      }
      const at = (file: string) => report.findings.filter((f) => f.rule === 'schema' && rel(f) === file);
      expect(at('longhorn__longhorn/deploy/longhorn.yaml')).toEqual([]); // nodePort: null
      expect(at('linkerd__linkerd2/cli/cmd/testdata/inject_tap_deployment.input.yml')).toEqual([]); // annotations: (null)
    });

    test('the findings checked by hand are there, where the files say', () => {
      const seen = report.findings.map((f) => [f.rule, rel(f), `${f.line}:${f.column}`, `${f.kind ?? ''}/${f.name ?? ''}`, f.port]);
      for (const [rule, file, at, object, port, text] of EXPECTED) {
        expect(seen).toContainEqual([rule, file, at, object, port]);
        const [line, column] = at.split(':').map(Number);
        const lines = readFileSync(join(corpus, file), 'utf8').split(/\r?\n/);
        expect({ file, at, text: lines[line! - 1]!.slice(column! - 1, column! - 1 + text.length) }).toEqual({ file, at, text });
      }
    });

    test('Kustomize patches get no schema errors; custom resources with pod templates are counted', () => {
      const patches = new Set(report.findings.filter((f) => f.rule === 'kustomize-patch').map(rel));
      expect(patches.size).toBeGreaterThan(5);
      expect(report.findings.filter((f) => patches.has(rel(f)) && f.rule !== 'kustomize-patch')).toEqual([]);
      expect(report.summary.customResources).toBeGreaterThan(0);
    });

    test('JUnit agrees with the JSON summary: one <failure> per failing test case, failures = errors, skipped = skipped', async () => {
      const junit = await k8smctl(['validate', '-R', '-f', corpus, '-o', 'junit']);
      expect(junit.code).toBe(1);
      const root = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)"/.exec(junit.stdout)!;
      expect(Number(root[2])).toBe(report.summary.errors);
      expect(Number(root[3])).toBe(report.summary.skipped);
      expect(junit.stdout.split('<failure ').length - 1).toBe(report.summary.errors);
      for (const c of junit.stdout.split('<testcase ').slice(1)) expect(c.split('<failure ').length).toBeLessThanOrEqual(2);
    }, 120_000);

    test('--per-file: each example on its own; no object is "defined again"', async () => {
      const r = await k8smctl(['validate', '-R', '-f', corpus, '-o', 'json', '--per-file']);
      expect(r.code).toBe(1);
      const perFile = JSON.parse(r.stdout) as Report;
      expect(perFile.findings.filter((f) => f.rule === 'object-redefined')).toEqual([]);
      expect(report.findings.filter((f) => f.rule === 'object-redefined').length).toBeGreaterThan(100);
    }, 120_000);
  });
}
