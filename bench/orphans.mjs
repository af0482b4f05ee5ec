// Orphans benchmark: `k8smctl get orphans` against ENGINES real Docker engines (default 5) holding
// CONTAINERS kubelet-like containers each (default 100: tiny busybox, RUNNING of them started, the rest
// only created), behind a Mesos simulator whose agents run k8sm executors: 40% of the containers carry
// the marker of a live executor, 50% the marker of a completed one (orphans), 10% no marker.
// Prints the time of the command and the Docker requests it sent per engine, against a baseline
// measured in the same run: `docker ps -a` plus `docker inspect` of the same containers, every engine
// at once (the docker CLI, what an operator would run). Goals (issue 9): one list per engine, at most
// one inspect per kubelet container; time at most 1.5x the baseline.
//
//   npm run build && node bench/orphans.mjs
//   BENCH_ENGINES, BENCH_CONTAINERS, BENCH_RUNNING, BENCH_RUNS change the sizes and the repetitions.
// Needs the provisioned test stack (test/stack/provision.sh): dockerd, the busybox rootfs. Everything it
// starts (engines, their containers, the simulator) is stopped and removed at the end, also on failure.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomUUID, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = process.env.K8SMCTL_BIN ?? join(root, 'bin', 'run.js');
const ENGINES = Number(process.env.BENCH_ENGINES ?? 5);
const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 100);
const RUNNING = Number(process.env.BENCH_RUNNING ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// Engines on 127.0.0.(FIRST+1)...: away from the test stack's (2..) and the tests' (201..).
const FIRST = Number(process.env.BENCH_FIRST_INDEX ?? 150);

// Bundles live in the project (bench/.corpus, ignored by git) so that their external packages resolve.
async function bundle(entry, name) {
  const out = join(root, 'bench', '.corpus');
  mkdirSync(out, { recursive: true });
  const outfile = join(out, `${name}-${process.pid}.mjs`);
  bundles.push(outfile);
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
  return import(pathToFileURL(outfile).href);
}

/** One Docker Engine API call over TCP, no keep-alive. */
function docker(engine, method, path, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: engine.ip,
        port: engine.port,
        method,
        path,
        agent: false,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode >= 300) reject(new Error(`Docker ${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function pool(items, n, fn) {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

/** A counting HTTP proxy in front of an engine: every request the engine gets, by kind. */
function countingProxy(engine) {
  const counts = { list: 0, inspect: 0, other: 0 };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v[0-9.]+/, '').split('?')[0];
    if (req.method === 'GET' && path === '/containers/json') counts.list++;
    else if (req.method === 'GET' && /^\/containers\/[^/]+\/json$/.test(path)) counts.inspect++;
    else counts.other++;
    const up = http.request({ host: engine.ip, port: engine.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        counts,
        url: `tcp://127.0.0.1:${port}`,
        reset: () => Object.assign(counts, { list: 0, inspect: 0, other: 0 }),
        close: () => new Promise((r) => server.close(r)),
      });
    }),
  );
}

