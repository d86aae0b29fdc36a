// Commands in `run:` scripts, read with a real shell grammar (tree-sitter-bash on web-tree-sitter), so line
// continuations, `$(…)`, if/for/while, `&&`/`||` and pipelines need no special cases, and heredoc bodies and
// comments are never taken for commands.
//
// GitHub substitutes `${{ … }}` into the script text before the shell runs it. The linter does the same for the
// expressions it can resolve (`${{ env.X }}`); the others become same-length placeholders the grammar reads as
// plain word characters, and are restored, as written, in the words that hold them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// A require, not an import: bundlers resolve an import to the ESM build, which needs import.meta at run time.
import TreeSitter = require('web-tree-sitter');
import { CheckError } from '../../core/errors';
import { baselineWasmOnly } from '../../core/wasm';
import { Env, envScope, findExpressions, literal, resolveExpressions, Value } from './value';

export interface ShellWord extends Value {
  /** Offset of the word in the script as written. */
  at: number;
  /** Offset just past the word in the script as written. */
  end: number;
}

export interface ShellCommand {
  /** The command name and its arguments, as the shell will pass them. */
  words: ShellWord[];
  /** The environment the command runs with: the step's, plus `export`s before it and its `VAR=x` prefixes. */
  env: Env;
}

export type BashParser = TreeSitter.Parser;
type Node = TreeSitter.Node;

let parser: Promise<BashParser> | undefined;

/** The bash parser, loaded once per process on first use. */
export function bashParser(): Promise<BashParser> {
  parser ??= loadParser();
  return parser;
}

async function loadParser(): Promise<BashParser> {
  baselineWasmOnly();
  const runtime = wasmFile('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
  await TreeSitter.Parser.init({ locateFile: () => runtime });
  // Bytes, not a path: loading by path uses a dynamic import, which jest's VM cannot run.
  const bash = await TreeSitter.Language.load(
    readFileSync(wasmFile('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm')),
  );
  return new TreeSitter.Parser().setLanguage(bash);
}

/** Beside the bundle in dist/ at run time; the installed package when running from source (tests). */
function wasmFile(bundled: string, packaged: string): string {
  const beside = join(__dirname, bundled);
  if (existsSync(beside)) return beside;
  try {
    return require.resolve(packaged);
  } catch {
    throw new CheckError(
      `Cannot find ${bundled} (looked beside ${__dirname} and for the package file ${packaged}). Rebuild with node scripts/build.mjs.`,
    );
  }
}

/**
 * The simple commands of a script, in source order, with the words and environment each runs with. With
 * `mentioning`, only commands whose text holds that word are read, and subtrees without it are not walked
 * (`export` statements always are, for the environment): most of a script is of no interest.
 */
export function scriptCommands(
  bash: BashParser,
  script: string,
  env: Env,
  mentioning?: string,
): ShellCommand[] {
  const prepared = prepareScript(script, env);
  const tree = bash.parse(prepared.text);
  if (!tree) return [];
  const cursor = tree.walk();
  try {
    const reader = new WordReader(prepared);
    const wanted = mentioning === undefined ? () => true : occurrences(prepared.text, [mentioning, 'export']);
    const commands: ShellCommand[] = [];
    const exported = new Map<string, Value>();
    // The redirected statement (if any) each node on the cursor's path sits in: `Node.parent` searches down
    // from the root, which makes deeply nested scripts quadratic.
    const parents: (Node | undefined)[] = [];
    for (;;) {
      const type = cursor.nodeType;
      if (type !== 'heredoc_body' && wanted(cursor.startIndex, cursor.endIndex)) {
        if (type === 'declaration_command') readExports(reader, cursor.currentNode, env, exported);
        if (type === 'command') {
          const redirected = parents[parents.length - 1];
          commands.push(
            readCommand(reader, cursor.currentNode, redirected, envScope(new Map(exported), env)),
          );
        }
        const node = type === 'redirected_statement' ? cursor.currentNode : undefined;
        if (cursor.gotoFirstChild()) {
          parents.push(node);
          continue;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return commands;
        parents.pop();
      }
    }
  } finally {
    cursor.delete();
    tree.delete();
  }
}

/** A test of whether a range of the text holds one of the words, by binary search over where they occur. */
function occurrences(text: string, words: string[]): (start: number, end: number) => boolean {
  const found: { at: number; end: number }[] = [];
  for (const word of words) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      found.push({ at, end: at + word.length });
    }
  }
  found.sort((a, b) => a.at - b.at);
  return (start, end) => {
    let low = 0;
    let high = found.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (found[middle].at < start) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < found.length && found[i].at < end; i++) if (found[i].end <= end) return true;
    return false;
  };
}

