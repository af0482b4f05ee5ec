import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { EXIT_FINDINGS, UnreachableError, UsageError, UserError } from '../../lib/errors.js';
import type { AgentDetail, AgentSnapshot, ClusterSnapshot } from '../../core/mesos/snapshot.js';
import { parseMasterSpec } from '../../core/mesos/master-spec.js';
import { parseMasterSlaves, parseMasterState } from '../../core/mesos/master-state.js';
import { parseOperatorState } from '../../core/mesos/operator-state.js';
import { parseAgentFlags, parseAgentState } from '../../core/mesos/agent-state.js';
import { agentEndpoint, agentFlagsUrl, agentStateUrl } from '../../core/mesos/agent-endpoint.js';
import { mergeAgentDetails } from '../../core/mesos/merge-agent-details.js';
import { agentResourceViews } from '../../core/mesos/assemble-snapshot.js';
import { HttpClient, HttpTransportError, type HttpResponse } from '../http/http-client.js';
import { redact } from '../http/redact.js';
import { MasterConnection, type MasterRequest } from './master-connection.js';
import { MESOS_DEFAULTS, type MesosConnectOptions } from './options.js';
import { bodySnippet, statusLine } from '../http/status-text.js';

/** What identifies an agent for the agent endpoints. */
export type AgentRef = Pick<AgentSnapshot, 'id' | 'hostname' | 'pid'> & { port?: number };

export interface SnapshotOptions {
  /**
   * Also ask the agents: `true`/`'state'` → `/slave(1)/state` (executors with container ids and
   * sandboxes, and the flags: one request per agent); `'flags'` → only `/slave(1)/flags`.
   */
  agentDetails?: boolean | 'state' | 'flags';
  /** Which agents to ask (default: the active ones). */
  agentFilter?: (agent: AgentSnapshot) => boolean;
  /** Master `/state` (default) or the v1 operator API `GET_STATE` (has task status messages/reasons). */
  source?: 'state' | 'operator';
  /** Add `GET /master/slaves` and take reservations/ports per role from its exact `*_full` forms. */
  exactReservations?: boolean;
  /** Progress of the agent queries. */
  onAgentProgress?: (done: number, total: number) => void;
}

/** A raw master answer. */
export interface MasterJson {
  json: unknown;
  /** The endpoint that answered, e.g. `/state` or `/state.json`. */
  endpoint: string;
  /** The leading master's base URL. */
  masterUrl: string;
}

export interface AgentDetailsResult {
  details: Map<string, AgentDetail>;
  warnings: string[];
}

/**
 * The Mesos side of the cluster: leader-aware requests to the master, concurrent bounded requests
 * to agents, and typed snapshots. Get one from `connectMesos`; `close()` it when done.
 */
export class MesosClient {
  private legacyStateJson = false;
  private readonly agentLimit: ReturnType<typeof pLimit>;

  constructor(
    private readonly conn: MasterConnection,
    private readonly http: HttpClient,
    private readonly agentHttp: HttpClient,
    private readonly o: Required<Pick<MesosConnectOptions, 'agentConcurrency' | 'retryBackoffMs'>> &
      Pick<MesosConnectOptions, 'agentScheme' | 'k8smFrameworkName' | 'stateSource' | 'principal' | 'debug'>,
  ) {
    this.agentLimit = pLimit(o.agentConcurrency);
  }

  /** The leading master's base URL, once a request found it. */
  get leaderUrl(): string | undefined {
    return this.conn.leaderUrl;
  }

  /** HTTP requests sent so far, masters and agents (redirect hops and retries included). */
  get requestCount(): number {
    return this.http.requestCount + this.agentHttp.requestCount;
  }

  /** Master `/state`, falling back to `/state.json` (Mesos before 1.7) on 404 and remembering it. */
  async masterState(): Promise<MasterJson> {
    if (!this.legacyStateJson) {
      const r = await this.conn.request({ method: 'GET', path: '/state' });
      if (r.res.status !== 404) return { json: this.json(r.res, r.masterUrl, '/state'), endpoint: '/state', masterUrl: r.masterUrl };
      this.o.debug?.(`${r.masterUrl}/state: 404, trying /state.json (Mesos before 1.7)`);
      this.legacyStateJson = true;
    }
    const r = await this.conn.request({ method: 'GET', path: '/state.json' });
    if (r.res.status === 404) {
      throw new UnreachableError(`Mesos master ${r.masterUrl} has neither /state nor /state.json (404 Not Found)`, {
        hint: 'is --mesos-master a Mesos master?',
      });
    }
    return { json: this.json(r.res, r.masterUrl, '/state.json'), endpoint: '/state.json', masterUrl: r.masterUrl };
  }

