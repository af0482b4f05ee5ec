import fc from 'fast-check';
import type { AgentReading, ClusterFacts, KubeletContainer, PodFacts } from '../../../src/core/orphans/index.js';
import { classifyContainer, isKubeletContainer, killPlan, mesosLeftovers, parseKubeletName, reverify } from '../../../src/core/orphans/index.js';
import { container, executor, framework, task } from './fixtures.js';

const agent = (over: Partial<AgentReading['detail']> = {}): AgentReading => ({
  id: 'a1',
  hostname: 'agent-1',
  detail: { reachable: true, executors: [executor('e-live', 'cid-live')], completedExecutors: [], ...over },
});
const cluster = (pods?: PodFacts[], tasks = [task('pod.1', 'web', 'team-a', 'TASK_RUNNING')]): ClusterFacts => ({
  frameworks: [framework('fw')],
  tasks,
  ...(pods ? { pods } : {}),
});

describe('classifyContainer', () => {
  it('a container of a running executor is live, whatever else looks wrong', () => {
    const c = classifyContainer(container('c1', 'gone', 'team-a', 'u1', 'cid-live'), agent(), cluster([]));
    expect(c.class).toBe('live');
    expect(c.executorId).toBe('e-live');
  });

  it('an orphan carries the proof, the completed executor and the pod evidence', () => {
    const reading = agent({
      completedExecutors: [{ id: 'e-old', name: 'Kubelet-Executor', frameworkId: 'fw', container: 'cid-old', endedAt: 1700000000, isK8sm: true }],
    });
    const c = classifyContainer(
      container('c1', 'db', 'team-a', 'u1', 'cid-old'),
      reading,
      cluster([{ namespace: 'team-a', name: 'db', uid: 'u2', nodeName: 'agent-2' }], [task('pod.9', 'db', 'team-a', 'TASK_KILLED')]),
    );
    expect(c.class).toBe('orphan');
    expect(c.marker).toBe('cid-old');
    expect(c.reason).toContain('cid-old');
    expect(c.evidence.map((e) => e.kind).sort()).toEqual(['executor-completed', 'pod-bound-elsewhere', 'pod-other-uid', 'task-terminal']);
    expect(c.hostPorts).toEqual([31005]);
    expect(c.gracePeriodSeconds).toBe(7);
  });

  it('a deleted pod is evidence', () => {
    const c = classifyContainer(container('c1', 'db', 'team-a', 'u1', 'cid-old'), agent(), cluster([]));
    expect(c.class).toBe('orphan');
    expect(c.evidence).toEqual([{ kind: 'pod-deleted' }]);
  });

  it('no marker, an unreadable agent, a failed inspect: unproven with the reason', () => {
    expect(classifyContainer(container('c1', 'x', 'ns', 'u', undefined), agent(), cluster()).unprovenReason).toBe('no-marker');
    const down = classifyContainer(
      container('c1', 'x', 'ns', 'u', 'cid-old'),
      { id: 'a1', hostname: 'agent-1', detail: { reachable: false, error: 'timeout' } },
      cluster(),
    );
    expect(down.class).toBe('unproven');
    expect(down.reason).toContain('timeout');
    const notInspected = classifyContainer(container('c1', 'x', 'ns', 'u', 'cid-old', { env: undefined, inspectError: '404' }), agent(), cluster());
    expect(notInspected.unprovenReason).toBe('not-inspected');
  });

  it('the pod task still running on the agent keeps it unproven', () => {
    const c = classifyContainer(container('c1', 'web', 'team-a', 'u1', 'cid-old'), agent(), cluster());
    expect(c.class).toBe('unproven');
    expect(c.unprovenReason).toBe('task-running');
  });

  it('a live k8sm executor without a container id makes nothing provable', () => {
    const c = classifyContainer(container('c1', 'db', 'team-a', 'u1', 'cid-old'), agent({ executors: [executor('e-x', undefined)] }), cluster());
    expect(c.unprovenReason).toBe('executor-container-unknown');
  });

  it('stopped containers hold no host ports; the grace period defaults to 30 s', () => {
    const c = classifyContainer(
      container('c1', 'db', 'team-a', 'u1', 'cid-old', { state: 'exited', labels: { 'io.kubernetes.pod.uid': 'u1' } }),
      agent(),
      cluster(),
    );
    expect(c.hostPorts).toEqual([]);
    expect(c.gracePeriodSeconds).toBe(30);
    expect(c.pod).toEqual({ name: 'db', namespace: 'team-a', uid: 'u1' });
  });
});

