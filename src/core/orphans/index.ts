export * from './types.js';
export * from './kubelet-container.js';
export * from './classify.js';
export * from './plan.js';
export * from './leftovers.js';
export * from './endpoints.js';
export * from './endpoints-file.js';
