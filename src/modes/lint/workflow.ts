// The steps of a workflow (jobs.<id>.steps) or of a composite action (runs.steps), each with the environment and
// matrix it runs with. Anchors, aliases and merge keys are followed; anything that is not the expected shape is
// skipped, never thrown on: a workflow the runner would reject is not this linter's to judge.
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { EMPTY_ENV, Env, envScope, literal, Matrix, NO_MATRIX, resolveExpressions, Value } from './value';

/** One job (or a composite action's steps): one runner, one daemon. The same object for all its steps. */
export interface JobContext {
  /** The `runs-on` labels; undefined for a composite action. */
  runsOn?: Value[];
  /** Whether the job has a `container:`. */
  container: boolean;
}

export interface StepContext {
  step: YAMLMap;
  job: JobContext;
  env: Env;
  matrix: Matrix;
  /** The default shell of `run:` steps (job, else workflow `defaults.run.shell`). */
  defaultShell: string | undefined;
}

export function* workflowSteps(doc: Document): Generator<StepContext> {
  const root = mapAt(doc, doc.contents);
  if (!root) return;
  const jobs = mapAt(doc, get(doc, root, 'jobs'));
  if (jobs) {
    const workflowEnv = envOf(doc, get(doc, root, 'env'), EMPTY_ENV);
    const workflowShell = defaultShellOf(doc, root);
    for (const pair of pairsOf(doc, jobs)) {
      const job = mapAt(doc, pair.value as Node);
      if (!job) continue;
      yield* jobSteps(doc, job, {
        job: {
          runsOn: runsOnOf(doc, get(doc, job, 'runs-on')),
          container: get(doc, job, 'container') !== undefined,
        },
        env: envOf(doc, get(doc, job, 'env'), workflowEnv),
        matrix: matrixOf(doc, get(doc, mapAt(doc, get(doc, job, 'strategy')), 'matrix')),
        defaultShell: defaultShellOf(doc, job) ?? workflowShell,
      });
    }
    return;
  }
  // A composite action: its inputs are expressions the linter leaves unresolved.
  const runs = mapAt(doc, get(doc, root, 'runs'));
  if (runs) {
    const job: JobContext = { container: false };
    yield* jobSteps(doc, runs, { job, env: EMPTY_ENV, matrix: NO_MATRIX, defaultShell: undefined });
  }
}

/**
 * The labels of `runs-on`: a label, a list of them, or `{ group, labels }` (a runner group is named as the
 * label `group: NAME`). Expressions stay unresolved; a shape the linter does not know gives no labels.
 */
function runsOnOf(doc: Document, node: unknown): Value[] {
  const label = (item: unknown) => {
    const text = scalarText(doc, item);
    return text === undefined ? [] : [resolveExpressions(text, EMPTY_ENV)];
  };
  const value = resolve(doc, node);
  if (isSeq(value)) return value.items.flatMap(label);
  const map = mapAt(doc, value);
  if (!map) return label(value);
  const labels = resolve(doc, get(doc, map, 'labels'));
  const group = scalarText(doc, get(doc, map, 'group'));
  return [
    ...(group === undefined ? [] : [literal(`group: ${group}`)]),
    ...(isSeq(labels) ? labels.items.flatMap(label) : label(labels)),
  ];
}

function* jobSteps(doc: Document, job: YAMLMap, context: Omit<StepContext, 'step'>): Generator<StepContext> {
  const steps = resolve(doc, get(doc, job, 'steps'));
  if (!isSeq(steps)) return;
  // Variables a step writes to $GITHUB_ENV are in the environment of the job's later steps, over the job's env.
  const written = new Map<string, Value>();
  for (const item of steps.items) {
    const step = mapAt(doc, item as Node);
    if (!step) continue;
    const jobEnv = envScope(new Map(written), context.env);
    yield { ...context, step, env: envOf(doc, get(doc, step, 'env'), jobEnv) };
    const run = scalarText(doc, get(doc, step, 'run'));
    if (run?.includes('GITHUB_ENV')) {
      for (const [name, value] of githubEnvWrites(run)) written.set(name, literal(value));
    }
  }
}

