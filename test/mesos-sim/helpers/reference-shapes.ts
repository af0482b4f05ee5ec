/**
 * The JSON shapes of the Mesos endpoints, written from ../shared/reference/k8sm-and-mesos-api.md
 * (sections cited on each) and, where the reference lists less than Mesos prints, from the Mesos
 * source it cites (MESOS `src/master/readonly_handler.cpp`, `src/slave/http.cpp`,
 * `src/common/http.cpp`, `include/mesos/v1/{mesos,master/master}.proto`); those additions are marked
 * "source:". Shapes are strict: a field not named here fails the check.
 */
import { TASK_STATES } from '../../stack/mesos-sim/types.js';
import { type Spec, arrayOf, custom, either, mapOf, matching, oneOf, openShape, shape } from './shape.js';

/** §2.1 "ranges → a string such as "[31000-32000]", with several ranges joined by ", "". */
export const RANGES_STRING = /^\[(\d+-\d+)(, \d+-\d+)*\]$/;
/** §2.1 "set → "{a, b}"". */
export const SET_STRING = /^\{.*\}$/;

/**
 * §2.1 "Resource objects in this JSON (the "model"): always cpus, gpus, mem, disk as numbers, which
 * may be 0. Every other resource appears by name: scalar → number; ranges → a string; set → a string".
 */
export const RESOURCES_MODEL: Spec = custom('a Mesos resources model', (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const o = v as Record<string, unknown>;
  for (const k of ['cpus', 'gpus', 'mem', 'disk']) if (typeof o[k] !== 'number') return `${k} is not a number`;
  for (const [k, x] of Object.entries(o)) {
    if (typeof x === 'number') continue;
    if (typeof x !== 'string' || !(RANGES_STRING.test(x) || SET_STRING.test(x))) return `${k}: ${JSON.stringify(x)} is neither a number, a ranges string nor a set string`;
  }
  return undefined;
});

/** §2.1 "Attributes object: {name: value}. Scalar → number, text → string, ranges → "[a-b]", set → "{x, y}"". */
export const ATTRIBUTES_MODEL: Spec = mapOf(either('number', 'string'));

const ID: Spec = shape({ value: 'string' });
const ROLE_RESERVATION: Spec = shape({ type: oneOf('STATIC', 'DYNAMIC'), role: 'string' }, { principal: 'string', labels: 'any' });

/**
 * §2.4 "Resources are objects ({name, type:"SCALAR"|"RANGES"|"SET", scalar:{value}, ranges:{range:[{begin,end}]},
 * set:{item:[]}, role, reservations[], allocation_info{role}})"; §2.6 Resource: reservation (legacy),
 * disk?, revocable?, shared?, provider_id?.
 */
export const PROTO_RESOURCE: Spec = shape(
  { name: 'string', type: oneOf('SCALAR', 'RANGES', 'SET') },
  {
    scalar: shape({ value: 'number' }),
    ranges: shape({ range: arrayOf(shape({ begin: 'integer', end: 'integer' })) }),
    set: shape({ item: arrayOf('string') }),
    role: 'string',
    allocation_info: shape({ role: 'string' }),
    reservation: shape({}, { principal: 'string', labels: 'any' }),
    reservations: arrayOf(ROLE_RESERVATION),
    disk: 'any',
    revocable: shape({}),
    shared: shape({}),
    provider_id: ID,
  },
);

/** §2.1 "Each status: state, timestamp, labels?, container_status?, healthy?" — no message, no reason. */
export const STATUS_MODEL: Spec = shape(
  { state: oneOf(...TASK_STATES), timestamp: 'number' },
  {
    labels: arrayOf(shape({ key: 'string' }, { value: 'string' })),
    container_status: shape({}, { container_id: shape({ value: 'string' }, { parent: 'any' }), network_infos: arrayOf('any'), cgroup_info: 'any' }),
    healthy: 'boolean',
  },
);

