#!/usr/bin/env node
// k8smctl benchmarks. Every figure is printed with a baseline measured in the same run.
//   node bench/run.mjs [startup] [validate] [real] [flow] [snapshot] [diagnose]   (default: all but diagnose)
//   real: the real-world corpus in ../shared/corpus/real-manifests (skipped when absent)
//   flow: a synthetic corpus where every document has a finding and flow style is common
//   BENCH_RUNS=N overrides the repetition counts.
//   real and flow also print CPU time (user+sys, from /usr/bin/time when present) of each, median, and its ratio.
//   K8SMCTL_BEFORE=<other build>/bin/run.js also runs that build in the same interleaved loop (before/after
//   figures measured under the same load: on a shared machine, runs minutes apart differ by 2x).
// Needs a build (`npm run build`); `snapshot` also needs the Mesos simulator (test/stack).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import os from 'node:os';
import { ensureCorpus, ensureFlowCorpus } from './corpus.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench', '.corpus');
mkdirSync(work, { recursive: true });
// K8SMCTL_BIN measures another build's launcher (e.g. one made from an earlier commit, for before/after figures).
const bin = process.env.K8SMCTL_BIN ?? join(root, 'bin', 'run.js');
const before = process.env.K8SMCTL_BEFORE;
const which = process.argv.slice(2);
const want = (name) => which.length === 0 || which.includes(name);

// CPU time (user + system) of a child, read from GNU time when the machine has it: on a shared machine
// it moves less with the load than wall-clock time does.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpuFile = join(work, `cpu-${process.pid}.txt`);
// Where validate writes its report in the timed runs (as `-o json > report.json` does).
const reportFile = join(work, `report-${process.pid}.json`);

