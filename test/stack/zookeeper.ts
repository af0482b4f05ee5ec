/**
 * ZooKeeper standalone (Debian's `zookeeper` package) for `zk://` master detection: one server on a
 * free loopback port, data in the stack's folder, started directly with java (no init scripts).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fourLetterWord, pickPort, waitUntil } from './net.js';
import { exitedWhy, startDaemon, type Daemon } from './proc.js';

export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const SLF4J_SIMPLE = '/usr/share/java/slf4j-simple.jar';

export interface ZooKeeperHandle {
  daemon: Daemon;
  host: string;
  port: number;
  dataDir: string;
}

export async function startZooKeeper(dir: string, logsDir: string): Promise<ZooKeeperHandle> {
  const host = '127.0.0.1';
  const port = await pickPort(host);
  const base = join(dir, 'zookeeper');
  const dataDir = join(base, 'data');
  mkdirSync(dataDir, { recursive: true });
  const cfg = join(base, 'zoo.cfg');
  writeFileSync(
    cfg,
    [
      'tickTime=2000',
      `dataDir=${dataDir}`,
      `clientPort=${port}`,
      `clientPortAddress=${host}`,
      'maxClientCnxns=0',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr,stat,conf,mntr',
      '',
    ].join('\n'),
  );
  // zookeeper.jar's manifest carries its class path; slf4j-simple (if present) gives a readable log.
  const cp = [ZOOKEEPER_JAR, ...(existsSync(SLF4J_SIMPLE) ? [SLF4J_SIMPLE] : []), '/etc/zookeeper/conf'].join(':');
  const daemon = startDaemon({
    name: 'zookeeper',
    command: 'java',
    args: [
      '-Xms32m',
      '-Xmx128m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Xshare:auto',
      '-Dzookeeper.admin.enableServer=false',
      '-Dzookeeper.jmx.log4j.disable=true',
      `-Dzookeeper.datadir.autocreate=true`,
      '-cp',
      cp,
      'org.apache.zookeeper.server.ZooKeeperServerMain',
      cfg,
    ],
    log: join(logsDir, 'zookeeper.log'),
  });
  return { daemon, host, port, dataDir };
}

/** Wait for `ruok` → `imok`, and check with `conf` that the server answering uses our dataDir. */
export async function waitForZooKeeper(h: ZooKeeperHandle, timeoutMs: number): Promise<void> {
  await waitUntil(
    `ZooKeeper at ${h.host}:${h.port}`,
    async () => {
      if ((await fourLetterWord(h.host, h.port, 'ruok', 1000)) !== 'imok') return undefined;
      const conf = await fourLetterWord(h.host, h.port, 'conf', 1000);
      if (!conf.includes(h.dataDir)) throw new Error(`another ZooKeeper answers on ${h.host}:${h.port}`);
      return true;
    },
    { timeoutMs, intervalMs: 50, abort: () => exitedWhy(h.daemon) },
  );
}
