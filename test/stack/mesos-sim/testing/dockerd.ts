/**
 * A real Docker engine for tests (Debian's docker.io, as root), isolated in a temporary folder:
 *
 *   dockerd -H tcp://<ip>:<port> -H unix://<dir>/d.sock --data-root <dir>/data --exec-root <dir>/exec
 *           --pidfile <dir>/d.pid --bridge=none --iptables=false --shutdown-timeout=1
 *
 * (`--shutdown-timeout=1`: the busybox `sleep` containers ignore SIGTERM as PID 1, so a stop would
 * otherwise wait 15 s.) Ready when `/_ping` answers (~2 s). busybox comes from a rootfs tar imported
 * with `POST /images/create?fromSrc=-&repo=busybox&tag=latest`. Stopped by PID, folder removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerApi } from '../docker-api.js';
import { freePort, stopPid, waitFor } from './proc.js';

export const BUSYBOX_ROOTFS_TAR = join(homedir(), '.cache', 'k8smctl', 'busybox-rootfs.tar');

export interface DockerdServer {
  ip: string;
  port: number;
  socketPath: string;
  dir: string;
  pid: number;
  log: string;
  api: DockerApi;
  stop(): Promise<void>;
}

export function dockerdAvailable(): boolean {
  return existsSync('/usr/sbin/dockerd') || existsSync('/usr/bin/dockerd');
}

export async function startDockerd(opts: { ip: string; port?: number; timeoutMs?: number }): Promise<DockerdServer> {
  const port = opts.port ?? (await freePort(opts.ip));
  const dir = mkdtempSync(join(tmpdir(), 'mesos-sim-dockerd-'));
  const socketPath = join(dir, 'd.sock');
  const log = join(dir, 'dockerd.log');
  const fd = openSync(log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'dockerd',
      [
        '-H',
        `tcp://${opts.ip}:${port}`,
        '-H',
        `unix://${socketPath}`,
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'exec'),
        '--pidfile',
        join(dir, 'd.pid'),
        '--bridge=none',
        '--iptables=false',
        '--shutdown-timeout=1',
      ],
      { stdio: ['ignore', fd, fd] },
    );
  } finally {
    closeSync(fd);
  }
  const pid = child.pid as number;
  const api = new DockerApi({ socketPath });
  const stop = async (): Promise<void> => {
    await stopPid(pid, 20000, child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `dockerd on ${opts.ip}:${port}`,
      async () => ((await api.ping()) ? true : undefined),
      opts.timeoutMs ?? 30000,
      () => (child.exitCode !== null ? `exited (${child.exitCode}): ${readFileSync(log, 'utf8').slice(-2000)}` : undefined),
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { ip: opts.ip, port, socketPath, dir, pid, log, api, stop };
}

/** Imports a rootfs tar as `<repo>:<tag>` (the engine cannot pull: no registry is reachable). */
export function importImage(socketPath: string, tarPath = BUSYBOX_ROOTFS_TAR, repo = 'busybox', tag = 'latest'): Promise<void> {
  const tar = readFileSync(tarPath);
  const q = new URLSearchParams({ fromSrc: '-', repo, tag, changes: 'ENV PATH=/bin' });
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method: 'POST', path: `/images/create?${q.toString()}`, headers: { Host: 'docker', 'Content-Type': 'application/x-tar', 'Content-Length': String(tar.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || /"error"/.test(body)) reject(new Error(`importing ${tarPath}: HTTP ${res.statusCode} ${body.slice(0, 500)}`));
          else resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(tar);
  });
}
