/**
 * The k8smctl test stack: real etcd + kube-apiserver, real Docker engines (one per simulated agent),
 * real ZooKeeper, and the Mesos simulator, all on loopback, on free ports, with every file under one
 * temp folder, every server stopped by PID.
 *
 *   const info = await startStack({ agents: 3 });   // writes info.infoFile (stack.json)
 *   ...
 *   await stopStack(info);
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startApiserver, waitForApiserver } from './apiserver.js';
import {
  agentIp,
  BUSYBOX_IMAGE,
  importImage,
  managedContainerdPid,
  startDockerEngine,
  stopDockerEngine,
  waitForDockerEngine,
  type DockerHandle,
} from './docker.js';
import { startEtcd, waitForEtcd } from './etcd.js';
import { applyAccess, CLUSTER_NAME, contextName, kubeconfigPaths, LIMITED_NAMESPACE, makeUsers, NAMESPACES, writeKubeconfig } from './kube-access.js';
import { startMesosSimulatorProcess } from './mesos.js';
import { fourLetterWord, http } from './net.js';
import { makePki } from './pki.js';
import { checkPrereqs, KUBE_VERSION } from './prereqs.js';
import { isAlive, killStrays, mountsUnder, rssKiB, stopPid, type Daemon } from './proc.js';
import { STACK_INFO_VERSION, type DockerEngineInfo, type StackInfo, type StackProcess, type StartStackOptions } from './types.js';
import { startZooKeeper, waitForZooKeeper } from './zookeeper.js';

export type { StackInfo, StartStackOptions } from './types.js';
export { seedDemo, seedOrphans, writeDockerEndpoints, type DemoSummary, type OrphanSummary } from './demo.js';

/** Marker file in every stack folder: `stopStack` only deletes folders that carry it. */
const MARKER = '.k8smctl-stack';
const DIR_PREFIX = 'k8smctl-stack-';

const run = promisify(execFile);

export function defaultProjectRoot(): string {
  // This file is test/stack/stack.ts (or a bundle of it under .stack/): walk up to package.json.
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'test', 'stack'))) return d;
    d = dirname(d);
  }
  return process.cwd();
}

/** Written while starting, so that a crash mid-start can still be cleaned up by `stopStack`. */
interface PartialStack {
  version: typeof STACK_INFO_VERSION;
  state: 'starting';
  dir: string;
  infoFile: string;
  processes: StackProcess[];
  docker: Pick<DockerEngineInfo, 'url'>[];
}

export type StoppableStack = Pick<StackInfo, 'dir' | 'processes'> & { docker?: Pick<DockerEngineInfo, 'url'>[] };

