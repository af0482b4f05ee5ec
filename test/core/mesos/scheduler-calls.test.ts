import {
  MAX_REFUSE_SECONDS,
  acceptCall,
  acknowledgeCall,
  declineCall,
  killCall,
  messageCall,
  needsAcknowledge,
  reconcileCall,
  reviveCall,
  shutdownCall,
  suppressCall,
  teardownCall,
} from '../../../src/core/mesos/scheduler-calls.js';

describe('v1 scheduler call builders (reference §2.6)', () => {
  it('ACCEPT carries one LAUNCH of the task infos and the refusal filter; none launches nothing', () => {
    const task = { name: 'web.default.pod', task_id: { value: 'pod.1' } };
    expect(acceptCall(['o1', 'o2'], [task], 5)).toEqual({
      type: 'ACCEPT',
      accept: {
        offer_ids: [{ value: 'o1' }, { value: 'o2' }],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }],
        filters: { refuse_seconds: 5 },
      },
    });
    expect(acceptCall(['o1'], [])).toEqual({ type: 'ACCEPT', accept: { offer_ids: [{ value: 'o1' }], operations: [] } });
    expect(() => acceptCall([], [task])).toThrow('ACCEPT needs at least one offer id');
  });

  it('DECLINE caps refuse_seconds at 365 days and refuses negative or non-finite values', () => {
    expect(declineCall(['o1'], 10 ** 12)).toEqual({
      type: 'DECLINE',
      decline: { offer_ids: [{ value: 'o1' }], filters: { refuse_seconds: MAX_REFUSE_SECONDS } },
    });
    expect(declineCall(['o1'])).toEqual({ type: 'DECLINE', decline: { offer_ids: [{ value: 'o1' }] } });
    expect(() => declineCall(['o1'], -1)).toThrow('refuse_seconds must be a non-negative number, not -1');
    expect(() => declineCall(['o1'], Number.NaN)).toThrow('refuse_seconds must be a non-negative number');
  });

  it('SUPPRESS and REVIVE name roles, or none for all', () => {
    expect(suppressCall()).toEqual({ type: 'SUPPRESS' });
    expect(suppressCall(['a', 'b'])).toEqual({ type: 'SUPPRESS', suppress: { roles: ['a', 'b'] } });
    expect(reviveCall()).toEqual({ type: 'REVIVE' });
    expect(reviveCall(['*'])).toEqual({ type: 'REVIVE', revive: { roles: ['*'] } });
  });

  it('ACKNOWLEDGE only a status with a uuid and an agent id', () => {
    const status = { task_id: { value: 't' }, agent_id: { value: 'a' }, uuid: 'AAEC', state: 'TASK_RUNNING' };
    expect(needsAcknowledge(status)).toBe(true);
    expect(acknowledgeCall(status)).toEqual({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'AAEC' } });
    const reconciliation = { task_id: { value: 't' }, agent_id: { value: 'a' }, state: 'TASK_RUNNING', reason: 'REASON_RECONCILIATION' };
    expect(needsAcknowledge(reconciliation)).toBe(false);
    expect(() => acknowledgeCall(reconciliation)).toThrow('status of task t (TASK_RUNNING) has no uuid: it must not be acknowledged');
    expect(() => acknowledgeCall({ task_id: { value: 't' }, uuid: 'AAEC' })).toThrow('status of task t has no agent id: it cannot be acknowledged');
  });

  it('RECONCILE explicit names tasks (with agents when known); implicit names none', () => {
    expect(reconcileCall([{ taskId: 't1', agentId: 'a1' }, { taskId: 't2' }])).toEqual({
      type: 'RECONCILE',
      reconcile: { tasks: [{ task_id: { value: 't1' }, agent_id: { value: 'a1' } }, { task_id: { value: 't2' } }] },
    });
    expect(reconcileCall()).toEqual({ type: 'RECONCILE', reconcile: { tasks: [] } });
  });

  it('KILL, SHUTDOWN, TEARDOWN and MESSAGE (data base64 of its UTF-8 bytes)', () => {
    expect(killCall('t1', 'a1', 2.5)).toEqual({
      type: 'KILL',
      kill: { task_id: { value: 't1' }, agent_id: { value: 'a1' }, kill_policy: { grace_period: { nanoseconds: 2_500_000_000 } } },
    });
    expect(killCall('t1')).toEqual({ type: 'KILL', kill: { task_id: { value: 't1' } } });
    expect(shutdownCall('e1', 'a1')).toEqual({ type: 'SHUTDOWN', shutdown: { executor_id: { value: 'e1' }, agent_id: { value: 'a1' } } });
    expect(teardownCall()).toEqual({ type: 'TEARDOWN' });
    const m = messageCall('a1', 'e1', 'task-lost:pod.1 é');
    expect(m).toEqual({ type: 'MESSAGE', message: { agent_id: { value: 'a1' }, executor_id: { value: 'e1' }, data: expect.any(String) } });
    expect(Buffer.from((m['message'] as { data: string }).data, 'base64').toString('utf8')).toBe('task-lost:pod.1 é');
  });
});
