// The protocol floor of issue 10's scheduler benchmark: a scheduler that does k8sm's protocol and
// nothing else, to measure what any scheduler costs on this machine next to the same apiserver, etcd
// and simulated master and executors. `BENCH_SCHED=floor node bench/scheduler.mjs` runs the
// benchmark with it in place of `k8smctl scheduler run` (docs/PERFORMANCE.md, "Twelfth session").
//
// What it does, as lean as Node allows: one list of the scheduler's pods and a watch after it; the
// v1 scheduler API (SUBSCRIBE, ACCEPT with LAUNCH, DECLINE, SUPPRESS/REVIVE, ACKNOWLEDGE every status
// with a uuid); placement and TaskInfos from the scheduler's own core (src/core: the same placement,
// pod copy and ExecutorInfo, so the same bytes go to the master). What it leaves out, and `scheduler
// run` does: Nodes, Events, metrics, logs, the framework id's ConfigMap, reconciliation, backoff,
// failover, deletes and kills, offer compatibility checks, timeouts and retries. It is not a
// scheduler: a failed call is printed and forgotten.
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { k8smPod } from '../src/core/k8sm/fit.js';
import { k8smScheduler } from '../src/core/k8sm/scheduler.js';
import { defaultSchedulerSettings } from '../src/core/k8sm/settings.js';
import { EXECUTOR_DEFAULTS, executorPrototype } from '../src/core/scheduler/executor.js';
import { parseOffer, type SchedOffer } from '../src/core/scheduler/offers.js';
import { placePods, type PendingPod } from '../src/core/scheduler/placement.js';
import { awaitsScheduling, controllerUidOf } from '../src/core/scheduler/pods.js';
import { buildTask, launchablePod } from '../src/core/scheduler/task.js';

type Json = Record<string, unknown>;

const argv = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1]! : dflt;
};
const schedulerName = flag('scheduler-name', 'default-scheduler');
const master = new URL(flag('mesos-master', 'http://127.0.0.1:5050'));
const frameworkName = flag('framework-name', 'Kubernetes');
const refuseSeconds = Number(flag('offer-refuse-seconds', '5'));

// The apiserver, from a kubeconfig as the benchmark writes it (JSON: server, CA file, token).
const kc = JSON.parse(readFileSync(process.env['KUBECONFIG'] ?? '', 'utf8')) as {
  clusters: Array<{ cluster: { server: string; 'certificate-authority': string } }>;
  users: Array<{ user: { token: string } }>;
};
const kubeServer = kc.clusters[0]!.cluster.server;
const kubeAgent = new https.Agent({ keepAlive: true, maxSockets: 4, ca: readFileSync(kc.clusters[0]!.cluster['certificate-authority']) });
const kubeHeaders = { Authorization: `Bearer ${kc.users[0]!.user.token}`, Accept: 'application/json' };
const selector = `fieldSelector=${encodeURIComponent(`spec.schedulerName=${schedulerName}`)}`;

const scheduler = k8smScheduler(defaultSchedulerSettings());
const executor = executorPrototype({
  ...EXECUTOR_DEFAULTS,
  kmPath: flag('km-path', 'file:///opt/k8sm/km'),
  artifactBaseUrl: 'http://127.0.0.1:10251',
  apiServers: [kubeServer],
});

interface Pending extends PendingPod {
  readonly pod: Json;
}
const pending = new Map<string, Pending>();
const siblings = new Map<string, Map<string, number>>();
/** The ExecutorInfo resources of this framework's executor on each host (a later launch repeats them). */
const executorResources = new Map<string, ReadonlyArray<Json>>();

function take(pod: Json): void {
  const meta = (pod['metadata'] ?? {}) as { name?: string; namespace?: string };
  const key = `${meta.namespace}/${meta.name}`;
  if (!awaitsScheduling(pod, schedulerName)) {
    pending.delete(key);
    return;
  }
  const owner = controllerUidOf(pod);
  pending.set(key, { key, ...(owner ? { owner } : {}), kp: k8smPod(pod, scheduler), pod: launchablePod(pod) });
}

// ---- the apiserver: one list, then a watch
function kubeGet(path: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    https.get(`${kubeServer}${path}`, { agent: kubeAgent, headers: kubeHeaders }, resolve).on('error', reject);
  });
}
async function readAll(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
async function listAndWatch(): Promise<void> {
  const list = JSON.parse(await readAll(await kubeGet(`/api/v1/pods?resourceVersion=0&${selector}`))) as {
    metadata: { resourceVersion: string };
    items: Json[];
  };
  for (const p of list.items) take(p);
  listed();
  const res = await kubeGet(`/api/v1/pods?watch=1&resourceVersion=${list.metadata.resourceVersion}&${selector}`);
  let buf = '';
  res.setEncoding('utf8');
  res.on('end', () => process.stderr.write('the pod watch ended: new pods are no longer seen\n'));
  res.on('data', (c: string) => {
    buf += c;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line) continue;
      const ev = JSON.parse(line) as { type: string; object: Json };
      if (ev.type === 'DELETED') {
        const m = (ev.object['metadata'] ?? {}) as { name?: string; namespace?: string };
        pending.delete(`${m.namespace}/${m.name}`);
      } else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') {
        take(ev.object);
        if (pending.size > 0 && suppressed) revive();
      }
    }
  });
}
let listed: () => void = () => undefined;
const listedOnce = new Promise<void>((r) => (listed = r));

