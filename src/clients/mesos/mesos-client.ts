import pLimit from 'p-limit';
import type { AgentDetail, AgentSnapshot, ClusterSnapshot, OfferSnapshot } from '../../core/mesos/snapshot.js';
import { MesosFormatError } from '../../core/mesos/json-node.js';
import { parseFrameworkOffers, parseFrameworkTasks, parseMasterSlaves, parseMasterState, type FrameworkTask } from '../../core/mesos/master-state.js';
import { parseOperatorState } from '../../core/mesos/operator-state.js';
import { parseAgentFlags, parseAgentState } from '../../core/mesos/agent-state.js';
import { agentEndpoint, agentFlagsUrl, agentStateUrl } from '../../core/mesos/agent-endpoint.js';
import { mergeAgentDetails } from '../../core/mesos/merge-agent-details.js';
import { parseMesosVersion, type MesosVersionInfo } from '../../core/mesos/version-info.js';
import { agentResourceViews } from '../../core/mesos/assemble-snapshot.js';
import { ClientError, kindOfStatus, type ClientService } from '../errors.js';
import { HttpClient, type HttpResponse } from '../http/http-client.js';
import { redact } from '../http/redact.js';
import { masterConnectionFor, type MasterConnection, type MasterRequest } from './master-connection.js';
import { MESOS_DEFAULTS, type MesosConnectOptions } from './options.js';
import { bodySnippet, statusLine } from '../http/status-text.js';

/** What identifies an agent for the agent endpoints. */
/** `stateJsonOnly`: a Mesos before 0.25 agent, whose state is at `/slave(1)/state.json` (see AgentSnapshot). */
export type AgentRef = Pick<AgentSnapshot, 'id' | 'hostname' | 'pid'> & Partial<Pick<AgentSnapshot, 'port' | 'stateJsonOnly'>>;

