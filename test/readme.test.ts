/** The README opens with the commands that work on a fresh machine; CI runs exactly the test one. */
import { readFileSync } from 'node:fs';
import { RULES } from '../src/core/rules/index.js';
import { INPUT_RULES } from '../src/core/input-rules.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
const opening = /^# k8smctl\n\n```sh\n([^\n]+)\n([^\n]+)\n```/.exec(readme);

test('the README opens with two commands: the main job on examples/, then the full test suite', () => {
  expect(opening).not.toBeNull();
  expect(opening![1]).toMatch(/validate .*examples\//);
  expect(opening![2]).toMatch(/test:all/);
});

test('.ci/run runs exactly the README test command', () => {
  // Verbatim, as the whole command that the time guard runs (timeout ... bash -c '<command>').
  const run = ci
    .split('\n')
    .map((l) => /^timeout .* bash -c '([^']+)'$/.exec(l.trim())?.[1])
    .filter((c) => c !== undefined);
  expect(run).toEqual([opening![2]]);
});

test('the README lists every rule id a finding can carry', () => {
  for (const r of [...RULES, ...INPUT_RULES]) expect(readme).toContain(`\`${r.id}\``);
});

test('every `npm run` script the README names exists, and each jest project has its own', async () => {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const named = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
  expect(named.filter((s) => !(s in scripts))).toEqual([]);
  const jestConfig = new URL('../jest.config.js', import.meta.url).href;
  const { default: config } = (await import(jestConfig)) as { default: { projects: Array<{ displayName: string }> } };
  for (const { displayName } of config.projects) {
    expect(scripts[`test:${displayName}`]).toMatch(new RegExp(`--selectProjects ${displayName}( |$)`));
    expect(named).toContain(`test:${displayName}`);
  }
  // The CI command lints, then runs every project: no --selectProjects, no test path filter.
  expect(scripts['test:all']).toMatch(/&& npm run lint && .*jest\.js --ci$/);
  expect(scripts['lint']).toMatch(/eslint .*prettier --check/);
});
