/**
 * An HTTPS proxy in front of the stack's kube-apiserver, serving with the apiserver's own certificate
 * (so the stack's CA trusts it) and passing requests through, watches streamed. On demand it fails:
 * `errors(ms, status)` answers every request with that status (429 with Retry-After, or a 5xx, as an
 * overloaded apiserver does) after cutting the connections open; `down(ms)` drops every connection
 * and resets new ones (an apiserver restarting). `kubeconfig` is the stack's kubeconfig pointing at it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stack } from './stack.js';

export interface KubeFaultProxy {
  readonly url: string;
  readonly kubeconfig: string;
  /** Requests answered with an error, by status. */
  readonly failed: Record<number, number>;
  errors(ms: number, status: number): void;
  down(ms: number): void;
  close(): Promise<void>;
}

export async function startKubeFaultProxy(): Promise<KubeFaultProxy> {
  const info = stack();
  const target = new URL(info.kube.url);
  const ca = readFileSync(info.kube.caFile);
  const sockets = new Set<Socket>();
  let errorUntil = 0;
  let errorStatus = 503;
  let downUntil = 0;
  const failed: Record<number, number> = {};
  const server: Server = createServer({ cert: readFileSync(info.pki.apiserverCert), key: readFileSync(info.pki.apiserverKey) }, (req, res) => {
    if (Date.now() < errorUntil) {
      failed[errorStatus] = (failed[errorStatus] ?? 0) + 1;
      const body = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: errorStatus === 429 ? 'Too many requests, please try again later.' : 'the server is currently unable to handle the request',
        reason: errorStatus === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
        code: errorStatus,
      });
      req.resume();
      res.writeHead(errorStatus, { 'Content-Type': 'application/json', ...(errorStatus === 429 ? { 'Retry-After': '1' } : {}) }).end(body);
      return;
    }
    const up = httpsRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, ca },
      (ures) => {
        res.writeHead(ures.statusCode ?? 502, ures.headers);
        ures.pipe(res);
        ures.on('error', () => res.destroy());
      },
    );
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  server.on('connection', (s: Socket) => {
    if (Date.now() < downUntil) {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = `https://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'k8smctl-kube-proxy-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, readFileSync(info.kube.kubeconfig, 'utf8').split(info.kube.url).join(url));
  const cut = (): void => {
    for (const s of sockets) s.destroy();
  };
  return {
    url,
    kubeconfig,
    failed,
    errors(ms, status) {
      errorStatus = status;
      errorUntil = Date.now() + ms;
      cut();
    },
    down(ms) {
      downUntil = Date.now() + ms;
      cut();
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
