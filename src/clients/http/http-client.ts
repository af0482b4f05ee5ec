import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { basicAuthValue, redact, sanitizedCause } from './redact.js';

/**
 * The one HTTP transport of the clients: axios with redirects off (callers follow them), a hard
 * deadline per request (connect + headers + body), a separate connect timeout, a response size
 * cap, TLS as configured, basic auth, and errors turned into `HttpTransportError` whose message
 * and cause never carry headers or secrets. It answers every status; callers decide.
 */
export interface HttpClientOptions {
  /** Deadline of one request: connect, send, headers and the whole body. */
  timeoutMs: number;
  /** Deadline of the TCP (and TLS) connect; default min(timeoutMs, 5 s). */
  connectTimeoutMs?: number;
  /** Largest response body accepted. */
  maxResponseBytes: number;
  /** PEM CA bundle (replaces the system roots, like kubectl's --certificate-authority). */
  caPem?: string | Buffer;
  insecureSkipTlsVerify?: boolean;
  auth?: { principal: string; secret: string };
  /** Debug lines (method, URL, status, time); never headers or bodies. */
  debug?: (line: string) => void;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  headers?: Record<string, string>;
  /** Overrides the client's timeoutMs for this request. */
  timeoutMs?: number;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type TransportFailure =
  | 'refused' // nothing listens
  | 'connect-timeout' // no TCP/TLS connection within connectTimeoutMs
  | 'timeout' // no complete answer within timeoutMs
  | 'reset' // connection closed/reset mid-way (also truncated bodies)
  | 'dns' // host name not found
  | 'tls' // certificate or TLS protocol problem
  | 'too-large' // body over maxResponseBytes
  | 'other';

/** A request that got no (complete) HTTP answer. `message` is a short phrase, e.g. "connection refused". */
export class HttpTransportError extends Error {
  readonly kind: TransportFailure;
  readonly url: string;
  readonly code?: string;
  constructor(kind: TransportFailure, url: string, message: string, cause: Error, code?: string) {
    super(message, { cause });
    this.name = 'HttpTransportError';
    this.kind = kind;
    this.url = url;
    if (code) this.code = code;
  }
  /** Worth another try: the server may come back (not for timeouts, TLS or size problems). */
  get retryable(): boolean {
    return this.kind === 'refused' || this.kind === 'reset' || (this.kind === 'dns' && this.code === 'EAI_AGAIN');
  }
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
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${Math.round((n / (1 << 20)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}

export interface ClassifyContext {
  /** Our own deadline fired. */
  timedOut: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
  secrets: ReadonlyArray<string>;
}

/**
 * Turns an axios/socket error into an HttpTransportError with a short phrase. Reads only the
 * error's code and message: the axios error also holds the request config (with headers).
 */
export function classifyTransportError(err: unknown, url: string, ctx: ClassifyContext): HttpTransportError {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const ownCode = typeof e?.code === 'string' ? e.code : undefined;
  const causeCode = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const rawMessage = typeof e?.message === 'string' ? e.message : String(err);
  const code = ownCode === 'ERR_BAD_RESPONSE' || ownCode === 'ERR_CANCELED' || !ownCode ? (causeCode ?? ownCode) : ownCode;
  const cause = sanitizedCause(rawMessage, code, ctx.secrets);
  const fail = (kind: TransportFailure, msg: string): HttpTransportError => new HttpTransportError(kind, url, msg, cause, code);

  if (ctx.timedOut) return fail('timeout', `timed out after ${fmtMs(ctx.timeoutMs)}`);
  if (/maxContentLength size of \d+ exceeded/.test(rawMessage)) {
    return fail('too-large', `response larger than ${formatBytes(ctx.maxResponseBytes)}`);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return fail('refused', 'connection refused');
    case 'ECONNECTTIMEOUT':
      return fail('connect-timeout', `no connection within ${fmtMs(ctx.connectTimeoutMs)}`);
    case 'ETIMEDOUT':
    case 'ECONNABORTED':
      return fail('timeout', `timed out after ${fmtMs(ctx.timeoutMs)}`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return fail('reset', 'connection closed before the response was complete');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail('dns', 'host name not found');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return fail('refused', 'host unreachable');
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_HEADER_TOKEN':
      return fail('other', 'the server did not answer with HTTP (is it https?)');
    default:
      break;
  }
  if (code && TLS_CODES.has(code)) {
    const reason = redact(rawMessage, ctx.secrets).replace(/^.*?(?=[a-z])/i, '');
    return fail(
      'tls',
      code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? 'TLS handshake failed (is it plain http?)' : `TLS: ${reason}`,
    );
  }
  if (/aborted|socket hang up|premature/i.test(rawMessage)) {
    return fail('reset', 'connection closed before the response was complete');
  }
  return fail('other', redact(rawMessage, ctx.secrets));
}

/** Wraps an agent so a connect (and TLS handshake) that takes too long destroys the socket. */
export function withConnectTimeout<A extends http.Agent>(agent: A, ms: number, secure: boolean): A {
  const a = agent as unknown as { createConnection: (...args: unknown[]) => Socket | undefined };
  const original = a.createConnection.bind(agent);
  a.createConnection = (...args: unknown[]) => {
    const socket = original(...args);
    if (!socket) return socket;
    const timer = setTimeout(() => {
      const err = Object.assign(new Error(`connect timed out after ${fmtMs(ms)}`), { code: 'ECONNECTTIMEOUT' });
      socket.destroy(err);
    }, ms);
    const clear = (): void => clearTimeout(timer);
    socket.once(secure ? 'secureConnect' : 'connect', clear);
    socket.once('close', clear);
    return socket;
  };
  return agent;
}

export class HttpClient {
  /** Requests sent (each redirect hop and retry counts). */
  requestCount = 0;
  private readonly axios: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly secrets: string[];
  private readonly authHeader?: string;

  constructor(private readonly opts: HttpClientOptions) {
    const connectMs = opts.connectTimeoutMs ?? Math.min(opts.timeoutMs, 5000);
    this.httpAgent = withConnectTimeout(new http.Agent({ keepAlive: true }), connectMs, false);
    this.httpsAgent = withConnectTimeout(
      new https.Agent({
        keepAlive: true,
        ...(opts.caPem ? { ca: opts.caPem } : {}),
        rejectUnauthorized: !opts.insecureSkipTlsVerify,
      }),
      connectMs,
      true,
    );
    this.secrets = [];
    if (opts.auth) {
      this.authHeader = basicAuthValue(opts.auth.principal, opts.auth.secret);
      this.secrets.push(opts.auth.secret, this.authHeader.slice('Basic '.length));
    }
    this.axios = axios.create({
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'arraybuffer',
      transformResponse: [(d: unknown) => d],
      maxContentLength: opts.maxResponseBytes,
      maxBodyLength: opts.maxResponseBytes,
      decompress: true,
      proxy: false,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
    });
  }

  /** The secrets this client knows, for callers that build messages from server text. */
  get secretsToRedact(): ReadonlyArray<string> {
    return this.secrets;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const started = Date.now();
    this.requestCount++;
    try {
      const res = await this.axios.request({
        method: req.method,
        url: req.url,
        ...(req.body !== undefined ? { data: req.body } : {}),
        headers: {
          Accept: 'application/json',
          ...(req.headers ?? {}),
          ...(this.authHeader ? { Authorization: this.authHeader } : {}),
        },
        signal: controller.signal,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers ?? {})) {
        if (v === undefined || v === null) continue;
        headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      const data: unknown = res.data;
      const body = Buffer.isBuffer(data)
        ? data
        : data instanceof ArrayBuffer
          ? Buffer.from(new Uint8Array(data))
          : typeof data === 'string'
            ? Buffer.from(data, 'utf8')
            : Buffer.alloc(0);
      this.opts.debug?.(`${req.method} ${req.url} -> ${res.status} (${Date.now() - started} ms, ${body.length} bytes)`);
      return { url: req.url, status: res.status, headers, body };
    } catch (err) {
      const e = classifyTransportError(err, req.url, {
        timedOut,
        timeoutMs,
        connectTimeoutMs: this.opts.connectTimeoutMs ?? Math.min(this.opts.timeoutMs, 5000),
        maxResponseBytes: this.opts.maxResponseBytes,
        secrets: this.secrets,
      });
      this.opts.debug?.(`${req.method} ${req.url} -> ${e.message} (${Date.now() - started} ms)`);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops pooled connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
