// Build mode's inputs: every docker/build-push-action v6/v7 input with its meaning and list splitting, plus the
// guard's own inputs. The CLI maps its flags onto the same input names, so both share one set of errors.
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../../core/errors';
import { Log } from '../../core/output/log';
import { InputSource, parseBoolean, parseChoice, parseList } from '../../core/inputs';
import { readInsecureRegistries } from '../../core/verification/inputs';
import { parseReference } from '../../core/registry/reference';
import { ATTESTATION_POLICIES, AttestationPolicy } from '../../core/policy/policy';
import {
  EXPECT_SHAPES,
  ExpectShape,
  MEDIA_TYPE_FAMILIES,
  MediaTypeFamily,
} from '../../core/policy/expectation';
import { outputPushes, parseOutput } from './outputs';

/** Inputs read untrimmed (as build-push-action reads them): the action's getInput must not trim these. */
export const UNTRIMMED_INPUTS: ReadonlySet<string> = new Set(['secrets']);

/** A secret given as `id=value` (`secrets`), `id=path` (`secret-files`) or `id=ENV_NAME` (`secret-envs`). */
export interface SecretEntry {
  id: string;
  value: string;
}

export interface BuildInputs {
  addHosts: string[];
  allow: string[];
  annotations: string[];
  attests: string[];
  buildArgs: string[];
  buildContexts: string[];
  builder: string;
  cacheFrom: string[];
  cacheTo: string[];
  call: string;
  cgroupParent: string;
  /** The resolved build context: the input, or build-push-action's default Git context. */
  context: string;
  /** True when `context` is the default Git context (the github-token then authenticates it). */
  defaultGitContext: boolean;
  file: string;
  labels: string[];
  load: boolean;
  network: string;
  noCache: boolean;
  noCacheFilters: string[];
  outputs: string[];
  platforms: string[];
  provenance: string;
  pull: boolean;
  push: boolean;
  sbom: string;
  secrets: SecretEntry[];
  secretEnvs: SecretEntry[];
  secretFiles: SecretEntry[];
  shmSize: string;
  ssh: string[];
  tags: string[];
  target: string;
  ulimit: string[];
  githubToken: string;
}

export interface GuardOptions {
  attestationPolicy: AttestationPolicy;
  expect: ExpectShape;
  mediaTypes: MediaTypeFamily;
  verify: boolean;
  verifyBlobs: boolean;
  insecureRegistries: string[];
  /** `require`: every pushed image must carry an attestation that references it. */
  attestations: 'auto' | 'require';
}

/** Where the runner is: GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF. */
export type RunnerEnv = Record<string, string | undefined>;

/** What the workflow's event payload says that changes the build. */
export interface RunnerEvent {
  /** `repository.private`: build-push-action's default provenance is min for a private repository. */
  privateRepository: boolean;
}

/** Bigger than any event payload a runner writes; a larger file is not read. */
const EVENT_PAYLOAD_LIMIT = 16 * 1024 * 1024;

/**
 * Reads GITHUB_EVENT_PATH as build-push-action does (through @actions/github's context): a missing or unreadable
 * payload, or one without `repository.private`, counts as a public repository.
 */
export function readRunnerEvent(env: RunnerEnv): RunnerEvent {
  const path = env.GITHUB_EVENT_PATH;
  try {
    if (!path || statSync(path).size > EVENT_PAYLOAD_LIMIT) return { privateRepository: false };
    const payload = JSON.parse(readFileSync(path, 'utf8')) as { repository?: { private?: unknown } } | null;
    return { privateRepository: payload?.repository?.private === true };
  } catch {
    return { privateRepository: false };
  }
}

/** Reads the guard inputs (shared by the action and the CLI's guard flags). */
export function readGuardOptions(get: InputSource): GuardOptions {
  return {
    attestationPolicy: parseChoice(get, 'attestation-policy', ATTESTATION_POLICIES, 'auto'),
    expect: parseChoice(get, 'expect', EXPECT_SHAPES, 'auto'),
    mediaTypes: parseChoice(get, 'media-types', MEDIA_TYPE_FAMILIES, 'any'),
    verify: parseBoolean(get, 'verify', true),
    verifyBlobs: parseBoolean(get, 'verify-blobs', false),
    insecureRegistries: readInsecureRegistries(get),
    attestations: parseChoice(get, 'attestations', ['auto', 'require'] as const, 'auto'),
  };
}

