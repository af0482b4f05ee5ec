/**
 * Recognises a Helm chart template (Go template actions `{{ ... }}` in the YAML structure) so that
 * validate says "render it first" instead of reporting what the unrendered text happens to parse as.
 * Template syntax inside block scalars (Prometheus rules, Alertmanager templates in a ConfigMap) and
 * in quoted strings without Helm's own objects (Argo's `"{{inputs.parameters.x}}"`) is data, not Helm.
 */

/** Helm's built-in objects and functions inside an action. */
const HELM_WORDS = /(?:^|[\s(|$])\.(?:Values|Release|Chart|Capabilities|Template|Files)\b|\b(?:include|template|toYaml|tpl|required|nindent|indent)\b/;

/** A line whose value is a block scalar (`key: |`, `- >-`, `key: |2 # comment`). */
const BLOCK_SCALAR = /(?:^|:|-)\s+[|>][1-9+-]{0,2}\s*(?:#.*)?$/;

export interface HelmMark {
  /** 1-based line and column of the first template action that gives it away. */
  line: number;
  column: number;
  /** The action as written (shortened). */
  action: string;
}

/**
 * Reads a line's quoting: where its comment starts (a `#` at the start or after whitespace, outside
 * quotes; the line's length when none), and which offsets are inside a quoted scalar. A quote
 * opens a quoted scalar only where a value can start (`it's` is plain).
 */
function quoting(line: string): { comment: number; quoted: (i: number) => boolean } {
  const spans: Array<[number, number]> = [];
  let quote: string | undefined;
  let open = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) {
        if (quote === "'" && line[i + 1] === "'") i++;
        else {
          quote = undefined;
          spans.push([open, i]);
        }
      } else if (c === '\\' && quote === '"') i++;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s:,[{-]/.test(line[i - 1]!))) {
      quote = c;
      open = i;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
      return { comment: i, quoted: (j) => spans.some(([a, b]) => j > a && j < b) };
    }
  }
  if (quote) spans.push([open, line.length]);
  return { comment: line.length, quoted: (j) => spans.some(([a, b]) => j > a && j < b) };
}

/** The first Helm template action in the text, or undefined when it is no Helm template. */
export function findHelmTemplate(text: string): HelmMark | undefined {
  if (text.indexOf('{{') === -1) return undefined;
  const lines = text.split(/\r\n|\r|\n/);
  let blockParent: number | undefined;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    let indent = 0;
    while (indent < raw.length && (raw[indent] === ' ' || raw[indent] === '\t')) indent++;
    const blank = indent === raw.length;
    if (blockParent !== undefined) {
      if (blank || indent > blockParent) continue; // block scalar content: data
      blockParent = undefined;
    }
    if (blank) continue;
    const q = quoting(raw);
    const body = raw.slice(0, q.comment);
    if (BLOCK_SCALAR.test(body.trimEnd())) blockParent = indent;
    for (let i = body.indexOf('{{'); i !== -1; i = body.indexOf('{{', i + 2)) {
      const close = body.indexOf('}}', i + 2);
      const action = body.slice(i, close === -1 ? body.length : close + 2);
      const before = body.slice(0, i).trimEnd();
      // At the start of the line, or the start of a plain value (YAML would read `{{` as a flow mapping).
      const structural = !q.quoted(i) && (before === '' || /^-+$/.test(before.trim()) || before.endsWith(':') || /(?:^|\s)-$/.test(before));
      if (structural || HELM_WORDS.test(action.slice(2, action.endsWith('}}') ? -2 : undefined).replace(/^-/, ''))) {
        return { line: n + 1, column: i + 1, action: action.length > 60 ? `${action.slice(0, 57)}...` : action };
      }
    }
  }
  return undefined;
}
