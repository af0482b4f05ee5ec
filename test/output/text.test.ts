import { countOf, displayWidth, padEndWidth, padStartWidth, sanitize, stripAnsi } from '../../src/output/text.js';

describe('sanitize', () => {
  test('control characters, escape sequences and bidi overrides become visible escapes', () => {
    expect(sanitize('a\nb\tc\rd')).toBe('a\\nb\\tc\\rd');
    expect(sanitize('\u001b[2J\u0007\u0000\u007f\u009b')).toBe('\\x1b[2J\\x07\\x00\\x7f\\x9b');
    expect(sanitize('abc\u202edcba\u2066x\u2069')).toBe('abc\\u202edcba\\u2066x\\u2069');
  });

  test('ordinary text, including non-ASCII, is unchanged', () => {
    for (const s of ['nginx-7d9f', 'ポッド', 'naïve café', '🚀 launch', '[31000-32000]']) expect(sanitize(s)).toBe(s);
  });
});

describe('displayWidth', () => {
  test('ASCII is one column per character, colour codes none', () => {
    expect(displayWidth('hello')).toBe(5);
    expect(displayWidth('\u001b[1m\u001b[31mred\u001b[39m\u001b[22m')).toBe(3);
    expect(stripAnsi('\u001b[2mdim\u001b[22m')).toBe('dim');
  });

  test('East Asian wide characters and emoji take two columns; combining marks none', () => {
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('ｆｕｌｌ')).toBe(8);
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('a\u200bb')).toBe(2);
  });

  test('padding uses display width', () => {
    expect(padEndWidth('日本', 6)).toBe('日本  ');
    expect(padStartWidth('日本', 6)).toBe('  日本');
    expect(padEndWidth('toolong', 3)).toBe('toolong');
  });
});

test('countOf', () => {
  expect(countOf(0, 'error')).toBe('0 errors');
  expect(countOf(1, 'error')).toBe('1 error');
  expect(countOf(2, 'info')).toBe('2 infos');
  expect(countOf(2, 'child', 'children')).toBe('2 children');
});
