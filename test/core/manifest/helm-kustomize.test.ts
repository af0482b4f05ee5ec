/** Helm templates and Kustomize's own files in the input (issue 12: noise that is not a manifest problem). */
import yaml from 'js-yaml';
import { ManifestChecker } from '../../../src/core/check-manifests.js';
import { findHelmTemplate } from '../../../src/core/manifest/helm-template.js';
import { kustomizationRefs, normalizePath, resolveBeside } from '../../../src/core/manifest/kustomization.js';
import { parseManifest } from '../../../src/core/manifest/parse-manifest.js';
import { defaultModel } from './offline-model.js';

function run(files: Array<[string, string]>) {
  const checker = new ManifestChecker(defaultModel(), { listResources: true });
  for (const [file, text] of files) checker.addFile({ file, text, staticPodFile: false });
  return checker.finish();
}

const DEPLOY = (extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n${extra}  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        resources:\n          limits: {cpu: 100m, memory: 64Mi}\n`;

describe('Helm templates', () => {
  const CHART = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
`;

  test('a chart template is reported once, where the first action is, and not checked as objects', () => {
    const p = parseManifest(CHART, 'templates/deployment.yaml');
    expect(p.resources).toEqual([]);
    expect(p.findings).toEqual([
      {
        rule: 'helm-template',
        severity: 'error',
        message:
          'templates/deployment.yaml is a Helm template, not a manifest ({{ include "app.fullname" . }} is a template action): kubectl cannot apply it as it is; render it first (helm template ... | k8smctl validate -f -)',
        file: 'templates/deployment.yaml',
        line: 4,
        column: 9,
      },
    ]);
  });

  test('a template that happens to parse gets no schema errors, only the Helm finding', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "{{ .Release.Name }}-web"\nspec:\n  containers:\n  - name: web\n    image: "{{ .Values.image }}"\n    ports:\n    - containerPort: {{ .Values.port }}\n';
    const r = run([['pod.yaml', text]]);
    expect(r.findings.map((f) => `${f.rule} ${f.line}:${f.column}`)).toEqual(['helm-template 4:10']);
  });

  test('template syntax that is data is not Helm: block scalars, Argo parameters, Prometheus labels', () => {
    const data = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts}\ndata:\n  rules.yaml: |\n    - alert: Down\n      annotations:\n        summary: "{{ $labels.instance }} is down"\n    {{- range .Alerts }}\n    {{ end }}\n',
      'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: hello-}\nspec:\n  templates:\n  - name: print\n    container:\n      args: ["{{inputs.parameters.message}}"]\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  summary: Instance {{ $labels.instance }} down # {{ .Values.x }} in a comment\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  tmpl: >-\n    {{ .Values.looks.like.helm }}\n  next: "ok"\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {a: \':{{\', b: "- {{ x }}"}\n',
    ];
    for (const text of data) expect(findHelmTemplate(text)).toBeUndefined();
    expect(findHelmTemplate('a: 1\n')).toBeUndefined();
  });

  test('Helm actions are recognised as values, list items, line starts and in quotes with Helm objects', () => {
    expect(findHelmTemplate('spec:\n  replicas: {{ .Values.n }}\n')).toMatchObject({ line: 2, column: 13 });
    expect(findHelmTemplate('args:\n- {{ .Values.arg }}\n')).toMatchObject({ line: 2, column: 3 });
    expect(findHelmTemplate('{{- if .Values.enabled }}\napiVersion: v1\n{{- end }}\n')).toMatchObject({
      line: 1,
      column: 1,
      action: '{{- if .Values.enabled }}',
    });
    expect(findHelmTemplate('metadata:\n  namespace: "{{ .Release.Namespace }}"\n')).toMatchObject({ line: 2, column: 15 });
    expect(findHelmTemplate('data:\n  script: |\n    {{ ignored }}\nimage: "{{ template "x.image" . }}"\n')).toMatchObject({ line: 4 });
  });
});

describe('Kustomize', () => {
  test('patches named in a kustomization are patches: no schema errors, one info each; the kustomization itself is skipped', () => {
    const kustomization = `resources:\n- ../base\npatchesStrategicMerge:\n- replicas.yaml\npatches:\n- path: patches/image.yaml\n  target: {kind: Deployment}\n- patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 3\npatchesJson6902:\n- path: ./json-patch.yaml\n  target: {kind: Deployment, name: web}\n`;
    const r = run([
      ['overlay/kustomization.yaml', kustomization],
      ['overlay/json-patch.yaml', '- op: add\n  path: /spec/replicas\n  value: 2\n'],
      [
        'overlay/patches/image.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.26\n',
      ],
      ['overlay/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n'],
      ['overlay/other.yaml', DEPLOY()],
    ]);
    expect(r.findings.map((f) => `${f.file} ${f.rule}`)).toEqual([
      'overlay/json-patch.yaml kustomize-patch',
      'overlay/patches/image.yaml kustomize-patch',
      'overlay/replicas.yaml kustomize-patch',
      'overlay/other.yaml schema', // not a patch: apps/v1 without selector
    ]);
    expect(r.findings[0]!.message).toBe(
      'overlay/json-patch.yaml is a Kustomize patch (named under patchesJson6902 in overlay/kustomization.yaml): a partial object that kustomize merges into its resources, so it is not checked on its own; check what kustomize builds: kubectl kustomize overlay | k8smctl validate -f -',
    );
    expect(r.checked).toBe(1);
    expect(r.skipped).toBe(3); // the kustomization and the two patch objects
  });

  test('a kustomization without apiVersion and kind is no error; a syntax error in a patch still is', () => {
    const r = run([
      ['k/kustomization.yaml', 'patchesStrategicMerge:\n- broken.yaml\n'],
      ['k/broken.yaml', 'spec: [\n'],
    ]);
    expect(r.findings.map((f) => `${f.file} ${f.rule}`)).toEqual(['k/broken.yaml yaml-syntax', 'k/broken.yaml kustomize-patch']);
  });

  test('commonLabels: kustomize writes the selector of its resources, so apps/v1 workloads there may leave it out', () => {
    const k = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonLabels:\n  app: web\nresources:\n- deployment.yaml\n';
    expect(
      run([
        ['base/kustomization.yaml', k],
        ['base/deployment.yaml', DEPLOY()],
      ]).findings.filter((f) => f.rule === 'schema'),
    ).toEqual([]);
    expect(
      run([['base/deployment.yaml', DEPLOY()]])
        .findings.filter((f) => f.rule === 'schema')
        .map((f) => f.message),
    ).toEqual(['spec.selector is required: a label selector (matchLabels and/or matchExpressions)']);
    const labels = 'labels:\n- pairs: {app: web}\n  includeSelectors: true\nresources: [deployment.yaml]\n';
    expect(kustomizationRefs('b/kustomization.yaml', yaml.load(labels) as Record<string, unknown>).selectorFilled).toEqual(['b/deployment.yaml']);
  });

  test('paths are resolved beside the kustomization', () => {
    expect(resolveBeside('/a/b/kustomization.yaml', '../c/./d.yaml')).toBe('/a/c/d.yaml');
    expect(resolveBeside('kustomization.yaml', 'p.yaml')).toBe('p.yaml');
    expect(resolveBeside('x/kustomization.yaml', '/abs/p.yaml')).toBe('/abs/p.yaml');
    expect(normalizePath('./x//y/../z.yaml')).toBe('x/z.yaml');
  });
});