describe('kubelet names', () => {
  it('parses k8s 1.5 names and recognises kubelet containers', () => {
    expect(parseKubeletName('/k8s_POD.d8dbe16c_web_team-a_u-1_12345678')).toEqual({ container: 'POD', name: 'web', namespace: 'team-a', uid: 'u-1' });
    expect(parseKubeletName('/mesos-abc.def')).toBeUndefined();
    expect(isKubeletContainer('/k8s_x', {})).toBe(true);
    expect(isKubeletContainer('/other', { 'io.kubernetes.pod.uid': 'u' })).toBe(true);
    expect(isKubeletContainer('/mesos-1', {})).toBe(false);
  });
});

describe('reverify', () => {
  const orphan = container('c1', 'db', 'team-a', 'u1', 'cid-old');
  const plan = killPlan([classifyContainer(orphan, agent(), cluster([]))]);
  it('plans the orphan with its grace period, or the override', () => {
    expect(plan).toHaveLength(1);
    expect(plan[0]!.gracePeriodSeconds).toBe(7);
    expect(killPlan([classifyContainer(orphan, agent(), cluster([]))], { gracePeriodSeconds: 2 })[0]!.gracePeriodSeconds).toBe(2);
  });
  it('acts when nothing changed', () => {
    expect(reverify(plan[0]!, { agent: agent(), container: orphan }, cluster([])).act).toBe(true);
  });
  it('skips a container whose executor came back, whose marker changed, or that is gone', () => {
    const back = reverify(plan[0]!, { agent: agent({ executors: [executor('e-old', 'cid-old')] }), container: orphan }, cluster([]));
    expect(back).toMatchObject({ act: false, reason: expect.stringContaining('came back') });
    const changed = reverify(plan[0]!, { agent: agent(), container: { ...orphan, env: ['MESOS_EXECUTOR_CONTAINER_UUID=cid-new'] } }, cluster([]));
    expect(changed).toMatchObject({ act: false, reason: expect.stringContaining('marker changed') });
    expect(reverify(plan[0]!, { agent: agent(), container: undefined }, cluster([]))).toMatchObject({ act: false, reason: 'container gone' });
    const down = reverify(
      plan[0]!,
      { agent: { id: 'a1', hostname: 'agent-1', detail: { reachable: false, error: 'refused' } }, container: orphan },
      cluster([]),
    );
    expect(down.act).toBe(false);
  });
});