function readExports(reader: WordReader, declaration: Node, env: Env, exported: Map<string, Value>): void {
  if (declaration.firstChild?.type !== 'export') return;
  for (const assignment of declaration.namedChildren) {
    if (assignment?.type === 'variable_assignment') {
      readAssignment(reader, assignment, envScope(exported, env), exported);
    }
  }
}

function readCommand(
  reader: WordReader,
  command: Node,
  redirected: Node | undefined,
  env: Env,
): ShellCommand {
  const prefixes = new Map<string, Value>();
  const words: ShellWord[] = [];
  // Children in order: `VAR=x` prefixes, the name, then arguments and redirections (field names cost a call each).
  for (const child of command.namedChildren) {
    if (!child || REDIRECTS.has(child.type)) continue;
    if (child.type === 'variable_assignment') {
      readAssignment(reader, child, env, prefixes);
    } else {
      const word = child.type === 'command_name' ? (child.firstNamedChild ?? child) : child;
      words.push(...reader.words(word, env));
    }
  }
  // tree-sitter-bash hangs the words after a redirection (`cmd >log --push .`) on the redirection as extra
  // destinations; the shell passes them to the command.
  if (redirected?.childForFieldName('body')?.equals(command)) {
    for (const redirect of redirected.childrenForFieldName('redirect')) {
      if (redirect?.type !== 'file_redirect') continue;
      for (const destination of redirect.childrenForFieldName('destination').slice(1)) {
        if (destination) words.push(...reader.words(destination, env));
      }
    }
  }
  return { words, env: envScope(prefixes, env) };
}

function readAssignment(reader: WordReader, assignment: Node, env: Env, into: Map<string, Value>): void {
  const name = assignment.childForFieldName('name')?.text;
  const value = assignment.childForFieldName('value');
  if (name) into.set(name, value ? reader.value(value, env) : literal(''));
}

/** The script with `${{ }}` substituted or masked, and the way back to offsets in the script as written. */
interface PreparedScript {
  text: string;
  /** The offset in the script as written of an offset in `text`. */
  original(offset: number): number;
  /** The expression a placeholder at `offset` of `text` stands for. */
  placeholderAt(offset: number): string | undefined;
}

const PLACEHOLDER_START = '\uE000';
const PLACEHOLDER_FILL = '\uE001';

interface Segment {
  /** Start in the prepared text. */
  start: number;
  /** Start in the script as written. */
  original: number;
  /** True when the segment is a copy of the script, so offsets inside it map one to one. */
  copied: boolean;
}

function prepareScript(script: string, env: Env): PreparedScript {
  const expressions = findExpressions(script);
  if (expressions.length === 0) {
    return { text: script, original: (offset) => offset, placeholderAt: () => undefined };
  }
  const segments: Segment[] = [];
  const placeholders = new Map<number, string>();
  let text = '';
  let last = 0;
  const placeholder = (expression: string) => {
    placeholders.set(text.length, expression);
    text += PLACEHOLDER_START + PLACEHOLDER_FILL.repeat(expression.length - 1);
  };
  for (const expression of expressions) {
    segments.push({ start: text.length, original: last, copied: true });
    text += script.slice(last, expression.start);
    segments.push({ start: text.length, original: expression.start, copied: false });
    const written = script.slice(expression.start, expression.end);
    const resolved = resolveExpressions(written, env);
    if (resolved.unresolved.length === 1 && resolved.unresolved[0] === written) {
      placeholder(written);
    } else {
      // The resolved value goes in as text, as GitHub would put it; what it still holds unresolved is masked.
      let rest = resolved.text;
      for (const inner of new Set(resolved.unresolved)) {
        const at = rest.indexOf(inner);
        if (at < 0) continue;
        text += rest.slice(0, at);
        placeholder(inner);
        rest = rest.slice(at + inner.length);
      }
      text += rest;
    }
    last = expression.end;
  }
  segments.push({ start: text.length, original: last, copied: true });
  text += script.slice(last);
  return {
    text,
    original: (offset) => {
      let segment = segments[0];
      for (const candidate of segments) {
        if (candidate.start > offset) break;
        segment = candidate;
      }
      return segment.copied ? segment.original + (offset - segment.start) : segment.original;
    },
    placeholderAt: (offset) => placeholders.get(offset),
  };
}

type Quoting = 'unquoted' | 'double' | 'raw';

const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);

/** Turns word nodes into values: quotes removed, escapes applied, variables resolved through the environment. */
class WordReader {
  constructor(private readonly script: PreparedScript) {}

