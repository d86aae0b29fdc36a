import { appendFileSync, statSync } from 'node:fs';
import { markdownCode, markdownText } from './neutralize';

/** GitHub refuses a step summary over 1 MiB; stay under it with room for the note that says so. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 4096;

/**
 * Appends markdown to the job summary. Only where the runner provides one (Gitea and Forgejo may not). What
 * would take the step's summary over GitHub's limit is cut, with a note.
 */
export function appendJobSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return false;
  const text = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
  const room = SUMMARY_MAX_BYTES - existingSize(path);
  if (Buffer.byteLength(text) <= room) appendFileSync(path, text);
  // Once cut (the note is in), later parts of the step add nothing.
  else if (room > Buffer.byteLength(CUT_NOTE)) appendFileSync(path, truncated(text, room));
  return true;
}

function existingSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const CUT_NOTE = '\n\n… the rest is cut: a job summary holds at most 1 MiB. The step log has everything.\n';

function truncated(text: string, room: number): string {
  const keep = room - Buffer.byteLength(CUT_NOTE);
  // Cut at a line end so no table row or escape is left half-written.
  const head = Buffer.from(text).subarray(0, keep).toString('utf8');
  const cut = head.lastIndexOf('\n');
  return `${cut >= 0 ? head.slice(0, cut) : ''}${CUT_NOTE}`;
}

/** A table cell: plain text, or text shown as code. */
export type Cell = string | { code: string };

/**
 * A Markdown table. Every cell is taken as outside text and neutralised (markdownText, markdownCode), so no
 * value can add a row or a cell or inject markup; a line break in a cell shows as <br>.
 */
export function markdownTable(header: string[], rows: Cell[][]): string {
  const line = (cells: Cell[]) => `| ${cells.map(renderCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

function renderCell(cell: Cell): string {
  if (typeof cell !== 'string') return markdownCode(cell.code).replace(/\|/g, '\\|');
  return cell.split(/\r?\n/).map(markdownText).join('<br>');
}
