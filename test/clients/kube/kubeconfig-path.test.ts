import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKube } from '../../../src/clients/kube/kube-client.js';
import { oneLine } from '../../../src/lib/outcomes.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8smctl-kubeconfig-path-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('--kubeconfig naming a folder: one line saying so and which flag to fix (no EISDIR jargon)', async () => {
  const e = await loadKube({ kubeconfig: dir, env: { HOME: '/nonexistent' } }).catch((err: unknown) => err);
  expect(oneLine(e)).toBe(`kubeconfig ${dir} is a directory, not a file; check the path given with --kubeconfig`);
});
