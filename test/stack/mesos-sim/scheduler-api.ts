/**
 * The master's v1 scheduler HTTP API (`POST /api/v1/scheduler`, reference §2.5, §2.6), on the
 * simulator's one ClusterState:
 *
 * - SUBSCRIBE answers 200 with a RecordIO stream of JSON events and a `Mesos-Stream-Id`; SUBSCRIBED
 *   carries `heartbeat_interval_seconds`, HEARTBEATs follow; resubscribing with the framework id
 *   takes the framework over (a previous stream is closed);
 * - offers: an allocation pass (every `allocationIntervalMs`, and at once after a subscribe, revive,
 *   accept or freed resources) offers each agent's free resources per role of each connected
 *   framework (reserved for the role + unreserved), with `allocation_info`, in the post-refinement
 *   format for RESERVATION_REFINEMENT frameworks and the legacy `role`/`reservation` one otherwise,
 *   the agent's attributes and the framework's `executor_ids`; a role is skipped while suppressed;
 *   declined (and unused accepted) resources are held back from that framework on that agent for
 *   `refuse_seconds` (default 5) unless more is free than what was refused (Mesos' refusal filter);
 *   `offerTimeoutSeconds` (master `--offer_timeout`) rescinds outstanding offers;
 * - ACCEPT is checked as `Master::accept` checks it: unknown, foreign, reused or cross-agent offers
 *   drop every task (TASK_DROPPED for PARTITION_AWARE frameworks, else TASK_LOST, REASON_INVALID_OFFERS);
 *   a task asking more than the offers hold (with its new executor), a duplicate task id, an
 *   ExecutorInfo that differs from the one of the executor with that id already on the agent (name,
 *   source, command, resources: `validateCompatibleExecutorInfo`) or a bad TaskInfo gets TASK_ERROR
 *   (REASON_TASK_INVALID); these master updates carry no uuid;
 * - launched tasks run through the k8sm executor emulation: `k8sm` (bind the pod in the apiserver,
 *   containers on the agent's Docker engine, pod status Running), `bind-only` (the Binding only: no
 *   containers, no status patch; for large benchmarks) or `state-only` (no apiserver at all);
 *   TASK_STARTING `create-binding-success` then TASK_RUNNING `pod-running:<pod>_<ns>`;
 * - every status update with its uuid goes to the framework and is resent (every
 *   `statusRetrySeconds`, and on resubscribe) until ACKNOWLEDGEd, one at a time per task, as the
 *   agent's status update manager does;
 * - RECONCILE answers from the master (SOURCE_MASTER, REASON_RECONCILIATION, no uuid): the latest
 *   state of the named tasks (TASK_LOST, or TASK_UNKNOWN for PARTITION_AWARE frameworks, when
 *   unknown), or of every live task when none is named;
 * - KILL (k8sm's executor deletes the pod with grace 0, removes its containers and sends
 *   TASK_KILLED `pod-deleted`; an unknown task gets TASK_LOST from the master), SHUTDOWN, MESSAGE
 *   (`task-lost:<id>` is answered TASK_LOST `task-lost-ack` as k8sm's executor does), TEARDOWN;
 * - a broken stream (client gone, `breakStreams()`, a leader change) disconnects the framework: its
 *   offers are rescinded, it stays inactive until its `failover_timeout`, then it is torn down.
 *
 * Errors as `Master::Http::scheduler`: 405, 415, 400 (JSON, validation, missing/mismatched
 * `Mesos-Stream-Id`), 403 for calls of a framework that is not subscribed.
 */
import type { ServerResponse } from 'node:http';
import { text, methodNotAllowed, type SimRequest, type SimResponse } from './http.js';
import { statusUuidBase64, uuidV4 } from './ids.js';
import {
  POD_INFRA_CONTAINER_NAME,
  SIM_CONTAINER_IMAGE,
  WELL_BEHAVED_CMD,
  containerCommand,
  killKubeletContainers,
  kubeRequest,
  kubeletContainerName,
  kubeletLabels,
  removeContainers,
  type K8smExecutorSim,
  type KubeAccess,
  type PodContainer,
  type PodLike,
} from './k8sm.js';
import { adler32 } from './ids.js';
import {
  allocatedTo,
  coalesceRanges,
  formatRanges,
  protoResource,
  rangesContain,
  reservationRole,
  roundScalar,
  subtractResources,
  sumResources,
  withoutAllocation,
  type Range,
  type Reservation,
  type Resource,
  type ResourceAmounts,
} from './resources.js';
import {
  SimError,
  isTerminal,
  type ClusterState,
  type ExecutorRecord,
  type FrameworkRecord,
  type OfferRecord,
  type TaskRecord,
  type TaskStatusRecord,
} from './state.js';
import type { CommandSeed, TaskStateName } from './types.js';
import { frameworkInfoProto, offerProto, taskStatusProto } from './views/operator.js';

export type SchedulerLaunchMode = 'k8sm' | 'bind-only' | 'state-only';

export interface SchedulerApiConfig {
  /** SUBSCRIBED.heartbeat_interval_seconds and the HEARTBEAT period. Default 15 (Mesos). */
  heartbeatIntervalSeconds?: number;
  /** Period of the allocation pass. Default 1000 (Mesos `--allocation_interval=1secs`). */
  allocationIntervalMs?: number;
  /** Master `--offer_timeout`: outstanding offers are rescinded after it. Default none. */
  offerTimeoutSeconds?: number;
  /** Unacknowledged status updates are resent this often. Default 10 (the agent's first retry). */
  statusRetrySeconds?: number;
  /** What a launched task does (see the file comment). Default `k8sm`. */
  launch?: SchedulerLaunchMode;
}

export interface SchedulerApiDeps {
  state: ClusterState;
  k8sm: K8smExecutorSim;
  /** The apiserver pods are bound in (k8sm and bind-only launches). */
  kube?: KubeAccess;
  /** Tears a framework down with its containers (the master's teardown). */
  teardown: (frameworkId: string) => void;
  /** SHUTDOWN of an executor on an agent (the agent's shutdown with the k8sm kubelet). */
  shutdownExecutor: (agentId: string, executorId: string, frameworkId: string) => Promise<unknown>;
}

type Json = Record<string, unknown>;

function str(v: unknown, otherwise = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : otherwise;
}

/** A refusal filter: these resources of an agent are not offered to the framework until `until` (ms). */
interface Filter {
  resources: Resource[];
  until: number;
}

interface PendingStatus {
  event: Json;
  uuid: string;
  /** When it was last sent (ms; unset: not sent yet). */
  sentAt?: number;
}

interface Subscriber {
  framework: FrameworkRecord;
  streamId?: string;
  res?: ServerResponse;
  heartbeat?: NodeJS.Timeout;
  failover?: NodeJS.Timeout;
  suppressed: Set<string>;
  /** Suppress of every role (SUPPRESS without roles). */
  suppressAll: boolean;
  /** Refusal filters per agent. */
  filters: Map<string, Filter[]>;
  /** Per task, the unacknowledged updates, oldest first; the first is the one sent. */
  pending: Map<string, PendingStatus[]>;
  retry?: NodeJS.Timeout;
  /** Until then (ms) the stream stalls: nothing is written on it (heartbeats included) and no offer is made to it. */
  silentUntil?: number;
  /** Messages the framework sent to executors (MESSAGE calls), for tests. */
  messages: Array<{ agentId: string; executorId: string; data: string }>;
  /** The stream corked until the end of this turn of the event loop (a resubscribe's new one is corked anew). */
  corked?: ServerResponse;
}

