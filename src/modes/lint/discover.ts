// Which files to lint, yielded one at a time so ten thousand workflows never sit in memory together.
//   - nothing named: the root's workflow directories (.github, .gitea and .forgejo /workflows: their *.yml and
//     *.yaml, not subdirectories, as the runners read them) and every composite action (action.yml,
//     action.yaml) under the root;
//   - a file: that file, whatever its name;
//   - a directory: the same search as the root's, under it;
//   - a glob (`*`, `**`, `?`, `{a,b}`; `!` in front excludes): the *.yml and *.yaml files it matches.
// node_modules and .git are never entered, and symbolic links are not followed into directories.
import { Dirent, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../../core/errors';
import { compileGlob } from './glob';

const WORKFLOW_DIRECTORIES = ['.github', '.gitea', '.forgejo'];
const ACTION_FILES = new Set(['action.yml', 'action.yaml']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const YAML_FILE = /\.ya?ml$/;
const GLOB_CHARACTERS = /[*?{[]/;

export interface DiscoverOptions {
  root: string;
  /** Files, directories or globs, relative to the root; none means the default search of the root. */
  paths: string[];
  /** The input or argument the paths came from, for errors ("workflows", "PATH"). */
  input: string;
}

/** Absolute paths of the files to lint, each once. */
export function* discoverFiles(options: DiscoverOptions): Generator<string> {
  const root = resolve(options.root);
  const seen = new Set<string>();
  const once = function* (files: Iterable<string>) {
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      yield file;
    }
  };
  const globs = options.paths.filter((path) => isGlob(root, path));
  const paths = options.paths.filter((path) => !isGlob(root, path));
  if (options.paths.length === 0) yield* once(lintableFiles(root));
  for (const path of paths) {
    const absolute = resolve(root, path);
    const stat = statOf(absolute);
    if (!stat) {
      throw new InputError(
        options.input,
        path,
        'No such file or directory: name a workflow file, a directory or a glob.',
      );
    }
    yield* once(stat.isDirectory() ? lintableFiles(absolute) : [absolute]);
  }
  if (globs.some((glob) => !glob.startsWith('!'))) yield* once(globbedFiles(root, globs));
}

/** A glob, unless a file or directory of that name exists (names may hold `[` or `{`). */
function isGlob(root: string, path: string): boolean {
  return (path.startsWith('!') || GLOB_CHARACTERS.test(path)) && !statOf(resolve(root, path));
}

function statOf(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The workflows of a directory taken as a repository root (the top level of its `.github/workflows` and the
 * like, as the runners read them; or the directory itself when it is one of those), then every composite
 * action beneath it.
 */
function* lintableFiles(directory: string): Generator<string> {
  const name = basename(directory);
  const workflowDirectories = [
    ...WORKFLOW_DIRECTORIES.map((forge) => join(directory, forge, 'workflows')),
    ...(WORKFLOW_DIRECTORIES.includes(name) ? [join(directory, 'workflows')] : []),
    ...(name === 'workflows' && WORKFLOW_DIRECTORIES.includes(basename(dirname(directory)))
      ? [directory]
      : []),
  ];
  for (const workflows of workflowDirectories) {
    for (const entry of listing(workflows)) {
      if (entry.isFile() && YAML_FILE.test(entry.name)) yield join(workflows, entry.name);
    }
  }
  for (const file of walk(directory)) {
    if (ACTION_FILES.has(basename(file))) yield file;
  }
}

/** The YAML files a set of globs matches, walking only below each glob's literal prefix. */
function* globbedFiles(root: string, globs: string[]): Generator<string> {
  const toRelative = (file: string) => relative(root, file).split(sep).join('/');
  const includes = globs.filter((glob) => !glob.startsWith('!'));
  const excludes = globs.filter((glob) => glob.startsWith('!')).map((glob) => compileGlob(glob.slice(1)));
  const patterns = includes.map(compileGlob);
  const matches = (file: string) => {
    const path = toRelative(file);
    return (
      YAML_FILE.test(path) &&
      patterns.some((pattern) => pattern.test(path)) &&
      !excludes.some((pattern) => pattern.test(path))
    );
  };
  const bases = [...new Set(includes.map((glob) => resolve(root, literalPrefix(glob))))];
  // A base inside another base would be walked twice: keep the outermost ones.
  const outermost = bases.filter((base) => !bases.some((other) => other !== base && isInside(base, other)));
  for (const base of outermost) {
    for (const file of walk(base)) if (matches(file)) yield file;
  }
}

/** The directories of a glob before its first wildcard: `.github/workflows/*.yml` → `.github/workflows`. */
function literalPrefix(glob: string): string {
  const segments = glob.replace(/^(\.?\/)+/, '').split('/');
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (GLOB_CHARACTERS.test(segment) || segment.includes('\\')) break;
    literal.push(segment);
  }
  return literal.join('/') || '.';
}

function isInside(path: string, directory: string): boolean {
  const inside = relative(directory, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

/** Every regular file under a directory, depth first, one directory listing in memory at a time. */
function* walk(directory: string): Generator<string> {
  const pending = [directory];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of listing(current)) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(path);
      } else if (entry.isFile()) {
        yield path;
      }
    }
  }
}

/** A directory's entries; none when it does not exist or cannot be read. */
function listing(directory: string): Dirent[] {
  try {
    return readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
}
