/** etcd for the test stack's kube-apiserver: one member on loopback, data in the stack's folder. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { http, pickPort, waitUntil } from './net.js';
import { exitedWhy, startDaemon, type Daemon } from './proc.js';

export interface EtcdHandle {
  daemon: Daemon;
  url: string;
  name: string;
}

/** Start etcd (client and peer ports picked free on 127.0.0.1). Does not wait: see `waitForEtcd`. */
export async function startEtcd(dir: string, logsDir: string): Promise<EtcdHandle> {
  const clientPort = await pickPort('127.0.0.1');
  const peerPort = await pickPort('127.0.0.1');
  const name = `k8sm-${process.pid}-${clientPort}`;
  const dataDir = join(dir, 'etcd');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const daemon = startDaemon({
    name: 'etcd',
    command: 'etcd',
    args: [
      '--name',
      name,
      '--data-dir',
      dataDir,
      '--listen-client-urls',
      client,
      '--advertise-client-urls',
      client,
      '--listen-peer-urls',
      peer,
      '--initial-advertise-peer-urls',
      peer,
      '--initial-cluster',
      `${name}=${peer}`,
      '--initial-cluster-state',
      'new',
      '--logger',
      'zap',
      '--log-outputs',
      'stderr',
    ],
    log: join(logsDir, 'etcd.log'),
  });
  return { daemon, url: client, name };
}

/** Wait for `/health` and check that the member answering is ours (not some other etcd on the port). */
export async function waitForEtcd(h: EtcdHandle, timeoutMs: number): Promise<void> {
  await waitUntil(
    `etcd at ${h.url}`,
    async () => {
      const health = await http(`${h.url}/health`, { timeoutMs: 1000 });
      if (health.status !== 200 || !/"health":\s*"true"/.test(health.body)) return undefined;
      const members = await http(`${h.url}/v3/cluster/member/list`, { method: 'POST', body: '{}', timeoutMs: 1000 });
      if (!members.body.includes(`"${h.name}"`)) throw new Error(`another etcd answers on ${h.url}`);
      return true;
    },
    { timeoutMs, intervalMs: 50, abort: () => exitedWhy(h.daemon) },
  );
}
