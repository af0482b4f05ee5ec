/** Pure pieces of the simulator: IDs, resource arithmetic and formats, k8sm's pod arithmetic. */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { adler32, crc64Ecma, k8smExecutorId, mesosIpUint32, uuidV1, uuidVersion } from '../../test/stack/mesos-sim/ids.js';
import { assignHostPorts, parseCpu, parseMemoryBytes, podResourceLimits, type PodLike } from '../../test/stack/mesos-sim/k8sm.js';
import {
  coalesceRanges,
  formatRanges,
  modelAttributes,
  modelResources,
  parseAttribute,
  parseRanges,
  protoResource,
  rangesSize,
  resourcesFromAmounts,
  subtractRanges,
  sumResources,
  type Range,
} from '../../test/stack/mesos-sim/resources.js';
import { ClusterState, SimError, agentTotalResources } from '../../test/stack/mesos-sim/state.js';

describe('ids', () => {
  test('CRC-64 ECMA as Go computes it (check value of CRC-64/XZ)', () => {
    expect(crc64Ecma('123456789').toString(16)).toBe('995dc9bbdf1939fa');
    expect(crc64Ecma('').toString(16)).toBe('0');
  });

  test('k8sm executor IDs are <lower-case hex, not zero-padded>_k8sm-executor', () => {
    expect(k8smExecutorId('some executor config')).toMatch(/^[0-9a-f]{1,16}_k8sm-executor$/);
    expect(k8smExecutorId('a')).toBe(k8smExecutorId('a'));
    expect(k8smExecutorId('a')).not.toBe(k8smExecutorId('b'));
  });

  test('task UUIDs are time-based (v1) and distinct within one millisecond', () => {
    const now = Date.now();
    const a = uuidV1(now);
    const b = uuidV1(now);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidVersion(a)).toBe(1);
    expect(a).not.toBe(b);
  });

  test('MasterInfo.ip is the network-order address read little-endian (MESOS-1201)', () => {
    expect(mesosIpUint32('127.0.0.1')).toBe(16777343);
    expect(mesosIpUint32('10.0.0.2')).toBe(33554442);
    expect(() => mesosIpUint32('::1')).toThrow();
  });

  test('adler32 matches the published value for "Wikipedia"', () => {
    expect(adler32('Wikipedia').toString(16)).toBe('11e60398');
  });
});

describe('ranges', () => {
  test('parse and print the Mesos way (§2.1: "[31000-31099, 31101-32000]")', () => {
    expect(parseRanges('[31000-31099, 31101-32000]')).toEqual([
      { begin: 31000, end: 31099 },
      { begin: 31101, end: 32000 },
    ]);
    expect(parseRanges('[31000-31099,31101-32000]')).toEqual(parseRanges('[31000-31099, 31101-32000]'));
    expect(
      formatRanges([
        { begin: 31101, end: 32000 },
        { begin: 31000, end: 31099 },
      ]),
    ).toBe('[31000-31099, 31101-32000]');
    expect(formatRanges([{ begin: 80, end: 80 }])).toBe('[80-80]');
    expect(formatRanges([])).toBe('[]');
    expect(() => parseRanges('31000-32000')).toThrow();
    expect(() => parseRanges('[32000-31000]')).toThrow();
  });

  const rangesArb = fc.array(
    fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 50 })).map(([b, n]): Range => ({ begin: b, end: b + n })),
    { maxLength: 8 },
  );

  test('print → parse is the identity on coalesced ranges', () => {
    fc.assert(fc.property(rangesArb, (rs) => expect(parseRanges(formatRanges(rs))).toEqual(coalesceRanges(rs))));
  });

  test('subtraction keeps exactly the ports not taken', () => {
    fc.assert(
      fc.property(rangesArb, rangesArb, (a, b) => {
        const left = subtractRanges(a, b);
        const ports = (rs: Range[]) => new Set(rs.flatMap((r) => Array.from({ length: r.end - r.begin + 1 }, (_, i) => r.begin + i)));
        const pa = ports(coalesceRanges(a));
        const pb = ports(coalesceRanges(b));
        const expected = [...pa].filter((p) => !pb.has(p)).sort((x, y) => x - y);
        expect([...ports(left)].sort((x, y) => x - y)).toEqual(expected);
        expect(rangesSize(left)).toBe(expected.length);
      }),
    );
  });
});

