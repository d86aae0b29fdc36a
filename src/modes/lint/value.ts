// Strings from workflows, and what the linter can resolve in them: `${{ env.X }}` expressions and `$X` shell
// variables through the step, job and workflow `env`, and `${{ matrix.X }}` over a literal matrix. Everything
// else (`${{ inputs.x }}`, `$(git describe)`, …) is kept as written and listed, never guessed at.
import { Unknown, unknown } from './tri';

/** A string from a workflow. What could not be resolved stays in `text` as written and is listed in `unresolved`. */
export interface Value {
  text: string;
  unresolved: string[];
}

export function literal(text: string): Value {
  return { text, unresolved: [] };
}

export function isResolved(value: Value): boolean {
  return value.unresolved.length === 0;
}

/** The unknown fact a value with unresolved parts makes. */
export function dependsOn(value: Value): Unknown {
  return unknown(...value.unresolved.map((expression) => `\`${expression}\``));
}

/** The environment variables a step sees: each scope's own over its parent's. */
export interface Env {
  get(name: string): Value | undefined;
}

export const EMPTY_ENV: Env = { get: () => undefined };

export function envScope(vars: ReadonlyMap<string, Value>, parent: Env): Env {
  if (vars.size === 0) return parent;
  return { get: (name) => vars.get(name) ?? parent.get(name) };
}

export interface Expression {
  start: number;
  end: number;
  /** The text between `${{` and `}}`. */
  inner: string;
}

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;

export function findExpressions(text: string): Expression[] {
  if (!text.includes('${{')) return [];
  return [...text.matchAll(EXPRESSION)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    inner: match[1],
  }));
}

/** Resolves the `${{ env.X }}` expressions of a text; the others stay as written. */
export function resolveExpressions(text: string, env: Env): Value {
  const expressions = findExpressions(text);
  if (expressions.length === 0) return literal(text);
  const result = literal('');
  let last = 0;
  for (const expression of expressions) {
    result.text += text.slice(last, expression.start);
    appendResolved(result, text.slice(expression.start, expression.end), env);
    last = expression.end;
  }
  result.text += text.slice(last);
  return result;
}

/** Appends one `${{ … }}` expression to a value: its env value when it names one, else the expression as written. */
function appendResolved(target: Value, expression: string, env: Env): void {
  const name = envReference(expression);
  const value = name === undefined ? undefined : env.get(name);
  if (value) {
    target.text += value.text;
    target.unresolved.push(...value.unresolved);
  } else {
    target.text += expression;
    target.unresolved.push(expression);
  }
}

const ENV_REFERENCE = /^\$\{\{\s*env\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*'([^']+)'\s*\])\s*\}\}$/;
const MATRIX_REFERENCE = /^\$\{\{\s*matrix\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*'([^']+)'\s*\])\s*\}\}$/;

function envReference(expression: string): string | undefined {
  const match = ENV_REFERENCE.exec(expression);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** The literal values of each matrix key of a job (keys whose values are all literal strings). */
export type Matrix = ReadonlyMap<string, readonly string[]>;

export const NO_MATRIX: Matrix = new Map();

const MAX_EXPANSIONS = 64;

/**
 * Every text a value can take over the job's matrix: `${{ matrix.arch }}` with arch [amd64, arm64] gives two
 * texts. Keys are expanded independently (a superset of the real combinations, which is what matching needs).
 * What is left unresolved after expansion is listed; a value with too many combinations is not expanded.
 */
export function expandMatrix(value: Value, matrix: Matrix): { texts: string[]; unresolved: string[] } {
  let texts = [value.text];
  const unresolved: string[] = [];
  for (const expression of new Set(value.unresolved)) {
    const match = MATRIX_REFERENCE.exec(expression);
    const choices = match ? matrix.get(match[1] ?? match[2]) : undefined;
    if (!choices || choices.length === 0 || texts.length * choices.length > MAX_EXPANSIONS) {
      unresolved.push(expression);
      continue;
    }
    texts = texts.flatMap((text) => choices.map((choice) => text.split(expression).join(choice)));
  }
  return { texts, unresolved };
}

/** A boolean as Go's strconv.ParseBool reads it (buildx's flags and BUILDX_NO_DEFAULT_ATTESTATIONS). */
export function goBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** A boolean input as @actions/core's getBooleanInput reads it (the YAML 1.2 core schema). */
export function inputBool(text: string): boolean | undefined {
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  return undefined;
}

/**
 * Splits on a separator outside `${{ … }}` expressions and double quotes (buildx reads its CSV values, such as
 * `--output type=image,name=…`, with quotes; an expression may contain the separator).
 */
export function splitOutside(text: string, separator: string): string[] {
  const expressions = findExpressions(text);
  const parts: string[] = [];
  let part = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const expression = expressions.find((candidate) => candidate.start === i);
    if (expression) {
      part += text.slice(expression.start, expression.end);
      i = expression.end - 1;
    } else if (text[i] === '"') {
      quoted = !quoted;
    } else if (text[i] === separator && !quoted) {
      parts.push(part);
      part = '';
    } else {
      part += text[i];
    }
  }
  parts.push(part);
  return parts;
}

/** The part of a value's unresolved list that occurs in one of its substrings. */
export function valueOf(text: string, from: Value): Value {
  return { text, unresolved: from.unresolved.filter((expression) => text.includes(expression)) };
}