/** §2.1 "Task JSON: id, name, framework_id, executor_id, slave_id, state, resources (model), limits?, role, statuses[], user?, labels?, discovery?, container?, health_check?". */
export const TASK_MODEL: Spec = shape(
  {
    id: 'string',
    name: 'string',
    framework_id: 'string',
    executor_id: 'string',
    slave_id: 'string',
    state: oneOf(...TASK_STATES),
    resources: RESOURCES_MODEL,
    role: 'string',
    statuses: arrayOf(STATUS_MODEL),
  },
  { limits: 'any', user: 'string', labels: arrayOf(shape({ key: 'string' }, { value: 'string' })), discovery: 'any', container: 'any', health_check: 'any' },
);

/** source `json(writer, CommandInfo)`: shell? value? argv uris[{value, executable}] environment?. */
export const COMMAND_MODEL: Spec = shape(
  { argv: arrayOf('string'), uris: arrayOf(shape({ value: 'string', executable: 'boolean' })) },
  { shell: 'boolean', value: 'string', environment: shape({ variables: arrayOf(shape({ name: 'string' }, { value: 'string', type: 'string', secret: 'any' })) }) },
);

/** §2.1 "Executor JSON (master): executor_id, name, framework_id, command{…}, resources, role?, labels?, type?, slave_id". */
export const MASTER_EXECUTOR_MODEL: Spec = shape(
  { executor_id: 'string', name: 'string', framework_id: 'string', command: COMMAND_MODEL, resources: RESOURCES_MODEL, slave_id: 'string' },
  { role: 'string', labels: 'any', type: oneOf('DEFAULT', 'CUSTOM') },
);

/** §2.1 "Offer JSON: id, framework_id, allocation_info, slave_id, resources". */
export const OFFER_MODEL: Spec = shape({
  id: 'string',
  framework_id: 'string',
  allocation_info: shape({ role: 'string' }),
  slave_id: 'string',
  resources: RESOURCES_MODEL,
});

/**
 * §2.1 "frameworks[] (and completed_frameworks[]) entries: id, name, pid (omitted for HTTP frameworks),
 * used_resources, offered_resources, resources, capabilities, hostname, webui_url, active, connected,
 * recovered, user, failover_timeout, checkpoint, registered_time, unregistered_time, reregistered_time?,
 * principal?, role or roles, tasks[], unreachable_tasks[], completed_tasks[], offers[], executors[], labels?,
 * offer_constraints".
 */
const frameworkModel = (withOfferConstraints: boolean): Spec =>
  either(
  ...(['role', 'roles'] as const).map((r) =>
    shape(
      {
        id: 'string',
        name: 'string',
        used_resources: RESOURCES_MODEL,
        offered_resources: RESOURCES_MODEL,
        resources: RESOURCES_MODEL,
        capabilities: arrayOf('string'),
        hostname: 'string',
        webui_url: 'string',
        active: 'boolean',
        connected: 'boolean',
        recovered: 'boolean',
        user: 'string',
        failover_timeout: 'number',
        checkpoint: 'boolean',
        registered_time: 'number',
        unregistered_time: 'number',
        [r]: r === 'role' ? 'string' : arrayOf('string'),
        tasks: arrayOf(TASK_MODEL),
        unreachable_tasks: arrayOf(TASK_MODEL),
        completed_tasks: arrayOf(TASK_MODEL),
        offers: arrayOf(OFFER_MODEL),
        executors: arrayOf(MASTER_EXECUTOR_MODEL),
        ...(withOfferConstraints ? { offer_constraints: 'any' as Spec } : {}),
      },
      { pid: matching(/^[^@]+@[\d.]+:\d+$/, 'a libprocess pid'), reregistered_time: 'number', principal: 'string', labels: 'any' },
    ),
  ),
);
export const FRAMEWORK_MODEL: Spec = frameworkModel(true);
/** Before 1.11 there are no offer constraints. */
export const FRAMEWORK_MODEL_PRE_1_11: Spec = frameworkModel(false);

