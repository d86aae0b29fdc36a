// Container builds, index copies and manifest merges in shell commands: `docker buildx build|b`, `docker build`
// (buildx is the default builder of `docker build` since Docker 23), `docker buildx bake`, `docker buildx
// imagetools create` and `docker manifest create`, behind `sudo`, `env` and similar wrappers.
import { Flag, flagSet, FlagSet, parseArgs, ParsedArgs, values } from './argv';
import { bakeOverride, buildOfBake } from './bake';
import { normalizeRef } from './image-ref';
import {
  AttestationRequest,
  attestationsOf,
  attestType,
  Build,
  BuildStep,
  Edit,
  platformsOf,
  Position,
  pushOf,
  pushSwitch,
} from './model';
import { ShellCommand, ShellWord } from './shell';
import { EMPTY_ENV, Env, envScope, expandMatrix, goBool, isResolved, Matrix, Value, valueOf } from './value';

/** Where a script's words are in the file. */
export interface ScriptLocator {
  file: string;
  position(scriptOffset: number): Position;
  /** The file offset of a script offset, when the map is exact (so `--fix` may edit there). */
  exactOffset(scriptOffset: number): number | undefined;
  matrix: Matrix;
}

type DockerCommand =
  | 'docker buildx build'
  | 'docker build'
  | 'docker buildx bake'
  | 'docker buildx imagetools create'
  | 'docker manifest create';

interface Invocation {
  command: DockerCommand;
  docker: ShellWord;
  /** The word naming the subcommand (`build`, `b`, `bake`): flags added by `--fix` go right after it. */
  subcommand: ShellWord;
  args: ShellWord[];
  env: Env;
}

export function dockerStep(command: ShellCommand, locator: ScriptLocator): BuildStep | undefined {
  const invocation = dockerInvocation(command);
  if (!invocation) return undefined;
  switch (invocation.command) {
    case 'docker buildx build':
    case 'docker build':
      return imageBuild(invocation, locator);
    case 'docker buildx bake':
      return bakeBuild(invocation, locator);
    case 'docker buildx imagetools create':
      return indexCopy(invocation, locator);
    case 'docker manifest create':
      return manifestMerge(invocation, locator);
  }
}

// docker's own global options, and those of `docker buildx`.
const DOCKER_OPTIONS = flagSet(
  ['config', 'context|c', 'host|H', 'log-level|l', 'tlscacert', 'tlscert', 'tlskey'],
  ['debug|D', 'tls', 'tlsverify'],
);
const BUILDX_OPTIONS = flagSet(['builder'], ['debug|D']);

function dockerInvocation(command: ShellCommand): Invocation | undefined {
  const unwrapped = unwrap(command.words, command.env);
  if (!unwrapped || basename(unwrapped.words[0]?.text) !== 'docker') return undefined;
  const { words, env } = unwrapped;
  const docker = words[0];
  const at = (index: number) => words[index]?.text;
  let i = skipOptions(words, 1, DOCKER_OPTIONS);
  const found = (command: DockerCommand, subcommand: number): Invocation => ({
    command,
    docker,
    subcommand: words[subcommand],
    args: words.slice(subcommand + 1),
    env,
  });
  switch (at(i)) {
    case 'build':
      return found('docker build', i);
    case 'image':
    case 'builder':
      return at(i + 1) === 'build' ? found('docker build', i + 1) : undefined;
    case 'manifest':
      return at(i + 1) === 'create' ? found('docker manifest create', i + 1) : undefined;
    case 'buildx':
      i = skipOptions(words, i + 1, BUILDX_OPTIONS);
      if (at(i) === 'build' || at(i) === 'b') return found('docker buildx build', i);
      if (at(i) === 'bake' || at(i) === 'f') return found('docker buildx bake', i);
      if (at(i) === 'imagetools') {
        const create = skipOptions(words, i + 1, BUILDX_OPTIONS);
        return at(create) === 'create' ? found('docker buildx imagetools create', create) : undefined;
      }
      return undefined;
    default:
      return undefined;
  }
}

const SUDO_OPTIONS = flagSet(
  [
    'user|u',
    'group|g',
    'host|h',
    'prompt|p',
    'close-from|C',
    'chdir|D',
    'role|r',
    'type|t',
    'other-user|U',
    'command-timeout|T',
    'chroot|R',
  ],
  [
    'preserve-env|E',
    'non-interactive|n',
    'login|i',
    'shell|s',
    'background|b',
    'stdin|S',
    'set-home|H',
    'askpass|A',
  ],
);
const ENV_OPTIONS = flagSet(['unset|u', 'chdir|C', 'split-string|S'], ['ignore-environment|i', 'null|0']);
const NICE_OPTIONS = flagSet(['adjustment|n'], []);
const ASSIGNMENT = /^([A-Za-z_]\w*)=([\s\S]*)$/;
/** `sudo env nice docker …`: a few wrappers deep at most; more is no build command this linter knows. */
const MAX_WRAPPERS = 8;

