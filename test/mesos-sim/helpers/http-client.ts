/** HTTP(S) for the simulator's tests: net.ts's one request (no redirects followed, socket errors surface), with basic auth. */
import { http, type HttpResult } from '../../stack/net.js';

export type RawResponse = HttpResult;

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  ca?: string;
  timeoutMs?: number;
  auth?: { principal: string; secret: string };
}

export function raw(url: string, o: RawRequest = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.auth) headers['Authorization'] = `Basic ${Buffer.from(`${o.auth.principal}:${o.auth.secret}`).toString('base64')}`;
  return http(url, { method: o.method ?? 'GET', headers, body: o.body, ca: o.ca, timeoutMs: o.timeoutMs ?? 10000 });
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
