import { offerIncompatibility, parseOffer } from '../../../src/core/scheduler/offers.js';
import { nodeLabelsOf } from '../../../src/core/k8sm/node-labels.js';
import { offerJson } from './helpers.js';

describe('offers', () => {
  it('reads resources per role, attributes and executor ids of a v1 offer', () => {
    const o = parseOffer(
      offerJson({
        id: 'o1',
        host: 'h1',
        roles: { '*': { cpus: 1, mem: 512, ports: '[31000-31004]' }, public: { cpus: 2, ports: '[80-80]' } },
        attributes: { rack: 'r1', size: 3 },
        executorIds: ['e1'],
      }),
    )!;
    expect(o.cpus).toEqual({ '*': 1, public: 2 });
    expect(o.mem).toEqual({ '*': 512 });
    expect(o.ports).toEqual({ '*': [{ begin: 31000, end: 31004 }], public: [{ begin: 80, end: 80 }] });
    expect(o.attributes).toEqual({ rack: 'r1', size: 3 });
    expect(o.executorIds).toEqual(['e1']);
    expect(parseOffer({ id: { value: 'x' } })).toBeUndefined();
  });

  it('reads the refined reservations form (last reservation wins)', () => {
    const o = parseOffer({
      id: { value: 'o' },
      agent_id: { value: 'a' },
      hostname: 'h',
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, reservations: [{ type: 'STATIC', role: 'public' }] }],
    })!;
    expect(o.cpus).toEqual({ public: 2 });
  });

  it('declines as k8sm does: no Node, stale attribute labels, several executors, another executor id', () => {
    const o = parseOffer(offerJson({ id: 'o1', host: 'h1', attributes: { rack: 'r1' } }))!;
    const labels = nodeLabelsOf('h1', { rack: 'r1' });
    expect(offerIncompatibility(o, 'mine', labels)).toBeUndefined();
    expect(offerIncompatibility(o, 'mine', undefined)?.id).toBe('node-missing');
    expect(offerIncompatibility(o, 'mine', { ...labels, 'k8s.mesosphere.io/attribute-rack': 'r2' })?.id).toBe('node-attributes-stale');
    expect(offerIncompatibility({ ...o, executorIds: ['mine', 'old'] }, 'mine', labels)?.id).toBe('several-executors');
    const other = offerIncompatibility({ ...o, executorIds: ['old_k8sm-executor'] }, 'mine', labels);
    expect(other?.id).toBe('executor-incompatible');
    expect(other?.message).toContain('old_k8sm-executor');
    expect(offerIncompatibility({ ...o, executorIds: ['mine'] }, 'mine', labels)).toBeUndefined();
  });
});
