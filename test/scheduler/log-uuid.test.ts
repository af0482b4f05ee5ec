import { createLogger } from '../../src/scheduler/log.js';
import { uuidV1Factory } from '../../src/scheduler/uuid.js';

const T = Date.parse('2026-12-01T23:22:41.123Z');

describe('kube-style logs', () => {
  it('writes klog text headers and honours -v', () => {
    const out: string[] = [];
    const log = createLogger({ write: (s: string) => out.push(s) }, 2, 'text', () => T, 42);
    log.info(2, 'launched', { pod: 'ns/web', n: 3 });
    log.info(3, 'too verbose');
    log.warn('call failed', { type: 'DECLINE' });
    expect(out).toEqual([
      'I1201 23:22:41.123000      42 scheduler] launched pod="ns/web" n=3\n',
      'W1201 23:22:41.123000      42 scheduler] call failed type="DECLINE"\n',
    ]);
    expect(log.enabled(2)).toBe(true);
    expect(log.enabled(3)).toBe(false);
  });

  it('writes one JSON object per line with --log-format json', () => {
    const out: string[] = [];
    createLogger({ write: (s: string) => out.push(s) }, 0, 'json', () => T, 1).error('the master ended the framework', { error: 'x' });
    expect(JSON.parse(out[0]!)).toEqual({ ts: T / 1000, level: 'error', v: 0, msg: 'the master ended the framework', error: 'x' });
  });
});

describe('task ids (time-based UUIDs, as k8sm)', () => {
  it('are version 1 UUIDs with the time of creation, distinct within one millisecond', () => {
    const make = uuidV1Factory(() => T);
    const a = make();
    const b = make();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    const [low, mid, high] = a.split('-') as [string, string, string];
    const ticks = (BigInt(`0x${high.slice(1)}`) << 48n) | (BigInt(`0x${mid}`) << 32n) | BigInt(`0x${low}`);
    expect(Number(ticks / 10_000n) - 12_219_292_800_000).toBe(T);
  });
});
