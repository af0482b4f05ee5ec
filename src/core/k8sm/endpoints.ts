/**
 * The container port a Service port targets, as k8sm's endpoints controller finds it when it
 * publishes HostIP:HostPort (reference §1.16): a number matches `containerPort`, a name matches the
 * port's `name`, and the protocol must match too. Undefined when the pod declares no such port.
 */
export function findContainerPort<P extends { protocol: string; containerPort: number | undefined; name: string | undefined }>(
  ports: ReadonlyArray<P>,
  target: number | string,
  protocol: string,
): P | undefined {
  for (const p of ports) {
    if (p.protocol !== protocol) continue;
    if (typeof target === 'number' ? p.containerPort === target : p.name === target) return p;
  }
  return undefined;
}
