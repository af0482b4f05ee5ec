// Scheduler benchmark (issue 10): the built `k8smctl scheduler run`, as a child process, places PODS pods
// (default 10,000: OWNERS owners x replicas, each pod created directly with a ReplicaSet owner reference,
// because the test stack runs no controller-manager to turn Deployments into pods) on AGENTS simulated
// agents (default 1,000) of the Mesos simulator in `bind-only` mode (a launched task only posts the pod's
// Binding, as k8sm's executor does, no containers), against a real etcd + kube-apiserver (test stack).
// Two phases, PODS pods each, one scheduler process:
// - backlog: the pods exist before the scheduler starts (a big rollout queued, or a scheduler restart):
//   pods/s and p50/p99 from the scheduler's start to bound. This is the scheduler's own rate, compared
//   with the raw binding rate: a bare client posting the same number of Bindings for existing unbound
//   pods at CONCURRENCY, in the same run against the same apiserver, holding the same pods (measured
//   just before the scheduler starts).
// - streaming: the scheduler running, the pods created at CONCURRENCY: pods/s from the first creation to
//   the last pod bound and p50/p99 from creation to bound (the bench's clock: its create request sent vs
//   the simulated executor's note of its Binding's answer, taken from the simulator; no watch: see below). Here the apiserver also takes the creations, so the rate is also
//   compared with a bare client creating and then binding each pod (the raw pipeline).
// Also: the scheduler's peak RSS (VmHWM of /proc/<pid>/status), the offers the framework holds at the end
// (the simulator's /master/frameworks, must be 0). Goal (issue 10): >= 0.5x the raw binding rate, RSS < 300 MB.
//
//   npm run build && node bench/scheduler.mjs [--pods N] [--agents N] [--owners N] [--concurrency N]
//     [--timeout S (900)] [--stall S (90): stop waiting when no pod was bound for that long]
// BENCH_SCHED_LOG=<file> keeps the scheduler's stderr; BENCH_SCHED_ARGS adds scheduler flags (e.g.
// "--offer-refuse-seconds 1"); BENCH_SCHED_NODE_ARGS adds node flags (e.g. "--cpu-prof --cpu-prof-dir=DIR"),
// BENCH_SIM_NODE_ARGS the same for the simulator; BENCH_APISERVER_GC=1 prints the apiserver's Go heap and
// garbage collections in each second of the raw binding and the backlog (a read of its /metrics a second).
// BENCH_SCHED=floor runs the protocol floor (bench/scheduler-floor.ts) instead of the scheduler: what a
// scheduler doing k8sm's protocol and nothing else reaches here (no Nodes, Events, metrics or logs).
// etcd keeps its data under the system's temporary folder, on disk: each Binding is an etcd write that waits
// for an fsync, so the raw baseline moves with the disk's latency (381-673/s in one session).
// TMPDIR=/dev/shm puts etcd's data on tmpfs and measures CPU costs alone (docs/PERFORMANCE.md, sixth session).
// Also printed: the apiserver's requests by verb and resource (its /metrics) during the raw binding and the
// backlog, and CPU seconds of the scheduler, the simulator, the apiserver and the bench while
// scheduling (/proc/<pid>/stat), and the scheduler's own offer and pod counters (its /metrics).
// Needs the provisioned test stack (test/stack/provision.sh) for etcd and kube-apiserver. Everything it
// starts is stopped at the end, also on failure or Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { bundle, inParallel, kubeClient, ms } from './lib.mjs';

