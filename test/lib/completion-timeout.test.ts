/** $K8SMCTL_COMPLETION_TIMEOUT: the limits of live completion, for a slow link to the servers. */
import { liveTimeout } from '../../src/lib/completion/main.js';
import { LIVE_DEADLINE_MS, LIVE_REQUEST_MS } from '../../src/lib/completion/live.js';

test('unset: the defaults (2 s a request, 3 s in all)', () => {
  expect(liveTimeout({})).toEqual({});
  expect([LIVE_REQUEST_MS, LIVE_DEADLINE_MS]).toEqual([2000, 3000]);
});

test('a duration sets the limit in all and the limit of each request', () => {
  expect(liveTimeout({ K8SMCTL_COMPLETION_TIMEOUT: '10s' })).toEqual({ deadlineMs: 10_000, requestTimeoutMs: 10_000 });
  expect(liveTimeout({ K8SMCTL_COMPLETION_TIMEOUT: '1500ms' })).toEqual({ deadlineMs: 1500, requestTimeoutMs: 1500 });
});

test('not a duration (or zero): the defaults, and the debug file says why; nothing thrown', () => {
  for (const bad of ['soon', '0', '-1s']) {
    const lines: string[] = [];
    expect(liveTimeout({ K8SMCTL_COMPLETION_TIMEOUT: bad }, (l) => lines.push(l))).toEqual({});
    expect(lines).toEqual([`K8SMCTL_COMPLETION_TIMEOUT=${bad} is not a duration (e.g. 10s); using the defaults`]);
  }
});