/**
 * §2.1 "slaves[] entries: id, hostname, port, attributes{}, domain?, pid, registered_time, reregistered_time?,
 * resources, used_resources, offered_resources, reserved_resources{role: resources}, unreserved_resources,
 * active, deactivated, version, capabilities[], drain_info?".
 */
export const SLAVE_MODEL_FIELDS: Record<string, Spec> = {
  id: matching(/^[0-9a-f-]{36}-S\d+$/, 'an agent ID <uuid>-S<n>'),
  hostname: 'string',
  port: 'integer',
  attributes: ATTRIBUTES_MODEL,
  pid: matching(/^slave\(1\)@[\d.]+:\d+$/, 'slave(1)@<ip>:<port>'),
  registered_time: 'number',
  resources: RESOURCES_MODEL,
  used_resources: RESOURCES_MODEL,
  offered_resources: RESOURCES_MODEL,
  reserved_resources: mapOf(RESOURCES_MODEL),
  unreserved_resources: RESOURCES_MODEL,
  active: 'boolean',
  deactivated: 'boolean',
  version: 'string',
  capabilities: arrayOf('string'),
};
export const SLAVE_MODEL_OPTIONAL: Record<string, Spec> = { reregistered_time: 'number', domain: 'any', drain_info: 'any' };
export const SLAVE_MODEL: Spec = shape(SLAVE_MODEL_FIELDS, SLAVE_MODEL_OPTIONAL);
/** Before 1.9 (agent draining) there is no `deactivated`. */
const { deactivated: _deactivated, ...SLAVE_MODEL_FIELDS_PRE_1_9 } = SLAVE_MODEL_FIELDS;
export const SLAVE_MODEL_PRE_1_9: Spec = shape(SLAVE_MODEL_FIELDS_PRE_1_9, SLAVE_MODEL_OPTIONAL);

/** §2.2 "/master/slaves … Entries also carry used_resources_full, offered_resources_full, reserved_resources_full, unreserved_resources_full". */
export const SLAVE_FULL_MODEL: Spec = shape(
  {
    ...SLAVE_MODEL_FIELDS,
    reserved_resources_full: mapOf(arrayOf(PROTO_RESOURCE)),
    unreserved_resources_full: arrayOf(PROTO_RESOURCE),
    used_resources_full: arrayOf(PROTO_RESOURCE),
    offered_resources_full: arrayOf(PROTO_RESOURCE),
  },
  SLAVE_MODEL_OPTIONAL,
);

/** §2.1 leader_info. The reference lists the full MasterInfo; the source (`json(writer, MasterInfo)`) writes id, pid, port, hostname, domain?. */
export const LEADER_INFO_MODEL: Spec = shape(
  { id: 'string', pid: matching(/^master@[\d.]+:\d+$/, 'master@<ip>:<port>'), port: 'integer', hostname: 'string' },
  { domain: 'any', ip: 'integer', version: 'string', address: 'any' },
);

/** §2.1 top-level fields of /state (orphan_tasks and unregistered_frameworks always empty). */
const masterState = (slave: Spec, framework: Spec): Spec =>
  shape(
  {
    version: 'string',
    build_date: 'string',
    build_time: 'number',
    build_user: 'string',
    start_time: 'number',
    elected_time: 'number',
    id: 'string',
    pid: matching(/^master@[\d.]+:\d+$/, 'master@<ip>:<port>'),
    hostname: 'string',
    capabilities: arrayOf('string'),
    activated_slaves: 'integer',
    deactivated_slaves: 'integer',
    unreachable_slaves: 'integer',
    leader: matching(/^master@[\d.]+:\d+$/, 'the leader pid'),
    leader_info: LEADER_INFO_MODEL,
    flags: mapOf('string'),
    slaves: arrayOf(slave),
    recovered_slaves: arrayOf('any'),
    frameworks: arrayOf(framework),
    completed_frameworks: arrayOf(framework),
    orphan_tasks: custom('always empty', (v) => (Array.isArray(v) && v.length === 0 ? undefined : 'not []')),
    unregistered_frameworks: custom('always empty', (v) => (Array.isArray(v) && v.length === 0 ? undefined : 'not []')),
  },
  { git_sha: 'string', git_branch: 'string', git_tag: 'string', domain: 'any', cluster: 'string', log_dir: 'string', external_log_file: 'string' },
);
export const MASTER_STATE: Spec = masterState(SLAVE_MODEL, FRAMEWORK_MODEL);
/** Mesos 1.6 (no `deactivated` on agents, no `offer_constraints` on frameworks). */
export const MASTER_STATE_PRE_1_9: Spec = masterState(SLAVE_MODEL_PRE_1_9, FRAMEWORK_MODEL_PRE_1_11);

