// Snapshot benchmark: `k8smctl get agents` (master only) and the full snapshot with every agent asked
// (`get agents -o json`) on a simulated cluster of AGENTS agents (default 1000) with a k8sm framework
// running TASKS tasks. Counts the HTTP requests the simulator received per command, and compares the
// time with a bare-HTTP baseline measured in the same run (a Node script doing the same requests with
// no parsing into a snapshot, no rendering).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

async function startSimulator(root, out, config) {
  const bundle = join(out, 'mesos-sim.mjs');
  await build({
    entryPoints: [join(root, 'test', 'stack', 'mesos-sim', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  const cfgFile = join(out, 'sim-1000.json');
  writeFileSync(cfgFile, JSON.stringify(config));
  const child = spawn(process.execPath, [bundle, '--config', cfgFile, '--control-port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited ${code} before it was ready`)));
  });
  return { child, info: JSON.parse(line) };
}

// No keep-alive: the runner blocks in spawnSync between calls, longer than the server keeps an idle
// connection, and a reused dead socket would fail.
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

function clusterConfig(agents, tasks) {
  const agentCfgs = [];
  for (let i = 0; i < agents; i++) {
    const gap = i % 3 === 1;
    agentCfgs.push({
      hostname: `agent-${String(i).padStart(4, '0')}.dc1.example.com`,
      resources: { cpus: 16, mem: 65536, disk: 200000, ports: gap ? '[31000-31099, 31101-32000]' : '[31000-32000]' },
      attributes: { rack: `r${i % 40}`, zone: `z${i % 3}` },
      ...(i % 10 === 0 ? { reserved: { public: { cpus: 2, mem: 4096 } } } : {}),
    });
  }
  const k8smTasks = [];
  for (let t = 0; t < tasks; t++) {
    const a = agentCfgs[t % agents].hostname;
    k8smTasks.push({
      agentId: a,
      name: `web-${t}.shop.pod`,
      state: 'TASK_RUNNING',
      resources: { cpus: 0.5, mem: 256, ports: [31000 + Math.floor(t / agents) * 2, 31001 + Math.floor(t / agents) * 2] },
    });
  }
  return {
    masters: 1,
    agents: agentCfgs,
    frameworks: [
      { name: 'Kubernetes', role: '*', principal: 'k8sm', tasks: k8smTasks },
      { name: 'marathon', role: '*', principal: 'marathon' },
    ],
  };
}

const BASELINE = `
import http from 'node:http';
const [master, mode, concurrency] = process.argv.slice(2);
const get = (u) => new Promise((resolve, reject) => {
  http.get(u, { agent: false }, (res) => { const c = []; res.on('data', (d) => c.push(d)); res.on('end', () => { try { resolve(JSON.parse(Buffer.concat(c).toString('utf8'))); } catch (e) { reject(e); } }); }).on('error', reject);
});
const state = await get(master + '/state');
let n = 1;
if (mode === 'agents') {
  const agents = state.slaves.filter((s) => s.active);
  let next = 0;
  const worker = async () => { while (next < agents.length) { const s = agents[next++]; const hp = s.pid.split('@')[1]; await get('http://' + hp + '/slave(1)/state'); n++; } };
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
}
process.stdout.write(String(n));
`;

export async function runSnapshotBench({ root, bin, time, median, fmt }) {
  const agents = Number(process.env.BENCH_AGENTS ?? 1000);
  const tasks = Number(process.env.BENCH_TASKS ?? 3000);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const out = join(root, 'bench', '.out');
  mkdirSync(out, { recursive: true });
  const t0 = Date.now();
  const { child, info } = await startSimulator(root, out, clusterConfig(agents, tasks));
  console.log(`\nsnapshot: ${agents} simulated agents, ${tasks} k8sm tasks (simulator ready in ${Date.now() - t0} ms)`);
  const baselineFile = join(out, 'baseline-http.mjs');
  writeFileSync(baselineFile, BASELINE);
  const results = {};
  try {
    const cases = [
      { name: 'get agents', args: ['get', 'agents', '--mesos-master', info.leaderUrl], base: [baselineFile, info.leaderUrl, 'master', '1'] },
      {
        name: 'get agents -o json (every agent asked)',
        args: ['get', 'agents', '-o', 'json', '--mesos-master', info.leaderUrl],
        base: [baselineFile, info.leaderUrl, 'agents', '24'],
      },
    ];
    for (const c of cases) {
      const ours = [];
      const base = [];
      let requests;
      for (let i = 0; i < runs; i++) {
        const b = time(process.execPath, c.base);
        if (b.status !== 0) throw new Error(`baseline failed: ${b.stderr}`);
        base.push(b.ms);
        await control(info.controlUrl, 'clearRequestLog');
        const o = time(process.execPath, [bin, ...c.args]);
        if (o.status !== 0) throw new Error(`${c.name} failed (${o.status}): ${o.stderr.slice(0, 300)}`);
        ours.push(o.ms);
        const log = await control(info.controlUrl, 'requestLog');
        requests = { master: log.filter((e) => e.server.kind === 'master').length, agents: log.filter((e) => e.server.kind === 'agent').length };
      }
      const mo = median(ours);
      const mb = median(base);
      results[c.name] = { medianMs: mo, baselineMs: mb, ratio: mo / mb, requests };
      console.log(
        `  ${c.name.padEnd(40)} ${fmt(mo).padStart(10)}   HTTP requests: ${requests.master} master + ${requests.agents} agent   bare HTTP ${fmt(mb)} (${(mo / mb).toFixed(2)}x)`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
  return { agents, tasks, cases: results };
}
