/**
 * The k8sm scheduler's decisions (issue 10), pure: the executor and its id, offer compatibility,
 * placement on k8sm's resource model (src/core/k8sm), the launch, status updates, backoff, and the
 * FailedScheduling message (src/core/diagnose). The loop is src/scheduler/.
 */
export * from './crc64.js';
export * from './executor.js';
export * from './offers.js';
export * from './placement.js';
export * from './task.js';
export * from './status.js';
export * from './backoff.js';
export * from './failed-scheduling.js';
export * from './framework-error.js';
