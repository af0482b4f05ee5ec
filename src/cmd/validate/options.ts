import { readManifestInputs, readProcessStdin, rereadManifest } from '../../clients/manifest-files.js';
import { readStaticPodsDir } from '../../clients/static-pods-dir.js';
import type { MesosConnectOptions } from '../../clients/mesos/options.js';
import type { ClusterModel } from '../../core/cluster/cluster-model.js';
import { clusterModelFromSettings } from '../../core/cluster/model-from-settings.js';
import { ManifestChecker, type ManifestFileInput } from '../../core/check-manifests.js';
import { countBySeverity, findingsFail, type Finding } from '../../core/finding.js';
import { INPUT_RULES } from '../../core/input-rules.js';
import { RULES } from '../../core/rules/index.js';
import type { CommandOptions } from '../../lib/command.js';
import { UsageError } from '../../lib/errors.js';
import type { Factory } from '../../lib/factory.js';
import type { IOStreams } from '../../lib/io.js';
import type { Outcome } from '../../lib/outcomes.js';
import { renderValidationReport } from '../../output/findings/render.js';
import { validateSettingsFromFlags, type ValidateFlagValues, type ValidateSettings } from './flags.js';
import { describeReadProblem, describeSkippedStaticPodFile, describeStaticPodsDirProblem } from './read-problems.js';

/**
 * `k8smctl validate`: read the inputs, check them against the cluster model, render the report.
 * Outcome: ok (no errors, and no warnings with --strict), findings, or unreadable (nothing could
 * be read).
 */
export class ValidateOptions implements CommandOptions<ValidateFlagValues> {
  private factory!: Factory;
  private settings!: ValidateSettings;
  private mesos?: MesosConnectOptions;

  constructor(private readonly io: IOStreams) {}

  async complete(f: Factory, _args: string[], flags: ValidateFlagValues): Promise<void> {
    this.factory = f;
    this.settings = validateSettingsFromFlags(flags);
    if (this.settings.cluster.kind === 'mesos') {
      // Loaded only for a live cluster: offline validate keeps its start-up small.
      const { debugWriter, mesosConnectOptions } = await import('../shared/mesos.js');
      this.mesos = await mesosConnectOptions(flags, f.env, debugWriter(this.io, Boolean(flags.debug)));
    }
  }

  /** Everything is checked while completing (validateSettingsFromFlags). */
  validate(): void {}

  private async clusterModel(): Promise<ClusterModel> {
    const s = this.settings;
    switch (s.cluster.kind) {
      case 'flags':
        return clusterModelFromSettings(s.settings);
      case 'snapshot':
        return (await import('./cluster-model.js')).clusterModelFromSnapshotFile(s.cluster.file, s.settings);
      case 'mesos':
        return (await import('./cluster-model.js')).liveClusterModel(this.factory, this.mesos!, s.settings, this.io);
    }
  }

  async run(): Promise<Outcome> {
    const { io } = this;
    const opts = this.settings;
    const model = await this.clusterModel();

    const readErrors: Finding[] = [];
    const fileOrder: string[] = [];
    let staticFiles: ManifestFileInput[] = [];
    if (opts.staticPodsDir) {
      const dir = await readStaticPodsDir(opts.staticPodsDir, opts.maxFileSize);
      if (dir.fatal) throw new UsageError(describeStaticPodsDirProblem(opts.staticPodsDir, dir.fatal));
      staticFiles = dir.inputs.map((i) => ({ file: i.file, text: i.text, staticPodFile: true, ...(i.notUtf8 ? { notUtf8: true } : {}) }));
      for (const e of dir.errors) readErrors.push(unreadable(e.file, describeReadProblem(e.problem)));
      for (const s of dir.skipped)
        readErrors.push({ rule: 'static-pod-file-skipped', severity: 'info', file: s.file, message: describeSkippedStaticPodFile(s.file) });
    }
    // Files are checked as they are read: the texts of tens of thousands of files are never all held.
    const checker = new ManifestChecker(model, {
      static: opts.staticAll,
      staticFiles,
      listResources: opts.output === 'junit',
      reread: (file) => rereadManifest(file, opts.maxFileSize),
      perFile: opts.perFile,
    });
    for (const f of staticFiles) fileOrder.push(f.file);
    if (opts.filenames.length) {
      const { errors } = await readManifestInputs(opts.filenames, {
        recursive: opts.recursive,
        maxBytes: opts.maxFileSize,
        stdin: () => readProcessStdin(opts.maxFileSize, io.in),
        onInput: (i) => {
          fileOrder.push(i.file);
          checker.addFile({ file: i.file, text: i.text, staticPodFile: false, ...(i.notUtf8 ? { notUtf8: true } : {}) });
        },
      });
      for (const e of errors) readErrors.push(unreadable(e.file, describeReadProblem(e.problem)));
    }

    if (checker.files === 0) {
      // Nothing readable: say why on stderr (one line per path), no report.
      for (const f of readErrors) if (f.severity === 'error') io.err.write(`error: ${f.message}\n`);
      if (readErrors.length === 0)
        io.err.write('error: no manifest files found in the given paths (directories contribute *.yaml, *.yml and *.json; use -R for subdirectories)\n');
      return 'unreadable';
    }

    // Only empty files or an empty stdin: kubectl refuses that ("no objects passed"), so a failed
    // `kubectl kustomize ... | k8smctl validate -f -` does not pass.
    const empty = staticFiles.length === 0 ? checker.emptyInputError() : undefined;
    if (empty !== undefined) {
      for (const f of readErrors) if (f.severity === 'error') io.err.write(`error: ${f.message}\n`);
      io.err.write(`error: ${empty}\n`);
      return 'unreadable';
    }

    const result = checker.finish();
    const findings = [...readErrors, ...result.findings];
    const counts = countBySeverity(findings);
    const summary = { files: checker.files, resources: result.checked, customResources: result.custom, skipped: result.skipped, ...counts };

    await renderValidationReport({ findings, summary, files: fileOrder, resources: result.resources }, opts.output, io, {
      rules: [...RULES, ...INPUT_RULES],
      toolVersion: this.factory.version,
      strict: opts.strict,
      ...(opts.quiet ? { minSeverity: 'warning' as const } : {}),
      srcRoot: process.cwd(),
    });
    return findingsFail(counts, opts.strict) ? 'findings' : 'ok';
  }
}

function unreadable(file: string, message: string): Finding {
  return { rule: 'input-unreadable', severity: 'error', file, message: `${file}: ${message}` };
}
