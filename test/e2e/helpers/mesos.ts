/**
 * The running Mesos simulator of the stack: its control API (leader change, faults, seeding
 * frameworks/tasks, k8sm pod launches; see test/stack/mesos-sim/control.ts) and the apiserver access
 * a k8sm launch needs.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { stack } from './stack.js';

/** `POST <controlUrl>/<method>` with `args` as the JSON body; resolves with `result`, rejects with the error. */
export function simControl<T = unknown>(method: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
  const url = stack().mesos?.controlUrl;
  if (!url) return Promise.reject(new Error('this stack has no Mesos simulator control API'));
  const body = JSON.stringify(args);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/${method}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }, timeout: timeoutMs, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: { result?: T; error?: string };
          try {
            parsed = JSON.parse(text) as { result?: T; error?: string };
          } catch {
            reject(new Error(`simulator ${method}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
            return;
          }
          if (res.statusCode === 200) resolve(parsed.result as T);
          else reject(new Error(`simulator ${method}: ${parsed.error ?? `HTTP ${res.statusCode}`}`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`simulator ${method}: timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Admin access to the stack's apiserver in the shape the simulator's `launchK8smPod` takes (`kube`). */
export function kubeAccess(): { server: string; token: string; caPem: string } {
  const k = stack().kube;
  return { server: k.url, token: k.admin.token, caPem: readFileSync(k.caFile, 'utf8') };
}
