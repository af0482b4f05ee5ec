/**
 * The same object (API group, kind, namespace, name) in several files (issue 12): resolved as
 * `kubectl apply` of the input would (the last definition wins, an info finding says so), or file by
 * file with `perFile` (a tree of independent examples).
 */
import { ManifestChecker } from '../../../src/core/check-manifests.js';
import { defaultModel } from './offline-model.js';

const deploy = (name: string, port: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n      - name: ${name}\n        image: ${name}\n        ports: [{name: ${port}, containerPort: 8080}]\n        resources: {limits: {cpu: 100m, memory: 64Mi}}\n`;
const svc = (name: string, target: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: ${target}}]\n`;

function check(files: Array<[string, string]>, perFile = false) {
  const checker = new ManifestChecker(defaultModel({ portMapping: 'fixed' }), { perFile });
  for (const [file, text] of files) checker.addFile({ file, text, staticPodFile: false });
  return checker.finish().findings.map((f) => `${f.file}:${f.line} ${f.rule}${f.rule === 'object-redefined' ? `: ${f.message}` : ''}`);
}

// Twenty example folders each with their own `nginx` Deployment and Service (the real-corpus pattern).
const EXAMPLES: Array<[string, string]> = [
  ['a/app.yaml', deploy('nginx', 'http') + '---\n' + svc('nginx', 'http')],
  ['b/app.yaml', deploy('nginx', 'web') + '---\n' + svc('nginx', 'web')],
];

describe('an object defined in several files', () => {
  test('the last definition wins: an info finding on it names the one it replaces; Services are matched with it only', () => {
    expect(check(EXAMPLES)).toEqual([
      'b/app.yaml:1 object-redefined: Deployment default/nginx is also defined in a/app.yaml (document 1): kubectl apply of this input applies this definition last, so it replaces that one, and Services are matched with this one only. If the files are independent examples, check them one by one with --per-file.',
      'b/app.yaml:15 object-redefined: Service default/nginx is also defined in a/app.yaml (document 2): kubectl apply of this input applies this definition last, so it replaces that one, and Services are matched with this one only. If the files are independent examples, check them one by one with --per-file.',
      // b's Service targets `web`, which b's Deployment (the last definition) declares without a hostPort under fixed mapping
      'b/app.yaml:20 service-endpoint-no-host-port',
    ]);
  });

  test('within one file too', () => {
    const r = check([['twice.yaml', `${deploy('web', 'http')}---\n${deploy('web', 'http')}`]]);
    expect(r).toEqual([expect.stringMatching(/^twice\.yaml:15 object-redefined: Deployment default\/web is also defined in document 1 of this file: /)]);
  });

  test("--per-file: each file on its own; no repeat, each Service with its own file's pods", () => {
    expect(check(EXAMPLES, true)).toEqual(['a/app.yaml:20 service-endpoint-no-host-port', 'b/app.yaml:20 service-endpoint-no-host-port']);
    // a Service with no pods in its own file selects none, even when another file has them
    expect(
      check(
        [
          ['d.yaml', deploy('api', 'http')],
          ['s.yaml', svc('api', 'http')],
        ],
        true,
      ),
    ).toEqual(['s.yaml:5 service-selects-no-pods']);
    expect(
      check(
        [
          ['d.yaml', deploy('api', 'http')],
          ['s.yaml', svc('api', 'http')],
        ],
        false,
      ),
    ).toEqual(['s.yaml:6 service-endpoint-no-host-port']);
  });

  test('different namespaces, kinds or groups are different objects', () => {
    const ns = deploy('web', 'http').replace('metadata: {name: web}', 'metadata: {name: web, namespace: other}');
    const kruise = deploy('web', 'http').replace('apiVersion: apps/v1\nkind: Deployment', 'apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet');
    expect(
      check([
        ['1.yaml', deploy('web', 'http')],
        ['2.yaml', ns],
        ['3.yaml', kruise],
      ]).filter((f) => f.includes('object-redefined')),
    ).toEqual([]);
  });
});
