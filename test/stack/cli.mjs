#!/usr/bin/env node
// The test stack from the command line (npm run stack:up / stack:down):
//   node test/stack/cli.mjs up [--agents N] [--no-mesos] [--no-demo] [--orphans] [--json]   start, seed a demo, write .stack/stack.json
//   node test/stack/cli.mjs orphans [--agent NAME] [--json]            orphan pod containers on a running stack (the seed's scenario)
//   node test/stack/cli.mjs down                                     stop by PID, remove the temp folder
//   node test/stack/cli.mjs status [--json]                          processes, memory, health checks
//   node test/stack/cli.mjs env                                      `export ...` lines for eval
// down/status/env take --info FILE to act on another stack.json (e.g. one the e2e setup started).
// Servers run detached; their logs are in <temp folder>/logs.
import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadStack, projectRoot, stackStateDir } from './load.mjs';

const [cmd = 'help', ...rest] = process.argv.slice(2);
const flag = (name) => rest.includes(name);
const option = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const infoFile = option('--info') ? resolve(option('--info')) : join(stackStateDir, 'stack.json');
const out = (s = '') => process.stdout.write(`${s}\n`);
const err = (s) => process.stderr.write(`${s}\n`);
const rel = (p) => (p.startsWith(projectRoot) ? relative(process.cwd(), p) || '.' : p);

function usage() {
  out('usage: node test/stack/cli.mjs up [--agents N] [--no-mesos] [--no-demo] [--orphans] [--json]');
  out('       node test/stack/cli.mjs orphans [--agent NAME] [--json] [--info STACK_JSON]');
  out('       node test/stack/cli.mjs down|status [--json]|env [--info STACK_JSON]');
}

function envLines(info) {
  const lines = [`export KUBECONFIG=${info.kube.kubeconfig}`];
  if (info.mesos) lines.push(`export MESOS_MASTER=${info.mesos.leaderUrl}`);
  return lines;
}

function printInfo(info) {
  out(`k8smctl test stack: up since ${info.startedAt} (started in ${(info.startMs / 1000).toFixed(1)} s)`);
  out(`  folder ${info.dir}   logs ${info.logsDir}   info ${rel(info.infoFile)}`);
  out('');
  out('Point k8smctl at it:');
  out(`  export KUBECONFIG=${info.kube.kubeconfig}`);
  out(`      # contexts ${info.kube.admin.context} (current), ${info.kube.limited.context}`);
  if (info.mesos) {
    out(`  export MESOS_MASTER=${info.mesos.leaderUrl}          # the leading master`);
    out(`  # or a list with a standby:  export MESOS_MASTER=${info.mesos.masterList}`);
    out(`  # or through ZooKeeper:      export MESOS_MASTER=${info.mesos.zkUrl}`);
  }
  out('  then, in this folder (after npm run build): ./bin/run.js get agents   (or k8smctl, after npm link)');
  out('');
  out(`Kubernetes ${info.kube.version}  ${info.kube.url}   CA ${info.kube.caFile}`);
  out(`  ${info.kube.admin.context.padEnd(20)} group system:masters           ${info.kube.admin.kubeconfig}`);
  out(`  ${info.kube.limited.context.padEnd(20)} pods in ${info.kube.limitedNamespace} only (get/list/watch)  ${info.kube.limited.kubeconfig}`);
  out(`  cert-admin@k8sm-test client certificate, system:masters  ${info.kube.certAdminKubeconfig}`);
  out(`  namespaces: ${info.kube.namespaces.join(', ')}   etcd ${info.kube.etcdUrl}`);
  out('Docker engines (busybox:latest imported):');
  for (const d of info.docker) out(`  ${d.agent.padEnd(9)} DOCKER_HOST=${d.host}   or unix://${d.socket}`);
  out(`ZooKeeper ${info.zookeeper.connect}`);
  if (info.mesos) {
    out('Mesos simulator:');
    for (const m of info.mesos.masters) out(`  master ${m.url}${m.leader ? '  (leader)' : '  (standby: 307 to the leader)'}`);
    for (const a of info.mesos.agents) {
      const attrs = Object.entries(a.attributes)
        .map(([k, v]) => `${k}:${v}`)
        .join(';');
      out(`  ${a.hostname.padEnd(9)} ${a.ip}:${a.port}  ports ${a.resources.ports ?? '-'}${attrs ? `  attributes ${attrs}` : ''}`);
    }
  } else {
    out('Mesos simulator: not started (--no-mesos)');
  }
  out('');
  out('Stop: npm run stack:down');
}

async function readInfo(stack) {
  if (!existsSync(infoFile)) return undefined;
  try {
    return stack.readStackInfo(infoFile);
  } catch (e) {
    err(`warning: ignoring ${rel(infoFile)}: ${e.message}`);
    return undefined;
  }
}

