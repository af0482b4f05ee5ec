/**
 * Small node:http(s) servers started inside a test, for the transport edge cases the simulator does
 * not cover (or before it existed): redirects, faults, TLS, auth, concurrency counting. Loopback,
 * kernel-picked ports, closed by the test.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { freePort } from '../../stack/net.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface FakeServer {
  url: string;
  port: number;
  /** `host:port` */
  hostPort: string;
  /** Paths requested, in order. */
  requests: Array<{ method: string; path: string; authorization?: string }>;
  /** Most requests in flight at once. */
  maxConcurrent: number;
  handler: Handler;
  close(): Promise<void>;
}

export async function startFakeServer(handler: Handler, tls?: { certFile: string; keyFile: string }): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  let inFlight = 0;
  const state: FakeServer = {
    url: '',
    port: 0,
    hostPort: '',
    requests: [],
    maxConcurrent: 0,
    handler,
    close: async () => undefined,
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
      res.on('close', () => inFlight--);
      state.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      Promise.resolve(state.handler(req, res, Buffer.concat(chunks).toString('utf8'))).catch((e: unknown) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  };
  const server = tls ? https.createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, listener) : http.createServer(listener);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.port = port;
  state.hostPort = `127.0.0.1:${port}`;
  state.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** 307 the way a Mesos standby does: protocol-relative Location, same path. */
export function redirectTo(res: ServerResponse, hostPort: string, path: string): void {
  res.writeHead(307, { Location: `//${hostPort}${path}`, 'Content-Length': 0 });
  res.end();
}

/** A port nothing listens on (bound then closed). */
export function deadPort(): Promise<number> {
  return freePort('127.0.0.1');
}
