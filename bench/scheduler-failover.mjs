// Scheduler failover benchmark (issue 11): two `k8smctl scheduler run --leader-elect` processes (the
// built CLI) against a real etcd + kube-apiserver (test stack) and the Mesos simulator in bind-only mode
// (a launched task only posts the pod's Binding). Each run SIGKILLs the leader and, at once, creates a
// pod; the figure is the time from the SIGKILL to that pod bound (its spec.nodeName seen by the bench's
// own watch), i.e. the standby noticing the Lease expired on its clock, taking it, subscribing with the
// same framework id and placing the pod. A new standby is started after each run. Printed: every run,
// the median and the worst, next to the lease duration (issue 11's goal: under the lease duration + 2 s).
//
//   npm run build && node bench/scheduler-failover.mjs [--runs N (5)] [--lease-duration 15s]
//     [--renew-deadline 10s] [--retry-period 2s] [--timeout S (120): per run]
//
// --mode master (issue 11's master failover): one `k8smctl scheduler run` (no --leader-elect, -v 2
// --debug) against a simulator with two masters, given as a comma list (--via list, the default:
// `--mesos-master http://m1,http://m2`) or through ZooKeeper (--via zk: a ZooKeeper of the test stack's
// own, the masters registered in it, `--mesos-master zk://…`). Each run makes the other master lead
// (the simulator's control API, setLeader; the old leader's subscription streams break) and, at once,
// creates a pod; the figure is the time from the leader change (the setLeader call sent) to that pod
// bound. The scheduler's log lines are stamped when the bench reads them: 'subscription ended' (the
// broken stream noticed) and 'subscribed' (the new subscription), and the resubscribe wait the loop
// logs (afterMs). Leader detection = noticing the broken stream + finding the new leader and
// subscribing there = (subscribed - change) - afterMs, an upper bound (it includes the SUBSCRIBE round
// trip). Printed: every run, the median and the worst, against issue 11's goal (under 2 s + detection).
//
// Also printed per run: when the first offers came on the new subscription, and how long before the
// change the last offer cycle was (what it declined stays filtered for --offer-refuse-seconds).
//
//   npm run build && node bench/scheduler-failover.mjs --mode master [--via list|zk] [--runs N (5)]
//     [--offer-refuse-seconds S (the scheduler's default when not given)] [--timeout S (120): per run]
// BENCH_SCHED_LOG=<file> keeps the schedulers' stderr. Needs the provisioned test stack
// (test/stack/provision.sh) for etcd and kube-apiserver. Everything it starts is stopped at the end,
// also on failure or Ctrl-C.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { bundle, kubeClient, median, ms, sleep } from './lib.mjs';

const { values: opt } = parseArgs({
  options: {
    mode: { type: 'string', default: 'scheduler' },
    via: { type: 'string', default: 'list' },
    runs: { type: 'string', default: '5' },
    'lease-duration': { type: 'string', default: '15s' },
    'renew-deadline': { type: 'string', default: '10s' },
    'retry-period': { type: 'string', default: '2s' },
    timeout: { type: 'string', default: '120' },
    'offer-refuse-seconds': { type: 'string' },
  },
});
const MODE = opt.mode;
const VIA = opt.via;
if (MODE !== 'scheduler' && MODE !== 'master') {
  console.error(`bench scheduler-failover: --mode must be scheduler or master, not ${JSON.stringify(MODE)}`);
  process.exit(2);
}
if (VIA !== 'list' && VIA !== 'zk') {
  console.error(`bench scheduler-failover: --via must be list or zk, not ${JSON.stringify(VIA)}`);
  process.exit(2);
}
const RUNS = Number(opt.runs);
const TIMEOUT_MS = Number(opt.timeout) * 1000;
for (const [k, v] of Object.entries({ runs: RUNS, timeout: TIMEOUT_MS }))
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`bench scheduler-failover: --${k} must be a positive integer`);
    process.exit(2);
  }
