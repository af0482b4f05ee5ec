import fc from 'fast-check';
import { canonicalRole, parseRoleList, podRoles, roleNameProblem } from '../../../src/core/k8sm/roles.js';
import { k8smScheduler } from '../../../src/core/k8sm/scheduler.js';
import { isPortMapping, podPortMapping, portMappingFor, type SchedulerSettings } from '../../../src/core/k8sm/settings.js';

const settings: SchedulerSettings = {
  frameworkRoles: ['*', 'public'],
  defaultPodRoles: ['public', '*'],
  portMapping: 'wildcard',
  executorCpus: 0.25,
  executorMem: 128,
  defaultContainerCpu: 0.25,
  defaultContainerMem: 64,
};

test('role lists are trimmed, de-duplicated, empty entries dropped', () => {
  expect(parseRoleList(' *, public ,,public')).toEqual(['*', 'public']);
  expect(parseRoleList(' , ')).toEqual([]);
});

test('the empty role is the unreserved role *', () => {
  expect(canonicalRole('')).toBe('*');
  expect(canonicalRole('public')).toBe('public');
});

describe('a pod roles (k8s.mesosphere.io/roles annotation, else the default pod roles)', () => {
  const s = k8smScheduler(settings);

  it('uses the default pod roles without the annotation (or with a non-string one)', () => {
    expect(podRoles(undefined, s)).toEqual({ list: ['public', '*'], key: 'public,*' });
    expect(podRoles({ 'k8s.mesosphere.io/roles': 5 }, s).list).toEqual(['public', '*']);
    expect(podRoles({ 'k8s.mesosphere.io/roles': 'public' }, k8smScheduler({ ...settings, defaultPodRoles: [] })).list).toEqual(['public']);
    expect(podRoles(undefined, k8smScheduler({ ...settings, defaultPodRoles: [] })).list).toEqual(['*']);
  });

  it('keeps the annotation roles the framework has, in the annotation order, and says which it dropped', () => {
    expect(podRoles({ 'k8s.mesosphere.io/roles': ' public, gpu ,*,public' }, s)).toEqual({
      list: ['public', '*'],
      key: 'public,*',
      annotation: { raw: ' public, gpu ,*,public', listed: ['public', 'gpu', '*'], dropped: ['gpu'] },
    });
  });

  it('leaves a pod whose annotation names no framework role without roles', () => {
    expect(podRoles({ 'k8s.mesosphere.io/roles': ' , ' }, s).list).toEqual([]);
    expect(podRoles({ 'k8s.mesosphere.io/roles': 'gpu' }, s).list).toEqual([]);
  });

  it('effective roles are framework roles, without repeats, in the order the annotation lists them', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('*', 'public', 'gpu', ' ', '', 'public '), { maxLength: 6 }), (parts) => {
        const raw = parts.join(',');
        const r = podRoles({ 'k8s.mesosphere.io/roles': raw }, s);
        expect(new Set(r.list).size).toBe(r.list.length);
        for (const role of r.list) expect(s.frameworkRoleSet.has(role)).toBe(true);
        expect(r.list).toEqual(parseRoleList(raw).filter((x) => s.frameworkRoleSet.has(x)));
        expect(r.key).toBe(r.list.join(','));
      }),
    );
  });
});

describe('port mapping (k8s.mesosphere.io/portMapping label, else the scheduler default)', () => {
  it('--host-port-endpoints selects wildcard, its absence fixed', () => {
    expect(portMappingFor(true)).toBe('wildcard');
    expect(portMappingFor(false)).toBe('fixed');
  });

  it('a valid label wins; anything else is the default', () => {
    expect(podPortMapping({ 'k8s.mesosphere.io/portMapping': 'fixed' }, 'wildcard')).toBe('fixed');
    expect(podPortMapping({ 'k8s.mesosphere.io/portMapping': 'wildcard' }, 'fixed')).toBe('wildcard');
    expect(podPortMapping({ 'k8s.mesosphere.io/portMapping': 'Fixed' }, 'wildcard')).toBe('wildcard');
    expect(podPortMapping(undefined, 'fixed')).toBe('fixed');
    expect(isPortMapping('bogus')).toBe(false);
  });
});

describe('roleNameProblem (Mesos roles::validate: a framework with such a role is refused)', () => {
  it.each(['*', 'public', 'slave_public', 'team-a', 'eng/dev', 'a.b', 'x!'])('takes %j', (role) => {
    expect(roleNameProblem(role)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['bad role', /whitespace/],
    ['tab\there', /whitespace/],
    ['.', /'\.' cannot/],
    ['..', /'\.\.' cannot/],
    ['-x', /cannot start with '-'/],
    ['/x', /cannot start or end with '\/'/],
    ['x/', /cannot start or end with '\/'/],
    ['a//b', /'\/\/'/],
    ['eng/..', /'\.\.' cannot/],
    ['eng/*', /'\*' is a role only by itself/],
  ])('refuses %j', (role, why) => {
    expect(roleNameProblem(role)).toMatch(why);
  });
});
