import type { ErrorObject } from 'ajv';
import type { DocPath, Finding } from '../finding.js';
import type { ManifestResource } from '../manifest/resource.js';
import { formatFieldPath } from '../manifest/field-path.js';
import { describeValue, withArticle } from '../manifest/value-name.js';
import { MANIFEST_SCHEMA, validatorFor } from './k8s-schema.js';
import * as generated from './validators.generated.js';

/** A validator from the generated module (ajv standalone code). */
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const VALIDATORS: Record<string, Validator | undefined> = {
  Pod: generated.validatePod as Validator,
  Workload: generated.validateWorkload as Validator,
  AppsWorkload: generated.validateAppsWorkload as Validator,
  ReplicationController: generated.validateReplicationController as Validator,
  Job: generated.validateJob as Validator,
  CronJob: generated.validateCronJob as Validator,
  PodTemplate: generated.validatePodTemplate as Validator,
  Service: generated.validateService as Validator,
};

type SchemaNode = {
  description?: string;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
};

const DEFINITIONS = (MANIFEST_SCHEMA.definitions ?? {}) as Record<string, SchemaNode>;

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let i = 0; n?.$ref !== undefined && i < 10; i++) n = DEFINITIONS[n.$ref.slice('#/definitions/'.length)];
  return n;
}

/** The schema that applies at `path` of an object checked by the top-level schema `top`. */
function schemaAt(top: string, path: DocPath): SchemaNode | undefined {
  let node = resolve(DEFINITIONS[top]);
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number' && node.items) node = resolve(node.items);
    else if (node.properties && Object.prototype.hasOwnProperty.call(node.properties, seg)) node = resolve(node.properties[seg]);
    else if (typeof node.additionalProperties === 'object') node = resolve(node.additionalProperties);
    else return undefined;
  }
  return node;
}

/** JSON pointer (`/spec/containers/0/name`) to a path, numbers where the data holds a list. */
function pointerToPath(pointer: string, data: unknown): Array<string | number> {
  const path: Array<string | number> = [];
  if (pointer === '') return path;
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      path.push(i);
      cur = cur[i];
    } else {
      path.push(seg);
      cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

function valueAt(data: unknown, path: DocPath): unknown {
  let cur = data;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** Container name and port number around a path, for the finding's `container` / `port` fields. */
function context(object: unknown, path: DocPath): { container?: string; port?: number } {
  const out: { container?: string; port?: number } = {};
  for (let i = 0; i + 1 < path.length; i++) {
    const seg = path[i];
    if ((seg === 'containers' || seg === 'initContainers') && typeof path[i + 1] === 'number') {
      const name = (valueAt(object, path.slice(0, i + 2)) as Record<string, unknown> | undefined)?.name;
      if (typeof name === 'string') out.container = name;
    }
    if (seg === 'ports' && typeof path[i + 1] === 'number') {
      const p = valueAt(object, path.slice(0, i + 2)) as Record<string, unknown> | undefined;
      const port = p?.containerPort ?? p?.port;
      if (typeof port === 'number') out.port = port;
    }
  }
  return out;
}

/**
 * The value as the apiserver reads it: a mapping entry whose value is null is the same as no entry
 * (Go's JSON decoding leaves the field unset), so `nodePort: null`, `annotations:` with nothing after
 * it, or an empty `env:` are not errors, while a required field set to null is reported as missing.
 * Copies only the mappings on the way to a null; list elements are kept as they are.
 */
export function withoutNullEntries(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = withoutNullEntries(x);
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return out ?? v;
  }
  if (v instanceof Uint8Array || v instanceof Date) return v;
  const rec = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in rec) {
    const x = rec[k];
    if (x === null) {
      out ??= { ...rec };
      delete out[k];
      continue;
    }
    const y = withoutNullEntries(x);
    if (y !== x) (out ??= { ...rec })[k] = y;
  }
  return out ?? v;
}

/**
 * Structural schema check of a pod-bearing object or Service: wrong types, missing container
 * name/image, ports outside 1–65535, bad protocols, malformed quantities. One `schema` error per
 * offending field, with the field's absolute `path` (for file:line:column) and a message naming
 * the field and what it must be. Kinds k8smctl does not read get no findings. `selectorFilled`: the
 * file is a resource of a kustomization that writes the workloads' selector (commonLabels).
 */
/**
 * An object with neither `metadata.name` nor `metadata.generateName`: the apiserver refuses it
 * ("resource name may not be empty"). The generated schema leaves the name optional (a pod template's
 * metadata has none), so the top-level object is checked here.
 */
export function missingName(resource: ManifestResource): Finding | undefined {
  const meta = resource.object.metadata;
  const has = (k: string): boolean => typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)[k] != null;
  if (has('name') || has('generateName')) return undefined;
  const path = typeof meta === 'object' && meta !== null ? ['metadata'] : [];
  return {
    rule: 'schema',
    severity: 'error',
    message: `metadata.name is required: the apiserver refuses ${withArticle(resource.kind || 'object')} without a name ("resource name may not be empty"); give it one (or metadata.generateName, for kubectl create)`,
    file: resource.file,
    docIndex: resource.docIndex,
    path: [...resource.basePath, ...path],
    kind: resource.kind,
    namespace: resource.namespace,
  };
}

export function schemaFindings(resource: ManifestResource, opts: { selectorFilled?: boolean } = {}): Finding[] {
  const top = validatorFor(resource.kind, resource.apiVersion, opts);
  const validate = top ? VALIDATORS[top] : undefined;
  const unnamed = missingName(resource);
  if (!top || !validate) return unnamed ? [unnamed] : [];
  if (validate(resource.object)) return unnamed ? [unnamed] : [];
  // Only objects that fail are copied without their null entries and checked again (nulls are rare).
  const object = withoutNullEntries(resource.object);
  if (object !== resource.object && validate(object)) return unnamed ? [unnamed] : [];
  const findings: Finding[] = unnamed ? [unnamed] : [];
  const seen = new Set<string>();
  for (const err of validate.errors ?? []) {
    const at = pointerToPath(err.instancePath, object);
    const missing = err.keyword === 'required' ? String((err.params as { missingProperty?: unknown }).missingProperty) : undefined;
    const path = missing === undefined ? at : [...at, missing];
    const field = formatFieldPath(path) || '(the object)';
    if (seen.has(field)) continue; // one finding per field (a number can fail both minimum and maximum...)
    seen.add(field);
    const expected = schemaAt(top, path)?.description;
    const nullNote = missing !== undefined && valueAt(resource.object, path) === null ? ' (null is the same as leaving it out)' : '';
    const message =
      missing !== undefined
        ? `${field} is required${nullNote}${expected ? `: ${expected}` : ''}`
        : `${field} must be ${expected ?? (err.message ?? 'valid').replace(/^must be /, '')}, got ${describeValue(valueAt(object, at))}`;
    const found = missing === undefined ? valueAt(object, at) : undefined;
    const wantsString = err.keyword === 'type' && (err.params as { type?: unknown }).type === 'string';
    findings.push({
      ...(wantsString && (typeof found === 'boolean' || typeof found === 'number') ? { scalarField: field } : {}),
      rule: 'schema',
      severity: 'error',
      message,
      file: resource.file,
      docIndex: resource.docIndex,
      path: [...resource.basePath, ...path],
      kind: resource.kind,
      namespace: resource.namespace,
      ...(resource.name ? { name: resource.name } : {}),
      ...context(object, path),
    });
  }
  return findings;
}
