/**
 * Kube-style logs on stderr (klog's text header `I1201 23:22:41.123456   12345 scheduler] msg`, or
 * one JSON object per line), with `-v N` verbosity: a line of level V(n) is written when n <= N.
 */

export type LogFormat = 'text' | 'json';
export type Severity = 'I' | 'W' | 'E';

export interface Logger {
  info(v: number, msg: string, kv?: Record<string, unknown>): void;
  warn(msg: string, kv?: Record<string, unknown>): void;
  error(msg: string, kv?: Record<string, unknown>): void;
  enabled(v: number): boolean;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function kvText(kv: Record<string, unknown> | undefined): string {
  if (!kv) return '';
  let s = '';
  for (const [k, v] of Object.entries(kv)) if (v !== undefined) s += ` ${k}=${JSON.stringify(v)}`;
  return s;
}

export function createLogger(out: { write(s: string): unknown }, verbosity: number, format: LogFormat, now: () => number, pid: number): Logger {
  const line = (sev: Severity, v: number, msg: string, kv?: Record<string, unknown>): void => {
    const t = new Date(now());
    if (format === 'json') {
      out.write(`${JSON.stringify({ ts: t.getTime() / 1000, level: sev === 'I' ? 'info' : sev === 'W' ? 'warning' : 'error', v, msg, ...kv })}\n`);
      return;
    }
    const head = `${sev}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${pad(t.getUTCMilliseconds() * 1000, 6)} ${String(pid).padStart(7)} scheduler]`;
    out.write(`${head} ${msg}${kvText(kv)}\n`);
  };
  return {
    info: (v, msg, kv) => {
      if (v <= verbosity) line('I', v, msg, kv);
    },
    warn: (msg, kv) => line('W', 0, msg, kv),
    error: (msg, kv) => line('E', 0, msg, kv),
    enabled: (v) => v <= verbosity,
  };
}
