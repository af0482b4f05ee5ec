import { parseStoutDuration } from '../../../src/core/agents/stout-duration.js';
import { agentFlagFindings } from '../../../src/core/agents/agent-flag-findings.js';

test.each([
  ['5secs', 5],
  ['0ns', 0],
  ['6hrs', 21600],
  ['1.5mins', 90],
  ['500ms', 0.5],
  ['2weeks', 1209600],
])('%s is %d s', (text, secs) => expect(parseStoutDuration(text)).toBeCloseTo(secs));

test.each(['5', '5s', 'five secs', ''])('%j is not a stout duration', (text) => expect(parseStoutDuration(text)).toBeUndefined());

test('a grace period of 15 s or more is enough for the k8sm executor; less is a warning', () => {
  expect(agentFlagFindings('a', { executor_shutdown_grace_period: '15secs' })).toEqual([]);
  expect(agentFlagFindings('a', { executor_shutdown_grace_period: '1mins' })).toEqual([]);
  expect(agentFlagFindings('a', { executor_shutdown_grace_period: '14secs' }).map((f) => f.rule)).toEqual(['agent-shutdown-grace-too-short']);
});
