/**
 * Finds where a JSON text stops being valid JSON, for the error message: JSON.parse's own messages
 * do not always say where (`Unexpected token 't', "..." is not valid JSON`). Runs only on text that
 * JSON.parse has already rejected, so it favours clarity over speed.
 */
export interface JsonSyntaxProblem {
  /** 0-based offset of the offending character (the text length at an unexpected end). */
  offset: number;
  reason: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class JsonScanError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new JsonScanError(at, reason);
  };
  const describe = (at: number): string => (at >= text.length ? 'the end of the file' : JSON.stringify(text[at]));
  const ws = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe(i)}, expected a value`);
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail(`control character ${JSON.stringify(text[i])} inside a string (escape it)`);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape (needs four hex digits)');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`invalid escape \\${e ?? ''} inside a string`);
        i += 2;
        continue;
      }
      i++;
    }
  };
  const number = (): void => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0].length === 0) fail(`unexpected ${describe(i)}, expected a value`);
    i += m![0].length;
  };
  // Iterative over nesting so that deeply nested input cannot overflow the stack.
  const stack: Array<'{' | '['> = [];
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      ws();
      const close = c === '{' ? '}' : ']';
      if (text[i] === close) {
        stack.pop();
        i++;
        return;
      }
      if (c === '{') key();
      else pending.push('value');
      return;
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(i >= text.length ? 'unexpected end of the file, expected a value' : `unexpected ${describe(i)}, expected a value`);
  };
  const key = (): void => {
    ws();
    if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe(i)}`);
    string();
    ws();
    if (text[i] !== ':') fail(`expected ':' after the property name, found ${describe(i)}`);
    i++;
    pending.push('value');
  };
  const pending: Array<'value'> = [];
  try {
    value();
    for (;;) {
      while (pending.length > 0) {
        pending.pop();
        value();
      }
      if (stack.length === 0) break;
      ws();
      const top = stack[stack.length - 1]!;
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        if (top === '{') key();
        else pending.push('value');
      } else if (text[i] === close) {
        stack.pop();
        i++;
      } else {
        fail(
          i >= text.length
            ? `unexpected end of the file, expected ',' or '${close}'`
            : `expected ',' or '${close}' after ${top === '{' ? 'a property value' : 'an array element'}, found ${describe(i)}`,
        );
      }
    }
    ws();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return undefined;
  } catch (err) {
    if (err instanceof JsonScanError) return { offset: Math.min(err.offset, text.length), reason: err.reason };
    throw err;
  }
}
