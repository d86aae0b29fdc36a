// Inline ignores: `# buildx-guard: ignore[rule-id] reason`, or `ignore[rule-a,rule-b] reason`, as a trailing
// comment on the finding's line or as a comment alone on the line above it. The same comment works in YAML and
// inside a `run:` script, since both are lines of the file. A bare `ignore` naming no rule is not accepted:
// it would hide every future rule too. The reason is free text, for reviewers.
import { Finding, RuleId } from './finding';
import { didYouMean, isRuleId, RULE_IDS } from './config';

const MARKER = 'buildx-guard:';
// A comment starts at the line's start or after whitespace, in YAML and in shell alike.
const DIRECTIVE = /(^|\s)#\s*buildx-guard:\s*(.*)$/;
const IGNORE = /^ignore\[([^\]]*)\](?:\s|$)/;
const EXAMPLE = '# buildx-guard: ignore[single-platform-attestations] reason';

interface Directive {
  /** 1-based column of the `#`. */
  column: number;
  /** True when the comment is the whole line, so it may apply to the line below. */
  alone: boolean;
  rules: ReadonlySet<RuleId>;
  problems: string[];
}

/** A directive that ignores nothing, so the user learns why the finding is still there. */
export interface IgnoreProblem {
  line: number;
  column: number;
  message: string;
}

/** Drops the findings of one file that an inline ignore in its text covers. */
export function applyInlineIgnores(findings: Finding[], fileText: string): Finding[] {
  if (findings.length === 0 || !fileText.includes(MARKER)) return findings;
  const lines = fileText.split(/\r?\n/);
  const ignores = (finding: Finding) => {
    const own = parseDirective(lines[finding.line - 1]);
    const above = parseDirective(lines[finding.line - 2]);
    return Boolean(own?.rules.has(finding.rule) || (above?.alone && above.rules.has(finding.rule)));
  };
  return findings.filter((finding) => !ignores(finding));
}

/** Ignore comments that ignore nothing: a bare `ignore`, an empty list, an unknown rule id, another verb. */
export function inlineIgnoreProblems(fileText: string): IgnoreProblem[] {
  if (!fileText.includes(MARKER)) return [];
  const problems: IgnoreProblem[] = [];
  fileText.split(/\r?\n/).forEach((text, index) => {
    const directive = parseDirective(text);
    if (!directive) return;
    for (const message of directive.problems)
      problems.push({ line: index + 1, column: directive.column, message });
  });
  return problems;
}

/** The ignore comments of a text that name at least one known rule, with their reasons (PR checks list them). */
export function ignoreComments(fileText: string): { line: number; rules: RuleId[]; reason: string }[] {
  if (!fileText.includes(MARKER)) return [];
  return fileText.split(/\r?\n/).flatMap((text, index) => {
    const directive = parseDirective(text);
    if (!directive || directive.rules.size === 0) return [];
    const reason = (DIRECTIVE.exec(text)?.[2] ?? '').replace(IGNORE, '').trim();
    return [{ line: index + 1, rules: [...directive.rules], reason }];
  });
}

function parseDirective(text: string | undefined): Directive | undefined {
  if (text === undefined || !text.includes(MARKER)) return undefined;
  const match = DIRECTIVE.exec(text);
  if (!match) return undefined;
  const column = match.index + match[1].length + 1;
  const alone = text.slice(0, column - 1).trim() === '';
  const body = match[2].trim();
  const list = IGNORE.exec(body);
  if (!list) {
    const verb = body.split(/[\s[]/)[0];
    const problem = verb.startsWith('ignore')
      ? `An ignore comment must name the rules it ignores: ${EXAMPLE}.`
      : `Unknown buildx-guard comment "${verb}": use ${EXAMPLE}.`;
    return { column, alone, rules: new Set(), problems: [problem] };
  }
  const ids = list[1]
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const rules = new Set(ids.filter(isRuleId));
  const problems = ids
    .filter((id) => !isRuleId(id))
    .map(
      (id) =>
        `Unknown rule id "${id}" in an ignore comment. ${didYouMean(id, RULE_IDS)}The rule ids are ${RULE_IDS.join(', ')}.`,
    );
  if (ids.length === 0) problems.push(`An ignore comment must name the rules it ignores: ${EXAMPLE}.`);
  return { column, alone, rules, problems };
}
