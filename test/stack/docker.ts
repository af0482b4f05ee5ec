/**
 * Real Docker engines, one per simulated Mesos agent: engine i listens on 127.0.0.(i+1):2375 (another
 * free port on that address if 2375 is taken) and on its own unix socket, with its own data-root,
 * exec-root and config, no bridge and no iptables. The busybox rootfs from provision.sh is imported
 * into each as `busybox:latest` (no registry is reachable).
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { http, isPortFree, pickPort, waitUntil } from './net.js';
import { exitedWhy, isAlive, startDaemon, stopPid, type Daemon } from './proc.js';

export const DOCKER_PORT = 2375;
export const BUSYBOX_IMAGE = 'busybox:latest';

export interface DockerHandle {
  index: number;
  ip: string;
  port: number;
  url: string;
  socket: string;
  dataRoot: string;
  execRoot: string;
  daemon: Daemon;
}

/** The loopback address of engine/agent `index` (1-based): 127.0.0.2 for 1, 127.0.0.3 for 2, ... */
export function agentIp(index: number): string {
  if (index < 1 || index > 250) throw new Error(`agent index out of range: ${index}`);
  return `127.0.0.${index + 1}`;
}

export async function startDockerEngine(index: number, dir: string, logsDir: string): Promise<DockerHandle> {
  const ip = agentIp(index);
  const port = (await isPortFree(ip, DOCKER_PORT)) ? await pickPort(ip, DOCKER_PORT) : await pickPort(ip);
  const base = join(dir, `docker${index}`);
  mkdirSync(base, { recursive: true });
  const dataRoot = join(base, 'data');
  const execRoot = join(base, 'exec');
  const socket = join(base, 'docker.sock');
  const config = join(base, 'daemon.json');
  // Own trust key, so that each engine has its own ID (the default /etc/docker/key.json is shared).
  writeFileSync(config, `${JSON.stringify({ 'deprecated-key-path': join(base, 'key.json') })}\n`);
  const daemon = startDaemon({
    name: `dockerd-${index}`,
    command: 'dockerd',
    args: [
      '--config-file',
      config,
      '-H',
      `tcp://${ip}:${port}`,
      '-H',
      `unix://${socket}`,
      '--data-root',
      dataRoot,
      '--exec-root',
      execRoot,
      '--pidfile',
      join(base, 'docker.pid'),
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-masq=false',
      '--userland-proxy=false',
      '--shutdown-timeout=1',
    ],
    log: join(logsDir, `dockerd-${index}.log`),
  });
  return { index, ip, port, url: `http://${ip}:${port}`, socket, dataRoot, execRoot, daemon };
}

/** Wait for `/_ping`, and check via `/info` that the engine answering uses our data-root. */
export async function waitForDockerEngine(h: DockerHandle, timeoutMs: number): Promise<void> {
  await waitUntil(
    `Docker engine ${h.index} at ${h.url}`,
    async () => {
      const ping = await http(`${h.url}/_ping`, { timeoutMs: 1000 });
      if (ping.status !== 200) return undefined;
      const info = JSON.parse((await http(`${h.url}/info`, { timeoutMs: 3000 })).body) as { DockerRootDir?: string };
      if (info.DockerRootDir !== h.dataRoot) throw new Error(`another Docker engine answers on ${h.url}`);
      return true;
    },
    { timeoutMs, intervalMs: 50, abort: () => exitedWhy(h.daemon) },
  );
}

/** Import a rootfs tarball as an image over the Engine API (`POST /images/create?fromSrc=-`). */
export function importImage(engineUrl: string, tarFile: string, image: string): Promise<void> {
  const [repo, tag = 'latest'] = image.split(':');
  const q = new URLSearchParams({ fromSrc: '-', repo: repo ?? image, tag });
  q.append('changes', 'CMD ["/bin/sh"]');
  q.append('changes', 'ENV PATH=/bin');
  return new Promise((resolve, reject) => {
    const req = request(
      `${engineUrl}/images/create?${q.toString()}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-tar', 'Content-Length': String(statSync(tarFile).size) },
        timeout: 60_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || /"error"/.test(body)) {
            reject(new Error(`import ${image} into ${engineUrl}: HTTP ${res.statusCode} ${body.slice(0, 200)}`));
          } else resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`import ${image} into ${engineUrl}: timeout`)));
    req.on('error', reject);
    createReadStream(tarFile).on('error', reject).pipe(req);
  });
}

/** The PID of the containerd that dockerd started for itself (from its exec-root), if any. */
export function managedContainerdPid(execRoot: string): number | undefined {
  const f = join(execRoot, 'containerd', 'containerd.pid');
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/**
 * Stop an engine quickly: kill its running containers over the API (dockerd would otherwise wait for
 * each container's stop timeout), then stop dockerd and its containerd by PID.
 */
export async function stopDockerEngine(e: { url: string; pid: number; containerdPid?: number }, mustMention: string): Promise<void> {
  if (isAlive(e.pid)) {
    try {
      const list = JSON.parse((await http(`${e.url}/containers/json`, { timeoutMs: 2000 })).body) as { Id: string }[];
      await Promise.all(list.map((c) => http(`${e.url}/containers/${c.Id}/kill`, { method: 'POST', timeoutMs: 5000 }).catch(() => undefined)));
    } catch {
      /* engine not answering: the stray sweep kills what is left */
    }
  }
  await stopPid(e.pid, { graceMs: 8000, mustMention });
  if (e.containerdPid) await stopPid(e.containerdPid, { graceMs: 3000, mustMention });
}
