/**
 * What k8smctl uses of `@kubernetes/client-node`, imported by name so that the bundler keeps only
 * that: `await import('@kubernetes/client-node')` kept the whole library (14 MB of generated API
 * models, ~77 MB of memory once loaded) in every command that reads a kubeconfig, the long-running
 * `scheduler run` among them. Loaded lazily through `kubeconfig.ts`.
 */
export { KubeConfig } from '@kubernetes/client-node';
