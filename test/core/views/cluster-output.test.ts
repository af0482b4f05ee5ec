/**
 * The cluster commands' output for what old masters and shared hosts look like: unknown `connected`,
 * `-o name` on two agents of one host, reserved ports, derived use, the agent's own version, and
 * the command executor's name in the port map.
 */
import { formatObjects } from '../../../src/output/objects.js';
import { FRAMEWORK_TABLE } from '../../../src/output/cluster/framework-table.js';
import { AGENT_TABLE } from '../../../src/output/cluster/agent-table.js';
import { agentDescribeEntries } from '../../../src/output/cluster/agent-describe.js';
import { formatDescribe } from '../../../src/output/describe.js';
import { agentViews } from '../../../src/core/views/agent-view.js';
import { agentPortMap, describeAgent, shortExecutorName } from '../../../src/core/views/agent-description.js';
import { agent, framework, res, snapshot } from './snapshot-fixture.js';

describe('get frameworks', () => {
  const known = framework('F1', 'marathon', { connected: false });
  const { connected: _c, ...rest } = framework('F0', 'chronos');
  const unknown = rest;

  test('CONNECTED prints <unknown> where the master does not say (before 1.2), false only when it says false', async () => {
    const { out } = await formatObjects([unknown, known], FRAMEWORK_TABLE, 'table');
    const [header, row0, row1] = out.split('\n');
    const col = header!.indexOf('CONNECTED');
    expect(row0!.slice(col).split(/\s+/)[0]).toBe('<unknown>');
    expect(row1!.slice(col).split(/\s+/)[0]).toBe('false');
  });

  test('-o json leaves an unknown `connected` out (kubectl omits unset fields)', async () => {
    const doc = JSON.parse((await formatObjects([unknown, known], FRAMEWORK_TABLE, 'json')).out) as { items: Array<Record<string, unknown>> };
    expect('connected' in doc.items[0]!).toBe(false);
    expect(doc.items[1]!.connected).toBe(false);
    const yaml = (await formatObjects([unknown], FRAMEWORK_TABLE, 'yaml')).out;
    expect(yaml).not.toMatch(/connected/);
  });

  test('-o wide: FAILOVER TIMEOUT reads as a duration, the maximum k8sm registers with (2^62 ns) in years; json keeps the seconds', async () => {
    const k8sm = { ...framework('F2', 'Kubernetes'), failoverTimeout: 4611686018.42739 };
    const week = { ...framework('F3', 'marathon'), failoverTimeout: 604800 };
    const { out } = await formatObjects([k8sm, week], FRAMEWORK_TABLE, 'wide');
    const [header, row0, row1] = out.split('\n');
    const col = header!.indexOf('FAILOVER TIMEOUT');
    expect(row0!.slice(col)).toMatch(/^about 146 years\s/);
    expect(row1!.slice(col)).toMatch(/^1w\s/);
    const doc = JSON.parse((await formatObjects([k8sm], FRAMEWORK_TABLE, 'json')).out) as { items: Array<Record<string, unknown>> };
    expect(doc.items[0]!.failoverTimeout).toBe(4611686018.42739);
  });
});

describe('get agents', () => {
  const twins = snapshot({
    agents: [
      agent('10.141.141.10', { id: 'S-0', pid: 'slave(1)@10.141.141.10:5052' }),
      agent('10.141.141.10', { id: 'S-1', pid: 'slave(1)@10.141.141.10:5051' }),
    ],
  });

  test('-o name prints one distinct name per agent of a shared host', async () => {
    const { out } = await formatObjects(agentViews(twins), AGENT_TABLE, 'name');
    expect(out).toBe('agent/10.141.141.10:5051\nagent/10.141.141.10:5052\n');
  });

  test('-o wide marks reserved offered ports with their role', async () => {
    const pub = agent('10.0.4.192', {
      total: res(4, 14019, '[1-21, 23-5050, 5052-32000]'),
      reserved: { slave_public: res(4, 14019, '[1-21, 23-5050, 5052-32000]') },
    });
    const { out } = await formatObjects(agentViews(snapshot({ agents: [pub] })), AGENT_TABLE, 'wide');
    expect(out).toContain('[1-21, 23-5050, 5052-32000] (reserved to slave_public)');
  });
});

describe('describe agent', () => {
  const fw = framework('F1', 'marathon');
  const cmdExecutorName = "Command Executor (Task: catsmeow.6e53) (Command: sh -c 'sleep 10000 && echo a very long command line indeed')";

  test('the port map shortens a command executor name; other long names are cut', () => {
    expect(shortExecutorName(cmdExecutorName)).toBe('command executor');
    expect(shortExecutorName('Kubelet-Executor')).toBe('Kubelet-Executor');
    expect(shortExecutorName('x'.repeat(80))).toBe(`${'x'.repeat(57)}...`);
    const a = agent('a1', { id: 'S1', total: res(4, 4096, '[12048-12050]') });
    const map = agentPortMap(
      a,
      [],
      [
        {
          id: 'catsmeow.6e53',
          name: cmdExecutorName,
          frameworkId: 'F1',
          agentId: 'S1',
          resources: res(1.1, 160, '[12049-12049]'),
          taskIds: ['catsmeow.6e53'],
          isK8sm: false,
        },
      ],
      { F1: 'marathon' },
    );
    expect(map[1]).toEqual({
      range: { begin: 12049, end: 12049 },
      state: 'used',
      taskId: 'catsmeow.6e53',
      taskName: 'command executor',
      framework: 'marathon',
    });
  });

  test("Version comes from the agent's own /state; derived use and reserved ports say so", () => {
    const a = {
      ...agent('localhost', {
        id: 'S0',
        total: res(1, 244, '[31000-32000]'),
        used: res(1, 100, '[31915-31915]'),
        reserved: { slave_public: res(0, 0, '[31000-31009]') },
      }),
      usedFromTasks: true,
      version: '0.22.0',
      detail: { reachable: true, version: '0.22.0', executors: [] },
    };
    const text = formatDescribe(agentDescribeEntries(describeAgent(snapshot({ agents: [a], frameworks: [fw] }), a)));
    expect(text).toMatch(/^Version: +0\.22\.0$/m);
    expect(text).toMatch(/^Used Resources: +summed from the tasks and executors the master lists/m);
    expect(text).toMatch(/Offered: +\[31010-32000\] \(unreserved\)\n +\[31000-31009\] \(reserved to slave_public\)/);
  });
});
