import type { MasterSpec } from '../../core/mesos/master-spec.js';

/**
 * How to reach Mesos. Plain data, already checked: the command layer fills it from flags, files
 * and the environment (`src/cmd/shared/mesos-connection.ts`). Only `master` is required.
 */
export interface MesosConnectOptions {
  /** The masters: a parsed spec, or text (URL, host:port, comma list, zk://h1:p1,h2:p2/path). */
  master: MasterSpec | string;
  /** HTTP basic authentication against masters and agents (with `secret`). */
  principal?: string;
  secret?: string;
  /** PEM CA bundle for https masters and agents. */
  caPem?: Buffer | string;
  insecureSkipTlsVerify?: boolean;
  /** Per request (connect + whole answer). Default 10 s. */
  requestTimeoutMs?: number;
  /** TCP/TLS connect timeout. Default min(requestTimeoutMs, 5 s). */
  connectTimeoutMs?: number;
  /** Extra rounds over the masters after connection errors, 5xx or 503. Default 2. */
  retries?: number;
  /** First backoff between rounds, doubled each round. Default 250 ms. */
  retryBackoffMs?: number;
  /** Redirect hops followed per request. Default 5. */
  maxRedirects?: number;
  /** Largest response accepted. Default 256 MiB. */
  maxResponseBytes?: number;
  /** Agents queried at once. Default 24. */
  agentConcurrency?: number;
  /** Per-agent request timeout. Default: requestTimeoutMs. */
  agentTimeoutMs?: number;
  /** Scheme for agent URLs. Default: the leading master's scheme. */
  agentScheme?: 'http' | 'https';
  /** Scheme for a leader found in ZooKeeper (MasterInfo has none). Default http. */
  zkLeaderScheme?: 'http' | 'https';
  /** The k8sm scheduler's `--framework-name`. Default `Kubernetes`. */
  k8smFrameworkName?: string;
  /** Where snapshots come from by default: master `/state` (default) or operator API `GET_STATE`. */
  stateSource?: 'state' | 'operator';
  /** Aborts every request (Ctrl-C). */
  signal?: AbortSignal;
  /** The clock for snapshot times (ms since the epoch). Default Date.now. */
  now?: () => number;
  /** Debug lines (requests, redirects, leader changes); never headers or secrets. */
  debug?: (line: string) => void;
}

export const MESOS_DEFAULTS = {
  requestTimeoutMs: 10_000,
  retries: 2,
  retryBackoffMs: 250,
  maxRedirects: 5,
  maxResponseBytes: 256 * 1024 * 1024,
  agentConcurrency: 24,
} as const;
