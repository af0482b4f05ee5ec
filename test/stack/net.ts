/**
 * Loopback networking for the test stack: free ports, small HTTP(S) requests with a CA and a token,
 * ZooKeeper four-letter words, and polling until a server is ready.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createConnection, createServer, isIP } from 'node:net';

/** True if `host:port` can be bound right now. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port the kernel says is free on `host` (bind to 0, read, close). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error(`no free port on ${host}`))));
    });
  });
}

const reserved = new Set<string>();

/**
 * A free port on `host`: `preferred` if it can be bound, else one the kernel picks. Ports handed out by
 * this process are remembered so two servers of one stack never get the same one.
 */
export async function pickPort(host: string, preferred?: number): Promise<number> {
  if (preferred !== undefined && !reserved.has(`${host}:${preferred}`) && (await isPortFree(host, preferred))) {
    reserved.add(`${host}:${preferred}`);
    return preferred;
  }
  for (let i = 0; i < 50; i++) {
    const port = await freePort(host);
    if (!reserved.has(`${host}:${port}`)) {
      reserved.add(`${host}:${port}`);
      return port;
    }
  }
  throw new Error(`could not find a free port on ${host}`);
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** PEM of the CA to trust (https). */
  ca?: string | Buffer;
  token?: string;
  timeoutMs?: number;
}

/** One HTTP(S) request; never follows redirects; rejects on network errors and timeouts. */
export function http(url: string, opts: HttpOptions = {}): Promise<HttpResult> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(opts.body));
  return new Promise((resolve, reject) => {
    const common = { method: opts.method ?? 'GET', headers, timeout: opts.timeoutMs ?? 5000, agent: false as const };
    const onRes = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req =
      u.protocol === 'https:'
        ? httpsRequest(u, { ...common, ca: opts.ca, servername: isIP(u.hostname) ? undefined : u.hostname }, onRes)
        : httpRequest(u, common, onRes);
    req.on('timeout', () => req.destroy(new Error(`timeout after ${opts.timeoutMs ?? 5000} ms: ${url}`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Send a ZooKeeper four-letter word (`ruok`, `srvr`, `conf`) and return the reply. */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = createConnection({ host, port });
    const timer = setTimeout(() => sock.destroy(new Error(`timeout: ${word} to ${host}:${port}`)), timeoutMs);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export class NotReadyError extends Error {}

/**
 * Poll `probe` until it returns a value (not undefined), every `intervalMs`, for at most `timeoutMs`.
 * `abort` is checked first on each round: a string return stops waiting with that message (e.g. the
 * process exited).
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  opts: { timeoutMs: number; intervalMs?: number; abort?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastErr = '';
  for (;;) {
    const why = opts.abort?.();
    if (why) throw new NotReadyError(`${what}: ${why}`);
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new NotReadyError(`${what}: not ready after ${opts.timeoutMs} ms${lastErr ? ` (${lastErr})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