/**
 * Reads and checks the build-push-action inputs. Secret values are registered with the log before anything
 * can fail, and no error message ever carries one.
 */
export function readBuildInputs(get: InputSource, env: RunnerEnv, log: Log): BuildInputs {
  const githubToken = get('github-token').trim();
  if (githubToken) log.secret(githubToken);
  // Untrimmed, as build-push-action reads it: a key's trailing newline is part of the secret.
  const secretEntries = parseList(get('secrets'), { ignoreComma: true, trimWhitespace: false });
  // Masked before they are checked: a malformed entry may be nothing but the secret.
  for (const entry of secretEntries) log.secret(entry.slice(entry.indexOf('=') + 1));
  const secrets = parseSecrets('secrets', secretEntries, log);

  const defaultContext = defaultGitContext(env);
  const rawContext = get('context').trim();
  const context = expandDefaultContext(rawContext, defaultContext) || defaultContext || '.';
  const inputs: BuildInputs = {
    addHosts: parseList(get('add-hosts')),
    allow: parseList(get('allow')),
    annotations: parseList(get('annotations'), { ignoreComma: true }),
    attests: parseList(get('attests'), { ignoreComma: true }),
    buildArgs: parseList(get('build-args'), { ignoreComma: true }),
    buildContexts: parseList(get('build-contexts'), { ignoreComma: true }).map((c) =>
      expandDefaultContext(c, defaultContext),
    ),
    builder: get('builder').trim(),
    cacheFrom: parseList(get('cache-from'), { ignoreComma: true }),
    cacheTo: parseList(get('cache-to'), { ignoreComma: true }),
    call: get('call').trim(),
    cgroupParent: get('cgroup-parent').trim(),
    context,
    defaultGitContext: defaultContext !== '' && context.startsWith(defaultContext),
    file: get('file').trim(),
    labels: parseList(get('labels'), { ignoreComma: true }),
    load: parseBoolean(get, 'load', false),
    network: get('network').trim(),
    noCache: parseBoolean(get, 'no-cache', false),
    noCacheFilters: parseList(get('no-cache-filters')),
    outputs: parseList(get('outputs'), { ignoreComma: true, quote: false }),
    platforms: parseList(get('platforms')),
    provenance: get('provenance').trim(),
    pull: parseBoolean(get, 'pull', false),
    push: parseBoolean(get, 'push', false),
    sbom: get('sbom').trim(),
    secrets,
    secretEnvs: parseSecrets('secret-envs', parseList(get('secret-envs')), log),
    secretFiles: parseSecrets('secret-files', parseList(get('secret-files'), { ignoreComma: true }), log),
    shmSize: get('shm-size').trim(),
    ssh: parseList(get('ssh')),
    tags: parseList(get('tags')),
    target: get('target').trim(),
    ulimit: parseList(get('ulimit'), { ignoreComma: true }),
    githubToken,
  };
  // buildx reads these from the environment; their values are secrets as much as those of `secrets`.
  for (const { value: name } of inputs.secretEnvs) {
    const secret = env[name];
    if (secret) log.secret(secret);
  }
  checkBuildInputs(inputs);
  return inputs;
}

const SHM_SIZE = /^\d+(\.\d+)?\s?[kmgtp]?i?b?$/i;
const ULIMIT = /^[a-z]+=-?\d+(:-?\d+)?$/;
const PLATFORM = /^([a-z0-9_.-]+\/[a-z0-9_.-]+(\/[a-z0-9_.-]+)?|local)$/i;
const ADD_HOST = /^[^\s:=]+[:=]\S+$/;

