/**
 * `scheduler run --leader-elect` in-process (its HTTP endpoints listen on a free port), with the
 * fake Mesos client, apiserver port and Lease store (no other server): a candidate
 * never subscribes while another holds the Lease; a leader subscribes, and on a signal stops and
 * releases the Lease (exit 0); a leader whose apiserver stops answering stops the loop before the
 * renew deadline has passed, leaves the framework registered and exits 1.
 */
import { k8smctl } from '../cmd/harness.js';
import { fakeFactory } from '../cmd/fakes.js';
import { FakeSchedulerClient, FakeSchedulerKube } from '../cmd/scheduler-fakes.js';
import { FakeLeaseStore } from '../cmd/lease-fakes.js';
import type { Factory } from '../../src/lib/factory.js';
import type { SchedulerApi } from '../../src/clients/mesos/scheduler-api.js';
import { microTime } from '../../src/core/scheduler/lease.js';

const BASE = ['scheduler', 'run', '--mesos-master', 'http://127.0.0.1:5050', '--port', '0', '--km-path', 'file:///opt/k8sm/km'];
const FAST = ['--leader-elect', '--leader-elect-lease-duration', '2s', '--leader-elect-renew-deadline', '1s', '--leader-elect-retry-period', '100ms'];
const LEASE = 'kube-system/k8sm-scheduler-kubernetes';

/** Polls `pred` until it holds; fails with the command's output if the command ends first. */
async function until(pred: () => boolean, run: Promise<{ code: number; stderr: string }>, what: string): Promise<void> {
  let ended: { code: number; stderr: string } | undefined;
  void run.then((r) => (ended = r));
  for (let i = 0; i < 3000 && !pred(); i++) {
    if (ended) throw new Error(`the command ended (exit ${ended.code}) before ${what}: ${ended.stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!pred()) throw new Error(`timed out waiting for ${what}`);
}

function world() {
  const asked: string[] = [];
  const store = new FakeLeaseStore();
  class Kube extends FakeSchedulerKube {
    readonly leases = store;
  }
  const kube = new Kube();
  const client = new FakeSchedulerClient('fw-ha');
  const ctl = new AbortController();
  const f = fakeFactory({ signal: ctl.signal });
  const factory: Factory = {
    ...f,
    signal: ctl.signal,
    schedulerClient: () => {
      asked.push('mesos');
      return Promise.resolve(Object.assign(client, { close: () => undefined }) as SchedulerApi);
    },
    schedulerKube: () => {
      asked.push('kube');
      return Promise.resolve(kube);
    },
  };
  return { asked, store, kube, client, ctl, factory };
}

describe('scheduler run --leader-elect', () => {
  it('waits while another scheduler holds the Lease, never subscribing, and stops on a signal', async () => {
    const w = world();
    // An hour-long Lease: it does not expire during the test.
    w.store.put('kube-system', 'k8sm-scheduler-kubernetes', {
      holderIdentity: 'other-host_1234',
      leaseDurationSeconds: 3600,
      acquireTime: microTime(0),
      renewTime: microTime(0),
      leaseTransitions: 0,
    });
    const run = k8smctl([...BASE, ...FAST], { factory: w.factory });
    await until(() => w.store.requests.filter((r) => r.op === 'get').length >= 3, run, 'three reads of the Lease');
    w.ctl.abort('SIGTERM');
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`waiting for the lease lease="${LEASE}" holder="other-host_1234"`);
    expect(r.stderr.match(/waiting for the lease/g)).toHaveLength(1);
    expect(w.asked).toEqual(['kube']);
    expect(w.client.subscriptions).toHaveLength(0);
    expect(w.store.requests.every((q) => q.op === 'get')).toBe(true);
  }, 60_000);

  it('takes an absent Lease, subscribes, and on a signal stops the loop and releases the Lease', async () => {
    const w = world();
    const run = k8smctl([...BASE, ...FAST, '--framework-name', 'HA Test'], { factory: w.factory });
    await until(() => w.client.subscriptions.length === 1, run, 'the subscription');
    const lease = w.store.get('kube-system', 'k8sm-scheduler-ha-test')!;
    // Dated by the factory's (wall) clock; the decisions run on a monotonic one.
    expect(lease.spec).toMatchObject({ leaseDurationSeconds: 2, leaseTransitions: 0, renewTime: '2026-01-01T00:00:00.000000Z' });
    expect(lease.spec.holderIdentity).toMatch(/^.+_[0-9a-f-]{36}$/);
    w.ctl.abort('SIGTERM');
    const r = await run;
    expect(r.code).toBe(0);
    expect(w.store.get('kube-system', 'k8sm-scheduler-ha-test')!.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(r.stderr).toMatch(/acquired the lease[\s\S]*subscribed[\s\S]*released the lease/);
    expect(w.client.session.closed).toBe(true);
    expect(w.client.calls.map((c) => c.type)).not.toContain('TEARDOWN');
  }, 60_000);

  it('stops the loop and exits 1 when the Lease cannot be renewed before the deadline, leaving the framework registered', async () => {
    const w = world();
    const run = k8smctl([...BASE, ...FAST], { factory: w.factory });
    await until(() => w.client.subscriptions.length === 1, run, 'the subscription');
    w.store.hang = true;
    const r = await run;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: lost the lease ${LEASE} (no answer from the apiserver before the renew deadline): exiting so that a supervisor restarts this process`,
    );
    expect(r.stderr).toMatch(/leaving the framework registered for failover/);
    expect(w.client.session.closed).toBe(true);
    expect(w.client.calls.map((c) => c.type)).not.toContain('TEARDOWN');
    expect(w.store.get('kube-system', 'k8sm-scheduler-kubernetes')!.spec.holderIdentity).not.toBe('');
  }, 60_000);
});
