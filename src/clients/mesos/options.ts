/**
 * How to reach Mesos. Plain data: the command layer fills it from flags and the environment.
 * Only `master` is required.
 */
export interface MesosConnectOptions {
  /** `--mesos-master` / `$MESOS_MASTER`: URL, host:port, comma list, or zk://h1:p1,h2:p2/path. */
  master: string;
  /** `--mesos-principal`: HTTP basic auth against masters and agents. */
  principal?: string;
  /** The secret itself (programmatic use); else read from `secretFile`, else `$MESOS_SECRET`. */
  secret?: string;
  /** `--mesos-secret-file`: file holding the secret (trailing newline ignored). */
  secretFile?: string;
  /** Environment to read `MESOS_SECRET` from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `--mesos-ca-file`: PEM CA bundle for https masters and agents. */
  caFile?: string;
  /** `--insecure-skip-tls-verify`. */
  insecureSkipTlsVerify?: boolean;
  /** `--request-timeout` per request (connect + whole answer). Default 10 s. */
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
