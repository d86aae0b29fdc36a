// Findings in the action's log: annotations on GitHub, plain readable lines where annotations are not rendered.
import { Finding, Severity } from '../lint/finding';
import { findingLine } from './findings';
import { detectForge } from './forge';
import { Location, Log } from './log';
import { plural } from './severity';

/** GitHub shows at most this many annotations of each level (error, warning, notice) per step. */
export const ANNOTATIONS_PER_LEVEL = 10;

/**
 * A Log that may also write notice annotations (@actions/core's `notice`). Until `Log` has one, notes are
 * plain log lines, so they never use up the warnings' share of annotations.
 */
export type AnnotationLog = Log & { notice?(message: string, location?: Location): void };

/**
 * Emits each finding as an annotation, at most ANNOTATIONS_PER_LEVEL per severity, then one line saying how
 * many more there are, followed by those as plain `file:line:col: severity rule: message` lines. Outside
 * GitHub (Gitea and Forgejo print an annotation command without its file and line), every finding also gets
 * a plain line.
 */
export function emitFindings(
  findings: Finding[],
  log: AnnotationLog,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const annotated: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  const notAnnotated: Finding[] = [];
  let overLimit = 0;
  for (const finding of findings) {
    const annotate = annotationChannel(log, finding.severity);
    if (!annotate || annotated[finding.severity] >= ANNOTATIONS_PER_LEVEL) {
      notAnnotated.push(finding);
      if (annotate) overLimit++;
      continue;
    }
    annotated[finding.severity]++;
    annotate(finding.message, location(finding));
  }

  if (detectForge(env) !== 'github') {
    for (const finding of findings) log.info(findingLine(finding));
    return;
  }
  if (overLimit > 0) {
    log.info(
      `… and ${plural(overLimit, 'more finding')} than GitHub annotates (${ANNOTATIONS_PER_LEVEL} of each severity per step): ` +
        'they follow as log lines, and are in the job summary and the SARIF file (sarif-file).',
    );
  }
  for (const finding of notAnnotated) log.info(findingLine(finding));
}

function annotationChannel(log: AnnotationLog, severity: Severity) {
  if (severity === 'error') return log.error.bind(log);
  if (severity === 'warning') return log.warning.bind(log);
  return log.notice?.bind(log);
}

function location(finding: Finding): Location {
  return { title: finding.rule, file: finding.file, startLine: finding.line, startColumn: finding.column };
}
