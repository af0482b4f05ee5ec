// diagnose benchmark: `k8smctl diagnose pod -A` on a simulated Mesos cluster of AGENTS agents (default
// 1000) whose k8sm framework runs TASKS tasks (default 10000), each the task of a Running pod in a real
// kube-apiserver (the test stack's, test/stack/test-servers.ts), plus STUCK Pending pods (default 1000)
// that k8sm could not place, each with the scheduler's FailedScheduling event. Prints the time and the
// peak memory of the command, the HTTP requests the simulator and the apiserver received (the
// apiserver's own apiserver_request_total counters), and the same figures for a bare fetch of the same
// data measured in the same run (a Node script doing the same requests, pages included, and parsing the
// JSON: no snapshot, no verdicts, no rendering).
//
//   npm run build && node bench/diagnose.mjs          (or: node bench/run.mjs diagnose)
//   BENCH_AGENTS, BENCH_TASKS, BENCH_STUCK, BENCH_RUNS change the sizes and the repetitions.
// Needs the provisioned test stack (test/stack/provision.sh) for etcd and kube-apiserver.
import { spawn, spawnSync } from 'node:child_process';
import https from 'node:https';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { build } from 'esbuild';

const EXECUTOR_ID = '5a1b2c3d4e5f6071_k8sm-executor';
const NS_RUNNING = 'shop';
const NS_STUCK = 'batch';

async function bundle(root, out, entry, name) {
  const outfile = join(out, `${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, ...entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

async function startSimulator(root, out, config) {
  const file = await bundle(root, out, ['test', 'stack', 'mesos-sim', 'main.ts'], 'mesos-sim');
  const cfgFile = join(out, 'sim-diagnose.json');
  writeFileSync(cfgFile, JSON.stringify(config));
  const child = spawn(process.execPath, [file, '--config', cfgFile, '--control-port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited ${code} before it was ready`)));
  });
  return { child, info: JSON.parse(line) };
}