function run(cmd, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        ms: Number(process.hrtime.bigint() - t) / 1e6,
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `docker ps -a` then `docker inspect` of every container it listed, on every engine at once. */
function baseline(hosts) {
  const script = hosts.map((h) => `(ids=$(docker -H ${h} ps -a -q --no-trunc) && docker -H ${h} inspect $ids >/dev/null) &`).join('\n') + '\nwait\n';
  return run('bash', ['-c', script], { ...process.env, DOCKER_CONFIG: tmpConfigDir });
}

const work = mkdtempSync(join(tmpdir(), 'k8smctl-bench-orphans-'));
const tmpConfigDir = join(work, 'docker-cli');
mkdirSync(tmpConfigDir, { recursive: true });
const engines = [];
const bundles = [];
let sim;
const proxies = [];
let exitCode = 0;
try {
  const servers = await bundle(['test', 'stack', 'test-servers.ts'], 'test-servers');
  const simMod = await bundle(['test', 'stack', 'mesos-sim', 'index.ts'], 'mesos-sim');
  console.log(`orphans benchmark — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}`);
  console.log(`starting ${ENGINES} Docker engines...`);
  engines.push(...(await Promise.all(Array.from({ length: ENGINES }, (_, i) => servers.startTestDockerEngine(FIRST + i, { timeoutMs: 120_000 })))));

  sim = await simMod.startMesosSimulator({
    agents: engines.map((e, i) => ({ hostname: `bench-agent-${i + 1}`, ip: e.ip, resources: { cpus: 16, mem: 65536 }, docker: { host: e.ip, port: e.port } })),
    frameworks: [{ name: 'Kubernetes', principal: 'k8sm', pid: 'scheduler(1)@127.0.0.1:10251', checkpoint: true, failoverTimeout: 604800 }],
  });
  const fw = [...sim.state.frameworks.values()][0].id;

  console.log(`creating ${ENGINES} x ${CONTAINERS} kubelet containers (${RUNNING} running per engine)...`);
  const want = { orphan: 0, live: 0, unproven: 0 };
  await Promise.all(
    engines.map(async (engine, i) => {
      const agentId = sim.agents[i].id;
      const live = sim.addExecutor({ frameworkId: fw, agentId, k8sm: true });
      const gone = sim.addExecutor({ frameworkId: fw, agentId, k8sm: true, id: `old_${randomBytes(4).toString('hex')}_k8sm-executor` });
      await sim.shutdownExecutor(agentId, gone.id);
      const specs = Array.from({ length: CONTAINERS }, (_, n) => {
        const kind = n % 10 < 4 ? 'live' : n % 10 < 9 ? 'orphan' : 'unproven';
        want[kind]++;
        const pod = { name: `web-${i}-${Math.floor(n / 2)}`, namespace: 'bench', uid: randomUUID() };
        const cname = n % 2 === 0 ? 'POD' : 'app';
        return {
          name: `k8s_${cname}.${randomBytes(4).toString('hex')}_${pod.name}_${pod.namespace}_${pod.uid}_${randomBytes(4).toString('hex')}`,
          start: n < RUNNING,
          body: {
            Image: 'busybox:latest',
            Cmd: ['/bin/sh', '-c', "trap 'exit 0' TERM; sleep 2147483 & wait"],
            Env: kind === 'unproven' ? [] : [`MESOS_EXECUTOR_CONTAINER_UUID=${kind === 'live' ? live.containerId : gone.containerId}`],
            Labels: {
              'io.kubernetes.pod.name': pod.name,
              'io.kubernetes.pod.namespace': pod.namespace,
              'io.kubernetes.pod.uid': pod.uid,
              'io.kubernetes.pod.terminationGracePeriod': '30',
              'io.kubernetes.container.name': cname,
              'io.kubernetes.container.hash': randomBytes(4).toString('hex'),
              'io.kubernetes.container.restartCount': '0',
            },
            HostConfig: { NetworkMode: 'none' },
          },
        };
      });
      await pool(specs, 8, async (s) => {
        const { Id } = await docker(engine, 'POST', `/containers/create?name=${encodeURIComponent(s.name)}`, s.body);
        if (s.start) await docker(engine, 'POST', `/containers/${Id}/start`);
      });
    }),
  );

  const endpointsFor = (urls) => {
    const file = join(work, `endpoints-${proxies.length ? 'proxied' : 'direct'}-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, sim.agents.map((a, i) => `${a.hostname}: ${urls[i]}\n`).join(''));
    return file;
  };
  const directFile = endpointsFor(engines.map((e) => `tcp://${e.ip}:${e.port}`));
  const env = { ...process.env, MESOS_MASTER: sim.leaderUrl(), KUBECONFIG: join(work, 'no-kubeconfig.yaml') };
  delete env.DOCKER_HOST;
  const getOrphans = (file) => run(process.execPath, [bin, 'get', 'orphans', '--docker-endpoints', file, '-o', 'json'], env);
  const hosts = engines.map((e) => `tcp://${e.ip}:${e.port}`);

  // Correctness of what is timed: every container classified as seeded.
  const check = await getOrphans(directFile);
  const doc = JSON.parse(check.stdout);
  const got = doc.summary;
  if (got.orphan !== want.orphan || got.live !== want.live || got.unproven !== want.unproven || doc.containers.length !== ENGINES * CONTAINERS)
    throw new Error(`get orphans classified ${JSON.stringify(got)} (${doc.containers.length} containers), expected ${JSON.stringify(want)}: ${check.stderr}`);
  if (check.code !== 1) throw new Error(`get orphans exited ${check.code} with orphans present (expected 1): ${check.stderr}`);
  await baseline(hosts); // warm-up

  // What the command loads besides itself: the Kubernetes client (the kubeconfig, pods as evidence) and the Docker client.
  const chunk = (prefix) => readdirSync(join(root, 'dist', 'chunks')).find((f) => f.startsWith(prefix) && f.endsWith('.js'));
  const importTime = (file) =>
    run(process.execPath, [
      '-e',
      `const t=process.hrtime.bigint();import(${JSON.stringify(file)}).then(()=>console.log(Number(process.hrtime.bigint()-t)/1e6))`,
    ]);
  // @kubernetes/client-node is the chunk `dist-*` (loaded to read the kubeconfig); dockerode is `docker-client-*`.
  const chunks = { kube: chunk('dist-'), docker: chunk('docker-client-') };
  const t = { cli: [], base: [], floor: [], kube: [], docker: [] };
  for (let r = 0; r < RUNS; r++) {
    t.floor.push((await run(process.execPath, [bin, '--version'], env)).ms);
    for (const k of ['kube', 'docker']) if (chunks[k]) t[k].push(Number((await importTime(join(root, 'dist', 'chunks', chunks[k]))).stdout));
    t.cli.push((await getOrphans(directFile)).ms);
    const b = await baseline(hosts);
    if (b.code !== 0) throw new Error(`baseline failed: ${b.stderr}`);
    t.base.push(b.ms);
  }

  // Requests: the same two through a counting proxy in front of each engine.
  proxies.push(...(await Promise.all(engines.map(countingProxy))));
  const proxiedFile = endpointsFor(proxies.map((p) => p.url));
  await getOrphans(proxiedFile);
  const cliCounts = proxies.map((p) => ({ ...p.counts }));
  proxies.forEach((p) => p.reset());
  await baseline(proxies.map((p) => p.url));
  const baseCounts = proxies.map((p) => ({ ...p.counts }));
  const sum = (cs, k) => cs.reduce((a, c) => a + c[k], 0);
  const perEngine = (cs) => `lists per engine ${[...new Set(cs.map((c) => c.list))].join('/')}, inspects ${sum(cs, 'inspect')}, other ${sum(cs, 'other')}`;

  const cli = median(t.cli);
  const base = median(t.base);
  const total = ENGINES * CONTAINERS;
  console.log('');
  console.log(`get orphans: ${ENGINES} engines x ${CONTAINERS} kubelet containers (${ENGINES * RUNNING} running), median of ${RUNS}, interleaved`);
  console.log(`  classified: ${got.orphan} orphan, ${got.live} live, ${got.unproven} unproven (as seeded)`);
  console.log(`  docker ps -a + docker inspect (baseline)  ${base.toFixed(1)} ms   requests: ${perEngine(baseCounts)}`);
  console.log(`  k8smctl get orphans -o json               ${cli.toFixed(1)} ms   requests: ${perEngine(cliCounts)}   ${(cli / base).toFixed(2)}x baseline`);
  console.log(`  k8smctl --version (start-up floor)        ${median(t.floor).toFixed(1)} ms`);
  for (const k of ['kube', 'docker'])
    if (t[k].length)
      console.log(
        `  import of ${(k === 'kube' ? '@kubernetes/client-node' : 'dockerode').padEnd(30)} ${median(t[k]).toFixed(1)} ms   (dist/chunks/${chunks[k]})`,
      );
  console.log(`  runs (ms): get orphans ${t.cli.map((x) => x.toFixed(0)).join(', ')}; baseline ${t.base.map((x) => x.toFixed(0)).join(', ')}`);
  const listsOk = cliCounts.every((c) => c.list === 1);
  const inspectsOk = sum(cliCounts, 'inspect') <= total;
  console.log(
    `  goals: one list per engine ${listsOk ? 'met' : 'NOT met'}; at most one inspect per container (${sum(cliCounts, 'inspect')} <= ${total}) ${inspectsOk ? 'met' : 'NOT met'}; <= 1.5x baseline ${cli / base <= 1.5 ? 'met' : 'NOT met'}`,
  );
} catch (e) {
  console.error(`bench orphans: ${e?.stack ?? e}`);
  exitCode = 1;
} finally {
  await Promise.all(proxies.map((p) => p.close()));
  await sim?.close().catch(() => undefined);
  await Promise.all(engines.map((e) => e.stop().catch(() => undefined)));
  rmSync(work, { recursive: true, force: true });
  for (const b of bundles) rmSync(b, { force: true });
}
process.exit(exitCode);
