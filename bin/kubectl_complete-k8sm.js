#!/usr/bin/env node
// Completion of the kubectl plugin: for `kubectl k8sm <TAB>`, kubectl (1.26 or later) runs
// `kubectl_complete-k8sm` with the words after `k8sm`, the last one under the cursor, and reads the
// answer in the protocol of k8smctl's own `__complete`.
await (await import('./launch.js')).complete(process.argv.slice(2));
