/**
 * The built k8smctl against every real Mesos capture in ../shared/corpus/mesos-state, served
 * UNCHANGED: each master capture on the master endpoints its version had (before 0.25 only
 * `/state.json`; from 1.7 only `/state`), its agents' captures on the addresses in their own `pid`,
 * all inside a private network namespace (test/stack/mesos-sim/captures). Agents the master lists
 * without a capture do not answer (connection refused, no route, or no such host name).
 *
 * Every figure below was read by hand from the document named, at the place the comment gives
 * (`slaves[i]`, `frameworks[i].tasks`, ...); sums are of the values listed there.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture, capturesAvailable, CAPTURE_DIR, loadCaptures, planMaster, splitPid, versionBelow, type Capture } from '../stack/mesos-sim/captures/corpus.js';
import { CaptureLab, labUnavailable, type LabResult } from '../stack/mesos-sim/captures/lab.js';

jest.setTimeout(120_000);

/** [cpus, mem (MB), ports as the model prints them] */
type Figures = [number, number, string];

interface AgentCase {
  /** What `get agents -o name` prints after `agent/`. */
  name: string;
  id: string;
  hostname?: string;
  /** Mesos version as `get agents -o json` reports it (the master's, else the agent's own /state). */
  version?: string;
  /** The agent's own capture is served (else it cannot answer). */
  reachable: boolean;
  total: Figures;
  used: Figures;
  /** Roles its ports are reserved to. */
  reservedTo?: string[];
}

interface FrameworkCase {
  name: string;
  id: string;
  active: string;
  connected: 'true' | 'false' | '<unknown>';
  roles: string;
  tasks: number;
  cpus: string;
  mem: string;
}

interface MasterCase {
  agents: AgentCase[];
  frameworks: FrameworkCase[];
  /** The first requests to the master (the client finds the state endpoint this version has). */
  masterRequests: string[];
}

const DCOS_PRIVATE = '[1025-2180, 2182-3887, 3889-5049, 5052-8079, 8082-8180, 8182-32000]';
const DCOS_PUBLIC = '[1-21, 23-5050, 5052-32000]';
const MODERN = ['/state 200'];
const LEGACY = ['/state 404', '/state.json 200'];

const fw = (name: string, id: string, connected: FrameworkCase['connected'], roles: string, tasks: number, cpus: string, mem: string): FrameworkCase => ({
  name,
  id,
  active: 'true',
  connected,
  roles,
  tasks,
  cpus,
  mem,
});

