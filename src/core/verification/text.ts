// The human verdict for one image: the verdict line, the manifest tree, the problems and the one fix.
import { describeMediaType } from './classify';
import { fixFor } from './fixes';
import { ImageReport, VerifyReport } from './report';
import { inline, markdownCode, markdownText } from '../output/neutralize';
import { markdownTable } from '../output/summary';

const ANSI = { red: '\x1b[31m', green: '\x1b[32m', dim: '\x1b[2m', reset: '\x1b[0m' };

export function formatImageReport(report: ImageReport, options: { color?: boolean } = {}): string {
  const paint = (color: keyof typeof ANSI, text: string) =>
    options.color ? `${ANSI[color]}${text}${ANSI.reset}` : text;
  // Every field may come from the registry: each stays on its line, with no control character (inline).
  const lines = [`${report.ok ? paint('green', 'OK  ') : paint('red', 'FAIL')} ${inline(report.ref)}`];
  if (report.mediaType || report.digest) {
    lines.push(
      `  ${inline(report.mediaType) || 'no media type'} (${describeMediaType(report.mediaType)}) ${inline(report.digest)}`,
    );
  }
  const platformOf = (child: ImageReport['children'][number]) => inline(child.platform) || '-';
  const width = Math.max(0, ...report.children.map((child) => platformOf(child).length));
  report.children.forEach((child, i) => {
    const branch = i === report.children.length - 1 ? '└─' : '├─';
    const state = child.present ? 'present' : paint('red', 'MISSING');
    const platform = platformOf(child).padEnd(width);
    lines.push(
      `  ${branch} ${platform}  ${child.kind.padEnd(11)} ${inline(child.digest) || '(invalid descriptor)'}  ${state}`,
    );
  });
  for (const problem of report.problems) {
    lines.push(`  ${paint('red', problem.code)}: ${inline(problem.message)}`);
  }
  const fix = fixFor(report.problems);
  if (fix) lines.push(`  ${paint('dim', 'fix:')} ${fix}`);
  return `${lines.join('\n')}\n`;
}

/** The job summary: one row per image, then each problem, then the fix for the first failing image. */
export function verifySummaryMarkdown(report: VerifyReport): string {
  const rows = report.images.map((image) => [
    image.ref,
    image.mediaType ? describeMediaType(image.mediaType) : '-',
    image.children.length === 0
      ? '-'
      : image.children
          .map((c) => `${c.platform || '-'} ${c.kind}${c.present ? '' : ' (missing)'}`)
          .join(', '),
    image.ok ? 'OK' : `FAIL (${image.problems.length} problem${image.problems.length === 1 ? '' : 's'})`,
  ]);
  const problems = report.images.flatMap((image) =>
    image.problems.map(
      (problem) => `- ${markdownCode(image.ref)} **${problem.code}**: ${markdownText(problem.message)}`,
    ),
  );
  const fix = fixFor(report.images.flatMap((image) => image.problems));
  return [
    '### buildx-guard verify',
    '',
    markdownTable(['Image', 'Type', 'Children', 'Verdict'], rows).trimEnd(),
    ...(problems.length > 0 ? ['', ...problems] : []),
    ...(fix ? ['', `**Fix:** ${fix}`] : []),
    '',
  ].join('\n');
}
