// A small path glob matcher for `ignore-paths` in the policy file and the action's `workflows` input.
// Paths are relative, with forward slashes, as findings carry them.

/** A compiled glob: whether a whole path matches it. */
export interface Glob {
  test(path: string): boolean;
}

// The glob is compiled to a nondeterministic automaton and run over the path with a set of states (Thompson's
// construction), never by backtracking: matching costs at most the path's length times the glob's, whatever
// the glob holds. (A RegExp of `*a*a*a…` against a long name backtracks for minutes.)
type Node =
  | { kind: 'char'; accepts: (ch: string) => boolean; next: number }
  | { kind: 'split'; next: number[] }
  | { kind: 'match' };

const NOT_SLASH = (ch: string) => ch !== '/';
const ANY = () => true;

/**
 * Compiles a glob:
 * - `*` matches any characters within one path segment, `?` one character within a segment;
 * - `**` as a whole segment matches any number of segments, none included (`**` alone matches every path);
 * - `{a,b}` matches either alternative (nesting allowed); `\x` matches a literal x;
 * - everything else is literal. A leading `./` or `/` (the root) and a trailing `/` are dropped.
 * Dot files are not special: workflows live under `.github`, and `**` must reach them.
 */
export function compileGlob(glob: string): Glob {
  // Leading white space, `./` and `/`, and trailing white space and `/`, in any mix (one pass, so it is stable).
  const pattern = glob.replace(/^(\s|\.?\/)+|[\s/]+$/g, '');
  const braces = matchedBraces(pattern);
  const nodes: Node[] = [];
  const add = (node: Node) => nodes.push(node) - 1;
  /** A new epsilon node, and the list of its targets to fill in. */
  const split = (): [number, number[]] => {
    const next: number[] = [];
    return [add({ kind: 'split', next }), next];
  };
  let i = 0;
  /** A sequence up to `,` or `}` of the enclosing group (or the end): its entry node and its exit placeholder. */
  const sequence = (inGroup: boolean): { start: number; end: number } => {
    const [start] = split();
    let last = start;
    const link = (from: number, to: number) => {
      const node = nodes[from];
      if (node.kind === 'split') node.next.push(to);
      else if (node.kind === 'char') node.next = to;
    };
    const char = (accepts: (ch: string) => boolean) => {
      const node = add({ kind: 'char', accepts, next: -1 });
      link(last, node);
      last = node;
    };
    while (i < pattern.length) {
      const ch = pattern[i];
      if (inGroup && (ch === ',' || ch === '}')) break;
      if (ch === '\\' && i + 1 < pattern.length) {
        const literal = pattern[i + 1];
        char((c) => c === literal);
        i += 2;
      } else if (ch === '*') {
        let end = i;
        while (pattern[end] === '*') end++;
        const wholeSegment =
          end - i >= 2 &&
          (i === 0 || pattern[i - 1] === '/') &&
          (end === pattern.length || pattern[end] === '/');
        const [loop, loopNext] = split();
        link(last, loop);
        if (wholeSegment && end === pattern.length) {
          // `**` at the end: anything at all.
          loopNext.push(add({ kind: 'char', accepts: ANY, next: loop }));
        } else if (wholeSegment) {
          // `**/`: any number of whole segments, each one or more characters and its slash.
          const [inSegment, inSegmentNext] = split();
          loopNext.push(add({ kind: 'char', accepts: NOT_SLASH, next: inSegment }));
          inSegmentNext.push(
            add({ kind: 'char', accepts: NOT_SLASH, next: inSegment }),
            add({ kind: 'char', accepts: (c) => c === '/', next: loop }),
          );
          end++; // the slash after `**` belongs to the repeated group
        } else {
          loopNext.push(add({ kind: 'char', accepts: NOT_SLASH, next: loop }));
        }
        last = loop;
        i = end;
      } else if (ch === '?') {
        char(NOT_SLASH);
        i++;
      } else if (ch === '{' && braces.has(i)) {
        i++;
        const [join] = split();
        const [fork, forkNext] = split();
        link(last, fork);
        for (;;) {
          const alternative = sequence(true);
          forkNext.push(alternative.start);
          link(alternative.end, join);
          if (pattern[i++] !== ',') break; // the closing `}`
        }
        last = join;
      } else {
        char((c) => c === ch);
        i++;
      }
    }
    const [end] = split();
    link(last, end);
    return { start, end };
  };
  const { start, end } = sequence(false);
  const match = add({ kind: 'match' });
  (nodes[end] as { next: number[] }).next.push(match);
  return { test: (path) => run(nodes, start, path) };
}

function run(nodes: Node[], start: number, path: string): boolean {
  // One mark per node and step, so each state is taken once per character, without allocating a set.
  const mark = new Int32Array(nodes.length).fill(-1);
  let step = 0;
  let current = closure(nodes, [start], mark, step);
  for (const ch of path) {
    const next: number[] = [];
    for (const id of current) {
      const node = nodes[id];
      if (node.kind === 'char' && node.accepts(ch)) next.push(node.next);
    }
    if (next.length === 0) return false;
    current = closure(nodes, next, mark, ++step);
  }
  return current.some((id) => nodes[id].kind === 'match');
}

/** The states reachable without consuming a character, each once. */
function closure(nodes: Node[], from: number[], mark: Int32Array, step: number): number[] {
  const stack = from;
  const states: number[] = [];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (mark[id] === step) continue;
    mark[id] = step;
    const node = nodes[id];
    if (node.kind === 'split') stack.push(...node.next);
    else states.push(id);
  }
  return states;
}

/**
 * A predicate over paths: true when a glob matches the path or one of its parent directories, so
 * `legacy` or `legacy/` covers every file beneath it, as in .gitignore.
 */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const patterns = globs.map(compileGlob);
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