const LEASE_ARGS = [
  '--leader-elect',
  '--leader-elect-lease-duration',
  opt['lease-duration'],
  '--leader-elect-renew-deadline',
  opt['renew-deadline'],
  '--leader-elect-retry-period',
  opt['retry-period'],
];

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = process.env.K8SMCTL_BIN ?? join(root, 'bin', 'run.js');
const out = join(root, 'bench', '.out');
mkdirSync(out, { recursive: true });
const NAME = `bench-failover-${process.pid}`;
const FW = `bench-failover-${process.pid}`;
const NS = 'failover';

const pod = (name) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS },
  spec: {
    schedulerName: NAME,
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'web', image: 'registry.local/web:1', resources: { limits: { cpu: '100m', memory: '32Mi' } } }],
  },
});

let apiserver;
let zookeeper;
let sim;
let kube;
let watch;
const schedulers = [];
const files = [];
const cleanup = async () => {
  for (const s of schedulers) s.proc.kill('SIGKILL');
  if (sim && sim.exitCode === null) {
    const gone = new Promise((r) => sim.once('exit', r));
    sim.kill('SIGTERM');
    await Promise.race([gone, sleep(5000)]);
  }
  watch?.close();
  await zookeeper?.stop().catch(() => undefined);
  kube?.close();
  await apiserver?.stop().catch(() => undefined);
  for (const f of files) rmSync(f, { force: true });
};
const onSignal = () => void cleanup().finally(() => process.exit(130));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