export interface SnapshotOptions {
  /**
   * Also ask the agents: `true`/`'state'` → `/slave(1)/state` (executors with container ids and
   * sandboxes, and the flags: one request per agent); `'flags'` → only `/slave(1)/flags`.
   */
  agentDetails?: boolean | 'state' | 'flags';
  /** Which agents to ask (default: the active ones). */
  agentFilter?: (agent: AgentSnapshot) => boolean;
  /**
   * Picks the agents to ask from the master's whole list, before any agent is asked; may throw
   * (e.g. a name that matches no agent). Wins over `agentFilter`.
   */
  selectAgents?: (agents: ReadonlyArray<AgentSnapshot>) => ReadonlyArray<AgentSnapshot>;
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

/** A master's build and where it was read. */
export interface MesosVersionAnswer {
  info: MesosVersionInfo;
  /** `/version`, or `/state` / `/state.json` for a master without it. */
  endpoint: string;
  /** The master that answered. */
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
      Pick<MesosConnectOptions, 'agentScheme' | 'k8smFrameworkName' | 'stateSource' | 'principal' | 'now' | 'debug'>,
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
      throw new ClientError({
        kind: 'protocol',
        reason: 'no-state-endpoint',
        service: 'mesos-master',
        status: 404,
        target: r.masterUrl,
        message: `Mesos master ${r.masterUrl} has neither /state nor /state.json (404 Not Found)`,
      });
    }
    return { json: this.json(r.res, r.masterUrl, '/state.json'), endpoint: '/state.json', masterUrl: r.masterUrl };
  }

  /**
   * The build of the master that answers (`GET /version`, which every master serves itself, the
   * leader when ZooKeeper named it); the top of `/state` for a master without `/version`.
   */
  async masterVersion(): Promise<MesosVersionAnswer> {
    const r = await this.conn.request({ method: 'GET', path: '/version' });
    if (r.res.status === 404) {
      this.o.debug?.(`${r.masterUrl}/version: 404, reading the version from /state`);
      const s = await this.masterState();
      const info = shape('mesos-master', () => parseMesosVersion(s.json, `${s.endpoint} of master ${s.masterUrl}`));
      return { info, endpoint: s.endpoint, masterUrl: s.masterUrl };
    }
    const json = this.json(r.res, r.masterUrl, '/version');
    return { info: shape('mesos-master', () => parseMesosVersion(json, `/version of master ${r.masterUrl}`)), endpoint: '/version', masterUrl: r.masterUrl };
  }

  /** `GET /master/slaves` (agents with the exact `*_full` resource forms). */
  async masterSlaves(): Promise<MasterJson> {
    const path = '/master/slaves';
    const r = await this.conn.request({ method: 'GET', path });
    return { json: this.json(r.res, r.masterUrl, path), endpoint: path, masterUrl: r.masterUrl };
  }

  /**
   * The outstanding offers of one framework (`GET /master/frameworks?framework_id=ID`): a second
   * look after a first snapshot tells an offer held for long from a new one (Mesos prints no offer
   * times). None when the framework is not registered.
   */
  async frameworkOffers(frameworkId: string): Promise<OfferSnapshot[]> {
    const path = `/master/frameworks?framework_id=${encodeURIComponent(frameworkId)}`;
    const r = await this.conn.request({ method: 'GET', path });
    const json = this.json(r.res, r.masterUrl, '/master/frameworks');
    return shape('mesos-master', () => parseFrameworkOffers(json, frameworkId, `/master/frameworks of master ${r.masterUrl}`));
  }

  /** One framework's live tasks (`GET /master/frameworks?framework_id=ID`; none when it is not registered), or every framework's without an id. */
  async frameworkTasks(frameworkId?: string): Promise<FrameworkTask[]> {
    const path = frameworkId === undefined ? '/master/frameworks' : `/master/frameworks?framework_id=${encodeURIComponent(frameworkId)}`;
    const r = await this.conn.request({ method: 'GET', path });
    const json = this.json(r.res, r.masterUrl, '/master/frameworks');
    return shape('mesos-master', () => parseFrameworkTasks(json, frameworkId, `/master/frameworks of master ${r.masterUrl}`));
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
    const fetchedAt = new Date(this.o.now?.() ?? Date.now()).toISOString();
    const common = { fetchedAt, ...(this.o.k8smFrameworkName ? { k8smFrameworkName: this.o.k8smFrameworkName } : {}) };
    let snap: ClusterSnapshot | undefined;
    const warnings: string[] = [];
    if (source === 'operator') {
      try {
        const r = await this.operatorCall({ type: 'GET_STATE' });
        snap = shape('mesos-master', () => parseOperatorState(r.json, { ...common, source: `GET_STATE of master ${r.masterUrl}`, masterUrl: r.masterUrl }));
      } catch (e) {
        if (!(e instanceof ClientError && e.reason === 'no-operator-api')) throw e;
        warnings.push(`${e.message}; used /state instead (task status messages and reasons are not available)`);
      }
    }
    if (!snap) {
      const r = await this.masterState();
      snap = shape('mesos-master', () => parseMasterState(r.json, { ...common, source: `${r.endpoint} of master ${r.masterUrl}`, masterUrl: r.masterUrl }));
    }
    snap.warnings.push(...warnings);

    if (opts.exactReservations) {
      const r = await this.masterSlaves();
      const exact = new Map(shape('mesos-master', () => parseMasterSlaves(r.json, `${r.endpoint} of master ${r.masterUrl}`)).map((a) => [a.id, a]));
      for (const a of snap.agents) {
        const e = exact.get(a.id);
        if (!e) continue;
        Object.assign(a, agentResourceViews({ total: a.total, used: e.used, offered: e.offered, reserved: e.reserved, unreserved: e.unreserved }));
      }
    }

    if (opts.agentDetails) {
      const mode = opts.agentDetails === 'flags' ? 'flags' : 'state';
      const { details } = await this.agentDetails(agentsToAsk(snap.agents, opts), mode, opts.onAgentProgress);
      mergeAgentDetails(snap, details);
    }
    return snap;
  }

  /** One agent's `/slave(1)/state` as AgentDetail. Throws a ClientError (service mesos-agent) when it does not answer. */
  async agentState(agent: AgentRef): Promise<AgentDetail> {
    const ep = agentEndpoint(agent, this.agentScheme());
    const url = agentStateUrl(ep);
    const path = new URL(url).pathname;
    const res = await this.agentGet(agent, url);
    const json = this.json(res, `agent ${agent.hostname}`, path);
    return shape('mesos-agent', () => parseAgentState(json, `${path} of agent ${agent.hostname} (${ep.baseUrl})`));
  }

  /** One agent's `/slave(1)/flags`. Throws a ClientError (service mesos-agent) when it does not answer. */
  async agentFlags(agent: AgentRef): Promise<Record<string, string>> {
    const ep = agentEndpoint(agent, this.agentScheme());
    const url = agentFlagsUrl(ep);
    const res = await this.agentGet(agent, url);
    const json = this.json(res, `agent ${agent.hostname}`, `/${ep.processId}/flags`);
    return shape('mesos-agent', () => parseAgentFlags(json, `/${ep.processId}/flags of agent ${agent.hostname} (${ep.baseUrl})`));
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
            if (e instanceof ClientError && e.kind === 'aborted') throw e;
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
    const origin = new URL(url).origin;
    const path = new URL(url).pathname;
    let last: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, this.o.retryBackoffMs));
      let res: HttpResponse;
      try {
        res = await this.agentHttp.send({ method: 'GET', url });
      } catch (e) {
        if (!(e instanceof ClientError) || e.kind === 'aborted') throw e;
        last = e.with({ service: 'mesos-agent', message: `cannot reach agent ${agent.hostname} at ${origin}: ${e.message}`, cause: e });
        if (!e.retryable) break;
        continue;
      }
      if (res.status >= 500) {
        last = new ClientError({
          kind: 'server',
          service: 'mesos-agent',
          status: res.status,
          target: url,
          message: `agent ${agent.hostname} answered ${statusLine(res.status)} for ${path}`,
        });
        continue;
      }
      this.checkStatus(res, `agent ${agent.hostname} (${origin})`, path, 'mesos-agent');
      return res;
    }
    throw last;
  }

  /**
   * Tears a framework down on the leader: v1 operator `TEARDOWN` (reference §2.4), or
   * `POST /master/teardown` with the form body `frameworkId=` (§2.2) on a master without the v1
   * operator API. Never retried: the master kills every task of the framework.
   */
  async teardownFramework(frameworkId: string): Promise<{ endpoint: string; masterUrl: string }> {
    try {
      try {
        const r = await this.operatorCall({ type: 'TEARDOWN', teardown: { framework_id: { value: frameworkId } } }, { idempotent: false });
        return { endpoint: r.endpoint, masterUrl: r.masterUrl };
      } catch (e) {
        if (!(e instanceof ClientError && e.reason === 'no-operator-api')) throw e;
        this.o.debug?.('no v1 operator API: tearing down through /master/teardown');
      }
      const path = '/master/teardown';
      const r = await this.conn.request({
        method: 'POST',
        path,
        body: new URLSearchParams({ frameworkId }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        idempotent: false,
      });
      this.checkStatus(r.res, `Mesos master ${r.masterUrl}`, path, 'mesos-master');
      return { endpoint: path, masterUrl: r.masterUrl };
    } catch (e) {
      if (!(e instanceof ClientError && e.kind === 'forbidden')) throw e;
      const principal = this.o.principal;
      throw new ClientError({
        kind: 'forbidden',
        reason: 'teardown-forbidden',
        service: 'mesos-master',
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.target !== undefined ? { target: e.target } : {}),
        message: `Mesos master ${this.leaderUrl ?? e.target ?? '?'} forbids ${principal ? `principal "${principal}"` : 'anonymous requests'} to tear down framework ${frameworkId} (403 Forbidden)`,
        ...(principal ? { details: { principal } } : {}),
      });
    }
  }

  /** Non-2xx answers that are not redirects/5xx (handled by the connection) → ClientErrors. */
  private checkStatus(res: HttpResponse, who: string, endpoint: string, service: ClientService): void {
    if (res.status >= 200 && res.status < 300) return;
    const principal = this.o.principal;
    const common = { service, status: res.status, target: res.url, ...(principal ? { details: { principal } } : {}) };
    if (res.status === 401) {
      throw new ClientError({
        ...common,
        kind: 'unauthorized',
        reason: principal ? 'credentials-rejected' : 'credentials-missing',
        message: principal
          ? `${who} rejected the credentials of principal "${principal}" for ${endpoint} (401 Unauthorized)`
          : `${who} requires authentication for ${endpoint} (401 Unauthorized)`,
      });
    }
    if (res.status === 403) {
      throw new ClientError({
        ...common,
        kind: 'forbidden',
        message: `${who} forbids ${principal ? `principal "${principal}"` : 'anonymous requests'} to read ${endpoint} (403 Forbidden)`,
      });
    }
    const snippet = redact(bodySnippet(res.body), this.http.secretsToRedact);
    throw new ClientError({
      ...common,
      kind: res.status < 400 ? 'protocol' : (kindOfStatus(res.status) ?? 'rejected'),
      message: `${who} answered ${statusLine(res.status)} for ${endpoint}${snippet ? `: ${snippet}` : ''}`,
    });
  }

  /** Status check + JSON parse with a one-line error naming the server and the endpoint. */
  private json(res: HttpResponse, who: string, endpoint: string): unknown {
    const agent = who.startsWith('agent ');
    const service: ClientService = agent ? 'mesos-agent' : 'mesos-master';
    const whoFull = agent ? who : `master ${who}`;
    if (endpoint.startsWith('/api/v1') && (res.status === 404 || res.status === 405)) {
      throw new ClientError({
        kind: 'protocol',
        reason: 'no-operator-api',
        service,
        status: res.status,
        target: res.url,
        message: `${whoFull} has no v1 operator API (${statusLine(res.status)} for /api/v1)`,
      });
    }
    this.checkStatus(res, agent ? who : `Mesos master ${who}`, endpoint, service);
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch (e) {
      const reason = res.body.length === 0 ? 'empty body' : (e as Error).message.split('\n')[0];
      throw new ClientError({
        kind: 'protocol',
        reason: 'invalid-json',
        service,
        status: res.status,
        target: res.url,
        message: `${whoFull} returned invalid JSON for ${endpoint}: ${reason}`,
      });
    }
  }
}

