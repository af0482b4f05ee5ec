import { container, live, pod, run } from './fixtures.js';

// A DC/OS-like cluster (captures state2.json, bad-state-gaal.json): the master's own agent reserved to
// agent_master, a public agent all reserved to slave_public, a private agent unreserved.
describe('host-port-not-offered on agents whose ports are all reserved to other roles', () => {
  const r = (begin: number, end: number) => ({ begin, end });
  const model = live([
    { name: '10.0.5.163', ports: '[5000-6000]', portsByRole: { agent_master: [r(5000, 6000)] } },
    { name: '10.0.4.192', ports: '[1-21, 23-5050, 5052-32000]', portsByRole: { slave_public: [r(1, 21), r(23, 5050), r(5052, 32000)] } },
    { name: '10.0.2.234', ports: '[1025-2180, 2182-32000]' },
  ]);

  it('says which role holds them instead of printing []', () => {
    const [f] = run('host-port-not-offered', [pod({ containers: [container({ ports: [{ containerPort: 80, hostPort: 2181 }] })] })], model);
    expect(f!.message).not.toContain('[] on');
    expect(f!.message).toContain('no ports for role * (reserved: [5000-6000] to agent_master) on 10.0.5.163');
    expect(f!.message).toContain('no ports for role * (reserved: [1-21, 23-5050, 5052-32000] to slave_public) on 10.0.4.192');
    expect(f!.message).toContain('[1025-2180, 2182-32000] on 10.0.2.234');
  });
});