/** §2.2 "/master/slaves … Returns {slaves:[…], recovered_slaves:[…]}". */
export const MASTER_SLAVES: Spec = shape({ slaves: arrayOf(SLAVE_FULL_MODEL), recovered_slaves: arrayOf('any') });

/** §2.2 "/master/frameworks … Returns {frameworks, completed_frameworks, unregistered_frameworks: []}". */
export const MASTER_FRAMEWORKS: Spec = shape({
  frameworks: arrayOf(FRAMEWORK_MODEL),
  completed_frameworks: arrayOf(FRAMEWORK_MODEL),
  unregistered_frameworks: custom('always empty', (v) => (Array.isArray(v) && v.length === 0 ? undefined : 'not []')),
});

/**
 * §2.3 "Executor entries: id, name, source, container (the Mesos ContainerID), directory (the sandbox run path),
 * resources, role?, labels?, type?, tasks[], queued_tasks[], completed_tasks[]".
 */
export const AGENT_EXECUTOR_MODEL: Spec = shape(
  {
    id: 'string',
    name: 'string',
    source: 'string',
    container: matching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a container ID (UUID)'),
    directory: matching(/\/slaves\/[^/]+\/frameworks\/[^/]+\/executors\/[^/]+\/runs\/[0-9a-f-]{36}$/, 'a sandbox run path'),
    resources: RESOURCES_MODEL,
    tasks: arrayOf(TASK_MODEL),
    queued_tasks: arrayOf('any'),
    completed_tasks: arrayOf(TASK_MODEL),
  },
  { role: 'string', labels: 'any', type: oneOf('DEFAULT', 'CUSTOM') },
);

/** §2.3 "frameworks[] entries: id, name, user, failover_timeout, checkpoint, hostname, principal?, role/roles, executors[], completed_executors[]". */
export const AGENT_FRAMEWORK_MODEL: Spec = either(
  ...(['role', 'roles'] as const).map((r) =>
    shape(
      {
        id: 'string',
        name: 'string',
        user: 'string',
        failover_timeout: 'number',
        checkpoint: 'boolean',
        hostname: 'string',
        [r]: r === 'role' ? 'string' : arrayOf('string'),
        executors: arrayOf(AGENT_EXECUTOR_MODEL),
        completed_executors: arrayOf(AGENT_EXECUTOR_MODEL),
      },
      { principal: 'string' },
    ),
  ),
);

/**
 * §2.3 "GET /slave(1)/state: id, pid, hostname, resources, reserved_resources, unreserved_resources,
 * reserved_resources_full, attributes, master_hostname, flags (strings), frameworks[], completed_frameworks[]";
 * source: version/build fields, start_time, capabilities, unreserved_resources_full,
 * reserved_resources_allocated, unreserved_resources_allocated, resource_providers.
 */
