import { stringify } from 'yaml';

/**
 * YAML for `-o yaml`: block style, keys in insertion order, no line folding (a long message stays on
 * one line), no anchors/aliases even when the same object appears twice, and every string quoted
 * that some reader would take for something else. It is written with the YAML 1.1 schema so that
 * `"yes"`, `"on"`, `"0755"` and even the key `"n"` are quoted: YAML 1.1 readers (Go's yaml.v2,
 * PyYAML) would read them as booleans or numbers. The output reads the same as YAML 1.2.
 */
export function toYAML(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
}
