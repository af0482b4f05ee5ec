import { parseMasterSpec, type MasterSpec } from '../../core/mesos/master-spec.js';
import { masterInfoUrl } from '../../core/mesos/zk-master-info.js';
import { ClientError, type ClientErrorKind } from '../errors.js';
import type { HttpClient, HttpResponse, HttpStream } from '../http/http-client.js';
import { readLeaderFromZooKeeper } from './zookeeper.js';
import { statusLine } from '../http/status-text.js';
import { MESOS_DEFAULTS, type MesosConnectOptions } from './options.js';

export interface MasterRequest {
  method: 'GET' | 'POST';
  /** Path (and query) under the master, e.g. `/state`. */
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Safe to send again after a connection error or 5xx. Default true (all reads are). */
  idempotent?: boolean;
}

export interface MasterResponse {
  /** Base URL of the master that answered (the leader), e.g. `http://127.0.0.1:5050`. */
  masterUrl: string;
  res: HttpResponse;
}

/** The leader's answer as a stream. */
export interface MasterStreamResponse {
  masterUrl: string;
  stream: HttpStream;
}

/** What `run` needs of an answer, buffered or streamed. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  close?: () => void;
}

export interface MasterConnectionOptions {
  spec: MasterSpec;
  http: HttpClient;
  retries: number;
  retryBackoffMs: number;
  maxRedirects: number;
  zkTimeoutMs: number;
  zkLeaderScheme: 'http' | 'https';
  /** Aborts the ZooKeeper lookup and the backoff between rounds (the HTTP client has its own). */
  signal?: AbortSignal;
  debug?: (line: string) => void;
}

/** Why one master did not answer a request. */
interface Failure {
  master: string;
  what: string;
  kind: ClientErrorKind;
  reason?: string;
  retryable: boolean;
  cause?: Error;
}