  /** `GET /master/slaves` (agents with the exact `*_full` resource forms). */
  async masterSlaves(): Promise<MasterJson> {
    const path = '/master/slaves';
    const r = await this.conn.request({ method: 'GET', path });
    return { json: this.json(r.res, r.masterUrl, path), endpoint: path, masterUrl: r.masterUrl };
  }

  /**
   * A v1 operator API call on the leader (`POST /api/v1`, JSON). `idempotent: false` for calls that
   * change state (no retries). Returns the parsed answer (`{}` for an empty 200/202).
   */
  async operatorCall(call: { type: string } & Record<string, unknown>, opts: { idempotent?: boolean } = {}): Promise<MasterJson> {
    const path = '/api/v1';
    const req: MasterRequest = {
      method: 'POST',
      path,
      body: JSON.stringify(call),
      headers: { 'Content-Type': 'application/json' },
      idempotent: opts.idempotent ?? true,
    };
    const r = await this.conn.request(req);
    const what = `${path} ${call.type}`;
    const json = r.res.body.length === 0 && r.res.status < 300 ? {} : this.json(r.res, r.masterUrl, what);
    return { json, endpoint: what, masterUrl: r.masterUrl };
  }

  /**
   * The cluster as the master sees it (ONE master request by default), plus optionally one request
   * per agent, concurrently. Unreachable agents become `detail.reachable=false` plus a warning.
   */
  async snapshot(opts: SnapshotOptions = {}): Promise<ClusterSnapshot> {
    const source = opts.source ?? this.o.stateSource ?? 'state';
    const fetchedAt = new Date().toISOString();
    const common = { fetchedAt, ...(this.o.k8smFrameworkName ? { k8smFrameworkName: this.o.k8smFrameworkName } : {}) };
    let snap: ClusterSnapshot | undefined;
    const warnings: string[] = [];
    if (source === 'operator') {
      try {
        const r = await this.operatorCall({ type: 'GET_STATE' });
        snap = parseOperatorState(r.json, { ...common, source: `GET_STATE of master ${r.masterUrl}`, masterUrl: r.masterUrl });
      } catch (e) {
        if (!(e instanceof OperatorApiMissing)) throw e;
        warnings.push(`${e.message}; used /state instead (task status messages and reasons are not available)`);
      }
    }
    if (!snap) {
      const r = await this.masterState();
      snap = parseMasterState(r.json, { ...common, source: `${r.endpoint} of master ${r.masterUrl}`, masterUrl: r.masterUrl });
    }
    snap.warnings.push(...warnings);

    if (opts.exactReservations) {
      const r = await this.masterSlaves();
      const exact = new Map(parseMasterSlaves(r.json, `${r.endpoint} of master ${r.masterUrl}`).map((a) => [a.id, a]));
      for (const a of snap.agents) {
        const e = exact.get(a.id);
        if (!e) continue;
        Object.assign(
          a,
          agentResourceViews({ total: a.total, used: e.used, offered: e.offered, reserved: e.reserved, unreserved: e.unreserved }),
        );
      }
    }

    if (opts.agentDetails) {
      const mode = opts.agentDetails === 'flags' ? 'flags' : 'state';
      const filter = opts.agentFilter ?? ((a: AgentSnapshot) => a.active);
      const { details } = await this.agentDetails(snap.agents.filter(filter), mode, opts.onAgentProgress);
      mergeAgentDetails(snap, details);
    }
    return snap;
  }

  /** One agent's `/slave(1)/state` as AgentDetail. Throws UnreachableError when it does not answer. */
  async agentState(agent: AgentRef): Promise<AgentDetail> {
    const ep = agentEndpoint(agent, this.agentScheme());
    const url = agentStateUrl(ep);
    const res = await this.agentGet(agent, url);
    return parseAgentState(this.json(res, `agent ${agent.hostname}`, `/${ep.processId}/state`), `/${ep.processId}/state of agent ${agent.hostname} (${ep.baseUrl})`);
  }

  /** One agent's `/slave(1)/flags`. Throws UnreachableError when it does not answer. */
  async agentFlags(agent: AgentRef): Promise<Record<string, string>> {
    const ep = agentEndpoint(agent, this.agentScheme());
    const url = agentFlagsUrl(ep);
    const res = await this.agentGet(agent, url);
    return parseAgentFlags(this.json(res, `agent ${agent.hostname}`, `/${ep.processId}/flags`), `/${ep.processId}/flags of agent ${agent.hostname} (${ep.baseUrl})`);
  }

