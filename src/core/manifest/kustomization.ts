/**
 * Kustomize's own files in a manifest tree: a `kustomization.yaml` is kustomize's configuration, not
 * an object for the apiserver, and the files it names as patches are partial objects that kustomize
 * merges into its resources. Neither is checked as a manifest; the resources it names keep their
 * checks, except what kustomize fills in (a selector from `commonLabels`).
 */

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** The last path segment (either separator). */
export function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i === -1 ? file : file.slice(i + 1);
}

/** Whether kustomize would read this file as a kustomization (by its name). */
export function isKustomizationFile(file: string): boolean {
  return KUSTOMIZATION_NAMES.has(baseName(file));
}

/**
 * A path named in a file, resolved against that file's folder and normalised (`.`, `..`, repeated
 * separators), so that it compares equal to the name the reader gives the file. Pure string work.
 */
export function resolveBeside(file: string, relative: string): string {
  const rel = relative.replace(/\\/g, '/');
  if (rel.startsWith('/')) return normalizePath(rel);
  const base = file.replace(/\\/g, '/');
  const dir = base.lastIndexOf('/') === -1 ? '' : base.slice(0, base.lastIndexOf('/') + 1);
  return normalizePath(dir + rel);
}

/** A file name with `/` separators, without `.` segments, resolved `..` and repeated separators. */
export function normalizePath(path: string): string {
  if (!/\\|\/\/|(?:^|\/)\.\.?(?:\/|$)/.test(path)) return path; // already normal (the usual case)
  const p = path.replace(/\\/g, '/');
  const out: string[] = [];
  const leadingSlash = p.startsWith('/');
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && leadingSlash) continue;
    else out.push(seg);
  }
  const joined = out.join('/');
  return leadingSlash ? `/${joined}` : joined === '' ? '.' : joined;
}

/** How a patch file is named in the kustomization. */
export type PatchList = 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';

export interface KustomizationRefs {
  /** Files kustomize applies as patches, resolved beside the kustomization. */
  patches: Array<{ file: string; list: PatchList }>;
  /**
   * Resource files into whose workloads kustomize writes a selector (`commonLabels`, or `labels`
   * with `includeSelectors: true`), so a workload there may leave spec.selector out.
   */
  selectorFilled: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value that names a file rather than holding an inline patch (which spans several lines or is a mapping). */
function filePath(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' && !v.includes('\n') ? v.trim() : undefined;
}

/** The files a kustomization (loaded object, at `file`) names as patches, and the resources it adds selectors to. */
export function kustomizationRefs(file: string, k: Record<string, unknown>): KustomizationRefs {
  const refs: KustomizationRefs = { patches: [], selectorFilled: [] };
  const add = (v: unknown, list: PatchList) => {
    const p = filePath(v);
    if (p !== undefined) refs.patches.push({ file: resolveBeside(file, p), list });
  };
  for (const list of ['patches', 'patchesStrategicMerge', 'patchesJson6902'] as const) {
    const items = k[list];
    if (!Array.isArray(items)) continue;
    for (const item of items) add(isRecord(item) ? item.path : item, list);
  }
  const common = isRecord(k.commonLabels) && Object.keys(k.commonLabels).length > 0;
  const labels = Array.isArray(k.labels) && k.labels.some((l) => isRecord(l) && l.includeSelectors === true);
  if ((common || labels) && Array.isArray(k.resources)) {
    for (const r of k.resources) {
      const p = filePath(r);
      if (p !== undefined && /\.(ya?ml|json)$/i.test(p)) refs.selectorFilled.push(resolveBeside(file, p));
    }
  }
  return refs;
}
