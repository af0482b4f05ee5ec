/**
 * The one error type every client (`src/clients/**`) throws. It says what happened, to which
 * server, in facts: a kind, a finer machine-readable reason, the (redacted) target, the HTTP status,
 * whether trying again may help. It never names a command-line flag, never carries a hint and
 * never picks an exit code: the command layer (`src/lib/outcomes.ts`) does, in one place.
 */

export type ClientErrorKind =
  /** No connection: refused, host unknown or unreachable, reset before an answer. */
  | 'unreachable'
  /** A deadline passed: connect, whole request, or the idle time between two chunks of a stream. */
  | 'timeout'
  /** TLS handshake or certificate verification failed. */
  | 'tls'
  /** An answer that is not what the protocol promises: not HTTP, not JSON, the wrong shape, bad redirects. */
  | 'protocol'
  /** The connection closed before the whole body arrived. */
  | 'truncated'
  /** The body is larger than the client accepts. */
  | 'too-large'
  /** The caller's AbortSignal fired (Ctrl-C, SIGTERM, a cancelled watch). */
  | 'aborted'
  /** 401: no credentials, or wrong ones. */
  | 'unauthorized'
  /** 403: the credentials are fine, the request is not allowed. */
  | 'forbidden'
  /** 404 for a named object. */
  | 'not-found'
  /** 409. */
  | 'conflict'
  /** Another 4xx. */
  | 'rejected'
  /** 5xx. */
  | 'server'
  /** Mesos: no master is leading (503, or none registered in ZooKeeper). */
  | 'no-leader'
  /** The client's own configuration cannot be used (kubeconfig, credentials). */
  | 'config';

/** Which server a client talked to. */
export type ClientService = 'mesos-master' | 'mesos-agent' | 'zookeeper' | 'kube-apiserver' | 'docker-engine' | 'http';

/**
 * Finer causes the command layer words differently. Transport: refused, dns, host-unreachable,
 * reset, connect-timeout, deadline, idle, not-https, certificate, not-http. Redirects:
 * redirect-loop, too-many-redirects, redirect-without-location, redirect-invalid. Answers:
 * invalid-json, unexpected-shape, no-state-endpoint, no-operator-api. Credentials:
 * credentials-missing, credentials-rejected. A refused SUBSCRIBE: subscribe-forbidden (403),
 * subscribe-refused (400), besides the credentials ones (401). ZooKeeper: zk-no-node, zk-no-leader, zk-legacy-only,
 * zk-leader-unstable, zk-no-auth. Kubeconfig: kubeconfig-not-found, kubeconfig-unreadable,
 * kubeconfig-invalid, kubeconfig-env-empty, no-current-context, context-not-found,
 * cluster-not-found, user-not-found, server-not-http, credentials-unusable.
 */
export type ClientErrorReason = string;

export interface ClientErrorInit {
  kind: ClientErrorKind;
  /** One line of facts, e.g. `cannot get /state from Mesos master http://m:5050: connection refused`. */
  message: string;
  service?: ClientService;
  reason?: ClientErrorReason;
  /** The URL or server concerned, without credentials. */
  target?: string;
  status?: number;
  /** Default: by kind (see RETRYABLE_KINDS). */
  retryable?: boolean;
  /** Values the command layer may need to word its hint (a principal, a list of contexts...). */
  details?: Readonly<Record<string, string | number | boolean | ReadonlyArray<string>>>;
  /** Already sanitized (never a third-party error holding request headers). */
  cause?: unknown;
}

/** Kinds that may go away on their own, so that another try can help. */
const RETRYABLE_KINDS: ReadonlySet<ClientErrorKind> = new Set(['unreachable', 'truncated', 'server', 'no-leader']);

export class ClientError extends Error {
  readonly kind: ClientErrorKind;
  readonly service: ClientService;
  readonly reason?: ClientErrorReason;
  readonly target?: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, string | number | boolean | ReadonlyArray<string>>>;

  constructor(init: ClientErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ClientError';
    this.kind = init.kind;
    this.service = init.service ?? 'http';
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.target !== undefined) this.target = init.target;
    if (init.status !== undefined) this.status = init.status;
    this.retryable = init.retryable ?? RETRYABLE_KINDS.has(init.kind);
    this.details = init.details ?? {};
  }

  /** The same facts with another message, service or details (a client adding what it knows). */
  with(changes: Partial<ClientErrorInit>): ClientError {
    return new ClientError({
      kind: this.kind,
      message: this.message,
      service: this.service,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.target !== undefined ? { target: this.target } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
      retryable: this.retryable,
      details: this.details,
      ...(this.cause !== undefined ? { cause: this.cause } : {}),
      ...changes,
    });
  }
}

/** The kind an HTTP status maps to (2xx and 3xx are not errors and map to undefined). */
export function kindOfStatus(status: number): ClientErrorKind | undefined {
  if (status < 400) return undefined;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server';
  return 'rejected';
}