const CASES: Record<string, MasterCase> = {
  // Mesos 0.19.0; two agents on ONE host (slaves[0] pid :5052, slaves[1] pid :5051); no `active`,
  // no `used_resources` on slaves; the agent capture (slave-2014...-0.json) is slaves[1].
  'mesosphere-backup__mesos-cli__tests_data_master_state.json': {
    agents: [
      {
        name: '10.141.141.10:5051',
        id: '20140619-151434-16842879-5050-1196-0', // slaves[1].id
        version: '0.19.0', // the agent capture's own "version" (the 0.19 master prints none)
        reachable: true,
        total: [2, 1000, '[31000-32000]'], // slaves[1].resources
        // derived: frameworks[0].tasks app-15.41fef02d (cpus 0.1, mem 16, [31654-31654]) and
        // app-215.3e6a099c (0.1, 16, [31705-31705]), both TASK_RUNNING on slaves[1]
        used: [0.2, 32, '[31654-31654, 31705-31705]'],
      },
      {
        name: '10.141.141.10:5052',
        id: '20140623-174033-177048842-5050-6160-0', // slaves[0].id; no capture of this agent
        reachable: false,
        total: [2, 1000, '[31000-32000]'], // slaves[0].resources
        used: [0, 0, '[]'], // no task has slave_id ...6160-0
      },
    ],
    // frameworks[0]: no used_resources; resources {cpus 0.2, mem 32}; 2 tasks TASK_RUNNING; no `connected`
    frameworks: [fw('marathon-0.6.0-SNAPSHOT', '20140612-230025-16842879-5050-1151-0000', '<unknown>', '*', 2, '0.2', '32')],
    masterRequests: LEGACY,
  },
  // Mesos 0.19.1 (the original capture). No agent captures.
  'mesosphere__mesos-dns__factories_fake.json@5854158.json': {
    agents: [
      {
        name: 'google.com',
        id: '20140827-000744-3041283216-5050-2116-1', // slaves[2]
        reachable: false,
        total: [8, 31016, '[31000-32000]'],
        // frameworks[1].tasks liquor-store.b71166c1 (1, 1024, [31737-31737]) + reviewbot (0.1, 128, [31744-31744])
        used: [1.1, 1152, '[31737-31737, 31744-31744]'],
      },
      {
        name: 'socket.net',
        id: '20140803-125133-3041283216-5050-2410-0', // slaves[1]
        reachable: false,
        total: [8, 31016, '[31000-32000]'],
        // liquor-store.b8db9f73 (1, 1024, [31354-31354]) + chronos (0.1, 385, [31332-31332]); the
        // TASK_KILLED poseidon task (1, 1024, [31112-31112]) listed in frameworks[1].tasks holds nothing
        used: [1.1, 1409, '[31332-31332, 31354-31354]'],
      },
      { name: 'some.host.com', id: '20140916-194712-631065744-5050-4798-2', reachable: false, total: [8, 30844, '[31000-32000]'], used: [0, 0, '[]'] }, // slaves[0]
    ],
    frameworks: [
      fw('chronos-2.0.1', '20140703-014514-3041283216-5050-5348-0001', '<unknown>', '*', 0, '0', '0'), // frameworks[0]: resources all 0
      // frameworks[1]: 5 tasks, poseidon TASK_KILLED; resources {cpus 3.2, mem 3585}: the master's own
      // figure, which still counts the killed task (2.2 CPU / 2561 MB of live tasks + 1 / 1024)
      fw('marathon-0.6.0', '20140703-014514-3041283216-5050-5348-0000', '<unknown>', '*', 4, '3.2', '3585'),
    ],
    masterRequests: LEGACY,
  },
  // Mesos 0.19.1, edited upstream: an IPv6 agent, extra frameworks whose `resources` were left at 0,
  // overlapping ports, a task with `"ports": "[]"`.
  'mesosphere__mesos-dns__factories_fake.json': {
    agents: [
      { name: '1.2.3.10', id: '20140916-194712-631065744-5050-4798-2', reachable: false, total: [8, 30844, '[31000-32000]'], used: [0, 0, '[]'] }, // slaves[0]
      {
        name: '1.2.3.11',
        id: '20140803-125133-3041283216-5050-2410-0', // slaves[1]
        reachable: false,
        total: [8, 31016, '[31000-32000]'],
        // some-box (1, 1024, [31354]) + liquor.store (1, 1024, [31354-31355]) + big.dog2 (1, 1024,
        // [31354-31355]) + car.store (1, 1024, [31364-31365]) + chronos (0.1, 385, [31332]) + nginx
        // (0.1, 128, "[]"); poseidon is TASK_KILLED
        used: [4.2, 4609, '[31332-31332, 31354-31355, 31364-31365]'],
      },
      {
        name: '1.2.3.12',
        id: '20140827-000744-3041283216-5050-2116-1', // slaves[2]
        reachable: false,
        total: [8, 31016, '[31000-32000]'],
        used: [1.1, 1152, '[31737-31738, 31744-31744]'], // non-human-readable-liquor-store (1, 1024, [31737-31738]) + reviewbot (0.1, 128, [31744])
      },
      {
        name: '2001:db8::1',
        id: '20140803-194712-3041283216-5050-2116-3', // slaves[3], pid slave(1)@[2001:db8::1]:5051
        reachable: false,
        total: [8, 31016, '[31000-32000]'],
        used: [1, 1024, '[31354-31355]'], // frameworks[0].tasks toy-store
      },
    ],
    frameworks: [
      fw('chronos with a space AND MIXED CASE-2.0.1', '20140703-014514-3041283216-5050-5348-0001', '<unknown>', '*', 1, '0', '0'),
      fw('ipv6-framework', '20140703-014514-3041283216-5050-5349-0001', '<unknown>', '*', 1, '0', '0'),
      fw('marathon', '20140703-014514-3041283216-5050-5348-0000', '<unknown>', '*', 7, '3.2', '3585'), // 8 tasks, poseidon TASK_KILLED
      fw('no pid', '20140703-014514-3041283216-5050-5348-0002', '<unknown>', '*', 0, '0', '0'),
    ],
    masterRequests: LEGACY,
  },
  // Mesos 0.22.0, with the agent's own capture (mesos_slave/state.json, same id, pid 127.0.0.1:5051).
  'DataDog__dd-agent__tests_checks_fixtures_mesos_master_state.json': {
    agents: [
      {
        name: 'localhost',
        id: '20150410-134224-16777343-5050-1778-S0',
        version: '0.22.0', // the agent capture's "version"
        reachable: true,
        total: [1, 244, '[31000-32000]'], // slaves[0].resources
        used: [1, 100, '[31915-31915]'], // frameworks[0].tasks[0] hello (TASK_RUNNING): cpus 1, mem 100, ports [31915-31915]
      },
    ],
    frameworks: [fw('marathon', '20150403-140128-251789322-5050-6047-0000', '<unknown>', '*', 1, '1', '100')], // used_resources {cpus 1, mem 100}
    masterRequests: LEGACY,
  },
  // Mesos 0.22.0-rc1 (the k8sm cloud provider's test state): agents named by host names that do not resolve here.
  'kubernetes__kubernetes__pkg_cloudprovider_providers_mesos_client_test.go.TEST_STATE_JSON.json': {
    agents: ['mesos1', 'mesos2', 'mesos3'].map((h, i) => ({
      name: `${h}.internal.company.com`,
      id: `20150419-081501-16777343-5050-16383-S${2 - i}`, // slaves[0..2]
      reachable: false,
      total: [8, 15360, '[31000-32000]'] as Figures,
      used: [0, 0, '[]'] as Figures, // "frameworks": []
    })),
    frameworks: [],
    masterRequests: LEGACY,
  },
  // Mesos 0.25.0: used_resources present, agent version not (slaves[0] has no "version").
  'dcos__mesos_state__test_mesos_state_SUITE_data_two-healthcheck-free-vips-state.json': {
    agents: [
      {
        name: '33.33.33.1',
        id: 'b290f6bd-c3d1-4676-82b6-79a0bb5106e8-S2',
        reachable: false,
        total: [8, 15360, '[31000-32000]'],
        used: [0.4, 64, '[31215-31215, 31290-31290, 31362-31362, 31634-31634]'], // slaves[0].used_resources
      },
    ],
    frameworks: [fw('marathon', '20150421-163349-16842879-5050-3746-0000', '<unknown>', '*', 4, '0.4', '64')], // 4 TASK_RUNNING; 30 completed_tasks
    masterRequests: MODERN,
  },
  // Mesos 0.26.0: no agents, no frameworks.
  'dcos__mesos_state__test_mesos_state_SUITE_data_empty.json': { agents: [], frameworks: [], masterRequests: MODERN },
  'dcos__mesos_state__test_mesos_state_SUITE_data_docker.json': {
    agents: [
      {
        name: '10.0.2.4',
        id: '460fd813-ea4c-44db-b2bb-78a02cd6db37-S0',
        version: '0.27.0', // slaves[0].version
        reachable: false,
        total: [4, 14019, '[1025-2180, 2182-3887, 3889-4368, 4370-5049, 5052-8079, 8082-8180, 8182-32000]'],
        used: [0.1, 16, '[28027-28027]'],
      },
    ],
    frameworks: [fw('marathon', '460fd813-ea4c-44db-b2bb-78a02cd6db37-0000', '<unknown>', 'slave_public', 1, '0.1', '16')],
    masterRequests: MODERN,
  },
  // Mesos 0.27.0, 1.7 MB: 102 running tasks (101 on slaves[2] 10.22.126.51, 1 on slaves[1]).
  'dcos__mesos_state__test_mesos_state_SUITE_data_bad-state-gaal.json': {
    agents: [
      {
        name: '10.22.126.228',
        id: '9f0e50ea-54b0-44e3-a451-c69e0c1a58fb-S76045',
        version: '0.27.0',
        reachable: false,
        total: [24, 95488, DCOS_PUBLIC],
        used: [0, 0, '[]'],
        reservedTo: ['slave_public'],
      },
      // slaves[2].used_resources: cpus 12.0, mem 13824, 101 single-port ranges plus 18484-18485 (102 ports)
      {
        name: '10.22.126.51',
        id: '9f0e50ea-54b0-44e3-a451-c69e0c1a58fb-S76044',
        version: '0.27.0',
        reachable: false,
        total: [24, 95488, DCOS_PRIVATE],
        used: [12, 13824, '102 ports'],
      },
      // slaves[1].used_resources: cpus 0.0999999999999994 (Mesos keeps 3 decimals: 0.1), mem 64
      {
        name: '10.22.126.68',
        id: '9f0e50ea-54b0-44e3-a451-c69e0c1a58fb-S76043',
        version: '0.27.0',
        reachable: false,
        total: [24, 95488, DCOS_PRIVATE],
        used: [0.1, 64, '[7907-7907]'],
      },
    ],
    frameworks: [
      fw('marathon', '9f0e50ea-54b0-44e3-a451-c69e0c1a58fb-0000', '<unknown>', 'slave_public', 102, '12.1', '13888'), // used_resources {cpus 12.1, mem 13888}
      fw('marathon-alice', '9f0e50ea-54b0-44e3-a451-c69e0c1a58fb-0001', '<unknown>', '*', 0, '0', '0'),
    ],
    masterRequests: MODERN,
  },
  // Mesos 0.27.1 (DC/OS): the master's own agent reserved to agent_master, a public agent to slave_public.
  'dcos__mesos_state__test_mesos_state_SUITE_data_state2.json': {
    agents: [
      {
        name: '10.0.2.234',
        id: 'b2d07a6a-4012-4a7f-8635-224d04de674e-S0',
        version: '0.27.1',
        reachable: false,
        total: [4, 14019, DCOS_PRIVATE],
        used: [1, 128, '[19426-19426]'],
      },
      {
        name: '10.0.4.192',
        id: 'b2d07a6a-4012-4a7f-8635-224d04de674e-S1',
        version: '0.27.1',
        reachable: false,
        total: [4, 14019, DCOS_PUBLIC],
        used: [0, 0, '[]'],
        reservedTo: ['slave_public'],
      },
      {
        name: '10.0.5.163',
        id: 'b2d07a6a-4012-4a7f-8635-224d04de674e-S2',
        version: '0.27.1',
        reachable: false,
        total: [4, 14019, '[5000-6000]'],
        used: [0, 0, '[]'],
        reservedTo: ['agent_master'],
      },
    ],
    frameworks: [
      fw('marathon', 'b2d07a6a-4012-4a7f-8635-224d04de674e-0000', '<unknown>', 'slave_public', 0, '0', '0'),
      fw('marathon', 'b2d07a6a-4012-4a7f-8635-224d04de674e-0001', '<unknown>', '*', 1, '1', '128'),
    ],
    masterRequests: MODERN,
  },
  'dcos__mesos_state__test_mesos_state_SUITE_data_state3.json': {
    agents: [
      {
        name: '10.10.0.106',
        id: '338e8e55-1f6d-468f-ad29-34395d3b1c38-S0',
        version: '0.28.0',
        reachable: false,
        total: [4, 13598, '[5000-6000]'],
        used: [0, 0, '[]'],
        reservedTo: ['agent_master'],
      },
      {
        name: '10.10.0.108',
        id: '338e8e55-1f6d-468f-ad29-34395d3b1c38-S1',
        version: '0.28.0',
        reachable: false,
        total: [4, 13598, DCOS_PRIVATE],
        used: [0, 0, '[]'],
      },
      {
        name: '10.10.0.109',
        id: '338e8e55-1f6d-468f-ad29-34395d3b1c38-S2',
        version: '0.28.0',
        reachable: false,
        total: [4, 13598, DCOS_PRIVATE],
        used: [0.2, 256, '[8014-8014, 21464-21464]'],
      },
    ],
    frameworks: [fw('marathon', '338e8e55-1f6d-468f-ad29-34395d3b1c38-0000', '<unknown>', 'slave_public', 2, '0.2', '256')],
    masterRequests: MODERN,
  },
  // Mesos 0.28.1, with the agent capture named-base-vips.json (slaves[0], same id, another moment).
  'dcos__dcos-net__apps_dcos_l4lb_testdata_invalid-port.json': {
    agents: [
      {
        name: '10.0.0.243',
        id: 'f4770901-e0bf-4e93-ada6-8a824fd22844-S1',
        version: '0.28.1',
        reachable: true,
        total: [4, 14019, DCOS_PRIVATE],
        used: [1, 128, '[26645-26645]'],
      },
      {
        name: '10.0.5.17',
        id: 'f4770901-e0bf-4e93-ada6-8a824fd22844-S0',
        version: '0.28.1',
        reachable: false,
        total: [4, 14019, DCOS_PUBLIC],
        used: [0, 0, '[]'],
        reservedTo: ['slave_public'],
      },
    ],
    frameworks: [fw('marathon', 'f4770901-e0bf-4e93-ada6-8a824fd22844-0000', '<unknown>', 'slave_public', 1, '1', '128')],
    masterRequests: MODERN,
  },
  'dcos__mesos_state__test_mesos_state_SUITE_data_state-overlay.json': {
    agents: [
      {
        name: '10.0.0.67',
        id: 'c13f319d-d1ba-4ecc-a2c2-cfe71f716005-S0',
        version: '0.29.0',
        reachable: false,
        total: [4, 14018, DCOS_PRIVATE],
        used: [4, 512, '[]'],
      },
      {
        name: '10.0.3.135',
        id: 'c13f319d-d1ba-4ecc-a2c2-cfe71f716005-S1',
        version: '0.29.0',
        reachable: false,
        total: [4, 14018, DCOS_PRIVATE],
        used: [4, 512, '[]'],
      },
    ],
    // 3 frameworks (17 more in completed_frameworks, not listed without --completed)
    frameworks: [
      fw('marathon', 'c13f319d-d1ba-4ecc-a2c2-cfe71f716005-0000', '<unknown>', 'slave_public', 0, '0', '0'),
      fw('mesos-execute instance', 'c13f319d-d1ba-4ecc-a2c2-cfe71f716005-0018', '<unknown>', '*', 1, '4', '512'),
      fw('mesos-execute instance', 'c13f319d-d1ba-4ecc-a2c2-cfe71f716005-0019', '<unknown>', '*', 1, '4', '512'),
    ],
    masterRequests: MODERN,
  },
  'dcos__mesos_state__test_mesos_state_SUITE_data_state6.json': {
    agents: [
      {
        name: '192.168.65.111',
        id: '10172a79-151f-4bd3-aeec-9ef367a7ddcc-S1',
        version: '1.0.0',
        reachable: false,
        total: [2, 919, DCOS_PRIVATE],
        used: [0.9, 544, '[1025-1028, 10003-10003, 24618-24620]'],
      },
      {
        name: '192.168.65.60',
        id: '10172a79-151f-4bd3-aeec-9ef367a7ddcc-S0',
        version: '1.0.0',
        reachable: false,
        total: [2, 919, DCOS_PUBLIC],
        used: [0.3, 192, '[]'],
        reservedTo: ['slave_public'],
      },
    ],
    frameworks: [
      fw('calico', '10172a79-151f-4bd3-aeec-9ef367a7ddcc-0003', '<unknown>', 'slave_public', 6, '0.6', '384'),
      fw('etcd', '10172a79-151f-4bd3-aeec-9ef367a7ddcc-0002', '<unknown>', '*', 1, '0.2', '96'),
      fw('marathon', '10172a79-151f-4bd3-aeec-9ef367a7ddcc-0001', '<unknown>', 'slave_public', 3, '0.4', '256'),
      fw('metronome', '10172a79-151f-4bd3-aeec-9ef367a7ddcc-0000', '<unknown>', '*', 0, '0', '0'),
    ],
    masterRequests: MODERN,
  },
  'dcos__dcos-net__apps_dcos_l4lb_testdata_overlay.json': {
    agents: [
      {
        name: '10.0.1.248',
        id: 'c17b14a7-c3d1-4dcf-920a-685b85b2ed67-S0',
        version: '1.0.1',
        reachable: false,
        total: [4, 14018, DCOS_PRIVATE],
        used: [3, 384, '[10819-10820, 11909-11910]'],
      },
    ],
    frameworks: [
      fw('marathon', 'c17b14a7-c3d1-4dcf-920a-685b85b2ed67-0000', '<unknown>', 'slave_public', 1, '3', '384'),
      fw('metronome', 'c17b14a7-c3d1-4dcf-920a-685b85b2ed67-0001', '<unknown>', '*', 0, '0', '0'),
    ],
    masterRequests: MODERN,
  },
  // Mesos 1.2.0: the first capture whose frameworks say `connected`.
  'dcos__dcos-net__apps_dcos_dns_priv_state7.json': {
    agents: [
      {
        name: '10.0.0.182',
        id: '202a8fb5-b0d0-4482-b72a-38f42b7a6c27-S1',
        version: '1.2.0',
        reachable: false,
        total: [4, 14018, DCOS_PRIVATE],
        used: [0.1, 32, '[]'],
      },
      {
        name: '10.0.7.205',
        id: '202a8fb5-b0d0-4482-b72a-38f42b7a6c27-S0',
        version: '1.2.0',
        reachable: false,
        total: [4, 14018, DCOS_PUBLIC],
        used: [0, 0, '[]'],
        reservedTo: ['slave_public'],
      },
    ],
    frameworks: [
      fw('marathon', '202a8fb5-b0d0-4482-b72a-38f42b7a6c27-0000', 'true', 'slave_public', 1, '0.1', '32'),
      fw('metronome', '202a8fb5-b0d0-4482-b72a-38f42b7a6c27-0001', 'true', '*', 0, '0', '0'),
    ],
    masterRequests: MODERN,
  },
  'dcos__dcos-go__dcos_nodeutil_fixture_state.json': {
    agents: [
      {
        name: '10.0.0.157',
        id: 'db10f9b1-5b82-4187-aa47-4fbcefc7cdca-S1',
        version: '1.5.0',
        reachable: false,
        total: [4, 15026, DCOS_PRIVATE],
        used: [0.5, 544, '[]'],
      },
      {
        name: '10.0.6.133',
        id: 'db10f9b1-5b82-4187-aa47-4fbcefc7cdca-S0',
        version: '1.5.0',
        reachable: false,
        total: [4, 15026, DCOS_PUBLIC],
        used: [0, 0, '[]'],
        reservedTo: ['slave_public'],
      },
    ],
    frameworks: [
      fw('marathon', 'db10f9b1-5b82-4187-aa47-4fbcefc7cdca-0000', 'true', 'slave_public', 6, '0.5', '544'),
      fw('metronome', 'db10f9b1-5b82-4187-aa47-4fbcefc7cdca-0001', 'true', '*', 0, '0', '0'),
    ],
    masterRequests: MODERN,
  },
  // Mesos 1.8.0: /state.json is gone (removed in 1.7).
  'dcos__dcos-net__apps_dcos_l4lb_test_dcos_l4lb_mesos_poller_SUITE_data_state.json': {
    agents: [
      {
        name: '10.0.0.40',
        id: '31953f3e-15f7-4f83-8d94-c2384f40b723-S1',
        version: '1.8.0',
        reachable: false,
        total: [4, 15026, DCOS_PRIVATE],
        used: [0.1, 128, '[12564-12564]'],
      },
      {
        name: '10.0.6.5',
        id: '31953f3e-15f7-4f83-8d94-c2384f40b723-S0',
        version: '1.8.0',
        reachable: false,
        total: [4, 15026, DCOS_PUBLIC],
        used: [0, 0, '[]'],
        reservedTo: ['slave_public'],
      },
    ],
    frameworks: [
      fw('marathon', '31953f3e-15f7-4f83-8d94-c2384f40b723-0000', 'true', 'slave_public', 1, '0.1', '128'),
      fw('metronome', '31953f3e-15f7-4f83-8d94-c2384f40b723-0001', 'true', '*', 0, '0', '0'),
    ],
    masterRequests: MODERN,
  },
};

