import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ClientError, type ClientService } from '../errors.js';
import { basicAuthValue, redact, redactUrl, sanitizedCause } from './redact.js';

/**
 * The one HTTP layer of the clients (Mesos masters and agents, the Kubernetes apiserver), on
 * node:http(s). Two ways to ask:
 * - `send`: a buffered answer (JSON requests), under one deadline for connect, headers and the
 *   whole body, with a body size cap;
 * - `stream`: the body as a byte stream (a Node Readable, so also an async iterable of Buffers),
 *   the deadline covering connect and headers, then an idle timeout between chunks; for the Mesos
 *   scheduler's RecordIO subscription and Kubernetes watches.
 * Both take an AbortSignal (besides the client's own), use TLS as configured (CA bundle or
 * insecure; or an agent supplied by the caller, e.g. from a kubeconfig), send basic or bearer
 * credentials, never follow redirects (callers decide: Mesos follows a standby's 307 to the
 * leader), answer every status, and fail with a ClientError whose message and cause never carry
 * headers or secrets.
 */
export interface HttpClientOptions {
  /** Deadline of one request: connect, send, headers, and (for `send`) the whole body. */
  timeoutMs: number;
  /** Deadline of the TCP (and TLS) connect; default min(timeoutMs, 5 s). */
  connectTimeoutMs?: number;
  /** Streams: longest silence between two chunks; default timeoutMs. */
  idleTimeoutMs?: number;
  /** Largest (decoded) body `send` accepts. */
  maxResponseBytes: number;
  /** PEM CA bundle (replaces the system roots, like kubectl's --certificate-authority). */
  caPem?: string | Buffer;
  insecureSkipTlsVerify?: boolean;
  /** HTTP basic (Mesos) or a bearer token. */
  auth?: { principal: string; secret: string } | { token: string };
  /** An agent built elsewhere (TLS and client certificates from a kubeconfig); used for every request. */
  agent?: http.Agent;
  /** Connections at once per host (of the client's own agents); further requests wait for one. Default: no bound. */
  maxSockets?: number;
  /** Headers sent with every request (e.g. credentials from a kubeconfig); their values are redacted. */
  headers?: Record<string, string>;
  /** More values to keep out of messages. */
  secrets?: ReadonlyArray<string>;
  /** Aborts every request of this client (e.g. Ctrl-C). */
  signal?: AbortSignal;
  /** Who answers, for errors. */
  service?: ClientService;
  /** Debug lines (method, URL, status, time, size); never headers or bodies. */
  debug?: (line: string) => void;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Overrides the client's timeoutMs for this request. */
  timeoutMs?: number;
  /** Aborts this request. */
  signal?: AbortSignal;
  /**
   * Sending it twice does no harm (default: GET). Such a request that finds its pooled keep-alive
   * connection closed by the server (reset before any answer: the server timed the idle connection
   * out as it was reused) is sent once more on another connection.
   */
  idempotent?: boolean;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface HttpStreamRequest extends HttpRequest {
  /** Overrides the client's idleTimeoutMs for this stream. */
  idleTimeoutMs?: number;
  /** Fail once more bytes than this arrived (default: no limit; a subscription never ends). */
  maxBytes?: number;
}

export interface HttpStream {
  url: string;
  status: number;
  headers: Record<string, string>;
  /**
   * The body, chunk by chunk (`for await (const chunk of body)`). Ends when the server ends the
   * body; fails with a ClientError: `truncated` when the connection closes first, `timeout`
   * (reason `idle`) after idleTimeoutMs without a chunk, `aborted`, `too-large`.
   */
  body: Readable;
  /** Stop reading and close the connection (no error). */
  close(): void;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const NOT_TLS_CODES = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER']);

function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${Math.round((n / (1 << 20)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}

const CONNECT_TIMEOUT_CODE = 'K8SMCTL_CONNECT_TIMEOUT';
const wrappedAgents = new WeakSet<http.Agent>();

/** Wraps an agent (once) so that a connect (and TLS handshake) taking longer than `ms` destroys the socket. */
function withConnectTimeout<A extends http.Agent>(agent: A, ms: number, secure: boolean): A {
  if (wrappedAgents.has(agent)) return agent;
  wrappedAgents.add(agent);
  const a = agent as unknown as { createConnection: (...args: unknown[]) => Socket | undefined };
  const original = a.createConnection.bind(agent);
  a.createConnection = (...args: unknown[]) => {
    const socket = original(...args);
    if (!socket) return socket;
    const timer = setTimeout(() => {
      socket.destroy(Object.assign(new Error(`connect timed out after ${fmtMs(ms)}`), { code: CONNECT_TIMEOUT_CODE }));
    }, ms);
    const clear = (): void => clearTimeout(timer);
    socket.once(secure ? 'secureConnect' : 'connect', clear);
    socket.once('close', clear);
    return socket;
  };
  return agent;
}

interface Phase {
  /** The answer's headers arrived. */
  answered: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
}

/** What `HttpClient.open` resolves to in each mode. */
interface Opened {
  buffer: HttpResponse;
  stream: HttpStream;
}

export class HttpClient {
  /** Requests sent (each redirect hop and retry counts). */
  requestCount = 0;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: http.Agent;
  private readonly ownAgents: boolean;
  private readonly secrets: string[];
  private readonly fixedHeaders: Record<string, string>;
  private readonly connectMs: number;

  constructor(private readonly opts: HttpClientOptions) {
    this.connectMs = opts.connectTimeoutMs ?? Math.min(opts.timeoutMs, 5000);
    if (opts.agent) {
      this.ownAgents = false;
      this.httpAgent = this.httpsAgent = withConnectTimeout(opts.agent, this.connectMs, opts.agent instanceof https.Agent);
    } else {
      this.ownAgents = true;
      const bound = opts.maxSockets ? { maxSockets: opts.maxSockets } : {};
      this.httpAgent = withConnectTimeout(new http.Agent({ keepAlive: true, ...bound }), this.connectMs, false);
      this.httpsAgent = withConnectTimeout(
        new https.Agent({ keepAlive: true, ...bound, ...(opts.caPem ? { ca: opts.caPem } : {}), rejectUnauthorized: !opts.insecureSkipTlsVerify }),
        this.connectMs,
        true,
      );
    }
    this.secrets = [...(opts.secrets ?? [])];
    this.fixedHeaders = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      this.fixedHeaders[k] = v;
      if (k.toLowerCase() === 'authorization') this.secrets.push(v.replace(/^\S+\s+/, ''));
    }
    if (opts.auth && 'principal' in opts.auth) {
      const value = basicAuthValue(opts.auth.principal, opts.auth.secret);
      this.fixedHeaders['Authorization'] = value;
      this.secrets.push(opts.auth.secret, value.slice('Basic '.length));
    } else if (opts.auth) {
      this.fixedHeaders['Authorization'] = `Bearer ${opts.auth.token}`;
      this.secrets.push(opts.auth.token);
    }
  }

  /** The secrets this client knows, for callers that build messages from server text. */
  get secretsToRedact(): ReadonlyArray<string> {
    return this.secrets;
  }

  /** One request, the whole body buffered (decompressed), under one deadline. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const started = Date.now();
    const res = await this.open(req, 'buffer', req.timeoutMs ?? this.opts.timeoutMs, 0, this.opts.maxResponseBytes);
    this.opts.debug?.(`${req.method} ${redactUrl(req.url)} -> ${res.status} (${Date.now() - started} ms, ${res.body.length} bytes)`);
    return res;
  }

  /**
   * One request whose body is read as it arrives. Resolves when the headers are in (any status);
   * the deadline covers connect and headers, then `idleTimeoutMs` bounds each wait for a chunk.
   */
  async stream(req: HttpStreamRequest): Promise<HttpStream> {
    const s = await this.open(
      req,
      'stream',
      req.timeoutMs ?? this.opts.timeoutMs,
      req.idleTimeoutMs ?? this.opts.idleTimeoutMs ?? this.opts.timeoutMs,
      req.maxBytes ?? Infinity,
    );
    this.opts.debug?.(`${req.method} ${redactUrl(req.url)} -> ${s.status} (streaming)`);
    return s;
  }

  /** Drops pooled connections (an agent supplied by the caller is the caller's). */
  close(): void {
    if (!this.ownAgents) return;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /**
   * `buffer`: resolves once the whole body is in (its chunks gathered as they come: no stream and no
   * async iteration per request, which cost a scheduler sending two ACKNOWLEDGEs a pod a tenth of its
   * CPU time). `stream`: resolves at the headers with the body as a Readable.
   */
  private open<M extends keyof Opened>(req: HttpRequest, mode: M, timeoutMs: number, idleMs: number, maxBytes: number, retried = false): Promise<Opened[M]> {
    const target = redactUrl(req.url);
    let url: URL;
    try {
      url = new URL(req.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      return Promise.reject(
        new ClientError({ kind: 'config', reason: 'invalid-url', message: `"${target}" is not an http(s) URL`, target, service: this.service }),
      );
    }
    const secure = url.protocol === 'https:';
    const signals = [this.opts.signal, req.signal].filter((s): s is AbortSignal => s !== undefined);
    const aborted = signals.find((s) => s.aborted);
    if (aborted) return Promise.reject(this.abortError(target, aborted));
    this.requestCount++;
    const started = Date.now();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'k8smctl',
      ...(mode === 'buffer' ? { 'Accept-Encoding': 'gzip, deflate' } : {}),
      ...(req.headers ?? {}),
      ...this.fixedHeaders,
    };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const phase: Phase = { answered: false, timeoutMs, connectTimeoutMs: this.connectMs };

    // The mode decides which of the two is resolved (`Opened[M]`); the compiler cannot follow it.
    return new Promise<HttpStream | HttpResponse>((resolve, reject) => {
      let failure: ClientError | undefined;
      let done = false;
      let settled = false;
      let idle: NodeJS.Timeout | undefined;
      let source: Readable | undefined;
      // `buffer` mode: the answer's head and its chunks, resolved at the end.
      let head: Omit<HttpResponse, 'body'> | undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      const body =
        mode === 'stream'
          ? new Readable({
              read: () => {
                if (source?.isPaused()) source.resume();
                armIdle();
              },
            })
          : undefined;
      const deadline = setTimeout(() => fail(this.timeoutError(target, 'deadline', timeoutMs)), timeoutMs);
      const cleanup = (): void => {
        clearTimeout(deadline);
        clearTimeout(idle);
        for (const s of signals) s.removeEventListener('abort', onAbort);
      };
      const armIdle = (): void => {
        if (mode !== 'stream' || done || failure || !phase.answered) return;
        clearTimeout(idle);
        idle = setTimeout(() => fail(this.timeoutError(target, 'idle', idleMs)), idleMs);
      };
      const fail = (err: ClientError): void => {
        if (failure || done) return;
        failure = err;
        cleanup();
        clientReq.destroy();
        this.opts.debug?.(`${req.method} ${target} -> ${err.message} (${Date.now() - started} ms)`);
        if (!settled) {
          settled = true;
          reject(err);
        } else body?.destroy(err);
      };
      const finish = (): void => {
        if (failure || done) return;
        done = true;
        cleanup();
        if (body) body.push(null);
        else if (!settled && head) {
          settled = true;
          resolve({ ...head, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
        }
      };
      const onAbort = (ev: Event): void => fail(this.abortError(target, ev.target as AbortSignal));
      for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
      // (stream mode) Errors reach the consumer through iteration (or its own listener); never an unhandled 'error' event.
      body?.on('error', () => undefined);
      body?.once('close', () => {
        // The consumer stopped reading (destroyed the body, broke out of for-await): hang up.
        if (!done && !failure) {
          done = true;
          cleanup();
          clientReq.destroy();
        }
      });

      const agent = secure ? this.httpsAgent : this.httpAgent;
      const clientReq = (secure ? https : http).request(url, { method: req.method, headers, agent }, (res: IncomingMessage) => {
        phase.answered = true;
        if (mode === 'stream') clearTimeout(deadline);
        const resHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) resHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
        }
        const encoding = (resHeaders['content-encoding'] ?? '').trim().toLowerCase();
        let src: Readable = res;
        if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate' || encoding === 'br') {
          const z = encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip();
          z.on('error', (e: NodeJS.ErrnoException) =>
            fail(res.complete ? this.protocolError(target, 'invalid-encoding', `the ${encoding} body cannot be decoded`, e) : this.truncatedError(target, e)),
          );
          src = res.pipe(z);
        }
        source = src;
        let bytes = 0;
        src.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            fail(
              new ClientError({
                kind: 'too-large',
                message: `response larger than ${formatBytes(maxBytes)}`,
                target,
                service: this.service,
                status: res.statusCode,
              }),
            );
            return;
          }
          if (!body) {
            chunks.push(chunk);
            size += chunk.length;
            return;
          }
          armIdle();
          if (!body.push(chunk)) {
            src.pause();
            clearTimeout(idle); // a slow reader is not a silent server
          }
        });
        src.once('end', () => (res.complete ? finish() : fail(this.truncatedError(target))));
        res.once('error', (e: NodeJS.ErrnoException) => fail(this.truncatedError(target, e)));
        res.once('close', () => {
          if (!res.complete) fail(this.truncatedError(target));
        });
        if (!body) {
          head = { url: req.url, status: res.statusCode ?? 0, headers: resHeaders };
          return;
        }
        settled = true;
        armIdle();
        resolve({
          url: req.url,
          status: res.statusCode ?? 0,
          headers: resHeaders,
          body,
          close: () => {
            if (done || failure) return;
            done = true;
            cleanup();
            clientReq.destroy();
            body.destroy();
          },
        });
      });
      clientReq.on('error', (e: NodeJS.ErrnoException) => {
        const stale =
          !retried &&
          !phase.answered &&
          !settled &&
          !failure &&
          !done &&
          clientReq.reusedSocket &&
          (req.idempotent ?? req.method === 'GET') &&
          (e.code === 'ECONNRESET' || e.code === 'EPIPE' || /socket hang up/i.test(String(e.message)));
        if (stale) {
          done = true;
          settled = true;
          cleanup();
          this.opts.debug?.(`${req.method} ${target} -> kept-alive connection closed by the server: sent again`);
          this.open(req, mode, timeoutMs, idleMs, maxBytes, true).then(resolve, reject);
          return;
        }
        fail(phase.answered ? this.truncatedError(target, e) : this.transportError(e, target, phase));
      });
      clientReq.end(req.body);
    }) as Promise<Opened[M]>;
  }

