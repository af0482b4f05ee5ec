import { readFileSync } from 'node:fs';
import type { IOStreams } from '../lib/io.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../lib/errors.js';
import type { ClusterModel } from '../core/cluster/cluster-model.js';
import { clusterModelFromSettings } from '../core/cluster/model-from-settings.js';
import type { Finding } from '../core/finding.js';
import { ManifestChecker, type ManifestFileInput } from '../core/check-manifests.js';
import { RULES } from '../core/rules/index.js';
import { INPUT_RULES } from '../core/input-rules.js';
import { readManifestInputs, rereadManifest } from '../clients/manifest-files.js';
import { readStaticPodsDir } from '../clients/static-pods-dir.js';
import { renderValidationReport } from '../output/findings/render.js';
import type { ValidateOptions } from './validate-options.js';

function toolVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Builds the cluster model the rules check against: offline flags, a live master, or a saved snapshot. */
async function clusterModel(opts: ValidateOptions, io: IOStreams): Promise<ClusterModel> {
  switch (opts.cluster.kind) {
    case 'flags':
      return clusterModelFromSettings(opts.settings);
    case 'snapshot': {
      const { loadClusterSnapshotFile } = await import('./cluster-snapshot-file.js');
      return loadClusterSnapshotFile(opts.cluster.file, opts.settings);
    }
    case 'mesos': {
      const { liveClusterModel } = await import('./live-cluster-model.js');
      return liveClusterModel(opts.cluster.mesos, opts.settings, io);
    }
  }
}

/**
 * `k8smctl validate`: read the inputs, check them against the cluster model, render, and return the
 * exit code (0 no errors, 1 errors (or warnings with --strict), 2 nothing could be read).
 */
export async function runValidate(opts: ValidateOptions, io: IOStreams): Promise<number> {
  const model = await clusterModel(opts, io);

  const readErrors: Finding[] = [];
  const fileOrder: string[] = [];
  let staticFiles: ManifestFileInput[] = [];
  if (opts.staticPodsDir) {
    const dir = await readStaticPodsDir(opts.staticPodsDir, opts.maxFileSize);
    if (dir.fatal) throw new UsageError(dir.fatal);
    staticFiles = dir.inputs.map((i) => ({ file: i.file, text: i.text, staticPodFile: true }));
    for (const e of dir.errors) readErrors.push(unreadable(e.file, e.message));
    for (const s of dir.skipped) readErrors.push({ rule: 'static-pod-file-skipped', severity: 'info', file: s.file, message: s.message });
  }
  // Files are checked as they are read: the texts of tens of thousands of files are never all held.
  const checker = new ManifestChecker(model, {
    static: opts.staticAll,
    staticFiles,
    listResources: opts.output === 'junit',
    reread: (file) => rereadManifest(file, opts.maxFileSize),
  });
  for (const f of staticFiles) fileOrder.push(f.file);
  if (opts.filenames.length) {
    const { errors } = await readManifestInputs(opts.filenames, {
      recursive: opts.recursive,
      maxBytes: opts.maxFileSize,
      onInput: (i) => {
        fileOrder.push(i.file);
        checker.addFile({ file: i.file, text: i.text, staticPodFile: false });
      },
    });
    for (const e of errors) readErrors.push(unreadable(e.file, e.message));
  }

  if (checker.files === 0) {
    // Nothing readable: say why on stderr (one line per path), no report; exit 2.
    for (const f of readErrors) if (f.severity === 'error') io.err.write(`error: ${f.message}\n`);
    if (readErrors.length === 0) io.err.write('error: no manifest files found in the given paths (directories contribute *.yaml, *.yml and *.json; use -R for subdirectories)\n');
    return EXIT_USAGE;
  }

  const result = checker.finish();
  const findings = [...readErrors, ...result.findings];

  const summary = {
    files: checker.files,
    resources: result.checked,
    skipped: result.skipped,
    errors: 0,
    warnings: 0,
    infos: 0,
  };
  for (const f of findings) {
    if (f.severity === 'error') summary.errors++;
    else if (f.severity === 'warning') summary.warnings++;
    else summary.infos++;
  }

  await renderValidationReport(
    { findings, summary, files: fileOrder, resources: result.resources },
    opts.output,
    io,
    {
      rules: [...RULES, ...INPUT_RULES],
      toolVersion: toolVersion(),
      strict: opts.strict,
      ...(opts.quiet ? { minSeverity: 'warning' as const } : {}),
      srcRoot: process.cwd(),
    },
  );

  if (summary.errors > 0 || (opts.strict && summary.warnings > 0)) return EXIT_FINDINGS;
  return EXIT_OK;
}

function unreadable(file: string, message: string): Finding {
  return { rule: 'input-unreadable', severity: 'error', file, message: `${file}: ${message}` };
}