  /** The words a node becomes: usually one; an unquoted variable holding spaces splits, as the shell does. */
  words(node: Node, env: Env): ShellWord[] {
    const at = this.script.original(node.startIndex);
    const end = this.script.original(node.endIndex - 1) + 1;
    const value = this.value(node, env);
    const variable = node.type === 'simple_expansion' || node.type === 'expansion';
    if (variable && value.unresolved.length === 0 && /\s/.test(value.text)) {
      return value.text
        .split(/\s+/)
        .filter((part) => part !== '')
        .map((part) => ({ ...literal(part), at, end }));
    }
    return [{ ...value, at, end }];
  }

  value(node: Node, env: Env): Value {
    const result = literal('');
    this.append(result, node, env);
    return result;
  }

  private append(result: Value, node: Node, env: Env): void {
    switch (node.type) {
      case 'word':
      case 'number':
        this.appendText(result, node.startIndex, node.endIndex, 'unquoted');
        return;
      case 'raw_string':
        this.appendText(result, node.startIndex + 1, node.endIndex - 1, 'raw');
        return;
      case 'string':
        this.appendParts(result, node, node.startIndex + 1, node.endIndex - 1, 'double', env);
        return;
      case 'translated_string':
        this.appendParts(result, node, node.startIndex + 2, node.endIndex - 1, 'double', env);
        return;
      case 'concatenation':
        this.appendParts(result, node, node.startIndex, node.endIndex, 'unquoted', env);
        return;
      case 'simple_expansion':
      case 'expansion':
        this.appendVariable(result, node, env);
        return;
      default:
        this.appendUnresolved(result, node.startIndex, node.endIndex);
    }
  }

  /** A node made of literal text and nested parts (a string, a concatenation): the gaps are literal text. */
  private appendParts(
    result: Value,
    node: Node,
    start: number,
    end: number,
    quoting: Quoting,
    env: Env,
  ): void {
    let cursor = start;
    for (const child of node.namedChildren) {
      if (!child || child.type === 'string_content') continue;
      // In strings, the grammar may start an expansion node at the whitespace before its `$`.
      const childStart = child.startIndex + leadingSpace(child.text);
      this.appendText(result, cursor, childStart, quoting);
      this.append(result, child, env);
      cursor = child.endIndex;
    }
    this.appendText(result, cursor, end, quoting);
  }

  private appendVariable(result: Value, node: Node, env: Env): void {
    const text = node.text.trim();
    const name = /^\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})$/.exec(text);
    const value = name ? env.get(name[1] ?? name[2]) : undefined;
    if (value) {
      result.text += value.text;
      result.unresolved.push(...value.unresolved);
    } else {
      this.appendUnresolved(result, node.endIndex - text.length, node.endIndex);
    }
  }

  private appendUnresolved(result: Value, start: number, end: number): void {
    const written = this.written(start, end);
    result.text += written;
    result.unresolved.push(written);
  }

  /** Literal text between two offsets of the prepared script, with placeholders restored. */
  private appendText(result: Value, start: number, end: number, quoting: Quoting): void {
    const text = this.script.text;
    // Plain runs are copied whole; only a placeholder or (outside single quotes) a backslash needs a look.
    // The scan never passes `end`: a search to the script's end for each word would make a script's cost
    // grow with the square of its size.
    let copied = start;
    for (let i = start; i < end; i++) {
      const char = text[i];
      if (char !== PLACEHOLDER_START && (char !== '\\' || quoting === 'raw')) continue;
      result.text += text.slice(copied, i);
      const expression = char === PLACEHOLDER_START ? this.script.placeholderAt(i) : undefined;
      if (expression !== undefined) {
        result.text += expression;
        result.unresolved.push(expression);
        copied = i + expression.length;
      } else if (char === '\\' && i + 1 < end) {
        const next = text[i + 1];
        // In double quotes a backslash escapes only $ ` " \ and a line break; before anything else it stays.
        if (quoting === 'double' && !'$`"\\\n'.includes(next)) result.text += '\\';
        if (next !== '\n') result.text += next;
        copied = i + 2;
      } else {
        result.text += char;
        copied = i + 1;
      }
      i = copied - 1;
    }
    result.text += text.slice(copied, end);
  }

  /** The text between two offsets as the user wrote it (placeholders restored). */
  private written(start: number, end: number): string {
    const restored = literal('');
    this.appendText(restored, start, end, 'raw');
    return restored.text;
  }
}

function leadingSpace(text: string): number {
  return text.length - text.trimStart().length;
}
