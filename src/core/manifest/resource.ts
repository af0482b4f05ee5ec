import type { DocPath } from '../finding.js';

/**
 * One Kubernetes object read from a manifest: what the loader hands to the rules.
 * `object` is the plain parsed value (js-yaml / JSON.parse); positions are not kept here:
 * rules report a `DocPath` and the loader maps it back to file:line:column only for findings.
 */
export interface ManifestResource {
  /** File name as the user gave it (or `<stdin>`). */
  file: string;
  /** Document index within the file (0-based). */
  docIndex: number;
  /** Path of this object inside its document: `[]`, or `['items', i]` for `kind: List` members. */
  basePath: DocPath;
  object: Record<string, unknown>;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}