/** Checks the values buildx would reject, or that would make the step do something else than asked. */
function checkBuildInputs(inputs: BuildInputs): void {
  if (inputs.shmSize && !SHM_SIZE.test(inputs.shmSize)) {
    throw new InputError('shm-size', inputs.shmSize, 'Use a size such as 64m, 2g or 1073741824 (bytes).');
  }
  for (const ulimit of inputs.ulimit) {
    if (!ULIMIT.test(ulimit)) {
      throw new InputError('ulimit', ulimit, 'Use name=soft[:hard], e.g. nofile=1024:2048.');
    }
  }
  for (const platform of inputs.platforms) {
    if (!PLATFORM.test(platform)) {
      throw new InputError('platforms', platform, 'Use os/arch[/variant], e.g. linux/amd64,linux/arm64/v8.');
    }
  }
  for (const host of inputs.addHosts) {
    if (!ADD_HOST.test(host)) throw new InputError('add-hosts', host, 'Use host:ip, e.g. docker:10.180.0.1.');
  }
  // buildx's own "invalid reference format" names neither the input nor the fix: check the tags first.
  for (const tag of inputs.tags) parseReference(tag, 'tags');
  for (const output of inputs.outputs) {
    if (parseOutput(output).type === '') {
      throw new InputError(
        'outputs',
        output,
        'Name the exporter, e.g. type=registry or type=local,dest=out.',
      );
    }
  }
  const outputs = inputs.outputs.map(parseOutput);
  const pushes = inputs.push || outputs.some(outputPushes);
  const named = outputs.some((output) => output.attrs.name);
  if (pushes && inputs.tags.length === 0 && !named) {
    throw new InputError(
      'tags',
      '',
      'A push needs an image name: set tags (e.g. ghcr.io/owner/app:1.0), or name= in outputs.',
    );
  }
}

/**
 * Reads `id=value` entries. An entry without an id or a value is skipped with a warning, as build-push-action
 * does (an unquoted multi-line value leaves such lines behind); the warning shows a `secrets` entry's position,
 * never its text, which may be the secret itself.
 */
function parseSecrets(name: string, entries: string[], log: Log): SecretEntry[] {
  const secrets: SecretEntry[] = [];
  entries.forEach((entry, index) => {
    const equals = entry.indexOf('=');
    if (equals <= 0 || equals === entry.length - 1) {
      const shown = name === 'secrets' ? `entry ${index + 1}` : `"${entry}"`;
      log.warning(
        `${name}: ${shown} is not id=value, so it is skipped (as build-push-action does). ` +
          `Write each entry as ${SECRET_EXAMPLES[name]}, and put a multi-line value in double quotes, id included.`,
      );
      return;
    }
    secrets.push({ id: entry.slice(0, equals), value: entry.slice(equals + 1) });
  });
  return secrets;
}

const SECRET_EXAMPLES: Record<string, string> = {
  secrets: 'GIT_AUTH_TOKEN=${{ secrets.TOKEN }}',
  'secret-envs': 'MY_SECRET=MY_ENV_VAR',
  'secret-files': 'MY_SECRET=./secret.txt',
};

/** build-push-action's default context: the Git repository at the workflow's commit. Empty outside a runner. */
export function defaultGitContext(env: RunnerEnv): string {
  const repository = env.GITHUB_REPOSITORY;
  const commit = env.GITHUB_SHA || env.GITHUB_REF;
  if (!repository || !commit) return '';
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${repository}.git#${commit}`;
}

function expandDefaultContext(value: string, defaultContext: string): string {
  return value.replace(/\{\{\s*defaultContext\s*\}\}/g, defaultContext);
}

/** A context buildx fetches itself (Git or HTTP URL) rather than a directory on this machine. */
export function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git:\/\/|git@|github\.com\/)/.test(context) || context === '-';
}

/**
 * Checks the paths of a local build before running anything: the context directory, the Dockerfile and the
 * secret files. Paths are relative to `cwd`, as buildx resolves them.
 */
