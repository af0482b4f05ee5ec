/**
 * The Mesos v1 scheduler HTTP API (reference §2.6): SUBSCRIBE on the leading master (found as the
 * other commands find it: URL, comma list, zk://, following 307s), the RecordIO event stream read
 * on bytes (§2.5), and calls on their own connections with `Mesos-Stream-Id`.
 *
 * Reconnect and backoff are the caller's (the scheduler loop's): a session ends with a ClientError
 * and the caller subscribes again with the framework id.
 */

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
   * master's message), 401 `unauthorized`, 403 `forbidden` reason `stream-invalid` (the stream is
   * gone: resubscribe), 307 `no-leader` reason `not-leader` (resubscribe), 5xx `server`, transport
   * errors as the HTTP layer gives them.
   */
  call(call: Omit<V1Call, 'framework_id'>): Promise<void>;
  /** Hangs up the stream (the master starts the failover timeout); events() returns. */
  close(): void;
}

export interface SchedulerClient {
  subscribe(opts: SubscribeOptions): Promise<SchedulerSession>;
}
