// What the scheduler benches share: bundling a TypeScript entry for a child process, a small keep-alive
// HTTPS client of the apiserver with a pod watch, running work at a concurrency, and clocks.
import https from 'node:https';
import { join } from 'node:path';
import { build } from 'esbuild';

export const ms = () => Number(process.hrtime.bigint()) / 1e6;
export const sleep = (t) => new Promise((r) => setTimeout(r, t));

export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

/** Bundles `root/...entry` (dependencies left external) to `out/<name>-<pid>.mjs`; returns its path. */
export async function bundle(root, out, entry, name) {
  const outfile = join(out, `${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, ...entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

/** A small HTTPS client for the apiserver: keep-alive, at most `sockets` connections. */
export function kubeClient(url, caPem, token, sockets) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: sockets, ca: caPem });
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        `${url}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode >= 300) reject(new Error(`apiserver ${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`));
            else resolve(text);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  /** A watch of a namespace's pods from `rv`: calls onPod(pod) for every event until close(). */
  const watch = (ns, rv, onPod) => {
    let req;
    let buf = '';
    req = https.request(
      `${url}/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=false`,
      { ca: caPem, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      (res) => {
        res.setEncoding('utf8');
        res.on('end', () => console.log(`watch of ${ns} pods ended (HTTP ${res.statusCode}): later bindings are not seen`));
        res.on('data', (c) => {
          buf += c;
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) onPod(JSON.parse(line).object);
          }
        });
      },
    );
    req.on('error', (e) => console.log(`watch of ${ns} pods broke: ${e.message}`));
    req.end();
    return { close: () => req.destroy() };
  };
  return { call, watch, close: () => agent.destroy() };
}

export async function inParallel(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
