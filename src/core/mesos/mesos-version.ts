/** `0.22.0-rc1` → [0, 22, 0]; undefined when it is not a version. */
export function mesosVersionParts(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Whether Mesos version `v` is older than `than` (false when `v` is not a version). */
export function mesosVersionBelow(v: string | undefined, than: string): boolean {
  const a = v === undefined ? undefined : mesosVersionParts(v);
  const b = mesosVersionParts(than);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
