import { ClientError } from '../../src/clients/errors.js';
import { executorPrototype, EXECUTOR_DEFAULTS } from '../../src/core/scheduler/executor.js';
import { createLogger } from '../../src/scheduler/log.js';
import { createMetrics } from '../../src/scheduler/metrics.js';
import { EVENT_PACE_MS, REVIVE_MIN_INTERVAL_MS, SchedulerLoop, slimPod, type SchedulerConfig, type SchedulerDeps } from '../../src/scheduler/loop.js';
import { FakeSchedulerClient, FakeSchedulerKube } from '../cmd/scheduler-fakes.js';
import { offerJson, podJson, scheduler, type OfferSpec, type PodSpecLite } from '../core/scheduler/helpers.js';
import { parseOffer } from '../../src/core/scheduler/offers.js';
import { buildTask, launchablePod } from '../../src/core/scheduler/task.js';
import { fitPodOnAgent, k8smPod } from '../../src/core/k8sm/fit.js';

const PROTO = executorPrototype({ ...EXECUTOR_DEFAULTS, artifactBaseUrl: 'http://127.0.0.1:10251', apiServers: ['http://k:8080'] });

type Call = Record<string, any>;

function setup(
  o: {
    pods?: PodSpecLite[];
    config?: Partial<SchedulerConfig>;
    kube?: FakeSchedulerKube;
    client?: FakeSchedulerClient;
    after?: (ms: number, f: () => void) => () => void;
    liveTasks?: SchedulerDeps['liveTasks'];
    allLiveTasks?: SchedulerDeps['allLiveTasks'];
    /** The loop's clock (default: 10 ms later at every look). */
    now?: () => number;
  } = {},
) {
  const tickers: Array<{ ms: number; f: () => void }> = [];
  const kube = o.kube ?? new FakeSchedulerKube((o.pods ?? []).map((p) => podJson(p)));
  const client = o.client ?? new FakeSchedulerClient();
  const stop = new AbortController();
  const logs: string[] = [];
  let t = Date.parse('2026-12-01T12:00:00Z');
  let n = 0;
  const metrics = createMetrics();
  const loop = new SchedulerLoop(
    {
      schedulerName: 'default-scheduler',
      frameworkName: 'Kubernetes',
      mesosUser: 'root',
      frameworkRole: '*',
      checkpoint: true,
      failoverTimeoutSeconds: 7 * 24 * 3600,
      offerRefuseSeconds: 5,
      reconcileIntervalMs: 0,
      frameworkStoreNamespace: 'kube-system',
      teardownOnExit: false,
      scheduler: scheduler(),
      executor: PROTO,
      ...o.config,
    },
    {
      client,
      kube,
      log: createLogger({ write: (s: string) => logs.push(s) }, 5, 'text', () => t, 1),
      metrics,
      now: o.now ?? (() => (t += 10)),
      newTaskId: () => `00000000-0000-1000-8000-${String(++n).padStart(12, '0')}`,
      signal: stop.signal,
      sleep: (ms, signal) => new Promise((resolve, reject) => (signal.aborted ? reject(new Error('aborted')) : setTimeout(resolve, 1))),
      every: (ms, f) => {
        tickers.push({ ms, f });
        return () => {};
      },
      ...(o.after ? { after: o.after } : {}),
      ...(o.liveTasks ? { liveTasks: o.liveTasks } : {}),
      ...(o.allLiveTasks ? { allLiveTasks: o.allLiveTasks } : {}),
    },
  );
  const done = loop.run();
  const calls = (type?: string): Call[] => (client.calls as Call[]).filter((c) => type === undefined || c.type === type);
  const offers = (...specs: OfferSpec[]): void => client.session.events$.push({ type: 'OFFERS', offers: { offers: specs.map(offerJson) } });
  /** The tasks-by-state gauge as /metrics shows it. */
  const tasksByState = async (): Promise<Record<string, number>> =>
    Object.fromEntries((await metrics.tasksByState.get()).values.map((v) => [String(v.labels.state), v.value]));
  /** The clock moves on by `ms`, then every timer of that period fires once. */
  const tick = (ms: number, period = 1_000): void => {
    t += ms;
    for (const x of tickers) if (x.ms === period) x.f();
  };
  /** The executors bound every launched task (TASK_STARTING, create-binding-success, as k8sm's executor sends it). */
  let uuids = 0;
  const bound = (): void => {
    for (const t of loop.taskList().filter((x) => x.phase === 'launched'))
      client.session.events$.push({
        type: 'UPDATE',
        update: {
          status: {
            task_id: { value: t.taskId },
            agent_id: { value: t.agentId },
            state: 'TASK_STARTING',
            message: 'create-binding-success',
            source: 'SOURCE_EXECUTOR',
            uuid: Buffer.from(`u${++uuids}`).toString('base64'),
          },
        },
      });
  };
  return { kube, client, loop, stop, done, calls, offers, logs, tasksByState, tick, metrics, bound };
}

/** Every offer id in ACCEPT and DECLINE calls. */
function answered(calls: Call[]): string[] {
  return calls.flatMap((c) =>
    (c.type === 'ACCEPT' ? c.accept.offer_ids : c.type === 'DECLINE' ? c.decline.offer_ids : []).map((x: { value: string }) => x.value),
  );
}

