/**
 * The built CLI writing to a stdout that fails (a full disk: /dev/full): one line on stderr naming
 * what failed, exit 1, never a stack trace (needs `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

test('stdout on a full disk: one error line, exit 1, no stack trace', () => {
  const fd = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [bin, 'completion', 'bash'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('error: cannot write the output: ENOSPC: no space left on device, write; free some space, or send the output elsewhere\n');
    expect(r.status).toBe(1);
  } finally {
    closeSync(fd);
  }
});