// ---------------------------------------------------------------------------------------------

interface Ranges {
  begin: number;
  end: number;
}
const rangesText = (r: Ranges[]) => `[${r.map((x) => `${x.begin}-${x.end}`).join(', ')}]`;
const portCount = (r: Ranges[]) => r.reduce((n, x) => n + x.end - x.begin + 1, 0);

/** A kubectl-style table as rows of {HEADER: cell}, columns cut where the header words start. */
function parseTable(text: string): Array<Record<string, string>> {
  const [header, ...rows] = text.split('\n').filter((l) => l.trim() !== '');
  const starts = [...header!.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], at: m.index }));
  return rows.map((row) => Object.fromEntries(starts.map((s, i) => [s.name, row.slice(s.at, starts[i + 1]?.at ?? row.length).trim()])));
}

const manifestDir = mkdtempSync(join(tmpdir(), 'k8smctl-captures-manifests-'));
const twoPods = join(manifestDir, 'two-pods.yaml');
/** Pods `name` with one container asking for `hostPort`. */
function twoPodsYaml(pods: Array<[string, number]>): string {
  return pods
    .map(([name, port]) => {
      return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default}
spec:
  containers:
  - name: web
    image: nginx:1.25
    ports: [{containerPort: 8080, hostPort: ${port}}]
    resources: {limits: {cpu: 100m, memory: 64Mi}}
`;
    })
    .join('---\n');
}
writeFileSync(
  twoPods,
  twoPodsYaml([
    ['inside', 31000],
    ['outside', 40000],
  ]),
);

afterAll(() => rmSync(manifestDir, { recursive: true, force: true }));

const available = capturesAvailable();
const captures: Capture[] = available ? loadCaptures() : [];
const masters = captures.filter((c) => c.kind === 'master');

if (!available) {
  test.skip(`real Mesos captures: ${CAPTURE_DIR} is absent, nothing to serve`, () => undefined);
}

(available ? describe : describe.skip)('real Mesos captures served unchanged', () => {
  beforeAll(() => {
    const why = labUnavailable();
    if (why) throw new Error(why);
  });

  test('every master capture has hand-checked figures here', () => {
    expect(masters.map((m) => m.file).sort()).toEqual(Object.keys(CASES).sort());
  });

  describe.each(masters.map((m) => [m.file, m] as const))('%s', (file, master) => {
    const want = CASES[file]!;
    const plan = planMaster(master, captures);
    const mesos = ['--mesos-master', plan.masterUrl];
    let lab: CaptureLab;
    beforeAll(async () => {
      lab = await CaptureLab.start(plan.servers);
    });
    afterAll(async () => {
      await lab?.close();
    });
    const k8smctl = (...args: string[]): Promise<LabResult> => lab.run([...args, ...mesos]);
    const masterHost = plan.masterUrl.replace(/^http:\/\//, '');

    test('get agents -o json: sizes, use, version, reachability', async () => {
      const r = await k8smctl('get', 'agents', '-o', 'json');
      expect(r.stderr).not.toMatch(/ {4}at |TypeError|SyntaxError/);
      expect(r.requests.filter((q) => q.startsWith(`GET ${masterHost}/`)).map((q) => q.slice(`GET ${masterHost}`.length))).toEqual(want.masterRequests);
      if (want.agents.length === 0) {
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual({ kind: 'List', items: [] });
        return;
      }
      const items = (JSON.parse(r.stdout) as { items: any[] }).items;
      const got = items.map((a) => ({
        id: a.id,
        version: a.version,
        reachable: a.detail?.reachable,
        total: [a.total.cpus, a.total.mem, rangesText(a.total.ports)],
        used: [
          a.used.cpus,
          a.used.mem,
          /ports$/.test(want.agents.find((w) => w.id === a.id)?.used[2] ?? '') ? `${portCount(a.used.ports)} ports` : rangesText(a.used.ports),
        ],
        freePorts: portCount(a.free.ports),
        reservedTo: Object.keys(a.reserved).sort(),
      }));
      expect(got).toEqual(
        want.agents.map((w) => ({
          id: w.id,
          version: w.version,
          reachable: w.reachable,
          total: w.total,
          used: w.used,
          freePorts: portCount(parseRanges(w.total[2])) - (w.used[2].endsWith('ports') ? Number(w.used[2].split(' ')[0]) : portCount(parseRanges(w.used[2]))),
          reservedTo: w.reservedTo ?? [],
        })),
      );
      // An agent that cannot answer makes the listing partial: exit 1 and a warning naming it.
      const dead = want.agents.filter((w) => !w.reachable);
      expect(r.code).toBe(dead.length ? 1 : 0);
      for (const d of dead) expect(r.stderr).toContain(`(${d.id}) did not answer`);
      // Agents with a capture were asked where their version serves the state.
      for (const a of plan.agents) {
        const { host, port } = splitPid(a.pid)!;
        expect(r.requests).toContain(`GET ${host}:${port}/slave(1)/state${versionBelow(a.version, '0.25.0') ? '.json' : ''} 200`);
      }
    });

    test('get agents -o name: one distinct name per agent', async () => {
      const r = await k8smctl('get', 'agents', '-o', 'name');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean)).toEqual(want.agents.map((a) => `agent/${a.name}`));
    });

    test('get frameworks: tasks, cpus, mem, connected', async () => {
      const r = await k8smctl('get', 'frameworks');
      expect(r.code).toBe(0);
      if (want.frameworks.length === 0) {
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe('No resources found.\n');
        return;
      }
      expect(
        parseTable(r.stdout).map((row) => ({
          name: row['NAME'],
          id: row['ID'],
          active: row['ACTIVE'],
          connected: row['CONNECTED'],
          roles: row['ROLES'],
          tasks: Number(row['TASKS']),
          cpus: row['CPUS'],
          mem: row['MEM(MB)'],
        })),
      ).toEqual(want.frameworks);
    });

    test('validate --mesos-master: a host port inside the offered ranges passes, one outside is an error', async () => {
      const r = await k8smctl('validate', '-f', twoPods, '-o', 'json');
      expect(r.code).toBe(1);
      const findings = (JSON.parse(r.stdout) as { findings: Array<{ rule: string; name: string; port?: number; severity: string }> }).findings.filter(
        (f) => f.severity === 'error',
      );
      if (want.agents.length === 0) {
        expect(findings.map((f) => [f.rule, f.name])).toEqual([
          ['cluster-no-agents', 'inside'],
          ['cluster-no-agents', 'outside'],
        ]);
      } else {
        expect(findings.map((f) => [f.rule, f.name, f.port])).toEqual([['host-port-not-offered', 'outside', 40000]]);
      }
    });
  });
});

/** One master capture served for the tests of one describe block. */
function labFor(file: string): { run: (...args: string[]) => Promise<LabResult>; masterHost: string } {
  let lab: CaptureLab;
  let masterUrl = '';
  beforeAll(async () => {
    const plan = planMaster(capture(captures, file), captures);
    masterUrl = plan.masterUrl;
    lab = await CaptureLab.start(plan.servers);
  });
  afterAll(async () => {
    await lab?.close();
  });
  return {
    run: (...args) => lab.run([...args, '--mesos-master', masterUrl]),
    get masterHost() {
      return masterUrl.replace(/^http:\/\//, '');
    },
  };
}

/** The describe line `Key:  value` (first match), value trimmed. */
function field(text: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key.replace(/[()]/g, '\\$&')}:\\s+(.*)$`, 'm').exec(text)?.[1]?.trim();
}