const { values: opt } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000' },
    agents: { type: 'string', default: '1000' },
    owners: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '64' },
    timeout: { type: 'string', default: '900' },
    stall: { type: 'string', default: '90' },
  },
});
const PODS = Number(opt.pods);
const AGENTS = Number(opt.agents);
const OWNERS = Math.min(Number(opt.owners), PODS);
const CONC = Number(opt.concurrency);
const TIMEOUT_MS = Number(opt.timeout) * 1000;
const STALL_MS = Number(opt.stall) * 1000;
for (const [k, v] of Object.entries({ pods: PODS, agents: AGENTS, owners: OWNERS, concurrency: CONC, timeout: TIMEOUT_MS, stall: STALL_MS }))
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`bench scheduler: --${k} must be a positive integer`);
    process.exit(2);
  }

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'bench', '.out');
mkdirSync(out, { recursive: true });
// BENCH_SCHED=floor: the protocol floor (bench/scheduler-floor.ts: k8sm's protocol and nothing else) in
// place of `k8smctl scheduler run`, to see what any scheduler can reach next to the same processes.
const floor = process.env.BENCH_SCHED === 'floor';
const bin = floor ? await bundle(root, out, ['bench', 'scheduler-floor.ts'], 'scheduler-floor') : (process.env.K8SMCTL_BIN ?? join(root, 'bin', 'run.js'));
const NAME = `bench-sched-${process.pid}`;
const NS = 'sched';
const NS_RAW = 'raw';
const NS_PIPE = 'raw-pipeline';
const NS_BACKLOG = 'backlog';

const getJson = (url) =>
  new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      })
      .on('error', reject);
  });

const hostname = (i) => `agent-${String(i).padStart(4, '0')}.bench`;
const owner = (o) => ({ name: `web-${o}`, uid: randomUUID() });

function pod(ns, name, own, schedulerName) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { app: own.name },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: own.name, uid: own.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      schedulerName,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'web', image: 'registry.local/web:1', resources: { limits: { cpu: '100m', memory: '32Mi' } } }],
    },
  };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const vmHwmKb = (pid) => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

/** CPU seconds (user + system) a process used so far (/proc/<pid>/stat, 100 ticks a second). */
const cpuS = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return NaN;
  }
};
const promValue = (text, name) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(name) && !l.startsWith('#'))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

/** The apiserver's requests so far by verb and resource (its own /metrics, apiserver_request_total). */
const apiRequests = async (kube) => {
  const out = new Map();
  const text = await kube.call('GET', '/metrics').catch(() => '');
  for (const line of text.split('\n')) {
    // The Go runtime's bytes allocated so far and garbage collections completed (kept under keys no request has).
    if (
      line.startsWith('go_memstats_alloc_bytes_total ') ||
      line.startsWith('go_gc_duration_seconds_count ') ||
      line.startsWith('go_memstats_heap_alloc_bytes ')
    ) {
      out.set(`~${line.slice(0, line.indexOf(' '))}`, Number(line.slice(line.lastIndexOf(' ') + 1)));
      continue;
    }
    if (!line.startsWith('apiserver_request_total{')) continue;
    const label = (k) => new RegExp(`[{,]${k}="([^"]*)"`).exec(line)?.[1] ?? '';
    const key = `${label('verb')} ${label('resource')}${label('subresource') ? `/${label('subresource')}` : ''}`;
    out.set(key, (out.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
};
/**
 * The apiserver's Go heap work between two apiRequests snapshots: KB allocated per binding and the
 * garbage collections completed. Its heap holds every pod of the run (over a GB at full size), so each
 * collection's marking is costly, and a phase that allocates more per binding pays for more of them.
 */
const gcBetween = (a, b, bindings) => {
  const d = (k) => (b.get(k) ?? NaN) - (a.get(k) ?? NaN);
  const kb = d('~go_memstats_alloc_bytes_total') / 1024 / bindings;
  const gcs = d('~go_gc_duration_seconds_count');
  // (a /metrics read that failed leaves a figure unknown)
  return `${Number.isFinite(kb) ? kb.toFixed(0) : '?'} KB allocated a binding, ${Number.isFinite(gcs) ? gcs : '?'} garbage collections`;
};
/**
 * BENCH_APISERVER_GC=1: the apiserver's Go heap (MB in use) and garbage collections completed in each
 * second of a phase, from its /metrics (a read of /metrics a second: the apiserver's own work, so opt-in).
 */
const heapSampler = (kube, start) => {
  if (!process.env.BENCH_APISERVER_GC || process.env.BENCH_APISERVER_GC === '0') return { stop: () => undefined };
  const heap = [];
  const gcs = [];
  // counted from the phase's first /metrics snapshot; a read that fails (or is still under way a second
  // later) gives `?` for its second
  let lastGc = start.get('~go_gc_duration_seconds_count');
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) {
      heap.push('?');
      gcs.push('?');
      return;
    }
    busy = true;
    const m = await apiRequests(kube);
    busy = false;
    const gc = m.get('~go_gc_duration_seconds_count') ?? NaN;
    const mb = (m.get('~go_memstats_heap_alloc_bytes') ?? NaN) / 1e6;
    heap.push(Number.isFinite(mb) ? Math.round(mb) : '?');
    gcs.push(Number.isFinite(gc) && lastGc !== undefined ? gc - lastGc : '?');
    if (Number.isFinite(gc)) lastGc = gc;
  }, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      // (none in a phase shorter than a second)
      return heap.length > 0 ? `heap MB ${heap.join(' ')}; collections ${gcs.join(' ')}` : undefined;
    },
  };
};
/** What the apiserver served between two apiRequests snapshots, largest first: "POST bindings 10000, ...". */
const requestsBetween = (a, b) => {
  const d = [...b].map(([k, v]) => [k, v - (a.get(k) ?? 0)]).filter(([k, v]) => v > 0 && !k.startsWith('~'));
  d.sort((x, y) => y[1] - x[1]);
  const total = d.reduce((t, [, v]) => t + v, 0);
  return `${total} (${d
    .slice(0, 16)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}${d.length > 16 ? ', ...' : ''})`;
};