function control(url, method, body = {}) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/${method}`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const j = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (res.statusCode !== 200) reject(new Error(`simulator ${method}: ${j.error}`));
          else resolve(j.result);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const hostname = (i) => `agent-${String(i).padStart(4, '0')}.dc1.example.com`;

/** The Mesos side: AGENTS agents, one k8sm executor on each, TASKS running tasks spread over them. */
function clusterConfig(agents, running) {
  const agentCfgs = [];
  for (let i = 0; i < agents; i++) {
    agentCfgs.push({
      hostname: hostname(i),
      resources: { cpus: 16, mem: 65536, disk: 200000, ports: '[31000-32000]' },
      attributes: { rack: `r${i % 40}` },
      flags: { executor_shutdown_grace_period: '30secs' },
    });
  }
  const executors = agentCfgs.map((a) => ({ agentId: a.hostname, k8sm: true, id: EXECUTOR_ID }));
  const tasks = running.map((p, t) => ({
    agentId: p.host,
    id: p.taskId,
    name: `${p.name}.${NS_RUNNING}.pod`,
    executorId: EXECUTOR_ID,
    state: 'TASK_RUNNING',
    resources: { cpus: 0.5, mem: 256, ports: [31000 + Math.floor(t / agents)] },
  }));
  return {
    masters: 1,
    agents: agentCfgs,
    frameworks: [
      { name: 'Kubernetes', role: '*', principal: 'k8sm', failoverTimeout: 604800, checkpoint: true, executors, tasks },
      { name: 'marathon', role: '*', principal: 'marathon' },
    ],
  };
}

/** A small HTTPS client for the apiserver: keep-alive, bounded concurrency for the set-up. */
function kubeClient(url, caPem, token) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: caPem });
  const call = (method, path, body, contentType = 'application/json') =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        `${url}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode >= 300) reject(new Error(`apiserver ${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
            else resolve(text);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
}

async function inParallel(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** `apiserver_request_total` summed by verb and resource (all codes, scopes, components). */
async function requestCounters(kube) {
  const text = await kube.call('GET', '/metrics');
  const counts = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="([^"]*)"/.exec(line)?.[1];
    const resource = /resource="([^"]*)"/.exec(line)?.[1];
    const n = Number(line.slice(line.lastIndexOf(' ') + 1));
    const k = `${verb} ${resource}`;
    counts[k] = (counts[k] ?? 0) + n;
  }
  return counts;
}

function delta(before, after) {
  const d = {};
  for (const [k, v] of Object.entries(after)) {
    const n = v - (before[k] ?? 0);
    if (n > 0) d[k] = n;
  }
  return d;
}

/** The apiserver side: Nodes for the agents, TASKS Running pods bound by k8sm, STUCK Pending pods and their events. */
async function populate(kube, agents, running, stuck) {
  for (const ns of [NS_RUNNING, NS_STUCK]) await kube.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await inParallel(
    Array.from({ length: agents }, (_, i) => i),
    16,
    (i) =>
      kube.call('POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: hostname(i), labels: { 'kubernetes.io/hostname': hostname(i), 'k8s.mesosphere.io/attribute-rack': `r${i % 40}` } },
        spec: { externalID: hostname(i) },
      }),
  );
  const container = (name, limits, ports) => ({
    name,
    image: 'registry.local/shop/web:1.4.2',
    ...(ports ? { ports } : {}),
    resources: { limits },
  });
  await inParallel(running, 16, async (p, t) => {
    await kube.call('POST', `/api/v1/namespaces/${NS_RUNNING}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: p.name,
        labels: { app: 'web' },
        annotations: {
          'k8s.mesosphere.io/bindingHost': p.host,
          'k8s.mesosphere.io/taskId': p.taskId,
          'k8s.mesosphere.io/executorId': EXECUTOR_ID,
          'k8s.mesosphere.io/port_TCP_8080': String(31000 + Math.floor(t / agents)),
        },
      },
      spec: { nodeName: p.host, containers: [container('web', { cpu: '500m', memory: '256Mi' }, [{ containerPort: 8080 }])] },
    });
    const at = new Date().toISOString();
    await kube.call(
      'PATCH',
      `/api/v1/namespaces/${NS_RUNNING}/pods/${p.name}/status`,
      {
        status: {
          phase: 'Running',
          startTime: at,
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }],
          containerStatuses: [
            { name: 'web', ready: true, restartCount: 0, image: 'registry.local/shop/web:1.4.2', imageID: '', state: { running: { startedAt: at } } },
          ],
        },
      },
      'application/merge-patch+json',
    );
  });
  // Stuck pods of three kinds: a host port no agent offers, more cpu than any agent has, and small
  // ones that fit somewhere (k8sm's backoff).
  await inParallel(stuck, 16, async (p) => {
    const created = await kube.call('POST', `/api/v1/namespaces/${NS_STUCK}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, labels: { app: p.kind } },
      spec: {
        containers: [
          p.kind === 'port443'
            ? container('proxy', { cpu: '250m', memory: '128Mi' }, [{ containerPort: 443, hostPort: 443 }])
            : p.kind === 'bigcpu'
              ? container('train', { cpu: '32', memory: '4Gi' })
              : container('job', { cpu: '100m', memory: '64Mi' }),
        ],
      },
    });
    const uid = JSON.parse(created).metadata.uid;
    const at = new Date().toISOString();
    await kube.call('POST', `/api/v1/namespaces/${NS_STUCK}/events`, {
      metadata: { name: `${p.name}.${Date.now().toString(16)}`, namespace: NS_STUCK },
      involvedObject: { kind: 'Pod', name: p.name, namespace: NS_STUCK, uid, apiVersion: 'v1' },
      reason: 'FailedScheduling',
      message: 'Error scheduling: no suitable offers for pod/task',
      type: 'Warning',
      source: { component: 'default-scheduler' },
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    });
  });
}

// The bare fetch: the same requests as `diagnose pod -A` (GET_STATE, then pods, events and Nodes in
// pages of 500, all at once), each answer parsed, nothing else.
const BASELINE = `
import https from 'node:https';
import http from 'node:http';
import { readFileSync } from 'node:fs';
const [master, kubeUrl, caFile, token] = process.argv.slice(2);
const ca = readFileSync(caFile, 'utf8');
const kagent = new https.Agent({ keepAlive: true, ca });
const read = (res, resolve, reject) => { const c = []; res.on('data', (d) => c.push(d)); res.on('end', () => { try { if (res.statusCode >= 300) throw new Error(String(res.statusCode)); resolve(JSON.parse(Buffer.concat(c).toString('utf8'))); } catch (e) { reject(e); } }); };
const getState = () => new Promise((resolve, reject) => {
  const body = JSON.stringify({ type: 'GET_STATE' });
  const req = http.request(master + '/api/v1', { method: 'POST', agent: false, headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => read(res, resolve, reject));
  req.on('error', reject); req.end(body);
});
const kget = (path) => new Promise((resolve, reject) => {
  https.get(kubeUrl + path, { agent: kagent, headers: { authorization: 'Bearer ' + token, accept: 'application/json' } }, (res) => read(res, resolve, reject)).on('error', reject);
});
const list = async (path, query = '') => {
  const items = []; let cont = '';
  do { const b = await kget(path + '?limit=500' + query + (cont ? '&continue=' + encodeURIComponent(cont) : '')); items.push(...b.items); cont = b.metadata.continue || ''; } while (cont);
  return items;
};
const [state, pods, events, nodes] = await Promise.all([getState(), list('/api/v1/pods'), list('/api/v1/events', '&fieldSelector=' + encodeURIComponent('involvedObject.kind=Pod')), list('/api/v1/nodes')]);
kagent.destroy();
process.stdout.write(JSON.stringify({ agents: state.get_state.get_agents.agents.length, tasks: state.get_state.get_tasks.tasks.length, pods: pods.length, events: events.length, nodes: nodes.length }));
`;

/** Runs `cmd args` under /usr/bin/time: wall time (ms) and peak RSS (MB). */
function measure(time, cmd, args, env) {
  const r = time('/usr/bin/time', ['-f', 'maxrss-kb=%M', cmd, ...args], { env });
  const m = /maxrss-kb=(\d+)\s*$/.exec(r.stderr);
  return { ...r, rssMb: m ? Number(m[1]) / 1024 : NaN, stderr: m ? r.stderr.slice(0, m.index) : r.stderr };
}

export async function runDiagnoseBench({ root, bin, time, median, fmt }) {
  const agents = Number(process.env.BENCH_AGENTS ?? 1000);
  const tasks = Number(process.env.BENCH_TASKS ?? 10000);
  const stuckCount = Number(process.env.BENCH_STUCK ?? 1000);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const out = join(root, 'bench', '.out');
  mkdirSync(out, { recursive: true });

  const running = Array.from({ length: tasks }, (_, t) => ({ name: `web-${t}`, host: hostname(t % agents), taskId: `pod.${randomUUID()}` }));
  const kinds = ['port443', 'bigcpu', 'small'];
  const stuck = Array.from({ length: stuckCount }, (_, i) => ({ name: `stuck-${i}`, kind: kinds[i % 3] }));

  const t0 = Date.now();
  const servers = await import(pathToFileURL(await bundle(root, out, ['test', 'stack', 'test-servers.ts'], 'test-servers')).href);
  let sim;
  let kube;
  const apiserver = await servers.startTestKubeApiserver({ timeoutMs: 180_000 });
  // Interrupted: stop what was started here (the apiserver and etcd run detached).
  const onSignal = () => {
    sim?.child.kill('SIGTERM');
    void apiserver.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    kube = kubeClient(apiserver.url, apiserver.caPem, apiserver.admin.token);
    sim = await startSimulator(root, out, clusterConfig(agents, running));
    const simMs = Date.now() - t0;
    await populate(kube, agents, running, stuck);
    console.log(
      `\ndiagnose: ${agents} simulated agents, ${tasks} running k8sm tasks (Running pods in a real kube-apiserver), ${stuckCount} stuck Pending pods with their events` +
        ` (simulator and apiserver ready in ${simMs} ms, apiserver filled in ${Date.now() - t0 - simMs} ms)`,
    );
    const caFile = join(out, 'diagnose-ca.pem');
    writeFileSync(caFile, apiserver.caPem);
    const kubeconfig = join(out, 'diagnose-kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'bench', cluster: { server: apiserver.url, 'certificate-authority': caFile } }],
        users: [{ name: 'admin', user: { token: apiserver.admin.token } }],
        contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'admin', namespace: 'default' } }],
        'current-context': 'bench',
      }),
    );
    const baselineFile = join(out, 'baseline-diagnose.mjs');
    writeFileSync(baselineFile, BASELINE);
    const env = { ...process.env, KUBECONFIG: kubeconfig };
    const master = sim.info.leaderUrl;
    const args = ['diagnose', 'pod', '-A', '--stuck-after', '1s', '--mesos-master', master];

    // Once as JSON: what was found, and the requests of one run.
    await control(sim.info.controlUrl, 'clearRequestLog');
    const kubeBefore = await requestCounters(kube);
    const check = time(process.execPath, [bin, ...args, '-o', 'json'], { env });
    const kubeReq = delta(kubeBefore, await requestCounters(kube));
    delete kubeReq['GET '];
    const log = await control(sim.info.controlUrl, 'requestLog');
    if (check.status !== 1) throw new Error(`diagnose pod -A -o json exited ${check.status} (1 expected: stuck pods): ${check.stderr.slice(0, 500)}`);
    let doc;
    try {
      doc = JSON.parse(check.stdout);
    } catch (e) {
      throw new Error(`diagnose pod -A -o json: ${e.message} (${check.stdout.length} characters on stdout; stderr: ${check.stderr.slice(0, 500)})`);
    }
    const headline = {};
    for (const p of doc.pods) headline[p.reasons[0]?.reason ?? '-'] = (headline[p.reasons[0]?.reason ?? '-'] ?? 0) + 1;
    const requests = {
      master: log.filter((e) => e.server.kind === 'master').map((e) => `${e.method} ${e.path}`),
      agents: log.filter((e) => e.server.kind === 'agent').length,
      kube: kubeReq,
    };

    // The bare fetch's requests, for comparison (the apiserver's own controllers add a GET now and then to both).
    const baseBefore = await requestCounters(kube);
    const b0 = time(process.execPath, [baselineFile, master, apiserver.url, caFile, apiserver.admin.token], { env });
    if (b0.status !== 0) throw new Error(`baseline failed: ${b0.stderr}`);
    const baseKubeReq = delta(baseBefore, await requestCounters(kube));
    delete baseKubeReq['GET '];
    requests.baselineKube = baseKubeReq;

    const ours = [];
    const oursRss = [];
    const base = [];
    const baseRss = [];
    for (let i = 0; i < runs; i++) {
      const b = measure(time, process.execPath, [baselineFile, master, apiserver.url, caFile, apiserver.admin.token], env);
      if (b.status !== 0) throw new Error(`baseline failed: ${b.stderr}`);
      const seen = JSON.parse(b.stdout);
      if (seen.pods !== tasks + stuckCount || seen.tasks !== tasks) throw new Error(`baseline read ${b.stdout}`);
      base.push(b.ms);
      baseRss.push(b.rssMb);
      const o = measure(time, process.execPath, [bin, ...args], env);
      if (o.status !== 1) throw new Error(`diagnose pod -A exited ${o.status}: ${o.stderr.slice(0, 500)}`);
      ours.push(o.ms);
      oursRss.push(o.rssMb);
    }
    const mo = median(ours);
    const mb = median(base);
    const result = {
      agents,
      tasks,
      stuck: stuckCount,
      runs,
      command: `k8smctl ${args.slice(0, -2).join(' ')}`,
      medianMs: mo,
      baselineMs: mb,
      ratio: mo / mb,
      maxRssMb: median(oursRss),
      baselineMaxRssMb: median(baseRss),
      podsDiagnosed: doc.pods.length,
      headlines: headline,
      requests,
    };
    const kubeLine = Object.entries(kubeReq)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    console.log(`  ${`k8smctl ${args.slice(0, 4).join(' ')} ...`.padEnd(44)} ${fmt(mo).padStart(10)}   peak RSS ${median(oursRss).toFixed(0)} MB`);
    console.log(`  ${'bare fetch of the same data'.padEnd(44)} ${fmt(mb).padStart(10)}   peak RSS ${median(baseRss).toFixed(0)} MB`);
    console.log(`  ratio ${(mo / mb).toFixed(2)}x (median of ${runs}, interleaved)`);
    console.log(`  pods diagnosed: ${doc.pods.length}; headline reasons: ${JSON.stringify(headline)}`);
    console.log(
      `  HTTP requests of one run: master ${requests.master.length} (${requests.master.join(', ')}), agents ${requests.agents}, apiserver ${kubeLine}`,
    );
    console.log(
      `  apiserver requests of one bare fetch: ${Object.entries(baseKubeReq)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')} (apiserver_request_total, which also counts the apiserver's own controllers)`,
    );
    return result;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    sim?.child.kill('SIGTERM');
    kube?.close();
    await apiserver.stop();
    for (const f of ['test-servers', 'mesos-sim']) rmSync(join(out, `${f}-${process.pid}.mjs`), { force: true });
  }
}

// Run on its own: `node bench/diagnose.mjs`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const time = (cmd, args, opts = {}) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.error) throw r.error;
    return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  console.log(`k8smctl diagnose benchmark — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`);
  const result = await runDiagnoseBench({ root, bin: process.env.K8SMCTL_BIN ?? join(root, 'bin', 'run.js'), time, median, fmt });
  writeFileSync(join(root, 'bench', '.out', 'diagnose.json'), JSON.stringify(result, null, 2));
  console.log('\nraw figures: bench/.out/diagnose.json');
}
