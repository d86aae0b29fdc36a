// What a pull-request check reports and what fails it: changed files first (GitHub annotates only ten
// findings of each severity per step), `only-changed`, and `new-findings-only`.
import { Finding } from '../finding';
import { Changes, changesWithin, isChangedFile, Span } from './changes';

export interface FocusOptions {
  /** Report only findings in files the PR changes (or caused by a step in one). */
  onlyChanged: boolean;
  /** Fail only on findings the PR adds or changes. */
  newFindingsOnly: boolean;
}

export interface Focused {
  /** What the step reports: findings in changed files first, then the rest (none of the rest with only-changed). */
  reported: Finding[];
  /** The reported findings that may fail the step. */
  failing: Finding[];
  /** Whether the PR adds or changes a reported finding (its step or, for a cross-file one, the causing step). */
  isNew(finding: Finding): boolean;
}

/** `spanOf(file, line)`: the lines of the step around a finding (see changes.ts). */
export function focusFindings(
  findings: readonly Finding[],
  changes: Changes,
  spanOf: (file: string, line: number) => Span,
  options: FocusOptions,
): Focused {
  const touched = (file: string, line: number) => changesWithin(changes, file, spanOf(file, line));
  const fresh = new Set<Finding>();
  const first: Finding[] = [];
  const rest: Finding[] = [];
  for (const finding of findings) {
    const { related } = finding;
    const relatedChanged = related !== undefined && isChangedFile(changes, related.file);
    const isNew =
      touched(finding.file, finding.line) || (related !== undefined && touched(related.file, related.line));
    let shown = finding;
    if (options.onlyChanged && !isChangedFile(changes, finding.file)) {
      if (!relatedChanged) continue;
      shown = relocated(finding);
    }
    if (isNew) fresh.add(shown);
    (isChangedFile(changes, shown.file) || relatedChanged ? first : rest).push(shown);
  }
  // Relocated findings join the changed files' own: each group in file order again.
  const reported = [...first.sort(byPosition), ...rest];
  return {
    reported,
    failing: options.newFindingsOnly ? reported.filter((finding) => fresh.has(finding)) : reported,
    isNew: (finding) => fresh.has(finding),
  };
}

/**
 * A cross-file finding in a file the PR leaves alone, reported on the changed step that causes it (a merge
 * elsewhere of an image this step now pushes as an index), so that only-changed still shows it.
 */
function relocated(finding: Finding): Finding {
  const related = finding.related!;
  return {
    ...finding,
    file: related.file,
    line: related.line,
    column: related.column,
    message: `${finding.file}:${finding.line}: ${finding.message}`,
    related: { file: finding.file, line: finding.line, column: finding.column },
  };
}

function byPosition(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}