function writeJsonAtomic(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Start the whole stack. On any failure everything already started is stopped and the error rethrown. */
export async function startStack(opts: StartStackOptions = {}): Promise<StackInfo> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const n = opts.agents ?? 3;
  if (!Number.isInteger(n) || n < 1 || n > 250) throw new Error(`startStack: agents must be 1..250, got ${n}`);
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const withMesos = opts.mesos ?? true;
  const prereqs = checkPrereqs();
  const projectRoot = opts.projectRoot ?? defaultProjectRoot();

  const dir = mkdtempSync(join(opts.tmpRoot ?? tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, MARKER), `${process.pid}\n`);
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir);
  const infoFile = resolve(opts.infoFile ?? join(dir, 'stack.json'));
  const timings: Record<string, number> = {};
  const mark = (what: string) => {
    timings[what] = Date.now() - t0;
    log(`${what} ready (${(timings[what] / 1000).toFixed(1)} s)`);
  };

  const processes: StackProcess[] = [];
  const dockerUrls: { url: string }[] = [];
  const daemons: Daemon[] = [];
  const track = (d: Daemon) => {
    daemons.push(d);
    processes.push({ name: d.name, pid: d.pid, log: d.log });
    writeJsonAtomic(infoFile, { version: STACK_INFO_VERSION, state: 'starting', dir, infoFile, processes, docker: dockerUrls } satisfies PartialStack);
    return d;
  };

  log(`starting in ${dir}`);
  try {
    const users = makeUsers();
    const ips = Array.from({ length: n }, (_, i) => agentIp(i + 1));
    // The apiserver is the slowest to be ready (~5 s): it starts first, as soon as its certs exist,
    // together with etcd (it waits for etcd by itself); the rest start while it boots.
    const pki = await makePki(join(dir, 'pki'), ips);
    mark('pki');
    const etcd = await startEtcd(dir, logsDir);
    track(etcd.daemon);
    const api = await startApiserver({
      binary: prereqs.apiserver,
      dir: join(dir, 'apiserver'),
      logsDir,
      pki,
      etcdUrl: etcd.url,
      users: [users.admin, users.limited],
    });
    track(api.daemon);
    // Its boot is CPU-bound (OpenAPI, bootstrap policy) and the critical path: let it go first while
    // the others start, back to normal once ready.
    setNice(api.daemon.pid, -10);
    const zk = await startZooKeeper(dir, logsDir);
    track(zk.daemon);
    const dockers: DockerHandle[] = [];
    for (let i = 1; i <= n; i++) {
      const d = await startDockerEngine(i, dir, logsDir);
      dockers.push(d);
      dockerUrls.push({ url: d.url });
      track(d.daemon);
    }

    const kubeDir = join(dir, 'kube');
    const kc = kubeconfigPaths(kubeDir);
    const etcdReady = waitForEtcd(etcd, timeoutMs).then(() => mark('etcd'));
    const kubeReady = (async () => {
      await waitForApiserver(api, timeoutMs);
      setNice(api.daemon.pid, 0);
      mark('kube-apiserver');
      await applyAccess(api, users.limited.name);
      mkdirSync(kubeDir, { recursive: true });
      const admin = { name: users.admin.name, context: contextName(users.admin.name), token: users.admin.token };
      const limited = { name: users.limited.name, context: contextName(users.limited.name), token: users.limited.token, namespace: LIMITED_NAMESPACE };
      writeKubeconfig(kc.admin, api.url, pki.caCert, [admin]);
      writeKubeconfig(kc.limited, api.url, pki.caCert, [limited]);
      writeKubeconfig(kc.combined, api.url, pki.caCert, [admin, limited]);
      writeKubeconfig(kc.certAdmin, api.url, pki.caCert, [
        { name: 'cert-admin', context: contextName('cert-admin'), clientCert: pki.clientCert, clientKey: pki.clientKey },
      ]);
      mark('rbac+kubeconfig');
    })();
    const zkReady = waitForZooKeeper(zk, timeoutMs).then(() => mark('zookeeper'));
    const dockersReady = Promise.all(
      dockers.map(async (d) => {
        await waitForDockerEngine(d, timeoutMs);
        const cpid = managedContainerdPid(d.execRoot);
        if (cpid) processes.push({ name: `containerd-${d.index}`, pid: cpid, log: d.daemon.log });
        await importImage(d.url, prereqs.busyboxTar, BUSYBOX_IMAGE);
        mark(`docker-${d.index}`);
      }),
    );
    const mesosReady = withMesos
      ? (async () => {
          await Promise.all([zkReady, dockersReady]);
          const sim = await startMesosSimulatorProcess({
            projectRoot,
            dir,
            logsDir,
            timeoutMs,
            zk: { host: zk.host, port: zk.port },
            dockers,
            pki,
            kube: { url: api.url, caFile: pki.caCert, token: users.admin.token, ready: kubeReady },
            onDaemon: (d) => void track(d),
          });
          mark('mesos-sim');
          return sim;
        })()
      : Promise.resolve(undefined);

    const results = await Promise.allSettled([etcdReady, kubeReady, zkReady, dockersReady, mesosReady]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const mesos = (results[4] as PromiseFulfilledResult<Awaited<typeof mesosReady>>).value;

    const info: StackInfo = {
      version: STACK_INFO_VERSION,
      startedAt: new Date().toISOString(),
      startMs: Date.now() - t0,
      timings,
      dir,
      logsDir,
      infoFile,
      pki,
      kube: {
        url: api.url,
        version: KUBE_VERSION,
        caFile: pki.caCert,
        clusterName: CLUSTER_NAME,
        admin: { name: users.admin.name, token: users.admin.token, groups: users.admin.groups, kubeconfig: kc.admin, context: contextName(users.admin.name) },
        limited: {
          name: users.limited.name,
          token: users.limited.token,
          groups: users.limited.groups,
          kubeconfig: kc.limited,
          context: contextName(users.limited.name),
        },
        kubeconfig: kc.combined,
        certAdminKubeconfig: kc.certAdmin,
        namespaces: [...NAMESPACES],
        limitedNamespace: LIMITED_NAMESPACE,
        etcdUrl: etcd.url,
      },
      docker: dockers.map((d) => ({
        index: d.index,
        agent: `agent-${d.index}`,
        ip: d.ip,
        port: d.port,
        host: `tcp://${d.ip}:${d.port}`,
        url: d.url,
        socket: d.socket,
        dataRoot: d.dataRoot,
        images: [BUSYBOX_IMAGE],
      })),
      zookeeper: { connect: `${zk.host}:${zk.port}`, host: zk.host, port: zk.port, dataDir: zk.dataDir },
      ...(mesos ? { mesos: mesos.info } : {}),
      processes,
      env: {
        KUBECONFIG: kc.combined,
        ...(mesos ? { MESOS_MASTER: mesos.info.leaderUrl } : {}),
      },
    };
    timings.total = info.startMs;
    writeJsonAtomic(infoFile, info);
    log(`stack up in ${(info.startMs / 1000).toFixed(1)} s`);
    return info;
  } catch (err) {
    log(`start failed: ${(err as Error).message}; stopping what was started`);
    // Keep the logs (outside the folder that is removed), and say where they are.
    const kept = `${dir}-failed-logs`;
    try {
      cpSync(logsDir, kept, { recursive: true });
    } catch {
      /* best effort */
    }
    await stopStack({ dir, processes, docker: dockerUrls }).catch(() => undefined);
    rmSync(infoFile, { force: true });
    if (err instanceof Error && existsSync(kept)) err.message = `${err.message.split(logsDir).join(kept)}`;
    throw err;
  }
}

