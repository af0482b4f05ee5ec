import { agentHasName, agentNames, agentPort, hostAndPort, lookupAgent, resolveAgentNames } from '../../../src/core/views/agent-names.js';

const a = (id: string, hostname: string, pid: string, port?: number) => ({ id, hostname, pid, ...(port !== undefined ? { port } : {}) });

describe('agent names', () => {
  test('the port comes from the pid, else the port field; IPv6 hosts are bracketed', () => {
    expect(agentPort(a('S1', 'h', 'slave(1)@10.0.0.1:5052'))).toBe(5052);
    expect(agentPort(a('S1', 'h', '', 5053))).toBe(5053);
    expect(agentPort(a('S1', 'h', ''))).toBeUndefined();
    expect(hostAndPort(a('S1', '2001:db8::1', 'slave(1)@[2001:db8::1]:5051'))).toBe('[2001:db8::1]:5051');
    expect(hostAndPort(a('S1', 'h', ''))).toBe('h');
  });

  test('hostname when unique, hostname:port when shared, the id when even that is shared', () => {
    const names = agentNames([
      a('S1', 'one', 'slave(1)@10.0.0.1:5051'),
      a('S2', 'twin', 'slave(1)@10.0.0.2:5051'),
      a('S3', 'twin', 'slave(1)@10.0.0.2:5052'),
      a('S4', 'same', 'slave(1)@10.0.0.3:5051'),
      a('S5', 'same', 'slave(1)@10.0.0.4:5051'),
    ]);
    expect([...names.values()]).toEqual(['one', 'twin:5051', 'twin:5052', 'S4', 'S5']);
    expect(new Set(names.values()).size).toBe(5);
  });

  test('an agent answers to its hostname, its id and hostname:port', () => {
    const x = a('S1', 'h', 'slave(1)@10.0.0.1:5051');
    expect(['h', 'S1', 'h:5051'].map((n) => agentHasName(x, n))).toEqual([true, true, true]);
    expect(agentHasName(x, 'h:5052')).toBe(false);
  });

  test('resolving every name first: ambiguous and unknown names are problems, and nothing else is chosen for them', () => {
    const agents = [a('S1', 'h', 'slave(1)@10.0.0.1:5051'), a('S2', 'h', 'slave(1)@10.0.0.1:5052'), a('S3', 'k', 'slave(1)@10.0.0.2:5051')];
    const r = resolveAgentNames(agents, ['h', 'k', 'h:5052', 'nope']);
    expect(r.agents.map((x) => x.id)).toEqual(['S3', 'S2']);
    expect(r.problems).toEqual([
      { name: 'h', candidates: ['h:5051 (S1)', 'h:5052 (S2)'] },
      { name: 'nope', candidates: [] },
    ]);
    expect(lookupAgent(agents, 'k').agent?.id).toBe('S3');
  });
});
