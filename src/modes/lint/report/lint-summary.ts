// The job summary of lint mode: counts, the findings most severe first, and what each rule that fired means.
import { Finding, ruleDocsUrl, RuleMeta } from '../finding';
import { describeCounts, plural, severityRank } from './severity';
import { markdownTable } from '../../../core/output/summary';
import { markdownCode, markdownText } from '../../../core/output/neutralize';

/** Rows in the table; the rest are counted in one line (a job summary holds at most 1 MiB). */
export const SUMMARY_ROW_LIMIT = 100;

export function lintSummaryMarkdown(findings: Finding[], rules: RuleMeta[]): string {
  const heading = `### buildx-guard lint: ${describeCounts(findings)}\n`;
  if (findings.length === 0)
    return `${heading}\nNo build or merge in the linted workflow files breaks the policy.\n`;

  const ordered = [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column,
  );
  const rows = ordered
    .slice(0, SUMMARY_ROW_LIMIT)
    .map((finding) => [
      finding.severity,
      { code: finding.rule },
      { code: `${finding.file}:${finding.line}` },
      finding.message,
    ]);
  const hidden = ordered.length - rows.length;
  const more =
    hidden > 0 ? `\n… and ${plural(hidden, 'more finding')}: see the step log or the SARIF file.\n` : '';

  const fired = new Set(findings.map((finding) => finding.rule));
  const explained = rules
    .filter((rule) => fired.has(rule.id))
    .map((rule) => `- [${markdownCode(rule.id)}](${ruleDocsUrl(rule.id)}): ${markdownText(rule.summary)}`);
  const legend = explained.length > 0 ? `\n${explained.join('\n')}\n` : '';

  return `${heading}\n${markdownTable(['severity', 'rule', 'location', 'message'], rows)}${more}${legend}`;
}