describe('SchedulerLoop (fake Mesos and apiserver)', () => {
  it('launches pending pods on offers, declines the rest at once, registers Nodes and records Scheduled', async () => {
    const paced: Array<() => void> = [];
    const s = setup({
      pods: [1, 2, 3].map((i) => ({ name: `web-${i}`, owner: 'rs-web', cpu: '500m', mem: '64Mi' })),
      after: (ms, f) => {
        if (ms <= EVENT_PACE_MS) paced.push(f);
        return () => {};
      },
      now: () => Date.parse('2026-12-01T12:00:00Z'), // still: the pacing interval never passes by itself
    });
    await s.client.until(() => s.client.sessions.length === 1 && s.loop.pendingKeys().length === 3, 'subscription and pods');
    s.offers({ id: 'o1', host: 'h1', cpus: 4, attributes: { rack: 'r1' } }, { id: 'o2', host: 'h2', cpus: 4 }, { id: 'o3', host: 'h3', cpus: 0.1 });
    await s.client.until(() => s.calls('ACCEPT').length >= 2 && s.calls('DECLINE').length >= 1, 'accept and decline');
    // every offer answered exactly once, none held
    expect(answered(s.calls()).sort()).toEqual(['o1', 'o2', 'o3']);
    expect(s.calls('DECLINE')[0]!.decline.filters).toEqual({ refuse_seconds: 5 });
    // the three replicas spread over the two usable hosts
    const launched = s.calls('ACCEPT').flatMap((c) => c.accept.operations[0].launch.task_infos.map((ti: Call) => ti.agent_id.value));
    expect(launched).toHaveLength(3);
    expect(new Set(launched).size).toBe(2);
    const ti = s.calls('ACCEPT')[0]!.accept.operations[0].launch.task_infos[0];
    expect(ti.task_id.value).toMatch(/^pod\.[0-9a-f-]{36}$/);
    expect(ti.executor.executor_id.value).toBe(PROTO.id);
    expect(s.kube.nodes.get('h1')).toEqual({ 'kubernetes.io/hostname': 'h1', 'k8s.mesosphere.io/attribute-rack': 'r1' });
    // while the launches wait for their bindings, the Scheduled events trickle (the apiserver takes the
    // bindings first): the first at once, the others one pacing interval apart (those timers are held here)
    await s.client.until(() => s.kube.events.length >= 1, 'the first Scheduled event');
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(s.kube.events).toHaveLength(1);
    expect(paced).toHaveLength(1);
    s.bound();
    await s.client.until(() => s.kube.events.length === 3, 'events');
    expect(s.kube.events.map((e) => `${String(e.reason)}: ${String(e.message)}`).sort()[0]).toMatch(
      /^Scheduled: Successfully assigned default\/web-\d to h[12]$/,
    );
    expect((s.kube.events[0]!.source as Call).component).toBe('default-scheduler');
    // nothing left: suppressed
    await s.client.until(() => s.calls('SUPPRESS').length === 1, 'suppress');
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('after a restart, a launch on a host where its executor already runs repeats the ExecutorInfo resources the first launch gave', async () => {
    const config = { scheduler: scheduler({ executorCpus: 0.5, executorMem: 256 }) };
    const first = setup({ pods: [{ name: 'a' }], config });
    await first.client.until(() => first.loop.pendingKeys().length === 1, 'pod a');
    first.offers({ id: 'o1', host: 'h1', agent: 'S1' });
    await first.client.until(() => first.calls('ACCEPT').length === 1, 'first launch');
    const launchedFirst = first.calls('ACCEPT')[0]!.accept.operations[0].launch.task_infos[0].executor;
    expect(launchedFirst.resources.map((r: Call) => [r.name, r.scalar.value])).toEqual([
      ['cpus', 0.5],
      ['mem', 256],
    ]);
    first.stop.abort('SIGTERM');
    await first.done;

    // a new process: it never launched on h1, whose offer lists the executor running there
    const second = setup({ pods: [{ name: 'b' }], config });
    await second.client.until(() => second.loop.pendingKeys().length === 1, 'pod b');
    second.offers({ id: 'o2', host: 'h1', agent: 'S1', cpus: 1, mem: 1024, executorIds: [PROTO.id] });
    await second.client.until(() => second.calls('ACCEPT').length === 1, 'launch after the restart');
    const ti = second.calls('ACCEPT')[0]!.accept.operations[0].launch.task_infos[0];
    expect(ti.executor).toEqual(launchedFirst);
    // the executor is not charged again: the task's own resources only
    expect(ti.resources.filter((r: Call) => r.name === 'cpus').reduce((n: number, r: Call) => n + r.scalar.value, 0)).toBeLessThanOrEqual(1);
    second.stop.abort('SIGTERM');
    await second.done;
  });

  it('suppresses with nothing pending, revives when a pod arrives, and never launches a pod twice', async () => {
    const s = setup();
    await s.client.until(() => s.calls('SUPPRESS').length === 1, 'suppress');
    s.kube.put(podJson({ name: 'late' }));
    await s.client.until(() => s.calls('REVIVE').length === 1, 'revive');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'accept');
    s.offers({ id: 'o2', host: 'h1' });
    await s.client.until(() => s.calls('DECLINE').length === 1, 'decline of the second offer');
    expect(s.calls('ACCEPT')).toHaveLength(1);
    // a pod another scheduler owns is not ours
    s.kube.put({ ...podJson({ name: 'other' }), spec: { schedulerName: 'my-scheduler', containers: [{ name: 'c' }] } });
    s.kube.put({ ...podJson({ name: 'bound' }), spec: { nodeName: 'h9', containers: [{ name: 'c' }] } });
    s.offers({ id: 'o3', host: 'h1' });
    await s.client.until(() => s.calls('DECLINE').length === 2, 'decline');
    expect(s.loop.pendingKeys()).toEqual([]);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('revives refused offers when new pods arrive, gathering a burst, at most once a second, never while nothing new waits', async () => {
    const timers: Array<{ ms: number; f: () => void; cancelled: boolean }> = [];
    const after = (ms: number, f: () => void): (() => void) => {
      if (ms > REVIVE_MIN_INTERVAL_MS || ms <= EVENT_PACE_MS) return () => {}; // the Scheduled events' pacing: not this test's
      const t = { ms, f, cancelled: false };
      timers.push(t);
      return () => (t.cancelled = true);
    };
    // 'huge' fits no agent: it stays pending (backed off), so offers are not suppressed
    const s = setup({
      pods: [
        { name: 'a', cpu: '1' },
        { name: 'huge', cpu: '16' },
      ],
      after,
    });
    await s.client.until(() => s.loop.pendingKeys().length === 2, 'pods a and huge');
    s.offers({ id: 'o1', host: 'h1', cpus: 1.5 }, { id: 'o2', host: 'h2', cpus: 0.1 });
    await s.client.until(() => answered(s.calls()).length === 2, 'a launched, o2 declined');
    expect(s.loop.pendingKeys()).toEqual(['default/huge']);
    expect(timers).toHaveLength(0);
    // subscribing with pods pending revived once (a master may keep filters across a break); a second later:
    expect(s.calls('REVIVE')).toHaveLength(1);
    s.tick(1_000);
    // two pods arrive while Mesos holds the refused offers back: one REVIVE for both, after a short gather
    s.kube.put(podJson({ name: 'b', cpu: '1' }));
    s.kube.put(podJson({ name: 'c', cpu: '1' }));
    await s.client.until(() => s.loop.pendingKeys().length === 3, 'b and c pending');
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(100);
    expect(s.calls('REVIVE')).toHaveLength(1);
    timers[0]!.f();
    await s.client.until(() => s.calls('REVIVE').length === 2, 'revive');
    // nothing refused since that REVIVE: a further pod needs none
    s.kube.put(podJson({ name: 'd', cpu: '1' }));
    await s.client.until(() => s.loop.pendingKeys().length === 4, 'd pending');
    expect(timers).toHaveLength(1);
    s.offers({ id: 'o3', host: 'h3', cpus: 8 }, { id: 'o4', host: 'h4', cpus: 0.1 });
    await s.client.until(() => answered(s.calls()).length === 4 && s.loop.pendingKeys().length === 1, 'b, c, d launched');
    // refused again, and a pod arrives within the second: the REVIVE waits for the rest of the second
    s.kube.put(podJson({ name: 'e', cpu: '1' }));
    await s.client.until(() => timers.length === 2, 'second revive timer');
    expect(timers[1]!.ms).toBeGreaterThan(100);
    expect(timers[1]!.ms).toBeLessThanOrEqual(1000);
    // the pod is deleted before the timer fires: only the backed-off pod waits, no REVIVE for it
    s.kube.remove('default', 'e');
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'e gone');
    timers[1]!.f();
    s.offers({ id: 'o5', host: 'h5', cpus: 0.1 });
    await s.client.until(() => answered(s.calls()).includes('o5'), 'o5 declined');
    expect(s.calls('REVIVE')).toHaveLength(2);
    // a pending REVIVE is cancelled by the stop
    s.kube.put(podJson({ name: 'f', cpu: '1' }));
    await s.client.until(() => timers.length === 3, 'third revive timer');
    s.stop.abort('SIGTERM');
    await s.done;
    expect(timers[2]!.cancelled).toBe(true);
  });

  it('subscribes only once the pods are listed, so that no offer is taken before the task registry is rebuilt', async () => {
    const kube = new FakeSchedulerKube([podJson({ name: 'a' })]);
    kube.listFailures = 2;
    const s = setup({ kube });
    // the loop waits (real 1 ms timers here) between failed lists: poll on real time, not event-loop turns
    for (let i = 0; i < 1000 && !(kube.lists >= 3 && s.client.sessions.length === 1); i++) await new Promise((r) => setTimeout(r, 5));
    expect(kube.lists).toBe(3);
    expect(s.client.subscriptions).toHaveLength(1);
    expect(s.logs.filter((l) => l.includes('pod list/watch failed'))).toHaveLength(2);
    expect(s.loop.pendingKeys()).toEqual(['default/a']);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('a host whose Node cannot be registered gets no launch: its offer is declined and the pod waits for another', async () => {
    const kube = new FakeSchedulerKube([podJson({ name: 'a', cpu: '1' })]);
    kube.failNodes.add('h1');
    const s = setup({ kube });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.offers({ id: 'o1', host: 'h1', cpus: 4 });
    await s.client.until(() => answered(s.calls()).includes('o1'), 'o1 answered');
    expect(s.calls('ACCEPT')).toHaveLength(0);
    expect(s.loop.pendingKeys()).toEqual(['default/a']);
    expect(s.loop.taskList()).toEqual([]);
    expect(s.logs.some((l) => l.includes('cannot register the node') && l.includes('h1'))).toBe(true);
    s.offers({ id: 'o2', host: 'h2', cpus: 4 });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'launch on h2');
    expect(s.calls('ACCEPT')[0]!.accept.offer_ids).toEqual([{ value: 'o2' }]);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('reconciles on subscribing: the known tasks explicitly, again with backoff until they answer; then implicitly after 15 s; kills what no pod explains', async () => {
    const k8sm = (task: string, extra: Record<string, string> = {}) => ({
      'k8s.mesosphere.io/taskId': task,
      'k8s.mesosphere.io/slaveId': 'S1',
      'k8s.mesosphere.io/bindingHost': 'h1',
      'k8s.mesosphere.io/offerId': 'o-old',
      ...extra,
    });
    // a pod of another scheduler (another framework) with k8sm annotations: not this scheduler's task
    const foreign = podJson({ name: 'foreign', nodeName: 'h1', annotations: k8sm('pod.F') });
    (foreign.spec as Record<string, unknown>).schedulerName = 'another-scheduler';
    const kube = new FakeSchedulerKube([
      ...[{ name: 'a', nodeName: 'h1', annotations: k8sm('pod.A') }, { name: 'b', nodeName: 'h1', annotations: k8sm('pod.B') }, { name: 'fresh' }].map((p) =>
        podJson(p),
      ),
      foreign,
    ]);
    const s = setup({ kube, config: { reconcileIntervalMs: 300_000 } });
    await s.client.until(() => s.calls('RECONCILE').length === 1, 'explicit reconciliation');
    expect(s.calls('RECONCILE')[0]!.reconcile.tasks).toEqual([
      { task_id: { value: 'pod.A' }, agent_id: { value: 'S1' } },
      { task_id: { value: 'pod.B' }, agent_id: { value: 'S1' } },
    ]);
    // the registry was rebuilt from the annotations: only the fresh pod waits for an offer
    expect(s.loop.pendingKeys()).toEqual(['default/fresh']);
    expect(s.loop.taskList().map((t) => t.taskId)).toEqual(['pod.A', 'pod.B']);
    const upd = (taskId: string, state: string, extra: Record<string, unknown> = {}) =>
      s.client.session.events$.push({ type: 'UPDATE', update: { status: { task_id: { value: taskId }, agent_id: { value: 'S1' }, state, ...extra } } });
    upd('pod.A', 'TASK_RUNNING', { source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' });
    await s.client.until(() => s.logs.some((l) => l.includes('status') && l.includes('pod.A')), 'status of A');
    // B has not answered: asked again after 1 s, then after 2 s more (not at 1 s)
    s.tick(1_000);
    await s.client.until(() => s.calls('RECONCILE').length === 2, 'second round');
    expect(s.calls('RECONCILE')[1]!.reconcile.tasks).toEqual([{ task_id: { value: 'pod.B' }, agent_id: { value: 'S1' } }]);
    s.tick(1_000);
    s.tick(500);
    expect(s.calls('RECONCILE')).toHaveLength(2);
    s.tick(500);
    await s.client.until(() => s.calls('RECONCILE').length === 3, 'third round');
    upd('pod.B', 'TASK_RUNNING', { source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' });
    await s.client.until(() => s.logs.some((l) => l.includes('status') && l.includes('pod.B')), 'status of B');
    s.tick(10_000);
    expect(s.calls('RECONCILE')).toHaveLength(3);
    // the implicit one: 15 s after the first subscription, with no tasks named
    s.tick(5_000);
    await s.client.until(() => s.calls('RECONCILE').length === 4, 'implicit reconciliation');
    expect(s.calls('RECONCILE')[3]!.reconcile).toEqual({ tasks: [] });
    const reconciles = (await s.metrics.reconciliations.get()).values.map((v) => [v.labels.kind, v.value]);
    expect(reconciles).toEqual([
      ['explicit', 3],
      ['implicit', 1],
    ]);
    // its answers: a task no pod names is killed; a known task Mesos no longer has deletes its pod, with an event saying why
    upd('pod.X', 'TASK_RUNNING', { source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' });
    upd('pod.F', 'TASK_RUNNING', { source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' });
    await s.client.until(() => s.calls('KILL').length === 2, 'kill of the unexplained tasks');
    // (a task of this framework that only another scheduler's pod names is unexplained too)
    expect(s.calls('KILL').map((c) => c.kill.task_id.value)).toEqual(['pod.X', 'pod.F']);
    expect(s.loop.taskList().map((t) => t.taskId)).not.toContain('pod.F');
    upd('pod.B', 'TASK_LOST', { source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' });
    await s.client.until(() => s.kube.deleted.length === 1, 'rogue pod deleted');
    expect(s.kube.deleted).toEqual(['default/b']);
    await s.client.until(() => s.kube.events.some((e) => e.reason === 'TaskLost'), 'TaskLost event');
    expect(s.kube.events.find((e) => e.reason === 'TaskLost')!.message).toBe(
      'Task pod.B of pod default/b on h1 is gone (TASK_LOST, SOURCE_MASTER, REASON_RECONCILIATION): deleting the pod so that its controller makes a new one, as k8sm does',
    );
    expect(s.calls('ACKNOWLEDGE')).toHaveLength(0);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  describe('a new framework while pods name k8sm tasks (a move from km scheduler, a lost framework id)', () => {
    const k8sm = (task: string) => ({
      'k8s.mesosphere.io/taskId': task,
      'k8s.mesosphere.io/slaveId': 'S1',
      'k8s.mesosphere.io/bindingHost': 'h1',
      'k8s.mesosphere.io/offerId': 'o-old',
    });
    const pods = () => [
      podJson({ name: 'live', nodeName: 'h1', annotations: k8sm('pod.L') }),
      podJson({ name: 'dead', nodeName: 'h1', annotations: k8sm('pod.D') }),
    ];

    it('leaves the pods whose tasks another framework runs alone, and reconciles the others as k8sm does', async () => {
      let asked = 0;
      const kube = new FakeSchedulerKube(pods());
      const s = setup({
        kube,
        allLiveTasks: async () => {
          asked++;
          return [{ id: 'pod.L', frameworkId: 'fw-km', frameworkName: 'Kubernetes' }];
        },
      });
      await s.client.until(() => s.calls('RECONCILE').length === 1, 'explicit reconciliation');
      expect(asked).toBe(1);
      expect(s.calls('RECONCILE')[0]!.reconcile.tasks).toEqual([{ task_id: { value: 'pod.D' }, agent_id: { value: 'S1' } }]);
      expect(s.loop.taskList().map((t) => t.taskId)).toEqual(['pod.D']);
      expect(s.logs.join('')).toMatch(/pods run tasks of another framework.*pods=1.*Kubernetes \(fw-km\): 1/);
      // the master does not know the dead one: its pod goes, as k8sm does; the live one's pod stays, and its deletion kills nothing
      s.client.session.events$.push({
        type: 'UPDATE',
        update: {
          status: { task_id: { value: 'pod.D' }, agent_id: { value: 'S1' }, state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' },
        },
      });
      await s.client.until(() => kube.deleted.length === 1, 'the dead task pod deleted');
      expect(kube.deleted).toEqual(['default/dead']);
      kube.remove('default', 'live');
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(s.calls('KILL')).toHaveLength(0);
      s.stop.abort('SIGTERM');
      await s.done;
    });

    it("leaves every such pod alone when the master's tasks cannot be read", async () => {
      const s = setup({ kube: new FakeSchedulerKube(pods()), allLiveTasks: () => Promise.reject(new Error('master: 503')) });
      await s.client.until(() => s.calls('SUPPRESS').length === 1, 'subscribed');
      expect(s.calls('RECONCILE')).toHaveLength(0);
      expect(s.loop.taskList()).toHaveLength(0);
      expect(s.logs.join('')).toContain("cannot list the master's tasks");
      s.stop.abort('SIGTERM');
      await s.done;
    });

    it('does not ask when it takes over the stored framework id: the tasks are its own', async () => {
      let asked = 0;
      const kube = new FakeSchedulerKube(pods());
      kube.configMaps.set('kube-system/k8sm-framework-kubernetes', { frameworkId: 'fw-stored', updated: '2026-12-01T11:00:00Z' });
      const s = setup({
        kube,
        allLiveTasks: async () => {
          asked++;
          return [];
        },
      });
      await s.client.until(() => s.calls('RECONCILE').length === 1, 'explicit reconciliation');
      expect(asked).toBe(0);
      expect(s.calls('RECONCILE')[0]!.reconcile.tasks).toHaveLength(2);
      s.stop.abort('SIGTERM');
      await s.done;
    });
  });

  it('leaves a pod with partial k8sm annotations alone: not scheduled, not deleted, reported once', async () => {
    const s = setup({
      pods: [
        { name: 'half', annotations: { 'k8s.mesosphere.io/taskId': 'pod.H', 'k8s.mesosphere.io/offerId': 'o-old' } },
        { name: 'other', annotations: { 'example.com/x': 'y' } },
      ],
    });
    await s.client.until(() => s.kube.events.length === 1, 'the report');
    const e = s.kube.events[0]!;
    expect(e.reason).toBe('PartialK8smAnnotations');
    expect(e.type).toBe('Warning');
    expect(e.message).toBe(
      'Pod default/half has k8sm annotations k8s.mesosphere.io/taskId, k8s.mesosphere.io/offerId but not k8s.mesosphere.io/bindingHost, k8s.mesosphere.io/slaveId: left alone (not scheduled, since a task of it may run; not deleted, as k8sm did). Remove its k8s.mesosphere.io/ annotations to have it scheduled, or delete it',
    );
    expect(s.loop.pendingKeys()).toEqual(['default/other']);
    expect((await s.metrics.partialAnnotationPods.get()).values[0]!.value).toBe(1);
    // a change of the pod does not report it again; removing the annotations makes it schedulable
    s.kube.put(podJson({ name: 'half', annotations: { 'k8s.mesosphere.io/taskId': 'pod.H', 'k8s.mesosphere.io/offerId': 'o-old', note: 'x' } }));
    s.kube.put(podJson({ name: 'half' }));
    await s.client.until(() => s.loop.pendingKeys().length === 2, 'half pending');
    expect(s.kube.events.filter((x) => x.reason === 'PartialK8smAnnotations')).toHaveLength(1);
    expect((await s.metrics.partialAnnotationPods.get()).values[0]!.value).toBe(0);
    expect(s.kube.deleted).toEqual([]);
    expect(s.logs.filter((l) => l.includes('partial k8sm annotations'))).toHaveLength(1);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('an apiserver that stops answering writes holds no offer: the subscription goes on, and an offer whose Node cannot be written is declined within 2 s', async () => {
    const kube = new FakeSchedulerKube([podJson({ name: 'a' })]);
    kube.hangWrites = true; // the framework-id ConfigMap and the Node writes never answer
    const s = setup({ kube });
    await s.client.until(() => s.client.sessions.length === 1 && s.loop.pendingKeys().length === 1, 'subscribed with the pod');
    s.offers({ id: 'o1', host: 'h1' });
    for (let i = 0; i < 600 && !answered(s.calls()).includes('o1'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.calls('DECLINE').flatMap((c) => c.decline.offer_ids.map((x: { value: string }) => x.value))).toEqual(['o1']);
    // refused for a second only: the Node is likely there by the next offer
    expect(s.calls('DECLINE')[0]!.decline.filters).toEqual({ refuse_seconds: 1 });
    expect(s.calls('ACCEPT')).toHaveLength(0);
    expect(s.loop.pendingKeys()).toEqual(['default/a']);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('writes no Node that already has the labels an offer implies (a restart), and merges into one that differs', async () => {
    // two replicas of one owner: one on each host
    const kube = new FakeSchedulerKube([podJson({ name: 'a', owner: 'rs' }), podJson({ name: 'b', owner: 'rs' })]);
    kube.nodes.set('h1', { 'kubernetes.io/hostname': 'h1', 'k8s.mesosphere.io/attribute-rack': 'r1', team: 'x' });
    kube.nodes.set('h2', { 'kubernetes.io/hostname': 'h2', 'k8s.mesosphere.io/attribute-rack': 'r1' });
    const s = setup({ kube });
    await s.client.until(() => s.loop.pendingKeys().length === 2, 'pods');
    s.offers({ id: 'o1', host: 'h1', attributes: { rack: 'r1' } }, { id: 'o2', host: 'h2', attributes: { rack: 'r2' } });
    await s.client.until(() => s.calls('ACCEPT').length === 2, 'both offers used');
    // h1 was right already: no write; h2's rack changed: one write (its offer used once the write is in)
    expect(kube.nodeWriteCount).toBe(1);
    expect(kube.nodes.get('h1')).toEqual({ 'kubernetes.io/hostname': 'h1', 'k8s.mesosphere.io/attribute-rack': 'r1', team: 'x' });
    expect(kube.nodes.get('h2')).toEqual({ 'kubernetes.io/hostname': 'h2', 'k8s.mesosphere.io/attribute-rack': 'r2' });
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('sends a DECLINE again when the master did not take it (its offers would stay outstanding)', async () => {
    const timers: Array<() => void> = [];
    const after = (ms: number, f: () => void): (() => void) => {
      if (ms === 1_000) timers.push(f);
      return () => {};
    };
    const s = setup({ pods: [], after });
    await s.client.until(() => s.calls('SUPPRESS').length === 1, 'subscribed, nothing pending');
    s.client.session.failTypes.add('DECLINE');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('DECLINE').length === 1 && timers.length === 1, 'first DECLINE failed, a retry waits');
    s.client.session.failTypes.delete('DECLINE');
    timers[0]!();
    await s.client.until(() => s.calls('DECLINE').length === 2, 'sent again');
    expect(s.calls('DECLINE').map((c) => c.decline.offer_ids.map((x: { value: string }) => x.value))).toEqual([['o1'], ['o1']]);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(timers).toHaveLength(1); // taken the second time: no third
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('explains a pod that fits nowhere with diagnose reasons, and backs it off', async () => {
    const s = setup({ pods: [{ name: 'huge', cpu: '16' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.offers({ id: 'o1', host: 'h1', cpus: 4 }, { id: 'o2', host: 'h2', cpus: 2 });
    await s.client.until(() => s.kube.events.length === 1, 'event');
    const e = s.kube.events[0]!;
    expect(e.reason).toBe('FailedScheduling');
    expect(e.type).toBe('Warning');
    expect(e.message).toBe('0/2 agents can run it: 2 insufficient cpu (needs 16 CPU, at most 4 CPU free)');
    expect(answered(s.calls()).sort()).toEqual(['o1', 'o2']);
    // the same reason again at once is not repeated
    s.offers({ id: 'o3', host: 'h1', cpus: 4 });
    await s.client.until(() => answered(s.calls()).includes('o3'), 'decline');
    expect(s.kube.events).toHaveLength(1);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it("writes the Node of a host a cycle launches on at once, the other offered hosts' Nodes once every launch is bound", async () => {
    const s = setup({ pods: [{ name: 'big', cpu: '3' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.offers({ id: 'o1', host: 'h1', cpus: 1 }, { id: 'o2', host: 'h2', cpus: 1 }, { id: 'o3', host: 'h3', cpus: 8 }, { id: 'o4', host: 'h4', cpus: 1 });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'launch on h3');
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(s.kube.nodeWriteOrder).toEqual(['h3']);
    s.bound();
    await s.client.until(() => s.kube.nodeWriteOrder.length === 4, 'the other Nodes written');
    expect(s.kube.nodeWriteOrder).toEqual(['h3', 'h1', 'h2', 'h4']);
    expect([...s.kube.nodes.keys()].sort()).toEqual(['h1', 'h2', 'h3', 'h4']);
    // with nothing launching, an offered host's Node is written at once
    s.offers({ id: 'o5', host: 'h5', cpus: 1 });
    await s.client.until(() => s.kube.nodeWriteOrder.length === 5, 'h5 written');
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it("a cluster that never stops launching still gets its other hosts' Nodes, 30 s late at most", async () => {
    const s = setup({ pods: [{ name: 'a', cpu: '3' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.offers({ id: 'o1', host: 'h1', cpus: 8 }, { id: 'o2', host: 'h2', cpus: 1 });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'a launched on h1, never bound here');
    s.kube.put(podJson({ name: 'b', cpu: '3' }));
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'b pending');
    s.offers({ id: 'o3', host: 'h2', cpus: 1 }, { id: 'o4', host: 'h3', cpus: 8 });
    await s.client.until(() => s.calls('ACCEPT').length === 2, 'b launched on h3');
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(s.kube.nodeWriteOrder).toEqual(['h1', 'h3']); // h2 waits for the launches
    s.tick(30_000);
    s.kube.put(podJson({ name: 'c', cpu: '3' }));
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'c pending');
    s.offers({ id: 'o5', host: 'h2', cpus: 1 });
    await s.client.until(() => s.kube.nodeWriteOrder.includes('h2'), 'h2 written after 30 s');
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('a slow apiserver gets a few event writes at a time, however many pods are scheduled', async () => {
    const kube = new FakeSchedulerKube(Array.from({ length: 40 }, (_, i) => podJson({ name: `p-${i}`, cpu: '100m', mem: '16Mi' })));
    kube.holdEvents = true;
    const s = setup({ kube });
    await s.client.until(() => s.loop.pendingKeys().length === 40, 'pods');
    s.offers({ id: 'o1', host: 'h1', cpus: 8, mem: 4096 }, { id: 'o2', host: 'h2', cpus: 8, mem: 4096 });
    await s.client.until(() => s.loop.pendingKeys().length === 0 && s.calls('ACCEPT').length >= 1, 'all launched');
    s.bound();
    await s.client.until(() => kube.eventWritesAtOnce > 0, 'event writes started');
    expect(kube.eventWritesAtOnce).toBeLessThanOrEqual(8); // every launch bound: 8 writers (2 while launches wait)
    kube.releaseEvents();
    await s.client.until(() => kube.events.length === 40, 'every Scheduled event written once the apiserver answers');
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('acknowledges statuses with a uuid only, kills the task of a deleted pod, and deletes a rogue pod', async () => {
    const s = setup({ pods: [{ name: 'a' }, { name: 'b' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 2, 'pods');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'accept');
    const [ta, tb] = s.loop.taskList().map((t) => t.taskId) as [string, string];
    const upd = (taskId: string, state: string, extra: Record<string, unknown> = {}) =>
      s.client.session.events$.push({ type: 'UPDATE', update: { status: { task_id: { value: taskId }, agent_id: { value: 'agent-h1' }, state, ...extra } } });
    upd(ta, 'TASK_RUNNING', { uuid: 'dXVpZDE=', source: 'SOURCE_EXECUTOR' });
    upd(ta, 'TASK_RUNNING', { source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' });
    await s.client.until(() => s.calls('ACKNOWLEDGE').length === 1, 'ack');
    expect(s.calls('ACKNOWLEDGE')[0]!.acknowledge).toEqual({ agent_id: { value: 'agent-h1' }, task_id: { value: ta }, uuid: 'dXVpZDE=' });
    expect(await s.tasksByState()).toEqual({ launched: 1, bound: 0, running: 1 });
    // pod a deleted: its task is killed once
    const podA = s.loop.taskList().find((t) => t.taskId === ta)!.podKey;
    s.kube.remove('default', podA.split('/')[1]!);
    await s.client.until(() => s.calls('KILL').length === 1, 'kill');
    expect(s.calls('KILL')[0]!.kill.task_id.value).toBe(ta);
    // task b lost with its executor: k8sm deletes the rogue pod (its controller recreates it)
    upd(tb, 'TASK_LOST', { uuid: 'dXVpZDI=', source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED' });
    await s.client.until(() => s.kube.deleted.length === 1, 'delete');
    expect(s.calls('ACKNOWLEDGE')).toHaveLength(2);
    // a (killed, no terminal status yet) still counts as running; b is forgotten
    expect(await s.tasksByState()).toEqual({ launched: 0, bound: 0, running: 1 });
    expect(s.calls('KILL')).toHaveLength(1);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('handles the next events while the master is slow to take an ACCEPT: offers are answered, statuses acknowledged, nothing waits', async () => {
    const s = setup({ pods: [{ name: 'a' }] });
    await s.client.until(() => s.client.sessions.length === 1 && s.loop.pendingKeys().length === 1, 'pods');
    s.client.session.holdTypes.add('ACCEPT');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'accept sent');
    const [ta] = s.loop.taskList().map((t) => t.taskId) as [string];
    // While that ACCEPT has no answer: a status of its task, and new offers with nothing left to place.
    s.client.session.events$.push({
      type: 'UPDATE',
      update: { status: { task_id: { value: ta }, agent_id: { value: 'agent-h1' }, state: 'TASK_RUNNING', uuid: 'dXVpZDE=', source: 'SOURCE_EXECUTOR' } },
    });
    s.offers({ id: 'o2', host: 'h2' });
    await s.client.until(() => s.calls('ACKNOWLEDGE').length === 1 && answered(s.calls()).includes('o2'), 'ack and decline while the accept is held');
    expect(s.calls('DECLINE').flatMap((c) => c.decline.offer_ids.map((x: { value: string }) => x.value))).toContain('o2');
    s.client.session.release();
    s.stop.abort('SIGTERM');
    await s.done;
    expect(answered(s.calls()).sort()).toEqual(['o1', 'o2']);
  });

  it('sends SUPPRESS and REVIVE one after the other, in the order decided (separate connections could reorder them)', async () => {
    const s = setup({ pods: [{ name: 'a' }] });
    await s.client.until(() => s.client.sessions.length === 1 && s.loop.pendingKeys().length === 1, 'pods');
    s.client.session.holdTypes.add('SUPPRESS');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('SUPPRESS').length === 1, 'a launched, nothing pending: suppress sent');
    // the master has not answered the SUPPRESS when a pod arrives (a second after the last REVIVE): the REVIVE waits for that answer
    s.tick(1_000);
    s.kube.put(podJson({ name: 'b' }));
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'b pending');
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(
      s
        .calls()
        .map((c) => c.type)
        .sort(),
    ).toEqual(['ACCEPT', 'REVIVE', 'SUPPRESS']); // the first REVIVE: subscribing with a pod pending
    s.client.session.release();
    await s.client.until(() => s.calls('REVIVE').length === 2, 'revive');
    const types = s.calls().map((c) => c.type);
    expect(types).toHaveLength(4);
    expect(types.lastIndexOf('REVIVE')).toBeGreaterThan(types.indexOf('SUPPRESS'));
    expect(s.loop.suppressedNow).toBe(false);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('a pod that arrives within a second of the last REVIVE, offers suppressed, waits for the rest of the second; after a quiet second, REVIVE at once', async () => {
    const timers: Array<{ ms: number; f: () => void }> = [];
    const after = (ms: number, f: () => void): (() => void) => {
      if (ms > REVIVE_MIN_INTERVAL_MS || ms <= EVENT_PACE_MS) return () => {}; // the Scheduled events' pacing: not this test's
      timers.push({ ms, f });
      return () => {};
    };
    const s = setup({ pods: [{ name: 'a' }], after });
    await s.client.until(() => s.loop.pendingKeys().length === 1 && s.calls('REVIVE').length === 1, 'subscribed, a pending');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('SUPPRESS').length === 1, 'a launched, nothing pending: suppressed');
    // b comes at once: no REVIVE yet, one timer for the rest of the second
    s.kube.put(podJson({ name: 'b' }));
    s.kube.put(podJson({ name: 'c' }));
    await s.client.until(() => s.loop.pendingKeys().length === 2, 'b and c pending');
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(s.calls('REVIVE')).toHaveLength(1);
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBeGreaterThan(0);
    expect(timers[0]!.ms).toBeLessThanOrEqual(REVIVE_MIN_INTERVAL_MS);
    timers[0]!.f();
    await s.client.until(() => s.calls('REVIVE').length === 2, 'one REVIVE for b and c');
    s.offers({ id: 'o2', host: 'h2', cpus: 8 });
    await s.client.until(() => s.calls('SUPPRESS').length === 2, 'b and c launched: suppressed again');
    // a quiet second later, d is revived for at once
    s.tick(1_000);
    s.kube.put(podJson({ name: 'd' }));
    await s.client.until(() => s.calls('REVIVE').length === 3, 'REVIVE for d');
    expect(timers).toHaveLength(1);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('schedules a pod again when its launch failed before binding, after a backoff that offers do not cut short', async () => {
    const s = setup({ pods: [{ name: 'a' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'accept');
    const fail = (taskId: string) =>
      s.client.session.events$.push({
        type: 'UPDATE',
        update: {
          status: {
            task_id: { value: taskId },
            agent_id: { value: 'agent-h1' },
            state: 'TASK_FAILED',
            message: 'binding pod default/a to h1: HTTP 429 Too Many Requests',
            source: 'SOURCE_EXECUTOR',
            uuid: 'dXVpZA==',
          },
        },
      });
    fail(s.loop.taskList()[0]!.taskId);
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'requeued');
    // within the first second: an offer does not launch it again
    s.offers({ id: 'o2', host: 'h2' });
    await s.client.until(() => answered(s.calls()).includes('o2'), 'o2 answered');
    expect(s.calls('ACCEPT')).toHaveLength(1);
    s.tick(1_000);
    s.offers({ id: 'o3', host: 'h2' });
    await s.client.until(() => s.calls('ACCEPT').length === 2, 'second launch');
    // failing again doubles the wait: not after 1 s, after 2 s
    fail(s.loop.taskList()[0]!.taskId);
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'requeued again');
    s.tick(1_000);
    s.offers({ id: 'o4', host: 'h3' });
    await s.client.until(() => answered(s.calls()).includes('o4'), 'o4 answered');
    expect(s.calls('ACCEPT')).toHaveLength(2);
    s.tick(1_000);
    s.offers({ id: 'o5', host: 'h3' });
    await s.client.until(() => s.calls('ACCEPT').length === 3, 'third launch');
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('declines offers of an agent running another executor id', async () => {
    const s = setup({ pods: [{ name: 'a' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.offers({ id: 'o1', host: 'h1', executorIds: ['0123_k8sm-executor'] });
    await s.client.until(() => s.calls('DECLINE').length === 1, 'decline');
    expect(s.calls('ACCEPT')).toHaveLength(0);
    expect(s.logs.join('')).toContain('Declining incompatible offer');
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('on SIGTERM leaves the framework registered, and a restart reuses its id; --teardown-on-exit tears it down', async () => {
    const kube = new FakeSchedulerKube();
    const s = setup({ kube });
    await s.client.until(() => s.calls('SUPPRESS').length === 1, 'subscribed');
    s.stop.abort('SIGTERM');
    const r = await s.done;
    expect(r.end).toBe('stopped');
    expect(s.calls('TEARDOWN')).toHaveLength(0);
    const stored = kube.configMaps.get('kube-system/k8sm-framework-kubernetes');
    expect(stored?.frameworkId).toBe(r.frameworkId);

    const again = setup({ kube, config: { teardownOnExit: true } });
    await again.client.until(() => again.calls('SUPPRESS').length === 1, 'subscribed again');
    expect((again.client.subscriptions[0]!.frameworkInfo.id as { value: string }).value).toBe(r.frameworkId);
    expect(again.client.subscriptions[0]!.frameworkInfo).toMatchObject({ user: 'root', name: 'Kubernetes', checkpoint: true, failover_timeout: 604800 });
    again.stop.abort('SIGTERM');
    await again.done;
    expect(again.calls('TEARDOWN')).toHaveLength(1);
    expect(kube.configMaps.size).toBe(0);
  });

  it('an apiserver that cannot be read at start delays the subscription until the stored framework id is read: no new framework', async () => {
    const kube = new FakeSchedulerKube();
    kube.configMaps.set('kube-system/k8sm-framework-kubernetes', { frameworkId: 'fw-stored', updated: '2026-12-01T11:00:00Z' });
    kube.configMapReadFailures = 2;
    const s = setup({ kube });
    await s.client.until(() => s.client.sessions.length === 1, 'subscribed');
    expect((s.client.subscriptions[0]!.frameworkInfo.id as { value: string } | undefined)?.value).toBe('fw-stored');
    expect(s.logs.join('').match(/cannot read the stored framework id/g)).toHaveLength(2);
    expect(kube.configMaps.get('kube-system/k8sm-framework-kubernetes')?.frameworkId).toBe('fw-stored');
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('a stop while the stored framework id cannot be read ends the run without subscribing', async () => {
    const kube = new FakeSchedulerKube();
    kube.configMapReadFailures = 1_000_000;
    const s = setup({ kube });
    await s.client.until(() => s.logs.join('').includes('cannot read the stored framework id'), 'a failed read');
    s.stop.abort('SIGTERM');
    expect((await s.done).end).toBe('stopped');
    expect(s.client.sessions).toHaveLength(0);
  });

  it('--teardown-on-exit tears the framework down also when events keep coming after the signal', async () => {
    const kube = new FakeSchedulerKube();
    const s = setup({ kube, config: { teardownOnExit: true } });
    await s.client.until(() => s.calls('SUPPRESS').length === 1, 'subscribed');
    s.stop.abort('SIGTERM');
    // an event right after the signal (offers, status updates of the last launches): the event loop stops reading
    s.client.session.events$.push({ type: 'HEARTBEAT' });
    await s.done;
    expect(s.calls('TEARDOWN')).toHaveLength(1);
    expect(kube.configMaps.size).toBe(0);
  });

  it('--teardown-on-exit tears the framework down before it waits for the events still to write', async () => {
    const kube = new FakeSchedulerKube([podJson({ name: 'a' })]);
    kube.holdEvents = true;
    const s = setup({ kube, config: { teardownOnExit: true } });
    await s.client.until(() => s.client.sessions.length === 1 && s.loop.pendingKeys().length === 1, 'subscribed');
    s.offers({ id: 'o1', host: 'h1', cpus: 4 });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'launched');
    s.stop.abort('SIGTERM');
    // the Scheduled event is still being written: the teardown does not wait for it
    await s.client.until(() => s.calls('TEARDOWN').length === 1, 'teardown while an event waits');
    kube.releaseEvents();
    await s.done;
  });

  it('a framework the master removed ends the run and leaves the ConfigMap, so that the next start registers a new one', async () => {
    const kube = new FakeSchedulerKube();
    kube.configMaps.set('kube-system/k8sm-framework-kubernetes', { frameworkId: 'fw-gone', updated: '2026-12-01T11:00:00Z' });
    const s = setup({ kube });
    await s.client.until(() => s.client.sessions.length === 1, 'subscribed');
    const said = 'Framework fw-gone has been removed';
    s.client.session.events$.fail(
      new ClientError({
        kind: 'rejected',
        reason: 'framework-error',
        service: 'mesos-master',
        message: `ended with ERROR: ${said}`,
        details: { message: said },
      }),
    );
    const r = await s.done;
    expect(r).toMatchObject({ end: 'framework-error', frameworkId: 'fw-gone', idRemoved: 'forgotten', store: 'kube-system/k8sm-framework-kubernetes' });
    expect(kube.configMaps.size).toBe(0);

    const again = setup({ kube });
    await again.client.until(() => again.client.sessions.length === 1, 'a new framework');
    expect(again.client.subscriptions[0]!.frameworkInfo.id).toBeUndefined();
    again.stop.abort('SIGTERM');
    await again.done;
  });

  it.each([
    ['credentials-rejected', 'unauthorized', 401],
    ['subscribe-forbidden', 'forbidden', 403],
    ['subscribe-refused', 'rejected', 400],
  ] as const)('a SUBSCRIBE refused for good (%s) ends the run at once instead of trying forever', async (reason, kind, status) => {
    const client = new FakeSchedulerClient();
    const refusal = new ClientError({ kind, reason, status, service: 'mesos-master', message: `Mesos master answered ${status} to SUBSCRIBE` });
    let tries = 0;
    client.subscribe = () => {
      tries++;
      return Promise.reject(refusal);
    };
    const s = setup({ client });
    const r = await s.done;
    expect(r).toMatchObject({ end: 'refused', error: refusal });
    expect(tries).toBe(1);
  });

  it('a SUBSCRIBE that fails otherwise (503, refused connection) is tried again', async () => {
    const client = new FakeSchedulerClient();
    let tries = 0;
    const subscribe = client.subscribe.bind(client);
    client.subscribe = (o) => {
      tries++;
      if (tries < 3)
        return Promise.reject(new ClientError({ kind: 'no-leader', reason: 'no-leader', status: 503, service: 'mesos-master', message: 'no leader' }));
      return subscribe(o);
    };
    const s = setup({ client });
    await s.client.until(() => s.client.sessions.length === 1, 'subscribed on the third try');
    expect(tries).toBe(3);
    s.stop.abort('SIGTERM');
    expect((await s.done).end).toBe('stopped');
  });

  it('another ERROR (the framework failed over to another scheduler) ends the run and keeps the stored id', async () => {
    const kube = new FakeSchedulerKube();
    kube.configMaps.set('kube-system/k8sm-framework-kubernetes', { frameworkId: 'fw-kept', updated: '2026-12-01T11:00:00Z' });
    const s = setup({ kube });
    await s.client.until(() => s.client.sessions.length === 1, 'subscribed');
    s.client.session.events$.fail(
      new ClientError({
        kind: 'rejected',
        reason: 'framework-error',
        service: 'mesos-master',
        message: 'Framework failed over',
        details: { message: 'Framework failed over' },
      }),
    );
    const r = await s.done;
    expect(r.end).toBe('framework-error');
    expect(r.idRemoved).toBeUndefined();
    expect(kube.configMaps.get('kube-system/k8sm-framework-kubernetes')?.frameworkId).toBe('fw-kept');
  });

  it('taking over a framework id, a pod whose task the master still runs (launched, not yet bound) is not launched again', async () => {
    const kube = new FakeSchedulerKube([podJson({ name: 'late' }), podJson({ name: 'lost' }), podJson({ name: 'new' })]);
    const first = setup({ kube });
    await first.client.until(() => first.client.sessions.length === 1, 'first subscription');
    first.stop.abort('SIGTERM');
    const { frameworkId } = await first.done;
    const asked: string[] = [];
    const s = setup({
      kube,
      liveTasks: async (id) => {
        asked.push(id);
        return [
          { id: 'pod.L', name: 'late.default.pod', agentId: 'S1', state: 'TASK_STAGING' },
          { id: 'pod.M', name: 'lost.default.pod', agentId: 'S1', state: 'TASK_STAGING' },
          { id: 'pod.Z', name: 'gone.default.pod', agentId: 'S2', state: 'TASK_RUNNING' },
        ];
      },
    });
    await s.client.until(() => s.calls('RECONCILE').length === 1, 'explicit reconciliation');
    expect(asked).toEqual([frameworkId]);
    expect(s.loop.pendingKeys()).toEqual(['default/new']);
    expect(s.calls('RECONCILE')[0]!.reconcile.tasks).toEqual([
      { task_id: { value: 'pod.L' }, agent_id: { value: 'S1' } },
      { task_id: { value: 'pod.M' }, agent_id: { value: 'S1' } },
    ]);
    s.offers({ id: 'o1', host: 'h1', cpus: 8 });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'only the new pod launched');
    expect(s.calls('ACCEPT')[0]!.accept.operations[0].launch.task_infos.map((ti: Call) => ti.name)).toEqual(['new.default.pod']);
    const upd = (taskId: string, state: string) =>
      s.client.session.events$.push({
        type: 'UPDATE',
        update: { status: { task_id: { value: taskId }, agent_id: { value: 'S1' }, state, source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' } },
      });
    // the master runs one; it never had the other (or it ended): that pod, still unbound, is scheduled again, not deleted
    upd('pod.L', 'TASK_RUNNING');
    upd('pod.M', 'TASK_LOST');
    await s.client.until(() => s.loop.pendingKeys().includes('default/lost'), 'lost requeued');
    expect(s.kube.deleted).toEqual([]);
    expect(s.loop.taskList().find((t) => t.taskId === 'pod.L')?.phase).toBe('running');
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('while the master is slow to list the tasks of a framework taken over, offers are declined at once (none held, none used), then revived', async () => {
    const kube = new FakeSchedulerKube([podJson({ name: 'late' }), podJson({ name: 'new' })]);
    const first = setup({ kube });
    await first.client.until(() => first.client.sessions.length === 1, 'first subscription');
    first.stop.abort('SIGTERM');
    await first.done;
    let answer: (v: Array<{ id: string; name: string; agentId: string; state: string }>) => void = () => {};
    const s = setup({ kube, liveTasks: () => new Promise((resolve) => (answer = resolve)) });
    await s.client.until(() => s.client.sessions.length === 1 && s.loop.pendingKeys().length === 2, 'subscribed, list under way');
    s.offers({ id: 'o1', host: 'h1', cpus: 8 });
    await s.client.until(() => answered(s.calls()).includes('o1'), 'o1 answered while the list is under way');
    expect(s.calls('DECLINE').flatMap((c) => c.decline.offer_ids.map((x: { value: string }) => x.value))).toEqual(['o1']);
    expect(s.calls('ACCEPT')).toHaveLength(0);
    const revives = s.calls('REVIVE').length;
    answer([{ id: 'pod.L', name: 'late.default.pod', agentId: 'S1', state: 'TASK_STAGING' }]);
    await s.client.until(() => s.calls('REVIVE').length === revives + 1 && s.calls('RECONCILE').length === 1, 'revived, adopted task reconciled');
    expect(s.calls('RECONCILE')[0]!.reconcile.tasks).toEqual([{ task_id: { value: 'pod.L' }, agent_id: { value: 'S1' } }]);
    s.offers({ id: 'o2', host: 'h1', cpus: 8 });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'launch');
    expect(s.calls('ACCEPT')[0]!.accept.operations[0].launch.task_infos.map((ti: Call) => ti.name)).toEqual(['new.default.pod']);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('a pod whose ACCEPT failed and that Mesos does not know is scheduled again, not deleted; its offer is declined, never held', async () => {
    const s = setup({ pods: [{ name: 'a' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.client.session.failTypes.add('ACCEPT');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('RECONCILE').length === 1, 'reconcile after the failed accept');
    // the ACCEPT may never have reached the master: the offer is declined (a master that took it ignores that)
    await s.client.until(() => s.calls('DECLINE').some((c) => c.decline.offer_ids.some((x: { value: string }) => x.value === 'o1')), 'o1 declined');
    s.client.session.failTypes.clear();
    const [t] = s.loop.taskList();
    s.client.session.events$.push({
      type: 'UPDATE',
      update: {
        status: {
          task_id: { value: t!.taskId },
          agent_id: { value: 'agent-h1' },
          state: 'TASK_LOST',
          source: 'SOURCE_MASTER',
          reason: 'REASON_RECONCILIATION',
        },
      },
    });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'requeued');
    expect(s.kube.deleted).toEqual([]);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('subscribes again at once after a stream that was up ends, and with backoff after one that ends as soon as it is up', async () => {
    const s = setup();
    await s.client.until(() => s.client.sessions.length === 1, 'first subscription');
    s.tick(1_500);
    s.client.session.close();
    await s.client.until(() => s.client.sessions.length === 2, 'second subscription');
    expect(s.logs.filter((l) => l.includes('subscription ended')).at(-1)).toMatch(/afterMs=50\b/);
    s.client.session.close();
    await s.client.until(() => s.client.sessions.length === 3, 'third subscription');
    expect(s.logs.filter((l) => l.includes('subscription ended')).at(-1)).toMatch(/afterMs=1000\b/);
    // streams that keep ending as soon as they are up (a master that sends what is not RecordIO): the backoff grows
    for (const ms of [2000, 4000, 8000, 15000, 15000]) {
      const n = s.client.sessions.length;
      s.client.session.close();
      await s.client.until(() => s.client.sessions.length === n + 1, `subscription ${n + 1}`);
      expect(s.logs.filter((l) => l.includes('subscription ended')).at(-1)).toMatch(new RegExp(`afterMs=${ms}\\b`));
    }
    // one that was up a while: at once again, and the backoff starts over
    s.tick(1_500);
    s.client.session.close();
    await s.client.until(() => s.client.sessions.length === 9, 'after a stream that was up');
    expect(s.logs.filter((l) => l.includes('subscription ended')).at(-1)).toMatch(/afterMs=50\b/);
    s.client.session.close();
    await s.client.until(() => s.client.sessions.length === 10, 'backoff from the start');
    expect(s.logs.filter((l) => l.includes('subscription ended')).at(-1)).toMatch(/afterMs=1000\b/);
    expect(new Set(s.client.subscriptions.slice(1).map((o) => (o.frameworkInfo.id as { value: string }).value))).toEqual(
      new Set([s.client.sessions[0]!.frameworkId]),
    );
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('statuses that arrive twice (resent after a break, on a new stream) change nothing more and are acknowledged each time', async () => {
    const s = setup({ pods: [{ name: 'a' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.offers({ id: 'o1', host: 'h1' });
    await s.client.until(() => s.calls('ACCEPT').length === 1, 'launch');
    const taskId = s.loop.taskList()[0]!.taskId;
    const status = (state: string, uuid: string) => ({
      type: 'UPDATE',
      update: { status: { task_id: { value: taskId }, agent_id: { value: 'agent-h1' }, state, uuid, source: 'SOURCE_EXECUTOR' } },
    });
    s.client.session.events$.push(status('TASK_STARTING', 'dTE='));
    s.client.session.events$.push(status('TASK_RUNNING', 'dTI='));
    await s.client.until(() => s.calls('ACKNOWLEDGE').length === 2, 'two acks');
    // the stream breaks; the master resends both on the new one (not acknowledged as far as it knows)
    s.tick(1_500);
    s.client.session.close();
    await s.client.until(() => s.client.sessions.length === 2, 'resubscribed');
    s.client.session.events$.push(status('TASK_STARTING', 'dTE='));
    s.client.session.events$.push(status('TASK_RUNNING', 'dTI='));
    s.client.session.events$.push(status('TASK_RUNNING', 'dTI='));
    await s.client.until(() => s.calls('ACKNOWLEDGE').length === 5, 'each acknowledged');
    expect(s.loop.taskList().map((t) => [t.taskId, t.phase])).toEqual([[taskId, 'running']]);
    expect(await s.tasksByState()).toEqual({ launched: 0, bound: 0, running: 1 });
    expect(s.loop.pendingKeys()).toEqual([]);
    expect(s.calls('ACCEPT')).toHaveLength(1);
    expect(s.calls('KILL')).toHaveLength(0);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('a watch the apiserver ends starts again from the last bookmark, without a list', async () => {
    const s = setup({ pods: [{ name: 'a' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1 && s.kube.watchFrom.length === 1, 'listed, watching');
    s.kube.bookmark('900');
    s.kube.endWatch();
    await s.client.until(() => s.kube.watchFrom.length === 2, 'watching again');
    expect(s.kube.watchFrom[1]).toBe('900');
    expect(s.kube.lists).toBe(1);
    expect(s.loop.pendingKeys()).toEqual(['default/a']); // a bookmark is not a pod
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('a first list that failed is tried again as a consistent read (pods it handed over may be newer than a cache)', async () => {
    const kube = new FakeSchedulerKube([podJson({ name: 'a' })]);
    kube.listFailures = 1;
    const s = setup({ kube });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'listed on the second try');
    expect(kube.listsFromCache).toEqual([true, false]);
    s.stop.abort('SIGTERM');
    await s.done;
  });

  it('lists pods again after a 410 (a consistent read, the first list came from the watch cache) and hangs up on the stop signal without launching', async () => {
    const s = setup({ pods: [{ name: 'a' }] });
    await s.client.until(() => s.loop.pendingKeys().length === 1, 'pod');
    s.kube.expire();
    await s.client.until(() => s.kube.lists === 2, 'relist');
    expect(s.kube.listsFromCache).toEqual([true, false]);
    expect(s.loop.pendingKeys()).toEqual(['default/a']);
    const session = s.client.session;
    s.stop.abort('SIGTERM');
    await s.done;
    expect(session.closed).toBe(true);
    expect(s.calls('ACCEPT')).toHaveLength(0);
  });
});

describe('slimPod (what the loop keeps of pods it will not launch)', () => {
  it('keeps identity, owner, phase, scheduler, node, deletion and the k8sm and mirror annotations only', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        uid: 'u-1',
        resourceVersion: '42',
        labels: { app: 'web' },
        annotations: {
          'k8s.mesosphere.io/taskId': 'pod.1',
          'k8s.mesosphere.io/bindingHost': 'h1',
          'kubernetes.io/config.mirror': 'x',
          'kubectl.kubernetes.io/last-applied-configuration': '{"big":"'.padEnd(5000, 'x') + '"}',
        },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true },
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'cm-1' },
        ],
        managedFields: [{ manager: 'kubectl' }],
      },
      spec: { schedulerName: 'k8sm', nodeName: 'h1', containers: [{ name: 'web', image: 'nginx' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready' }] },
    };
    expect(slimPod(pod)).toEqual({
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        uid: 'u-1',
        resourceVersion: '42',
        annotations: { 'k8s.mesosphere.io/taskId': 'pod.1', 'k8s.mesosphere.io/bindingHost': 'h1', 'kubernetes.io/config.mirror': 'x' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true }],
      },
      spec: { schedulerName: 'k8sm', nodeName: 'h1' },
      status: { phase: 'Running' },
    });
    expect(JSON.stringify(slimPod(pod)).length).toBeLessThan(JSON.stringify(pod).length / 10);
  });
});

describe('launchablePod (what the loop keeps of a pod it may launch)', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'shop',
      uid: 'u-1',
      labels: { app: 'web' },
      annotations: { team: 'a' },
      managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:containers': {} } } }],
    },
    spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, hostPort: 0 }] }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] },
  };

  it('drops managedFields and all of the status but its phase, and leaves the pod it was given alone', () => {
    const before = JSON.stringify(pod);
    const kept = launchablePod(pod);
    expect(kept).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', labels: { app: 'web' }, annotations: { team: 'a' } },
      spec: pod.spec,
      status: { phase: 'Pending' },
    });
    expect(JSON.stringify(pod)).toBe(before);
  });

  it('launches the same task data as the whole pod', () => {
    const sched = scheduler();
    const offer = parseOffer(offerJson({ id: 'o1', host: 'h1' }))!;
    const task = (p: Record<string, unknown>) => {
      const kp = k8smPod(p, sched);
      const fit = fitPodOnAgent(
        kp,
        {
          cpus: { byRole: offer.cpus },
          mem: { byRole: offer.mem },
          ports: { byRole: offer.ports },
          executorRunning: false,
          node: { hostname: 'h1', labels: {} },
        },
        sched,
      );
      if (!fit.fits) throw new Error('does not fit');
      return buildTask({ pod: p, kp, offer, allocation: fit.allocation, taskId: 'pod.1', executor: PROTO }).taskInfo;
    };
    expect(task(launchablePod(pod))).toEqual(task(pod));
  });
});
