/**
 * The few Docker Engine API calls the k8sm executor behaviour needs (reference §3.3), over plain
 * `node:http` to a unix socket or a TCP endpoint. Not dockerode: dockerode pulls in ssh2 and its
 * native `.node` modules, which an esbuild bundle of the simulator (how the stack runs it) cannot
 * carry. Unversioned paths: the daemon answers with its own API version.
 */
import { request } from 'node:http';
import type { DockerEndpoint } from './types.js';

export class DockerApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  Labels: Record<string, string>;
  State: string;
  Status: string;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Config: { Env: string[] | null; Labels: Record<string, string> | null; Image: string; Cmd: string[] | null };
  State: { Status: string; Running: boolean; Pid: number };
  HostConfig: { NetworkMode: string };
}

export interface CreateContainerBody {
  Image: string;
  Cmd?: string[];
  Env?: string[];
  Labels?: Record<string, string>;
  HostConfig?: { NetworkMode?: string };
}

export class DockerApi {
  constructor(readonly endpoint: DockerEndpoint) {}

  private call(method: string, path: string, body?: unknown, timeoutMs = 30000, signal?: AbortSignal): Promise<{ status: number; body: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const target = 'socketPath' in this.endpoint ? { socketPath: this.endpoint.socketPath } : { host: this.endpoint.host, port: this.endpoint.port };
    return new Promise((resolve, reject) => {
      const req = request(
        {
          ...target,
          method,
          path,
          headers: {
            Host: 'docker',
            ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
          },
          timeout: timeoutMs,
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`Docker ${method} ${path}: timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private async ok(method: string, path: string, body: unknown, okStatus: number[], timeoutMs?: number, signal?: AbortSignal): Promise<string> {
    const res = await this.call(method, path, body, timeoutMs, signal);
    if (!okStatus.includes(res.status)) {
      let message = res.body;
      try {
        message = (JSON.parse(res.body) as { message?: string }).message ?? res.body;
      } catch {
        /* plain text */
      }
      throw new DockerApiError(`Docker ${method} ${path}: HTTP ${res.status} ${message.trim()}`, res.status);
    }
    return res.body;
  }

  async ping(): Promise<boolean> {
    const res = await this.call('GET', '/_ping', undefined, 3000);
    return res.status === 200;
  }

  /** `POST /containers/create?name=` → the new container's ID. */
  async createContainer(name: string, body: CreateContainerBody): Promise<string> {
    const out = await this.ok('POST', `/containers/create?name=${encodeURIComponent(name)}`, body, [201]);
    return (JSON.parse(out) as { Id: string }).Id;
  }

  async startContainer(id: string): Promise<void> {
    await this.ok('POST', `/containers/${encodeURIComponent(id)}/start`, undefined, [204, 304]);
  }

  async listContainers(opts: { all?: boolean; filters?: Record<string, string[]> } = {}): Promise<ContainerSummary[]> {
    const q = new URLSearchParams();
    if (opts.all) q.set('all', '1');
    if (opts.filters) q.set('filters', JSON.stringify(opts.filters));
    const qs = q.toString();
    return JSON.parse(await this.ok('GET', `/containers/json${qs ? `?${qs}` : ''}`, undefined, [200])) as ContainerSummary[];
  }

  async inspectContainer(id: string): Promise<ContainerInspect> {
    return JSON.parse(await this.ok('GET', `/containers/${encodeURIComponent(id)}/json`, undefined, [200])) as ContainerInspect;
  }

  /**
   * `POST /containers/{id}/stop?t=` (SIGTERM, SIGKILL after `seconds`); 304 (already stopped) and
   * 404 (gone) are fine. `signal` aborts the request (the caller died): dockerd finishes the stop anyway.
   */
  async stopContainer(id: string, seconds: number, signal?: AbortSignal): Promise<void> {
    const t = Math.max(0, Math.round(seconds));
    await this.ok('POST', `/containers/${encodeURIComponent(id)}/stop?t=${t}`, undefined, [204, 304, 404], (t + 60) * 1000, signal);
  }

  /** `DELETE /containers/{id}?force=1&v=1`; a container already gone is fine. */
  async removeContainer(id: string): Promise<void> {
    await this.ok('DELETE', `/containers/${encodeURIComponent(id)}?force=1&v=1`, undefined, [204, 404]);
  }
}
