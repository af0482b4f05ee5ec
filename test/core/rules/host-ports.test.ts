import { container, deployment, live, offline, pod, res, run } from './fixtures.js';

const HP = (ci: number, pi: number) => ['spec', 'template', 'spec', 'containers', ci, 'ports', pi, 'hostPort'];

describe('host-port-not-offered', () => {
  it('passes host ports inside the offered range', () => {
    const d = deployment({ containers: [container({ ports: [{ containerPort: 80, hostPort: 31080 }] })] });
    expect(run('host-port-not-offered', [d])).toEqual([]);
  });

  it('errors on a host port outside the range, naming port, container and ranges', () => {
    const d = deployment({ containers: [container({ name: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 443 }] })] });
    const [f, ...rest] = run('host-port-not-offered', [d]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'host-port-not-offered',
      severity: 'error',
      kind: 'Deployment',
      name: 'web',
      namespace: 'shop',
      container: 'nginx',
      port: 443,
      path: HP(0, 1),
    });
    expect(f!.message).toContain('hostPort 443');
    expect(f!.message).toContain('[31000-32000]');
    expect(f!.message).toContain('Pending');
  });

  it('treats the gap between two ranges as not offered', () => {
    const p = pod({ containers: [container({ ports: [{ containerPort: 80, hostPort: 31100 }] })] });
    const fs = run('host-port-not-offered', [p], offline({ ports: '[31000-31099, 31101-32000]' }));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.path).toEqual(['spec', 'containers', 0, 'ports', 0, 'hostPort']);
    expect(fs[0]!.message).toContain('[31000-31099, 31101-32000]');
  });

  it('ignores hostPort 0 and absent host ports', () => {
    const p = pod({ containers: [container({ ports: [{ containerPort: 80, hostPort: 0 }, { containerPort: 81 }] })] });
    expect(run('host-port-not-offered', [p], offline({ ports: '[31000-31000]' }))).toEqual([]);
  });

  it('suggests dropping the hostPort rather than hostPort 0 under fixed mapping', () => {
    const p = pod({ containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] }, { labels: { 'k8s.mesosphere.io/portMapping': 'fixed' } });
    expect(run('host-port-not-offered', [p])[0]!.message).toContain('pod-private');
  });

  it('live: fine when some agent offers the port, error naming every agent group when none does', () => {
    const model = live([
      { name: 'a1', ports: '[31000-32000]' },
      { name: 'a2', ports: '[31000-32000]' },
      { name: 'edge', ports: '[80-80, 443-443]' },
    ]);
    const ok = pod({ containers: [container({ ports: [{ containerPort: 443, hostPort: 443 }] })] });
    expect(run('host-port-not-offered', [ok], model)).toEqual([]);
    const bad = pod({ containers: [container({ ports: [{ containerPort: 8443, hostPort: 8443 }] })] });
    const [f] = run('host-port-not-offered', [bad], model);
    expect(f!.message).toContain('no agent offers it');
    expect(f!.message).toContain('[31000-32000] on 2 agents');
    expect(f!.message).toContain('[80-80, 443-443] on edge');
  });

  it('live: only ports of the pod roles count', () => {
    const model = live([{ name: 'a1', ports: '[31000-32000]', portsByRole: { '*': [{ begin: 31000, end: 31500 }], public: [{ begin: 31501, end: 32000 }] } }], {
      frameworkRoles: ['*', 'public'],
    });
    const p = pod({ containers: [container({ ports: [{ containerPort: 80, hostPort: 31800 }] })] });
    expect(run('host-port-not-offered', [p], model)).toHaveLength(1);
    const withRole = pod(
      { containers: [container({ ports: [{ containerPort: 80, hostPort: 31800 }] })] },
      { annotations: { 'k8s.mesosphere.io/roles': 'public,*' } },
    );
    expect(run('host-port-not-offered', [withRole], model)).toEqual([]);
  });

  it('points inside List items', () => {
    const d = res(deployment({ containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] }), { basePath: ['items', 2], docIndex: 1 });
    const [f] = run('host-port-not-offered', [d]);
    expect(f).toMatchObject({ docIndex: 1, path: ['items', 2, ...HP(0, 0)] });
  });
});

