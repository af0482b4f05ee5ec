// The scheduler's pure placement core (src/core/scheduler placePods) alone: PODS pending pods (default
// 10,000: 100 owners x 100 replicas, 0.1-0.5 cpu, some with a fixed or wildcard host port) against
// OFFERS offers (default 1,000 agents, 8 cpus, 16 GB, ports [31000-32000] each), in one cycle.
// Baseline in the same run: k8sm's FCFS (reference §1.5), the first offer that fits, one pod per
// offer, with the same fit function (src/core/k8sm fitPodOnAgent), over the same pods and offers.
// Prints pods placed, pods/s of both, the ratio, and how evenly each spreads an owner's replicas.
//
//   node bench/scheduler-placement.mjs          BENCH_PODS, BENCH_OFFERS, BENCH_RUNS change the sizes.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const OFFERS = Number(process.env.BENCH_OFFERS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const out = join(root, 'bench', '.corpus');
mkdirSync(out, { recursive: true });
const entry = join(out, `placement-entry-${process.pid}.ts`);
const { writeFileSync } = await import('node:fs');
writeFileSync(
  entry,
  `export * from '${join(root, 'src/core/scheduler/index.ts')}';\nexport { fitPodOnAgent, k8smPod, k8smScheduler, portMappingFor } from '${join(root, 'src/core/k8sm/index.ts')}';\n`,
);
const outfile = join(out, `placement-${process.pid}.mjs`);
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
const core = await import(pathToFileURL(outfile).href);
rmSync(entry);
rmSync(outfile);

const scheduler = core.k8smScheduler({
  frameworkRoles: ['*'],
  defaultPodRoles: ['*'],
  portMapping: core.portMappingFor(true),
  executorCpus: 0.25,
  executorMem: 128,
  defaultContainerCpu: 0.25,
  defaultContainerMem: 64,
});
const EXEC = 'bench_k8sm-executor';

function offers() {
  const list = [];
  for (let i = 0; i < OFFERS; i++) {
    list.push(
      core.parseOffer({
        id: { value: `o${i}` },
        agent_id: { value: `S${i}` },
        hostname: `agent-${i}`,
        resources: [
          { name: 'cpus', type: 'SCALAR', scalar: { value: 8 }, role: '*' },
          { name: 'mem', type: 'SCALAR', scalar: { value: 16384 }, role: '*' },
          { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] }, role: '*' },
        ],
        executor_ids: i % 2 ? [{ value: EXEC }] : [],
      }),
    );
  }
  return list;
}

function pods() {
  const list = [];
  for (let i = 0; i < PODS; i++) {
    const owner = `rs-${i % 100}`;
    const kind = i % 100;
    const ports = kind < 5 ? [{ containerPort: 80, hostPort: 31080 }] : kind < 20 ? [{ containerPort: 8080 }] : undefined;
    const pod = {
      metadata: { name: `p${i}`, namespace: 'bench' },
      spec: { containers: [{ name: 'c', resources: { limits: { cpu: `${100 + (i % 5) * 100}m`, memory: '64Mi' } }, ...(ports ? { ports } : {}) }] },
    };
    list.push({ key: `bench/p${i}`, owner, kp: core.k8smPod(pod, scheduler) });
  }
  return list;
}

/** k8sm's FCFS: each pod takes the first offer that fits, and that offer is then used up (one pod per offer). */
function fcfs(ps, os_) {
  const used = new Set();
  const placed = [];
  for (const p of ps) {
    for (let i = 0; i < os_.length; i++) {
      if (used.has(i)) continue;
      const o = os_[i];
      const fit = core.fitPodOnAgent(
        p.kp,
        {
          cpus: { byRole: o.cpus },
          mem: { byRole: o.mem },
          ports: { byRole: o.ports },
          executorRunning: o.executorIds.includes(EXEC),
          node: { hostname: o.hostname, labels: {} },
        },
        scheduler,
      );
      if (fit.fits) {
        used.add(i);
        placed.push({ pod: p, offer: o });
        break;
      }
    }
  }
  return placed;
}

function spread(placements) {
  // per owner: max replicas on one host
  const per = new Map();
  for (const pl of placements) {
    const k = `${pl.pod.owner}\u0000${pl.offer.hostname}`;
    per.set(k, (per.get(k) ?? 0) + 1);
  }
  return Math.max(...per.values());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const P = pods();
const O = offers();
const ours = [];
const base = [];
let oursPlaced = 0;
let basePlaced = 0;
let oursSpread = 0;
let baseSpread = 0;
for (let r = 0; r < RUNS; r++) {
  let t = process.hrtime.bigint();
  const res = core.placePods(P, O, { scheduler, executorId: EXEC });
  ours.push(Number(process.hrtime.bigint() - t) / 1e6);
  oursPlaced = res.placements.length;
  oursSpread = spread(res.placements);
  t = process.hrtime.bigint();
  const b = fcfs(P, O);
  base.push(Number(process.hrtime.bigint() - t) / 1e6);
  basePlaced = b.length;
  baseSpread = spread(b);
}
const mo = median(ours);
const mb = median(base);
console.log(`scheduler placement core — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`);
console.log(`${PODS} pods, ${OFFERS} offers, one cycle, median of ${RUNS}`);
console.log(
  `placePods (several per offer, spread):   ${oursPlaced} placed in ${mo.toFixed(0)} ms = ${Math.round((oursPlaced / mo) * 1000)} pods/s; most replicas of one owner on one agent: ${oursSpread}`,
);
console.log(
  `k8sm FCFS baseline (one pod per offer):   ${basePlaced} placed in ${mb.toFixed(0)} ms = ${Math.round((basePlaced / mb) * 1000)} pods/s; most replicas of one owner on one agent: ${baseSpread}`,
);
console.log(
  `ratio (pods/s, ours / baseline): ${(oursPlaced / mo / (basePlaced / mb)).toFixed(2)}x; pods placed per cycle: ${(oursPlaced / Math.max(1, basePlaced)).toFixed(1)}x`,
);