  /**
   * Asks many agents at once (at most `agentConcurrency` in flight, each bounded by the agent
   * timeout). Never throws for an agent: a failure becomes `{reachable:false, error}` and a warning.
   */
  async agentDetails(
    agents: ReadonlyArray<AgentRef>,
    mode: 'state' | 'flags' = 'state',
    onProgress?: (done: number, total: number) => void,
  ): Promise<AgentDetailsResult> {
    const details = new Map<string, AgentDetail>();
    const warnings: string[] = [];
    let done = 0;
    await Promise.all(
      agents.map((agent) =>
        this.agentLimit(async () => {
          let detail: AgentDetail;
          try {
            detail = mode === 'flags' ? { reachable: true, flags: await this.agentFlags(agent) } : await this.agentState(agent);
          } catch (e) {
            const error = agentErrorText(e, agent);
            detail = { reachable: false, error };
            warnings.push(`agent ${agent.hostname} (${agent.id}) did not answer: ${error}`);
          }
          details.set(agent.id, detail);
          onProgress?.(++done, agents.length);
        }),
      ),
    );
    return { details, warnings };
  }

  close(): void {
    this.http.close();
    this.agentHttp.close();
  }

  private agentScheme(): 'http' | 'https' {
    if (this.o.agentScheme) return this.o.agentScheme;
    return this.conn.leaderUrl?.startsWith('https:') ? 'https' : 'http';
  }

  /** GET on an agent: one retry after a connection error or 5xx, no redirects. */
  private async agentGet(agent: AgentRef, url: string): Promise<HttpResponse> {
    let last: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, this.o.retryBackoffMs));
      try {
        const res = await this.agentHttp.send({ method: 'GET', url });
        if (res.status >= 500) {
          last = new UnreachableError(`agent ${agent.hostname} answered ${statusLine(res.status)} for ${new URL(url).pathname}`);
          continue;
        }
        this.checkStatus(res, `agent ${agent.hostname} (${new URL(url).origin})`, new URL(url).pathname);
        return res;
      } catch (e) {
        last = e;
        if (!(e instanceof HttpTransportError) || !e.retryable) break;
      }
    }
    if (last instanceof HttpTransportError) {
      throw new UnreachableError(`cannot reach agent ${agent.hostname} at ${new URL(url).origin}: ${last.message}`, { cause: last });
    }
    throw last;
  }

  /** Non-2xx answers that are not redirects/5xx (handled by the connection) → clear errors. */
  private checkStatus(res: HttpResponse, who: string, endpoint: string): void {
    if (res.status >= 200 && res.status < 300) return;
    const principal = this.o.principal;
    // Refused (not unreachable): exit 1, as kubectl exits on Unauthorized/Forbidden.
    if (res.status === 401) {
      throw new UserError(
        principal
          ? `${who} rejected the credentials of principal "${principal}" for ${endpoint} (401 Unauthorized)`
          : `${who} requires authentication for ${endpoint} (401 Unauthorized)`,
        {
          hint: principal
            ? 'check --mesos-principal and the secret (--mesos-secret-file or $MESOS_SECRET)'
            : 'pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET)',
          exitCode: EXIT_FINDINGS,
        },
      );
    }
    if (res.status === 403) {
      throw new UserError(
        `${who} forbids ${principal ? `principal "${principal}"` : 'anonymous requests'} to read ${endpoint} (403 Forbidden)`,
        { hint: 'ask the Mesos operators to grant read access in the ACLs', exitCode: EXIT_FINDINGS },
      );
    }
    const snippet = redact(bodySnippet(res.body), this.http.secretsToRedact);
    throw new UnreachableError(`${who} answered ${statusLine(res.status)} for ${endpoint}${snippet ? `: ${snippet}` : ''}`);
  }

  /** Status check + JSON parse with a one-line error naming the server and the endpoint. */
  private json(res: HttpResponse, who: string, endpoint: string): unknown {
    const whoFull = who.startsWith('agent ') ? who : `master ${who}`;
    if (endpoint.startsWith('/api/v1') && (res.status === 404 || res.status === 405)) {
      throw new OperatorApiMissing(`${whoFull} has no v1 operator API (${statusLine(res.status)} for /api/v1)`);
    }
    this.checkStatus(res, who.startsWith('agent ') ? who : `Mesos master ${who}`, endpoint);
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch (e) {
      const reason = res.body.length === 0 ? 'empty body' : (e as Error).message.split('\n')[0];
      throw new UnreachableError(`${whoFull} returned invalid JSON for ${endpoint}: ${reason}`, {
        hint: 'is it a Mesos server? (a proxy or load balancer in between can cause this)',
      });
    }
  }
}