describe('resources', () => {
  test('the model always has cpus, gpus, mem and disk; ranges print as strings (§2.1)', () => {
    expect(modelResources([])).toEqual({ cpus: 0, gpus: 0, mem: 0, disk: 0 });
    const m = modelResources(resourcesFromAmounts({ cpus: 0.1, mem: 32, ports: [31000, 31001, 31005] }));
    expect(m).toEqual({ cpus: 0.1, gpus: 0, mem: 32, disk: 0, ports: '[31000-31001, 31005-31005]' });
  });

  test('scalar sums keep three decimals (0.1 + 0.2 = 0.3)', () => {
    const sum = sumResources(resourcesFromAmounts({ cpus: 0.1 }), resourcesFromAmounts({ cpus: 0.2 }));
    expect(modelResources(sum)['cpus']).toBe(0.3);
  });

  test('protobuf-JSON in the ENDPOINT format: unreserved has role "*", reserved has role and reservations', () => {
    const total = agentTotalResources({
      hostname: 'h',
      resources: { cpus: 4, mem: 1024, ports: '[31000-31099]' },
      reserved: { public: { cpus: 1, ports: '[31000-31009]' } },
    });
    const protos = total.map(protoResource);
    expect(protos).toContainEqual({ name: 'cpus', type: 'SCALAR', scalar: { value: 3 }, role: '*' });
    expect(protos).toContainEqual({ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31010, end: 31099 }] }, role: '*' });
    expect(protos).toContainEqual({
      name: 'ports',
      type: 'RANGES',
      ranges: { range: [{ begin: 31000, end: 31009 }] },
      role: 'public',
      reservations: [{ type: 'STATIC', role: 'public' }],
    });
  });

  test('reservations must fit in the total', () => {
    expect(() => agentTotalResources({ hostname: 'h', resources: { cpus: 1, mem: 1 }, reserved: { r: { cpus: 2 } } })).toThrow(/exceed/);
    expect(() => agentTotalResources({ hostname: 'h', resources: { cpus: 1, mem: 1, ports: '[31000-31010]' }, reserved: { r: { ports: '[80-80]' } } })).toThrow(
      /exceed/,
    );
  });

  test('attributes parse as the agent parses --attributes (numbers are scalars)', () => {
    const attrs = [
      parseAttribute('rack', 'r1'),
      parseAttribute('zone', '2'),
      parseAttribute('ssd', 1),
      parseAttribute('r', '[1-3]'),
      parseAttribute('s', '{b,a}'),
    ];
    expect(modelAttributes(attrs)).toEqual({ rack: 'r1', zone: 2, ssd: 1, r: '[1-3]', s: '{a, b}' });
  });
});

describe("k8sm's pod arithmetic", () => {
  test('quantities', () => {
    expect(parseCpu('500m')).toBe(0.5);
    expect(parseCpu('2')).toBe(2);
    expect(parseMemoryBytes('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseMemoryBytes('1G')).toBe(1e9);
    expect(() => parseCpu('lots')).toThrow();
  });

  test('limits: default 0.25 CPU / 64 MB, request copied, minimum 0.01 CPU / 32 MB (§1.6)', () => {
    const pod: PodLike = {
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'none' },
          { name: 'req', resources: { requests: { cpu: '500m', memory: '128Mi' } } },
          { name: 'tiny', resources: { limits: { cpu: '1m', memory: '1Mi' } } },
        ],
      },
    };
    expect(podResourceLimits(pod)).toEqual({ cpus: 0.25 + 0.5 + 0.01, mem: 64 + 128 + 32 });
  });

  test('host ports: fixed ones kept, hostPort 0 gets the lowest free port under wildcard, ignored under fixed (§1.4)', () => {
    const containers = [{ name: 'web', ports: [{ containerPort: 80, hostPort: 31005 }, { containerPort: 8080 }, { containerPort: 9090, name: 'metrics' }] }];
    const free = (count: number, exclude: number[]) => [31000, 31001, 31002, 31003, 31005].filter((p) => !exclude.includes(p)).slice(0, count);
    const wild = assignHostPorts({ metadata: { name: 'p' }, spec: { containers } }, free);
    expect(wild.map((p) => [p.containerPort, p.hostPort])).toEqual([
      [80, 31005],
      [8080, 31000],
      [9090, 31001],
    ]);
    const fixed = assignHostPorts({ metadata: { name: 'p', labels: { 'k8s.mesosphere.io/portMapping': 'fixed' } }, spec: { containers } }, free);
    expect(fixed.map((p) => p.hostPort)).toEqual([31005]);
    expect(() =>
      assignHostPorts(
        {
          metadata: { name: 'p' },
          spec: {
            containers: [
              { name: 'a', ports: [{ containerPort: 1, hostPort: 9 }] },
              { name: 'b', ports: [{ containerPort: 2, hostPort: 9 }] },
            ],
          },
        },
        free,
      ),
    ).toThrow(/Host port 9 is specified/);
  });
});