// ---- the master: SUBSCRIBE, calls, events
let streamId = '';
let frameworkId = '';
let suppressed = false;
const masterAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
/** SUPPRESS and REVIVE on one connection of their own, so that they reach the master in the order sent. */
const orderedAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function call(body: Json, agent = masterAgent): void {
  const payload = JSON.stringify({ framework_id: { value: frameworkId }, ...body });
  const req = http.request(
    master,
    {
      method: 'POST',
      path: '/api/v1/scheduler',
      agent,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Mesos-Stream-Id': streamId, 'Content-Length': Buffer.byteLength(payload) },
    },
    (res) => {
      if (res.statusCode !== 202) process.stderr.write(`call ${String(body['type'])}: HTTP ${res.statusCode}\n`);
      res.resume();
    },
  );
  req.on('error', (e) => process.stderr.write(`call ${String(body['type'])}: ${e.message}\n`));
  req.end(payload);
}
function revive(): void {
  suppressed = false;
  call({ type: 'REVIVE' }, orderedAgent);
}
function suppress(): void {
  suppressed = true;
  call({ type: 'SUPPRESS' }, orderedAgent);
}

function onOffers(list: unknown[]): void {
  const offers: SchedOffer[] = [];
  for (const j of list) {
    const o = parseOffer(j);
    if (o) offers.push(o);
  }
  const result = placePods([...pending.values()], offers, {
    scheduler,
    executorId: executor.id,
    hostsWithExecutor: new Set(executorResources.keys()),
    siblings: (owner, host) => siblings.get(owner)?.get(host) ?? 0,
  });
  const byOffer = new Map<string, Json[]>();
  for (const pl of result.placements) {
    const host = pl.offer.hostname;
    pending.delete(pl.pod.key);
    if (pl.pod.owner) {
      let m = siblings.get(pl.pod.owner);
      if (!m) siblings.set(pl.pod.owner, (m = new Map<string, number>()));
      m.set(host, (m.get(host) ?? 0) + 1);
    }
    const running = pl.allocation.executor ? undefined : executorResources.get(host);
    const built = buildTask({
      pod: pl.pod.pod,
      kp: pl.pod.kp,
      offer: pl.offer,
      allocation: pl.allocation,
      taskId: `pod.${randomUUID()}`,
      executor,
      ...(running ? { runningExecutorResources: running } : {}),
    });
    if (pl.allocation.executor) executorResources.set(host, built.executorResources);
    let l = byOffer.get(pl.offer.id);
    if (!l) byOffer.set(pl.offer.id, (l = [] as Json[]));
    l.push(built.taskInfo);
  }
  for (const [id, taskInfos] of byOffer)
    call({
      type: 'ACCEPT',
      accept: { offer_ids: [{ value: id }], operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }], filters: { refuse_seconds: refuseSeconds } },
    });
  const unused = offers.filter((o) => !byOffer.has(o.id)).map((o) => ({ value: o.id }));
  if (unused.length) call({ type: 'DECLINE', decline: { offer_ids: unused, filters: { refuse_seconds: refuseSeconds } } });
  if (pending.size === 0 && !suppressed) suppress();
}

function onEvent(ev: Json): void {
  switch (ev['type']) {
    case 'SUBSCRIBED':
      frameworkId = ((ev['subscribed'] as Json)['framework_id'] as { value: string }).value;
      process.stderr.write(`I floor] subscribed frameworkId="${frameworkId}"\n`);
      if (pending.size === 0) suppress();
      return;
    case 'OFFERS':
      onOffers(((ev['offers'] as Json)['offers'] as unknown[]) ?? []);
      return;
    case 'UPDATE': {
      const s = (ev['update'] as Json)['status'] as { task_id: Json; agent_id?: Json; uuid?: string };
      if (s.uuid) call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } });
      return;
    }
    case 'ERROR':
      process.stderr.write(`the master ended the framework: ${JSON.stringify(ev['error'])}\n`);
      process.exit(1);
  }
}

async function subscribe(): Promise<void> {
  const payload = JSON.stringify({
    type: 'SUBSCRIBE',
    subscribe: { framework_info: { user: 'root', name: frameworkName, role: '*', failover_timeout: 604800, checkpoint: false, capabilities: [] } },
  });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(
      master,
      { method: 'POST', path: '/api/v1/scheduler', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } },
      resolve,
    );
    req.on('error', reject);
    req.end(payload);
  });
  if (res.statusCode !== 200) throw new Error(`SUBSCRIBE: HTTP ${res.statusCode}`);
  streamId = String(res.headers['mesos-stream-id'] ?? '');
  // RecordIO: "<length>\n<record>", records split across chunks or several in one.
  let buf: Buffer = Buffer.alloc(0);
  for await (const chunk of res) {
    buf = buf.length ? Buffer.concat([buf, chunk as Buffer]) : (chunk as Buffer);
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl < 0) break;
      const len = Number(buf.subarray(0, nl).toString('latin1'));
      if (buf.length < nl + 1 + len) break;
      onEvent(JSON.parse(buf.subarray(nl + 1, nl + 1 + len).toString('utf8')) as Json);
      buf = buf.subarray(nl + 1 + len);
    }
  }
  throw new Error('the master ended the subscription');
}

// Pods that wait (their offers declined with a refusal, or a REVIVE crossed by a SUPPRESS): offers revived once a second.
setInterval(() => {
  if (pending.size > 0 && frameworkId) revive();
}, 1000).unref();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
void listAndWatch().catch((e: unknown) => {
  process.stderr.write(`pods: ${String(e)}\n`);
  process.exit(1);
});
await listedOnce;
await subscribe().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
