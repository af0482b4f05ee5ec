/**
 * Mesos (stout) durations as agent flags print them: `5secs`, `6hrs`, `0ns`, `1mins`, `2weeks`,
 * `500ms`, `1.5secs`. Returns seconds, or undefined when the text is not a stout duration.
 */
const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  ms: 1e-3,
  secs: 1,
  mins: 60,
  hrs: 3600,
  days: 86400,
  weeks: 604800,
};

export function parseStoutDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|secs|mins|hrs|days|weeks)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2]!]!;
}
