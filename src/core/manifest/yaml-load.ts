import yaml from 'js-yaml';

/**
 * The YAML schema k8smctl reads manifests with: YAML 1.2 core types (null, bool, int, float) plus
 * merge keys (`<<: *defaults`), which kubectl's YAML reader also honours. Unlike js-yaml's default
 * schema, timestamps stay strings (as they do for kubectl: `creationTimestamp` is a string field),
 * and plain scalars are resolved against fewer implicit types, which makes loading ~15% faster.
 * Explicit tags kubectl's reader knows (`!!binary`, `!!set`, `!!omap`, `!!pairs`, `!!timestamp`) still load.
 */
// js-yaml 4 exports its type objects as `types`; @types/js-yaml 4.0.9 does not declare them.
const types = (yaml as unknown as { types: Record<'merge' | 'binary' | 'omap' | 'pairs' | 'set' | 'timestamp', yaml.Type> }).types;
export const MANIFEST_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({
  implicit: [types.merge],
  explicit: [types.binary, types.omap, types.pairs, types.set, types.timestamp],
});

/** js-yaml's parser state as a listener sees it (only the fields k8smctl reads). */
export interface YamlListenerState {
  position: number;
  line: number;
  lineStart: number;
  documents: unknown[];
  result: unknown;
  kind: string | null;
  tag: string | null;
}

export type YamlListener = (event: 'open' | 'close', state: YamlListenerState) => void;

/** js-yaml's error, as thrown by `loadAll`. */
export interface YamlError extends Error {
  reason?: string;
  mark?: { line: number; column: number; position: number };
}

export function isYamlError(err: unknown): err is YamlError {
  return err instanceof yaml.YAMLException;
}

/**
 * Loads every document of `text` (documents that are empty, comment-only or just `---` come back
 * as `null`, so indexes agree with the document count a user sees). `json` keeps JSON.parse's
 * duplicate-key behaviour (last one wins).
 */
export function loadYamlDocuments(text: string, listener?: YamlListener, json = false): unknown[] {
  return yaml.loadAll(text, undefined, {
    schema: MANIFEST_YAML_SCHEMA,
    json,
    ...(listener ? { listener: listener as unknown as yaml.LoadOptions['listener'] } : {}),
  }) as unknown[];
}

/** Removes a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether the content looks like JSON: its first character after whitespace opens an object or array. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b /* { */ || c === 0x5b /* [ */;
  }
  return false;
}
