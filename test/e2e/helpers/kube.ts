/**
 * Talking to the stack's kube-apiserver from a test, to set up and check cluster state: kubectl with
 * the generated kubeconfigs, or HTTPS directly with a user's token.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { runProcess, type RunOptions, type RunResult } from './run-cli.js';
import { stack, type KubeUserName } from './stack.js';

export const KUBECTL = '/usr/bin/kubectl';

/** `kubectl --kubeconfig <user's file> ...` (the limited user's context defaults to team-a). */
export function kubectl(args: string[], opts: RunOptions & { user?: KubeUserName } = {}): Promise<RunResult> {
  const info = stack();
  const kubeconfig = info.kube[opts.user ?? 'admin'].kubeconfig;
  return runProcess(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { timeoutMs: 20_000, ...opts });
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

/** One request to the apiserver as `user` (default admin); JSON in, JSON (or text) out. */
export function kubeApi<T = unknown>(
  path: string,
  opts: { user?: KubeUserName; method?: string; body?: unknown; contentType?: string; timeoutMs?: number } = {},
): Promise<KubeResponse<T>> {
  const info = stack();
  const token = info.kube[opts.user ?? 'admin'].token;
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (payload !== undefined) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = request(
      `${info.kube.url}${path}`,
      { method: opts.method ?? 'GET', headers, ca: readFileSync(info.kube.caFile), timeout: opts.timeoutMs ?? 10_000, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: body as T, text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${opts.method ?? 'GET'} ${path}`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