describe('agent resource accounting (ClusterState)', () => {
  // The allocator reads each agent's free resources from a cached sum of what its tasks and executors
  // use, which a launch grows in place and an end makes be summed again. Whatever the order of
  // launches, statuses and ends, it must equal a sum made from scratch.
  type Op =
    | { kind: 'executor'; cpus: number; mem: number }
    | { kind: 'task'; cpus: number; mem: number; ports: number[]; onExecutor: boolean }
    | { kind: 'status'; pick: number; state: 'TASK_STARTING' | 'TASK_RUNNING' | 'TASK_FINISHED' | 'TASK_KILLED' }
    | { kind: 'seeded'; cpus: number; states: Array<'TASK_RUNNING' | 'TASK_FAILED' | 'TASK_FINISHED'> }
    | { kind: 'offer'; cpus: number; mem: number }
    | { kind: 'shutdown'; pick: number };
  const amount = (max: number): fc.Arbitrary<number> => fc.integer({ min: 1, max }).map((n) => n / 10);
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('executor' as const), cpus: amount(5), mem: fc.integer({ min: 1, max: 256 }) }),
    fc.record({
      kind: fc.constant('task' as const),
      cpus: amount(5),
      mem: fc.integer({ min: 1, max: 256 }),
      ports: fc.uniqueArray(fc.integer({ min: 31000, max: 31019 }), { maxLength: 2 }),
      onExecutor: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('status' as const),
      pick: fc.nat(),
      state: fc.constantFrom('TASK_STARTING' as const, 'TASK_RUNNING' as const, 'TASK_FINISHED' as const, 'TASK_KILLED' as const),
    }),
    // A task seeded with a status history, possibly terminal and then live again (a seed may say anything).
    fc.record({
      kind: fc.constant('seeded' as const),
      cpus: amount(5),
      states: fc.array(fc.constantFrom('TASK_RUNNING' as const, 'TASK_FAILED' as const, 'TASK_FINISHED' as const), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('offer' as const), cpus: amount(5), mem: fc.integer({ min: 1, max: 256 }) }),
    fc.record({ kind: fc.constant('shutdown' as const), pick: fc.nat() }),
  );

  test('the free resources the allocator reads equal a fresh sum after any launches, statuses, offers and ends', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const state = new ClusterState({ version: '1.8.0', idPrefix: 'm1', now: () => 1 });
        const a = state.addAgent({ hostname: 'h1', resources: { cpus: 8, mem: 4096, ports: '[31000-31019]' } }, { ip: '127.0.0.2', port: 5051 });
        const f = state.addFramework({ name: 'k8sm', role: '*' });
        // An allocator that reads the free resources on every status (between a seed's statuses too).
        state.statusListeners.push(() => void state.freeResources(a.id));
        const model = (): Record<string, unknown> => {
          const parts = [
            ...state.liveTasks({ agentId: a.id }).map((t) => t.resources),
            ...state.executors
              .where({ agentId: a.id })
              .filter((e) => !e.completed)
              .map((e) => e.resources),
            ...state.offersOf({ agentId: a.id }).map((o) => o.resources),
          ];
          const used = modelResources(sumResources(...parts));
          const total = modelResources(a.total);
          const free = modelResources(state.freeResources(a.id));
          return {
            cpus: free['cpus'],
            mem: free['mem'],
            usedCpus: roundTo3((total['cpus'] as number) - (used['cpus'] as number)),
            usedMem: (total['mem'] as number) - (used['mem'] as number),
            freePorts: free['ports'] ?? '',
            usedPorts: used['ports'] ?? '',
          };
        };
        let executors = 0;
        for (const o of ops) {
          try {
            if (o.kind === 'executor') {
              state.addExecutor({ frameworkId: f.id, agentId: a.id, id: `e${executors++}`, resources: { cpus: o.cpus, mem: o.mem } });
            } else if (o.kind === 'task') {
              const live = state.executors.where({ agentId: a.id }).filter((e) => !e.completed);
              const e = o.onExecutor ? live[0] : undefined;
              state.addTask({
                frameworkId: f.id,
                agentId: a.id,
                ...(e ? { executorId: e.id } : {}),
                state: 'TASK_STAGING',
                resources: { cpus: o.cpus, mem: o.mem, ...(o.ports.length ? { ports: o.ports } : {}) },
              });
            } else if (o.kind === 'status') {
              const live = state.liveTasks({ agentId: a.id });
              const t = live[o.pick % Math.max(1, live.length)];
              if (t) state.updateTask(t.id, { state: o.state, source: 'SOURCE_EXECUTOR' });
            } else if (o.kind === 'seeded') {
              state.addTask({ frameworkId: f.id, agentId: a.id, resources: { cpus: o.cpus, mem: 16 }, statuses: o.states.map((st) => ({ state: st })) });
            } else if (o.kind === 'offer') {
              state.addOffer({ frameworkId: f.id, agentId: a.id, resources: { cpus: o.cpus, mem: o.mem } });
            } else {
              const live = state.executors.where({ agentId: a.id }).filter((e) => !e.completed);
              const e = live[o.pick % Math.max(1, live.length)];
              if (e) state.shutdownExecutor(a.id, e.id, { frameworkId: f.id });
            }
          } catch (err) {
            // An agent that has not the resources left refuses, as a master would: nothing changes.
            if (!(err instanceof SimError)) throw err;
          }
          const m = model();
          expect(m['cpus']).toBe(m['usedCpus']);
          expect(m['mem']).toBe(m['usedMem']);
          // Ports: what is free and what is used never overlap and together make the agent's range.
          const freePorts = String(m['freePorts']) ? parseRanges(String(m['freePorts'])) : [];
          const usedPorts = String(m['usedPorts']) ? parseRanges(String(m['usedPorts'])) : [];
          expect(rangesSize(freePorts) + rangesSize(usedPorts)).toBe(20);
          expect(subtractRanges(freePorts, usedPorts)).toEqual(freePorts);
        }
      }),
      { numRuns: 300 },
    );
  });
});

function roundTo3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
