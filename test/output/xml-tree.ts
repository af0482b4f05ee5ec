import { SaxesParser } from 'saxes';

/** A parsed XML element: what the tests look at. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses with saxes, a conforming XML 1.0 parser: it throws on anything not well-formed, including
 * characters XML 1.0 does not allow (raw control characters, lone surrogates).
 */
export function parseXml(xml: string): { root: XmlElement; declaration: { version?: string; encoding?: string } } {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let declaration: { version?: string; encoding?: string } = {};
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('xmldecl', (d) => {
    declaration = { version: d.version, encoding: d.encoding };
  });
  parser.on('opentag', (node) => {
    const el: XmlElement = { name: node.name, attrs: { ...(node.attributes as Record<string, string>) }, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    if (stack.length) stack[stack.length - 1]!.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return { root, declaration };
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
