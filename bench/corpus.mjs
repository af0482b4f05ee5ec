// Deterministic corpus of realistic Kubernetes manifests for the validate benchmark:
// FILES files with DOCS_PER_FILE documents each (Deployments, Services, DaemonSets, StatefulSets,
// Jobs, CronJobs, Pods, ConfigMaps), about one file in eight with a k8sm problem (a host port
// outside [31000-32000], a duplicate host port, a static-pod-like pod without limits, a Service
// whose target port has no host port under fixed mapping...).
import { mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES = ['nginx:1.25.3', 'redis:7.2', 'postgres:16.1', 'busybox:1.36', 'envoyproxy/envoy:v1.28.0', 'grafana/grafana:10.2.2', 'prom/prometheus:v2.48.0'];
const TEAMS = ['payments', 'search', 'checkout', 'identity', 'catalog', 'ledger', 'ads', 'ml'];

function container(r, name, { hostPort, bad, noLimits } = {}) {
  const cport = 8000 + Math.floor(r() * 1000);
  const lines = [
    `      - name: ${name}`,
    `        image: ${IMAGES[Math.floor(r() * IMAGES.length)]}`,
    `        args: ["--log-level=info", "--listen=:${cport}"]`,
    `        env:`,
    `        - name: TEAM`,
    `          value: "${TEAMS[Math.floor(r() * TEAMS.length)]}"`,
    `        - name: GOMAXPROCS`,
    `          value: "2"`,
    `        ports:`,
    `        - name: http`,
    `          containerPort: ${cport}`,
  ];
  if (hostPort !== undefined) lines.push(`          hostPort: ${hostPort}`);
  lines.push(`          protocol: TCP`);
  if (bad === 'dup') lines.push(`        - name: admin`, `          containerPort: ${cport + 1}`, `          hostPort: ${hostPort}`);
  if (!noLimits) {
    lines.push(
      `        resources:`,
      `          requests:`,
      `            cpu: ${100 + Math.floor(r() * 400)}m`,
      `            memory: ${64 + Math.floor(r() * 448)}Mi`,
      `          limits:`,
      `            cpu: "1"`,
      `            memory: 512Mi`,
    );
  }
  lines.push(`        readinessProbe:`, `          httpGet:`, `            path: /healthz`, `            port: ${cport}`, `          periodSeconds: 10`);
  return lines.map((l) => l.slice(0)).join('\n');
}

function workload(r, kind, name, ns, opts) {
  const labels = `app: ${name}\n        team: ${TEAMS[Math.floor(r() * TEAMS.length)]}`;
  const hostPort = opts.badPort ? 8080 + Math.floor(r() * 100) : opts.hostPort || opts.dup ? 31000 + Math.floor(r() * 1000) : undefined;
  const podSpec = `    spec:\n      containers:\n${container(r, name, { hostPort, bad: opts.dup ? 'dup' : undefined, noLimits: opts.noLimits })}\n${container(r, `${name}-sidecar`)}`;
  const head = `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    app: ${name}\n  annotations:\n    owner: "${TEAMS[Math.floor(r() * TEAMS.length)]}@example.com"\nspec:\n`;
  const sel = `  selector:\n    matchLabels:\n      app: ${name}\n`;
  const tmpl = `  template:\n    metadata:\n      labels:\n        ${labels}\n${podSpec}\n`;
  if (kind === 'DaemonSet') return head + sel + tmpl;
  if (kind === 'StatefulSet') return head + `  serviceName: ${name}\n  replicas: ${opts.replicas}\n` + sel + tmpl;
  return head + `  replicas: ${opts.replicas}\n` + sel + tmpl;
}

function service(r, name, ns, targetPort) {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - name: http\n    port: 80\n    targetPort: ${targetPort}\n    protocol: TCP\n`;
}

function configMap(r, name, ns) {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\n  namespace: ${ns}\ndata:\n  app.properties: |\n    threads=${1 + Math.floor(r() * 16)}\n    cache.size=${Math.floor(r() * 10000)}\n  region: eu-west-${1 + Math.floor(r() * 3)}\n`;
}

function cronJob(r, name, ns) {
  return `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}-report\n  namespace: ${ns}\nspec:\n  schedule: "*/15 * * * *"\n  jobTemplate:\n    spec:\n      parallelism: 1\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: report\n            image: busybox:1.36\n            command: ["sh", "-c", "date; echo report"]\n            resources:\n              limits:\n                cpu: 100m\n                memory: 64Mi\n`;
}

/** Writes the corpus (cached by parameters) and returns { dir, files, resources }. */
export function ensureCorpus(root, { files = 10000, docsPerFile = 5, seed = 42 } = {}) {
  const dir = join(root, `corpus-v2-${files}x${docsPerFile}-s${seed}`);
  const stamp = join(dir, '.complete');
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const r = rng(seed);
  let resources = 0;
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `team-${i % 20}`);
    if (i < 20) mkdirSync(sub, { recursive: true });
    const ns = TEAMS[i % TEAMS.length];
    const name = `svc-${i}`;
    const problem = r() < 0.125 ? Math.floor(r() * 3) : -1;
    const docs = [];
    const kinds = ['Deployment', 'Deployment', 'StatefulSet', 'DaemonSet'];
    const kind = kinds[Math.floor(r() * kinds.length)];
    docs.push(workload(r, kind, name, ns, { replicas: 1 + Math.floor(r() * 3), hostPort: r() < 0.3, badPort: problem === 0, dup: problem === 1 }));
    docs.push(service(r, name, ns, 'http'));
    docs.push(configMap(r, name, ns));
    docs.push(cronJob(r, name, ns));
    while (docs.length < docsPerFile) docs.push(workload(r, 'Deployment', `${name}-w${docs.length}`, ns, { replicas: 2, noLimits: problem === 2 }));
    resources += docs.length;
    writeFileSync(join(sub, `${name}.yaml`), `# ${name}: generated by bench/corpus.mjs\n${docs.join('---\n')}`);
  }
  const info = { dir, files, resources };
  writeFileSync(stamp, JSON.stringify(info));
  return info;
}