let apiserver;
let sim;
let sched;
let kube;
const files = floor ? [bin] : [];
const cleanup = async () => {
  sched?.kill('SIGKILL');
  sim?.kill('SIGTERM');
  kube?.close();
  await apiserver?.stop().catch(() => undefined);
  for (const f of files) rmSync(f, { force: true });
};
const onSignal = () => void cleanup().finally(() => process.exit(130));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

let exitCode = 0;
try {
  console.log(
    `scheduler benchmark — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const serversFile = await bundle(root, out, ['test', 'stack', 'test-servers.ts'], 'test-servers');
  files.push(serversFile);
  const servers = await import(pathToFileURL(serversFile).href);
  const t0 = ms();
  apiserver = await servers.startTestKubeApiserver({ timeoutMs: 180_000 });
  kube = kubeClient(apiserver.url, apiserver.caPem, apiserver.admin.token, CONC);
  const caFile = join(out, `sched-ca-${process.pid}.pem`);
  const tokenFile = join(out, `sched-token-${process.pid}`);
  const kubeconfig = join(out, `sched-kubeconfig-${process.pid}.yaml`);
  const simCfg = join(out, `sched-sim-${process.pid}.json`);
  files.push(caFile, tokenFile, kubeconfig, simCfg);
  writeFileSync(caFile, apiserver.caPem);
  writeFileSync(tokenFile, apiserver.admin.token);
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

  // The simulator in its own process (its event loop is not the bench's), bind-only launches.
  const simFile = await bundle(root, out, ['test', 'stack', 'mesos-sim', 'main.ts'], 'mesos-sim');
  files.push(simFile);
  writeFileSync(
    simCfg,
    JSON.stringify({
      masters: 1,
      agents: Array.from({ length: AGENTS }, (_, i) => ({ hostname: hostname(i), resources: { cpus: 8, mem: 16384, disk: 100000, ports: '[31000-32000]' } })),
      schedulerApi: { launch: 'bind-only' },
      // the simulated executors bind through CONC connections, the raw baseline's concurrency
      kube: { server: apiserver.url, tokenFile, caFile, maxSockets: CONC },
    }),
  );
  const simProc = spawn(
    process.execPath,
    [...(process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter(Boolean), simFile, '--config', simCfg, '--control-port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  sim = simProc;
  const simInfo = JSON.parse(
    await new Promise((resolve, reject) => {
      createInterface({ input: simProc.stdout }).once('line', resolve);
      simProc.once('exit', (code) => reject(new Error(`simulator exited ${code} before it was ready`)));
    }),
  );
  for (const ns of [NS, NS_RAW, NS_PIPE, NS_BACKLOG])
    await kube.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  console.log(`apiserver and ${AGENTS} simulated agents ready in ${((ms() - t0) / 1000).toFixed(1)} s`);

  // 1. Baselines, by a bare keep-alive client at CONCURRENCY on the same apiserver, measured once it
  //    holds what it holds when the scheduler meets it (3 x PODS pods; the raw binding was measured on
  //    an apiserver holding PODS pods before, the pipeline on one holding 2 x PODS):
  //    a. the raw binding rate: PODS unbound pods (created first: the creation rate is printed too), then
  //       PODS Bindings, posted once the backlog's pods (2.) exist;
  //    b. the raw pipeline: each of PODS pods created and then bound at once (what "creation -> bound" costs at best).
  const owners = Array.from({ length: OWNERS }, (_, o) => owner(o));
  const names = Array.from({ length: PODS }, (_, i) => ({ name: `web-${i % OWNERS}-${Math.floor(i / OWNERS)}`, own: owners[i % OWNERS] }));
  const binding = (ns, name, i) => ({
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name, namespace: ns },
    target: { apiVersion: 'v1', kind: 'Node', name: hostname(i % AGENTS) },
  });
  let t = ms();
  await inParallel(names, CONC, (p) => kube.call('POST', `/api/v1/namespaces/${NS_RAW}/pods`, pod(NS_RAW, p.name, p.own, 'nobody')));
  const rawCreateS = (ms() - t) / 1000;

  // 2. A backlog: PODS pods of the scheduler's created before it starts (a big rollout, or a scheduler restart).
  await inParallel(names, CONC, (p) => kube.call('POST', `/api/v1/namespaces/${NS_BACKLOG}/pods`, pod(NS_BACKLOG, p.name, p.own, NAME)));

  t = ms();
  await inParallel(names, CONC, async (p, i) => {
    await kube.call('POST', `/api/v1/namespaces/${NS_PIPE}/pods`, pod(NS_PIPE, p.name, p.own, 'nobody'));
    await kube.call('POST', `/api/v1/namespaces/${NS_PIPE}/bindings`, binding(NS_PIPE, p.name, i));
  });
  const pipeS = (ms() - t) / 1000;
  const pipeRate = PODS / pipeS;

  // How the scheduler phases see a pod bound: the simulated executors note when the apiserver answered
  // each pod's Binding (201), and the bench takes those notes from the simulator's control API every
  // 200 ms. The bench watched the namespace's pods before: a watch is the apiserver's work on every
  // binding (1.4 -> 2.1 CPU ms a binding, medians of 3 in one measured run) that the bare baseline does
  // not pay, so the instrument slowed what it measured. After a phase, one list of the namespace checks
  // that the apiserver holds every pod counted as bound with a node.
  const control = (method, args) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(args);
      const req = http.request(
        `${simInfo.controlUrl}/${method}`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          let b = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (b += c));
          res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(b).result) : reject(new Error(`simulator ${method}: HTTP ${res.statusCode} ${b}`))));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`simulator ${method}: no answer in 30 s`)));
      req.on('error', reject);
      req.end(body);
    });
  // The simulator's times are wall-clock (Date.now()); the bench's ms() is its own monotonic clock.
  const wallToMs = () => ms() - Date.now();
  const watchBound = async (ns) => {
    await control('takeBoundPods', { namespace: ns }); // none yet; forgets any
    const bound = new Map();
    const launched = new Map();
    let allBound;
    let pollFailed;
    let closed = false;
    // Resolves when every pod is bound; rejects when the simulator cannot be asked (the phase fails with why).
    const done = new Promise((resolve, reject) => {
      allBound = resolve;
      pollFailed = reject;
    });
    const poll = async () => {
      while (!closed) {
        const offset = wallToMs();
        for (const [n, at, launchedAt] of await control('takeBoundPods', { namespace: ns }))
          if (!bound.has(n)) {
            bound.set(n, at + offset);
            launched.set(n, launchedAt + offset);
          }
        if (bound.size >= PODS) {
          allBound();
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const polling = poll().catch((e) => pollFailed(e));
    return {
      bound,
      launched,
      done,
      /** Stops polling; resolves once a poll under way has ended (nothing is added to `bound` after it). */
      close: () => {
        closed = true;
        return polling;
      },
      /** Pods of the namespace that the apiserver holds with a node (once the phase is over). */
      check: async () => {
        let n = 0;
        let cont = '';
        do {
          const page = JSON.parse(await kube.call('GET', `/api/v1/namespaces/${ns}/pods?limit=2000${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`));
          for (const p of page.items) if (p.spec?.nodeName && bound.has(p.metadata.name)) n++;
          cont = page.metadata?.continue ?? '';
        } while (cont);
        return n;
      },
    };
  };
  const apiPid = apiserver.handle.daemon.pid;
  const rawReq0 = await apiRequests(kube);
  const rawCpu0 = cpuS(apiPid);
  const rawHeap = heapSampler(kube, rawReq0);
  t = ms();
  await inParallel(names, CONC, (p, i) => kube.call('POST', `/api/v1/namespaces/${NS_RAW}/bindings`, binding(NS_RAW, p.name, i)));
  const rawBindS = (ms() - t) / 1000;
  const rawHeapLine = rawHeap.stop();
  const rawApiCpu = cpuS(apiPid) - rawCpu0;
  const rawReq1 = await apiRequests(kube);
  const rawRequests = requestsBetween(rawReq0, rawReq1);
  const rawGc = gcBetween(rawReq0, rawReq1, PODS);
  const rawRate = PODS / rawBindS;
  console.log(
    `raw: ${PODS} pods created in ${rawCreateS.toFixed(1)} s (${(PODS / rawCreateS).toFixed(0)}/s), bound in ${rawBindS.toFixed(1)} s (${rawRate.toFixed(0)}/s; the apiserver holding ${3 * PODS} pods, as when the scheduler starts); created and bound one by one in ${pipeS.toFixed(1)} s (${pipeRate.toFixed(0)}/s)`,
  );
  console.log(`raw binding: kube-apiserver ${((rawApiCpu * 1000) / PODS).toFixed(2)} CPU ms a binding, ${rawGc}; requests ${rawRequests}`);
  if (rawHeapLine) console.log(`raw binding: apiserver in each second: ${rawHeapLine}`);

  /** Until every pod is bound, or the timeout, or nothing more is bound for --stall seconds (a dead apiserver, pods the scheduler lost). */
  const waitBound = async (what, watch, start) => {
    const timeout = new Promise((r) => setTimeout(r, TIMEOUT_MS, 'timeout'));
    let stalled;
    const stall = new Promise((r) => (stalled = r));
    let last = { n: -1, at: ms() };
    const progress = setInterval(() => {
      console.log(`  ... ${what}: ${watch.bound.size}/${PODS} bound after ${((ms() - start) / 1000).toFixed(0)} s`);
      if (watch.bound.size !== last.n) last = { n: watch.bound.size, at: ms() };
      else if (ms() - last.at > STALL_MS) stalled('stalled');
    }, 10_000);
    const exited = sched ? new Promise((r) => sched.once('exit', (code) => r(`exited ${code}`))) : new Promise(() => {});
    const res = await Promise.race([watch.done, timeout, stall, exited]);
    if (typeof res === 'string' && res.startsWith('exited')) throw new Error(`the scheduler ${res} (${what}): ${err.slice(-2000)}`);
    clearInterval(progress);
    await watch.close();
    if (res === 'timeout') console.log(`TIMEOUT (${what}): ${watch.bound.size}/${PODS} pods bound after ${opt.timeout} s`);
    if (res === 'stalled') console.log(`STALLED (${what}): ${watch.bound.size}/${PODS} pods bound, none more for ${opt.stall} s`);
    return watch.bound.size > 0 ? Math.max(...watch.bound.values()) : ms();
  };
  const backlog = await watchBound(NS_BACKLOG);

  let err = '';
  const pids = { simulator: simProc.pid, 'kube-apiserver': apiPid, bench: process.pid };
  const backlogReq0 = await apiRequests(kube);
  let cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuS(pid)]));
  const schedStart = ms();
  sched = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SCHED_NODE_ARGS ?? '').split(' ').filter(Boolean),
      bin,
      'scheduler',
      'run',
      '--scheduler-name',
      NAME,
      '--framework-name',
      'Kubernetes',
      '--km-path',
      'file:///opt/k8sm/km',
      '--port',
      '0',
      '--mesos-master',
      simInfo.leaderUrl,
      ...(process.env.BENCH_SCHED_ARGS ?? '').split(' ').filter(Boolean),
    ],
    { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  pids.scheduler = sched.pid;
  cpu0.scheduler = 0;
  // The log's start (its /metrics address, the subscription) is noted before the kept tail is cut (-v 2 logs every launch).
  let subscribedSeen = false;
  let metricsUrl;
  let logHead = '';
  let logCut = false;
  sched.stderr.on('data', (c) => {
    err += c.toString('utf8');
    if (logHead.length < 3e5) logHead = err.slice(0, 3e5);
    subscribedSeen ||= /subscribed frameworkId=/.test(err);
    metricsUrl ??= /http="([^"]+)"/.exec(err)?.[1];
    if (err.length > 1e6) {
      err = err.slice(-5e5);
      logCut = true;
    }
  });
  const schedExit = new Promise((resolve) => sched.once('exit', (code) => resolve(code)));
  // Each process's CPU in each second of the backlog (% of one core), beside the pods bound in it.
  const etcdPid = (() => {
    try {
      return Number(execFileSync('pgrep', ['-n', '-x', 'etcd'], { encoding: 'utf8' }).trim()) || undefined;
    } catch {
      return undefined;
    }
  })();
  const sampled = { ...pids, ...(etcdPid ? { etcd: etcdPid } : {}) };
  const cpuSeconds = Object.fromEntries(Object.keys(sampled).map((k) => [k, []]));
  let lastCpu = Object.fromEntries(Object.entries(sampled).map(([k, pid]) => [k, cpuS(pid)]));
  const backlogHeap = heapSampler(kube, backlogReq0);
  const cpuSampler = setInterval(() => {
    const now = Object.fromEntries(Object.entries(sampled).map(([k, pid]) => [k, cpuS(pid)]));
    for (const k of Object.keys(sampled)) cpuSeconds[k].push(Math.round((now[k] - lastCpu[k]) * 100));
    lastCpu = now;
  }, 1000);
  let peakKb = 0;
  const rssTimer = setInterval(() => (peakKb = Math.max(peakKb, vmHwmKb(sched.pid))), 500);
  const backlogEnd = await waitBound('backlog', backlog, schedStart);
  clearInterval(cpuSampler);
  const backlogHeapLine = backlogHeap.stop();
  const backlogPeakKb = Math.max(peakKb, vmHwmKb(sched.pid));
  const cpuOf = () => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuS(pid) - cpu0[k]]));
  const backlogCpu = cpuOf();
  const backlogReq1 = await apiRequests(kube);
  const backlogRequests = requestsBetween(backlogReq0, backlogReq1);
  const backlogGc = gcBetween(backlogReq0, backlogReq1, backlog.bound.size);
  const backlogLat = [...backlog.bound.values()].map((b) => b - schedStart).sort((a, b) => a - b);
  const backlogRate = backlog.bound.size / ((backlogEnd - schedStart) / 1000);
  const backlogChecked = await backlog.check();
  const backlogSends = await control('statusSends', {});
  // Pods launched (their ACCEPT taken by the master) and bound in each second from the scheduler's start
  // (the simulator's notes): where a backlog's time goes.
  const perSecond = (times) => {
    const out = [];
    for (const b of times) {
      const i = Math.floor((b - schedStart) / 1000);
      out[i] = (out[i] ?? 0) + 1;
    }
    return Array.from(out, (n) => n ?? 0).join(' ');
  };
  const launchedPerSecond = perSecond(backlog.launched.values());
  const boundPerSecond = perSecond(backlog.bound.values());

  // 3. Streaming: the scheduler running (and subscribed), the pods created at CONCURRENCY.
  for (let i = 0; !subscribedSeen; i++) {
    if (sched.exitCode !== null || i > 600) throw new Error(`the scheduler did not subscribe: ${err.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stream = await watchBound(NS);
  const created = new Map();
  cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuS(pid)]));
  const streamReq0 = await apiRequests(kube);
  const start = ms();
  await inParallel(names, CONC, async (p) => {
    created.set(p.name, ms());
    await kube.call('POST', `/api/v1/namespaces/${NS}/pods`, pod(NS, p.name, p.own, NAME));
  });
  const createdS = (ms() - start) / 1000;
  const end = await waitBound('streaming', stream, start);
  const cpu = cpuOf();
  const streamRequests = requestsBetween(streamReq0, await apiRequests(kube));
  const bound = stream.bound;
  const streamChecked = await stream.check();
  const metrics = metricsUrl
    ? await new Promise((r) =>
        http
          .get(`${metricsUrl}/metrics`, (res) => {
            let b = '';
            res.on('data', (c) => (b += c));
            res.on('end', () => r(b));
          })
          .on('error', () => r('')),
      )
    : '';
  peakKb = Math.max(peakKb, vmHwmKb(sched.pid));

  // Offers held once every pod is bound: outstanding in two looks 5 s apart (k8sm's offer TTL). One look
  // alone also counts an offer that arrived a moment before and is being answered.
  const framework = async () => ((await getJson(`${simInfo.leaderUrl}/master/frameworks`)).frameworks ?? []).find((f) => f.name === 'Kubernetes');
  await new Promise((r) => setTimeout(r, 1000));
  const firstLook = new Set(((await framework())?.offers ?? []).map((o) => o.id));
  await new Promise((r) => setTimeout(r, 5000));
  const fw = await framework();
  const held = fw ? fw.offers.filter((o) => firstLook.has(o.id)).length : NaN;
  const tasks = fw ? fw.tasks.length : 0;
  peakKb = Math.max(peakKb, vmHwmKb(sched.pid));
  clearInterval(rssTimer);
  sched.kill('SIGTERM');
  await Promise.race([schedExit, new Promise((r) => setTimeout(r, 10_000))]);

  const lat = [...bound.entries()].map(([n, b]) => b - created.get(n)).sort((a, b) => a - b);
  const rate = bound.size / ((end - start) / 1000);
  const rssMb = peakKb / 1024;
  const cpuLine = (c, s) =>
    `${Object.entries(c)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ')} (of ${(s * os.cpus().length).toFixed(0)} core-seconds)`;
  const secs = (x) => `${(x / 1000).toFixed(2)} s`;
  console.log('');
  console.log(`scheduler: ${PODS} pods a phase (${OWNERS} owners x ${PODS / OWNERS} replicas, ReplicaSet owner references) on ${AGENTS} agents, bind-only`);
  console.log(`backlog (${PODS} pods created before the scheduler starts; timed from its start)`);
  console.log(
    `  pods/s start -> bound           ${backlogRate.toFixed(0)}   (${((backlogEnd - schedStart) / 1000).toFixed(1)} s from the scheduler's start to the last bound; ${backlog.bound.size} bound)`,
  );
  console.log(`  latency start -> bound          p50 ${secs(pct(backlogLat, 50))}, p99 ${secs(pct(backlogLat, 99))}`);
  console.log(`  launched in each second         ${launchedPerSecond}`);
  console.log(`  bound in each second            ${boundPerSecond}`);
  for (const [k, v] of Object.entries(cpuSeconds)) console.log(`  CPU % in each second: ${k.padEnd(14)} ${v.join(' ')}`);
  console.log(`  CPU seconds                     ${cpuLine(backlogCpu, (backlogEnd - schedStart) / 1000)}`);
  console.log(`  apiserver requests              ${backlogRequests}`);
  console.log(`  apiserver Go heap               ${backlogGc} (raw binding: ${rawGc})`);
  if (backlogHeapLine) console.log(`  apiserver in each second        ${backlogHeapLine}`);
  console.log(
    `  status updates                  ${backlogSends.first} sent, ${backlogSends.again} sent again (unacknowledged for the master's retry interval)`,
  );
  console.log(`  ratio                           ${(backlogRate / rawRate).toFixed(2)}x raw binding rate (${rawRate.toFixed(0)}/s)`);
  console.log(`  scheduler peak RSS so far       ${(backlogPeakKb / 1024).toFixed(0)} MB (VmHWM)`);
  console.log(`streaming (the scheduler running; ${PODS} pods created at concurrency ${CONC} in ${createdS.toFixed(1)} s)`);
  console.log(
    `  pods/s creation -> bound        ${rate.toFixed(0)}   (${((end - start) / 1000).toFixed(1)} s from the first create request to the last bound; ${bound.size} bound)`,
  );
  console.log(`  latency creation -> bound       p50 ${secs(pct(lat, 50))}, p99 ${secs(pct(lat, 99))}, max ${secs(lat.at(-1))}`);
  console.log(`  CPU seconds                     ${cpuLine(cpu, (end - start) / 1000)}`);
  console.log(`  apiserver requests              ${streamRequests}`);
  console.log(
    `  ratio                           ${(rate / rawRate).toFixed(2)}x raw binding rate; ${(rate / pipeRate).toFixed(2)}x the raw create-then-bind pipeline (${pipeRate.toFixed(0)}/s)`,
  );
  console.log(`both phases`);
  console.log(`  scheduler peak RSS (VmHWM)      ${rssMb.toFixed(0)} MB`);
  console.log(`  offers held at the end          ${held}   (outstanding in two looks 5 s apart; ${tasks} tasks in the simulator)`);
  console.log(
    `  scheduler metrics               offers received ${promValue(metrics, 'k8sm_scheduler_offers_received_total')}, used ${promValue(metrics, 'k8sm_scheduler_offers_used_total')}, declined ${promValue(metrics, 'k8sm_scheduler_offers_declined_total')}; pods launched ${promValue(metrics, 'k8sm_scheduler_pods_scheduled_total')}, no-fit attempts ${promValue(metrics, 'k8sm_scheduler_pods_failed_total')}`,
  );
  console.log(
    `  load average at the end         ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const allBound = backlog.bound.size === PODS && bound.size === PODS && backlogChecked === PODS && streamChecked === PODS;
  console.log(
    `  bound in the apiserver          backlog ${backlogChecked}, streaming ${streamChecked} of the pods the executors bound (one list of each namespace at the end)`,
  );
  console.log(
    `  goals: backlog >= 0.5x raw ${backlogRate / rawRate >= 0.5 ? 'met' : 'NOT met'}; streaming >= 0.5x raw ${rate / rawRate >= 0.5 ? 'met' : 'NOT met'}; RSS < 300 MB ${rssMb < 300 ? 'met' : 'NOT met'}; 0 offers held ${held === 0 ? 'met' : 'NOT met'}; all bound ${allBound ? 'yes' : 'NO'}`,
  );
  if (process.env.BENCH_SCHED_LOG)
    writeFileSync(process.env.BENCH_SCHED_LOG, !logCut ? err : `${logHead}\n[... log cut: its start and its last 500 kB are kept ...]\n${err}`);
} catch (e) {
  console.error(`bench scheduler: ${e?.stack ?? e}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
