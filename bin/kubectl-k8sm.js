#!/usr/bin/env node
// kubectl plugin: kubectl finds `kubectl-k8sm` on $PATH and runs it for `kubectl k8sm ...`, with the
// words after `k8sm`. Help and errors name the command `kubectl k8sm`; kubectl's --kubeconfig,
// --context and -n are passed through (src/lib/kubectl-plugin.ts).
const argv = process.argv.slice(2);
const launch = await import('./launch.js');
if (argv[0] === '__complete') await launch.complete(argv.slice(1));
else await launch.cli(argv, { plugin: true });
