/**
 * One agent's Docker engine through dockerode (reference §3.3, §4.3): one list of the kubelet
 * containers, at most one inspect per container, stop and remove. Every failure is a ClientError
 * (service docker-engine): unreachable, timeout, tls, not-found (404), conflict (409), server.
 * Loaded only by the orphan commands (dynamic import), so no other command pays for dockerode.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ClientError, type ClientErrorKind } from '../errors.js';
import { isKubeletContainer } from '../../core/orphans/kubelet-container.js';
import type { EngineEndpoint } from '../../core/orphans/endpoints.js';
import type { KubeletContainer } from '../../core/orphans/types.js';

export interface DockerTls {
  /** Verify the engine's certificate against ca.pem (DOCKER_TLS_VERIFY / --docker-tls-verify). */
  verify: boolean;
  /** Folder with ca.pem, cert.pem, key.pem (DOCKER_CERT_PATH / --docker-cert-path). */
  certPath: string;
}

export interface DockerEngineOptions {
  endpoint: EngineEndpoint;
  tls?: DockerTls;
  /** Per request, ms. */
  timeoutMs: number;
}

type DockerErr = Error & { statusCode?: number; code?: string; json?: { message?: string } | null };

/** The code of the error `earlyCloseAware` fails a request with. */
const CLOSED_EARLY = 'K8SMCTL_CLOSED_EARLY';

/**
 * `agent` with an eye on each response: docker-modem gathers an answer until its 'end' and never
 * hears of a connection closed mid-body (Node ends such a response with 'close', without 'end' and
 * without an 'error' for a response nobody listens to), so its call hung until the scan's deadline
 * and read as "no answer within 20s". A response closed before it was complete now fails its request
 * at once, through the request's 'error' (which docker-modem hands to the call). A request our side
 * timed out (docker-modem destroys it) is left to its timeout.
 */
function earlyCloseAware<A extends http.Agent>(agent: A): A {
  const a = agent as unknown as { addRequest(req: http.ClientRequest, options: unknown): void };
  const add = a.addRequest.bind(agent);
  a.addRequest = (req, options) => {
    let timedOut = false;
    req.once('timeout', () => (timedOut = true));
    req.once('response', (res: http.IncomingMessage) => {
      res.once('close', () => {
        if (res.complete || timedOut || req.listenerCount('error') === 0) return;
        req.emit('error', Object.assign(new Error('connection closed before the response was complete'), { code: CLOSED_EARLY }));
      });
    });
    add(req, options);
  };
  return agent;
}

/** Node's global agents' settings (what docker-modem used when given none). */
const AGENT_OPTIONS = { keepAlive: true, scheduling: 'lifo', timeout: 5000 } as const;

function kindOf(e: DockerErr): ClientErrorKind {
  if (e.code === CLOSED_EARLY) return 'truncated';
  if (e.statusCode === 404) return 'not-found';
  if (e.statusCode === 409) return 'conflict';
  if (e.statusCode !== undefined && e.statusCode >= 500) return 'server';
  if (e.statusCode !== undefined) return 'rejected';
  const code = e.code ?? '';
  if (code === 'ETIMEDOUT' || /timeout/i.test(e.message)) return 'timeout';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) || /certificate|ssl|tls/i.test(e.message)) return 'tls';
  if (code === 'ABORT_ERR' || e.name === 'AbortError') return 'aborted';
  return 'unreachable';
}

/** What commands use of an engine (DockerEngine implements it; tests fake it). */
export interface DockerEngineApi {
  readonly endpoint: EngineEndpoint;
  readonly counters: { list: number; inspect: number; stop: number; remove: number };
  listKubeletContainers(): Promise<KubeletContainer[]>;
  inspect(id: string): Promise<KubeletContainer | undefined>;
  stop(id: string, seconds: number): Promise<'stopped' | 'already-stopped'>;
  remove(id: string): Promise<void>;
}

export class DockerEngine implements DockerEngineApi {
  private constructor(
    private readonly docker: Docker,
    readonly endpoint: EngineEndpoint,
    /** Requests made (bench: one list per engine, one inspect per kubelet container). */
    readonly counters = { list: 0, inspect: 0, stop: 0, remove: 0 },
  ) {}