  private get service(): ClientService {
    return this.opts.service ?? 'http';
  }

  private cause(e: unknown): Error {
    const err = e as { code?: unknown; message?: unknown };
    return sanitizedCause(typeof err?.message === 'string' ? err.message : String(e), typeof err?.code === 'string' ? err.code : undefined, this.secrets);
  }

  private timeoutError(target: string, reason: 'deadline' | 'idle', ms: number): ClientError {
    return new ClientError({
      kind: 'timeout',
      reason,
      message: reason === 'idle' ? `no data for ${fmtMs(ms)}` : `timed out after ${fmtMs(ms)}`,
      target,
      service: this.service,
    });
  }

  private abortError(target: string, signal: AbortSignal): ClientError {
    const why = signal.reason instanceof Error ? signal.reason.message : typeof signal.reason === 'string' ? signal.reason : 'aborted';
    return new ClientError({ kind: 'aborted', message: `request aborted (${why})`, target, service: this.service, details: { reason: why } });
  }

  private truncatedError(target: string, e?: unknown): ClientError {
    return new ClientError({
      kind: 'truncated',
      message: 'connection closed before the response was complete',
      target,
      service: this.service,
      ...(e ? { cause: this.cause(e) } : {}),
    });
  }

  private protocolError(target: string, reason: string, message: string, e?: unknown): ClientError {
    return new ClientError({ kind: 'protocol', reason, message, target, service: this.service, ...(e ? { cause: this.cause(e) } : {}) });
  }

