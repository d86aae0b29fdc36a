// The lint engine: discover the files, read each one into its build model and run the rules on it while its
// text is at hand (for inline ignores), keep only what the cross-file rules need, then run those.
import { relative, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { Log } from '../../core/output/log';
import { applyLintPolicy, LintPolicy } from './config';
import { isInside } from './contained';
import { discoverFiles } from './discover';
import { buildSteps } from './extract';
import { Finding } from './finding';
import { applyInlineIgnores, inlineIgnoreProblems } from './ignores';
import { BuildStep, Edit } from './model';
import { LINT_RULES } from './rules';
import { LintedFile, RuleContext } from './rules/rule';
import { bashParser } from './shell';
import { readSource, Source } from './source';

/** The name findings give a workflow read from standard input (`buildx-guard lint -`). */
export const STDIN_NAME = '<stdin>';

export interface LintOptions {
  /** Finding paths are relative to it; so are `paths`. */
  root: string;
  /** Files, directories or globs; none means the default search (see discover.ts). */
  paths: string[];
  policy: LintPolicy;
  log: Log;
  /** Where `paths` came from, for errors: the `workflows` input or the CLI's PATH arguments. */
  input?: string;
  /** A workflow read from standard input: linted alone, as STDIN_NAME, instead of discovering files. */
  stdin?: Source;
}

export interface LintResult {
  /** Sorted by file, line and column. */
  findings: Finding[];
  /** The edits that fix findings (`--fix`), by absolute path. */
  fixes: Map<string, Edit[]>;
  files: number;
}

export async function lintPaths(options: LintOptions): Promise<Finding[]> {
  return (await lintRepository(options)).findings;
}

export async function lintRepository(options: LintOptions): Promise<LintResult> {
  const root = resolve(options.root);
  const context: RuleContext = { attestationPolicy: options.policy.attestationPolicy };
  const rules = LINT_RULES.filter((rule) => options.policy.rules[rule.meta.id]?.enabled !== false);
  const findings: Finding[] = [];
  const repositorySteps: BuildStep[] = [];
  const fixable = new Map<string, { path: string; edit: Edit }>();
  // Findings of the same step shape share one message text: kept once, findings stay small in large repos.
  const messages = new Map<string, string>();
  const intern = (finding: Finding): Finding => {
    const message = messages.get(finding.message);
    if (message !== undefined) return { ...finding, message };
    messages.set(finding.message, finding.message);
    return finding;
  };
  let files = 0;
  const { stdin } = options;
  const paths = stdin
    ? [STDIN_NAME]
    : discoverFiles({ root, paths: options.paths, input: options.input ?? 'PATH' });
  const readFile = repositoryReader(root);

  for (const path of paths) {
    files++;
    const display = stdin ? STDIN_NAME : displayPath(root, path);
    const { file, text } = await lintedFile(
      stdin ?? readSource(path, root),
      display,
      options.policy,
      readFile,
    );
    const own = rules.flatMap((rule) => rule.checkFile?.(file, context) ?? []);
    const kept = text === undefined ? own : applyInlineIgnores(own, text);
    findings.push(...kept.map(intern));
    for (const [key, edit] of fixableIn(file, kept)) fixable.set(key, { path, edit });
    for (const problem of text === undefined ? [] : inlineIgnoreProblems(text)) {
      options.log.warning(`${file.path}:${problem.line}:${problem.column}: ${problem.message}`, {
        file: file.path,
        startLine: problem.line,
        startColumn: problem.column,
      });
    }
    // The cross-file rules need only what other steps can refer to: pushes by tag, index copies and merges.
    repositorySteps.push(...file.steps.filter((step) => step.kind !== 'build' || step.tags.length > 0));
  }

  const crossFile = rules.flatMap((rule) => rule.checkRepository?.(repositorySteps, context) ?? []);
  for (const file of new Set(crossFile.map((finding) => finding.file))) {
    // The file's text is gone by now: read again, only for the few files with such findings.
    const ofFile = crossFile.filter((finding) => finding.file === file);
    const source = stdin ?? readSource(resolve(root, file), root);
    findings.push(...('text' in source ? applyInlineIgnores(ofFile, source.text) : ofFile));
  }

  const kept = unique(applyLintPolicy(findings, options.policy)).sort(byPosition);
  return { findings: kept, fixes: fixesFor(kept, fixable), files };
}

async function lintedFile(
  source: Source,
  display: string,
  policy: LintPolicy,
  readFile: (path: string) => string | undefined,
): Promise<{ file: LintedFile; text?: string }> {
  if (!('text' in source)) {
    return {
      file: {
        path: display,
        parseError: { at: { line: 1, column: 1 }, message: source.problem, unread: true },
        steps: [],
      },
    };
  }
  const { text } = source;
  const doc = parseDocument(text, { merge: true, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    const at = error.linePos?.[0] ?? { line: 1, col: 1 };
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return {
      file: { path: display, parseError: { at: { line: at.line, column: at.col }, message }, steps: [] },
      text,
    };
  }
  // Only a file that mentions docker or this action can hold a build: the rest need no model.
  const mayBuild = text.includes('docker') || text.includes('buildx-guard');
  const steps = mayBuild
    ? buildSteps(display, text, doc, await bashParser(), { imageStore: policy.imageStore, readFile })
    : [];
  return { file: { path: display, steps }, text };
}

const FIXED_RULE = 'single-platform-attestations';

/**
 * The edits for a file's findings that `--fix` may apply: a default provenance attestation the linter is sure
 * of (not a note) is turned off by its step's own edit. An explicit request is the user's choice, and is left.
 */
function fixableIn(file: LintedFile, findings: Finding[]): [string, Edit][] {
  const sure = new Set(
    findings
      .filter((finding) => finding.rule === FIXED_RULE && finding.severity !== 'note')
      .map((finding) => findingKey(finding.file, finding.line, finding.column)),
  );
  return file.steps.flatMap((step): [string, Edit][] => {
    const key = findingKey(file.path, step.at.line, step.at.column);
    return step.kind === 'build' && step.disable.edit && sure.has(key) ? [[key, step.disable.edit]] : [];
  });
}

/** The edits of the findings that survived the policy, by file. */
function fixesFor(
  findings: Finding[],
  fixable: Map<string, { path: string; edit: Edit }>,
): Map<string, Edit[]> {
  const fixes = new Map<string, Edit[]>();
  for (const finding of findings) {
    const fix =
      finding.rule === FIXED_RULE
        ? fixable.get(findingKey(finding.file, finding.line, finding.column))
        : undefined;
    if (fix) fixes.set(fix.path, [...(fixes.get(fix.path) ?? []), fix.edit]);
  }
  return fixes;
}

function findingKey(file: string, line: number, column: number): string {
  return `${file}\0${line}\0${column}`;
}

/**
 * Reads a file a workflow refers to (a compose file) by its path from the root, never outside the repository:
 * not through `..`, an absolute path or a symlink that leads out. Undefined when it is not there or not text.
 */
function repositoryReader(root: string): (path: string) => string | undefined {
  return (path) => {
    const absolute = resolve(root, path);
    // Written outside the repository (`..`, an absolute path): repository content names no such file.
    if (absolute === resolve(root) || !isInside(absolute, resolve(root))) return undefined;
    const source = readSource(absolute, root);
    return 'text' in source ? source.text : undefined;
  };
}

function displayPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** A step shared through a YAML alias is one place in the file: its finding is reported once. */
function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${findingKey(finding.file, finding.line, finding.column)}\0${finding.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function byPosition(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}
