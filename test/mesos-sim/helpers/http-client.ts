/** A raw HTTP(S) client for the simulator's tests: no redirects followed, socket errors surface. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  ca?: string;
  timeoutMs?: number;
  auth?: { principal: string; secret: string };
}

export function raw(url: string, o: RawRequest = {}): Promise<RawResponse> {
  const u = new URL(url);
  const req = u.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.auth) headers['Authorization'] = `Basic ${Buffer.from(`${o.auth.principal}:${o.auth.secret}`).toString('base64')}`;
  if (o.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(o.body));
  return new Promise((resolve, reject) => {
    const r = req(
      u,
      { method: o.method ?? 'GET', headers, agent: false, ...(o.ca ? { ca: o.ca } : {}), timeout: o.timeoutMs ?? 10000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    if (o.body !== undefined) r.write(o.body);
    r.end();
  });
}

export async function getJson(url: string, o: RawRequest = {}): Promise<any> {
  const res = await raw(url, o);
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

/** `POST /api/v1` with a JSON call. */
export function api(url: string, call: unknown, o: RawRequest = {}): Promise<RawResponse> {
  return raw(url, {
    ...o,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(o.headers ?? {}) },
    body: JSON.stringify(call),
  });
}
