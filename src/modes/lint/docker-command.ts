// Container builds, index copies and manifest merges in shell commands: `docker buildx build|b`, `docker build`
// (buildx is the default builder of `docker build` since Docker 23), `docker buildx bake`, `docker buildx
// imagetools create` and `docker manifest create`, behind `sudo`, `env` and similar wrappers; and what commands
// do to the images in the daemon (`docker tag`, `docker push`, `docker pull`, `docker buildx create --use`).
import { Flag, flagSet, FlagSet, parseArgs, ParsedArgs, values } from './argv';
import { bakeOverride, buildOfBake } from './bake';
import { ComposeCommand } from './compose';
import { normalizeRef } from './image-ref';
import {
  AttestationRequest,
  attestationsOf,
  attestType,
  Build,
  BuildStep,
  DaemonOp,
  Edit,
  platformsOf,
  Position,
  pushOf,
  pushSwitch,
} from './model';
import { ShellCommand, ShellWord } from './shell';
import { and, Tri, unknown } from './tri';
import {
  dependsOn,
  EMPTY_ENV,
  Env,
  envScope,
  expandMatrix,
  goBool,
  isResolved,
  Matrix,
  Value,
  valueOf,
} from './value';

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
  | 'docker manifest create'
  | 'docker tag'
  | 'docker push'
  | 'docker pull'
  | 'docker load'
  | 'docker buildx create'
  | 'docker buildx use'
  | 'docker compose';

interface Invocation {
  command: DockerCommand;
  docker: ShellWord;
  /** The word naming the subcommand (`build`, `b`, `bake`): flags added by `--fix` go right after it. */
  subcommand: ShellWord;
  args: ShellWord[];
  env: Env;
}

export function dockerStep(
  command: ShellCommand,
  locator: ScriptLocator,
): BuildStep | DaemonOp | ComposeCommand | undefined {
  const invocation = dockerInvocation(command);
  if (!invocation) return undefined;
  switch (invocation.command) {
    case 'docker compose':
      return composeCommand(invocation, locator);
    case 'docker buildx build':
    case 'docker build':
      return imageBuild(invocation, locator);
    case 'docker buildx bake':
      return bakeBuild(invocation, locator);
    case 'docker buildx imagetools create':
      return indexCopy(invocation, locator);
    case 'docker manifest create':
      return manifestMerge(invocation, locator);
    default:
      return daemonOp(invocation, locator);
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
  const program = basename(unwrapped?.words[0]?.text);
  if (!unwrapped || (program !== 'docker' && program !== 'docker-compose')) return undefined;
  const { words, env } = unwrapped;
  const docker = words[0];
  const at = (index: number) => words[index]?.text;
  const found = (command: DockerCommand, subcommand: number): Invocation => ({
    command,
    docker,
    subcommand: words[subcommand],
    args: words.slice(subcommand + 1),
    env,
  });
  if (program === 'docker-compose') return found('docker compose', 0);
  let i = skipOptions(words, 1, DOCKER_OPTIONS);
  // The commands `docker image` has, which docker also takes at the top level.
  const image = (sub: string | undefined, index: number): Invocation | undefined => {
    const command = sub === undefined ? undefined : IMAGE_COMMANDS.get(sub);
    return command ? found(command, index) : undefined;
  };
  switch (at(i)) {
    case 'image':
      return image(at(i + 1), i + 1);
    case 'builder':
      return at(i + 1) === 'build' ? found('docker build', i + 1) : undefined;
    case 'manifest':
      return at(i + 1) === 'create' ? found('docker manifest create', i + 1) : undefined;
    case 'compose':
      return found('docker compose', i);
    case 'buildx':
      i = skipOptions(words, i + 1, BUILDX_OPTIONS);
      if (at(i) === 'build' || at(i) === 'b') return found('docker buildx build', i);
      if (at(i) === 'bake' || at(i) === 'f') return found('docker buildx bake', i);
      if (at(i) === 'create') return found('docker buildx create', i);
      if (at(i) === 'use') return found('docker buildx use', i);
      if (at(i) === 'imagetools') {
        const create = skipOptions(words, i + 1, BUILDX_OPTIONS);
        return at(create) === 'create' ? found('docker buildx imagetools create', create) : undefined;
      }
      return undefined;
    default:
      return image(at(i), i);
  }
}

const IMAGE_COMMANDS = new Map<string, DockerCommand>([
  ['build', 'docker build'],
  ['tag', 'docker tag'],
  ['push', 'docker push'],
  ['pull', 'docker pull'],
  ['load', 'docker load'],
  ['import', 'docker load'],
]);

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
  const outputs = values(args, 'output').map((flag) => flag.value);
  const pushed = pushOf(switchOn(args, 'push'), outputs);
  // buildx reads --attest first, then --provenance and --sbom; the last one of a type wins.
  const requests = [
    ...values(args, 'attest').map((flag) => request(flag, locator)),
    ...['provenance', 'sbom'].flatMap((type) =>
      values(args, type)
        .slice(-1)
        .map((flag) => request(flag, locator, type)),
    ),
  ];
  const buildkit = invocation.command === 'docker build' ? buildkitOn(invocation.env) : true;
  const attestations = attestationsOf(requests, 'buildx', invocation.env.get(NO_DEFAULT_ATTESTATIONS));
  // The legacy builder (DOCKER_BUILDKIT=0) makes no attestations.
  const provenance = { ...attestations.provenance, on: and(attestations.provenance.on, buildkit) };
  const sbom = { ...attestations.sbom, on: and(attestations.sbom.on, buildkit) };
  const tags = values(args, 'tag').map((flag) => flag.value);
  const platforms = platformsOf(
    values(args, 'platform').map((flag) => flag.value),
    locator.matrix,
  );
  const build: Build = {
    kind: 'build',
    file: locator.file,
    at: locator.position(invocation.docker.at),
    tool: `\`${invocation.command}\``,
    push: pushed.push,
    pushByDigest: pushed.pushByDigest,
    platforms,
    provenance,
    sbom,
    tags: refsOf([...tags, ...(pushed.pushByDigest ? [] : pushed.names)], locator.matrix),
    disable: disableByFlags(invocation, args, locator),
    loads: loadsInto(invocation, args, outputs) ? refsOf(tags, locator.matrix) : [],
    keepsAttestations: true,
    builder: values(args, 'builder').at(-1)?.value ?? invocation.env.get('BUILDX_BUILDER'),
  };
  return withOpaqueWords(build, args.positionals.slice(0, -1).filter(opaque));
}