class RedirectProblem extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Finds the leading master and sends requests to it: follows redirects from standbys
 * (protocol-relative `Location: //host:port/path` keeps the request's scheme) with a hop limit and
 * a loop check; walks a comma list in order, skipping dead masters and 503s; reads the leader from
 * ZooKeeper for zk:// specs; remembers the leader and finds it again when it changes; retries
 * connection errors, 503 and 5xx for a bounded number of rounds with backoff. Fails with one
 * ClientError (service `mesos-master`) that names every master tried.
 */
export class MasterConnection {
  private leader?: string;

  constructor(private readonly o: MasterConnectionOptions) {}

  /** The leader found by the last successful request. */
  get leaderUrl(): string | undefined {
    return this.leader;
  }

  /** What the user asked for, for messages. */
  get described(): string {
    return this.o.spec.kind === 'zk' ? this.o.spec.url : this.o.spec.urls.join(',');
  }

  private async *candidates(): AsyncGenerator<string | Failure> {
    const tried = new Set<string>();
    if (this.leader) {
      tried.add(this.leader);
      yield this.leader;
    }
    if (this.o.spec.kind === 'urls') {
      for (const u of this.o.spec.urls) if (!tried.has(u)) yield u;
      return;
    }
    const spec = this.o.spec;
    try {
      const info = await readLeaderFromZooKeeper({
        url: spec.url,
        servers: spec.servers,
        path: spec.path,
        timeoutMs: this.o.zkTimeoutMs,
        ...(this.o.signal ? { signal: this.o.signal } : {}),
      });
      const url = masterInfoUrl(info, this.o.zkLeaderScheme);
      this.o.debug?.(`ZooKeeper ${spec.url}: leader ${url}${info.id ? ` (id ${info.id})` : ''}`);
      yield url; // tried again even if it was the cached leader: ZooKeeper says it leads
    } catch (e) {
      if (e instanceof ClientError && e.kind === 'no-leader') {
        yield { master: spec.url, what: e.message, kind: 'no-leader', ...(e.reason ? { reason: e.reason } : {}), retryable: e.retryable };
        return;
      }
      throw e;
    }
  }

  async request(req: MasterRequest): Promise<MasterResponse> {
    return this.run(req, (url) =>
      this.o.http.send({ method: req.method, url, ...(req.body !== undefined ? { body: req.body } : {}), ...(req.headers ? { headers: req.headers } : {}) }),
    );
  }

  /**
   * Like `request`, but the leader's answer comes as a stream (the scheduler API's SUBSCRIBE):
   * the same leader search, redirects and retries; redirect, 503 and 5xx answers are closed.
   */
  async stream(req: MasterRequest & { idleTimeoutMs?: number; signal?: AbortSignal }): Promise<MasterStreamResponse> {
    const r = await this.run(req, (url) =>
      this.o.http.stream({
        method: req.method,
        url,
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(req.headers ? { headers: req.headers } : {}),
        ...(req.idleTimeoutMs !== undefined ? { idleTimeoutMs: req.idleTimeoutMs } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
      }),
    );
    return { masterUrl: r.masterUrl, stream: r.res };
  }

  private async run<R extends Answer>(req: MasterRequest, open: (url: string) => Promise<R>): Promise<{ masterUrl: string; res: R }> {
    const idempotent = req.idempotent ?? true;
    const rounds = idempotent ? this.o.retries + 1 : 1;
    let failures: Failure[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round > 0) {
        const wait = this.o.retryBackoffMs * 2 ** (round - 1);
        this.o.debug?.(`no master answered ${req.path}; retrying in ${wait} ms`);
        await sleep(wait, this.o.signal);
        if (this.o.signal?.aborted) break;
      }
      failures = [];
      for await (const c of this.candidates()) {
        if (typeof c !== 'string') {
          failures.push(c);
          continue;
        }
        const f = await this.tryMaster(c, req, open);
        if ('res' in f) {
          if (this.leader !== f.masterUrl) this.o.debug?.(`leading master: ${f.masterUrl}`);
          this.leader = f.masterUrl;
          return f;
        }
        failures.push(f);
        if (this.leader === c) this.leader = undefined;
      }
      if (!failures.some((f) => f.retryable)) break;
    }
    throw this.failureError(req.path, failures, rounds, req.method);
  }

  private async tryMaster<R extends Answer>(
    base: string,
    req: MasterRequest,
    open: (url: string) => Promise<R>,
  ): Promise<{ masterUrl: string; res: R } | Failure> {
    try {
      const { res, url } = await this.followRedirects(base, req, open);
      if (res.status >= 500) res.close?.();
      if (res.status === 503) {
        return { master: base, what: '503 Service Unavailable, no leader elected', kind: 'no-leader', reason: 'no-leader', retryable: true };
      }
      if (res.status >= 500) {
        return { master: base, what: `answered ${statusLine(res.status)}`, kind: 'server', retryable: true };
      }
      return { masterUrl: baseOf(url, req.path), res };
    } catch (e) {
      if (e instanceof RedirectProblem) return { master: base, what: e.message, kind: 'protocol', reason: e.reason, retryable: false };
      if (!(e instanceof ClientError)) throw e;
      if (e.kind === 'aborted') throw e.with({ service: 'mesos-master' });
      const origin = originOf(e.target ?? base);
      if (e.kind === 'tls') {
        // A configuration problem, not a dead master: stop here.
        throw e.with({
          service: 'mesos-master',
          message:
            e.reason === 'not-https'
              ? `TLS handshake with Mesos master ${origin} failed: it does not seem to speak https`
              : `cannot verify the TLS certificate of Mesos master ${origin}: ${e.message}`,
          cause: e,
        });
      }
      const via = origin !== base ? ` (redirected to ${origin})` : '';
      return {
        master: base,
        what: `${e.message}${via}`,
        kind: e.kind,
        ...(e.reason ? { reason: e.reason } : {}),
        retryable: e.retryable,
        cause: e,
      };
    }
  }

  private async followRedirects<R extends Answer>(base: string, req: MasterRequest, open: (url: string) => Promise<R>): Promise<{ res: R; url: string }> {
    let url = base + req.path;
    const seen = [url];
    for (let hop = 0; ; hop++) {
      const res = await open(url);
      if (!REDIRECTS.has(res.status)) return { res, url };
      res.close?.();
      const location = res.headers['location'];
      if (!location) throw new RedirectProblem(`answered ${res.status} without a Location header`, 'redirect-without-location');
      if (hop >= this.o.maxRedirects) {
        throw new RedirectProblem(`more than ${this.o.maxRedirects} redirects: ${seen.map(originOf).join(' -> ')}`, 'too-many-redirects');
      }
      let next: URL;
      try {
        next = new URL(location, url); // `//host:port/path` keeps the scheme of `url`
      } catch {
        throw new RedirectProblem(`redirected to an invalid Location "${location.slice(0, 100)}"`, 'redirect-invalid');
      }
      // `/master/redirect` style answers carry no path: keep asking for the same thing.
      if (next.pathname === '/' && !req.path.startsWith('/?') && req.path !== '/') {
        next = new URL(req.path, next.origin);
      }
      const href = next.toString();
      this.o.debug?.(`${url} redirects to ${href}`);
      if (seen.includes(href)) {
        throw new RedirectProblem(`redirects in a loop: ${[...seen, href].map(originOf).join(' -> ')}`, 'redirect-loop');
      }
      seen.push(href);
      url = href;
    }
  }

  /**
   * One error for a request no master answered. Its kind is the most telling failure: no leader
   * (when that is all there is), then a timeout, then a redirect problem, then the first one.
   */
  private failureError(path: string, failures: Failure[], rounds: number, method = 'GET'): ClientError {
    const verb = method === 'GET' ? 'get' : 'post to';
    if (this.o.signal?.aborted) {
      return new ClientError({ kind: 'aborted', service: 'mesos-master', message: `request for ${path} aborted`, target: this.described });
    }
    const attempts = rounds > 1 && failures.some((f) => f.retryable) ? ` (after ${rounds} attempts)` : '';
    const cause = failures.find((f) => f.cause)?.cause;
    const masters = failures.map((f) => f.master);
    const details = { masters, ...(attempts ? { attempts: rounds } : {}) };
    const common = { service: 'mesos-master' as const, target: this.described, details, ...(cause ? { cause } : {}) };
    if (failures.length && failures.every((f) => f.kind === 'no-leader')) {
      const who = failures.map((f) => `${f.master}: ${f.what}`).join('; ');
      return new ClientError({
        ...common,
        kind: 'no-leader',
        reason: failures[0]?.reason ?? 'no-leader',
        message: `no leading Mesos master${attempts}: ${who}`,
      });
    }
    const telling =
      failures.find((f) => f.kind === 'timeout') ?? failures.find((f) => f.kind === 'protocol' && f.reason?.startsWith('redirect')) ?? failures[0];
    const typed = {
      ...common,
      kind: telling?.kind ?? 'unreachable',
      ...(telling?.reason ? { reason: telling.reason } : {}),
      retryable: failures.some((f) => f.retryable),
    };
    if (failures.length === 1) {
      const f = failures[0]!;
      return new ClientError({
        ...typed,
        message: `cannot ${verb} ${path} ${method === 'GET' ? 'from' : 'on'} Mesos master ${f.master}${attempts}: ${f.what}`,
      });
    }
    return new ClientError({
      ...typed,
      message: `cannot ${verb} ${path} ${method === 'GET' ? 'from' : 'on'} any Mesos master${attempts}: ${failures.map((f) => `${f.master} (${f.what})`).join('; ')}`,
    });
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The master base URL from the URL that answered: the URL minus the requested path. */
function baseOf(url: string, path: string): string {
  if (url.endsWith(path)) return url.slice(0, url.length - path.length);
  return originOf(url);
}

/**
 * The leader-aware connection for a client's options (`--mesos-master` URL, comma list or zk://,
 * retries, redirects): the one way every Mesos client finds the master.
 */
export function masterConnectionFor(opts: MesosConnectOptions, http: HttpClient, timeoutMs: number): MasterConnection {
  const spec: MasterSpec = typeof opts.master === 'string' ? parseMasterSpec(opts.master) : opts.master;
  return new MasterConnection({
    spec,
    http,
    retries: opts.retries ?? MESOS_DEFAULTS.retries,
    retryBackoffMs: opts.retryBackoffMs ?? MESOS_DEFAULTS.retryBackoffMs,
    maxRedirects: opts.maxRedirects ?? MESOS_DEFAULTS.maxRedirects,
    zkTimeoutMs: timeoutMs,
    zkLeaderScheme: opts.zkLeaderScheme ?? 'http',
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  });
}