function time(cmd, args, opts = {}) {
  const cpu = opts.cpu && gnuTime !== undefined;
  // toFile: the child's standard output goes to this file, as `validate -o json > report.json` writes
  // it; the caller reads it back. Otherwise it is captured through a pipe (spawnSync's buffer).
  const out = opts.toFile !== undefined ? openSync(opts.toFile, 'w') : undefined;
  const spawnOpts = { encoding: 'utf8', maxBuffer: 1 << 30, ...(out !== undefined ? { stdio: ['ignore', out, 'pipe'] } : {}) };
  const t = process.hrtime.bigint();
  let r;
  try {
    r = cpu ? spawnSync(gnuTime, ['-f', '%U %S', '-o', cpuFile, cmd, ...args], spawnOpts) : spawnSync(cmd, args, spawnOpts);
  } finally {
    if (out !== undefined) closeSync(out);
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw r.error;
  let cpuMs;
  if (cpu) {
    const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (user + sys) * 1000;
  }
  return { ms, cpuMs, status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const results = { machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`, node: process.version, date: new Date().toISOString() };

console.log(`k8smctl benchmarks — ${results.machine}, node ${process.version}`);

if (want('startup')) {
  const runs = Number(process.env.BENCH_RUNS ?? 30);
  const pod = join(work, 'one-pod.yaml');
  writeFileSync(
    pod,
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n    ports:\n    - containerPort: 80\n      hostPort: 31080\n    resources:\n      limits: {cpu: 500m, memory: 128Mi}\n',
  );
  const cases = [
    ['node -e 0', [process.execPath, ['-e', '0']]],
    ['k8smctl --version', [process.execPath, [bin, '--version']]],
    ['k8smctl validate -f one-pod.yaml', [process.execPath, [bin, 'validate', '-f', pod]]],
    ...(before ? [['before: validate -f one-pod.yaml', [process.execPath, [before, 'validate', '-f', pod]]]] : []),
  ];
  for (const [, [c, a]] of cases) time(c, a); // warm the page cache
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) cases.forEach(([, [c, a]], j) => samples[j].push(time(c, a).ms)); // interleaved
  const base = median(samples[0]);
  console.log(`\nstart-up (median of ${runs}, interleaved)`);
  results.startup = {};
  cases.forEach(([name], j) => {
    const m = median(samples[j]);
    results.startup[name] = { medianMs: m, ratio: m / base };
    console.log(`  ${name.padEnd(36)} ${fmt(m).padStart(10)}   ${(m / base).toFixed(2)}x node -e 0`);
  });
}

if (want('validate')) {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const t0 = Date.now();
  const corpus = ensureCorpus(work, { files: 10000, docsPerFile: 5 });
  console.log(`\nvalidate throughput: ${corpus.resources} resources in ${corpus.files} files (corpus ready in ${Date.now() - t0} ms)`);
  const base = [];
  const ours = [];
  const prior = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const b = time(process.execPath, [join(root, 'bench', 'baseline-js-yaml.mjs'), corpus.dir]);
    if (b.status !== 0) throw new Error(`baseline failed: ${b.stderr}`);
    base.push(b.ms);
    const o = time(process.execPath, [bin, 'validate', '-R', '-f', corpus.dir, '-o', 'json'], { toFile: reportFile });
    if (o.status !== 0 && o.status !== 1) throw new Error(`k8smctl validate failed (${o.status}): ${o.stderr.slice(0, 500)}`);
    ours.push(o.ms);
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
    if (before) prior.push(timeValidate(before, corpus.dir));
  }
  const mb = median(base);
  const mo = median(ours);
  const unlocated = report.findings.filter((f) => f.file && !(f.line >= 1)).length;
  if (before) results.validateBefore = { k8smctlMs: median(prior), ratio: median(prior) / mb };
  results.validate = {
    resources: corpus.resources,
    files: corpus.files,
    baselineMs: mb,
    k8smctlMs: mo,
    resourcesPerSecond: corpus.resources / (mo / 1000),
    baselineDocsPerSecond: corpus.resources / (mb / 1000),
    ratio: mo / mb,
    findings: report.findings.length,
    findingsWithoutLine: unlocated,
  };
  console.log(`  js-yaml alone (read + loadAll)        ${fmt(mb).padStart(10)}   ${(corpus.resources / (mb / 1000)).toFixed(0)} docs/s`);
  console.log(
    `  k8smctl validate -R -f <corpus> -o json > file ${fmt(mo).padStart(8)}   ${(corpus.resources / (mo / 1000)).toFixed(0)} resources/s   ${(mo / mb).toFixed(2)}x js-yaml`,
  );
  if (before) console.log(`  before: ${fmt(median(prior))}   ${(median(prior) / mb).toFixed(2)}x js-yaml (${before})`);
  console.log(
    `  findings: ${report.findings.length} (${report.summary.errors} errors, ${report.summary.warnings} warnings), without a line number: ${unlocated}`,
  );
}

/** Time of `validate -R -f DIR -o json > file` with another build's launcher (K8SMCTL_BEFORE). */
function timeValidate(launcher, dir, cpuMs) {
  const o = time(process.execPath, [launcher, 'validate', '-R', '-f', dir, '-o', 'json'], { cpu: cpuMs !== undefined, toFile: reportFile });
  if (o.status !== 0 && o.status !== 1) throw new Error(`${launcher} validate failed (${o.status}): ${o.stderr.slice(0, 500)}`);
  if (cpuMs !== undefined) cpuMs.push(o.cpuMs);
  return o.ms;
}

/**
 * validate -R -f DIR -o json against js-yaml reading the same files, interleaved (median of `runs`),
 * so that both see the same machine load. validate writes its report to a file, as `-o json >
 * report.json` in CI does. Also timed, the same command with its report captured through a pipe by
 * this process (spawnSync's buffer), which is how these suites timed it until 2026-12-03: for a report
 * of 14 MB the pipe and this process's copy of it add 100-150 ms that are the harness's, not
 * validate's (docs/PERFORMANCE.md, "Issue 12, tenth session").
 */
function compareWithJsYaml(title, dir, documents, runs) {
  const base = [];
  const ours = [];
  const piped = [];
  const prior = [];
  const cpu = { base: [], ours: [], prior: [] };
  const withCpu = gnuTime !== undefined;
  const args = [bin, 'validate', '-R', '-f', dir, '-o', 'json'];
  for (let i = 0; i < runs; i++) {
    const b = time(process.execPath, [join(root, 'bench', 'baseline-js-yaml.mjs'), dir, '--ext', 'yaml,yml,json'], { cpu: withCpu });
    if (b.status !== 0) throw new Error(`baseline failed: ${b.stderr}`);
    base.push(b.ms);
    cpu.base.push(b.cpuMs);
    const o = time(process.execPath, args, { cpu: withCpu, toFile: reportFile });
    if (o.status !== 0 && o.status !== 1) throw new Error(`k8smctl validate failed (${o.status}): ${o.stderr.slice(0, 500)}`);
    ours.push(o.ms);
    cpu.ours.push(o.cpuMs);
    const p = time(process.execPath, args);
    if (p.status !== 0 && p.status !== 1) throw new Error(`k8smctl validate failed (${p.status}): ${p.stderr.slice(0, 500)}`);
    piped.push(p.ms);
    if (before) prior.push(timeValidate(before, dir, withCpu ? cpu.prior : undefined));
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const mb = median(base);
  const mo = median(ours);
  const mp = median(piped);
  const unlocated = report.findings.filter((f) => f.file && !(f.line >= 1)).length;
  console.log(`\n${title} (median of ${runs}, interleaved)`);
  console.log(`  js-yaml alone (read + loadAll)        ${fmt(mb).padStart(10)}   ${(documents / (mb / 1000)).toFixed(0)} docs/s`);
  console.log(`  k8smctl validate -R -f <corpus> -o json > file ${fmt(mo).padStart(8)}   ${(mo / mb).toFixed(2)}x js-yaml`);
  console.log(`  the same, report captured through a pipe ${fmt(mp).padStart(8)}   ${(mp / mb).toFixed(2)}x js-yaml`);
  if (before) console.log(`  before (> file): ${fmt(median(prior))}   ${(median(prior) / mb).toFixed(2)}x js-yaml (${before})`);
  let cpuRatios;
  if (withCpu) {
    const cb = median(cpu.base);
    const co = median(cpu.ours);
    cpuRatios = { baselineMs: cb, k8smctlMs: co, ratio: co / cb, ...(before ? { beforeMs: median(cpu.prior), beforeRatio: median(cpu.prior) / cb } : {}) };
    console.log(
      `  CPU time (user+sys, median, > file): js-yaml ${fmt(cb)}, k8smctl ${fmt(co)} = ${(co / cb).toFixed(2)}x${before ? `, before ${fmt(median(cpu.prior))} = ${(median(cpu.prior) / cb).toFixed(2)}x` : ''}`,
    );
  }
  console.log(
    `  ${report.summary.files} files, ${report.summary.resources} resources checked, ${report.summary.skipped} skipped; findings: ${report.findings.length} (${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.infos} infos), without a line number: ${unlocated}`,
  );
  return {
    baselineMs: mb,
    k8smctlMs: mo,
    ratio: mo / mb,
    pipedMs: mp,
    pipedRatio: mp / mb,
    ...(before ? { before: { k8smctlMs: median(prior), ratio: median(prior) / mb } } : {}),
    ...(cpuRatios ? { cpu: cpuRatios } : {}),
    runs,
    findings: report.findings.length,
    summary: report.summary,
    findingsWithoutLine: unlocated,
  };
}

if (want('real')) {
  const dir = join(root, '..', 'shared', 'corpus', 'real-manifests');
  if (!existsSync(dir)) {
    console.log(`\nreal-world corpus: skipped (${dir} not found; it is read from ../shared, never copied into the project)`);
  } else {
    const docs = Number(time(process.execPath, [join(root, 'bench', 'baseline-js-yaml.mjs'), dir, '--ext', 'yaml,yml,json']).stdout.trim());
    results.real = compareWithJsYaml(
      `validate on the real-world corpus (../shared/corpus/real-manifests, ${docs} documents)`,
      dir,
      docs,
      Number(process.env.BENCH_RUNS ?? 7),
    );
  }
}

if (want('flow')) {
  const t0 = Date.now();
  const corpus = ensureFlowCorpus(work, { files: 4000 });
  const title = `validate where every document has a finding, flow style common: ${corpus.resources} documents in ${corpus.files} files (corpus ready in ${Date.now() - t0} ms)`;
  results.flow = compareWithJsYaml(title, corpus.dir, corpus.resources, Number(process.env.BENCH_RUNS ?? 5));
}

if (want('snapshot')) {
  const { runSnapshotBench } = await import('./snapshot.mjs').catch(() => ({}));
  if (runSnapshotBench) results.snapshot = await runSnapshotBench({ root, bin, time, median, fmt });
  else console.log('\nsnapshot: bench/snapshot.mjs not present');
}

// Not in the default set: it fills a real kube-apiserver with 11,000 pods first (minutes).
if (which.includes('diagnose')) {
  const { runDiagnoseBench } = await import('./diagnose.mjs');
  results.diagnose = await runDiagnoseBench({ root, bin, time, median, fmt });
}

rmSync(cpuFile, { force: true });
rmSync(reportFile, { force: true });
mkdirSync(join(root, 'bench', '.out'), { recursive: true });
writeFileSync(join(root, 'bench', '.out', 'results.json'), JSON.stringify(results, null, 2));
console.log(`\nraw figures: bench/.out/results.json`);
