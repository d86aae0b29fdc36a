// The CLI's printers for lint findings: text for people, json for scripts, sarif for code scanning, and
// github for workflow commands when the CLI itself runs in a workflow step.
import { Finding, ruleDocsUrl, RuleMeta, Severity } from '../finding';
import { describeCounts } from './severity';
import { SarifOptions, toSarif } from './sarif';
import { AnnotationCommand, workflowCommand } from '../../../core/output/workflow-command';
import { inline, safeJson } from '../../../core/output/neutralize';

export const FINDINGS_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

export interface FormatOptions extends SarifOptions {
  rules: RuleMeta[];
  /** buildx-guard's version, for SARIF. */
  version: string;
  /** Colour the severity in text output (a TTY without NO_COLOR). */
  color?: boolean;
}

/** The whole output for one run, ending with a newline. */
export function formatFindings(findings: Finding[], format: FindingsFormat, options: FormatOptions): string {
  switch (format) {
    case 'text':
      return [
        ...findings.map((finding) => findingLine(finding, options.color)),
        describeCounts(findings),
        ...rulePageLines(findings),
      ]
        .map((line) => `${line}\n`)
        .join('');
    case 'json':
      return `${safeJson({ findings: findings.map(jsonFinding) }, 2)}\n`;
    case 'sarif':
      return `${safeJson(toSarif(findings, options.rules, options.version, options), 2)}\n`;
    case 'github':
      return findings.map((finding) => `${annotationCommand(finding)}\n`).join('');
  }
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', note: '\x1b[36m' };

/** `file:line:col: severity rule: message` on one line, whatever the message holds. */
export function findingLine(finding: Finding, color = false): string {
  const severity = color ? `${COLORS[finding.severity]}${finding.severity}\x1b[0m` : finding.severity;
  return `${oneLine(finding.file)}:${finding.line}:${finding.column}: ${severity} ${finding.rule}: ${oneLine(finding.message)}`;
}

/** One line per rule that fired, with its page: the long explanation the one-line findings leave out. */
export function rulePageLines(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((finding) => finding.rule))].map((rule) => `${rule}: ${ruleDocsUrl(rule)}`);
}

/** An annotation's title: the rule and where its page is (annotations render no links in the message). */
export function annotationTitle(finding: Finding): string {
  return `${finding.rule} (${ruleDocsUrl(finding.rule)})`;
}

/** Exactly the JSON shape of DESIGN.md, in its key order, whatever else a finding object carries. */
export function jsonFinding({ file, line, column, rule, severity, message }: Finding) {
  return { file, line, column, rule, severity, message };
}

const COMMANDS: Record<Severity, AnnotationCommand> = { error: 'error', warning: 'warning', note: 'notice' };

function annotationCommand(finding: Finding): string {
  return workflowCommand(
    COMMANDS[finding.severity],
    { file: finding.file, line: finding.line, col: finding.column, title: annotationTitle(finding) },
    finding.message,
  );
}

/** Keeps a line a line: line breaks become spaces, and other control characters visible escapes (inline). */
function oneLine(text: string): string {
  return inline(text.replace(/\s*[\r\n]+\s*/g, ' '));
}