export function checkLocalPaths(inputs: BuildInputs, cwd: string): void {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  for (const secret of inputs.secretFiles) {
    if (!existsSync(at(secret.value))) {
      throw new InputError(
        'secret-files',
        `${secret.id}=${secret.value}`,
        `The file does not exist (in ${cwd}).`,
      );
    }
  }
  if (isRemoteContext(inputs.context)) return;
  if (!isDirectory(at(inputs.context))) {
    throw new InputError(
      'context',
      inputs.context,
      `The directory does not exist (in ${cwd}). Check out the repository first (actions/checkout) or fix the path.`,
    );
  }
  if (inputs.file === '-') return;
  const dockerfile = inputs.file ? at(inputs.file) : join(at(inputs.context), 'Dockerfile');
  if (!existsSync(dockerfile)) {
    const [input, value] = inputs.file ? ['file', inputs.file] : ['context', inputs.context];
    throw new InputError(
      input,
      value,
      `No Dockerfile at ${dockerfile}. Set file to the Dockerfile's path (relative to ${cwd}).`,
    );
  }
}

/** The CLI's build context (its one positional buildx argument): a directory here, or a URL buildx fetches. */
export function checkBuildxContext(context: string, cwd: string): void {
  if (isRemoteContext(context) || isDirectory(resolve(cwd, context))) return;
  throw new InputError(
    'build context',
    context,
    `The directory does not exist (in ${cwd}): give the directory to build, or a Git or HTTP URL, as the last argument.`,
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export const BUILD_USAGE = `Usage: buildx-guard build [options] -- <docker buildx build arguments>

Runs docker buildx build with the attestation policy, then verifies what the registry serves after a push.

Options:
  --attestation-policy auto|strip|keep  auto strips provenance/SBOM from single-platform builds (default auto)
  --expect auto|manifest|index          expected top-level shape after the push (default: follow the build)
  --media-types any|docker|oci          accepted media-type family (default any)
  --attestations auto|require           require: every pushed image has an attestation (default auto: per policy)
  --no-verify                           do not verify the push
  --verify-blobs                        also check every config and layer blob
  --insecure-registry HOST              reach HOST over plain http (repeatable; loopback always is)
  -h, --help                            show this help

Example:
  buildx-guard build -- --platform linux/amd64 -t registry.example.com/app:1.0 --push .

Exit codes: 0 ok, 1 the registry serves something else than expected, 2 could not build or check.
`;

export interface BuildCommandArgs {
  help: boolean;
  /** The guard flags under their action input names, for readGuardOptions. */
  get: InputSource;
  /** Everything after `--`, handed to `docker buildx build`. */
  buildxArgs: string[];
}

/** Splits `buildx-guard build [guard options] -- <buildx build args>`. */
export function parseBuildCommandArgs(args: string[]): BuildCommandArgs {
  const separator = args.indexOf('--');
  const own = separator < 0 ? args : args.slice(0, separator);
  let parsed;
  try {
    parsed = parseArgs({
      args: own,
      strict: true,
      allowPositionals: false,
      options: {
        'attestation-policy': { type: 'string' },
        expect: { type: 'string' },
        'media-types': { type: 'string' },
        attestations: { type: 'string' },
        'no-verify': { type: 'boolean' },
        'verify-blobs': { type: 'boolean' },
        'insecure-registry': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs names the offending argument in quotes: "Unknown option '--foo'".
    const message = (error as Error).message;
    const argument = /'([^']+)'/.exec(message)?.[1] ?? own.join(' ');
    throw new InputError(
      'build option',
      argument,
      `${message.split('. ')[0]}. Put docker buildx build arguments after --; see buildx-guard build --help.`,
    );
  }
  const { values } = parsed;
  const help = values.help === true;
  if (!help && separator < 0) {
    throw new InputError(
      'build arguments',
      args.join(' '),
      'Put the docker buildx build arguments after --, e.g. buildx-guard build -- -t registry/app:1 --push .',
    );
  }
  const inputs: Record<string, string> = {
    'attestation-policy': values['attestation-policy'] ?? '',
    expect: values.expect ?? '',
    'media-types': values['media-types'] ?? '',
    attestations: values.attestations ?? '',
    verify: values['no-verify'] ? 'false' : '',
    'verify-blobs': values['verify-blobs'] ? 'true' : '',
    'insecure-registries': (values['insecure-registry'] ?? []).join('\n'),
  };
  return {
    help,
    get: (name) => inputs[name] ?? '',
    buildxArgs: separator < 0 ? [] : args.slice(separator + 1),
  };
}
