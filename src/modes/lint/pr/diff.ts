// The lines a pull request changes, from unified diffs: GitHub's per-file `patch` of the pulls files API, or
// the whole `.diff` of a pull request on Gitea and Forgejo (whose files API has no patch). Lines are those of
// the new file: each added line, and where lines were only deleted, the line after the deletion (what the
// reader sees changed there).

/** New-file line numbers that a patch (the hunks of one file) adds or changes. */
export function changedLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let next = 0;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
      inHunk = true;
    } else if (!inHunk || line.startsWith('\\')) {
      continue;
    } else if (line.startsWith('+')) {
      lines.add(next++);
    } else if (line.startsWith('-')) {
      lines.add(Math.max(next, 1));
    } else if (line.startsWith(' ') || line === '') {
      next++;
    } else {
      inHunk = false;
    }
  }
  return lines;
}

/** A multi-file `git diff` split by file: the new path (`b/…`) to its hunks. Deleted files are left out. */
export function splitDiff(diff: string): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | undefined;
  let hunks: string[] = [];
  const flush = () => {
    if (current !== undefined) files.set(current, hunks.join('\n'));
    current = undefined;
    hunks = [];
  };
  let inHeader = false;
  for (const line of diff.split(/\r?\n/)) {
    if (line.startsWith('diff --git ')) {
      flush();
      inHeader = true;
      continue;
    }
    if (inHeader && line.startsWith('+++ ')) {
      const target = line.slice(4).replace(/\t.*$/, '');
      current = target === '/dev/null' ? undefined : unquote(target).replace(/^b\//, '');
      inHeader = false;
      continue;
    }
    if (!inHeader && current !== undefined) hunks.push(line);
  }
  flush();
  return files;
}

/** git quotes a path with unusual bytes as a C string: "b/caf\303\251.yml". */
function unquote(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(escapes[body[i + 1]] ?? body.charCodeAt(i + 1));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