function setNice(pid: number, nice: number): void {
  try {
    setPriority(pid, nice);
  } catch {
    /* not permitted: no matter */
  }
}

export interface StopResult {
  stopMs: number;
  /** Processes found by folder (containerd shims, containers) and killed after the recorded PIDs. */
  strays: number;
  removed: boolean;
}

/** Stop every server of the stack by PID, sweep what they left, unmount and remove the temp folder. */
export async function stopStack(info: StoppableStack): Promise<StopResult> {
  const t0 = Date.now();
  const dir = info.dir;
  const ours = (p: StackProcess) => ({ mustMention: dir, pid: p.pid });
  const byName = (re: RegExp) => info.processes.filter((p) => re.test(p.name));

  // The simulator first: it must not act on engines that are going away.
  await Promise.all(byName(/^mesos/).map((p) => stopPid(p.pid, { graceMs: 3000, ...ours(p) })));
  const engines = byName(/^dockerd-\d+$/).map((p) => {
    const i = Number(p.name.split('-')[1]);
    const containerd = info.processes.find((q) => q.name === `containerd-${i}`);
    return { pid: p.pid, url: info.docker?.[i - 1]?.url ?? '', containerdPid: containerd?.pid };
  });
  await Promise.all([
    ...engines.map((e) => stopDockerEngine(e, dir)),
    ...byName(/^(kube-apiserver|etcd|zookeeper)$/).map((p) => stopPid(p.pid, { graceMs: 5000, ...ours(p) })),
  ]);
  // Anything else still running from this folder (containerd shims, their containers, an unrecorded PID).
  const rest = info.processes.filter((p) => isAlive(p.pid));
  await Promise.all(rest.map((p) => stopPid(p.pid, { graceMs: 1000, ...ours(p) })));
  const strays = await killStrays(dir);

  let removed = false;
  if (existsSync(join(dir, MARKER)) && basename(dir).startsWith(DIR_PREFIX)) {
    for (const m of mountsUnder(dir)) await run('umount', ['-l', m]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    removed = !existsSync(dir);
  }
  return { stopMs: Date.now() - t0, strays, removed };
}

export function readStackInfo(file: string): StackInfo | PartialStack {
  const data = JSON.parse(readFileSync(file, 'utf8')) as StackInfo | PartialStack;
  if (data.version !== STACK_INFO_VERSION || typeof data.dir !== 'string' || !Array.isArray(data.processes)) {
    throw new Error(`${file} is not a k8smctl stack description`);
  }
  return data;
}

export function isStarting(info: StackInfo | PartialStack): info is PartialStack {
  return (info as PartialStack).state === 'starting';
}

export interface ProcessStatus extends StackProcess {
  alive: boolean;
  rssMiB: number;
}

export interface StackStatus {
  up: boolean;
  processes: ProcessStatus[];
  checks: Record<string, boolean>;
  totalRssMiB: number;
}

/** Are the recorded processes alive, do the servers answer, how much memory do they hold. */
export async function stackStatus(info: StackInfo): Promise<StackStatus> {
  const processes = info.processes.map((p) => {
    const alive = isAlive(p.pid);
    return { ...p, alive, rssMiB: alive ? Math.round(rssKiB(p.pid) / 1024) : 0 };
  });
  const ok = async (f: () => Promise<boolean>) => f().catch(() => false);
  const ca = existsSync(info.kube.caFile) ? readFileSync(info.kube.caFile) : undefined;
  const checks: Record<string, boolean> = {};
  const entries: [string, Promise<boolean>][] = [
    ['kube-apiserver', ok(async () => (await http(`${info.kube.url}/readyz`, { ca, token: info.kube.admin.token, timeoutMs: 2000 })).status === 200)],
    ['etcd', ok(async () => (await http(`${info.kube.etcdUrl}/health`, { timeoutMs: 2000 })).status === 200)],
    ['zookeeper', ok(async () => (await fourLetterWord(info.zookeeper.host, info.zookeeper.port, 'ruok')) === 'imok')],
    ...info.docker.map((d): [string, Promise<boolean>] => [
      `docker-${d.index}`,
      ok(async () => (await http(`${d.url}/_ping`, { timeoutMs: 2000 })).status === 200),
    ]),
    ...(info.mesos?.masters ?? []).map((m, i): [string, Promise<boolean>] => [
      `mesos-master-${i + 1}`,
      ok(async () => [200, 307].includes((await http(`${m.url}/state`, { timeoutMs: 2000 })).status)),
    ]),
  ];
  for (const [k, p] of entries) checks[k] = await p;
  return {
    up: processes.every((p) => p.alive) && Object.values(checks).every(Boolean),
    processes,
    checks,
    totalRssMiB: processes.reduce((s, p) => s + p.rssMiB, 0),
  };
}