/**
 * Strips the wrappers a command may run under and works out the environment it then has: `sudo` resets it
 * (unless `-E`/`--preserve-env`), `env -i` empties it, and both take `NAME=value` words.
 */
function unwrap(words: ShellWord[], env: Env): { words: ShellWord[]; env: Env } | undefined {
  let rest = words;
  let current = env;
  for (let depth = 0; depth < MAX_WRAPPERS && rest.length > 0; depth++) {
    const name = basename(rest[0].text);
    if (name === 'sudo' || name === 'env') {
      const options = name === 'sudo' ? SUDO_OPTIONS : ENV_OPTIONS;
      let i = skipOptions(rest, 1, options);
      const parsed = parseArgs(rest.slice(1, i), options);
      const keep =
        name === 'sudo'
          ? parsed.flags.some((flag) => flag.name === 'preserve-env')
          : !parsed.flags.some((flag) => flag.name === 'ignore-environment');
      const assigned = new Map<string, Value>();
      for (; i < rest.length && ASSIGNMENT.test(rest[i].text); i++) {
        const [, variable, value] = ASSIGNMENT.exec(rest[i].text) as RegExpExecArray;
        assigned.set(variable, valueOf(value, rest[i]));
      }
      current = envScope(assigned, keep ? current : EMPTY_ENV);
      rest = rest.slice(i);
    } else if (name === 'nice') {
      rest = rest.slice(skipOptions(rest, 1, NICE_OPTIONS));
    } else if (name === 'time' || name === 'command' || name === 'exec' || name === 'nohup') {
      let i = 1;
      while (i < rest.length && rest[i].text.startsWith('-')) i++;
      rest = rest.slice(i);
    } else {
      return { words: rest, env: current };
    }
  }
  return undefined;
}

/** The index of the first word at or after `from` that is not an option of `set` (or an option's value). */
function skipOptions(words: readonly ShellWord[], from: number, set: FlagSet): number {
  let i = from;
  while (i < words.length && words[i].text.startsWith('-') && words[i].text !== '-') {
    const text = words[i].text;
    if (text === '--') return i + 1;
    const long = text.startsWith('--');
    const name = long ? text.slice(2).split('=')[0] : text.slice(1, 2);
    const attached = long ? text.includes('=') : text.length > 2;
    i += set.values.has(name) && !attached ? 2 : 1;
  }
  return i;
}

function basename(path: string | undefined): string | undefined {
  return path?.slice(path.lastIndexOf('/') + 1);
}

const BUILD_FLAGS = flagSet(
  [
    'add-host',
    'allow',
    'annotation',
    'build-arg',
    'cache-from',
    'cache-to',
    'cgroup-parent',
    'build-context',
    'file|f',
    'iidfile',
    'label',
    'network',
    'no-cache-filter',
    'output|o',
    'platform',
    'policy',
    'secret',
    'shm-size',
    'ssh',
    'tag|t',
    'target',
    'ulimit',
    'resource',
    'attest',
    'sbom',
    'provenance',
    'call',
    'print',
    'memory|m',
    'memory-swap',
    'cpu-shares|c',
    'cpu-period',
    'cpu-quota',
    'cpuset-cpus',
    'cpuset-mems',
    'isolation',
    'security-opt',
    'progress',
    'metadata-file',
    'builder',
  ],
  [
    'load',
    'push',
    'quiet|q',
    'no-cache',
    'pull',
    'compress',
    'squash',
    'rm',
    'force-rm',
    'debug|D',
    'check',
    'disable-content-trust',
  ],
);

function imageBuild(invocation: Invocation, locator: ScriptLocator): Build {
  const args = parseArgs(invocation.args, BUILD_FLAGS);
  const pushed = pushOf(
    switchOn(args, 'push'),
    values(args, 'output').map((flag) => flag.value),
  );
  // buildx reads --attest first, then --provenance and --sbom; the last one of a type wins.
  const requests = [
    ...values(args, 'attest').map((flag) => request(flag, locator)),
    ...['provenance', 'sbom'].flatMap((type) =>
      values(args, type)
        .slice(-1)
        .map((flag) => request(flag, locator, type)),
    ),
  ];
  const { provenance, sbom } = attestationsOf(
    requests,
    'buildx',
    invocation.env.get(NO_DEFAULT_ATTESTATIONS),
  );
  const tags = [
    ...values(args, 'tag').map((flag) => flag.value),
    ...(pushed.pushByDigest ? [] : pushed.names),
  ];
  return {
    kind: 'build',
    file: locator.file,
    at: locator.position(invocation.docker.at),
    tool: `\`${invocation.command}\``,
    push: pushed.push,
    pushByDigest: pushed.pushByDigest,
    platforms: platformsOf(
      values(args, 'platform').map((flag) => flag.value),
      locator.matrix,
    ),
    provenance,
    sbom,
    tags: refsOf(tags, locator.matrix),
    disable: disableByFlags(invocation, args, locator),
  };
}

