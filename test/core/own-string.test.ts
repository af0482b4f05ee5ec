/**
 * What validate keeps past a file shares no memory with the file's text, and what repeats is kept
 * once (`SharedStrings`): the findings and the Service checks read the same as before.
 */
import { ManifestChecker } from '../../src/core/check-manifests.js';
import { ownString, SharedStrings } from '../../src/core/own-string.js';
import { defaultModel } from './manifest/offline-model.js';

describe('SharedStrings', () => {
  test('an equal string comes back as the first one kept, with the same text', () => {
    const strings = new SharedStrings();
    const text = 'metadata: {name: a-rather-long-container-name}';
    const first = strings.own(text.slice(17, 45));
    expect(first).toBe('a-rather-long-container-name');
    expect(strings.own(`a-rather-long-${'container-name'}`)).toBe(first);
    expect(strings.own('web')).toBe('web');
    expect(strings.own('')).toBe('');
  });

  test('past its limit it still returns the same text (a copy of its own)', () => {
    const strings = new SharedStrings(2);
    for (const s of ['one-long-string-1', 'one-long-string-2', 'one-long-string-3', 'one-long-string-3']) expect(strings.own(s)).toBe(s);
    expect(ownString('x'.repeat(40))).toBe('x'.repeat(40));
  });
});

const deploy = (file: number, container: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${file}, namespace: team}\nspec:\n  selector: {matchLabels: {app: app-${file}}}\n  template:\n    metadata: {labels: {app: app-${file}, tier: web}}\n    spec:\n      containers:\n      - name: ${container}\n        image: nginx\n        ports: [{name: http, containerPort: 8080}]\n`;
const svc = (file: number, target: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: app-${file}, namespace: team}\nspec:\n  selector: {app: app-${file}}\n  ports: [{port: 80, targetPort: ${target}}]\n`;

describe('findings kept across many files', () => {
  test('the same message in every file, each finding at its own file and line; Services matched with their own pods', () => {
    const checker = new ManifestChecker(defaultModel({ portMapping: 'fixed' }));
    for (let i = 0; i < 50; i++)
      checker.addFile({
        file: `f${i}.yaml`,
        text: `${deploy(i, 'a-container-with-a-long-name')}---\n${svc(i, i % 2 ? 'http' : '9090')}`,
        staticPodFile: false,
      });
    const findings = checker.finish().findings;
    const defaulted = findings.filter((f) => f.rule === 'pod-resources-defaulted');
    expect(defaulted).toHaveLength(50);
    expect(new Set(defaulted.map((f) => f.message)).size).toBe(1);
    expect(defaulted[0]!.message).toBe(
      'k8sm will set cpu request and limit 0.25 CPU (none set: the scheduler default) and memory request and limit 64 MB (none set: the scheduler default) on container "a-container-with-a-long-name" before launching it; the pod is charged 0.25 CPU / 64 MB from the offer and the container is capped at these limits. Set resources.limits to what the container needs.',
    );
    expect(defaulted.map((f) => `${f.file}:${f.line}:${f.column} ${f.container}`)).toEqual(
      Array.from({ length: 50 }, (_, i) => `f${i}.yaml:10:9 a-container-with-a-long-name`),
    );
    // Every Service selects its own Deployment's pods: a named target port (http, declared) and a
    // number no container declares are told apart per file.
    const endpoints = findings.filter((f) => f.rule === 'service-endpoint-no-host-port');
    expect(endpoints.map((f) => `${f.file}:${f.line}`)).toEqual(Array.from({ length: 50 }, (_, i) => `f${i}.yaml:19`));
    expect(endpoints.filter((f) => f.message.includes('9090'))).toHaveLength(25);
    expect(findings.filter((f) => f.rule === 'service-selects-no-pods')).toEqual([]);
  });
});