async function until(what, f, timeoutMs = TIMEOUT_MS) {
  const end = ms() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (ms() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

const worst = (xs) => Math.max(...xs);
const sec = (t) => `${(t / 1000).toFixed(2)} s`;

/** The built `k8smctl scheduler run` of this bench (its scheduler and framework names), stderr piped. */
function spawnScheduler(kubeconfig, mesosMaster, extra) {
  return spawn(
    process.execPath,
    [
      bin,
      'scheduler',
      'run',
      '--scheduler-name',
      NAME,
      '--framework-name',
      FW,
      '--km-path',
      'file:///opt/k8sm/km',
      '--port',
      '0',
      '--mesos-master',
      mesosMaster,
      ...extra,
    ],
    { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** A call of the simulator's control API (test/stack/mesos-sim/control.ts). */
function control(controlUrl, method, body = {}) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      `${controlUrl}/${method}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`simulator ${method}: ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text).result);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * --mode master: one scheduler, the leading master changed RUNS times (see the header). Returns the
 * exit code (1 when the scheduler took another framework id or subscribed elsewhere than the new leader).
 */
async function masterFailover({ simInfo, kubeconfig, log, bound, mesosMaster, simExited }) {
  if (!simInfo.controlUrl || simInfo.masters.length < 2) throw new Error('the simulator has no control API or fewer than two masters');
  const proc = spawnScheduler(kubeconfig, mesosMaster, [
    '-v',
    '2',
    '--debug',
    ...(opt['offer-refuse-seconds'] !== undefined ? ['--offer-refuse-seconds', opt['offer-refuse-seconds']] : []),
  ]);
  const s = { id: 1, proc, err: '' };
  schedulers.push(s);
  // Every stderr line with the time the bench read it (the bench's clock, as the leader change and the bound pod).
  const lines = [];
  let partial = '';
  proc.stderr.on('data', (c) => {
    const t = ms();
    const text = c.toString('utf8');
    s.err += text;
    partial += text;
    for (let nl; (nl = partial.indexOf('\n')) >= 0; partial = partial.slice(nl + 1)) {
      lines.push({ t, line: partial.slice(0, nl) });
      if (log) appendFileSync(log, `[1] ${partial.slice(0, nl)}\n`);
    }
  });
  let simGone = false;
  void simExited.then(() => (simGone = true));
  const alive = () => {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`the scheduler exited (${proc.exitCode ?? proc.signalCode}): ${s.err.trim().split('\n').slice(-3).join(' | ')}`);
    if (simGone) throw new Error('the simulator exited');
  };
  const SUBSCRIBED = /\] subscribed frameworkId="([^"]+)" master="([^"]+)"/;
  const ENDED = /\] subscription ended, subscribing again .*afterMs=(\d+)/;
  const OFFERS = /\] offers answered /;

  const fwId = await until('the scheduler to subscribe', () => (alive(), SUBSCRIBED.exec(s.err)?.[1]));
  await kube.call('POST', `/api/v1/namespaces/${NS}/pods`, pod('warmup'));
  await until('the warm-up pod bound', () => (alive(), bound.has('warmup') ? true : undefined));
  let leader = Math.max(
    0,
    simInfo.masters.findIndex((m) => m.url === simInfo.leaderUrl),
  );

  const runs = [];
  let exit = 0;
  for (let r = 1; r <= RUNS; r++) {
    // Some heartbeats and offer cycles on the subscription first, at a random phase.
    await sleep(3000 + Math.random() * 2000);
    const next = (leader + 1) % simInfo.masters.length;
    const from = lines.length;
    if (log) appendFileSync(log, `[bench] ${new Date().toISOString()} setLeader ${next}\n`);
    const changedAt = ms();
    await control(simInfo.controlUrl, 'setLeader', { index: next });
    const answeredAt = ms();
    const name = `after-change-${r}`;
    await kube.call('POST', `/api/v1/namespaces/${NS}/pods`, pod(name));
    await until(`pod ${name} bound`, () => (alive(), bound.has(name) ? true : undefined));
    const boundAt = bound.get(name);
    const sub = await until('the new subscription in the log', () => lines.slice(from).find((l) => SUBSCRIBED.test(l.line)));
    const endedLines = lines.slice(from).filter((l) => ENDED.test(l.line) && l.t <= sub.t);
    const ended = endedLines[0];
    const waits = endedLines.reduce((sum, l) => sum + Number(ENDED.exec(l.line)[1]), 0);
    const [, id, master] = SUBSCRIBED.exec(sub.line);
    // Offers: the last cycle before the change (what it declined is filtered for --offer-refuse-seconds)
    // and the first one on the new subscription.
    const lastOffers = lines.slice(0, from).findLast((l) => OFFERS.test(l.line));
    const firstOffers = lines.slice(from).find((l) => l.t >= sub.t && OFFERS.test(l.line));
    const run = {
      total: boundAt - changedAt,
      call: answeredAt - changedAt,
      noticed: ended ? ended.t - changedAt : NaN,
      subscribed: sub.t - changedAt,
      waits,
      detection: sub.t - changedAt - waits,
      placed: boundAt - sub.t,
      offers: firstOffers ? firstOffers.t - sub.t : NaN,
      offersAge: lastOffers ? changedAt - lastOffers.t : NaN,
    };
    runs.push(run);
    const wrong = [];
    if (id !== fwId) wrong.push(`ANOTHER framework id ${id}!`);
    if (master !== simInfo.masters[next].url) wrong.push(`subscribed at ${master}, not the new leader ${simInfo.masters[next].url}!`);
    if (wrong.length) exit = 1;
    console.log(
      `run ${r}: leader change (master ${leader} -> ${next}) -> first pod bound ${sec(run.total)}; ` +
        `subscription ended seen +${run.noticed.toFixed(0)} ms, subscribed again +${run.subscribed.toFixed(0)} ms ` +
        `(resubscribe wait ${waits} ms${endedLines.length > 1 ? ` over ${endedLines.length} tries` : ''}), first offers ${run.offers.toFixed(0)} ms and pod bound ${run.placed.toFixed(0)} ms after that ` +
        `(last offers answered ${sec(run.offersAge)} before the change); ` +
        `detection ${run.detection.toFixed(0)} ms; setLeader answered in ${run.call.toFixed(0)} ms` +
        (wrong.length ? ` ${wrong.join(' ')}` : ''),
    );
    leader = next;
  }
  const col = (k) => runs.map((x) => x[k]);
  const minusDetection = runs.map((x) => x.total - x.detection);
  console.log(
    `master failover over ${RUNS} runs (--mesos-master ${VIA === 'zk' ? 'zk://' : 'comma list'}): leader change -> first pod bound median ${sec(median(col('total')))}, worst ${sec(worst(col('total')))}; ` +
      `leader change -> new subscription median ${sec(median(col('subscribed')))}, worst ${sec(worst(col('subscribed')))}`,
  );
  console.log(
    `leader detection (the broken stream noticed, the new leader found and SUBSCRIBE answered: change -> 'subscribed' line minus the loop's resubscribe wait; an upper bound) ` +
      `median ${median(col('detection')).toFixed(0)} ms, worst ${worst(col('detection')).toFixed(0)} ms, of which the broken stream noticed ('subscription ended' line) ` +
      `median ${median(col('noticed')).toFixed(0)} ms, worst ${worst(col('noticed')).toFixed(0)} ms; resubscribe wait median ${median(col('waits')).toFixed(0)} ms; ` +
      `new subscription -> first offers median ${median(col('offers')).toFixed(0)} ms, worst ${worst(col('offers')).toFixed(0)} ms; ` +
      `new subscription -> pod bound median ${median(col('placed')).toFixed(0)} ms, worst ${worst(col('placed')).toFixed(0)} ms` +
      (opt['offer-refuse-seconds'] !== undefined ? ` (--offer-refuse-seconds ${opt['offer-refuse-seconds']})` : ''),
  );
  console.log(
    `failover minus detection median ${sec(median(minusDetection))}, worst ${sec(worst(minusDetection))} (goal: under 2 s plus the detection time: ${worst(minusDetection) < 2000 ? 'met in every run' : `missed in ${minusDetection.filter((x) => x >= 2000).length} of ${RUNS} runs`})`,
  );
  return exit;
}

