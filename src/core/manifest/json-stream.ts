import { findJsonSyntaxProblem } from './json-syntax.js';

/**
 * A stream of JSON values as kubectl reads one: input whose first non-blank character is `{` goes to
 * a JSON decoder that reads value after value (`kubectl get -o json` of several objects, kubectl's
 * own multi-object test inputs), with only whitespace between them.
 */
export interface JsonStream {
  values: unknown[];
  /** Offset of each value's first character in the text. */
  offsets: number[];
  /** Where the stream stops being JSON (values before it are kept). */
  error?: { offset: number; reason: string };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Offset just after the JSON string starting at `i` (a `"`), or -1 when it is not closed. */
export function endOfJsonString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/**
 * Offset just after the JSON value starting at `i` by its brackets and strings only (the value is not
 * checked: JSON.parse does that), or -1 when it does not end.
 */
export function endOfJsonValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return endOfJsonString(text, i);
  if (c !== 0x7b && c !== 0x5b) {
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (isSpace(d) || d === 0x2c || d === 0x5d || d === 0x7d || d === 0x7b || d === 0x5b || d === 0x22) break;
      j++;
    }
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 0x22) {
      j = endOfJsonString(text, j) - 1;
      if (j < 0) return -1;
    } else if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return j + 1;
  }
  return -1;
}

/** Reads `text` as a stream of JSON values (the caller has seen that it starts with `{`). */
export function readJsonStream(text: string): JsonStream {
  const out: JsonStream = { values: [], offsets: [] };
  let i = skipSpace(text, 0);
  // The usual case: one value.
  try {
    out.values.push(JSON.parse(text));
    out.offsets.push(i);
    return out;
  } catch {
    // several values, or a syntax error: read value by value
  }
  while (i < text.length) {
    const end = endOfJsonValue(text, i);
    const slice = text.slice(i, end < 0 ? text.length : end);
    try {
      if (end < 0) throw new SyntaxError('unterminated');
      out.values.push(JSON.parse(slice));
      out.offsets.push(i);
    } catch (err) {
      const problem = findJsonSyntaxProblem(slice);
      let reason = problem?.reason ?? (err instanceof RangeError ? 'nested too deeply' : String((err as Error).message ?? err));
      if (out.values.length > 0 && (problem?.offset ?? 0) === 0 && !/^[{["]/.test(slice)) {
        reason = `unexpected ${JSON.stringify(text[i])} after the end of the JSON value (kubectl reads JSON values one after another, with only whitespace between them)`;
      }
      out.error = { offset: i + (problem?.offset ?? 0), reason };
      return out;
    }
    i = skipSpace(text, end);
  }
  return out;
}