const SCHEDULER_CALLS = new Set([
  'SUBSCRIBE',
  'TEARDOWN',
  'ACCEPT',
  'DECLINE',
  'ACCEPT_INVERSE_OFFERS',
  'DECLINE_INVERSE_OFFERS',
  'REVIVE',
  'KILL',
  'SHUTDOWN',
  'ACKNOWLEDGE',
  'ACKNOWLEDGE_OPERATION_STATUS',
  'RECONCILE',
  'RECONCILE_OPERATIONS',
  'MESSAGE',
  'REQUEST',
  'SUPPRESS',
  'UPDATE_FRAMEWORK',
]);

const DEFAULT_REFUSE_SECONDS = 5;
const PARTITION_STATES: ReadonlySet<string> = new Set(['TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_DROPPED', 'TASK_UNKNOWN']);
const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

/** One RecordIO record: the byte length, a newline, the bytes (as text, written as UTF-8: one string, no buffers to join). */
export function recordIO(event: unknown): string {
  const body = JSON.stringify(event);
  return `${Buffer.byteLength(body, 'utf8')}\n${body}`;
}

class BadRequest extends Error {}

function idOf(v: unknown, what: string): string {
  const value = (v as { value?: unknown } | undefined)?.value;
  if (typeof value !== 'string' || value === '') throw new BadRequest(`Missing required fields: ${what}`);
  return value;
}

function ids(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new BadRequest(`Failed to convert JSON into Call protobuf: ${what} is not an array`);
  return v.map((x) => idOf(x, what));
}

/** Protobuf-JSON Resource (either format) → the simulator's Resource. */
export function resourceFromJson(j: Json): Resource {
  const name = j['name'];
  const type = j['type'];
  if (typeof name !== 'string' || (type !== 'SCALAR' && type !== 'RANGES' && type !== 'SET')) throw new BadRequest('Invalid resource: needs name and type');
  let reservations: Reservation[] = [];
  const rs = j['reservations'];
  if (Array.isArray(rs) && rs.length > 0) {
    reservations = rs.map((x: Json) => ({
      type: x['type'] === 'DYNAMIC' ? 'DYNAMIC' : 'STATIC',
      role: str(x['role'], '*'),
      ...(typeof x['principal'] === 'string' ? { principal: x['principal'] } : {}),
    }));
  } else if (typeof j['role'] === 'string' && j['role'] !== '*') {
    const dyn = j['reservation'] as Json | undefined;
    reservations = [{ type: dyn ? 'DYNAMIC' : 'STATIC', role: j['role'], ...(typeof dyn?.['principal'] === 'string' ? { principal: dyn['principal'] } : {}) }];
  }
  const r: Resource = { name, type, reservations };
  if (type === 'SCALAR') {
    const v = (j['scalar'] as { value?: unknown } | undefined)?.value;
    if (typeof v !== 'number' || !(v >= 0)) throw new BadRequest(`Invalid scalar resource ${name}`);
    r.scalar = roundScalar(v);
  } else if (type === 'RANGES') {
    const range = (j['ranges'] as { range?: unknown } | undefined)?.range;
    r.ranges = coalesceRanges(Array.isArray(range) ? (range as Range[]).map((x) => ({ begin: Number(x.begin), end: Number(x.end) })) : []);
  } else {
    const item = (j['set'] as { item?: unknown } | undefined)?.item;
    r.set = Array.isArray(item) ? item.map(String) : [];
  }
  const alloc = (j['allocation_info'] as { role?: unknown } | undefined)?.role;
  if (typeof alloc === 'string') r.allocationRole = alloc;
  return r;
}

/** Whether `outer` holds every resource of `inner` (allocation ignored, reservations matched). */
export function resourcesContain(outer: readonly Resource[], inner: readonly Resource[]): boolean {
  const have = withoutAllocation(outer);
  for (const r of withoutAllocation(inner)) {
    const same = have.find((x) => x.name === r.name && x.type === r.type && reservationRole(x) === reservationRole(r));
    if (!same) return false;
    if (r.type === 'SCALAR' && roundScalar((same.scalar ?? 0) - (r.scalar ?? 0)) < 0) return false;
    if (r.type === 'RANGES' && !rangesContain(same.ranges ?? [], r.ranges ?? [])) return false;
    if (r.type === 'SET' && !(r.set ?? []).every((x) => (same.set ?? []).includes(x))) return false;
  }
  return true;
}

function amountsOf(list: readonly Resource[]): ResourceAmounts {
  const out: ResourceAmounts = {};
  for (const r of list) {
    if (r.type === 'SCALAR' && (r.name === 'cpus' || r.name === 'mem' || r.name === 'disk' || r.name === 'gpus')) {
      out[r.name] = roundScalar((out[r.name] ?? 0) + (r.scalar ?? 0));
    }
  }
  const ports = coalesceRanges(list.filter((r) => r.name === 'ports').flatMap((r) => r.ranges ?? []));
  if (ports.length) out.ports = formatRanges(ports);
  return out;
}

/**
 * What a LAUNCH's ExecutorInfo changes of the executor of the same id already on the agent (the
 * master refuses such a task with TASK_ERROR: `validateCompatibleExecutorInfo` compares the whole
 * ExecutorInfo), or undefined when it is the same: name, source, command and resources.
 */
function executorInfoDifference(running: ExecutorRecord, exec: Json): string | undefined {
  const fields: string[] = [];
  const name = typeof exec['name'] === 'string' ? exec['name'] : `Executor ${running.id}`;
  if (name !== running.name) fields.push('name');
  if ((typeof exec['source'] === 'string' ? exec['source'] : running.id) !== running.source) fields.push('source');
  if (JSON.stringify(commandFromJson(exec['command'] as Json | undefined)) !== JSON.stringify(running.command)) fields.push('command');
  const resources = amountsOf((Array.isArray(exec['resources']) ? (exec['resources'] as Json[]) : []).map(resourceFromJson));
  const sorted = (a: ResourceAmounts): string => JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y)));
  if (sorted(resources) !== sorted(amountsOf(running.resources))) fields.push('resources');
  return fields.length > 0 ? fields.join(', ') : undefined;
}

function describe(list: readonly Resource[]): string {
  return (
    withoutAllocation(list)
      .map((r) => {
        const v = r.type === 'SCALAR' ? String(r.scalar) : r.type === 'RANGES' ? formatRanges(r.ranges ?? []) : `{${(r.set ?? []).join(', ')}}`;
        return `${r.name}(${reservationRole(r)}):${v}`;
      })
      .join('; ') || 'nothing'
  );
}

