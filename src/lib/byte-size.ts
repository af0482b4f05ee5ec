const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
};

/** Parses a byte size: `1048576`, `10Mi`, `1Gi`, `500K`, `2MB`. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKMG]i?|[KMG]B)?\s*$/.exec(text);
  const unit = UNITS[m?.[2] ?? ''];
  if (!m || unit === undefined) throw new Error(`invalid size "${text}": use bytes or a suffix such as 10Mi, 1Gi, 500K`);
  return Math.round(Number(m[1]) * unit);
}

/** Binary units, largest first, as sizes are printed. */
const BINARY_UNITS = [
  ['Gi', 1024 ** 3],
  ['Mi', 1024 ** 2],
  ['Ki', 1024],
] as const;

/** `n` in its largest binary unit with one decimal (`round` of the tenths), or undefined under 1Ki. */
function inBinaryUnit(n: number, round: (tenths: number) => number): string | undefined {
  for (const [unit, size] of BINARY_UNITS) if (n >= size) return `${(round((n / size) * 10) / 10).toFixed(1).replace(/\.0$/, '')}${unit}`;
  return undefined;
}

export function formatByteSize(n: number): string {
  return inBinaryUnit(n, Math.round) ?? `${n} bytes`;
}

/**
 * A size as a value `parseByteSize` reads back, at least `n` (a flag value to suggest): whole bytes
 * below 1Ki, else one decimal of the largest unit, rounded up.
 */
export function byteSizeFlagValue(n: number): string {
  return inBinaryUnit(n, Math.ceil) ?? String(Math.ceil(n));
}