class OperatorApiMissing extends UnreachableError {}

function agentErrorText(e: unknown, agent: AgentRef): string {
  const msg = e instanceof Error ? e.message : String(e);
  // Drop the "cannot reach agent X at URL: " / "agent X " prefix: the warning names the agent.
  return msg
    .replace(new RegExp(`^cannot reach agent ${escapeRe(agent.hostname)} at \\S+: `), '')
    .replace(new RegExp(`^agent ${escapeRe(agent.hostname)}( \\([^)]*\\))? `), '')
    .replace(/^unexpected JSON in /, 'unexpected JSON in ');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function readSecret(o: MesosConnectOptions): Promise<string | undefined> {
  if (o.secret !== undefined) return o.secret;
  if (o.secretFile) {
    if (!o.principal) throw new UsageError('--mesos-secret-file needs --mesos-principal', 'pass the principal the secret belongs to');
    try {
      return (await readFile(o.secretFile, 'utf8')).replace(/\r?\n$/, '');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        `cannot read --mesos-secret-file ${o.secretFile}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'error')}`,
      );
    }
  }
  const env = o.env ?? process.env;
  return o.principal ? env['MESOS_SECRET'] : undefined;
}

/**
 * Checks the options and builds a client. Contacts nothing (except ZooKeeper on the first
 * request for zk:// masters): the first master request finds the leader, so `get agents` costs
 * exactly one request when the first master named is the leader.
 */
export async function connectMesos(opts: MesosConnectOptions): Promise<MesosClient> {
  const spec = parseMasterSpec(opts.master);
  const secret = await readSecret(opts);
  if (opts.principal && (secret === undefined || secret === '')) {
    throw new UsageError(
      `--mesos-principal "${opts.principal}" needs a secret`,
      'pass --mesos-secret-file FILE or set $MESOS_SECRET',
    );
  }
  let caPem: Buffer | undefined;
  if (opts.caFile) {
    try {
      caPem = await readFile(opts.caFile);
    } catch (e) {
      throw new UsageError(`cannot read --mesos-ca-file ${opts.caFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    if (!caPem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
      throw new UsageError(`--mesos-ca-file ${opts.caFile} holds no PEM certificate`);
    }
  }
  const timeoutMs = opts.requestTimeoutMs ?? MESOS_DEFAULTS.requestTimeoutMs;
  if (!(timeoutMs > 0)) throw new UsageError('--request-timeout must be greater than 0');
  const auth = opts.principal && secret ? { principal: opts.principal, secret } : undefined;
  const base = {
    maxResponseBytes: opts.maxResponseBytes ?? MESOS_DEFAULTS.maxResponseBytes,
    ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    ...(caPem ? { caPem } : {}),
    ...(opts.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    ...(auth ? { auth } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  };
  const http = new HttpClient({ ...base, timeoutMs });
  const agentHttp = new HttpClient({ ...base, timeoutMs: opts.agentTimeoutMs ?? timeoutMs });
  const conn = new MasterConnection({
    spec,
    http,
    retries: opts.retries ?? MESOS_DEFAULTS.retries,
    retryBackoffMs: opts.retryBackoffMs ?? MESOS_DEFAULTS.retryBackoffMs,
    maxRedirects: opts.maxRedirects ?? MESOS_DEFAULTS.maxRedirects,
    zkTimeoutMs: timeoutMs,
    zkLeaderScheme: opts.zkLeaderScheme ?? 'http',
    ...(opts.debug ? { debug: opts.debug } : {}),
  });
  return new MesosClient(conn, http, agentHttp, {
    agentConcurrency: Math.max(1, opts.agentConcurrency ?? MESOS_DEFAULTS.agentConcurrency),
    retryBackoffMs: opts.retryBackoffMs ?? MESOS_DEFAULTS.retryBackoffMs,
    ...(opts.agentScheme ? { agentScheme: opts.agentScheme } : {}),
    ...(opts.k8smFrameworkName ? { k8smFrameworkName: opts.k8smFrameworkName } : {}),
    ...(opts.stateSource ? { stateSource: opts.stateSource } : {}),
    ...(opts.principal ? { principal: opts.principal } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  });
}