  static async connect(o: DockerEngineOptions): Promise<DockerEngine> {
    const ep = o.endpoint;
    let tlsOpts: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
    if (o.tls && ep.kind === 'tcp') {
      const read = async (f: string) => {
        try {
          return await readFile(join(o.tls!.certPath, f));
        } catch (e) {
          throw new ClientError({
            kind: 'config',
            service: 'docker-engine',
            reason: 'cert-file',
            message: `cannot read ${join(o.tls!.certPath, f)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
            target: ep.url,
          });
        }
      };
      tlsOpts = { ...(o.tls.verify ? { ca: await read('ca.pem') } : {}), cert: await read('cert.pem'), key: await read('key.pem') };
    }
    const common = { timeout: o.timeoutMs };
    // (ssh: docker-modem makes its own agent per request, over `docker system dial-stdio`.)
    // docker-modem takes an `agent` (its constructor reads opts.agent); @types/dockerode does not list it.
    const agent = (): Docker.DockerOptions =>
      ({ agent: earlyCloseAware(o.tls && ep.kind === 'tcp' ? new https.Agent(AGENT_OPTIONS) : new http.Agent(AGENT_OPTIONS)) }) as Docker.DockerOptions;
    const docker =
      ep.kind === 'unix'
        ? new Docker({ socketPath: ep.socketPath!, ...agent(), ...common })
        : ep.kind === 'ssh'
          ? new Docker({ protocol: 'ssh', host: ep.host!, port: ep.port!, ...(ep.user ? { username: ep.user } : {}), ...common })
          : new Docker({ protocol: o.tls ? 'https' : 'http', host: ep.host!, port: ep.port!, ...agent(), ...tlsOpts, ...common });
    return new DockerEngine(docker, ep);
  }

  private fail(what: string, e: unknown): never {
    const err = e as DockerErr;
    const kind = kindOf(err);
    // OpenSSL's "wrong version number": the engine answered TLS with plain http.
    const plain = /wrong version number/i.test(err.message ?? '');
    const detail = plain ? 'it does not speak TLS (a plain-http engine?)' : (err.json?.message ?? err.message);
    throw new ClientError({
      kind: plain ? 'tls' : kind,
      ...(plain ? { reason: 'not-https' } : {}),
      service: 'docker-engine',
      message: `Docker engine ${this.endpoint.url}: ${what}: ${String(detail).split('\n')[0]}`,
      target: this.endpoint.url,
      ...(err.statusCode !== undefined ? { status: err.statusCode } : {}),
    });
  }

  /** One `GET /containers/json?all=1`: the kubelet containers (name `k8s_*` or the pod-uid label). */
  async listKubeletContainers(): Promise<KubeletContainer[]> {
    this.counters.list++;
    let all: Docker.ContainerInfo[];
    try {
      all = await this.docker.listContainers({ all: true });
    } catch (e) {
      this.fail('listing containers', e);
    }
    // dockerode hands back whatever a 200 carried (a Buffer for HTML, any JSON): an endpoint that is not
    // a Docker engine must not read as an engine with no containers.
    const listed: unknown = all;
    if (!Array.isArray(listed) || !listed.every((c) => typeof c === 'object' && c !== null && typeof (c as { Id?: unknown }).Id === 'string')) {
      throw new ClientError({
        kind: 'protocol',
        reason: 'not-docker',
        service: 'docker-engine',
        message: `Docker engine ${this.endpoint.url}: listing containers: the answer is not a Docker container list`,
        target: this.endpoint.url,
      });
    }
    return all
      .filter((c) => isKubeletContainer(c.Names?.[0] ?? '', c.Labels))
      .map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels ?? {}, state: c.State, created: c.Created }));
  }

  /** The container with its env (`GET /containers/{id}/json`); undefined when it is gone (404). */
  async inspect(id: string): Promise<KubeletContainer | undefined> {
    this.counters.inspect++;
    let r: Docker.ContainerInspectInfo;
    try {
      r = await this.docker.getContainer(id).inspect();
    } catch (e) {
      if ((e as DockerErr).statusCode === 404) return undefined;
      this.fail(`inspecting ${id.slice(0, 12)}`, e);
    }
    return {
      id: r.Id,
      name: r.Name.replace(/^\//, ''),
      labels: r.Config.Labels ?? {},
      state: r.State.Status,
      created: Math.floor(Date.parse(r.Created) / 1000),
      env: r.Config.Env ?? [],
    };
  }

  /** Stop with a timeout in seconds; an already stopped container (304) is fine. */
  async stop(id: string, seconds: number): Promise<'stopped' | 'already-stopped'> {
    this.counters.stop++;
    try {
      await this.docker.getContainer(id).stop({ t: seconds });
      return 'stopped';
    } catch (e) {
      if ((e as DockerErr).statusCode === 304) return 'already-stopped';
      this.fail(`stopping ${id.slice(0, 12)}`, e);
    }
  }

  /** Remove (with anonymous volumes, not forced: a running container is a 409 conflict). */
  async remove(id: string): Promise<void> {
    this.counters.remove++;
    try {
      await this.docker.getContainer(id).remove({ v: true });
    } catch (e) {
      this.fail(`removing ${id.slice(0, 12)}`, e);
    }
  }
}
