import type { Finding, Severity } from '../finding.js';
import type { RuleContext } from './context.js';

/**
 * One validation rule: one concept, a stable kebab-case id (never renamed once released), a default
 * severity (a rule may report a lower or higher one when it says why, e.g. warning when the agent
 * count is unknown), and the texts used for SARIF rule metadata and the docs.
 */
export interface Rule {
  id: string;
  severity: Severity;
  /** Short name, sentence case, no trailing period. */
  title: string;
  /** What the rule checks and what k8sm does when it fires. */
  description: string;
  /** How to fix it. */
  help: string;
  /** Appends this rule's findings to `out`. Pure; never throws on malformed manifests. */
  check(ctx: RuleContext, out: Finding[]): void;
}
