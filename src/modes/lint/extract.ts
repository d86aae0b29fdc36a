// From a parsed workflow or composite action to its build model: each `run:` script's docker commands and each
// `uses:` step of a known action, with file positions, followed through each job's daemon (daemon.ts).
import { Document, isMap, isScalar, Pair, Scalar, YAMLMap } from 'yaml';
import { posix } from 'node:path';
import { ActionInput, actionRef, actionStep } from './actions';
import { ComposeCommand, composeServices, composeSteps, DEFAULT_COMPOSE_FILES } from './compose';
import { JobDaemon } from './daemon';
import { dockerStep, ScriptLocator } from './docker-command';
import { LineIndex } from './lines';
import { BuildStep, DaemonOp, Edit } from './model';
import { containerdStore, ImageStorePolicy, NO_IMAGE_STORE_POLICY, reconfiguredDaemon } from './runner';
import { mapScalar } from './scalar-map';
import { BashParser, scriptCommands } from './shell';
import { dependsOn, isResolved, resolveExpressions } from './value';
import {
  getPair,
  mapAt,
  pairsOf,
  resolve,
  scalarAt,
  scalarText,
  StepContext,
  workflowSteps,
} from './workflow';

/**
 * A script without one of these words runs no build, merge, index copy, push, builder change or image replacement
 * (`buildx` covers `buildx b|f|create|use`; `pull`, `load` and `import` change what a later push sends).
 */
const BUILD_WORDS = /build|bake|manifest|imagetools|push|tag|pull|load|import/;

/** Shells whose scripts read as POSIX shell; others (pwsh, python, cmd) are not parsed. */
const POSIX_SHELLS = new Set(['bash', 'sh', 'dash', 'zsh', 'ksh', 'ash', 'busybox']);

/** What every step of one file is read against. */
interface FileContext {
  file: string;
  source: string;
  doc: Document;
  lines: LineIndex;
  bash: BashParser;
}

export interface ExtractOptions {
  imageStore: ImageStorePolicy;
  /** A file of the repository by its path from the root (compose files), or undefined when there is none. */
  readFile?: (path: string) => string | undefined;
}

export function buildSteps(
  file: string,
  source: string,
  doc: Document,
  bash: BashParser,
  options: ExtractOptions = { imageStore: NO_IMAGE_STORE_POLICY },
): BuildStep[] {
  const context: FileContext = { file, source, doc, lines: new LineIndex(source), bash };
  const github = !/^\.(gitea|forgejo)\//.test(file);
  const steps: BuildStep[] = [];
  let job: { context: StepContext['job']; daemon: JobDaemon } | undefined;
  for (const step of workflowSteps(doc)) {
    if (job?.context !== step.job) {
      const runner = { labels: step.job.runsOn, container: step.job.container, github };
      job = {
        context: step.job,
        daemon: new JobDaemon(containerdStore(runner, step.matrix, options.imageStore)),
      };
    }
    const { daemon } = job;
    const run = scalarAt(doc, getPair(doc, step.step, 'run')?.value);
    if (run) {
      const items = runSteps(context, step, run).flatMap((item) =>
        item.kind === 'compose'
          ? composeOf(item, workingDirectory(context, step), options.readFile).map((op) =>
              op.kind === 'build' ? { ...op, disable: { ...op.disable, edit: envEdit(context, step) } } : op,
            )
          : [item],
      );
      steps.push(...items.flatMap((item) => daemon.apply(item)));
      if (String(run.value ?? '').includes('daemon.json')) {
        daemon.reconfigured(
          reconfiguredDaemon(`the step at line ${lines(context, run)} that writes \`daemon.json\``),
        );
      }
      continue;
    }
    const uses = getPair(doc, step.step, 'uses');
    if (!uses) continue;
    const build = usesStep(context, step, uses);
    if (build) steps.push(...daemon.apply(build));
    else setupStep(context, step, uses, daemon);
  }
  return steps;
}

/** Adds `BUILDX_NO_DEFAULT_ATTESTATIONS: 1` to a `run:` step's `env:` (for builds without a flag to add). */
function envEdit(context: FileContext, step: StepContext): Edit | undefined {
  const { doc } = context;
  const run = getPair(doc, step.step, 'run');
  if (!run) return undefined;
  const pair = getPair(doc, step.step, 'env');
  return entryEdit(
    context.source,
    step.step,
    run,
    { name: 'env', pair },
    "BUILDX_NO_DEFAULT_ATTESTATIONS: '1'",
  );
}

/** The step's `working-directory`, from the repository root ('' when it is the root or not literal). */
function workingDirectory(context: FileContext, step: StepContext): string {
  const text = scalarText(context.doc, getPair(context.doc, step.step, 'working-directory')?.value);
  return text === undefined || text.includes('${{') ? '' : text;
}

/** A compose command's builds or push, when its compose file is in the repository. */
function composeOf(
  command: ComposeCommand,
  directory: string,
  readFile: ExtractOptions['readFile'],
): (BuildStep | DaemonOp)[] {
  if (!readFile || command.files.some((file) => !isResolved(file))) return [];
  const named = command.files.map((file) => file.text);
  const candidates = named.length > 0 ? named : DEFAULT_COMPOSE_FILES;
  const texts = candidates.map((file) => readFile(posix.join(directory, file)));
  // Several -f files merge; the defaults are alternatives, the first one found wins.
  const found = named.length > 0 ? texts : texts.filter((text) => text !== undefined).slice(0, 1);
  if (found.length === 0 || found.some((text) => text === undefined)) return [];
  const services = found.map((text) => composeServices(text as string));
  if (services.some((list) => list === undefined)) return [];
  return composeSteps(
    command,
    services.flatMap((list) => list ?? []),
  );
}

