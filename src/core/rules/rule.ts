import type { Finding, Severity } from '../finding.js';
import type { RuleContext } from './context.js';
import type { PodView } from './pod-view.js';

/**
 * One validation rule: one concept, a stable kebab-case id (never renamed once released), a default
 * severity (a rule may report a lower or higher one when it says why, e.g. warning when the agent
 * count is unknown), and the texts used for SARIF rule metadata and the docs.
 *
 * `scope` says how `check` is called:
 * - `pod`: once per pod template k8sm schedules (every pod-bearing kind, PodTemplate included,
 *   static pods excluded), as the input streams by; the view is not kept afterwards.
 * - `input`: once, after every pod was seen (Services, static pods, static-pod files).
 */
export type Rule = RuleInfo & (PodRule | InputRule);

export interface RuleInfo {
  id: string;
  severity: Severity;
  /** Short name, sentence case, no trailing period. */
  title: string;
  /** What the rule checks and what k8sm does when it fires. */
  description: string;
  /** How to fix it. */
  help: string;
}

export interface PodRule {
  scope: 'pod';
  /** Appends this rule's findings about one pod to `out`. Pure; never throws on malformed manifests. */
  check(ctx: RuleContext, pod: PodView, out: Finding[]): void;
}

export interface InputRule {
  scope: 'input';
  /** Appends this rule's findings to `out`. Pure; never throws on malformed manifests. */
  check(ctx: RuleContext, out: Finding[]): void;
}

/** Helpers that keep each rule's object literal typed (and `this` pointing at the rule). */
export function podRule(rule: RuleInfo & Omit<PodRule, 'scope'> & ThisType<Rule>): Rule {
  return { ...rule, scope: 'pod' };
}

export function inputRule(rule: RuleInfo & Omit<InputRule, 'scope'> & ThisType<Rule>): Rule {
  return { ...rule, scope: 'input' };
}
