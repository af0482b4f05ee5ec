/**
 * Every real agent `/state` in ../shared/corpus/mesos-state (Mesos 0.19 to 1.5), read as
 * `describe agent` reads it. Five of them have no master capture to serve them with
 * (test/integration/captures.test.ts serves the three that do); all are read here. Figures were
 * read by hand from each document: its "version", and per executor (frameworks[].executors[]) its
 * "id", the first block of its "container" and its tasks.
 */
import { parseAgentState } from '../../../src/core/mesos/agent-state.js';
import { shortExecutorName } from '../../../src/core/views/agent-description.js';
import { capturesAvailable, CAPTURE_DIR, loadCaptures } from '../../stack/mesos-sim/captures/corpus.js';

interface Want {
  version: string;
  /** [executor id, container id prefix, task ids] */
  executors: Array<[string, string, string[]]>;
}

const one = (id: string, container: string): [string, string, string[]] => [id, container, [id]];

const AGENTS: Record<string, Want> = {
  'mesosphere-backup__mesos-cli__tests_data_slave-20140619-151434-16842879-5050-1196-0.json': {
    version: '0.19.0',
    executors: [one('app-15.41fef02d-fcba-11e3-8b67-b6f6cc110ef2', '6de5ce8a'), one('app-215.3e6a099c-fcba-11e3-8b67-b6f6cc110ef2', '3db4a3e8')],
  },
  'DataDog__dd-agent__tests_checks_fixtures_mesos_slave_state.json': {
    version: '0.22.0',
    executors: [one('hello.dc130e23-df88-11e4-b9ec-080027fc1312', 'f67a5e0b')],
  },
  'dcos__mesos_state__test_mesos_state_SUITE_data_state1.json': {
    version: '0.27.0',
    executors: [one('sleep10.4bfae841-e496-11e5-b2f1-0242816970c9', '8bdad929'), one('sleep.85df5710-e493-11e5-b2f1-0242816970c9', 'fdb3d8f1')],
  },
  'dcos__dcos-net__apps_dcos_l4lb_testdata_named-base-vips.json': {
    version: '0.28.1',
    executors: [one('catsmeow.6e53a5c1-1f27-11e6-bc04-4e40412869d8', '159016bc')],
  },
  'dcos__mesos_state__test_mesos_state_SUITE_data_state4.json': {
    version: '0.29.0',
    executors: [
      one('integration-test-proxy-to-minuteman-vip-a3d63700cd03419aa0c5350bea409663.5fa51829-2754-11e6-91da-0e1747f52e50', '28e578c8'),
      one('integration-test-app-with-minuteman-vip-a3d63700cd03419aa0c5350bea409663.f63a0d9a-2752-11e6-91da-0e1747f52e50', '6e93347e'),
    ],
  },
  'dcos__mesos_state__test_mesos_state_SUITE_data_ucr-bridge-mode.json': {
    version: '1.4.0',
    executors: [one('foo-1.272b2208-6b16-11e7-b302-3edf0088f09a', '32f2fb8c'), one('foo.296ecd47-6b12-11e7-b302-3edf0088f09a', '920aecb5')],
  },
  'dcos__dcos-net__apps_dcos_l4lb_testdata_state6.json': { version: '1.5.0', executors: [one('nginx.b70993db-d652-11e7-901d-70b3d5800001', '46b85d9f')] },
  'dcos__dcos-net__apps_dcos_l4lb_testdata_state_ipv6.json': { version: '1.5.0', executors: [one('foo.1d82e3ca-8ec8-11e7-a27d-4ef14fb9d59f', '5889b3e5')] },
};

const available = capturesAvailable();
if (!available) test.skip(`real agent captures: ${CAPTURE_DIR} is absent`, () => undefined);

(available ? describe : describe.skip)('real agent /state captures', () => {
  const agents = available ? loadCaptures().filter((c) => c.kind === 'agent') : [];

  test('every agent capture has hand-checked figures here', () => {
    expect(agents.map((a) => a.file).sort()).toEqual(Object.keys(AGENTS).sort());
  });

  test.each(agents.map((a) => [a.file, a] as const))('%s: version, executors with container and sandbox, tasks, flags', (file, a) => {
    const want = AGENTS[file]!;
    const d = parseAgentState(a.json, `/slave(1)/state of ${file}`);
    expect(d.version).toBe(want.version);
    expect(d.executors!.map((e) => [e.id, e.container!.slice(0, 8), e.taskIds])).toEqual(want.executors);
    for (const e of d.executors!) {
      expect(e.directory).toMatch(new RegExp(`/slaves/${a.id}/frameworks/[^/]+/executors/${e.id.replace(/\./g, '\\.')}/runs/${e.container}$`));
      // every one is Mesos' command executor, named after its task and whole command line
      expect(e.name).toMatch(/^Command Executor \(Task: .*\) \(Command: /);
      expect(shortExecutorName(e.name)).toBe('command executor');
      expect(e.isK8sm).toBe(false);
    }
    expect(d.flags?.['executor_shutdown_grace_period']).toBe('5secs'); // "flags" of every capture
  });
});
