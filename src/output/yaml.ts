import { dump } from 'js-yaml';

/**
 * YAML for `-o yaml`: exactly the data `-o json` prints (it goes through JSON first: undefined
 * fields dropped, `toJSON` honoured), block style, keys in insertion order, no line folding (a long
 * message stays on one line), no anchors/aliases even when the same object appears twice. Strings
 * that a YAML 1.1 reader (Go's yaml.v2, PyYAML) would take for something else are quoted too
 * (`'yes'`, `'on'`, `'n'`, `'0755'`), so every reader gets strings back. js-yaml, not the `yaml`
 * package: several times faster on large reports and quicker to load.
 */
export function toYAML(value: unknown): string {
  const data: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  return dump(data, { noRefs: true, lineWidth: -1 });
}
