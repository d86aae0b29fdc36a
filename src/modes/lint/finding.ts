// A lint finding, in the JSON shape of DESIGN.md.

export type Severity = 'error' | 'warning' | 'note';

export type RuleId =
  | 'single-platform-attestations'
  | 'manifest-merge-of-index'
  | 'attestations-explicitly-enabled'
  | 'parse-error';

export interface Finding {
  /** Path relative to the scanned root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  rule: RuleId;
  severity: Severity;
  message: string;
  /** The step in another file that causes a cross-file finding (the push a merge cannot take); not in the JSON. */
  related?: { file: string; line: number; column: number };
}

/** Where each rule's page (docs/rules/<rule-id>.md) is published. */
const RULE_DOCS = 'https://github.com/buildx-guard/buildx-guard/blob/main/docs/rules/';

export function ruleDocsUrl(id: RuleId): string {
  return `${RULE_DOCS}${id}.md`;
}

/** What SARIF, the summary and `--help` say about a rule; the long explanation is its page (ruleDocsUrl). */
export interface RuleMeta {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line: what the rule catches. */
  summary: string;
  /** Why it matters and how to fix it, in markdown. */
  help: string;
}
