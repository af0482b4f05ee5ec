import type { Finding, Severity } from '../../core/finding.js';

/** Counts for the summary line and the `summary` object of `-o json|yaml`. */
export interface ValidationSummary {
  /** Input files read. */
  files: number;
  /** Resources checked (pod-bearing kinds and Services). */
  resources: number;
  /** Of `resources`, custom resources checked by their pod template (Argo Rollouts, Knative Services...). */
  customResources?: number;
  /** Resources of other kinds, read but not checked. */
  skipped: number;
  errors: number;
  warnings: number;
  infos: number;
}

/** One resource the validator read; lets JUnit show clean resources as passing test cases. */
export interface CheckedResource {
  file: string;
  kind: string;
  namespace?: string;
  name: string;
  /** A kind k8smctl does not check (counted in `summary.skipped`). */
  skipped?: boolean;
  /** Which document of the file (0-based): same-named objects of one file are told apart by it. */
  docIndex?: number;
}

/** What `k8smctl validate` hands to the renderers. */
export interface ValidationReport {
  findings: Finding[];
  summary: ValidationSummary;
  /**
   * Optional: every input file in the order it was read. Text and JUnit show files in this order
   * (files with findings that are not listed follow, sorted); JUnit also gives clean files a suite.
   */
  files?: string[];
  /** Optional: every resource read. JUnit makes a passing (or skipped) test case of each. */
  resources?: CheckedResource[];
}

/** A rule as the rules engine lists it (its `RULES`); SARIF describes every rule from this. */
export type { RuleInfo } from '../../core/rules/rule.js';
import type { RuleInfo } from '../../core/rules/rule.js';

export type ValidationFormat = 'text' | 'json' | 'yaml' | 'sarif' | 'junit';

export interface RenderReportOptions {
  /** Every rule k8smctl has (SARIF lists them all in `tool.driver.rules`). */
  rules: readonly RuleInfo[];
  /** k8smctl's version (SARIF `tool.driver.version`). */
  toolVersion: string;
  /** SARIF `tool.driver.informationUri`; omitted when absent. */
  informationUri?: string;
  /** `--strict`: warnings fail too (JUnit failures, the text summary's colour). */
  strict?: boolean;
  /** Text only: hide findings below this severity (`--quiet` is `'warning'`); they are still counted. */
  minSeverity?: Severity;
  /**
   * SARIF: absolute folder that `%SRCROOT%` stands for (usually the working directory). Absolute
   * file names inside it become relative URIs; when given it is also written to `originalUriBaseIds`.
   */
  srcRoot?: string;
  /** Text only: line width the rule-id column is aligned within (default 120). */
  maxWidth?: number;
}
