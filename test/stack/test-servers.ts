/**
 * One real server for one integration test file, from the test stack's own pieces (the same commands,
 * flags and readiness checks as `npm run stack:up`): each in its own temp folder, on free loopback
 * ports, started and waited for here; `stop()` stops it by PID and removes the folder.
 *
 *   const zk = await startTestZooKeeper();        // zk.connect: '127.0.0.1:<port>'
 *   const docker = await startTestDockerEngine(200); // 127.0.0.201, busybox:latest imported
 *   const kube = await startTestKubeApiserver();  // etcd + kube-apiserver, admin and limited users
 *   ...
 *   await zk.stop();
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiserver, waitForApiserver, type ApiserverHandle, type TokenUser } from './apiserver.js';
import { BUSYBOX_IMAGE, importImage, managedContainerdPid, startDockerEngine, stopDockerEngine, waitForDockerEngine } from './docker.js';
import { startEtcd, waitForEtcd } from './etcd.js';
import { applyAccess, makeUsers } from './kube-access.js';
import { http, waitUntil } from './net.js';
import { makePki } from './pki.js';
import { prereqPaths } from './prereqs.js';
import { killStrays, mountsUnder, stopPid } from './proc.js';
import type { PkiInfo } from './types.js';
import { startZooKeeper, waitForZooKeeper, type ZooKeeperHandle } from './zookeeper.js';

interface TestServer {
  /** The server's temp folder (data, config, `logs/`). */
  dir: string;
  /** Stops the server (and what it started) by PID and removes `dir`. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** A temp folder with `logs/`, and a stop() that runs `stops` then removes the folder; started by `start`. */
async function inTempDir<T extends object>(
  prefix: string,
  start: (dir: string, logsDir: string, onStop: (f: () => Promise<unknown>) => void) => Promise<T>,
): Promise<T & TestServer> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir);
  const stops: Array<() => Promise<unknown>> = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const f of stops.reverse()) await f();
    await killStrays(dir);
    for (const m of mountsUnder(dir)) await run('umount', ['-l', m]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const server = await start(dir, logsDir, (f) => stops.push(f));
    return Object.assign(server, { dir, stop });
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface TestZooKeeper extends TestServer {
  host: string;
  port: number;
  /** `127.0.0.1:<port>`, for ZooKeeper clients and `zk://` URLs. */
  connect: string;
  handle: ZooKeeperHandle;
}

/** A standalone ZooKeeper (Debian's), ready (`ruok` → `imok`, our dataDir). */
export function startTestZooKeeper(opts: { timeoutMs?: number } = {}): Promise<TestZooKeeper> {
  return inTempDir('k8smctl-test-zk-', async (dir, logsDir, onStop) => {
    const handle = await startZooKeeper(dir, logsDir);
    onStop(() => stopPid(handle.daemon.pid, { mustMention: dir }));
    await waitForZooKeeper(handle, opts.timeoutMs ?? 30_000);
    return { host: handle.host, port: handle.port, connect: `${handle.host}:${handle.port}`, handle };
  });
}

export interface TestDockerEngine extends TestServer {
  ip: string;
  port: number;
  /** `http://<ip>:<port>` */
  url: string;
  socket: string;
}

/**
 * A Docker engine on 127.0.0.(index+1) (port 2375, or a free one there), with `busybox:latest`
 * imported from the provisioned rootfs. Its containers are killed and containerd stopped on stop().
 */
export function startTestDockerEngine(index: number, opts: { timeoutMs?: number } = {}): Promise<TestDockerEngine> {
  return inTempDir('k8smctl-test-docker-', async (dir, logsDir, onStop) => {
    const h = await startDockerEngine(index, dir, logsDir);
    onStop(() => stopDockerEngine({ url: h.url, pid: h.daemon.pid, containerdPid: managedContainerdPid(h.execRoot) }, dir));
    await waitForDockerEngine(h, opts.timeoutMs ?? 30_000);
    await importImage(h.url, prereqPaths().busyboxTar, BUSYBOX_IMAGE);
    return { ip: h.ip, port: h.port, url: h.url, socket: h.socket };
  });
}

export interface TestKubeApiserver extends TestServer {
  url: string;
  pki: PkiInfo;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  /** In system:masters. */
  admin: TokenUser;
  /** May get/list/watch pods in team-a only (see kube-access.ts). */
  limited: TokenUser;
  /** For `createObject` (apiserver.ts). */
  handle: ApiserverHandle;
}

/**
 * etcd + kube-apiserver v1.20.2 (TLS, RBAC, token users admin and limited, namespaces team-a and
 * team-b), ready: `/readyz` answers and the `default` namespace exists.
 */
export function startTestKubeApiserver(opts: { timeoutMs?: number } = {}): Promise<TestKubeApiserver> {
  return inTempDir('k8smctl-test-kube-', async (dir, logsDir, onStop) => {
    const timeoutMs = opts.timeoutMs ?? 90_000;
    // (stopped in reverse order: the apiserver, then etcd; anything else in `dir` by the stray sweep)
    const [pki, etcd] = await Promise.all([makePki(join(dir, 'pki'), []), startEtcd(dir, logsDir)]);
    onStop(() => stopPid(etcd.daemon.pid, { mustMention: dir }));
    await waitForEtcd(etcd, 30_000);
    const { admin, limited } = makeUsers();
    const h = await startApiserver({ binary: prereqPaths().apiserver, dir: join(dir, 'apiserver'), logsDir, pki, etcdUrl: etcd.url, users: [admin, limited] });
    onStop(() => stopPid(h.daemon.pid, { mustMention: dir }));
    await waitForApiserver(h, timeoutMs);
    await waitUntil(
      'the default namespace',
      async () => ((await http(`${h.url}/api/v1/namespaces/default`, { ca: h.caPem, token: h.adminToken })).status === 200 ? true : undefined),
      { timeoutMs },
    );
    await applyAccess(h, limited.name);
    return { url: h.url, pki, caPem: readFileSync(pki.caCert, 'utf8'), admin, limited, handle: h };
  });
}
