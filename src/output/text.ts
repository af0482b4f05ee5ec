/**
 * Plain-text helpers shared by every human-readable renderer: making untrusted strings safe to print
 * on a terminal, measuring how many columns a string takes, padding by that width, plurals.
 */

// C0 controls, DEL, C1 controls, and the Unicode bidi embedding/override/isolate characters
// (a manifest value must never move the cursor, recolour the terminal or reorder what is shown).
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes a string from a manifest or a server safe for a terminal: every control character (escape
 * sequences included) and every bidi override becomes a visible escape (`\n`, `\x1b`, `\u202e`).
 * One input line stays one output line.
 */
export function sanitize(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const named = NAMED_ESCAPES[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// SGR and other CSI sequences (what chalk emits), so that coloured strings can be measured.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/** East Asian Wide and Fullwidth blocks, and the emoji blocks terminals draw two columns wide. */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

function codePointWidth(cp: number): number {
  for (const [lo, hi] of WIDE) {
    if (cp < lo) return 1;
    if (cp <= hi) return 2;
  }
  return 1;
}

// Combining marks, zero-width space/joiners, variation selectors: no column of their own.
// eslint-disable-next-line no-misleading-character-class -- each mark on its own is what it matches
const ZERO_WIDTH = /^[\p{M}\u200b-\u200f\u2060\ufe00-\ufe0f\ufeff]$/u;

/** Columns a string takes on a terminal (ANSI colour codes take none). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function displayWidth(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let width = 0;
  for (const ch of stripAnsi(s)) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x7f) {
      width += cp >= 0x20 ? 1 : 0;
    } else if (!ZERO_WIDTH.test(ch)) {
      width += codePointWidth(cp);
    }
  }
  return width;
}

/** Pads on the right to `width` columns (by display width, not string length). */
export function padEndWidth(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** Pads on the left to `width` columns. */
export function padStartWidth(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : ' '.repeat(width - w) + s;
}

/** `1 error`, `2 errors`, `0 errors`; `plural` defaults to singular + "s". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The largest number, 0 for none (no argument spreading: safe for any length). */
export function maxOf(values: readonly number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}
