/**
 * XML 1.0 escaping for the JUnit report. XML 1.0 cannot carry most control characters at all, not
 * even as character references (`&#27;` is not well-formed), nor lone surrogates, U+FFFE or U+FFFF:
 * those are replaced by a visible escape (`\x1b`, `\ud800`) so that the document stays well-formed
 * and the reader still sees what was there.
 */

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function visibleEscape(cp: number): string {
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

// Everything escapeXml might change; most strings have none of it.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const SPECIAL = /[&<>"'\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

function escapeXml(s: string, attribute: boolean): string {
  if (!SPECIAL.test(s)) return s;
  let out = '';
  // for..of walks code points; a lone surrogate comes out as one unit in 0xd800-0xdfff.
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (!isXmlChar(cp)) {
      out += visibleEscape(cp);
      continue;
    }
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '"':
        out += attribute ? '&quot;' : ch;
        break;
      case "'":
        out += attribute ? '&apos;' : ch;
        break;
      // In attributes, parsers normalise literal newlines and tabs to spaces: keep them as references.
      case '\n':
        out += attribute ? '&#10;' : ch;
        break;
      case '\r':
        out += '&#13;';
        break;
      case '\t':
        out += attribute ? '&#9;' : ch;
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** Escapes character data (element content). */
export function xmlText(s: string): string {
  return escapeXml(s, false);
}

/** Escapes an attribute value (for use between double quotes). */
export function xmlAttr(s: string): string {
  return escapeXml(s, true);
}
