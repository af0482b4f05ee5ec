/**
 * The command as the user typed it, for help and error lines: `k8smctl`, or `kubectl k8sm` when
 * kubectl runs k8smctl as its plugin (bin/kubectl-k8sm.js sets it before any command runs).
 */
let name = 'k8smctl';

export function programName(): string {
  return name;
}

export function setProgramName(value: string): void {
  name = value;
}