export const AGENT_STATE: Spec = shape(
  {
    id: 'string',
    pid: matching(/^slave\(1\)@[\d.]+:\d+$/, 'slave(1)@<ip>:<port>'),
    hostname: 'string',
    resources: RESOURCES_MODEL,
    reserved_resources: mapOf(RESOURCES_MODEL),
    unreserved_resources: RESOURCES_MODEL,
    reserved_resources_full: mapOf(arrayOf(PROTO_RESOURCE)),
    attributes: ATTRIBUTES_MODEL,
    flags: mapOf('string'),
    frameworks: arrayOf(AGENT_FRAMEWORK_MODEL),
    completed_frameworks: arrayOf(AGENT_FRAMEWORK_MODEL),
    // source:
    version: 'string',
    build_date: 'string',
    build_time: 'number',
    build_user: 'string',
    start_time: 'number',
    capabilities: arrayOf('string'),
    unreserved_resources_full: arrayOf(PROTO_RESOURCE),
    reserved_resources_allocated: mapOf(RESOURCES_MODEL),
    unreserved_resources_allocated: RESOURCES_MODEL,
    resource_providers: arrayOf('any'),
  },
  { master_hostname: 'string', git_sha: 'string', git_branch: 'string', git_tag: 'string', domain: 'any', drain_config: 'any', log_dir: 'string', external_log_file: 'string' },
);

/** §2.3 "GET /slave(1)/flags: { "flags": { name: stringValue, … } }". */
export const AGENT_FLAGS: Spec = shape({ flags: mapOf('string') });

/** §2.3 "GET /slave(1)/containers: an array of {container_id, container_status{network_infos…}, executor_id, executor_name, framework_id, source, statistics{cpus_*, mem_*, timestamp}}". */
export const AGENT_CONTAINERS: Spec = arrayOf(
  shape({
    container_id: 'string',
    container_status: openShape({}),
    executor_id: 'string',
    executor_name: 'string',
    framework_id: 'string',
    source: 'string',
    statistics: custom('statistics', (v) => {
      if (typeof v !== 'object' || v === null) return 'not an object';
      const o = v as Record<string, unknown>;
      if (typeof o['timestamp'] !== 'number') return 'no timestamp';
      for (const k of Object.keys(o)) if (!/^(cpus_|mem_|timestamp$)/.test(k)) return `unexpected ${k}`;
      return undefined;
    }),
  }),
);

// -----------------------------------------------------------------------------------------------
// v1 operator API, protobuf-JSON (§2.4; §2.6 "Protobuf-JSON shapes")

/** §2.4 "Times are {nanoseconds}". */
const TIME_INFO: Spec = shape({ nanoseconds: 'integer' });

/** §2.6 TaskStatus: task_id, state, message?, source, reason?, data?, agent_id?, executor_id?, timestamp, uuid?, healthy?, …. */
export const V1_TASK_STATUS: Spec = shape(
  { task_id: ID, state: oneOf(...TASK_STATES), timestamp: 'number' },
  {
    message: 'string',
    source: oneOf('SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR'),
    reason: matching(/^REASON_[A-Z_]+$/, 'a REASON_* enum name'),
    data: 'string',
    agent_id: ID,
    executor_id: ID,
    uuid: matching(/^[A-Za-z0-9+/]+=*$/, 'base64 bytes'),
    healthy: 'boolean',
    check_status: 'any',
    labels: 'any',
    container_status: shape({}, { container_id: shape({ value: 'string' }, { parent: 'any' }), network_infos: arrayOf('any'), cgroup_info: 'any', executor_pid: 'integer' }),
    unreachable_time: TIME_INFO,
    limitation: 'any',
  },
);

/** §2.4 "Task objects are full protobuf: task_id, framework_id, agent_id, executor_id, name, state, resources[], statuses[] …, status_update_state, status_update_uuid, …". */
export const V1_TASK: Spec = shape(
  { name: 'string', task_id: ID, framework_id: ID, agent_id: ID, state: oneOf(...TASK_STATES) },
  {
    executor_id: ID,
    resources: arrayOf(PROTO_RESOURCE),
    statuses: arrayOf(V1_TASK_STATUS),
    status_update_state: oneOf(...TASK_STATES),
    status_update_uuid: 'string',
    labels: 'any',
    discovery: 'any',
    container: 'any',
    health_check: 'any',
    kill_policy: 'any',
    user: 'string',
    limits: 'any',
  },
);

