import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { Registry } from 'prom-client';

/**
 * The scheduler's HTTP endpoints on --address/--port (k8sm's 10251, §1.17): `/healthz` (the process
 * runs), `/readyz` (subscribed to Mesos and the pods listed), `/metrics` (Prometheus text), and the
 * executor artifacts the agents fetch (`/<basename>` of a local --km-path/--executor-path).
 */
export interface SchedulerServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startServer(o: {
  address: string;
  port: number;
  ready: () => boolean;
  registry: Registry;
  artifacts: Readonly<Record<string, string>>;
}): Promise<SchedulerServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (path === '/readyz') {
      const ok = o.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not subscribed yet');
      return;
    }
    if (path === '/metrics') {
      o.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': o.registry.contentType }).end(text),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
      return;
    }
    const file = o.artifacts[decodeURIComponent(path.slice(1))];
    if (file) {
      const s = createReadStream(file);
      s.once('error', () => {
        if (!res.headersSent) res.writeHead(404).end();
        else res.destroy();
      });
      s.once('open', () => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        s.pipe(res);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.address.includes(':') ? `[${o.address}]` : o.address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
