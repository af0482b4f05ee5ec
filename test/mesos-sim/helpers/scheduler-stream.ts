/** A raw v1 scheduler subscription for the simulator's tests: SUBSCRIBE over node:http, RecordIO decoded with core's decoder, events queued. */
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { RecordIODecoder, recordText } from '../../../src/core/mesos/recordio.js';
import { raw, type RawResponse } from './http-client.js';

export type Event = { type: string; [k: string]: any };

export interface RawSubscription {
  status: number;
  headers: IncomingMessage['headers'];
  streamId: string;
  /** The URL that answered (after following 307s). */
  url: string;
  events: Event[];
  /** The first event of this type (HEARTBEAT included) not returned before, waiting for it; fails when the stream ends first. */
  next(type: string, pred?: (e: Event) => boolean): Promise<Event>;
  /** Resolves when the stream ends (the server closed it). */
  ended: Promise<void>;
  close(): void;
}

function post(url: string, body: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

/** SUBSCRIBE, following 307s as a scheduler does. */
export async function subscribe(url: string, frameworkInfo: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<RawSubscription> {
  const id = (frameworkInfo['id'] as { value?: string } | undefined)?.value;
  const body = JSON.stringify({ type: 'SUBSCRIBE', ...(id ? { framework_id: { value: id } } : {}), subscribe: { framework_info: frameworkInfo, ...extra } });
  let target = url;
  let res = await post(target, body);
  for (let hop = 0; res.statusCode === 307 && hop < 3; hop++) {
    res.resume();
    target = new URL(res.headers.location!, target).toString();
    res = await post(target, body);
  }
  const events: Event[] = [];
  const waiters: Array<() => void> = [];
  let done = false;
  const decoder = new RecordIODecoder();
  const wake = () => waiters.splice(0).forEach((w) => w());
  const ended = new Promise<void>((resolve) => {
    res.on('data', (c: Buffer) => {
      for (const r of decoder.push(c)) events.push(JSON.parse(recordText(r)) as Event);
      wake();
    });
    const end = () => {
      done = true;
      wake();
      resolve();
    };
    res.on('end', end);
    res.on('close', end);
    res.on('error', end);
  });
  const taken = new Set<number>();
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    streamId: String(res.headers['mesos-stream-id'] ?? ''),
    url: target,
    events,
    ended,
    close: () => res.destroy(),
    async next(type, pred = () => true) {
      for (;;) {
        for (let i = 0; i < events.length; i++) {
          const e = events[i]!;
          if (taken.has(i) || e.type !== type || !pred(e)) continue;
          taken.add(i);
          return e;
        }
        if (done) throw new Error(`the stream ended before a ${type} event (saw ${events.map((e) => e.type).join(', ')})`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

/** A scheduler call with the stream id (omit it with streamId undefined). */
export function call(url: string, streamId: string | undefined, c: Record<string, unknown>): Promise<RawResponse> {
  return raw(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(streamId !== undefined ? { 'Mesos-Stream-Id': streamId } : {}) },
    body: JSON.stringify(c),
  });
}
