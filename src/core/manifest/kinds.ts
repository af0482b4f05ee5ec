import { POD_BEARING_KINDS } from './pod-template.js';

export { POD_BEARING_KINDS };

/** Kinds whose objects `validate` reads: the pod-bearing kinds (pod-template.ts) and Service (for the endpoint rule). Everything else is counted as skipped. */
export function isReadKind(kind: string): boolean {
  return POD_BEARING_KINDS.has(kind) || kind === 'Service';
}
