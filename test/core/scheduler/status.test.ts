import { afterFailure, mayTry, MAX_POD_BACKOFF_MS } from '../../../src/core/scheduler/backoff.js';
import { decideStatus, shouldAcknowledge, type TaskRecordLike } from '../../../src/core/scheduler/status.js';

const launched: TaskRecordLike = { phase: 'launched', deleted: false };
const running: TaskRecordLike = { phase: 'running', deleted: false };

describe('status updates (§1.11)', () => {
  it('acknowledges exactly the statuses with a uuid', () => {
    expect(shouldAcknowledge({ uuid: 'AAEC' })).toBe(true);
    expect(shouldAcknowledge({})).toBe(false);
    expect(shouldAcknowledge({ uuid: '' })).toBe(false);
    expect(decideStatus({ state: 'TASK_RUNNING', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' }, running, true).ack).toBe(false);
  });

  it('moves launched → bound → running', () => {
    expect(decideStatus({ state: 'TASK_STARTING', uuid: 'u' }, launched, true).next).toBe('bound');
    expect(decideStatus({ state: 'TASK_RUNNING', uuid: 'u' }, launched, true).next).toBe('running');
    expect(decideStatus({ state: 'TASK_STAGING', uuid: 'u' }, launched, true).next).toBe('keep');
  });

  it('requeues a pod whose launch failed before binding, forgets one that failed later', () => {
    expect(decideStatus({ state: 'TASK_FAILED', uuid: 'u' }, launched, true)).toMatchObject({ next: 'forget', requeue: true });
    expect(decideStatus({ state: 'TASK_ERROR', reason: 'REASON_INVALID_OFFERS' }, launched, true)).toMatchObject({ next: 'forget', requeue: true });
    expect(decideStatus({ state: 'TASK_FAILED', uuid: 'u' }, running, true).requeue).toBeUndefined();
  });

  it('deletes rogue pods as k8sm does', () => {
    const d = (s: Parameters<typeof decideStatus>[0], t = running) => decideStatus(s, t, true);
    expect(d({ state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' }).deletePod).toBe(true);
    expect(d({ state: 'TASK_LOST', source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_TERMINATED', uuid: 'u' }).deletePod).toBe(true);
    expect(d({ state: 'TASK_KILLED', source: 'SOURCE_SLAVE', reason: 'REASON_EXECUTOR_UNREGISTERED' }).deletePod).toBe(true);
    expect(d({ state: 'TASK_LOST', source: 'SOURCE_EXECUTOR', message: 'containers-disappeared', uuid: 'u' }).deletePod).toBe(true);
    expect(d({ state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'task-killed', uuid: 'u' }).deletePod).toBe(true);
    // killed because the pod was deleted: nothing to delete
    expect(
      d({ state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'task-killed', uuid: 'u' }, { phase: 'running', deleted: true }).deletePod,
    ).toBeUndefined();
    expect(d({ state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED' })).toMatchObject({ tellExecutorLost: true });
  });

  it('kills an unknown live task unless a pod names it; adopts it when one does', () => {
    expect(decideStatus({ state: 'TASK_RUNNING', uuid: 'u' }, undefined, false)).toMatchObject({ kill: true, ack: true });
    expect(decideStatus({ state: 'TASK_RUNNING', uuid: 'u' }, undefined, true)).toMatchObject({ adopt: true, next: 'running' });
    expect(decideStatus({ state: 'TASK_STAGING', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' }, undefined, false).kill).toBeUndefined();
    expect(decideStatus({ state: 'TASK_KILLED', uuid: 'u' }, undefined, false)).toEqual({ ack: true, next: 'keep' });
  });
});

describe('per-pod backoff', () => {
  it('doubles from 1 s up to 60 s', () => {
    let b = afterFailure(undefined, 0);
    const delays = [b.delayMs];
    for (let i = 0; i < 8; i++) delays.push((b = afterFailure(b, 0)).delayMs);
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(MAX_POD_BACKOFF_MS).toBe(60000);
  });

  it('lets a pod try again when its wait is over, or at once when a new offer arrived', () => {
    const b = afterFailure(afterFailure(undefined, 0), 10_000); // 2 s from 10 s
    expect(mayTry(b, 11_000, 5_000)).toBe(false);
    expect(mayTry(b, 12_000, 5_000)).toBe(true);
    expect(mayTry(b, 10_500, 10_400)).toBe(true);
    expect(mayTry(undefined, 0, 0)).toBe(true);
  });

  it('after a failed launch, only the wait lets a pod try again: a new offer does not cut it short', () => {
    const b = afterFailure(afterFailure(undefined, 0, true), 10_000, true); // 2 s from 10 s
    expect(b.launchFailed).toBe(true);
    expect(mayTry(b, 10_500, 10_400)).toBe(false);
    expect(mayTry(b, 11_999, 11_900)).toBe(false);
    expect(mayTry(b, 12_000, 5_000)).toBe(true);
  });
});
