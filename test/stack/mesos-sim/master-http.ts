/**
 * Routes of one simulated master (reference §2.1, §2.2, §2.4), after MESOS `src/master/http.cpp`:
 * a standby answers every leader-only endpoint with 307 to `//<leader host>:<port><path?query>`;
 * with no leader it answers 503 "No leader elected"; `/redirect` and `/master/redirect` send the
 * leader's base URL (protocol-relative), any path below them is 404 (loop guard).
 * Paths work both as `/master/<x>` and `/<x>` (libprocess delegates to the master process).
 *
 * The v1 scheduler API (`/api/v1/scheduler`, scheduler-api.ts) works on the same ClusterState.
 */
import { buildInfo, servesStateJson } from './defaults.js';
import { json, methodNotAllowed, text, type SimRequest, type SimResponse } from './http.js';
import { SimError, type ClusterState } from './state.js';
import type { MasterIdentity } from './views/common.js';
import { renderMasterFrameworks, renderMasterSlaves, renderMasterState } from './views/master.js';
import * as op from './views/operator.js';

export interface MasterRuntime {
  index: number;
  identity: MasterIdentity;
  startTime: number;
  electedTime?: number;
  flags: Record<string, string>;
}

export interface MasterHttpContext {
  state: ClusterState;
  self: MasterRuntime;
  leader: () => MasterRuntime | null;
  clusterName?: string;
  /** Removes a framework (state and side effects such as the k8sm executor's containers). */
  teardown: (frameworkId: string) => void;
  /** `POST /api/v1/scheduler` (the leader's; streams answer through `attach`). */
  scheduler?: (req: SimRequest) => SimResponse;
}

type Handler = (ctx: MasterHttpContext, req: SimRequest) => SimResponse;

interface Route {
  leaderOnly: boolean;
  /** HTTP authentication realm, or undefined for an unauthenticated endpoint. */
  realm?: string;
  handler: Handler;
}

const READONLY = 'mesos-master-readonly';
const READWRITE = 'mesos-master-readwrite';

function stateHandler(ctx: MasterHttpContext): SimResponse {
  const leader = ctx.leader();
  return json(
    renderMasterState(ctx.state, {
      self: ctx.self.identity,
      leader: leader ? leader.identity : null,
      startTime: ctx.self.startTime,
      ...(ctx.self.electedTime !== undefined ? { electedTime: ctx.self.electedTime } : {}),
      flags: ctx.self.flags,
      ...(ctx.clusterName !== undefined ? { clusterName: ctx.clusterName } : {}),
    }),
  );
}

function teardownHandler(ctx: MasterHttpContext, req: SimRequest): SimResponse {
  if (req.method !== 'POST') return methodNotAllowed(['POST'], req.method);
  let values: URLSearchParams;
  try {
    values = new URLSearchParams(req.body);
  } catch (e) {
    return text(400, `Unable to decode query string: ${String(e)}`);
  }
  const id = values.get('frameworkId');
  if (id === null) return text(400, "Missing 'frameworkId' query parameter in the request body");
  const f = ctx.state.frameworks.get(id);
  if (!f || f.completed) return text(400, 'No framework found with specified ID');
  ctx.teardown(id);
  return text(200);
}