function commandFromJson(c: Json | undefined): CommandSeed {
  if (!c) return { value: 'true' };
  const out: CommandSeed = {};
  if (typeof c['value'] === 'string') out.value = c['value'];
  if (typeof c['shell'] === 'boolean') out.shell = c['shell'];
  if (Array.isArray(c['arguments'])) out.arguments = c['arguments'].map(String);
  if (Array.isArray(c['uris'])) {
    out.uris = (c['uris'] as Json[]).map((u) => ({
      value: String(u['value']),
      ...(typeof u['executable'] === 'boolean' ? { executable: u['executable'] } : {}),
      ...(typeof u['extract'] === 'boolean' ? { extract: u['extract'] } : {}),
      ...(typeof u['cache'] === 'boolean' ? { cache: u['cache'] } : {}),
    }));
  }
  const vars = (c['environment'] as { variables?: Json[] } | undefined)?.variables;
  if (Array.isArray(vars)) out.environment = Object.fromEntries(vars.map((v) => [String(v['name']), str(v['value'])]));
  if (typeof c['user'] === 'string') out.user = c['user'];
  return out;
}

/** The resources of an offer in the format the framework reads (reference §2.6). */
export function schedulerResource(r: Resource, refinement: boolean): Json {
  const out = protoResource(r) as unknown as Json;
  if (refinement) {
    delete out['role'];
    delete out['reservation'];
  } else {
    delete out['reservations'];
  }
  return out;
}

export class SchedulerApiSim {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly heartbeatSeconds: number;
  private readonly allocationMs: number;
  private readonly offerTimeoutMs: number | undefined;
  private readonly retryMs: number;
  private readonly mode: SchedulerLaunchMode;
  private allocator?: NodeJS.Timeout;
  private allocationQueued = false;
  /** Agents whose resources changed since the last pass ('all': every agent). */
  private dirty: Set<string> | 'all' = new Set();
  private readonly offerTimers = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  /** Launches, kills and shutdowns under way: stop() waits for them. */
  private readonly pending = new Set<Promise<unknown>>();
  /** When each pod was bound by a simulated executor (its Binding answered 201) and when its task was launched, per namespace, until taken. */
  private readonly boundAt = new Map<string, Map<string, [boundAtMs: number, launchedAtMs: number]>>();
  /** Bindings are noted only once someone asked for them (takeBoundPods): a long test run keeps none. */
  private noteBindings = false;
  /** Status updates sent on subscription streams: first sends, and sends again of an unacknowledged one. */
  readonly statusSends = { first: 0, again: 0 };

  constructor(
    private readonly deps: SchedulerApiDeps,
    config: SchedulerApiConfig = {},
  ) {
    this.heartbeatSeconds = config.heartbeatIntervalSeconds ?? 15;
    this.allocationMs = config.allocationIntervalMs ?? 1000;
    this.offerTimeoutMs = config.offerTimeoutSeconds !== undefined ? config.offerTimeoutSeconds * 1000 : undefined;
    this.retryMs = (config.statusRetrySeconds ?? 10) * 1000;
    this.mode = config.launch ?? 'k8sm';
    deps.state.statusListeners.push((t, s) => this.onStatus(t, s));
  }

