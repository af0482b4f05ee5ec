/**
 * The Mesos v1 scheduler HTTP API (reference §2.6): SUBSCRIBE on the leading master (found as the
 * other commands find it: URL, comma list, zk://, following 307s), the RecordIO event stream read
 * on bytes (§2.5), and calls on their own connections with `Mesos-Stream-Id`.
 *
 * Reconnect and backoff are the caller's (the scheduler loop's): a session ends with a ClientError
 * and the caller subscribes again with the framework id.
 */

import { RecordIODecoder, RecordIOError, recordText } from '../../core/mesos/recordio.js';
import { ClientError, kindOfStatus, type ClientErrorInit } from '../errors.js';
import { HttpClient, type HttpStream } from '../http/http-client.js';
import { sanitizedCause } from '../http/redact.js';
import { bodySnippet, statusLine } from '../http/status-text.js';
import { masterConnectionFor, type MasterConnection } from './master-connection.js';
import { MESOS_DEFAULTS, type MesosConnectOptions } from './options.js';
import { MAX_TIMER_MS } from '../../lib/duration.js';

// Wire JSON of Mesos v1 scheduler.proto (mesos.v1.scheduler.Event / Call), typed loosely: the JSON field names of the proto.
type Json = Record<string, unknown>;
type Id = { value: string };

export type V1Event = {
  type: string;
  subscribed?: { framework_id: Id; heartbeat_interval_seconds?: number; master_info?: Json; [k: string]: unknown };
  offers?: { offers?: Json[]; [k: string]: unknown };
  rescind?: { offer_id: Id; [k: string]: unknown };
  update?: { status: Json & { task_id: Id; state: string; uuid?: string; agent_id?: Id; reason?: string; message?: string; source?: string } };
  message?: { agent_id: Id; executor_id: Id; data: string };
  failure?: { agent_id?: Id; executor_id?: Id; status?: number };
  error?: { message: string };
  [k: string]: unknown;
};
export type V1Call = { type: string; framework_id?: { value: string }; [k: string]: unknown };

export interface SubscribeOptions {
  /** v1 FrameworkInfo JSON, with `id` when resubscribing. */
  frameworkInfo: Record<string, unknown>;
  /** Ends the subscription (and a pending subscribe): events() then returns. */
  signal?: AbortSignal;
  /** Roles to subscribe suppressed (`Call.Subscribe.suppressed_roles`). */
  suppressedRoles?: string[];
}

export interface SchedulerSession {
  readonly frameworkId: string;
  readonly streamId: string;
  readonly heartbeatIntervalSeconds: number;
  /** Base URL of the master that accepted the subscription, e.g. `http://10.0.0.1:5050`. */
  readonly leader: string;
  /**
   * The events after SUBSCRIBED (HEARTBEAT included), in order; one consumer. Returns when close()
   * is called or the subscribe signal fires. Throws a ClientError (service `mesos-master`) when the
   * stream breaks (`truncated`, reason `stream-ended`, or the transport's kind), when heartbeats
   * are missed (`timeout`, reason `heartbeat`: about five intervals of silence), when a record is
   * malformed (`protocol`, reason `recordio` or `invalid-json`), or when ERROR arrives (`rejected`,
   * reason `framework-error`, the master's message).
   */
  events(): AsyncIterable<V1Event>;
  /**
   * One call on its own connection, with `framework_id` and `Mesos-Stream-Id` added; expects 202
   * (200 for UPDATE_FRAMEWORK). ClientError otherwise: 400 `rejected` (reason `bad-call`, the
   * master's message; reason `stream-invalid` when another subscription of the framework owns the
   * stream), 401 `unauthorized`, 403 `forbidden` reason `stream-invalid` (the stream is gone:
   * resubscribe), 307 `no-leader` reason `not-leader` (resubscribe), 5xx `server`, transport errors
   * as the HTTP layer gives them.
   */
  call(call: Omit<V1Call, 'framework_id'>): Promise<void>;
  /** Hangs up the stream (the master starts the failover timeout); events() returns. */
  close(): void;
}

export interface SchedulerClient {
  subscribe(opts: SubscribeOptions): Promise<SchedulerSession>;
}

// ---------------------------------------------------------------------------------------------
// Implementation

export interface SchedulerConnectOptions extends MesosConnectOptions {
  /** Silence (in heartbeat intervals) after which a session fails with `timeout`/`heartbeat`. Default 5. */
  missedHeartbeats?: number;
  /** Deadline of one call. Default requestTimeoutMs. */
  callTimeoutMs?: number;
}