describe('mesosLeftovers', () => {
  it('idle frameworks with running tasks and their failover time left, tasks without framework or pod', () => {
    const cl: ClusterFacts = {
      frameworks: [
        framework('fw', { active: false, connected: false, failoverTimeout: 600, unregisteredTime: 1000 }),
        framework('gone', { completed: true, active: false }),
      ],
      tasks: [
        task('pod.1', 'web', 'team-a', 'TASK_RUNNING'),
        task('pod.2', 'db', 'team-a', 'TASK_RUNNING'),
        task('t3', 'x', 'y', 'TASK_RUNNING', 'a1', 'gone'),
      ],
      pods: [{ namespace: 'team-a', name: 'web' }],
    };
    const l = mesosLeftovers(cl, 1100);
    expect(l.frameworks).toEqual([expect.objectContaining({ id: 'fw', tasks: 2, failoverRemainingSeconds: 500 })]);
    expect(l.tasksWithoutFramework.map((t) => t.taskId)).toEqual(['t3']);
    expect(l.tasksWithoutPod.map((t) => t.taskId)).toEqual(['pod.2']);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: over random cluster states the kill set is a subset of the proven orphans, never holds
// a container of a live executor, and nothing on an unreadable agent.

const markers = ['cid-1', 'cid-2', 'cid-3', 'cid-4'];
const podNames = ['p1', 'p2', 'p3'];

const stateArb = fc.record({
  agents: fc.array(
    fc.record({
      readable: fc.boolean(),
      liveMarkers: fc.subarray(markers),
      completedMarkers: fc.subarray(markers),
      unknownExecutor: fc.boolean(),
      containers: fc.array(
        fc.record({
          pod: fc.constantFrom(...podNames),
          marker: fc.option(fc.constantFrom(...markers, 'wrong'), { nil: undefined }),
          inspected: fc.boolean(),
          state: fc.constantFrom('running', 'exited', 'created'),
        }),
        { maxLength: 6 },
      ),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  pods: fc.option(fc.array(fc.record({ name: fc.constantFrom(...podNames), moved: fc.boolean(), otherUid: fc.boolean() }), { maxLength: 3 }), {
    nil: undefined,
  }),
  tasks: fc.array(fc.record({ pod: fc.constantFrom(...podNames), agent: fc.nat(3), state: fc.constantFrom('TASK_RUNNING', 'TASK_KILLED', 'TASK_LOST') }), {
    maxLength: 5,
  }),
});

describe('kill plan properties', () => {
  it('kill set ⊆ proven orphans; no container of a live executor; nothing on an unreadable agent', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const cl: ClusterFacts = {
          frameworks: [framework('fw')],
          tasks: s.tasks.map((t, i) => task(`pod.${i}`, t.pod, 'ns', t.state, `a${t.agent}`)),
          ...(s.pods
            ? {
                pods: s.pods.map((p) => ({
                  namespace: 'ns',
                  name: p.name,
                  uid: p.otherUid ? 'other' : `uid-${p.name}`,
                  nodeName: p.moved ? 'elsewhere' : 'agent-0',
                })),
              }
            : {}),
        };
        const all = s.agents.flatMap((a, ai) => {
          const reading: AgentReading = {
            id: `a${ai}`,
            hostname: `agent-${ai}`,
            detail: a.readable
              ? {
                  reachable: true,
                  executors: [
                    ...a.liveMarkers.map((m) => executor(`e-${m}`, m, `a${ai}`)),
                    ...(a.unknownExecutor ? [executor('e-unknown', undefined, `a${ai}`)] : []),
                  ],
                  completedExecutors: a.completedMarkers.map((m) => ({
                    id: `e-${m}`,
                    name: 'Kubelet-Executor',
                    frameworkId: 'fw',
                    container: m,
                    isK8sm: true,
                  })),
                }
              : { reachable: false, error: 'down' },
          };
          return a.containers.map((c, ci) => {
            const k: KubeletContainer = container(`c${ai}-${ci}`, c.pod, 'ns', `uid-${c.pod}`, c.marker, {
              state: c.state,
              ...(c.inspected ? {} : { env: undefined }),
            });
            return { reading, spec: a, c, cls: classifyContainer(k, reading, cl) };
          });
        });
        const plan = killPlan(all.map((x) => x.cls));
        for (const item of plan) {
          const x = all.find((y) => y.cls.container.id === item.containerId);
          expect(x).toBeDefined();
          expect(x!.cls.class).toBe('orphan');
          expect(x!.spec.readable).toBe(true);
          expect(x!.c.inspected).toBe(true);
          expect(x!.c.marker).toBeDefined();
          expect(x!.spec.liveMarkers).not.toContain(x!.c.marker);
          expect(x!.spec.unknownExecutor).toBe(false);
          // no live task of its pod on that agent
          expect(cl.tasks.some((t) => t.agentId === x!.reading.id && t.name === `${x!.c.pod}.ns.pod` && t.state === 'TASK_RUNNING')).toBe(false);
        }
        // every container of a live executor is classified live
        for (const x of all) {
          if (x.spec.readable && x.c.inspected && x.c.marker !== undefined && x.spec.liveMarkers.includes(x.c.marker)) expect(x.cls.class).toBe('live');
        }
      }),
      { numRuns: 300 },
    );
  });
});