async function up(stack) {
  const existing = await readInfo(stack);
  if (existing && !stack.isStarting(existing)) {
    const st = await stack.stackStatus(existing);
    if (st.up) {
      if (flag('--json')) out(JSON.stringify(existing, null, 2));
      else {
        out('The test stack is already up.');
        printInfo(existing);
      }
      return 0;
    }
    err('A previous stack is recorded but not healthy: stopping it first.');
  }
  if (existing) {
    await stack.stopStack(existing);
    rmSync(infoFile, { force: true });
  }
  const agents = option('--agents') === undefined ? 3 : Number(option('--agents'));
  let interrupted = false;
  const onSignal = async () => {
    if (interrupted) return;
    interrupted = true;
    err('interrupted: stopping what was started');
    const partial = await readInfo(stack);
    if (partial) await stack.stopStack(partial);
    rmSync(infoFile, { force: true });
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const info = await stack.startStack({
    agents,
    mesos: !flag('--no-mesos'),
    infoFile,
    projectRoot,
    log: flag('--json') ? undefined : (l) => err(`[stack] ${l}`),
  });
  // A small k8sm workload to look at (not for tests: the e2e setup starts its stack without it).
  let demo;
  if (info.mesos && !flag('--no-demo')) {
    try {
      demo = await stack.seedDemo(info);
    } catch (e) {
      err(`warning: the demo workload could not be seeded: ${e.message}`);
    }
  }
  let orphans;
  if (info.mesos && flag('--orphans')) {
    try {
      orphans = await stack.seedOrphans(info, option('--agent') ? { agent: option('--agent') } : {});
    } catch (e) {
      err(`warning: the orphans could not be made: ${e.message}`);
    }
  }
  if (flag('--json')) out(JSON.stringify(info, null, 2));
  else {
    printInfo(info);
    if (demo) {
      out('Demo workload (skip with --no-demo):');
      for (const p of demo.pods) out(`  pod ${p.namespace}/${p.name} running on ${p.agent} as ${p.taskId}, host ports ${Object.values(p.hostPorts).join(',')}`);
      for (const p of demo.pending)
        out(`  pod ${p.namespace}/${p.name} Pending: its host port 8080 is offered by no agent (why: ./bin/run.js diagnose pod ${p.name} -n ${p.namespace})`);
      out('  try: ./bin/run.js get agents -o wide; ./bin/run.js get tasks -A; ./bin/run.js describe agent agent-1');
    }
    if (orphans) printOrphans(orphans);
  }
  return 0;
}

function printOrphans(o) {
  out(
    `Orphans (the seed's scenario): the k8sm executor ${o.executorId} on ${o.agent} was shut down with executor_shutdown_grace_period ${o.gracePeriodSeconds}s;`,
  );
  if (o.end === 'exited') {
    out('  it stopped every pod container in time: no orphan.');
    return;
  }
  out(
    `  the agent killed it ${o.end === 'killed' ? `after ${o.gracePeriodSeconds}s` : '(the executor gave up after 15s)'}; ${o.running.length} pod container(s) it never reached keep running${o.interrupted ? ', 1 more was being stopped (dockerd finishes that stop: exited)' : ''},`,
  );
  out(`  marked MESOS_EXECUTOR_CONTAINER_UUID=${o.executorContainerId}; pods deleted as k8sm's scheduler does: ${o.deletedPods.join(', ') || '-'}`);
  out(`  try: ./bin/run.js get orphans --docker-endpoints ${o.dockerEndpointsFile}`);
  out(`       ./bin/run.js delete orphans --dry-run --docker-endpoints ${o.dockerEndpointsFile}`);
}

async function orphans(stack) {
  const info = await readInfo(stack);
  if (!info) {
    err(`The test stack is not up (no ${rel(infoFile)}): npm run stack:up first.`);
    return 1;
  }
  if (!info.mesos) {
    err('The test stack runs without the Mesos simulator (--no-mesos): no k8sm executor to shut down.');
    return 1;
  }
  const o = await stack.seedOrphans(info, option('--agent') ? { agent: option('--agent') } : {});
  if (flag('--json')) out(JSON.stringify(o, null, 2));
  else printOrphans(o);
  return 0;
}

async function down(stack) {
  const info = await readInfo(stack);
  if (!info) {
    out(`The test stack is not up (no ${rel(infoFile)}).`);
    return 0;
  }
  const r = await stack.stopStack(info);
  rmSync(infoFile, { force: true });
  out(`Stopped in ${(r.stopMs / 1000).toFixed(1)} s; removed ${info.dir}${r.removed ? '' : ' (NOT removed: check it)'}.`);
  return r.removed ? 0 : 1;
}

async function status(stack) {
  const info = await readInfo(stack);
  if (!info) {
    out(`The test stack is not up (no ${rel(infoFile)}).`);
    return 3;
  }
  if (stack.isStarting(info)) {
    out(`The test stack is starting or its start was interrupted (folder ${info.dir}); 'npm run stack:down' cleans up.`);
    return 3;
  }
  const st = await stack.stackStatus(info);
  if (flag('--json')) {
    out(JSON.stringify(st, null, 2));
    return st.up ? 0 : 1;
  }
  out(`The test stack is ${st.up ? 'up' : 'DEGRADED'} (${info.dir}).`);
  for (const p of st.processes)
    out(`  ${p.name.padEnd(16)} pid ${String(p.pid).padEnd(8)} ${p.alive ? `running  ${String(p.rssMiB).padStart(5)} MiB` : 'GONE'}   ${p.log}`);
  out(`  total ${st.totalRssMiB} MiB resident`);
  out(
    `  answering: ${Object.entries(st.checks)
      .map(([k, v]) => `${k} ${v ? 'ok' : 'NO'}`)
      .join(', ')}`,
  );
  return st.up ? 0 : 1;
}

async function env(stack) {
  const info = await readInfo(stack);
  if (!info || stack.isStarting(info)) {
    err('The test stack is not up: npm run stack:up');
    return 3;
  }
  for (const l of envLines(info)) out(l);
  return 0;
}

const commands = { up, down, status, env, orphans };
if (!commands[cmd]) {
  usage();
  process.exit(cmd === 'help' || cmd === '--help' ? 0 : 2);
}
try {
  const stack = await loadStack();
  process.exitCode = await commands[cmd](stack);
} catch (e) {
  err(`error: ${e?.message ?? e}`);
  process.exitCode = 1;
}
