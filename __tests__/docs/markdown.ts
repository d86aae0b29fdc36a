// Just enough markdown reading for the docs tests: fenced code blocks, heading anchors and links.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface FencedBlock {
  /** The info string's first word, lower case ('' when there is none). */
  lang: string;
  /** The block's content, each line ending in a newline, exactly as a file with that content would read. */
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Fenced code blocks (``` or ~~~, three or more) at the start of a line; indented fences are not used here. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; lang: string; line: number; body: string[] } | null = null;
  lines.forEach((text, index) => {
    if (open) {
      if (text.startsWith(open.fence) && text.slice(open.fence.length).trim() === '') {
        blocks.push({ lang: open.lang, line: open.line, body: open.body.map((l) => `${l}\n`).join('') });
        open = null;
      } else {
        open.body.push(text);
      }
      return;
    }
    const fence = /^(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
    if (fence) open = { fence: fence[1], lang: fence[2].toLowerCase(), line: index + 1, body: [] };
  });
  return blocks;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const outsideCode = markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  for (const match of outsideCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = match[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Targets of inline links `[text](target)` outside code blocks and code spans. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
}

export function readRepoFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** Files under a directory of the repository, as repository-relative paths with forward slashes. */
export function filesUnder(dir: string): string[] {
  const walk = (absolute: string): string[] =>
    readdirSync(absolute).flatMap((name) => {
      const path = join(absolute, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(ROOT, path).split('\\').join('/')];
    });
  return walk(join(ROOT, dir)).sort();
}
