/**
 * The JSON shapes of the Mesos endpoints, written from ../shared/reference/k8sm-and-mesos-api.md
 * (sections cited on each) and, where the reference lists less than Mesos prints, from the Mesos
 * source it cites (MESOS `src/master/readonly_handler.cpp`, `src/slave/http.cpp`,
 * `src/common/http.cpp`, `include/mesos/v1/{mesos,master/master}.proto`); those additions are marked
 * "source:". Shapes are strict: a field not named here fails the check.
 */
import { TASK_STATES } from '../../stack/mesos-sim/types.js';
import { versionAtLeast } from '../../stack/mesos-sim/defaults.js';
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
    if (typeof x !== 'string' || !(RANGES_STRING.test(x) || SET_STRING.test(x)))
      return `${k}: ${JSON.stringify(x)} is neither a number, a ranges string nor a set string`;
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
  {
    shell: 'boolean',
    value: 'string',
    environment: shape({ variables: arrayOf(shape({ name: 'string' }, { value: 'string', type: 'string', secret: 'any' })) }),
  },
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
          ...(withOfferConstraints ? { offer_constraints: 'any' } : {}),
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
  {
    master_hostname: 'string',
    git_sha: 'string',
    git_branch: 'string',
    git_tag: 'string',
    domain: 'any',
    drain_config: 'any',
    log_dir: 'string',
    external_log_file: 'string',
  },
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
    container_status: shape(
      {},
      { container_id: shape({ value: 'string' }, { parent: 'any' }), network_infos: arrayOf('any'), cgroup_info: 'any', executor_pid: 'integer' },
    ),
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
    agent_info: shape(
      { hostname: 'string', port: 'integer', id: ID },
      { resources: arrayOf(PROTO_RESOURCE), attributes: arrayOf(V1_ATTRIBUTE), domain: 'any' },
    ),
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

/** §2.6 scheduler Events (top-level `type`): SUBSCRIBED{framework_id, heartbeat_interval_seconds, master_info?}, OFFERS{offers[]}, RESCIND{offer_id}, UPDATE{status}, MESSAGE, FAILURE, ERROR{message}, HEARTBEAT. */
export const V1_SCHEDULER_EVENTS: Record<string, Spec> = {
  SUBSCRIBED: shape({ type: oneOf('SUBSCRIBED'), subscribed: shape({ framework_id: ID, heartbeat_interval_seconds: 'number' }, { master_info: 'any' }) }),
  OFFERS: shape({ type: oneOf('OFFERS'), offers: shape({ offers: arrayOf(V1_OFFER) }) }),
  RESCIND: shape({ type: oneOf('RESCIND'), rescind: shape({ offer_id: ID }) }),
  UPDATE: shape({ type: oneOf('UPDATE'), update: shape({ status: V1_TASK_STATUS }) }),
  MESSAGE: shape({ type: oneOf('MESSAGE'), message: shape({ agent_id: ID, executor_id: ID, data: 'string' }) }),
  FAILURE: shape({ type: oneOf('FAILURE'), failure: shape({}, { agent_id: ID, executor_id: ID, status: 'integer' }) }),
  ERROR: shape({ type: oneOf('ERROR'), error: shape({ message: 'string' }) }),
  HEARTBEAT: shape({ type: oneOf('HEARTBEAT') }),
};

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
export const V1_GET_STATE: Spec = shape({
  get_tasks: V1_GET_TASKS,
  get_executors: V1_GET_EXECUTORS,
  get_frameworks: V1_GET_FRAMEWORKS,
  get_agents: V1_GET_AGENTS,
});

/** §2.4 "Synchronous calls answer 200 with {"type":"<CALL>","<call_lowercase>":{…}}". */
export const v1Response = (type: string, body: Spec): Spec => shape({ type: oneOf(type), [type.toLowerCase()]: body });