function lines(context: FileContext, node: Scalar): number {
  return context.lines.position(node.range?.[0] ?? 0).line;
}

/** docker/setup-buildx-action selects a BuildKit container (unless `driver: docker`); setup-docker-action a daemon. */
function setupStep(context: FileContext, step: StepContext, uses: Pair, daemon: JobDaemon): void {
  const { doc } = context;
  const written = scalarText(doc, uses.value);
  const ref = written === undefined ? undefined : actionRef(written);
  if (ref?.name === 'docker/setup-docker-action') {
    daemon.reconfigured(reconfiguredDaemon(`\`${written}\``));
  } else if (ref?.name === 'docker/setup-buildx-action') {
    const withMap = mapAt(doc, getPair(doc, step.step, 'with')?.value);
    const input = (name: string) => {
      const text = scalarText(doc, withMap && getPair(doc, withMap, name)?.value);
      return text === undefined ? undefined : resolveExpressions(text, step.env);
    };
    const use = input('use');
    if (use && isResolved(use) && use.text.trim() === 'false') return;
    const driver = input('driver');
    daemon.selectBuilder(
      driver === undefined ? true : isResolved(driver) ? driver.text.trim() !== 'docker' : dependsOn(driver),
    );
  }
}

function runSteps(
  context: FileContext,
  step: StepContext,
  run: Scalar,
): (BuildStep | DaemonOp | ComposeCommand)[] {
  const { doc, lines } = context;
  const script = String(run.value ?? '');
  if (!script.includes('docker') || !BUILD_WORDS.test(script)) return [];
  const shell = scalarText(doc, getPair(doc, step.step, 'shell')?.value) ?? step.defaultShell;
  if (shell !== undefined && !POSIX_SHELLS.has(shellName(shell))) return [];
  const map = mapScalar(context.source, run);
  const locator: ScriptLocator = {
    file: context.file,
    matrix: step.matrix,
    position: (offset) => lines.position(map.offset(offset)),
    exactOffset: (offset) => (map.exact ? map.offset(offset) : undefined),
  };
  return scriptCommands(context.bash, script, step.env, 'docker').flatMap(
    (command) => dockerStep(command, locator) ?? [],
  );
}

/** The shell's command name decides: `bash -e {0}` is bash. */
function shellName(shell: string): string {
  const first = shell.trim().split(/\s+/)[0];
  return first.slice(first.lastIndexOf('/') + 1);
}

function usesStep(context: FileContext, step: StepContext, uses: Pair): BuildStep | undefined {
  const { doc, lines } = context;
  const usesValue = scalarAt(doc, uses.value);
  const written = scalarText(doc, usesValue);
  if (!usesValue || written === undefined || !actionRef(written)) return undefined;
  const withPair = getPair(doc, step.step, 'with');
  const withMap = mapAt(doc, withPair?.value);
  const inputs = new Map<string, ActionInput>();
  for (const pair of withMap ? pairsOf(doc, withMap) : []) {
    const key = scalarAt(doc, pair.key);
    const value = resolve(doc, pair.value);
    if (!key || !isScalar(value) || value.value === null) continue;
    const text = String(value.value);
    inputs.set(String(key.value), {
      value: resolveExpressions(text, step.env),
      at: lines.position(key.range?.[0] ?? 0),
      text: `${String(key.value)}: ${text.split('\n')[0]}`,
    });
  }
  return actionStep({
    file: context.file,
    uses: written,
    at: lines.position(usesValue.range?.[0] ?? 0),
    inputs,
    env: step.env,
    matrix: step.matrix,
    provenanceEdit: entryEdit(
      context.source,
      step.step,
      uses,
      { name: 'with', pair: withPair },
      'provenance: false',
    ),
  });
}

/**
 * Adds `key: value` as the last entry of the step's block mapping `name` (`with:`, `env:`), or that mapping holding
 * it after the line of `after` (the `uses:` or `run:` pair), at the indentation already there. Flow mappings are
 * left alone.
 */
function entryEdit(
  source: string,
  step: YAMLMap,
  after: Pair,
  mapping: { name: string; pair: Pair | undefined },
  entry: string,
): Edit | undefined {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  if (step.flow) return undefined;
  if (!mapping.pair) {
    const indent = indentOf(source, nodeStart(after.key));
    const end = nodeEnd(after.value);
    return indent === undefined || end === undefined
      ? undefined
      : insertAfterLine(source, end, `${indent}${mapping.name}:${eol}${indent}  ${entry}`, eol);
  }
  const entries = mapping.pair.value;
  if (!isMap(entries) || entries.flow || entries.items.length === 0) return undefined;
  const indent = indentOf(source, nodeStart(entries.items[0].key));
  const last = entries.items[entries.items.length - 1];
  const end = nodeEnd(last.value) ?? nodeEnd(last.key);
  return indent === undefined || end === undefined
    ? undefined
    : insertAfterLine(source, end, `${indent}${entry}`, eol);
}

function nodeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[0];
}

function nodeEnd(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[1];
}

/** The indentation of a key as spaces (a `- ` before it counts as indentation for its siblings). */
function indentOf(source: string, offset: number | undefined): string | undefined {
  if (offset === undefined) return undefined;
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const before = source.slice(lineStart, offset);
  return /^[ -]*$/.test(before) ? ' '.repeat(before.length) : undefined;
}

/** A new line after the line holding `offset` (a block scalar's range already ends past its last line). */
function insertAfterLine(source: string, offset: number, line: string, eol: string): Edit {
  if (source[offset - 1] === '\n') return { offset, insert: `${line}${eol}` };
  const newline = source.indexOf('\n', offset);
  const at = newline < 0 ? source.length : source[newline - 1] === '\r' ? newline - 1 : newline;
  return { offset: at, insert: `${eol}${line}` };
}
