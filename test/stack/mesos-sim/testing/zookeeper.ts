/**
 * A real ZooKeeper (Debian's `zookeeper` 3.8 package) for tests: standalone, on a free loopback
 * port, data in a temporary folder, stopped by PID, folder removed. The command that works here:
 *
 *   java -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar \
 *        -Dzookeeper.admin.enableServer=false \
 *        org.apache.zookeeper.server.ZooKeeperServerMain <dir>/zoo.cfg
 *
 * with zoo.cfg holding tickTime, dataDir, clientPort, clientPortAddress=127.0.0.1 and
 * `4lw.commands.whitelist=ruok,srvr`. zookeeper.jar's manifest carries the rest of its class path
 * (/usr/share/java/*.jar). Ready when `ruok` answers `imok` (about 1 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopPid, tcpAsk, waitFor } from './proc.js';

export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const SLF4J_SIMPLE = '/usr/share/java/slf4j-simple.jar';

export interface ZooKeeperServer {
  host: string;
  port: number;
  /** `127.0.0.1:<port>`, for clients and `zk://` URLs. */
  connect: string;
  dir: string;
  pid: number;
  log: string;
  stop(): Promise<void>;
}

export function zooKeeperInstalled(): boolean {
  return existsSync(ZOOKEEPER_JAR);
}

export async function startZooKeeper(opts: { host?: string; port?: number; timeoutMs?: number } = {}): Promise<ZooKeeperServer> {
  if (!zooKeeperInstalled()) throw new Error(`ZooKeeper is not installed (${ZOOKEEPER_JAR}): apt-get install zookeeper`);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const dir = mkdtempSync(join(tmpdir(), 'mesos-sim-zk-'));
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    [
      'tickTime=2000',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      `clientPortAddress=${host}`,
      'maxClientCnxns=0',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr',
      '',
    ].join('\n'),
  );
  const log = join(dir, 'zookeeper.log');
  const fd = openSync(log, 'a');
  const classPath = [ZOOKEEPER_JAR, ...(existsSync(SLF4J_SIMPLE) ? [SLF4J_SIMPLE] : [])].join(':');
  let child: ChildProcess;
  try {
    child = spawn(
      'java',
      [
        '-Xms32m',
        '-Xmx128m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Dzookeeper.admin.enableServer=false',
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        '-cp',
        classPath,
        'org.apache.zookeeper.server.ZooKeeperServerMain',
        cfg,
      ],
      { stdio: ['ignore', fd, fd], detached: false },
    );
  } finally {
    closeSync(fd);
  }
  const pid = child.pid as number;
  const stop = async (): Promise<void> => {
    await stopPid(pid, 10000, child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `ZooKeeper on ${host}:${port}`,
      async () => ((await tcpAsk(host, port, 'ruok')) === 'imok' ? true : undefined),
      opts.timeoutMs ?? 30000,
      () => (child.exitCode !== null ? `exited (${child.exitCode}): ${readFileSync(log, 'utf8').slice(-2000)}` : undefined),
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { host, port, connect: `${host}:${port}`, dir, pid, log, stop };
}
