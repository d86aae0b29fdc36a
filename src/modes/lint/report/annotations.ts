// Findings in the action's log: annotations on GitHub, plain readable lines where annotations are not rendered.
import { Finding, Severity } from '../finding';
import { annotationTitle, findingLine, rulePageLines } from './findings';
import { detectForge } from '../../../core/output/forge';
import { Location, Log } from '../../../core/output/log';
import { plural } from './severity';

/** GitHub shows at most this many annotations of each level (error, warning, notice) per step. */
export const ANNOTATIONS_PER_LEVEL = 10;

/**
 * Emits each finding as an annotation, at most ANNOTATIONS_PER_LEVEL per severity, then one line saying how
 * many more there are, followed by those as plain `file:line:col: severity rule: message` lines. Outside
 * GitHub (Gitea and Forgejo print an annotation command without its file and line), every finding also gets
 * a plain line.
 */
export function emitFindings(findings: Finding[], log: Log, env: NodeJS.ProcessEnv = process.env): void {
  const annotated: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  const notAnnotated: Finding[] = [];
  for (const finding of findings) {
    if (annotated[finding.severity] >= ANNOTATIONS_PER_LEVEL) {
      notAnnotated.push(finding);
      continue;
    }
    annotated[finding.severity]++;
    annotationChannel(log, finding.severity)(finding.message, location(finding));
  }

  if (detectForge(env) !== 'github') {
    for (const line of [...findings.map((finding) => findingLine(finding)), ...rulePageLines(findings)])
      log.info(line);
    return;
  }
  if (notAnnotated.length > 0) {
    log.info(
      `… and ${plural(notAnnotated.length, 'more finding')} than GitHub annotates (${ANNOTATIONS_PER_LEVEL} of each severity per step): ` +
        'they follow as log lines, and are in the job summary and the SARIF file (sarif-file).',
    );
  }
  for (const finding of notAnnotated) log.info(findingLine(finding));
}

function annotationChannel(log: Log, severity: Severity) {
  if (severity === 'error') return log.error.bind(log);
  if (severity === 'warning') return log.warning.bind(log);
  return log.notice.bind(log);
}

function location(finding: Finding): Location {
  return {
    title: annotationTitle(finding),
    file: finding.file,
    startLine: finding.line,
    startColumn: finding.column,
  };
}