/** A scheduler API client: one per scheduler; `close()` drops its connections. */
export interface SchedulerApi extends SchedulerClient {
  close(): void;
}

const SCHEDULER_PATH = '/api/v1/scheduler';
/** Connections for scheduler calls to the master at once (ACKNOWLEDGEs: as many again). */
export const CALL_CONNECTIONS = 32;
const DEFAULT_HEARTBEAT_SECONDS = 15;

/** Builds the client; contacts nothing until `subscribe`. */
export function connectScheduler(opts: SchedulerConnectOptions): SchedulerApi {
  const timeoutMs = opts.requestTimeoutMs && opts.requestTimeoutMs > 0 ? opts.requestTimeoutMs : MESOS_DEFAULTS.requestTimeoutMs;
  const auth = opts.principal && opts.secret ? { principal: opts.principal, secret: opts.secret } : undefined;
  const common = {
    timeoutMs,
    maxResponseBytes: 1024 * 1024,
    // The session's own heartbeat check replaces the layer's idle timeout on the stream.
    idleTimeoutMs: MAX_TIMER_MS,
    service: 'mesos-master' as const,
    ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    ...(opts.caPem ? { caPem: opts.caPem } : {}),
    ...(opts.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    ...(auth ? { auth } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  };
  // The subscription (and the leader lookups) on connections of their own; the calls on at most
  // CALL_CONNECTIONS, further calls waiting for one: calls are not awaited one by one (an
  // ACKNOWLEDGE per status), and after a pause thousands went out at once, each on a new
  // connection (8,000 open to the master, 1.5 GB resident, nothing scheduled for a minute).
  // ACKNOWLEDGEs have a pool of their own, so that a flood of them never holds up the answers to
  // offers (ACCEPT, DECLINE) or SUPPRESS/REVIVE/KILL/RECONCILE behind it.
  const http = new HttpClient(common);
  const callHttp = new HttpClient({ ...common, maxSockets: CALL_CONNECTIONS });
  const ackHttp = new HttpClient({ ...common, maxSockets: CALL_CONNECTIONS });
  const conn = masterConnectionFor(opts, http, timeoutMs);
  const settings: SessionSettings = {
    http,
    callHttp,
    ackHttp,
    timeoutMs,
    callTimeoutMs: opts.callTimeoutMs ?? timeoutMs,
    missedHeartbeats: opts.missedHeartbeats ?? 5,
    ...(auth ? { principal: auth.principal } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  };
  return {
    subscribe: (s) => subscribe(conn, settings, s),
    close: () => {
      http.close();
      callHttp.close();
      ackHttp.close();
    },
  };
}

interface SessionSettings {
  http: HttpClient;
  /** For calls: a bounded pool; ACKNOWLEDGEs in a bounded pool of their own. */
  callHttp: HttpClient;
  ackHttp: HttpClient;
  timeoutMs: number;
  callTimeoutMs: number;
  missedHeartbeats: number;
  /** The principal sent with basic authentication, if any (named in a refused SUBSCRIBE). */
  principal?: string;
  debug?: (line: string) => void;
}

function masterError(kind: ClientError['kind'], reason: string, message: string, target: string, extra: Partial<ClientErrorInit> = {}): ClientError {
  return new ClientError({ kind, reason, message, target, service: 'mesos-master', ...extra });
}

/**
 * An HTTP answer that is not the expected one, as a ClientError; 403 on a call means the stream is
 * gone. On SUBSCRIBE (`principal` the one sent, if any): 401 `credentials-rejected`/`credentials-missing`,
 * 403 `subscribe-forbidden`, 400 `subscribe-refused` (the master's validation of the framework).
 */
function statusError(status: number, body: Buffer, what: string, target: string, call: boolean, principal?: string): ClientError {
  const said = bodySnippet(body);
  const message = `Mesos master ${target} answered ${statusLine(status)} to ${what}${said ? `: ${said}` : ''}`;
  if (REDIRECT_STATUSES.has(status)) return masterError('no-leader', 'not-leader', message, target, { status, retryable: true });
  if (!call && (status === 400 || status === 401 || status === 403)) {
    const details = principal ? { details: { principal } } : {};
    if (status === 401) return masterError('unauthorized', principal ? 'credentials-rejected' : 'credentials-missing', message, target, { status, ...details });
    if (status === 403) return masterError('forbidden', 'subscribe-forbidden', message, target, { status, ...details });
    return masterError('rejected', 'subscribe-refused', message, target, { status });
  }
  // A newer subscription of the framework owns the stream (`Master::Http::scheduler`): resubscribe.
  if (status === 400 && call && /stream ID .* didn't match/.test(said))
    return masterError('rejected', 'stream-invalid', message, target, { status, retryable: true });
  if (status === 400) return masterError('rejected', 'bad-call', message, target, { status });
  if (status === 403 && call) return masterError('forbidden', 'stream-invalid', message, target, { status, retryable: true });
  if (status === 404) return masterError('protocol', 'no-scheduler-api', message, target, { status });
  if (status === 503) return masterError('no-leader', 'no-leader', message, target, { status });
  return masterError(kindOfStatus(status) ?? 'protocol', `status-${status}`, message, target, { status });
}
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

async function readSmall(stream: HttpStream, max = 4096): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of stream.body as AsyncIterable<Buffer>) {
      parts.push(c);
      size += c.length;
      if (size >= max) break;
    }
  } catch {
    // what arrived is enough for a message
  } finally {
    stream.close();
  }
  return Buffer.concat(parts);
}

async function subscribe(conn: MasterConnection, s: SessionSettings, opts: SubscribeOptions): Promise<SchedulerSession> {
  const info = opts.frameworkInfo;
  const id = (info['id'] as { value?: unknown } | undefined)?.value;
  const call: V1Call = {
    type: 'SUBSCRIBE',
    ...(typeof id === 'string' && id ? { framework_id: { value: id } } : {}),
    subscribe: { framework_info: info, ...(opts.suppressedRoles?.length ? { suppressed_roles: opts.suppressedRoles } : {}) },
  };
  const { masterUrl, stream } = await conn.stream({
    method: 'POST',
    path: SCHEDULER_PATH,
    body: JSON.stringify(call),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (stream.status !== 200) throw statusError(stream.status, await readSmall(stream), 'SUBSCRIBE', masterUrl, false, s.principal);
  const streamId = stream.headers['mesos-stream-id'];
  if (!streamId) {
    stream.close();
    throw masterError('protocol', 'no-stream-id', `Mesos master ${masterUrl} answered SUBSCRIBE without a Mesos-Stream-Id header`, masterUrl);
  }
  const session = new Session(masterUrl, streamId, stream, s, opts.signal);
  await session.awaitSubscribed();
  return session;
}

class Session implements SchedulerSession {
  frameworkId = '';
  heartbeatIntervalSeconds = DEFAULT_HEARTBEAT_SECONDS;
  private closed = false;
  private failure: ClientError | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly iterator: AsyncIterator<V1Event>;
  private consumed = false;

  constructor(
    readonly leader: string,
    readonly streamId: string,
    private readonly stream: HttpStream,
    private readonly s: SessionSettings,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.iterator = this.read()[Symbol.asyncIterator]();
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => this.close();

  async awaitSubscribed(): Promise<void> {
    this.arm(this.s.timeoutMs, 'no SUBSCRIBED event');
    let first: IteratorResult<V1Event>;
    try {
      first = await this.iterator.next();
    } catch (e) {
      this.close();
      throw e;
    }
    if (first.done) {
      this.close();
      throw masterError('aborted', 'aborted', `subscription to ${this.leader} aborted`, this.leader);
    }
    const ev = first.value;
    const sub = ev.subscribed;
    if (ev.type !== 'SUBSCRIBED' || typeof sub?.framework_id?.value !== 'string') {
      this.close();
      throw masterError('protocol', 'unexpected-shape', `Mesos master ${this.leader} sent ${ev.type} before SUBSCRIBED`, this.leader);
    }
    this.frameworkId = sub.framework_id.value;
    const hb = sub.heartbeat_interval_seconds;
    if (typeof hb === 'number' && hb > 0) this.heartbeatIntervalSeconds = hb;
    this.arm(this.heartbeatMs(), 'heartbeats missed');
  }

  private heartbeatMs(): number {
    // At most what a Node timer holds: a longer delay fires after 1 ms (and warns on stderr).
    return Math.min(Math.ceil(this.heartbeatIntervalSeconds * 1000 * this.s.missedHeartbeats), MAX_TIMER_MS);
  }

  /** (Re)starts the silence check: after `ms` without a byte, the session fails. */
  private arm(ms: number, what: string): void {
    clearTimeout(this.watchdog);
    if (this.closed || this.failure) return;
    this.watchdog = setTimeout(() => {
      const seconds = Math.round(ms / 100) / 10;
      this.failure = masterError(
        'timeout',
        what === 'heartbeats missed' ? 'heartbeat' : 'deadline',
        `${what}: nothing from Mesos master ${this.leader} for ${seconds}s`,
        this.leader,
        {
          retryable: true,
        },
      );
      this.stream.close();
    }, ms);
    this.watchdog.unref?.();
  }

  private async *read(): AsyncGenerator<V1Event> {
    const decoder = new RecordIODecoder();
    try {
      for await (const chunk of this.stream.body as AsyncIterable<Buffer>) {
        if (this.frameworkId) this.arm(this.heartbeatMs(), 'heartbeats missed');
        for (const record of decoder.push(chunk)) {
          const ev = this.parse(record);
          if (ev.type === 'ERROR') {
            const msg = ev.error?.message ?? '';
            throw this.mine(
              masterError('rejected', 'framework-error', `Mesos master ${this.leader} ended the subscription with ERROR: ${msg}`, this.leader, {
                details: { message: msg },
              }),
            );
          }
          yield ev;
          if (this.closed) return;
        }
        if (decoder.error) throw decoder.error;
      }
      decoder.end();
    } catch (e) {
      if (this.closed) return;
      if (this.failure) throw this.failure;
      if (this.own.has(e as Error)) throw e;
      if (e instanceof ClientError) {
        if (e.kind === 'aborted') return;
        if (e.kind === 'truncated') {
          throw masterError('truncated', 'stream-ended', `Mesos master ${this.leader} ended the subscription stream`, this.leader, { cause: e });
        }
        throw e.with({ service: 'mesos-master', message: `subscription stream from Mesos master ${this.leader} broke: ${e.message}` });
      }
      if (e instanceof RecordIOError) throw masterError('protocol', 'recordio', `bad RecordIO from Mesos master ${this.leader}: ${e.message}`, this.leader);
      throw masterError('truncated', 'stream-ended', `subscription stream from Mesos master ${this.leader} broke`, this.leader, {
        cause: sanitizedCause(e instanceof Error ? e.message : String(e), undefined, this.s.http.secretsToRedact),
      });
    } finally {
      this.stop();
    }
    if (this.closed || this.signal?.aborted) return;
    if (this.failure) throw this.failure;
    throw masterError('truncated', 'stream-ended', `Mesos master ${this.leader} ended the subscription stream`, this.leader);
  }

  /** Errors the session raises itself while reading (passed through as they are). */
  private readonly own = new WeakSet<Error>();

  private mine(e: ClientError): ClientError {
    this.own.add(e);
    return e;
  }

  private parse(record: Uint8Array): V1Event {
    let value: unknown;
    try {
      value = JSON.parse(recordText(record));
    } catch (e) {
      throw this.mine(
        masterError('protocol', 'invalid-json', `Mesos master ${this.leader} sent an event that is not JSON: ${(e as Error).message}`, this.leader),
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { type?: unknown }).type !== 'string') {
      throw this.mine(masterError('protocol', 'unexpected-shape', `Mesos master ${this.leader} sent an event without a type`, this.leader));
    }
    return value as V1Event;
  }

  private stop(): void {
    clearTimeout(this.watchdog);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.stream.close();
  }

  events(): AsyncIterable<V1Event> {
    if (this.consumed) throw new Error('SchedulerSession.events() can be iterated once');
    this.consumed = true;
    const it = this.iterator;
    return { [Symbol.asyncIterator]: () => it };
  }

  async call(call: Omit<V1Call, 'framework_id'>): Promise<void> {
    const url = this.leader + SCHEDULER_PATH;
    // Omit<> over an index signature loses `type`: read it back.
    const type = typeof call['type'] === 'string' ? call['type'] : '';
    if (!type) throw new TypeError('a scheduler call needs a string type');
    const res = await (type === 'ACKNOWLEDGE' ? this.s.ackHttp : this.s.callHttp).send({
      method: 'POST',
      url,
      body: JSON.stringify({ ...call, framework_id: { value: this.frameworkId } }),
      headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId },
      timeoutMs: this.s.callTimeoutMs,
      // Sent again on a fresh connection if a kept-alive one was closed under it: all but ACCEPT
      // (its offers are used once) and MESSAGE (delivered twice).
      idempotent: type !== 'ACCEPT' && type !== 'MESSAGE',
    });
    if (res.status === 202 || (res.status === 200 && type === 'UPDATE_FRAMEWORK')) return;
    throw statusError(res.status, res.body, type, this.leader, true);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
  }
}
