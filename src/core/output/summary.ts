import { appendFileSync } from 'node:fs';

/** Appends markdown to the job summary. Only where the runner provides one (Gitea and Forgejo may not). */
export function appendJobSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return false;
  appendFileSync(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return true;
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/** Keeps a value inside its table cell: pipes and newlines would otherwise break the row. */
export function escapeCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
