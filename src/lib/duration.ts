/** Parses `10s`, `500ms`, `1m`, `1m30s`, `2h`, or a bare number of seconds into milliseconds. */
export function parseDurationMs(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return checkedMs(Math.round(Number(s) * 1000), text);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length) throw new Error(`invalid duration "${text}": use e.g. 10s, 500ms, 1m30s`);
  return checkedMs(Math.round(total), text);
}

/** The longest delay a Node timer holds (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function checkedMs(ms: number, text: string): number {
  if (ms > MAX_TIMER_MS) throw new Error(`duration "${text}" is too long: at most 596h (24 days)`);
  return ms;
}