/** `DOCKER_BUILDKIT=0` selects the legacy builder for `docker build`. */
function buildkitOn(env: Env): Tri {
  const value = env.get('DOCKER_BUILDKIT');
  if (value === undefined) return true;
  if (!isResolved(value)) return dependsOn(value);
  return goBool(value.text.trim()) ?? true;
}

/**
 * Whether the build stores its image in the daemon: `docker build` does unless its outputs say otherwise,
 * `docker buildx build` with `--load` or a `type=docker` output.
 */
function loadsInto(invocation: Invocation, args: ParsedArgs, outputs: Value[]): boolean {
  const docker = outputs.some((output) => /^(type=)?docker(,|$)/.test(output.text.trim()));
  if (switchOn(args, 'load') || docker) return true;
  return invocation.command === 'docker build' && outputs.length === 0;
}

/** A word that is a variable or an expression from its start: unquoted, it may expand to flags. */
function opaque(word: ShellWord): boolean {
  return word.unresolved.some((expression) => word.text.startsWith(expression));
}

/**
 * An opaque word before the context may hold `--push`, `--platform` or `--provenance`: the facts those flags
 * decide are then unknown, unless a flag written out settles them.
 */
function withOpaqueWords(build: Build, words: ShellWord[]): Build {
  if (words.length === 0) return build;
  const hidden = unknown(...words.map((word) => `\`${word.text}\``));
  return {
    ...build,
    push: build.push === false ? hidden : build.push,
    platforms: build.platforms.single === true ? { ...build.platforms, single: hidden } : build.platforms,
    provenance:
      build.provenance.requested || build.provenance.on !== true
        ? build.provenance
        : { ...build.provenance, on: hidden },
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
      builder: values(args, 'builder').at(-1)?.value ?? invocation.env.get('BUILDX_BUILDER'),
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

const PUSH_FLAGS = flagSet(['platform'], ['all-tags|a', 'disable-content-trust', 'quiet|q']);
const PULL_FLAGS = flagSet(['platform'], ['all-tags|a', 'disable-content-trust', 'quiet|q']);
const CREATE_FLAGS = flagSet(
  [
    'append',
    'bootstrap',
    'buildkitd-config',
    'buildkitd-flags',
    'config',
    'driver',
    'driver-opt',
    'name',
    'node',
    'platform',
    'timeout',
  ],
  ['use', 'leave', 'bootstrap'],
);

/** What `docker tag`, `push`, `pull`, `load` and `buildx create|use` do to the daemon's images and builder. */
function daemonOp(invocation: Invocation, locator: ScriptLocator): DaemonOp | undefined {
  switch (invocation.command) {
    case 'docker tag': {
      const [source, target] = parseArgs(invocation.args, flagSet([], [])).positionals;
      if (!source || !target) return undefined;
      return {
        kind: 'tag',
        source: refsOf([source], locator.matrix),
        target: refsOf([target], locator.matrix),
      };
    }
    case 'docker push': {
      const args = parseArgs(invocation.args, PUSH_FLAGS);
      const [ref] = args.positionals;
      if (!ref) return undefined;
      return {
        kind: 'push',
        refs: refsOf([ref], locator.matrix),
        allTags: switchOn(args, 'all-tags'),
        at: locator.position(invocation.docker.at),
        text: `docker push ${ref.text}`,
      };
    }
    case 'docker pull': {
      const [ref] = parseArgs(invocation.args, PULL_FLAGS).positionals;
      return { kind: 'forget', refs: ref ? refsOf([ref], locator.matrix) : [] };
    }
    case 'docker load':
      return { kind: 'forget', refs: 'all' };
    case 'docker buildx create': {
      const args = parseArgs(invocation.args, CREATE_FLAGS);
      // Every driver `create` makes (docker-container, kubernetes, remote) keeps the attestations it makes.
      return switchOn(args, 'use') ? { kind: 'builder', container: true } : undefined;
    }
    case 'docker buildx use': {
      const [name] = parseArgs(invocation.args, flagSet([], ['default', 'global'])).positionals;
      return name ? { kind: 'builder', container: builderContainer(name) } : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether a builder named on the command line runs BuildKit in a container: `default` is the docker driver. */
export function builderContainer(name: Value): Tri {
  if (!isResolved(name)) return dependsOn(name);
  return name.text.trim() === 'default' ? false : unknown(`the builder \`${name.text.trim()}\``);
}

const COMPOSE_OPTIONS = flagSet(
  ['file|f', 'project-name|p', 'project-directory', 'env-file', 'profile', 'ansi', 'progress', 'parallel'],
  ['dry-run', 'compatibility', 'all-resources'],
);
const COMPOSE_BUILD_FLAGS = flagSet(
  ['build-arg', 'builder', 'memory|m', 'ssh', 'progress'],
  ['push', 'no-cache', 'pull', 'quiet|q', 'with-dependencies'],
);
const COMPOSE_PUSH_FLAGS = flagSet([], ['ignore-push-failures', 'include-deps', 'quiet|q']);

/** `docker compose [-f FILE] build|push [SERVICE...]`; its services are in the compose file (compose.ts). */
function composeCommand(invocation: Invocation, locator: ScriptLocator): ComposeCommand | undefined {
  const words = invocation.args;
  const i = skipOptions(words, 0, COMPOSE_OPTIONS);
  const command = words[i]?.text;
  if (command !== 'build' && command !== 'push') return undefined;
  const global = parseArgs(words.slice(0, i), COMPOSE_OPTIONS);
  const args = parseArgs(words.slice(i + 1), command === 'build' ? COMPOSE_BUILD_FLAGS : COMPOSE_PUSH_FLAGS);
  return {
    kind: 'compose',
    command,
    files: values(global, 'file').map((flag) => flag.value),
    services: args.positionals.map((word) => word.text),
    push: command === 'build' && switchOn(args, 'push'),
    at: locator.position(invocation.docker.at),
    file: locator.file,
    env: invocation.env,
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
