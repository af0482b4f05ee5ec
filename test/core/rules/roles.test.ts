import { container, deployment, offline, pod, run } from './fixtures.js';

const spec = () => ({ containers: [container()] });
const ROLES = 'k8s.mesosphere.io/roles';

describe('pod-roles-empty', () => {
  it.each(['', ' ', ', ,', ','])('errors on %j: no role left, never schedulable', (v) => {
    const [f] = run('pod-roles-empty', [pod(spec(), { annotations: { [ROLES]: v } })]);
    expect(f).toMatchObject({ severity: 'error', path: ['metadata', 'annotations', ROLES] });
    expect(f!.message).toContain('never scheduled');
  });
  it('passes real roles and pods without the annotation', () => {
    expect(run('pod-roles-empty', [pod(spec(), { annotations: { [ROLES]: ' *, public ' } })], offline({ frameworkRoles: ['*', 'public'] }))).toEqual([]);
    expect(run('pod-roles-empty', [pod(spec())])).toEqual([]);
  });
});

describe('pod-roles-not-in-framework', () => {
  const model = offline({ frameworkRoles: ['*', 'public'] });
  it('errors when every listed role is outside the framework roles', () => {
    const [f] = run('pod-roles-not-in-framework', [pod(spec(), { annotations: { [ROLES]: 'prod,batch' } })], model);
    expect(f).toMatchObject({ severity: 'error' });
    expect(f!.message).toContain('"prod", "batch"');
    expect(f!.message).toContain('framework roles: *,public');
    expect(f!.message).toContain('never scheduled');
  });
  it('warns when only some are dropped', () => {
    const d = deployment(spec(), { annotations: { [ROLES]: 'public,prod' } });
    const [f] = run('pod-roles-not-in-framework', [d], model);
    expect(f).toMatchObject({ severity: 'warning', path: ['spec', 'template', 'metadata', 'annotations', ROLES] });
    expect(f!.message).toContain('only uses public');
  });
  it('passes framework roles', () => {
    expect(run('pod-roles-not-in-framework', [pod(spec(), { annotations: { [ROLES]: 'public,*' } })], model)).toEqual([]);
  });
});

describe('pod-roles-ignored', () => {
  it('warns on a label, which k8sm does not read', () => {
    const [f] = run('pod-roles-ignored', [pod(spec(), { labels: { [ROLES]: 'public' } })]);
    expect(f).toMatchObject({ severity: 'warning', path: ['metadata', 'labels', ROLES] });
    expect(f!.message).toContain('default pod roles (*)');
  });
  it('warns on the workload metadata', () => {
    const d = deployment(spec(), { meta: { annotations: { [ROLES]: 'public' } } });
    expect(run('pod-roles-ignored', [d])[0]!.path).toEqual(['metadata', 'annotations', ROLES]);
  });
  it('passes a pod annotation', () => {
    expect(run('pod-roles-ignored', [deployment(spec(), { annotations: { [ROLES]: '*' } })])).toEqual([]);
  });
});
