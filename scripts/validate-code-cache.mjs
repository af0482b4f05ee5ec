#!/usr/bin/env node
// Writes dist/validate.cjs.cache: V8's code cache of the validate bundle (dist/validate.cjs), made after
// a sample run so that it holds the functions a run compiles, not only the bundle's top level (run by
// scripts/build.mjs; bin/launch.js's loadValidate reads it). Its output goes nowhere: the build runs
// it with stdout ignored. A cache that does not match the Node that runs validate is ignored by V8.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadValidate, writeCodeCache } from '../bin/launch.js';

// What validate is mostly given: a workload, its Service, a pod with a host port and resources.
const SAMPLE = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.25
    ports:
    - containerPort: 80
      hostPort: 31080
    resources:
      limits: {cpu: 500m, memory: 128Mi}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api}
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: "example/api:1.0"
        args: ["--port", "8080"]
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
  - port: 80
    targetPort: 8080
`;

const dir = mkdtempSync(join(tmpdir(), 'k8smctl-code-cache-'));
try {
  const sample = join(dir, 'sample.yaml');
  writeFileSync(sample, SAMPLE);
  const { runValidate, script } = await loadValidate({ cache: false });
  // As typed at a terminal, and as CI runs it (JSON for a script to read).
  await runValidate(['-f', sample], new URL('..', import.meta.url));
  await runValidate(['-f', sample, '-o', 'json'], new URL('..', import.meta.url));
  await writeCodeCache(new URL('../dist/validate.cjs', import.meta.url), new URL('../dist/validate.cjs.cache', import.meta.url), script);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// A fresh process must take the cache: V8 refuses one made under other flags, silently (validate then
// compiles its bundle at every start, a fifth of its start-up). A flag set during the sample run
// rather than before the bundle is compiled was such a case.
const launch = new URL('../bin/launch.js', import.meta.url).href;
const rejected = execFileSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `const { script } = await (await import(${JSON.stringify(launch)})).loadValidate(); process.stdout.write(String(script.cachedDataRejected));`,
  ],
  { encoding: 'utf8' },
);
if (rejected !== 'false') {
  process.stderr.write(
    `build failed: a fresh process refused dist/validate.cjs.cache (cachedDataRejected: ${rejected}); it was made under other V8 flags than a plain start: a flag validate needs is set in bin/launch.js's loadValidate, before the bundle is compiled\n`,
  );
  process.exit(1);
}
process.exitCode = 0; // the sample has findings: validate set 1
