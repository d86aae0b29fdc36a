// A small path glob matcher for `ignore-paths` in the policy file and the action's `workflows` input.
// Paths are relative, with forward slashes, as findings carry them.

/**
 * Compiles a glob to an anchored RegExp:
 * - `*` matches any characters within one path segment, `?` one character within a segment;
 * - `**` as a whole segment matches any number of segments, none included (`**` alone matches every path);
 * - `{a,b}` matches either alternative (nesting allowed); `\x` matches a literal x;
 * - everything else is literal. A leading `./` or `/` (the root) and a trailing `/` are dropped.
 * Dot files are not special: workflows live under `.github`, and `**` must reach them.
 */
export function globToRegExp(glob: string): RegExp {
  // Leading white space, `./` and `/`, and trailing white space and `/`, in any mix (one pass, so it is stable).
  const pattern = glob.replace(/^(\s|\.?\/)+|[\s/]+$/g, '');
  const groups = matchedBraces(pattern);
  let source = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i]);
    } else if (ch === '*') {
      let end = i;
      while (pattern[end] === '*') end++;
      const wholeSegment =
        end - i >= 2 &&
        (i === 0 || pattern[i - 1] === '/') &&
        (end === pattern.length || pattern[end] === '/');
      if (!wholeSegment) source += '[^/]*';
      else if (end === pattern.length) source += '.*';
      else {
        source += '(?:[^/]+/)*';
        end++; // the slash after `**` belongs to the repeated group
      }
      i = end - 1;
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '{' && groups.has(i)) {
      source += '(?:';
      depth++;
    } else if (ch === '}' && depth > 0) {
      source += ')';
      depth--;
    } else if (ch === ',' && depth > 0) {
      source += '|';
    } else {
      source += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * A predicate over paths: true when a glob matches the path or one of its parent directories, so
 * `legacy` or `legacy/` covers every file beneath it, as in .gitignore.
 */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (path) => {
    if (patterns.length === 0) return false;
    const segments = path.split('/');
    for (let end = segments.length; end > 0; end--) {
      const candidate = segments.slice(0, end).join('/');
      if (patterns.some((pattern) => pattern.test(candidate))) return true;
    }
    return false;
  };
}

/** Indexes of the `{` that have a closing `}`; the others are literal. */
function matchedBraces(pattern: string): Set<number> {
  const open: number[] = [];
  const matched = new Set<number>();
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '{') open.push(i);
    else if (pattern[i] === '}' && open.length > 0) matched.add(open.pop() as number);
  }
  return matched;
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}