/** `POST /api/v1`: content negotiation and validation as `Master::Http::api`. */
function apiHandler(ctx: MasterHttpContext, req: SimRequest): SimResponse {
  if (req.method !== 'POST') return methodNotAllowed(['POST'], req.method);
  const contentType = req.headers['content-type'];
  if (contentType === undefined) return text(400, "Expecting 'Content-Type' to be present");
  if (contentType === 'application/x-protobuf') {
    return text(415, 'The Mesos simulator speaks application/json only (a real master also accepts application/x-protobuf)');
  }
  if (contentType !== 'application/json') return text(415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch (e) {
    return text(400, `Failed to parse body into JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return text(400, 'Failed to convert JSON into Call protobuf: Expecting a JSON object');
  }
  const call = body as Record<string, unknown>;
  const type = call['type'];
  if (type !== undefined && (typeof type !== 'string' || !(op.MASTER_CALL_TYPES as readonly string[]).includes(type))) {
    return text(400, `Failed to convert JSON into Call protobuf: Failed to find enum for '${typeof type === 'string' ? type : JSON.stringify(type)}'`);
  }
  if (type === undefined || type === 'UNKNOWN') return text(400, "Failed to validate master::Call: Expecting 'type' to be present");
  const accept = req.headers['accept'];
  if (accept !== undefined && !/application\/json|\*\/\*|application\/\*/.test(accept)) {
    return text(406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
  }
  const reply = (key: string, value: unknown): SimResponse => json({ type, [key]: value });
  const s = ctx.state;
  switch (type) {
    case 'GET_HEALTH':
      return reply('get_health', op.getHealth());
    case 'GET_FLAGS':
      return reply('get_flags', op.getFlags(ctx.self.flags));
    case 'GET_VERSION':
      return reply('get_version', op.getVersion(s.version));
    case 'GET_STATE':
      return reply('get_state', op.getState(s));
    case 'GET_AGENTS':
      return reply('get_agents', op.getAgents(s));
    case 'GET_FRAMEWORKS':
      return reply('get_frameworks', op.getFrameworks(s));
    case 'GET_EXECUTORS':
      return reply('get_executors', op.getExecutors(s));
    case 'GET_TASKS':
      return reply('get_tasks', op.getTasks(s));
    case 'GET_MASTER':
      return reply('get_master', op.getMaster(ctx.self.identity, ctx.self.startTime, ctx.self.electedTime));
    case 'TEARDOWN': {
      const t = call['teardown'];
      if (typeof t !== 'object' || t === null) return text(400, "Failed to validate master::Call: Expecting 'teardown' to be present");
      const fid = (t as { framework_id?: { value?: unknown } }).framework_id?.value;
      if (typeof fid !== 'string') {
        return text(400, 'Failed to convert JSON into Call protobuf: Missing required fields: teardown.framework_id');
      }
      const f = s.frameworks.get(fid);
      if (!f || f.completed) return text(400, 'No framework found with specified ID');
      ctx.teardown(fid);
      return text(200);
    }
    default:
      return text(501, `The Mesos simulator does not implement ${type}`);
  }
}

function versionBody(version: string): unknown {
  const b = buildInfo(version);
  return { build_date: b.build_date, build_time: b.build_time, build_user: b.build_user, git_sha: b.git_sha, git_tag: b.git_tag, version };
}

/** Route table keyed by the path below `/master` (also served at the root). */
function masterRoutes(version: string): Map<string, Route> {
  const routes = new Map<string, Route>([
    ['/state', { leaderOnly: true, realm: READONLY, handler: stateHandler }],
    [
      '/slaves',
      { leaderOnly: true, realm: READONLY, handler: (ctx, req) => json(renderMasterSlaves(ctx.state, { ...optional('slaveId', req.query.get('slave_id')) })) },
    ],
    [
      '/frameworks',
      {
        leaderOnly: true,
        realm: READONLY,
        handler: (ctx, req) => json(renderMasterFrameworks(ctx.state, { ...optional('frameworkId', req.query.get('framework_id')) })),
      },
    ],
    ['/flags', { leaderOnly: true, realm: READONLY, handler: (ctx) => json({ flags: ctx.self.flags }) }],
    ['/teardown', { leaderOnly: true, realm: READWRITE, handler: teardownHandler }],
    ['/api/v1', { leaderOnly: true, realm: READWRITE, handler: apiHandler }],
    ['/api/v1/scheduler', { leaderOnly: true, realm: READWRITE, handler: (ctx, req) => (ctx.scheduler ? ctx.scheduler(req) : text(404)) }],
    ['/health', { leaderOnly: false, handler: () => text(200) }],
  ]);
  if (servesStateJson(version)) routes.set('/state.json', routes.get('/state') as Route);
  return routes;
}

function optional<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return value === null ? {} : ({ [key]: value } as { [P in K]?: string });
}

export class MasterRouter {
  private readonly routes: Map<string, Route>;

  constructor(private readonly version: string) {
    this.routes = masterRoutes(version);
  }

  private route(path: string): { route?: Route; redirect?: 'base' | 'loop' } {
    if (path === '/redirect' || path === '/master/redirect') return { redirect: 'base' };
    if (path.startsWith('/redirect/') || path.startsWith('/master/redirect/')) return { redirect: 'loop' };
    const key = path.startsWith('/master/') ? path.slice('/master'.length) : path;
    const route = this.routes.get(key);
    return route ? { route } : {};
  }

  /** Realm for authentication (undefined: open endpoint, e.g. /redirect and /health). */
  authRealm(req: SimRequest): string | undefined {
    if (req.path === '/version') return READONLY;
    const { route, redirect } = this.route(req.path);
    if (redirect) return undefined;
    return route ? route.realm : READONLY;
  }

  handle(ctx: MasterHttpContext, req: SimRequest): SimResponse {
    if (req.path === '/version') return json(versionBody(this.version));
    const { route, redirect } = this.route(req.path);
    if (redirect === 'loop') return text(404);
    if (!route && !redirect) return text(404);
    const leader = ctx.leader();
    if (redirect === 'base' || (route?.leaderOnly && leader?.index !== ctx.self.index)) {
      if (!leader) return text(503, 'No leader elected');
      const base = `//${leader.identity.hostname}:${leader.identity.port}`;
      return { status: 307, headers: { Location: redirect === 'base' ? base : base + req.url }, body: '' };
    }
    try {
      return (route as Route).handler(ctx, req);
    } catch (e) {
      if (e instanceof SimError) return text(400, e.message);
      throw e;
    }
  }
}
