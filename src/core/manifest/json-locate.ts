import type { DocPath } from '../finding.js';
import { endOfJsonString, endOfJsonValue } from './json-stream.js';

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

function keyAt(text: string, i: number, end: number): string {
  const raw = text.slice(i + 1, end - 1);
  return raw.indexOf('\\') === -1 ? raw : (JSON.parse(text.slice(i, end)) as string);
}

/**
 * Where a path points inside the JSON value that starts at `start` (valid JSON, as JSON.parse read
 * it): the value the path names (`31080` in `"hostPort": 31080`, the `{` of an object), or the
 * nearest ancestor that exists when the path goes further than the data. A repeated key counts
 * where it was written last, as JSON.parse keeps the last value.
 */
export function jsonLocate(text: string, start: number, path: DocPath): number {
  let at = skipSpace(text, start);
  for (const seg of path) {
    const c = text.charCodeAt(at);
    let found: number | undefined;
    if (c === 0x7b /* { */ && typeof seg === 'string') {
      let i = skipSpace(text, at + 1);
      while (text.charCodeAt(i) === 0x22) {
        const keyEnd = endOfJsonString(text, i);
        if (keyEnd < 0) break;
        const key = keyAt(text, i, keyEnd);
        const value = skipSpace(text, skipSpace(text, keyEnd) + 1); // past ':'
        if (key === seg) found = value;
        const end = endOfJsonValue(text, value);
        if (end < 0) break;
        i = skipSpace(text, end);
        if (text.charCodeAt(i) !== 0x2c /* , */) break;
        i = skipSpace(text, i + 1);
      }
    } else if (c === 0x5b /* [ */ && typeof seg === 'number') {
      let i = skipSpace(text, at + 1);
      for (let n = 0; text.charCodeAt(i) !== 0x5d && i < text.length; n++) {
        if (n === seg) {
          found = i;
          break;
        }
        const end = endOfJsonValue(text, i);
        if (end < 0) break;
        i = skipSpace(text, end);
        if (text.charCodeAt(i) !== 0x2c) break;
        i = skipSpace(text, i + 1);
      }
    }
    if (found === undefined) return at;
    at = found;
  }
  return at;
}