let exitCode = 0;
try {
  console.log(
    `${MODE === 'master' ? `master failover benchmark (--mesos-master ${VIA === 'zk' ? 'zk://' : 'comma list'})` : 'scheduler failover benchmark'} — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const serversFile = await bundle(root, out, ['test', 'stack', 'test-servers.ts'], 'test-servers');
  files.push(serversFile);
  const servers = await import(pathToFileURL(serversFile).href);
  apiserver = await servers.startTestKubeApiserver({ timeoutMs: 180_000 });
  kube = kubeClient(apiserver.url, apiserver.caPem, apiserver.admin.token, 4);
  const caFile = join(out, `failover-ca-${process.pid}.pem`);
  const tokenFile = join(out, `failover-token-${process.pid}`);
  const kubeconfig = join(out, `failover-kubeconfig-${process.pid}.yaml`);
  const simCfg = join(out, `failover-sim-${process.pid}.json`);
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
  const simFile = await bundle(root, out, ['test', 'stack', 'mesos-sim', 'main.ts'], 'mesos-sim');
  files.push(simFile);
  const zkPath = `/bench-failover-${process.pid}`;
  if (MODE === 'master' && VIA === 'zk') zookeeper = await servers.startTestZooKeeper();
  writeFileSync(
    simCfg,
    JSON.stringify({
      masters: MODE === 'master' ? 2 : 1,
      ...(zookeeper ? { zk: { connect: zookeeper.connect, path: zkPath } } : {}),
      agents: Array.from({ length: 3 }, (_, i) => ({ hostname: `agent-${i}.bench`, resources: { cpus: 8, mem: 16384, disk: 100000, ports: '[31000-32000]' } })),
      schedulerApi: { launch: 'bind-only' },
      kube: { server: apiserver.url, tokenFile, caFile },
    }),
  );
  sim = spawn(process.execPath, [simFile, '--config', simCfg, '--control-port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const simExited = new Promise((resolve) => sim.once('exit', resolve));
  const simInfo = JSON.parse(
    await new Promise((resolve, reject) => {
      createInterface({ input: sim.stdout }).once('line', resolve);
      sim.once('exit', (code) => reject(new Error(`simulator exited ${code} before it was ready`)));
    }),
  );
  await kube.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const rv = JSON.parse(await kube.call('GET', `/api/v1/namespaces/${NS}/pods?limit=1`)).metadata.resourceVersion;
  const bound = new Map();
  watch = kube.watch(NS, rv, (p) => {
    const n = p?.metadata?.name;
    if (n && p.spec?.nodeName && !bound.has(n)) bound.set(n, ms());
  });

  const log = process.env.BENCH_SCHED_LOG;
  if (MODE === 'master') {
    exitCode = await masterFailover({
      simInfo,
      kubeconfig,
      log,
      bound,
      mesosMaster: zookeeper ? `zk://${zookeeper.connect}${zkPath}` : simInfo.masters.map((m) => m.url).join(','),
      simExited,
    });
  } else {
    let n = 0;
    const start = () => {
      const id = ++n;
      const proc = spawnScheduler(kubeconfig, simInfo.leaderUrl, LEASE_ARGS);
      const s = { id, proc, err: '' };
      proc.stderr.on('data', (c) => {
        s.err += c.toString('utf8');
        if (log) appendFileSync(log, c.toString('utf8').replace(/^/gm, `[${id}] `));
      });
      schedulers.push(s);
      return s;
    };
    const subscribed = (s) => /subscribed frameworkId="([^"]+)"/.exec(s.err)?.[1];

    let leader = start();
    const fwId = await until('the first scheduler to subscribe', () => subscribed(leader));
    await kube.call('POST', `/api/v1/namespaces/${NS}/pods`, pod('warmup'));
    await until('the warm-up pod bound', () => (bound.has('warmup') ? true : undefined));
    let standby = start();
    await until('the standby to wait', () => (/waiting for the lease/.test(standby.err) ? true : undefined));

    const figures = [];
    for (let r = 1; r <= RUNS; r++) {
      // Let the leader renew a few times, at a random phase relative to its renewals.
      await sleep(3000 + Math.random() * 2000);
      const killedAt = ms();
      leader.proc.kill('SIGKILL');
      const name = `after-kill-${r}`;
      await kube.call('POST', `/api/v1/namespaces/${NS}/pods`, pod(name));
      await until(`pod ${name} bound`, () => (bound.has(name) ? true : undefined));
      const s = (bound.get(name) - killedAt) / 1000;
      const sameId = subscribed(standby) === fwId;
      figures.push(s);
      console.log(`run ${r}: SIGKILL -> first pod bound by the new leader ${s.toFixed(2)} s${sameId ? '' : ' (ANOTHER framework id!)'}`);
      if (!sameId) exitCode = 1;
      leader = standby;
      standby = start();
      await until('the new standby to wait', () => (/waiting for the lease/.test(standby.err) ? true : undefined));
    }
    const sorted = [...figures].sort((a, b) => a - b);
    const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    const leaseS = Number(/^(\d+)s$/.exec(opt['lease-duration'])?.[1] ?? NaN);
    console.log(
      `failover over ${RUNS} runs: median ${median.toFixed(2)} s, worst ${sorted[sorted.length - 1].toFixed(2)} s; lease duration ${opt['lease-duration']}, renew deadline ${opt['renew-deadline']}, retry period ${opt['retry-period']}` +
        (Number.isFinite(leaseS) ? ` (goal: under ${leaseS + 2} s)` : ''),
    );
  }
  console.log(
    `load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} catch (e) {
  console.error(`bench scheduler-failover: ${e.message}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