  private get state(): ClusterState {
    return this.deps.state;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  handle(req: SimRequest): SimResponse {
    if (req.method !== 'POST') return methodNotAllowed(['POST'], req.method);
    const contentType = req.headers['content-type'];
    if (contentType === undefined) return text(400, "Expecting 'Content-Type' to be present");
    if (contentType === 'application/x-protobuf') return text(415, 'The Mesos simulator speaks application/json only');
    if (contentType.split(';')[0]?.trim() !== 'application/json') return text(415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    let call: Json;
    try {
      const body: unknown = JSON.parse(req.body);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('Expecting a JSON object');
      call = body as Json;
    } catch (e) {
      return text(400, `Failed to parse body into JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const type = call['type'];
    if (typeof type !== 'string' || !SCHEDULER_CALLS.has(type)) {
      return text(400, `Failed to convert JSON into Call protobuf: Failed to find enum for '${typeof type === 'string' ? type : JSON.stringify(type)}'`);
    }
    try {
      if (type === 'SUBSCRIBE') return this.subscribe(call, req);
      const fid = idOf(call['framework_id'], 'framework_id');
      const sub = this.subscribers.get(fid);
      const f = this.state.frameworks.get(fid);
      if (!sub || !f || f.completed) return text(403, 'Framework cannot be found');
      if (!sub.res) return text(403, 'Framework is not subscribed');
      const streamId = req.headers['mesos-stream-id'];
      if (streamId === undefined) return text(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
      if (streamId !== sub.streamId) {
        return text(
          400,
          `The stream ID '${String(streamId)}' included in this request didn't match the stream ID currently associated with framework ID ${fid}`,
        );
      }
      this.dispatch(sub, type, call);
      return text(type === 'UPDATE_FRAMEWORK' ? 200 : 202);
    } catch (e) {
      if (e instanceof BadRequest || e instanceof SimError) return text(400, `Failed to validate scheduler::Call: ${e.message}`);
      throw e;
    }
  }

  private subscribe(call: Json, req: SimRequest): SimResponse {
    if (req.headers['mesos-stream-id'] !== undefined) return text(400, "Expecting 'Mesos-Stream-Id' header to be absent for SUBSCRIBE calls");
    const s = call['subscribe'] as Json | undefined;
    const info = s?.['framework_info'] as Json | undefined;
    if (!info) throw new BadRequest("Expecting 'subscribe' to be present");
    if (typeof info['user'] !== 'string' || typeof info['name'] !== 'string')
      throw new BadRequest('Missing required fields: subscribe.framework_info.user, name');
    const infoId = (info['id'] as { value?: unknown } | undefined)?.value;
    const callId = (call['framework_id'] as { value?: unknown } | undefined)?.value;
    if (infoId !== callId) throw new BadRequest("'framework_id' differs from 'subscribe.framework_info.id'");
    const capabilities = Array.isArray(info['capabilities']) ? (info['capabilities'] as Json[]).map((c) => String(c['type'])) : [];
    const roles = Array.isArray(info['roles']) ? info['roles'].map(String) : undefined;
    if (roles && !capabilities.includes('MULTI_ROLE')) throw new BadRequest("'FrameworkInfo.roles' is set but the MULTI_ROLE capability is not");
    const suppressed = Array.isArray(s?.['suppressed_roles']) ? (s['suppressed_roles'] as unknown[]).map(String) : [];

    let f: FrameworkRecord;
    if (typeof infoId === 'string' && infoId) {
      const known = this.state.frameworks.get(infoId);
      if (known?.completed) return this.refuse(`Framework ${infoId} has been removed`);
      if (known) {
        f = known;
        f.reregisteredTime = this.state.now();
      } else {
        // A failed-over master that does not know the framework yet: it registers with its id.
        f = this.state.addFramework(this.seedOf(info, infoId, roles, capabilities));
      }
      Object.assign(f, this.updatableFields(info, roles, capabilities));
    } else {
      f = this.state.addFramework(this.seedOf(info, undefined, roles, capabilities));
    }
    let sub = this.subscribers.get(f.id);
    if (sub) this.disconnect(sub, false);
    else {
      sub = { framework: f, suppressed: new Set(), suppressAll: false, filters: new Map(), pending: new Map(), messages: [] };
      this.subscribers.set(f.id, sub);
    }
    clearTimeout(sub.failover);
    delete sub.failover;
    sub.framework = f;
    sub.suppressed = new Set(suppressed);
    sub.suppressAll = false;
    f.active = true;
    f.connected = true;
    f.unregisteredTime = 0;
    const streamId = uuidV4();
    sub.streamId = streamId;
    const subscriber = sub;
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId, 'Cache-Control': 'no-cache' },
      attach: (res) => this.attach(subscriber, res),
    };
  }

  private refuse(message: string): SimResponse {
    // The master sends ERROR on the stream and closes it.
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': uuidV4() },
      attach: (res) => res.end(recordIO({ type: 'ERROR', error: { message } })),
    };
  }

  private seedOf(info: Json, id: string | undefined, roles: string[] | undefined, capabilities: string[]): Parameters<ClusterState['addFramework']>[0] {
    return {
      ...(id ? { id } : {}),
      name: String(info['name']),
      user: String(info['user']),
      ...(roles ? { roles } : { role: typeof info['role'] === 'string' ? info['role'] : '*' }),
      ...(typeof info['principal'] === 'string' ? { principal: info['principal'] } : {}),
      ...(typeof info['hostname'] === 'string' ? { hostname: info['hostname'] } : {}),
      ...(typeof info['webui_url'] === 'string' ? { webuiUrl: info['webui_url'] } : {}),
      failoverTimeout: typeof info['failover_timeout'] === 'number' ? info['failover_timeout'] : 0,
      checkpoint: info['checkpoint'] === true,
      capabilities,
      ...(labelsOf(info) ? { labels: labelsOf(info) } : {}),
    };
  }

  private updatableFields(info: Json, roles: string[] | undefined, capabilities: string[]): Partial<FrameworkRecord> {
    return {
      name: String(info['name']),
      failoverTimeout: typeof info['failover_timeout'] === 'number' ? info['failover_timeout'] : 0,
      checkpoint: info['checkpoint'] === true,
      capabilities,
      ...(roles ? { roles } : {}),
    };
  }

  private attach(sub: Subscriber, res: ServerResponse): void {
    if (this.stopped) {
      res.destroy();
      return;
    }
    sub.res = res;
    delete sub.silentUntil;
    const f = sub.framework;
    res.on('close', () => {
      if (sub.res === res) this.disconnect(sub, true);
    });
    this.send(sub, {
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: f.id },
        heartbeat_interval_seconds: this.heartbeatSeconds,
      },
    });
    sub.heartbeat = setInterval(() => this.send(sub, { type: 'HEARTBEAT' }), this.heartbeatSeconds * 1000);
    sub.heartbeat.unref();
    // Unacknowledged updates go again to the new stream.
    for (const queue of sub.pending.values()) if (queue[0]) this.sendStatus(sub, queue[0]);
    this.armRetry(sub);
    this.ensureAllocator();
    this.allocateSoon();
  }

  private send(sub: Subscriber, event: Json): void {
    const res = sub.res;
    if (!res || res.destroyed || res.writableEnded) return;
    if (sub.silentUntil !== undefined && Date.now() < sub.silentUntil) return;
    // The records of one turn of the event loop go out in one write (a write per status update was
    // a syscall each: the simulator's largest cost in a 10,000-pod benchmark); order is kept.
    if (sub.corked !== res) {
      sub.corked = res;
      res.cork();
      setImmediate(() => {
        if (sub.corked === res) delete sub.corked;
        res.uncork();
      });
    }
    res.write(recordIO(event));
  }

  /**
   * The stream is gone (`broken`: the connection dropped; else a resubscribe replaces it): the
   * framework's offers are rescinded and, when broken, it waits inactive for its failover timeout.
   */
  private disconnect(sub: Subscriber, broken: boolean): void {
    const res = sub.res;
    delete sub.res;
    delete sub.streamId;
    clearInterval(sub.heartbeat);
    clearTimeout(sub.retry);
    if (res && !res.destroyed) res.destroy();
    const f = sub.framework;
    for (const o of this.state.offers.where({ frameworkId: f.id })) this.removeOffer(o.id);
    if (!broken || f.completed) return;
    // Mesos' allocator clears a deactivated framework's refusal filters (deactivateFramework), and a
    // newly elected master starts with none.
    sub.filters.clear();
    f.connected = false;
    f.active = false;
    f.unregisteredTime = this.state.now();
    clearTimeout(sub.failover);
    sub.failover = setTimeout(
      () => {
        if (sub.res || f.completed) return;
        this.deps.teardown(f.id);
        this.forget(f.id);
      },
      Math.min(f.failoverTimeout * 1000, 2 ** 31 - 1),
    );
    sub.failover.unref();
  }

  private forget(frameworkId: string): void {
    const sub = this.subscribers.get(frameworkId);
    if (!sub) return;
    clearTimeout(sub.failover);
    clearTimeout(sub.retry);
    clearInterval(sub.heartbeat);
    this.subscribers.delete(frameworkId);
  }

  /**
   * An agent stops taking offers (disconnected, deactivated, draining) or, `removed`, leaves the
   * master: the outstanding offers made to subscribed frameworks are rescinded (RESCIND); on removal the frameworks with executors
   * there get FAILURE for the agent (their tasks' TASK_UNREACHABLE/TASK_LOST follow as updates).
   */
  agentLost(agentIdOrHostname: string, removed: boolean): void {
    const a = this.state.agent(agentIdOrHostname);
    // Offers this API made (seeded ones are the seeds' business).
    for (const o of this.state.offers.where({ agentId: a.id })) {
      const sub = this.subscribers.get(o.frameworkId);
      if (!sub) continue;
      this.removeOffer(o.id);
      this.send(sub, { type: 'RESCIND', rescind: { offer_id: { value: o.id } } });
    }
    if (!removed) return;
    for (const sub of this.subscribers.values()) {
      const executors = this.state.executorsOf({ agentId: a.id, frameworkId: sub.framework.id, completed: false });
      if (executors.length > 0) this.send(sub, { type: 'FAILURE', failure: { agent_id: { value: a.id } } });
    }
  }

  /**
   * Every subscription stream stalls for `ms` with its connection open (a network partition, a master
   * that hangs): no event, no heartbeat, no offer; updates not acknowledged are resent once it flows
   * again, or on the next subscription. A scheduler must notice the missing heartbeats and subscribe again.
   */
  silenceStreams(ms: number): void {
    const until = Date.now() + ms;
    for (const sub of this.subscribers.values()) if (sub.res) sub.silentUntil = until;
  }

  /**
   * Every subscription stream ends in the middle of a RecordIO record (a length prefix and part of the
   * record it announces), then the connection drops.
   */
  truncateStreams(): void {
    for (const sub of this.subscribers.values()) {
      const res = sub.res;
      if (!res || res.destroyed || res.writableEnded) continue;
      const record = JSON.stringify({ type: 'HEARTBEAT' });
      sub.silentUntil = Number.POSITIVE_INFINITY; // nothing else on this stream
      res.write(`${Buffer.byteLength(record) + 40}\n${record.slice(0, 7)}`, () => {
        if (sub.res === res) this.disconnect(sub, true);
      });
    }
  }

  /** Breaks every subscription stream (a leader change does): frameworks start their failover timeout. */
  breakStreams(): void {
    for (const sub of this.subscribers.values()) if (sub.res) this.disconnect(sub, true);
  }

  /**
   * Rescinds every outstanding offer (of one framework, or all), as a master does when an agent's
   * resources are needed elsewhere: the offer goes, RESCIND is sent, the agent is allocated again.
   * Returns the offer ids.
   */
  rescindOffers(frameworkId?: string): string[] {
    const out: string[] = [];
    for (const o of [...this.state.offers.values()]) {
      if (frameworkId !== undefined && o.frameworkId !== frameworkId) continue;
      const sub = this.subscribers.get(o.frameworkId);
      this.removeOffer(o.id);
      if (sub?.res) this.send(sub, { type: 'RESCIND', rescind: { offer_id: { value: o.id } } });
      this.allocateSoon(o.agentId);
      out.push(o.id);
    }
    return out;
  }

  /**
   * The pods of a namespace that simulated executors bound (posted a Binding for) since the last call for it
   * (the first call starts the noting), with the wall-clock times (Date.now()) at which the apiserver answered their Binding and at which
   * their task was launched (its ACCEPT taken); forgotten once returned. Lets a benchmark see binding times without watching the apiserver (a watch costs it CPU).
   */
  takeBoundPods(namespace: string): Array<[name: string, boundAtMs: number, launchedAtMs: number]> {
    this.noteBindings = true;
    const m = this.boundAt.get(namespace);
    this.boundAt.delete(namespace);
    return m ? Array.from(m, ([name, [bound, launched]]) => [name, bound, launched]) : [];
  }

  /** Messages frameworks sent to executors (MESSAGE), oldest first. */
  messages(frameworkId: string): Array<{ agentId: string; executorId: string; data: string }> {
    return [...(this.subscribers.get(frameworkId)?.messages ?? [])];
  }

  /** Status updates a framework has not acknowledged yet, per task. */
  unacknowledged(frameworkId: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [task, q] of this.subscribers.get(frameworkId)?.pending ?? []) if (q.length) out[task] = q.map((p) => p.uuid);
    return out;
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Ends every stream and timer, then waits for the launches and kills under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.allocator);
    for (const t of this.offerTimers.values()) clearTimeout(t);
    for (const sub of this.subscribers.values()) {
      clearInterval(sub.heartbeat);
      clearTimeout(sub.retry);
      clearTimeout(sub.failover);
      sub.res?.destroy();
    }
    await Promise.all([...this.pending]);
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private dispatch(sub: Subscriber, type: string, call: Json): void {
    const body = (call[type.toLowerCase()] ?? {}) as Json;
    switch (type) {
      case 'TEARDOWN':
        this.deps.teardown(sub.framework.id);
        this.disconnect(sub, false);
        this.forget(sub.framework.id);
        return;
      case 'ACCEPT':
        return this.accept(sub, body);
      case 'DECLINE': {
        const offerIds = ids(body['offer_ids'], 'decline.offer_ids');
        const refuse = refuseSecondsOf(body);
        for (const id of offerIds) {
          const o = this.state.offers.get(id);
          if (!o || o.frameworkId !== sub.framework.id) continue; // Mesos ignores unknown offers in DECLINE
          this.removeOffer(id);
          this.addFilter(sub, o.agentId, o.resources, refuse);
          this.allocateSoon(o.agentId);
        }
        return;
      }
      case 'REVIVE': {
        const roles = Array.isArray(body['roles']) ? body['roles'].map(String) : [];
        if (roles.length === 0) {
          sub.suppressed.clear();
          sub.suppressAll = false;
          sub.filters.clear();
        } else {
          for (const r of roles) sub.suppressed.delete(r);
          if (sub.suppressAll) {
            sub.suppressAll = false;
            for (const r of this.rolesOf(sub.framework)) if (!roles.includes(r)) sub.suppressed.add(r);
          }
          sub.filters.clear();
        }
        this.allocateSoon();
        return;
      }
      case 'SUPPRESS': {
        const roles = Array.isArray(body['roles']) ? body['roles'].map(String) : [];
        if (roles.length === 0) sub.suppressAll = true;
        else for (const r of roles) sub.suppressed.add(r);
        return;
      }
      case 'KILL':
        return this.kill(sub, idOf(body['task_id'], 'kill.task_id'));
      case 'SHUTDOWN': {
        const executorId = idOf(body['executor_id'], 'shutdown.executor_id');
        const agentId = idOf(body['agent_id'], 'shutdown.agent_id');
        this.track(this.deps.shutdownExecutor(agentId, executorId, sub.framework.id));
        return;
      }
      case 'ACKNOWLEDGE': {
        const taskId = idOf(body['task_id'], 'acknowledge.task_id');
        idOf(body['agent_id'], 'acknowledge.agent_id');
        const uuid = body['uuid'];
        if (typeof uuid !== 'string' || uuid === '') throw new BadRequest('Missing required fields: acknowledge.uuid');
        const queue = sub.pending.get(taskId);
        if (queue?.[0]?.uuid === uuid) {
          queue.shift();
          if (queue.length === 0) sub.pending.delete(taskId);
          else this.sendStatus(sub, queue[0]);
        }
        return;
      }
      case 'RECONCILE':
        return this.reconcile(sub, Array.isArray(body['tasks']) ? (body['tasks'] as Json[]) : []);
      case 'MESSAGE': {
        const agentId = idOf(body['agent_id'], 'message.agent_id');
        const executorId = idOf(body['executor_id'], 'message.executor_id');
        const data = typeof body['data'] === 'string' ? body['data'] : '';
        sub.messages.push({ agentId, executorId, data });
        const textData = Buffer.from(data, 'base64').toString('utf8');
        const lost = /^task-lost:(.+)$/.exec(textData);
        const t = lost ? this.state.tasks.get(lost[1] as string) : undefined;
        if (t && t.frameworkId === sub.framework.id && !isTerminal(t.state)) {
          this.state.updateTask(t.id, { state: 'TASK_LOST', source: 'SOURCE_EXECUTOR', message: 'task-lost-ack' });
          void this.deps.k8sm.cleanup([t], true);
        }
        return;
      }
      case 'UPDATE_FRAMEWORK': {
        const info = body['framework_info'] as Json | undefined;
        if (!info) throw new BadRequest("Expecting 'update_framework.framework_info' to be present");
        const capabilities = Array.isArray(info['capabilities']) ? (info['capabilities'] as Json[]).map((c) => String(c['type'])) : [];
        const roles = Array.isArray(info['roles']) ? info['roles'].map(String) : undefined;
        Object.assign(sub.framework, this.updatableFields(info, roles, capabilities));
        return;
      }
      default:
        // REQUEST, inverse offers, operations: accepted and ignored (no inverse offers or operations here).
        return;
    }
  }

  private rolesOf(f: FrameworkRecord): string[] {
    return f.roles ? [...f.roles] : [f.role ?? '*'];
  }

  private accept(sub: Subscriber, body: Json): void {
    const f = sub.framework;
    const offerIds = ids(body['offer_ids'], 'accept.offer_ids');
    const operations = Array.isArray(body['operations']) ? (body['operations'] as Json[]) : [];
    const refuse = refuseSecondsOf(body);
    const launches: Json[] = [];
    for (const op of operations) {
      if (op['type'] === 'LAUNCH') {
        const infos = (op['launch'] as { task_infos?: unknown } | undefined)?.task_infos;
        if (Array.isArray(infos)) launches.push(...(infos as Json[]));
      }
    }
    // Offers: known, this framework's, one agent, each once (`validation::offer::validate`).
    let invalid: string | undefined;
    const offers: OfferRecord[] = [];
    const seen = new Set<string>();
    for (const id of offerIds) {
      if (seen.has(id)) {
        invalid = `Duplicate offer ${id} in offer list`;
        continue;
      }
      seen.add(id);
      const o = this.state.offers.get(id);
      if (!o) invalid ??= `Offer ${id} is no longer valid`;
      else if (o.frameworkId !== f.id) invalid ??= `Offer ${id} has invalid framework ${o.frameworkId} while framework ${f.id} is expected`;
      else offers.push(o);
    }
    if (offerIds.length === 0) invalid ??= 'No offers specified';
    const agentId = offers[0]?.agentId;
    if (offers.some((o) => o.agentId !== agentId)) invalid ??= 'Aggregated offers must belong to one single agent';
    for (const o of offers) this.removeOffer(o.id);
    if (invalid !== undefined) {
      for (const ti of launches) {
        const taskId = (ti['task_id'] as { value?: unknown } | undefined)?.value;
        this.masterUpdate(sub, str(taskId), f.capabilities.includes('PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST', {
          reason: 'REASON_INVALID_OFFERS',
          message: `Task launched with invalid offers: ${invalid}`,
          agentId: (ti['agent_id'] as { value?: string } | undefined)?.value,
        });
      }
      for (const o of offers) this.allocateSoon(o.agentId);
      return;
    }
    const agent = this.state.agent(agentId as string);
    let remaining = sumResources(...offers.map((o) => o.resources));
    const roleOf = (offers[0] as OfferRecord).role;
    const batch = new Set<string>();
    const started: TaskRecord[] = [];
    const newExecutors = new Set<string>();
    for (const ti of launches) {
      const taskId = (ti['task_id'] as { value?: unknown } | undefined)?.value;
      const fail = (message: string): void => this.masterUpdate(sub, str(taskId), 'TASK_ERROR', { reason: 'REASON_TASK_INVALID', message, agentId: agent.id });
      try {
        if (typeof taskId !== 'string' || taskId === '') throw new BadRequest('Task has no task_id');
        if (this.state.tasks.has(taskId) || batch.has(taskId)) throw new BadRequest(`Task has duplicate ID: ${taskId}`);
        batch.add(taskId);
        if (idOfOr(ti['agent_id']) !== agent.id) throw new BadRequest(`Task uses agent ${idOfOr(ti['agent_id'])} but the offers are for ${agent.id}`);
        const exec = ti['executor'] as Json | undefined;
        const command = ti['command'] as Json | undefined;
        if ((exec === undefined) === (command === undefined))
          throw new BadRequest('Task should have at least one (but not both) of CommandInfo or ExecutorInfo present');
        const taskRes = (Array.isArray(ti['resources']) ? (ti['resources'] as Json[]) : []).map(resourceFromJson);
        if (taskRes.length === 0) throw new BadRequest('Task uses no resources');
        let needed = taskRes;
        let executorId: string | undefined;
        let executorNew = false;
        if (exec) {
          executorId = idOf(exec['executor_id'], 'executor.executor_id');
          const running = this.state.findExecutor(f.id, agent.id, executorId);
          const differs = running ? executorInfoDifference(running, exec) : undefined;
          if (differs !== undefined) throw new BadRequest(`ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID (${differs} differ)`);
          if (!running && !newExecutors.has(executorId)) {
            executorNew = true;
            needed = sumResources(taskRes, (Array.isArray(exec['resources']) ? (exec['resources'] as Json[]) : []).map(resourceFromJson));
          }
        }
        if (!resourcesContain(remaining, needed)) {
          throw new BadRequest(`Task uses more resources ${describe(needed)} than available ${describe(remaining)}`);
        }
        remaining = subtractResources(withoutAllocationOf(remaining, roleOf), allocatedTo(withoutAllocation(needed), roleOf));
        if (exec && executorId !== undefined && executorNew) {
          const name = typeof exec['name'] === 'string' ? exec['name'] : `Executor ${executorId}`;
          this.state.addExecutor({
            frameworkId: f.id,
            agentId: agent.id,
            id: executorId,
            name,
            source: typeof exec['source'] === 'string' ? exec['source'] : executorId,
            command: commandFromJson(exec['command'] as Json | undefined),
            resources: amountsOf((Array.isArray(exec['resources']) ? (exec['resources'] as Json[]) : []).map(resourceFromJson)),
            role: roleOf,
            ...(name === 'Kubelet-Executor' ? { k8sm: true } : {}),
          });
          newExecutors.add(executorId);
        }
        const t = this.state.addTask({
          frameworkId: f.id,
          agentId: agent.id,
          id: taskId,
          name: typeof ti['name'] === 'string' ? ti['name'] : taskId,
          ...(executorId !== undefined ? { executorId } : { command: commandFromJson(command) }),
          state: 'TASK_STAGING',
          role: roleOf,
          resources: amountsOf(taskRes),
          ...(typeof ti['data'] === 'string' ? { data: ti['data'] } : {}),
          ...(labelsOf(ti) ? { labels: labelsOf(ti) } : {}),
        });
        started.push(t);
        if (executorNew) (t as TaskRecord & { executorNew?: boolean }).executorNew = true;
      } catch (e) {
        if (e instanceof BadRequest || e instanceof SimError) fail(e.message);
        else throw e;
      }
    }
    if (remaining.length > 0) this.addFilter(sub, agent.id, remaining, refuse);
    for (const t of started) this.track(this.runTask(t, (t as TaskRecord & { executorNew?: boolean }).executorNew === true));
    this.allocateSoon(agent.id);
  }

  /** An update the master itself sends (no uuid: never acknowledged, never resent). */
  private masterUpdate(sub: Subscriber, taskId: string, state: TaskStateName, o: { reason: string; message: string; agentId?: string | undefined }): void {
    this.send(sub, {
      type: 'UPDATE',
      update: {
        status: {
          task_id: { value: taskId },
          state,
          message: o.message,
          source: 'SOURCE_MASTER',
          reason: o.reason,
          ...(o.agentId ? { agent_id: { value: o.agentId } } : {}),
          timestamp: this.state.now(),
        },
      },
    });
  }

  private kill(sub: Subscriber, taskId: string): void {
    const t = this.state.tasks.get(taskId);
    if (!t || t.frameworkId !== sub.framework.id) {
      this.masterUpdate(sub, taskId, 'TASK_LOST', { reason: 'REASON_RECONCILIATION', message: 'Attempted to kill an unknown task' });
      return;
    }
    if (isTerminal(t.state)) return;
    this.track(
      (async () => {
        if (this.mode !== 'state-only' && this.deps.kube && t.pod) {
          await kubeRequest(this.deps.kube, 'DELETE', `/api/v1/namespaces/${encodeURIComponent(t.pod.namespace)}/pods/${encodeURIComponent(t.pod.name)}`, {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            gracePeriodSeconds: 0,
          }).catch(() => undefined);
        }
        await this.deps.k8sm.cleanup([t]);
        if (!isTerminal(t.state)) this.state.updateTask(t.id, { state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'pod-deleted' });
      })(),
    );
  }

  private reconcile(sub: Subscriber, tasks: Json[]): void {
    const f = sub.framework;
    const send = (t: TaskRecord): void => {
      const last = t.statuses[t.statuses.length - 1];
      const status: Json = last ? taskStatusProto(t, last) : { task_id: { value: t.id }, state: t.state, agent_id: { value: t.agentId } };
      delete status['uuid'];
      status['source'] = 'SOURCE_MASTER';
      status['reason'] = 'REASON_RECONCILIATION';
      status['message'] = 'Reconciliation: Latest task state';
      status['timestamp'] = this.state.now();
      this.send(sub, { type: 'UPDATE', update: { status } });
    };
    if (tasks.length === 0) {
      for (const t of this.state.tasks.where({ frameworkId: f.id })) if (!isTerminal(t.state)) send(t);
      return;
    }
    for (const entry of tasks) {
      const taskId = idOf(entry['task_id'], 'reconcile.tasks.task_id');
      const t = this.state.tasks.get(taskId);
      if (t && t.frameworkId === f.id) send(t);
      else {
        this.masterUpdate(sub, taskId, f.capabilities.includes('PARTITION_AWARE') ? 'TASK_UNKNOWN' : 'TASK_LOST', {
          reason: 'REASON_RECONCILIATION',
          message: 'Reconciliation: Task is unknown',
          agentId: idOfOr(entry['agent_id']),
        });
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Status updates

  private onStatus(t: TaskRecord, s: TaskStatusRecord): void {
    const sub = this.subscribers.get(t.frameworkId);
    if (!sub || sub.framework.completed) return;
    if (isTerminal(s.state)) this.allocateSoon(t.agentId);
    const uuid = s.uuid ?? statusUuidBase64();
    const status = taskStatusProto(t, { ...s, uuid });
    // Without PARTITION_AWARE a framework is told TASK_LOST for the partition states (§2.6).
    if (PARTITION_STATES.has(s.state) && !sub.framework.capabilities.includes('PARTITION_AWARE')) status['state'] = 'TASK_LOST';
    if (s.data !== undefined) status['data'] = s.data;
    const event = { type: 'UPDATE', update: { status } };
    let queue = sub.pending.get(t.id);
    if (!queue) sub.pending.set(t.id, (queue = []));
    const p: PendingStatus = { event, uuid };
    queue.push(p);
    if (queue.length === 1) this.sendStatus(sub, p);
  }

  private sendStatus(sub: Subscriber, p: PendingStatus): void {
    if (p.sentAt === undefined) this.statusSends.first++;
    else this.statusSends.again++;
    p.sentAt = Date.now();
    this.send(sub, p.event);
  }

  /**
   * An unacknowledged update is sent again `statusRetrySeconds` after it was last sent, as an agent's
   * status update manager retries each update on its own timer (a tick that resent every pending
   * update at once also resent those sent a moment before: under load, thousands of duplicates).
   */
  private armRetry(sub: Subscriber): void {
    clearTimeout(sub.retry);
    sub.retry = setInterval(
      () => {
        const due = Date.now() - this.retryMs;
        for (const q of sub.pending.values()) if (q[0] && (q[0].sentAt ?? 0) <= due) this.sendStatus(sub, q[0]);
      },
      Math.max(25, Math.min(1000, this.retryMs / 4)),
    );
    sub.retry.unref();
  }

  // -------------------------------------------------------------------------------------------
  // Offers

  private addFilter(sub: Subscriber, agentId: string, resources: Resource[], refuseSeconds: number): void {
    if (refuseSeconds <= 0 || resources.length === 0) return;
    const list = sub.filters.get(agentId) ?? [];
    list.push({ resources: withoutAllocation(resources), until: Date.now() + refuseSeconds * 1000 });
    sub.filters.set(agentId, list);
  }

  private removeOffer(id: string): void {
    this.state.removeOffer(id);
    const t = this.offerTimers.get(id);
    if (t) clearTimeout(t);
    this.offerTimers.delete(id);
  }

  private ensureAllocator(): void {
    if (this.allocator || this.stopped) return;
    this.allocator = setInterval(() => this.allocate(), this.allocationMs);
    this.allocator.unref();
  }

  /** A pass soon (after the current I/O), over `agentId` only or, without one, every agent. */
  private allocateSoon(agentId?: string): void {
    if (this.stopped) return;
    if (agentId === undefined) this.dirty = 'all';
    else if (this.dirty !== 'all') this.dirty.add(agentId);
    if (this.allocationQueued) return;
    this.allocationQueued = true;
    setImmediate(() => {
      this.allocationQueued = false;
      const dirty = this.dirty;
      this.dirty = new Set();
      this.allocate(dirty === 'all' ? undefined : dirty);
    });
  }

  /**
   * One allocation pass: every connected framework gets the free resources of each agent (of
   * `only`, when given: the periodic pass covers them all) per role.
   */
  allocate(only?: ReadonlySet<string>): void {
    if (this.stopped) return;
    const now = Date.now();
    const agents = (only ? [...only].flatMap((id) => this.state.agents.get(id) ?? []) : this.state.registeredAgents()).filter(
      (a) => !a.removed && a.active && !a.deactivated,
    );
    for (const sub of this.subscribers.values()) {
      const f = sub.framework;
      if (!sub.res || !f.active || f.completed || sub.suppressAll || (sub.silentUntil !== undefined && now < sub.silentUntil)) continue;
      const roles = this.rolesOf(f).filter((r) => !sub.suppressed.has(r));
      if (roles.length === 0) continue;
      const events: Json[] = [];
      for (const a of agents) {
        let free = this.state.freeResources(a.id);
        for (const role of roles) {
          const mine = free.filter((r) => reservationRole(r) === role || reservationRole(r) === '*');
          if (mine.length === 0) continue;
          if (!mine.some((r) => r.name === 'cpus' || r.name === 'mem')) continue; // Mesos offers nothing without cpus or mem
          if (this.filtered(sub, a.id, mine, now)) continue;
          const offer: OfferRecord = { id: this.state.ids.offerId(), frameworkId: f.id, agentId: a.id, resources: allocatedTo(mine, role), role };
          this.state.offers.set(offer.id, offer);
          free = subtractResources(free, mine);
          events.push(this.offerJson(f, offer));
          if (this.offerTimeoutMs !== undefined) {
            const timer = setTimeout(() => {
              this.offerTimers.delete(offer.id);
              if (!this.state.offers.has(offer.id)) return;
              this.state.removeOffer(offer.id);
              this.send(sub, { type: 'RESCIND', rescind: { offer_id: { value: offer.id } } });
              this.allocateSoon(offer.agentId);
            }, this.offerTimeoutMs);
            timer.unref();
            this.offerTimers.set(offer.id, timer);
          }
        }
      }
      if (events.length) this.send(sub, { type: 'OFFERS', offers: { offers: events } });
    }
  }

  /** Whether a refusal filter of the framework on that agent covers `resources` (expired filters go). */
  private filtered(sub: Subscriber, agentId: string, resources: readonly Resource[], now: number): boolean {
    const list = sub.filters.get(agentId);
    if (!list) return false;
    const live = list.filter((x) => x.until > now);
    if (live.length === 0) sub.filters.delete(agentId);
    else if (live.length !== list.length) sub.filters.set(agentId, live);
    return live.some((x) => resourcesContain(x.resources, resources));
  }

  private offerJson(f: FrameworkRecord, o: OfferRecord): Json {
    const out = offerProto(this.state, o) as Json;
    const refinement = f.capabilities.includes('RESERVATION_REFINEMENT');
    out['resources'] = o.resources.map((r) => schedulerResource(r, refinement));
    return out;
  }

  /** FrameworkInfo as the master knows it (for tests). */
  frameworkInfo(frameworkId: string): Json {
    return frameworkInfoProto(this.state.framework(frameworkId));
  }

  // -------------------------------------------------------------------------------------------
  // The executor side of a launched task

  private async runTask(t: TaskRecord, executorNew: boolean): Promise<void> {
    const launchedAt = Date.now();
    const s = this.state;
    const update = (state: TaskStateName, message: string): void => {
      if (!isTerminal(t.state)) s.updateTask(t.id, { state, source: 'SOURCE_EXECUTOR', message });
    };
    await new Promise((r) => setImmediate(r));
    const executor = s.executorOfTask(t);
    if (this.mode === 'state-only' || !executor?.k8sm) {
      update('TASK_RUNNING', 'state-only');
      return;
    }
    let pod: PodLike;
    try {
      pod = JSON.parse(Buffer.from(t.data ?? '', 'base64').toString('utf8')) as PodLike;
      if (!pod.metadata?.name) throw new Error('no metadata.name');
    } catch {
      update('TASK_FAILED', 'unmarshal-task-data-failure');
      return;
    }
    const name = pod.metadata.name;
    const namespace = pod.metadata.namespace || 'default';
    const agent = s.agent(t.agentId);
    const annotations = pod.metadata.annotations ?? {};
    const kube = this.deps.kube;
    let uid = pod.metadata.uid ?? uuidV4();
    try {
      if (kube) {
        const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
        let nodeName: string | undefined;
        if (this.mode === 'k8sm') {
          const res = await kubeRequest(kube, 'GET', `${path}/pods/${encodeURIComponent(name)}`);
          if (res.status !== 200) throw new Error(`reading pod ${namespace}/${name}: HTTP ${res.status}`);
          const live = JSON.parse(res.body) as PodLike;
          uid = live.metadata?.uid ?? uid;
          nodeName = live.spec?.nodeName;
        }
        const res = nodeName
          ? await kubeRequest(kube, 'PATCH', `${path}/pods/${encodeURIComponent(name)}`, { metadata: { annotations } }, 'application/merge-patch+json')
          : await kubeRequest(kube, 'POST', `${path}/bindings`, {
              apiVersion: 'v1',
              kind: 'Binding',
              metadata: { name, namespace, annotations },
              target: { apiVersion: 'v1', kind: 'Node', name: agent.hostname },
            });
        if (res.status !== 200 && res.status !== 201)
          throw new Error(`binding pod ${namespace}/${name} to ${agent.hostname}: HTTP ${res.status} ${res.body}`.trim());
        if (this.noteBindings && !nodeName) {
          let bound = this.boundAt.get(namespace);
          if (!bound) this.boundAt.set(namespace, (bound = new Map()));
          bound.set(name, [Date.now(), launchedAt]);
        }
      }
    } catch (e) {
      update('TASK_FAILED', e instanceof Error ? e.message : String(e));
      return;
    }
    t.pod = { namespace, name, uid };
    update('TASK_STARTING', 'create-binding-success');
    if (this.mode === 'bind-only') {
      update('TASK_RUNNING', `pod-running:${name}_${namespace}`);
      return;
    }
    const docker = this.deps.k8sm.docker(agent.id);
    const created: string[] = [];
    if (docker) {
      try {
        if (executorNew) await killKubeletContainers(docker);
        const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
        const podId = { name, namespace, uid, grace };
        const env = [`MESOS_EXECUTOR_CONTAINER_UUID=${executor.containerId}`];
        const infraSpec: PodContainer = {
          name: POD_INFRA_CONTAINER_NAME,
          image: SIM_CONTAINER_IMAGE,
          ports: (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []),
        };
        const infraHash = adler32(JSON.stringify(infraSpec)).toString(16);
        const infraId = await docker.createContainer(kubeletContainerName(POD_INFRA_CONTAINER_NAME, infraHash, podId), {
          Image: SIM_CONTAINER_IMAGE,
          Cmd: WELL_BEHAVED_CMD,
          Env: env,
          Labels: kubeletLabels(infraSpec, infraHash, podId),
          HostConfig: { NetworkMode: 'none' },
        });
        created.push(infraId);
        await docker.startContainer(infraId);
        for (const c of pod.spec?.containers ?? []) {
          const spec: PodContainer = { ...c, terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log' };
          const hash = adler32(JSON.stringify(spec)).toString(16);
          const id = await docker.createContainer(kubeletContainerName(c.name, hash, podId), {
            Image: SIM_CONTAINER_IMAGE,
            Cmd: containerCommand(c),
            Env: [...(c.env ?? []).filter((v) => v.value !== undefined).map((v) => `${v.name}=${v.value}`), ...env],
            Labels: kubeletLabels(spec, hash, podId),
            HostConfig: { NetworkMode: `container:${infraId}` },
          });
          created.push(id);
          await docker.startContainer(id);
        }
        t.docker = { containerIds: created, gracePeriodSeconds: grace };
      } catch {
        await removeContainers(docker, created).catch(() => undefined);
        update('TASK_FAILED', 'kubelet-pod-launch-failed');
        return;
      }
    }
    if (kube) {
      const startedAt = new Date().toISOString();
      await kubeRequest(
        kube,
        'PATCH',
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/status`,
        { status: { phase: 'Running', hostIP: agent.ip, podIP: agent.ip, startTime: startedAt } },
        'application/merge-patch+json',
      ).catch(() => undefined);
    }
    update('TASK_RUNNING', `pod-running:${name}_${namespace}`);
  }
}

function refuseSecondsOf(body: Json): number {
  const v = (body['filters'] as { refuse_seconds?: unknown } | undefined)?.refuse_seconds;
  if (v === undefined) return DEFAULT_REFUSE_SECONDS;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadRequest('filters.refuse_seconds is not a number');
  return Math.min(Math.max(v, 0), MAX_REFUSE_SECONDS);
}

function idOfOr(v: unknown): string | undefined {
  const value = (v as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' ? value : undefined;
}

function labelsOf(j: Json): Record<string, string> | undefined {
  const labels = (j['labels'] as { labels?: Json[] } | undefined)?.labels;
  if (!Array.isArray(labels) || labels.length === 0) return undefined;
  return Object.fromEntries(labels.map((l) => [String(l['key']), str(l['value'])]));
}

/** The remaining offer resources, allocated to the offer's role (for the arithmetic with the tasks' resources). */
function withoutAllocationOf(list: readonly Resource[], role: string): Resource[] {
  return allocatedTo(withoutAllocation(list), role);
}
