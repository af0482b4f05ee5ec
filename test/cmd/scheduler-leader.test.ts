/**
 * `scheduler run --leader-elect` in-process: bad lease flags are one-line usage errors (exit 2)
 * before anything connects. (The runs open the HTTP endpoints' socket: they are in
 * test/integration/scheduler-leader-run.test.ts, and against the real apiserver in
 * test/e2e/scheduler-leader.test.ts.)
 */
import { k8smctl } from './harness.js';
import { fakeFactory } from './fakes.js';
import type { Factory } from '../../src/lib/factory.js';

const BASE = ['scheduler', 'run', '--mesos-master', 'http://127.0.0.1:5050', '--port', '0'];

function world() {
  const asked: string[] = [];
  const f = fakeFactory();
  const factory: Factory = {
    ...f,
    schedulerClient: () => {
      asked.push('mesos');
      return Promise.reject(new Error('must not connect'));
    },
    schedulerKube: () => {
      asked.push('kube');
      return Promise.reject(new Error('must not connect'));
    },
  };
  return { asked, factory };
}

describe('scheduler run --leader-elect: usage errors before connecting', () => {
  it.each([
    [['--leader-elect-lease-duration', 'long'], /--leader-elect-lease-duration/],
    [['--leader-elect-lease-duration', '1500ms'], /--leader-elect-lease-duration must be a whole number of seconds/],
    [['--leader-elect-renew-deadline', '15s'], /--leader-elect-renew-deadline \(15s\) must be less than --leader-elect-lease-duration \(15s\)/],
    [['--leader-elect-retry-period', '9s'], /--leader-elect-renew-deadline \(10s\) must be greater than 1.2 x --leader-elect-retry-period \(9s\)/],
    [['--leader-elect-retry-period', '0s'], /--leader-elect-retry-period must be greater than 0/],
    [['--leader-elect-resource-namespace', 'Kube_System'], /--leader-elect-resource-namespace "Kube_System" is not a namespace name/],
    [['--leader-elect-resource-name', 'My Lease'], /--leader-elect-resource-name "My Lease" is not a Lease name/],
    [['--teardown-on-exit'], /--teardown-on-exit cannot be used with --leader-elect/],
  ])('%j', async (args, message) => {
    const w = world();
    const r = await k8smctl([...BASE, '--leader-elect', ...args], { factory: w.factory });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(w.asked).toEqual([]);
  });
});