/** §2.6 CommandInfo: uris[{value, executable?, extract(default true), cache?, output_file?}], environment, shell (default true), value, arguments[], user?. */
const V1_COMMAND: Spec = shape(
  { shell: 'boolean' },
  {
    uris: arrayOf(shape({ value: 'string', extract: 'boolean' }, { executable: 'boolean', cache: 'boolean', output_file: 'string' })),
    environment: 'any',
    value: 'string',
    arguments: arrayOf('string'),
    user: 'string',
  },
);

/** §2.6 ExecutorInfo: type?, executor_id, framework_id, command, container?, resources[], name, source, data, discovery?, shutdown_grace_period?, labels?. */
export const V1_EXECUTOR_INFO: Spec = shape(
  { executor_id: ID, framework_id: ID, command: V1_COMMAND },
  {
    type: oneOf('DEFAULT', 'CUSTOM'),
    container: 'any',
    resources: arrayOf(PROTO_RESOURCE),
    name: 'string',
    source: 'string',
    data: 'string',
    discovery: 'any',
    shutdown_grace_period: shape({ nanoseconds: 'integer' }),
    labels: 'any',
  },
);

/** §2.6 FrameworkInfo: user, name, id?, failover_timeout, checkpoint, role / roles[], hostname?, principal?, webui_url?, capabilities[], labels?, offer_filters?. */
export const V1_FRAMEWORK_INFO: Spec = shape(
  { user: 'string', name: 'string', id: ID, failover_timeout: 'number', checkpoint: 'boolean' },
  {
    role: 'string',
    roles: arrayOf('string'),
    hostname: 'string',
    principal: 'string',
    webui_url: 'string',
    capabilities: arrayOf(shape({ type: 'string' })),
    labels: 'any',
    offer_filters: 'any',
  },
);

/** §2.6 Offer: id, framework_id, agent_id, hostname, url?, domain?, resources[], attributes[], executor_ids[], unavailability?, allocation_info{role}. */
export const V1_OFFER: Spec = shape(
  { id: ID, framework_id: ID, agent_id: ID, hostname: 'string', allocation_info: shape({ role: 'string' }) },
  { url: 'any', domain: 'any', resources: arrayOf(PROTO_RESOURCE), attributes: arrayOf('any'), executor_ids: arrayOf(ID), unavailability: 'any' },
);

/** §2.4 "GET_FRAMEWORKS: frameworks[] with framework_info{…}, active, connected, recovered, registered_time, reregistered_time, unregistered_time?, offers[], inverse_offers[], allocated_resources[], offered_resources[], offer_constraints?". */
export const V1_FRAMEWORK: Spec = shape(
  { framework_info: V1_FRAMEWORK_INFO, active: 'boolean', connected: 'boolean', recovered: 'boolean', registered_time: TIME_INFO },
  {
    reregistered_time: TIME_INFO,
    unregistered_time: TIME_INFO,
    offers: arrayOf(V1_OFFER),
    inverse_offers: arrayOf('any'),
    allocated_resources: arrayOf(PROTO_RESOURCE),
    offered_resources: arrayOf(PROTO_RESOURCE),
    offer_constraints: 'any',
  },
);

/** §2.6 Attribute: {name, type:"TEXT"|"SCALAR"|"RANGES"|"SET", text:{value}|scalar:{value}|ranges|set}. */
const V1_ATTRIBUTE: Spec = shape(
  { name: 'string', type: oneOf('TEXT', 'SCALAR', 'RANGES', 'SET') },
  {
    text: shape({ value: 'string' }),
    scalar: shape({ value: 'number' }),
    ranges: shape({ range: arrayOf(shape({ begin: 'integer', end: 'integer' })) }),
    set: shape({ item: arrayOf('string') }),
  },
);