/** The agents a snapshot asks for their own state: `selectAgents`, else `agentFilter`, else the active ones. */
export function agentsToAsk(agents: ReadonlyArray<AgentSnapshot>, opts: Pick<SnapshotOptions, 'agentFilter' | 'selectAgents'>): AgentSnapshot[] {
  if (opts.selectAgents) return [...opts.selectAgents(agents)];
  return agents.filter(opts.agentFilter ?? ((a: AgentSnapshot) => a.active));
}

/** Runs a core parser; a document of the wrong shape becomes a ClientError (protocol, unexpected-shape). */
function shape<T>(service: ClientService, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof MesosFormatError) {
      throw new ClientError({ kind: 'protocol', reason: 'unexpected-shape', service, message: e.message, details: { source: e.source, field: e.field } });
    }
    throw e;
  }
}

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

/**
 * Builds a client from its options. Contacts nothing (except ZooKeeper on the first request for
 * zk:// masters): the first master request finds the leader, so `get agents` costs exactly one
 * request when the first master named is the leader.
 */
export function connectMesos(opts: MesosConnectOptions): MesosClient {
  const timeoutMs = opts.requestTimeoutMs && opts.requestTimeoutMs > 0 ? opts.requestTimeoutMs : MESOS_DEFAULTS.requestTimeoutMs;
  const auth = opts.principal && opts.secret ? { principal: opts.principal, secret: opts.secret } : undefined;
  const base = {
    maxResponseBytes: opts.maxResponseBytes ?? MESOS_DEFAULTS.maxResponseBytes,
    ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    ...(opts.caPem ? { caPem: opts.caPem } : {}),
    ...(opts.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    ...(auth ? { auth } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  };
  const http = new HttpClient({ ...base, timeoutMs, service: 'mesos-master' });
  const agentHttp = new HttpClient({ ...base, timeoutMs: opts.agentTimeoutMs ?? timeoutMs, service: 'mesos-agent' });
  const conn = masterConnectionFor(opts, http, timeoutMs);
  return new MesosClient(conn, http, agentHttp, {
    agentConcurrency: Math.max(1, opts.agentConcurrency ?? MESOS_DEFAULTS.agentConcurrency),
    retryBackoffMs: opts.retryBackoffMs ?? MESOS_DEFAULTS.retryBackoffMs,
    ...(opts.agentScheme ? { agentScheme: opts.agentScheme } : {}),
    ...(opts.k8smFrameworkName ? { k8smFrameworkName: opts.k8smFrameworkName } : {}),
    ...(opts.stateSource ? { stateSource: opts.stateSource } : {}),
    ...(opts.principal ? { principal: opts.principal } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
  });
}