/**
 * A corpus where every document has a finding and flow style is common, as real manifests are:
 * containers without limits (k8sm fills them in: `pod-resources-defaulted`), flow mappings and
 * sequences (`args: [...]`, `labels: {...}`, `ports: [{...}]`), block scalars, quoted keys, anchors,
 * and a Service per file whose target port no pod declares. Writes FILES files of five documents.
 */
export function ensureFlowCorpus(root, { files = 4000, seed = 7 } = {}) {
  const dir = join(root, `flow-corpus-v1-${files}-s${seed}`);
  const stamp = join(dir, '.complete');
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  let resources = 0;
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `team-${i % 20}`);
    if (i < 20) mkdirSync(sub, { recursive: true });
    const ns = TEAMS[i % TEAMS.length];
    const name = `app-${i}`;
    const port = 8000 + Math.floor(r() * 1000);
    const container = (c, extra = '') =>
      [
        `      - name: ${c}`,
        `        image: "${pick(IMAGES)}"`,
        `        args: ["--listen=:${port}", "--log-level", ${pick(['info', 'debug', '"warn"'])}]`,
        `        env: [{name: TEAM, value: "${pick(TEAMS)}"}, {name: "GOMAXPROCS", value: "2"}]`,
        `        ports: [{name: http, containerPort: ${port}, protocol: TCP}]`,
        extra,
        `        readinessProbe: {httpGet: {path: /healthz, port: ${port}}, periodSeconds: 10}`,
      ]
        .filter(Boolean)
        .join('\n');
    const meta = (kind, n) =>
      `apiVersion: ${kind === 'CronJob' ? 'batch/v1' : 'apps/v1'}\nkind: ${kind}\nmetadata:\n  name: ${n}\n  namespace: ${ns}\n  labels: &labels {app: ${n}, "app.kubernetes.io/part-of": ${name}}\n  annotations:\n    description: >-\n      ${n} of team ${pick(TEAMS)},\n      generated by bench/corpus.mjs\n`;
    const pod = (n, containers) =>
      `    metadata:\n      labels: {app: ${n}, tier: "${pick(['web', 'api', 'worker'])}"}\n    spec:\n      containers:\n${containers}\n`;
    const docs = [
      `${meta('Deployment', name)}spec:\n  replicas: ${1 + Math.floor(r() * 3)}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n${pod(name, container('web'))}`,
      `${meta('StatefulSet', `${name}-db`)}spec:\n  serviceName: ${name}-db\n  selector: {matchLabels: {app: ${name}-db}}\n  template:\n${pod(`${name}-db`, container('db', '        resources: {requests: {cpu: 250m, memory: 256Mi}}'))}`,
      `${meta('DaemonSet', `${name}-agent`)}spec:\n  selector: {matchLabels: {app: ${name}-agent}}\n  template:\n${pod(`${name}-agent`, container('agent', '        command:\n        - sh\n        - -c\n        - |\n          echo "start: $(date)"\n          exec agent --port ' + port))}`,
      `${meta('CronJob', `${name}-report`)}spec:\n  schedule: "*/15 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: report, image: "busybox:1.36", command: ["sh", "-c", "date; echo report"]}]\n`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {app: ${name}}\n  ports: [{name: admin, port: 9000, targetPort: ${port + 1}}]\n`,
    ];
    resources += docs.length;
    writeFileSync(join(sub, `${name}.yaml`), `# ${name}: generated by bench/corpus.mjs (every document has a finding)\n${docs.join('---\n')}`);
  }
  const info = { dir, files, resources };
  writeFileSync(stamp, JSON.stringify(info));
  return info;
}