(available ? describe : describe.skip)('describe agent on real captures', () => {
  describe('Mesos 0.19.0, two agents on one host (mesos-cli master_state.json)', () => {
    const lab = labFor('mesosphere-backup__mesos-cli__tests_data_master_state.json');

    test('the bare hostname is ambiguous: one error naming both, before either agent is asked', async () => {
      const r = await lab.run('describe', 'agent', '10.141.141.10');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /agent "10\.141\.141\.10" is ambiguous: 10\.141\.141\.10:5051 \(20140619-151434-16842879-5050-1196-0\), 10\.141\.141\.10:5052 \(20140623-174033-177048842-5050-6160-0\)/,
      );
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.requests.every((q) => q.startsWith(`GET ${lab.masterHost}/`))).toBe(true);
    });

    test('each name -o name printed works with describe; the agent capture gives the version', async () => {
      const names = (await lab.run('get', 'agents', '-o', 'name')).stdout.split('\n').filter(Boolean);
      expect(names).toEqual(['agent/10.141.141.10:5051', 'agent/10.141.141.10:5052']);
      const r = await lab.run('describe', 'agent', names[0]!.replace(/^agent\//, ''));
      expect(r.code).toBe(0);
      expect(field(r.stdout, 'ID')).toBe('20140619-151434-16842879-5050-1196-0');
      expect(field(r.stdout, 'Version')).toBe('0.19.0'); // the agent capture's "version"
      expect(field(r.stdout, 'Reachable')).toBe('yes');
      expect(field(r.stdout, 'Used Resources')).toMatch(/^summed from the tasks/);
      // two TASK_RUNNING tasks of 0.1 CPU / 16 MB on ports 31654 and 31705 (frameworks[0].tasks)
      expect(r.stdout).toMatch(/^\s+cpus\s+2\s+0\.2\s+0\s+1\.8$/m);
      expect(r.stdout).toMatch(/^\s+mem \(MB\)\s+1000\s+32\s+0\s+968$/m);
      expect(field(r.stdout, 'Free')).toBe('[31000-31653, 31655-31704, 31706-32000] (999 ports)');
      expect(r.stdout).toMatch(
        /^\s+31654\s+used\s+app-15\.41fef02d-fcba-11e3-8b67-b6f6cc110ef2\s+app-15\.41fef02d-fcba-11e3-8b67-b6f6cc110ef2\s+marathon-0\.6\.0-SNAPSHOT$/m,
      );
      expect(r.stdout).toMatch(/^\s+31705\s+used\s+app-215\.3e6a099c-fcba-11e3-8b67-b6f6cc110ef2\s/m);
      expect(r.stdout).not.toMatch(/Command Executor \(Task:/);
      // asked once, at the path a 0.19 agent has
      expect(r.requests).toContain('GET 10.141.141.10:5051/slave(1)/state.json 200');
      expect(r.requests.some((q) => q.includes(':5052/'))).toBe(false);
    });
  });

  describe('Mesos 0.22.0 master and agent (DataDog)', () => {
    const lab = labFor('DataDog__dd-agent__tests_checks_fixtures_mesos_master_state.json');

    test('Version from the agent; the port map and Free agree: 31915 is used by the running task', async () => {
      const r = await lab.run('describe', 'agent', 'localhost');
      expect(r.code).toBe(0);
      expect(field(r.stdout, 'Version')).toBe('0.22.0');
      // frameworks[0].tasks[0] "hello": cpus 1, mem 100, ports [31915-31915]; slaves[0].resources cpus 1, mem 244
      expect(r.stdout).toMatch(/^\s+cpus\s+1\s+1\s+0\s+0$/m);
      expect(r.stdout).toMatch(/^\s+mem \(MB\)\s+244\s+100\s+0\s+144$/m);
      expect(r.stdout).toMatch(/^\s+ports\s+1001\s+1\s+0\s+1000$/m);
      expect(field(r.stdout, 'Free')).toBe('[31000-31914, 31916-32000] (1000 ports)');
      expect(r.stdout).toMatch(/^\s+31915\s+used\s+hello\.dc130e23-df88-11e4-b9ec-080027fc1312\s+hello\s+marathon$/m);
      expect(field(r.stdout, 'executor_shutdown_grace_period')).toBe('5secs'); // the agent capture's flags
    });
  });

  describe('Mesos 0.28.1 master with its agent captured at another moment (invalid-port + named-base-vips)', () => {
    const lab = labFor('dcos__dcos-net__apps_dcos_l4lb_testdata_invalid-port.json');

    test('a command executor the master does not list shows as "command executor", not its whole Mesos name', async () => {
      const r = await lab.run('describe', 'agent', '10.0.0.243');
      expect(r.code).toBe(0);
      expect(field(r.stdout, 'Version')).toBe('0.28.1');
      // the agent capture: executor catsmeow.6e53a5c1... with ports [12049-12049] (its task is not in the master's document)
      expect(r.stdout).toMatch(/^\s+12049\s+used\s+catsmeow\.6e53a5c1-1f27-11e6-bc04-4e40412869d8\s+command executor\s+marathon$/m);
      // the master capture: task catsmeow.1d28d7c0... with ports [26645-26645]
      expect(r.stdout).toMatch(/^\s+26645\s+used\s+catsmeow\.1d28d7c0-1f1c-11e6-bc04-4e40412869d8\s+catsmeow\s+marathon$/m);
      expect(r.stdout).not.toContain("Command: sh -c 'sleep 10000'");
    });
  });

  describe('Mesos 0.27.1 DC/OS with reserved agents (state2)', () => {
    const lab = labFor('dcos__mesos_state__test_mesos_state_SUITE_data_state2.json');

    test('ports reserved to slave_public say so in describe and in -o wide', async () => {
      const d = await lab.run('describe', 'agent', '10.0.4.192');
      expect(d.code).toBe(1); // the agent itself does not answer
      // slaves[1].reserved_resources.slave_public.ports; unreserved_resources has no ports
      expect(field(d.stdout, 'Offered')).toBe('[1-21, 23-5050, 5052-32000] (reserved to slave_public)');
      expect(d.stdout).toMatch(/^\s+slave_public\s+4\s+14019\s+\[1-21, 23-5050, 5052-32000\]$/m);
      const w = await lab.run('get', 'agents', '-o', 'wide');
      const rows = parseTable(w.stdout);
      expect(rows.map((x) => [x['HOSTNAME'], x['OFFERED PORTS']])).toEqual([
        ['10.0.2.234', DCOS_PRIVATE],
        ['10.0.4.192', `${DCOS_PUBLIC} (reserved to slave_public)`],
        ['10.0.5.163', '[5000-6000] (reserved to agent_master)'],
      ]);
    });

    test('validate: a host port in the gap of the private agent names the reservations that hold it elsewhere', async () => {
      const file = join(manifestDir, 'zk-port.yaml');
      writeFileSync(file, twoPodsYaml([['zk', 2181]]));
      const r = await lab.run('validate', '-f', file, '-o', 'json');
      expect(r.code).toBe(1);
      const [f, ...rest] = (JSON.parse(r.stdout) as { findings: Array<{ rule: string; message: string }> }).findings.filter(
        (x) => x.rule === 'host-port-not-offered',
      );
      expect(rest).toEqual([]);
      expect(f!.message).not.toContain('[] on');
      // slaves[2] (10.0.5.163) reserved_resources.agent_master.ports; slaves[1] (10.0.4.192) reserved_resources.slave_public.ports
      expect(f!.message).toContain('no ports for role * (reserved: [5000-6000] to agent_master) on 10.0.5.163');
      expect(f!.message).toContain(`no ports for role * (reserved: ${DCOS_PUBLIC} to slave_public) on 10.0.4.192`);
      expect(f!.message).toContain(`${DCOS_PRIVATE} on 10.0.2.234`);
    });
  });
});

function parseRanges(text: string): Ranges[] {
  return [...text.matchAll(/(\d+)-(\d+)/g)].map((m) => ({ begin: Number(m[1]), end: Number(m[2]) }));
}