describe('duplicate-host-port', () => {
  it('passes distinct host ports', () => {
    const p = pod({
      containers: [
        container({
          ports: [
            { containerPort: 53, hostPort: 31053, protocol: 'UDP' },
            { containerPort: 54, hostPort: 31054 },
          ],
        }),
      ],
    });
    expect(run('duplicate-host-port', [p])).toEqual([]);
  });

  it('errors on the same hostPort in two containers, pointing at the second', () => {
    const p = pod({
      containers: [
        container({ name: 'app', ports: [{ containerPort: 8080, hostPort: 31080, name: 'http' }] }),
        container({ name: 'sidecar', ports: [{ containerPort: 9090, hostPort: 31080 }] }),
      ],
    });
    const [f, ...rest] = run('duplicate-host-port', [p]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', container: 'sidecar', port: 31080, path: ['spec', 'containers', 1, 'ports', 0, 'hostPort'] });
    expect(f!.message).toContain('container "app"');
    expect(f!.message).toContain('hostPort 31080 is declared twice');
  });

  it('keys by number only, as k8sm does: TCP and UDP on the same host port collide, and the message says so', () => {
    const p = pod({
      containers: [
        container({
          name: 'dns',
          ports: [
            { containerPort: 53, hostPort: 31053, protocol: 'TCP' },
            { containerPort: 53, hostPort: 31053, protocol: 'UDP' },
          ],
        }),
      ],
    });
    const [f] = run('duplicate-host-port', [p]);
    expect(f!.message).toContain('TCP and UDP collide');
  });
});

describe('wildcard-ports-exhausted', () => {
  const threePorts = () => [container({ ports: [{ containerPort: 80 }, { containerPort: 443 }, { containerPort: 9090, name: 'metrics' }] })];

  it('errors when container ports outnumber the offered ports under wildcard', () => {
    const [f, ...rest] = run('wildcard-ports-exhausted', [deployment({ containers: threePorts() })], offline({ ports: '[31000-31001]' }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', path: ['spec', 'template', 'spec', 'containers', 0, 'ports', 2, 'containerPort'], port: 9090 });
    expect(f!.message).toContain('needs 3');
    expect(f!.message).toContain('hold only 2');
    expect(f!.message).toContain('k8s.mesosphere.io/portMapping=fixed');
  });

  it('counts fixed host ports too', () => {
    const c = [container({ ports: [{ containerPort: 80, hostPort: 31000 }, { containerPort: 443 }] })];
    expect(run('wildcard-ports-exhausted', [pod({ containers: c })], offline({ ports: '[31000-31001]' }))).toEqual([]);
    const c2 = [container({ ports: [{ containerPort: 80, hostPort: 31000 }, { containerPort: 443 }, { containerPort: 444 }] })];
    const [f] = run('wildcard-ports-exhausted', [pod({ containers: c2 })], offline({ ports: '[31000-31001]' }));
    expect(f!.message).toContain('2 ports without hostPort + 1 fixed hostPort');
  });

  it('does not fire under fixed mapping: hostPort 0 consumes nothing', () => {
    expect(run('wildcard-ports-exhausted', [pod({ containers: threePorts() })], offline({ ports: '[31000-31001]', portMapping: 'fixed' }))).toEqual([]);
    const labelled = pod({ containers: threePorts() }, { labels: { 'k8s.mesosphere.io/portMapping': 'fixed' } });
    expect(run('wildcard-ports-exhausted', [labelled], offline({ ports: '[31000-31001]' }))).toEqual([]);
  });

  it('live: fine when one agent holds them all', () => {
    const model = live([
      { name: 'small', ports: '[31000-31001]' },
      { name: 'big', ports: '[31000-31100]' },
    ]);
    expect(run('wildcard-ports-exhausted', [pod({ containers: threePorts() })], model)).toEqual([]);
    const small = live([
      { name: 'small', ports: '[31000-31001]' },
      { name: 'tiny', ports: '[31000-31000]' },
    ]);
    expect(run('wildcard-ports-exhausted', [pod({ containers: threePorts() })], small)[0]!.message).toContain('best agent (small) offers only 2');
  });
});

describe('host-ports-no-common-agent', () => {
  const model = live([
    { name: 'a', ports: '[31000-31500]' },
    { name: 'b', ports: '[31501-32000]' },
  ]);
  it('errors when each port is offered somewhere but never together', () => {
    const p = pod({
      containers: [
        container({
          ports: [
            { containerPort: 80, hostPort: 31100 },
            { containerPort: 81, hostPort: 31600 },
          ],
        }),
      ],
    });
    const [f] = run('host-ports-no-common-agent', [p], model);
    expect(f).toMatchObject({ severity: 'error', port: 31100 });
    expect(f!.message).toContain('no single agent offers them all');
    expect(run('host-port-not-offered', [p], model)).toEqual([]);
  });
  it('passes when one agent offers them all', () => {
    const p = pod({
      containers: [
        container({
          ports: [
            { containerPort: 80, hostPort: 31100 },
            { containerPort: 81, hostPort: 31200 },
          ],
        }),
      ],
    });
    expect(run('host-ports-no-common-agent', [p], model)).toEqual([]);
  });
});