const BAKE_FLAGS = flagSet(
  [
    'file|f',
    'set',
    'var',
    'call',
    'allow',
    'list',
    'policy',
    'progress',
    'metadata-file',
    'sbom',
    'provenance',
    'builder',
  ],
  ['load', 'push', 'print', 'check', 'no-cache', 'pull', 'list-targets', 'list-variables', 'debug|D'],
);

function bakeBuild(invocation: Invocation, locator: ScriptLocator): Build {
  const args = parseArgs(invocation.args, BAKE_FLAGS);
  const targets = args.positionals.map((word) => word.text);
  const overrides = values(args, 'set').flatMap((flag) => {
    const override = bakeOverride(flag.value, targets);
    return override ? [{ ...override, flag }] : [];
  });
  const overridden = (key: string) => overrides.filter((override) => override.key === key);
  const pushed = pushOf(
    switchOn(args, 'push') || overridden('push').some((override) => pushSwitch(override.value, goBool)),
    overridden('output').map((override) => override.value),
  );
  // bake appends --sbom and --provenance to the --set overrides, in that order.
  const requests = [
    ...overridden('attest').map((override) => ({
      ...request(override.flag, locator),
      ...attestation(override.value),
    })),
    ...['sbom', 'provenance'].flatMap((type) =>
      values(args, type)
        .slice(-1)
        .map((flag) => request(flag, locator, type)),
    ),
  ];
  const attestations = attestationsOf(requests, 'buildx', invocation.env.get(NO_DEFAULT_ATTESTATIONS));
  return buildOfBake(
    {
      file: locator.file,
      at: locator.position(invocation.docker.at),
      tool: '`docker buildx bake`',
      push: pushed.push,
      pushByDigest: pushed.pushByDigest,
      sbom: attestations.sbom,
      disable: disableByFlags(invocation, args, locator),
    },
    overridden('platform').map((override) => override.value),
    locator.matrix,
    attestations.provenance,
  );
}

function indexCopy(invocation: Invocation, locator: ScriptLocator): BuildStep | undefined {
  const args = parseArgs(invocation.args, IMAGETOOLS_FLAGS);
  if (switchOn(args, 'dry-run')) return undefined;
  return {
    kind: 'index-copy',
    file: locator.file,
    at: locator.position(invocation.docker.at),
    tags: refsOf(
      values(args, 'tag').map((flag) => flag.value),
      locator.matrix,
    ),
  };
}

const IMAGETOOLS_FLAGS = flagSet(
  ['file|f', 'tag|t', 'progress', 'annotation', 'platform|p', 'metadata-file', 'builder'],
  ['dry-run', 'append', 'prefer-index'],
);

const MANIFEST_FLAGS = flagSet([], ['amend|a', 'insecure']);

function manifestMerge(invocation: Invocation, locator: ScriptLocator): BuildStep {
  const [, ...sources] = parseArgs(invocation.args, MANIFEST_FLAGS).positionals;
  return {
    kind: 'manifest-merge',
    file: locator.file,
    at: locator.position(invocation.docker.at),
    sources: sources.map((source) => ({
      text: source.text,
      refs: refsOf([source], locator.matrix),
      at: locator.position(source.at),
    })),
  };
}

const NO_DEFAULT_ATTESTATIONS = 'BUILDX_NO_DEFAULT_ATTESTATIONS';

/** A push switch such as `--push` (see pushSwitch); the last one wins. */
function switchOn(args: ParsedArgs, name: string): boolean {
  return pushSwitch(values(args, name).at(-1)?.value, goBool);
}

/** An attestation flag: `--attest type=…` (the type read from the value), `--provenance` or `--sbom`. */
function request(flag: Flag, locator: ScriptLocator, type?: string): AttestationRequest {
  return {
    ...attestation(flag.value),
    ...(type ? { type } : {}),
    at: locator.position(flag.word.at),
    text: flag.text,
  };
}

function attestation(value: Value): Pick<AttestationRequest, 'type' | 'value'> {
  return { type: attestType(value), value };
}

function refsOf(values: Value[], matrix: Matrix): string[] {
  return values.flatMap((value) => expandMatrix(value, matrix).texts.map(normalizeRef));
}

/** Adds `--provenance=false` (and `--sbom=false` unless the command already sets SBOM) after the subcommand. */
function disableByFlags(invocation: Invocation, args: ParsedArgs, locator: ScriptLocator): Build['disable'] {
  const flags = values(args, 'sbom').length > 0 ? '--provenance=false' : '--provenance=false --sbom=false';
  const { subcommand } = invocation;
  // Only where the word is written as is (not substituted from an expression) is its end known exactly.
  const writtenAsIs = isResolved(subcommand) && subcommand.end - subcommand.at === subcommand.text.length;
  const offset = writtenAsIs ? locator.exactOffset(subcommand.end) : undefined;
  const edit: Edit | undefined = offset === undefined ? undefined : { offset, insert: ` ${flags}` };
  return { advice: `add \`${flags}\` to the \`${invocation.command}\` command`, edit };
}