  /** A request that got no answer: what happened, in a short phrase. Reads only the error's code and message. */
  private transportError(e: NodeJS.ErrnoException, target: string, phase: Phase): ClientError {
    const code = typeof e?.code === 'string' ? e.code : undefined;
    const base = { target, service: this.service, cause: this.cause(e) };
    const fail = (kind: ClientError['kind'], reason: string, message: string, retryable?: boolean): ClientError =>
      new ClientError({ kind, reason, message, ...base, ...(retryable !== undefined ? { retryable } : {}) });
    switch (code) {
      case 'ECONNREFUSED':
        return fail('unreachable', 'refused', 'connection refused');
      case CONNECT_TIMEOUT_CODE:
        return fail('timeout', 'connect-timeout', `no connection within ${fmtMs(phase.connectTimeoutMs)}`, true);
      case 'ETIMEDOUT':
        return fail('timeout', 'deadline', `timed out after ${fmtMs(phase.timeoutMs)}`);
      case 'ECONNRESET':
      case 'EPIPE':
      case 'ERR_STREAM_PREMATURE_CLOSE':
        return fail('unreachable', 'reset', 'connection closed before the response was complete');
      case 'ENOTFOUND':
        return fail('unreachable', 'dns', 'host name not found', false);
      case 'EAI_AGAIN':
        return fail('unreachable', 'dns', 'host name not found (temporary DNS failure)', true);
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
      case 'EADDRNOTAVAIL':
        return fail('unreachable', 'host-unreachable', 'host unreachable');
      default:
        break;
    }
    if (code?.startsWith('HPE_')) return fail('protocol', 'not-http', 'the server did not answer with HTTP');
    if (code && NOT_TLS_CODES.has(code)) return fail('tls', 'not-https', 'TLS handshake failed: the server does not speak TLS');
    if (code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))) {
      const reason = redact(String(e.message ?? code), this.secrets).replace(/^.*?(?=[a-z])/i, '');
      return fail('tls', 'certificate', reason);
    }
    if (/socket hang up|premature/i.test(String(e?.message ?? ''))) {
      return fail('unreachable', 'reset', 'connection closed before the response was complete');
    }
    return fail('unreachable', 'other', redact(String(e?.message ?? e), this.secrets));
  }
}