/** master.proto Response.GetHealth / GetFlags / GetVersion. */
export const V1_GET_HEALTH: Spec = shape({ healthy: 'boolean' });
export const V1_GET_FLAGS: Spec = shape({ flags: arrayOf(shape({ name: 'string' }, { value: 'string' })) });
export const V1_GET_VERSION: Spec = shape({
  version_info: shape(
    { version: 'string' },
    { build_date: 'string', build_time: 'number', build_user: 'string', git_sha: 'string', git_branch: 'string', git_tag: 'string' },
  ),
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

// -----------------------------------------------------------------------------------------------
// What real clusters print, version by version: ../shared/corpus/mesos-state (captures of Mesos
// 0.19 to 1.8 committed by other projects; SOURCES.md there says which is which). The reference
// describes a recent Mesos; these shapes keep its fields and types and add, for each field, the
// versions the captures show it in. test/mesos-sim/views.test.ts checks every capture against the
// shape of its version and the simulator against the same shapes; test/stack/mesos-sim/README.md
// lists the differences.

/** Whether a field is printed by a version: `absent`, `required`, or `optional` (no capture tells). */
export type Presence = 'absent' | 'required' | 'optional';
type Life = (version: string) => Presence;

/** Absent through `absentThrough` (the last capture without it), printed from `presentFrom` (the first with it). */
const since =
  (absentThrough: string, presentFrom: string): Life =>
  (v) =>
    versionAtLeast(v, presentFrom) ? 'required' : versionAtLeast(absentThrough, v) ? 'absent' : 'optional';
/** Printed through `presentThrough`, gone from `absentFrom`. */
const until =
  (presentThrough: string, absentFrom: string): Life =>
  (v) =>
    versionAtLeast(v, absentFrom) ? 'absent' : versionAtLeast(presentThrough, v) ? 'required' : 'optional';
/** Printed by some releases strictly between `after` and `before` only (where a capture shows it). */
const onlyBetween =
  (after: string, before: string): Life =>
  (v) =>
    versionAtLeast(v, before) || versionAtLeast(after, v) ? 'absent' : 'optional';
const always: Life = () => 'required';

function versioned(version: string, fields: Record<string, [Spec, Life?]>, optional: Record<string, Spec>): Spec {
  const required: Record<string, Spec> = {};
  const opt: Record<string, Spec> = { ...optional };
  for (const [name, [spec, life = always]] of Object.entries(fields)) {
    const p = life(version);
    if (p === 'required') required[name] = spec;
    else if (p === 'optional') opt[name] = spec;
  }
  return shape(required, opt);
}

/** The model resources; `gpus` only from 0.29 (captures: 0.28.1 has none, 0.29.0 has it). */
export function resourcesModelAt(version: string): Spec {
  const gpus = since('0.28.1', '0.29.0')(version);
  return custom(`a Mesos ${version} resources model`, (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
    const o = v as Record<string, unknown>;
    for (const k of ['cpus', 'mem', 'disk', ...(gpus === 'required' ? ['gpus'] : [])]) if (typeof o[k] !== 'number') return `${k} is not a number`;
    if (gpus === 'absent' && 'gpus' in o) return 'gpus before Mesos 0.29';
    for (const [k, x] of Object.entries(o)) {
      if (typeof x === 'number') continue;
      if (typeof x !== 'string' || !(RANGES_STRING.test(x) || SET_STRING.test(x)))
        return `${k}: ${JSON.stringify(x)} is neither a number, a ranges string nor a set string`;
    }
    return undefined;
  });
}

/** The old task counters of the master and agent `/state` (printed up to 0.22, gone in 0.25/0.27). */
const COUNTERS = ['staged_tasks', 'started_tasks', 'finished_tasks', 'killed_tasks', 'failed_tasks', 'lost_tasks'];

/** A libprocess pid `<id>@<IPv4>:<port>`. */
const pidOf = (id: RegExp, what: string): Spec => matching(new RegExp(`^${id.source}@\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+$`), what);
/**
 * Agent ids: `<master id>-S<n>` with a UUID master id; before 0.23 the master id was
 * `<date>-<time>-<ip as uint32>-<port>-<pid>`, and before 0.21 the `S` was not there.
 */
const AGENT_ID = matching(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{8}-\d{6}-\d+-\d+-\d+)-S?\d+$/, 'an agent ID <master id>-S<n>');

export function taskModelAt(version: string): Spec {
  const res = resourcesModelAt(version);
  return versioned(
    version,
    {
      id: ['string'],
      name: ['string'],
      framework_id: ['string'],
      executor_id: ['string'], // "" for command tasks
      slave_id: ['string'],
      state: [oneOf(...TASK_STATES)],
      resources: [res],
      // captures: no task `role` in 1.2.0 (master) nor 0.29.0 (agent); 1.4.0 (agent) and 1.5.0 have it
      role: ['string', since('1.2.0', '1.4.0')],
      statuses: [arrayOf(STATUS_MODEL)],
    },
    { limits: 'any', user: 'string', labels: arrayOf(shape({ key: 'string' }, { value: 'string' })), discovery: 'any', container: 'any', health_check: 'any' },
  );
}

/** A master `/state` as Mesos `version` prints it. */
export function masterStateAt(version: string): Spec {
  const res = resourcesModelAt(version);
  const task = taskModelAt(version);
  const slave = versioned(
    version,
    {
      id: [AGENT_ID],
      hostname: ['string'],
      attributes: [ATTRIBUTES_MODEL],
      pid: [pidOf(/slave\(1\)/, 'slave(1)@<ip>:<port>')],
      registered_time: ['number'],
      resources: [res],
      active: ['boolean', since('0.19.1', '0.22.0')],
      used_resources: [res, since('0.22.0', '0.25.0')],
      offered_resources: [res, since('0.22.0', '0.25.0')],
      reserved_resources: [mapOf(res), since('0.22.0', '0.25.0')],
      unreserved_resources: [res, since('0.22.0', '0.25.0')],
      // the 0.27.1 capture (state2.json) alone prints the protobuf form in /state too
      reserved_resources_full: [mapOf(arrayOf(PROTO_RESOURCE)), onlyBetween('0.27.0', '0.28.0')],
      version: ['string', since('0.25.0', '0.27.0')],
      port: ['integer', since('1.2.0', '1.5.0')],
      capabilities: [arrayOf('string'), since('1.2.0', '1.5.0')],
      deactivated: ['boolean', since('1.8.0', '1.9.0')],
    },
    SLAVE_MODEL_OPTIONAL,
  );
  const framework = (role: 'role' | 'roles') =>
    versioned(
      version,
      {
        id: ['string'],
        name: ['string'],
        used_resources: [res, since('0.19.1', '0.22.0')],
        offered_resources: [res, since('0.19.1', '0.22.0')],
        resources: [res],
        capabilities: [arrayOf('string'), since('0.22.0', '0.25.0')],
        hostname: ['string'],
        webui_url: ['string', since('0.19.1', '0.22.0')],
        active: ['boolean'],
        connected: ['boolean', since('1.0.1', '1.2.0')],
        recovered: ['boolean', since('1.0.1', '1.2.0')],
        user: ['string'],
        failover_timeout: ['number'],
        checkpoint: ['boolean'],
        registered_time: ['number'],
        unregistered_time: ['number'],
        [role]: [role === 'role' ? 'string' : arrayOf('string')],
        tasks: [arrayOf(task)],
        unreachable_tasks: [arrayOf(task), since('1.2.0', '1.5.0')],
        completed_tasks: [arrayOf(task)],
        offers: [arrayOf(shape({ id: 'string', framework_id: 'string', allocation_info: shape({ role: 'string' }), slave_id: 'string', resources: res }))],
        executors: [arrayOf(MASTER_EXECUTOR_MODEL), since('0.22.0', '0.25.0')],
        offer_constraints: ['any', since('1.10.0', '1.11.0')],
      },
      { pid: pidOf(/[^@]+/, 'a libprocess pid'), reregistered_time: 'number', principal: 'string', labels: 'any' },
    );
  const frameworks = arrayOf(either(framework('role'), framework('roles')));
  const alwaysEmpty = custom('always empty', (v) => (Array.isArray(v) && v.length === 0 ? undefined : 'not []'));
  return versioned(
    version,
    {
      version: ['string'],
      build_date: ['string'],
      build_time: ['number'],
      build_user: ['string'],
      start_time: ['number'],
      elected_time: ['number'],
      id: ['string'],
      pid: [pidOf(/master/, 'master@<ip>:<port>')],
      hostname: ['string'],
      capabilities: [arrayOf('string'), since('1.5.0', '1.8.0')],
      activated_slaves: ['integer'],
      deactivated_slaves: ['integer'],
      unreachable_slaves: ['integer', since('1.2.0', '1.5.0')],
      leader: [pidOf(/master/, 'the leader pid')],
      leader_info: [LEADER_INFO_MODEL, since('1.0.1', '1.2.0')],
      flags: [mapOf('string')],
      slaves: [arrayOf(slave)],
      recovered_slaves: [arrayOf('any'), since('1.2.0', '1.5.0')],
      frameworks: [frameworks],
      completed_frameworks: [frameworks],
      orphan_tasks: [alwaysEmpty, since('0.19.1', '0.22.0')],
      unregistered_frameworks: [alwaysEmpty, since('0.19.1', '0.22.0')],
      ...Object.fromEntries(COUNTERS.map((c) => [c, ['integer', until('0.22.0', '0.25.0')] as [Spec, Life]])),
    },
    { git_sha: 'string', git_branch: 'string', git_tag: 'string', domain: 'any', cluster: 'string', log_dir: 'string', external_log_file: 'string' },
  );
}

/** An agent `/slave(1)/state` as Mesos `version` prints it. */
export function agentStateAt(version: string): Spec {
  const res = resourcesModelAt(version);
  const task = taskModelAt(version);
  const executor = shape(
    {
      id: 'string',
      name: 'string',
      source: 'string',
      container: matching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a container ID (UUID)'),
      directory: matching(/\/slaves\/[^/]+\/frameworks\/[^/]+\/executors\/[^/]+\/runs\/[0-9a-f-]{36}$/, 'a sandbox run path'),
      resources: res,
      tasks: arrayOf(task),
      queued_tasks: arrayOf('any'),
      completed_tasks: arrayOf(task),
    },
    { role: 'string', labels: 'any', type: oneOf('DEFAULT', 'CUSTOM') },
  );
  const framework = (role: 'role' | 'roles') =>
    shape(
      {
        id: 'string',
        name: 'string',
        user: 'string',
        failover_timeout: 'number',
        checkpoint: 'boolean',
        hostname: 'string',
        [role]: role === 'role' ? 'string' : arrayOf('string'),
        executors: arrayOf(executor),
        completed_executors: arrayOf(executor),
      },
      { principal: 'string' },
    );
  const frameworks = arrayOf(either(framework('role'), framework('roles')));
  return versioned(
    version,
    {
      id: [AGENT_ID],
      pid: [pidOf(/slave\(1\)/, 'slave(1)@<ip>:<port>')],
      hostname: ['string'],
      resources: [res],
      attributes: [ATTRIBUTES_MODEL],
      flags: [mapOf('string')],
      frameworks: [frameworks],
      completed_frameworks: [frameworks],
      version: ['string'],
      build_date: ['string'],
      build_time: ['number'],
      build_user: ['string'],
      start_time: ['number'],
      // captures: none of these in 0.19 to 0.29 agents; 1.4.0 prints them
      reserved_resources: [mapOf(res), since('0.29.0', '1.4.0')],
      unreserved_resources: [res, since('0.29.0', '1.4.0')],
      reserved_resources_full: [mapOf(arrayOf(PROTO_RESOURCE)), since('0.29.0', '1.4.0')],
      unreserved_resources_full: [arrayOf(PROTO_RESOURCE), since('0.29.0', '1.4.0')],
      capabilities: [arrayOf('string'), since('0.29.0', '1.4.0')],
      reserved_resources_allocated: [mapOf(res), since('1.4.0', '1.5.0')],
      unreserved_resources_allocated: [res, since('1.4.0', '1.5.0')],
      // absent in the 1.5.0 captures; the Mesos source prints it (no later agent capture to say when it came)
      resource_providers: [arrayOf('any'), since('1.5.0', '1.11.0')],
      ...Object.fromEntries(COUNTERS.map((c) => [c, ['integer', until('0.22.0', '0.27.0')] as [Spec, Life]])),
    },
    {
      master_hostname: 'string',
      git_sha: 'string',
      git_branch: 'string',
      git_tag: 'string',
      domain: 'any',
      drain_config: 'any',
      log_dir: 'string',
      external_log_file: 'string',
      cluster: 'string',
    },
  );
}
