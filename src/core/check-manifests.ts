import type { ClusterModel } from './cluster/cluster-model.js';
import type { Finding } from './finding.js';
import { isReadKind, parseManifest } from './manifest/parse-manifest.js';
import { locateFindings } from './manifest/locate.js';
import type { ManifestResource } from './manifest/resource.js';
import { schemaFindings } from './schema/schema-findings.js';
import { validateManifests, type StaticPodFile } from './validate-manifests.js';

export interface ManifestFileInput {
  file: string;
  text: string;
  /** A file of a --static-pods-config folder (checked as the scheduler reads it). */
  staticPodFile: boolean;
}

export interface CheckedResourceInfo {
  file: string;
  kind: string;
  namespace?: string;
  name: string;
  skipped?: boolean;
}

export interface CheckResult {
  /** Every finding, with line/column wherever the document has the field. */
  findings: Finding[];
  /** Resources checked (pod-bearing kinds and Services) and other kinds read but not checked. */
  checked: number;
  skipped: number;
  resources: CheckedResourceInfo[];
}

/**
 * validate's pure pipeline: parse every file (positions are not kept), check structure and the k8sm
 * rules, then locate line/column only for the files that have findings.
 */
export function checkManifests(files: ReadonlyArray<ManifestFileInput>, model: ClusterModel, opts: { static?: boolean } = {}): CheckResult {
  const findings: Finding[] = [];
  const checkedResources: ManifestResource[] = [];
  const staticPodFiles: StaticPodFile[] = [];
  const infos: CheckedResourceInfo[] = [];
  const texts = new Map<string, string>();
  let skipped = 0;

  for (const input of files) {
    const parsed = parseManifest(input.text, input.file);
    texts.set(input.file, parsed.text);
    for (const f of parsed.findings) findings.push(f);
    if (input.staticPodFile) staticPodFiles.push({ file: input.file, resources: parsed.resources, documents: parsed.documents });
    for (const r of parsed.resources) {
      const read = isReadKind(r.kind) || input.staticPodFile;
      infos.push({ file: r.file, kind: r.kind, namespace: r.namespace, name: r.name, ...(read ? {} : { skipped: true }) });
      if (!read) {
        skipped++;
        continue;
      }
      checkedResources.push(r);
      for (const f of schemaFindings(r)) findings.push(f);
    }
  }

  for (const f of validateManifests(checkedResources, model, { static: opts.static ?? false, staticPodFiles })) findings.push(f);

  // Positions only where needed: group the findings that still lack a line by file, parse each once.
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.file === undefined || f.line !== undefined || f.path === undefined) continue;
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const [file, list] of byFile) {
    const text = texts.get(file);
    if (text !== undefined) locateFindings(text, list);
  }

  return { findings, checked: checkedResources.length, skipped, resources: infos };
}