/** §2.4 "GET_AGENTS: agents[] with agent_info{hostname, id, port, resources[], attributes[]}, active, deactivated?, version, pid, registered_time, reregistered_time, total_resources[], allocated_resources[], offered_resources[], capabilities[], drain_info?". */
export const V1_AGENT: Spec = shape(
  {
    agent_info: shape({ hostname: 'string', port: 'integer', id: ID }, { resources: arrayOf(PROTO_RESOURCE), attributes: arrayOf(V1_ATTRIBUTE), domain: 'any' }),
    active: 'boolean',
    version: 'string',
    pid: 'string',
    registered_time: TIME_INFO,
  },
  {
    deactivated: 'boolean',
    reregistered_time: TIME_INFO,
    total_resources: arrayOf(PROTO_RESOURCE),
    allocated_resources: arrayOf(PROTO_RESOURCE),
    offered_resources: arrayOf(PROTO_RESOURCE),
    capabilities: arrayOf(shape({ type: 'string' })),
    drain_info: 'any',
    estimated_drain_start_time: 'any',
    resource_providers: arrayOf('any'),
  },
);

export const V1_GET_AGENTS: Spec = shape({ agents: arrayOf(V1_AGENT), recovered_agents: arrayOf('any') });
export const V1_GET_FRAMEWORKS: Spec = shape({ frameworks: arrayOf(V1_FRAMEWORK), completed_frameworks: arrayOf(V1_FRAMEWORK) });
/** §2.4 "get_executors{executors[{agent_id, executor_info}]}". */
export const V1_GET_EXECUTORS: Spec = shape({ executors: arrayOf(shape({ executor_info: V1_EXECUTOR_INFO, agent_id: ID })) });
/** §2.4 "get_tasks{tasks, unreachable_tasks, completed_tasks, pending_tasks (deprecated), orphan_tasks (deprecated)}". */
export const V1_GET_TASKS: Spec = shape({
  tasks: arrayOf(V1_TASK),
  unreachable_tasks: arrayOf(V1_TASK),
  completed_tasks: arrayOf(V1_TASK),
  pending_tasks: arrayOf(V1_TASK),
  orphan_tasks: arrayOf(V1_TASK),
});
/** §2.4 "GET_STATE response: get_state: { get_tasks, get_executors, get_frameworks, get_agents }". */
export const V1_GET_STATE: Spec = shape({ get_tasks: V1_GET_TASKS, get_executors: V1_GET_EXECUTORS, get_frameworks: V1_GET_FRAMEWORKS, get_agents: V1_GET_AGENTS });

/** §2.4 "Synchronous calls answer 200 with {"type":"<CALL>","<call_lowercase>":{…}}". */
export const v1Response = (type: string, body: Spec): Spec => shape({ type: oneOf(type), [type.toLowerCase()]: body });

/** master.proto Response.GetHealth / GetFlags / GetVersion. */
export const V1_GET_HEALTH: Spec = shape({ healthy: 'boolean' });
export const V1_GET_FLAGS: Spec = shape({ flags: arrayOf(shape({ name: 'string' }, { value: 'string' })) });
export const V1_GET_VERSION: Spec = shape({
  version_info: shape({ version: 'string' }, { build_date: 'string', build_time: 'number', build_user: 'string', git_sha: 'string', git_branch: 'string', git_tag: 'string' }),
});

/** The MasterInfo in ZooKeeper (`JSON::protobuf(MasterInfo)`; the brief: {id, ip, port, pid, hostname, version, address{hostname, ip, port}}). */
export const ZK_MASTER_INFO: Spec = shape(
  {
    id: 'string',
    ip: 'integer',
    port: 'integer',
    pid: matching(/^master@[\d.]+:\d+$/, 'master@<ip>:<port>'),
    hostname: 'string',
    version: 'string',
    address: shape({ hostname: 'string', ip: 'string', port: 'integer' }),
  },
  { capabilities: arrayOf(shape({ type: 'string' })), domain: 'any' },
);