const GITHUB_ENV_WRITE =
  /^\s*echo\s+(["']?)([A-Za-z_]\w*)=([^"'\n$]*)\1\s*>>\s*["']?\$\{?GITHUB_ENV\}?["']?\s*$/gm;

/** `echo "NAME=value" >> "$GITHUB_ENV"` lines with a literal value. */
export function githubEnvWrites(script: string): Map<string, string> {
  return new Map([...script.matchAll(GITHUB_ENV_WRITE)].map((match) => [match[2], match[3].trim()]));
}

/** An `env:` mapping over its parent scope; its values may use `${{ env.X }}` of the outer scopes. */
function envOf(doc: Document, node: unknown, parent: Env): Env {
  const map = mapAt(doc, node);
  if (!map) return parent;
  const vars = new Map<string, Value>();
  for (const pair of pairsOf(doc, map)) {
    const name = scalarText(doc, pair.key);
    const value = resolve(doc, pair.value);
    if (name === undefined || !isScalar(value)) continue;
    vars.set(name, value.value === null ? literal('') : resolveExpressions(String(value.value), parent));
  }
  return envScope(vars, parent);
}

/** The literal values of each matrix key, plus those `include` adds; keys given by an expression are left out. */
function matrixOf(doc: Document, node: unknown): Matrix {
  const map = mapAt(doc, node);
  if (!map) return NO_MATRIX;
  const values = new Map<string, string[]>();
  const add = (key: string, value: unknown) => {
    const text = scalarText(doc, value);
    if (text === undefined || text.includes('${{')) return false;
    values.set(key, [...(values.get(key) ?? []), text]);
    return true;
  };
  const opaque = new Set<string>();
  for (const pair of pairsOf(doc, map)) {
    const key = scalarText(doc, pair.key);
    if (key === undefined || key === 'exclude') continue;
    const list = resolve(doc, pair.value);
    if (key === 'include') {
      if (!isSeq(list)) continue;
      for (const entry of list.items) {
        const combination = mapAt(doc, entry);
        for (const extra of combination ? pairsOf(doc, combination) : []) {
          const name = scalarText(doc, extra.key);
          if (name !== undefined && !add(name, extra.value)) opaque.add(name);
        }
      }
    } else if (!isSeq(list) || !list.items.every((item) => add(key, item))) {
      opaque.add(key);
    }
  }
  for (const key of opaque) values.delete(key);
  return values;
}

function defaultShellOf(doc: Document, map: YAMLMap): string | undefined {
  const run = mapAt(doc, get(doc, mapAt(doc, get(doc, map, 'defaults')), 'run'));
  return run ? scalarText(doc, get(doc, run, 'shell')) : undefined;
}

export function resolve(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(doc) as Node | undefined;
  return (node ?? undefined) as Node | undefined;
}

export function mapAt(doc: Document, node: unknown): YAMLMap | undefined {
  const resolved = resolve(doc, node);
  return isMap(resolved) ? resolved : undefined;
}

/** The pairs of a mapping, with those of `<<` merge keys after its own (own keys win). */
export function pairsOf(doc: Document, map: YAMLMap): Pair[] {
  const own: Pair[] = [];
  const merged: Pair[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      const sources = resolve(doc, item.value);
      for (const source of isSeq(sources) ? sources.items : [sources]) {
        const mergedMap = mapAt(doc, source);
        if (mergedMap && mergedMap !== map) merged.push(...mergedMap.items.filter(isPair));
      }
    } else {
      own.push(item);
    }
  }
  return merged.length === 0 ? own : [...own, ...merged];
}

/** `<<`: with the merge option, the yaml package gives it a symbol value. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

export function getPair(doc: Document, map: YAMLMap | undefined, key: string): Pair | undefined {
  if (!map) return undefined;
  // The common case, without building the merged list: a plain key of the mapping itself.
  let hasMergeKey = false;
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    if (item.key.value === key) return item;
    if (isMergeKey(item.key)) hasMergeKey = true;
  }
  return hasMergeKey ? pairsOf(doc, map).find((pair) => scalarText(doc, pair.key) === key) : undefined;
}

export function get(doc: Document, map: YAMLMap | undefined, key: string): Node | undefined {
  return resolve(doc, getPair(doc, map, key)?.value);
}

export function scalarAt(doc: Document, node: unknown): Scalar | undefined {
  const resolved = resolve(doc, node);
  return isScalar(resolved) ? resolved : undefined;
}

/** A scalar's value as a string (YAML booleans and numbers as written by String()); undefined for null. */
export function scalarText(doc: Document, node: unknown): string | undefined {
  const scalar = scalarAt(doc, node);
  return scalar && scalar.value !== null && scalar.value !== undefined ? String(scalar.value) : undefined;
}
