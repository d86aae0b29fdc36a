// The pull-request comment: a hidden marker (to find it again and update it in place), a verdict, the findings
// with links to the PR's head and to each rule's page, the ignore comments the PR adds, and what the PR changes
// in the policy file. Everything from the repository is rendered through markdown.ts.
import { Finding, RuleId } from '../finding';
import { FailOn } from '../report/fail-on';
import { describeCounts, plural } from '../report/severity';
import { Forge } from '../../../core/output/forge';
import { PullRequest } from './event';
import { FocusOptions } from './focus';
import { markdownMessage, markdownText, markdownUrl, urlPath } from './markdown';

/** The first line of the comment: how the step finds its own comment among the PR's comments. */
export const COMMENT_MARKER = '<!-- buildx-guard:lint -->';

/** Rows of the table and of the ignore list; the rest are counted. */
export const COMMENT_ROW_LIMIT = 50;

/** GitHub refuses a comment over 65,536 characters: fewer rows are shown until the body fits. */
export const COMMENT_MAX_CHARS = 65_000;

/** An inline ignore comment on a line the PR adds. */
export interface AddedIgnore {
  file: string;
  line: number;
  rules: RuleId[];
  reason: string;
}

export interface CommentInput {
  pr: PullRequest;
  forge: Forge;
  version: string;
  options: FocusOptions & { failOn: FailOn };
  findings: readonly Finding[];
  failing: readonly Finding[];
  failed: boolean;
  isNew(finding: Finding): boolean;
  ignores: readonly AddedIgnore[];
  /** What the PR changes in the policy file (plain sentences with untrusted values in them). */
  policyNotes: readonly string[];
}

export function commentBody(input: CommentInput): string {
  for (let rows = COMMENT_ROW_LIMIT; ; rows = Math.floor(rows / 2)) {
    const body = render(input, rows);
    if (body.length <= COMMENT_MAX_CHARS || rows === 0) return body.slice(0, COMMENT_MAX_CHARS);
  }
}

function render(input: CommentInput, limit: number): string {
  const sections = [COMMENT_MARKER, `### buildx-guard lint\n\n${verdict(input)}`];
  if (input.findings.length > 0) sections.push(table(input, limit));
  if (input.ignores.length > 0) {
    sections.push(
      `**Ignore comments this pull request adds** (they hide findings; check the reasons):\n\n` +
        input.ignores
          .slice(0, limit)
          .map(
            (ignore) =>
              `- ${location(input, ignore.file, ignore.line)}: ${ignore.rules.map((rule) => `\`${rule}\``).join(', ')}` +
              (ignore.reason ? `: ${markdownText(ignore.reason)}` : ' (no reason given)'),
          )
          .join('\n') +
        more(input.ignores.length - limit, 'more ignore comment'),
    );
  }
  if (input.policyNotes.length > 0) {
    sections.push(
      '**The policy file is read from the base branch**, so these changes of this pull request take effect only after it is merged:\n\n' +
        input.policyNotes
          .slice(0, limit)
          .map((note) => `- ${markdownMessage(note)}`)
          .join('\n') +
        more(input.policyNotes.length - limit, 'more change'),
    );
  }
  sections.push(
    `<sub>buildx-guard ${markdownText(input.version)} on ${input.pr.headSha.slice(0, 12)}; this comment is updated on every run.</sub>`,
  );
  return `${sections.join('\n\n')}\n`;
}

function verdict(input: CommentInput): string {
  const { findings, failing, options } = input;
  const scope = options.onlyChanged ? ' in the files this pull request changes' : '';
  if (findings.length === 0) return `✅ **No findings**${scope}.`;
  const threshold = options.failOn === 'never' ? 'fail-on is never' : `fail-on: ${options.failOn}`;
  if (input.failed) {
    const which = options.newFindingsOnly ? ' that this pull request adds or changes' : '';
    return `❌ **Fails**: ${describeCounts(failing)}${which} (${threshold}); ${describeCounts(findings)}${scope} in all.`;
  }
  const why = options.newFindingsOnly
    ? 'none that this pull request adds or changes is at or above the threshold'
    : 'none is at or above the threshold';
  return `✅ **Passes**: ${describeCounts(findings)}${scope}, but ${why} (${threshold}).`;
}

function table(input: CommentInput, limit: number): string {
  const rows = input.findings.slice(0, limit).map((finding) => {
    const severity = input.isNew(finding) ? `${finding.severity} (new)` : finding.severity;
    return `| ${severity} | ${location(input, finding.file, finding.line)} | [\`${finding.rule}\`](${markdownUrl(ruleDocsUrl(finding.rule, input.version))}) | ${markdownMessage(finding.message)} |`;
  });
  return (
    ['| severity | location | rule | message |', '| --- | --- | --- | --- |', ...rows].join('\n') +
    more(input.findings.length - rows.length, 'more finding', ": see the step's log or job summary")
  );
}

function more(hidden: number, noun: string, where = ''): string {
  return hidden > 0 ? `\n\n… and ${plural(hidden, noun)}${where}.` : '';
}

/** `file:line`, linked to that line at the PR's head commit. */
function location(input: CommentInput, file: string, line: number): string {
  const { pr } = input;
  // GitHub: /blob/<sha>/<path>; Gitea and Forgejo: /src/commit/<sha>/<path>.
  const view = input.forge === 'gitea' || input.forge === 'forgejo' ? 'src/commit' : 'blob';
  const url = `${pr.serverUrl}/${urlPath(pr.owner)}/${urlPath(pr.repo)}/${view}/${pr.headSha}/${urlPath(file)}#L${line}`;
  return `[${markdownText(`${file}:${line}`)}](${markdownUrl(url)})`;
}

/**
 * A rule's page (docs/rules/<id>.md) in buildx-guard's own repository, at the release tag of the running
 * version, so the page describes the rule as this version applies it, whichever forge shows the comment.
 */
export function ruleDocsUrl(rule: RuleId, version: string): string {
  return `https://github.com/buildx-guard/buildx-guard/blob/v${encodeURIComponent(version)}/docs/rules/${rule}.md`;
}
