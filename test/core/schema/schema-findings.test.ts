import type { Finding } from '../../../src/core/finding.js';
import { locateFindings } from '../../../src/core/manifest/locate.js';
import { parseManifest } from '../../../src/core/manifest/parse-manifest.js';
import { schemaFindings } from '../../../src/core/schema/schema-findings.js';

/** Parses, checks every resource's structure, locates: `line:column message` per finding. */
function check(text: string): string[] {
  const p = parseManifest(text, 'm.yaml');
  expect(p.findings).toEqual([]);
  const findings: Finding[] = p.resources.flatMap((r) => schemaFindings(r));
  locateFindings(p.text, findings);
  for (const f of findings) {
    expect([f.rule, f.severity, f.file]).toEqual(['schema', 'error', 'm.yaml']);
    expect(f.message).not.toContain('\n');
  }
  // as a user reads them: in document order
  findings.sort((a, b) => a.line! - b.line! || a.column! - b.column!);
  return findings.map((f) => `${f.line}:${f.column} ${f.message}`);
}

const pod = (containers: string, extra = ''): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n${extra}  containers:\n${containers}`;

describe('schemaFindings', () => {
  test('a well-formed pod, workload, job, cron job and service have no findings', () => {
    const ok = [
      pod(
        '  - name: web\n    image: nginx:1.25\n    ports:\n    - {name: http, containerPort: 80, hostPort: 31080, protocol: TCP}\n    resources:\n      limits: {cpu: 500m, memory: 128Mi}\n      requests: {cpu: 0.25, memory: 64e6}\n',
      ),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: d, image: d}]\n',
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  parallelism: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: j, image: j}]\n',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "@hourly"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: c}]\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: d}\n  ports:\n  - {port: 80, targetPort: http}\n  - {port: 443, targetPort: 8443, protocol: TCP, nodePort: 30443}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: anything}\ndata: {a: 1}\n',
    ];
    for (const text of ok) expect(check(text)).toEqual([]);
  });

  test('wrong types and out-of-range ports: field, expectation, the value found, located at the value', () => {
    const text = pod(
      '  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n      hostPort: 31000\n    - containerPort: http\n      hostPort: 70000\n      protocol: tcp\n',
    );
    expect(check(text)).toEqual([
      '12:22 spec.containers[0].ports[1].containerPort must be an integer between 1 and 65535, got "http"',
      '13:17 spec.containers[0].ports[1].hostPort must be an integer between 0 and 65535 (0 or absent: no host port), got 70000',
      '14:17 spec.containers[0].ports[1].protocol must be one of TCP, UDP or SCTP (upper case), got "tcp"',
    ]);
  });

  test('the example message from the issue, in a Deployment', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - name: d\n        image: d\n        ports:\n        - containerPort: 80\n        - containerPort: "http"\n';
    expect(check(text)).toEqual([
      // apps/v1 requires a selector (issue 12: the apiserver rejects a Deployment without one)
      '4:1 spec.selector is required: a label selector (matchLabels and/or matchExpressions)',
      '12:26 spec.template.spec.containers[0].ports[1].containerPort must be an integer between 1 and 65535, got "http"',
    ]);
  });

  test('missing container name and image; an empty container list; a pod without spec', () => {
    expect(check(pod('  - ports: []\n'))).toEqual([
      '7:5 spec.containers[0].name is required: a lowercase DNS label (letters, digits and -, at most 63 characters, starting and ending with a letter or digit)',
      '7:5 spec.containers[0].image is required: a container image such as nginx:1.25 (not empty, no leading or trailing spaces)',
    ]);
    expect(check('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n')).toEqual([
      '5:15 spec.containers must be a non-empty list of containers, got an empty list',
    ]);
    expect(check('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n')).toEqual(['1:1 spec is required: a pod spec (a mapping with containers)']);
  });

  test('an object without metadata.name (or generateName) is refused by the apiserver; a pod template needs none', () => {
    const spec = 'spec:\n  containers: [{name: a, image: b}]\n';
    const refused = (kind: string) =>
      `metadata.name is required: the apiserver refuses ${kind} without a name ("resource name may not be empty"); give it one (or metadata.generateName, for kubectl create)`;
    expect(check(`apiVersion: v1\nkind: Pod\n${spec}`)).toEqual([`1:1 ${refused('a Pod')}`]);
    expect(check(`apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n${spec}`)).toEqual([`3:1 ${refused('a Pod')}`]);
    expect(check(`apiVersion: v1\nkind: Pod\nmetadata: null\n${spec}`)).toEqual([`1:1 ${refused('a Pod')}`]);
    expect(check('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {}\nspec: {}\n')).toEqual([`3:11 ${refused('an Ingress')}`]);
    // with other errors, it comes with them
    expect(check('apiVersion: v1\nkind: Pod\nmetadata: {labels: {a: b}}\nspec:\n  containers: []\n')).toEqual([
      `3:11 ${refused('a Pod')}`,
      '5:15 spec.containers must be a non-empty list of containers, got an empty list',
    ]);
    expect(check(`apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\n${spec}`)).toEqual([]);
    expect(
      check(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: d, image: d}]\n',
      ),
    ).toEqual([]);
  });

  test('bad container and port names, images with spaces', () => {
    expect(
      check(
        pod(
          '  - name: Web_1\n    image: " nginx"\n    ports:\n    - {containerPort: 80, name: 8080}\n    - {containerPort: 81, name: http--alt}\n    - {containerPort: 82, name: this-name-is-too-long}\n',
        ),
      ),
    ).toEqual([
      '7:11 spec.containers[0].name must be a lowercase DNS label (letters, digits and -, at most 63 characters, starting and ending with a letter or digit), got "Web_1"',
      '8:12 spec.containers[0].image must be a container image such as nginx:1.25 (not empty, no leading or trailing spaces), got " nginx"',
      "10:33 spec.containers[0].ports[0].name must be an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter, no '--', not starting or ending with '-', got 8080",
      "11:33 spec.containers[0].ports[1].name must be an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter, no '--', not starting or ending with '-', got \"http--alt\"",
      "12:33 spec.containers[0].ports[2].name must be an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter, no '--', not starting or ending with '-', got \"this-name-is-too-long\"",
    ]);
  });

  test('resource quantities: strings in Kubernetes syntax or non-negative numbers', () => {
    expect(
      check(pod('  - name: w\n    image: w\n    resources:\n      limits: {cpu: 2 cores, memory: 1GB}\n      requests: {cpu: -1, memory: "-64Mi"}\n')),
    ).toEqual([
      '10:21 spec.containers[0].resources.limits.cpu must be a quantity such as 500m, 0.5 or 2 (cpu) or 128Mi, 1Gi or 129e6 (memory), got "2 cores"',
      '10:38 spec.containers[0].resources.limits.memory must be a quantity such as 500m, 0.5 or 2 (cpu) or 128Mi, 1Gi or 129e6 (memory), got "1GB"',
      '11:23 spec.containers[0].resources.requests.cpu must be a quantity such as 500m, 0.5 or 2 (cpu) or 128Mi, 1Gi or 129e6 (memory), got -1',
      '11:35 spec.containers[0].resources.requests.memory must be a quantity such as 500m, 0.5 or 2 (cpu) or 128Mi, 1Gi or 129e6 (memory), got "-64Mi"',
    ]);
  });

  test('metadata, labels, nodeSelector and env values must be strings', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    tier: 1\n    app.kubernetes.io/name: true\nspec:\n  nodeSelector:\n    disk: 7\n  containers:\n  - name: p\n    image: p\n    env:\n    - name: PORT\n      value: 8080\n`;
    expect(check(text)).toEqual([
      '6:11 metadata.labels.tier must be a string (quote numbers and booleans: "1", "true"), got 1',
      '7:29 metadata.labels["app.kubernetes.io/name"] must be a string (quote numbers and booleans: "1", "true"), got true',
      '10:11 spec.nodeSelector.disk must be a string (quote numbers and booleans: "1", "true"), got 7',
      '16:14 spec.containers[0].env[0].value must be a string (quote numbers and booleans: "8080", "true"), got 8080',
    ]);
  });

  test('workload fields: replicas, parallelism, template; init containers', () => {
    expect(check('apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  replicas: two\n')).toEqual([
      '4:1 spec.selector is required: a label selector (matchLabels and/or matchExpressions)',
      '4:1 spec.template is required: a pod template (a mapping with metadata and spec)',
      '5:13 spec.replicas must be an integer of 0 or more, got "two"',
    ]);
    expect(
      check(
        'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  parallelism: -2\n  template:\n    spec:\n      initContainers: [{name: i}]\n      containers: [{name: j, image: j}]\n',
      ),
    ).toEqual([
      '5:16 spec.parallelism must be an integer of 0 or more, got -2',
      '8:24 spec.template.spec.initContainers[0].image is required: a container image such as nginx:1.25 (not empty, no leading or trailing spaces)',
    ]);
  });

  test('Service ports: port required and in range, targetPort a number or an IANA name, protocol', () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: 1}\n  ports:\n  - port: 0\n    targetPort: "8080"\n    protocol: HTTP\n  - targetPort: 70000\n';
    expect(check(text)).toEqual([
      '5:19 spec.selector.app must be a string (quote numbers and booleans: "1", "true"), got 1',
      '7:11 spec.ports[0].port must be an integer between 1 and 65535, got 0',
      "8:17 spec.ports[0].targetPort must be an integer between 1 and 65535 or a container port's name (an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter, no '--', not starting or ending with '-'), got \"8080\"",
      '9:15 spec.ports[0].protocol must be one of TCP, UDP or SCTP (upper case), got "HTTP"',
      '10:5 spec.ports[1].port is required: an integer between 1 and 65535',
      "10:17 spec.ports[1].targetPort must be an integer between 1 and 65535 or a container port's name (an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter, no '--', not starting or ending with '-'), got 70000",
    ]);
  });

  test('findings carry the resource, the container and the port, and the absolute path inside kind: List', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, namespace: ns}\n  spec:\n    containers:\n    - name: app\n      image: app\n      ports:\n      - {containerPort: 80, protocol: tcp}\n';
    const p = parseManifest(text, 'list.yaml');
    const [f] = schemaFindings(p.resources[0]!);
    expect(f).toMatchObject({
      rule: 'schema',
      kind: 'Pod',
      name: 'p',
      namespace: 'ns',
      container: 'app',
      port: 80,
      docIndex: 0,
      path: ['items', 0, 'spec', 'containers', 0, 'ports', 0, 'protocol'],
    });
    locateFindings(text, [f!]);
    expect([f!.line, f!.column]).toEqual([12, 39]);
  });

  test('ScheduledJob (batch/v2alpha1) is checked like CronJob; kinds validate does not read are not checked', () => {
    expect(check('apiVersion: batch/v2alpha1\nkind: ScheduledJob\nmetadata: {name: s}\nspec:\n  jobTemplate: {}\n')).toEqual([
      '4:1 spec.schedule is required: a cron schedule string such as "*/15 * * * *"',
      '5:16 spec.jobTemplate.spec is required: a job spec (a mapping with a pod template)',
    ]);
    expect(check('apiVersion: v1\nkind: Secret\nmetadata: {name: 5}\n')).toEqual([]);
  });

  describe('explicit null (issue 12): the apiserver reads null as unset', () => {
    test('null on optional fields is no error: nodePort, annotations, labels, args, env, resources, selector of a v1 Service', () => {
      const texts = [
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\nspec:\n  selector:\n  ports:\n  - port: 80\n    nodePort: null\n    name: ~\n',
        pod(
          '  - name: web\n    image: nginx\n    args:\n    env:\n    command: null\n    ports:\n    resources:\n      limits: null\n',
          '  nodeSelector:\n  hostNetwork: null\n',
        ),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels:\n    app: null\nspec:\n  replicas: null\n  selector: {matchLabels: {app: d}, matchExpressions: null}\n  template:\n    metadata:\n      labels:\n      annotations: {a: null}\n    spec:\n      initContainers: null\n      containers: [{name: d, image: d, env: [{name: A, value: null}]}]\n',
        'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: null\n  template:\n    spec:\n      containers: [{name: d, image: d}]\n',
      ];
      for (const text of texts) expect(check(text)).toEqual([]);
    });

    test('null where a value is required is reported as missing: selector on apps/v1, containers, image, port', () => {
      expect(
        check(
          'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  selector: null\n  template:\n    spec:\n      containers:\n      - name: d\n        image: null\n',
        ),
      ).toEqual([
        '5:13 spec.selector is required (null is the same as leaving it out): a label selector (matchLabels and/or matchExpressions)',
        '10:16 spec.template.spec.containers[0].image is required (null is the same as leaving it out): a container image such as nginx:1.25 (not empty, no leading or trailing spaces)',
      ]);
      expect(check('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n')).toEqual([
        '5:3 spec.containers is required (null is the same as leaving it out): a non-empty list of containers',
      ]);
      expect(check('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - port:\n    targetPort: 80\n')).toEqual([
        '6:5 spec.ports[0].port is required (null is the same as leaving it out): an integer between 1 and 65535',
      ]);
    });

    test('a null inside a list is still a wrong element', () => {
      expect(check(pod('  - null\n'))).toEqual(['7:5 spec.containers[0] must be a mapping with name and image, got null']);
    });

    test('wrong values next to nulls are still found', () => {
      expect(check(pod('  - name: web\n    image: nginx\n    env: null\n    ports:\n    - {containerPort: 0, hostPort: null}\n'))).toEqual([
        '11:23 spec.containers[0].ports[0].containerPort must be an integer between 1 and 65535, got 0',
      ]);
    });
  });
});
