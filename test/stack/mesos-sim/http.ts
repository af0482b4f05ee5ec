/**
 * HTTP plumbing shared by the simulated masters and agents: servers (HTTP or HTTPS), responses as
 * values, basic auth, fault injection and the request log. Routing lives in master-http.ts and
 * agent-http.ts.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isAscii } from 'node:buffer';
import type { Socket } from 'node:net';
import type { FaultKind, FaultSpec, RequestLogEntry } from './types.js';

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /**
   * A streaming answer (the scheduler API's SUBSCRIBE): the headers are written without a length
   * (chunked), then `attach` owns the response: it writes chunks and ends (or destroys) it.
   */
  attach?: (res: ServerResponse) => void;
}

export interface SimRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export type ServerIdentity = RequestLogEntry['server'];

export const json = (value: unknown, status = 200): SimResponse => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});

export const text = (status: number, body = '', headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: body ? { 'Content-Type': 'text/plain; charset=utf-8', ...headers } : headers,
  body,
});

/** libprocess `MethodNotAllowed({...}, method)`. */
export function methodNotAllowed(allowed: string[], method: string): SimResponse {
  return text(405, `Expecting one of { '${allowed.join("', '")}' }, but received '${method}'`, { Allow: allowed.join(', ') });
}

// ---------------------------------------------------------------------------------------------
// Faults

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    if (spec.kind === 'slow' && !(spec.delayMs >= 0)) throw new Error('a slow fault needs delayMs');
    this.faults.push({ spec, remaining: spec.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** The first fault matching this request, consumed once. */
  take(server: ServerIdentity, path: string): FaultKind | undefined {
    for (const f of this.faults) {
      const s = f.spec;
      if (s.master !== undefined && !(server.kind === 'master' && server.index === s.master)) continue;
      if (s.agent !== undefined && !(server.kind === 'agent' && (server.id === s.agent || server.hostname === s.agent))) continue;
      if (s.endpoint !== undefined && !(typeof s.endpoint === 'string' ? s.endpoint === path : s.endpoint.test(path))) continue;
      f.remaining -= 1;
      if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      return kindOf(s);
    }
    return undefined;
  }
}

function kindOf(s: FaultSpec): FaultKind {
  switch (s.kind) {
    case 'slow':
      return { kind: 'slow', delayMs: s.delayMs };
    case 'status':
      return { kind: 'status', status: s.status };
    default:
      return { kind: s.kind };
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

export interface AuthConfig {
  principal: string;
  secret: string;
}

export function authorized(req: IncomingMessage, auth: AuthConfig): boolean {
  const h = req.headers.authorization;
  if (!h || !/^basic /i.test(h)) return false;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  return decoded === `${auth.principal}:${auth.secret}`;
}

export interface ServerOptions {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
  identity: ServerIdentity;
  faults: FaultRegistry;
  log: RequestLogEntry[];
  /** Returns the realm when the request must be authenticated, undefined when the endpoint is open. */
  authRealm: (req: SimRequest) => string | undefined;
  auth?: AuthConfig;
  handle: (req: SimRequest) => SimResponse | Promise<SimResponse>;
}

export interface SimServer {
  host: string;
  port: number;
  url: string;
  identity: ServerIdentity;
  close(): Promise<void>;
}

const GARBAGE = '<html><head><title>Gateway</title></head><body><p>upstream said something else</p></body></html>\n';

/**
 * The request's body as text. Read with listeners rather than an async iterator, and decoded as
 * latin1 when it is all ASCII (the same text, without UTF-8's decoding): the framework's calls are
 * JSON with base64 task data, and an ACCEPT of 75 pods is a few hundred KB (UTF-8 decoding of the
 * ACCEPTs was a tenth of the simulator's time taking a 10,000-pod launch).
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    let ended = false;
    req.once('end', () => {
      ended = true;
      const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      resolve(isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8'));
    });
    req.once('error', reject);
    // A client that goes away mid-body: no 'end' comes (the iterator this replaces threw here too).
    req.once('close', () => {
      if (!ended) reject(new Error('the request was closed before its body ended'));
    });
  });
}

/** A plain absolute path (no query, escapes or dot segments): what URL parsing would return unchanged. */
const PLAIN_PATH = /^\/[A-Za-z0-9_\-/]*$/;

/** Path and query of a request target, parsed as `new URL` does; plain paths (every framework call) without building a URL. */
function target(url: string): { path: string; query: URLSearchParams } {
  if (PLAIN_PATH.test(url) && !url.includes('//')) return { path: url, query: new URLSearchParams() };
  const parsed = new URL(url, 'http://sim.invalid');
  return { path: parsed.pathname, query: parsed.searchParams };
}

function send(res: ServerResponse, r: SimResponse): void {
  const body = r.body ?? '';
  res.writeHead(r.status, { ...(r.headers ?? {}), 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export async function startServer(opts: ServerOptions): Promise<SimServer> {
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    void serve(opts, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, text(500, `mesos-sim: ${err instanceof Error ? err.message : String(err)}`));
      else res.destroy();
    });
  };
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : createHttpServer(onRequest);
  server.keepAliveTimeout = 5000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const scheme = opts.tls ? 'https' : 'http';
  return {
    host: opts.host,
    port,
    url: `${scheme}://${opts.host}:${port}`,
    identity: opts.identity,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}

async function serve(opts: ServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const parsed = target(url);
  // The body is read from the start: a client that leaves while a fault delays the answer must still
  // end the read ('close'), not leave it waiting for an 'end' that has already gone by.
  const body = readBody(req);
  body.catch(() => undefined);
  const entry: RequestLogEntry = {
    time: Date.now() / 1000,
    method: req.method ?? 'GET',
    path: url,
    server: opts.identity,
    status: 0,
  };
  opts.log.push(entry);

  const fault = opts.faults.take(opts.identity, parsed.path);
  if (fault) entry.fault = fault.kind;
  if (fault?.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'hang') return; // accepted, never answered (closed by close())
  if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault?.kind === 'status') {
    const reason = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' }[fault.status];
    entry.status = fault.status;
    send(res, text(fault.status, reason));
    return;
  }
  if (fault?.kind === 'garbage') {
    entry.status = 200;
    send(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: GARBAGE });
    return;
  }

  const simReq: SimRequest = {
    method: entry.method,
    url,
    path: parsed.path,
    query: parsed.query,
    headers: req.headers,
    body: await body,
  };

  let response: SimResponse;
  const realm = opts.auth ? opts.authRealm(simReq) : undefined;
  if (opts.auth && realm !== undefined && !authorized(req, opts.auth)) {
    response = { status: 401, headers: { 'WWW-Authenticate': `Basic realm="${realm}"` }, body: '' };
  } else {
    response = await opts.handle(simReq);
  }
  entry.status = response.status;

  if (response.attach) {
    res.writeHead(response.status, response.headers ?? {});
    res.flushHeaders();
    response.attach(res);
    return;
  }
  if (fault?.kind === 'truncate') {
    // A prefix that looks right, then the end of the response: the body is cut, the exchange is not.
    const body = response.body ?? '';
    const cut = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    res.writeHead(response.status, { ...(response.headers ?? {}), Connection: 'close' });
    res.end(cut);
    return;
  }
  send(res, response);
}
