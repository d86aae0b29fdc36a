// Bad input, for every mode, through the action (node dist/index.js) and the CLI (node dist/cli.js): each is
// one clear error that names the input, the value and the fix, exactly as the table says, and never a stack
// trace. The CLI exits 2 ("could not check"); the action fails the step.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { DOUBLE_BIN, RunResult, runAction, runCli } from '../support/action-runner';
import { dockerConfigDir, writeCredentialHelper } from '../registry/helpers/credential-helper';
import { buildContext, emptyDockerConfig, QUICK_RETRIES } from './support/workspace';
import { dockerWithoutBuildx } from './support/stubs';
import { expectNoStackTrace } from './support/output';

/** What one row runs: action inputs or CLI arguments, extra environment, and the one error expected. */
interface Scenario {
  inputs?: Record<string, string>;
  args?: string[];
  env?: Record<string, string>;
  error: string;
}

interface Fixture {
  /** host:port of the registry (through a proxy that asks every manifest GET for credentials). */
  host: string;
  /** A tag there, for builds that push. */
  tag: string;
  context: string;
  /** DOCKER_CONFIG directories, by what is wrong with them. */
  config: Record<'unreadable' | 'malformed' | 'failingHelper' | 'garbageHelper' | 'missingHelper', string>;
  /** PATH entries: the docker double and the credential helpers first. */
  path: string;
  /** A PATH whose docker has no buildx plugin. */
  pathWithoutBuildx: string;
  /** A lint repository, and its policy files. */
  repo: string;
}

let registry: TestRegistry;
let proxy: FaultProxy;
const fixture = {} as Fixture;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  // Credentials are only looked up when the registry asks for them: every manifest GET here does.
  proxy.rules = [
    {
      method: 'GET',
      path: /\/manifests\//,
      fault: { status: 401, headers: { 'www-authenticate': 'Basic realm="registry"' } },
    },
  ];
  const { host } = proxy;
  const unreadable = mkdtempSync(join(tmpdir(), 'bxg-config-dir-'));
  mkdirSync(join(unreadable, 'config.json'));
  const failing = writeCredentialHelper('bxgfailing', { exitStatus: 1, stderr: 'keychain is locked' });
  const garbage = writeCredentialHelper('bxggarbage', { garbage: 'username=alice password=hunter2' });
  const repo = mkdtempSync(join(tmpdir(), 'bxg-lint-repo-'));
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(repo, '.github', 'workflows', 'ci.yml'), 'on: push\njobs: {}\n');
  writeFileSync(join(repo, 'unknown-rule.yml'), 'rules:\n  single-platform-attestation: off\n');
  writeFileSync(join(repo, 'broken.yml'), 'rules: [off\n');
  Object.assign(fixture, {
    host,
    tag: `${host}/bad-inputs/app:v1`,
    context: buildContext(),
    config: {
      unreadable,
      malformed: dockerConfigDir('{"auths": {'),
      failingHelper: dockerConfigDir({ credHelpers: { [host]: 'bxgfailing' } }),
      garbageHelper: dockerConfigDir({ credsStore: 'bxggarbage' }),
      missingHelper: dockerConfigDir({ credsStore: 'bxg-not-installed' }),
    },
    path: [DOUBLE_BIN, failing.binDir, garbage.binDir, process.env.PATH].join(delimiter),
    pathWithoutBuildx: [dockerWithoutBuildx(), process.env.PATH].join(delimiter),
    repo,
  });
});
afterAll(async () => {
  await proxy.stop();
  await registry.stop();
});

const configFile = (dir: string) => join(dir, 'config.json');

/** Docker config problems, worded the same in every mode: they surface when the registry asks for credentials. */
const DOCKER_CONFIG_PROBLEMS: { name: string; dir: (f: Fixture) => string; error: (f: Fixture) => string }[] =
  [
    {
      name: 'an unreadable docker config (a directory)',
      dir: (f) => f.config.unreadable,
      error: (f) =>
        `Invalid docker config: "${configFile(f.config.unreadable)}". It cannot be read (EISDIR): make it a readable file, or set DOCKER_CONFIG to another directory.`,
    },
    {
      name: 'a malformed docker config',
      dir: (f) => f.config.malformed,
      error: (f) =>
        `Invalid docker config: "${configFile(f.config.malformed)}". It is not valid JSON: fix it, or set DOCKER_CONFIG to a directory with a valid config.json.`,
    },
    {
      name: 'a credential helper that fails',
      dir: (f) => f.config.failingHelper,
      error: (f) =>
        `Invalid credential helper: "docker-credential-bxgfailing". \`docker-credential-bxgfailing get\` failed with exit status 1 for ${f.host}: run it by hand to see why, or remove credHelpers["${f.host}"] from ${configFile(f.config.failingHelper)}.`,
    },
    {
      name: 'a credential helper that prints garbage',
      dir: (f) => f.config.garbageHelper,
      error: (f) =>
        `Invalid credential helper: "docker-credential-bxggarbage". It printed something other than {"Username": ..., "Secret": ...}: fix the helper, or remove credsStore from ${configFile(f.config.garbageHelper)}.`,
    },
    {
      name: 'a credential helper that is not installed',
      dir: (f) => f.config.missingHelper,
      error: (f) =>
        `Invalid credential helper: "docker-credential-bxg-not-installed". It is not on PATH: install it, or remove credsStore from ${configFile(f.config.missingHelper)}.`,
    },
  ];

const NO_DOCKER =
  'docker was not found on PATH, so docker buildx version cannot run. Install Docker with the buildx plugin before this step (on GitHub: docker/setup-buildx-action), or put docker on PATH.';
const NO_BUILDX =
  "docker buildx version failed (exit code 1): docker: 'buildx' is not a docker command. Install Docker with the buildx plugin before this step (on GitHub: docker/setup-buildx-action), or put docker on PATH.";
const REFERENCE_FORMAT =
  'Use [registry[:port]/]repository[:tag][@sha256:<64 hex>], e.g. ghcr.io/owner/app:v1.';
const DIGEST_FORMAT = 'Use sha256: followed by 64 lowercase hex characters.';
const PROVENANCE_CONFLICT = (input: string, setting: string) =>
  `Invalid ${input}: "true". It asks for a provenance attestation, but ${setting} "auto" strips attestations from single-platform builds, so the push stays a plain image manifest. Remove ${input} (or set it to false), or set ${setting} to keep if you want the attestation index.`;

/** Build mode through the action: a pushing build of the fixture's context unless a row says otherwise. */
const buildAction = (
  f: Fixture,
  inputs: Record<string, string>,
  error: string,
  env: Record<string, string> = {},
) => ({
  inputs: { context: f.context, push: 'true', tags: f.tag, ...inputs },
  env,
  error,
});
const buildCli = (guard: string[], buildx: string[], error: string, env: Record<string, string> = {}) => ({
  args: ['build', ...guard, '--', ...buildx],
  env,
  error,
});
const pushArgs = (f: Fixture, tag = f.tag, context = f.context) => ['-t', tag, '--push', context];

type Row = [string, 'action' | 'cli', (f: Fixture) => Scenario];

const buildRows: Row[] = [
  [
    'a malformed tag',
    'action',
    (f) =>
      buildAction(
        f,
        { tags: `${f.host}/Bad/App:v1` },
        `Invalid tags: "${f.host}/Bad/App:v1". Repository names must be lowercase.`,
      ),
  ],
  [
    'a malformed tag',
    'cli',
    (f) =>
      buildCli(
        [],
        pushArgs(f, `${f.host}/Bad/App:v1`),
        `Invalid --tag: "${f.host}/Bad/App:v1". Repository names must be lowercase.`,
      ),
  ],
  [
    'a malformed digest in a tag',
    'action',
    (f) =>
      buildAction(
        f,
        { tags: `${f.host}/app@sha256:abc` },
        `Invalid tags: "${f.host}/app@sha256:abc". ${DIGEST_FORMAT}`,
      ),
  ],
  [
    'an unknown attestation-policy',
    'action',
    (f) =>
      buildAction(
        f,
        { 'attestation-policy': 'sometimes' },
        'Invalid attestation-policy: "sometimes". Use one of: auto, strip, keep.',
      ),
  ],
  [
    'an unknown attestation-policy',
    'cli',
    (f) =>
      buildCli(
        ['--attestation-policy', 'sometimes'],
        pushArgs(f),
        'Invalid attestation-policy: "sometimes". Use one of: auto, strip, keep.',
      ),
  ],
  [
    'an unknown expect',
    'cli',
    (f) =>
      buildCli(
        ['--expect', 'list'],
        pushArgs(f),
        'Invalid expect: "list". Use one of: auto, manifest, index.',
      ),
  ],
  [
    'an unknown media-types',
    'action',
    (f) =>
      buildAction(f, { 'media-types': 'cbor' }, 'Invalid media-types: "cbor". Use one of: any, docker, oci.'),
  ],
  [
    'a push that is not a boolean',
    'action',
    (f) => buildAction(f, { push: 'maybe' }, 'Invalid push: "maybe". Use true or false.'),
  ],
  [
    'a verify that is not a boolean',
    'action',
    (f) => buildAction(f, { verify: 'perhaps' }, 'Invalid verify: "perhaps". Use true or false.'),
  ],
  [
    'an unknown guard option',
    'cli',
    (f) =>
      buildCli(
        ['--verfy'],
        pushArgs(f),
        `Invalid build option: "--verfy". Unknown option '--verfy'. Put docker buildx build arguments after --; see buildx-guard build --help.`,
      ),
  ],
  [
    'buildx arguments without --',
    'cli',
    (f) => ({
      args: ['build', ...pushArgs(f)],
      error: `Invalid build option: "-t". Unknown option '-t'. Put docker buildx build arguments after --; see buildx-guard build --help.`,
    }),
  ],
  [
    'a malformed platform',
    'action',
    (f) =>
      buildAction(
        f,
        { platforms: 'linux' },
        'Invalid platforms: "linux". Use os/arch[/variant], e.g. linux/amd64,linux/arm64/v8.',
      ),
  ],
  [
    'a malformed insecure registry',
    'action',
    (f) =>
      buildAction(
        f,
        { 'insecure-registries': 'http://registry.local:5000' },
        'Invalid insecure-registries: "http://registry.local:5000". Use host or host:port, without a scheme or path, e.g. registry.local:5000.',
      ),
  ],
  [
    'a malformed insecure registry',
    'cli',
    (f) =>
      buildCli(
        ['--insecure-registry', 'http://registry.local:5000'],
        pushArgs(f),
        'Invalid insecure-registries: "http://registry.local:5000". Use host or host:port, without a scheme or path, e.g. registry.local:5000.',
      ),
  ],
  [
    'a push without a tag',
    'action',
    (f) =>
      buildAction(
        f,
        { tags: '' },
        'Invalid tags: "". A push needs an image name: set tags (e.g. ghcr.io/owner/app:1.0), or name= in outputs.',
      ),
  ],
  [
    'provenance the policy strips',
    'action',
    (f) => buildAction(f, { provenance: 'true' }, PROVENANCE_CONFLICT('provenance', 'attestation-policy')),
  ],
  [
    'provenance the policy strips',
    'cli',
    (f) =>
      buildCli(
        [],
        ['--provenance=true', ...pushArgs(f)],
        PROVENANCE_CONFLICT('--provenance', '--attestation-policy'),
      ),
  ],
  [
    'push and load on a buildx that cannot do both',
    'action',
    (f) =>
      buildAction(
        f,
        { load: 'true' },
        'Invalid load: "true". buildx v0.12.1 cannot push and load in one build. Drop load or push, or use buildx 0.13.0 or later.',
        { BXG_BUILDX_VERSION: '0.12.1' },
      ),
  ],
  [
    'two build contexts',
    'cli',
    (f) =>
      buildCli(
        [],
        [...pushArgs(f), f.context],
        `Invalid build arguments: "${[...pushArgs(f), f.context].join(' ')}". Give exactly one build context after -- (found 2), e.g. buildx-guard build -- -t reg/app:1 --push .`,
      ),
  ],
  [
    'a missing context',
    'action',
    (f) =>
      buildAction(
        f,
        { context: '/nonexistent/context' },
        `Invalid context: "/nonexistent/context". The directory does not exist (in ${process.cwd()}). Check out the repository first (actions/checkout) or fix the path.`,
      ),
  ],
  [
    'a missing context',
    'cli',
    (f) =>
      buildCli(
        [],
        pushArgs(f, f.tag, '/nonexistent/context'),
        `Invalid build context: "/nonexistent/context". The directory does not exist (in ${process.cwd()}): give the directory to build, or a Git or HTTP URL, as the last argument.`,
      ),
  ],
  [
    'a missing Dockerfile',
    'action',
    (f) =>
      buildAction(
        f,
        { file: '/nonexistent/Dockerfile' },
        `Invalid file: "/nonexistent/Dockerfile". No Dockerfile at /nonexistent/Dockerfile. Set file to the Dockerfile's path (relative to ${process.cwd()}).`,
      ),
  ],
  ['no docker on PATH', 'action', (f) => buildAction(f, {}, NO_DOCKER, { PATH: '/nonexistent' })],
  ['no docker on PATH', 'cli', (f) => buildCli([], pushArgs(f), NO_DOCKER, { PATH: '/nonexistent' })],
  [
    'a retry count that is negative',
    'action',
    (f) =>
      buildAction(
        f,
        {},
        'Invalid BUILDX_GUARD_RETRIES: "-1". Use a whole number of at least 0, or unset it for 3.',
        { BUILDX_GUARD_RETRIES: '-1' },
      ),
  ],
  ['a docker without buildx', 'action', (f) => buildAction(f, {}, NO_BUILDX, { PATH: f.pathWithoutBuildx })],
  [
    'a docker without buildx',
    'cli',
    (f) => buildCli([], pushArgs(f), NO_BUILDX, { PATH: f.pathWithoutBuildx }),
  ],
];

const verifyAction = (inputs: Record<string, string>, error: string, env: Record<string, string> = {}) => ({
  inputs: { mode: 'verify', ...inputs },
  env,
  error,
});
const verifyCli = (args: string[], error: string, env: Record<string, string> = {}) => ({
  args: ['verify', ...args],
  env,
  error,
});

const verifyRows: Row[] = [
  [
    'a malformed reference',
    'action',
    () =>
      verifyAction(
        { images: 'ghcr.io/owner/app:v1 beta' },
        `Invalid images: "ghcr.io/owner/app:v1 beta". A reference has no spaces. ${REFERENCE_FORMAT}`,
      ),
  ],
  [
    'a malformed tag',
    'cli',
    () =>
      verifyCli(
        ['ghcr.io/owner/app:-v1'],
        'Invalid images: "ghcr.io/owner/app:-v1". A tag is up to 128 letters, digits, _, . and -, and does not start with . or -.',
      ),
  ],
  [
    'a malformed digest',
    'action',
    () =>
      verifyAction(
        { images: 'ghcr.io/owner/app@sha256:abc' },
        `Invalid images: "ghcr.io/owner/app@sha256:abc". ${DIGEST_FORMAT}`,
      ),
  ],
  [
    'an unverifiable digest algorithm',
    'cli',
    () =>
      verifyCli(
        [`ghcr.io/owner/app@md5:${'0'.repeat(32)}`],
        `Invalid images: "ghcr.io/owner/app@md5:${'0'.repeat(32)}". Only sha256, sha384 and sha512 digests can be verified. ${DIGEST_FORMAT}`,
      ),
  ],
  [
    'no image at all',
    'action',
    () =>
      verifyAction(
        { images: '' },
        'Invalid images: "". List at least one image reference, e.g. ghcr.io/owner/app:v1.',
      ),
  ],
  [
    'an unknown attestations value',
    'cli',
    () =>
      verifyCli(
        ['--attestations', 'maybe', 'a/b'],
        'Invalid attestations: "maybe". Use one of: auto, allow, deny, require.',
      ),
  ],
  [
    'an unknown media-types value',
    'action',
    () =>
      verifyAction(
        { images: 'a/b', 'media-types': 'cbor' },
        'Invalid media-types: "cbor". Use one of: any, docker, oci.',
      ),
  ],
  [
    'an unknown option',
    'cli',
    () =>
      verifyCli(
        ['--expects', 'index', 'a/b'],
        'Invalid option: "--expects". See buildx-guard verify --help for the options.',
      ),
  ],
  [
    'a single manifest expected for two platforms',
    'action',
    () =>
      verifyAction(
        { images: 'a/b', expect: 'manifest', platforms: 'linux/amd64,linux/arm64' },
        'Invalid platforms: "linux/amd64,linux/arm64". A single manifest holds one platform: use expect index for several, or name one platform.',
      ),
  ],
  [
    'a single manifest expected for two platforms',
    'cli',
    () =>
      verifyCli(
        ['--expect', 'manifest', '--platforms', 'linux/amd64,linux/arm64', 'a/b'],
        'Invalid platforms: "linux/amd64,linux/arm64". A single manifest holds one platform: use expect index for several, or name one platform.',
      ),
  ],
  [
    'a timeout that is not a number',
    'cli',
    (f) =>
      verifyCli(
        [`${f.host}/a/b:v1`],
        'Invalid BUILDX_GUARD_TIMEOUT_MS: "soon". Use a whole number of at least 1, or unset it for 30000.',
        { BUILDX_GUARD_TIMEOUT_MS: 'soon' },
      ),
  ],
];

const lintRows: Row[] = [
  [
    'an unknown fail-on',
    'action',
    (f) => ({
      inputs: { mode: 'lint', 'fail-on': 'sometimes' },
      env: { GITHUB_WORKSPACE: f.repo },
      error: 'Invalid fail-on: "sometimes". Use one of: error, warning, note, never.',
    }),
  ],
  [
    'an unknown format',
    'cli',
    (f) => ({
      args: ['lint', '--format', 'yaml', f.repo],
      error: 'Invalid format: "yaml". Use one of: text, json, sarif, github.',
    }),
  ],
  [
    'a flag without its value',
    'cli',
    () => ({
      args: ['lint', '--policy'],
      error: 'Invalid --policy: "". Give --policy a value (see buildx-guard lint --help).',
    }),
  ],
  [
    'an unknown option',
    'cli',
    () => ({
      args: ['lint', '--strict'],
      error:
        'Invalid option: "--strict". Use --format, --fail-on, --policy, --fix or --help (see buildx-guard lint --help).',
    }),
  ],
  [
    'a path that does not exist',
    'cli',
    () => ({
      args: ['lint', 'no/such/workflow.yml'],
      error:
        'Invalid PATH: "no/such/workflow.yml". No such file or directory: name a workflow file, a directory or a glob.',
    }),
  ],
  [
    'a workflows entry that does not exist',
    'action',
    (f) => ({
      inputs: { mode: 'lint', workflows: 'no/such/workflow.yml' },
      env: { GITHUB_WORKSPACE: f.repo },
      error:
        'Invalid workflows: "no/such/workflow.yml". No such file or directory: name a workflow file, a directory or a glob.',
    }),
  ],
  [
    'a policy file that does not exist',
    'action',
    (f) => ({
      inputs: { mode: 'lint', 'policy-file': 'missing.yml' },
      env: { GITHUB_WORKSPACE: f.repo },
      error:
        'Invalid policy-file: "missing.yml". No such file: create it, or set policy-file (--policy) to an existing file.',
    }),
  ],
  [
    'a policy file with an unknown rule',
    'cli',
    (f) => ({
      args: ['lint', '--policy', join(f.repo, 'unknown-rule.yml'), f.repo],
      error: `Invalid rule id in ${join(f.repo, 'unknown-rule.yml')}:2:3: "single-platform-attestation". Did you mean "single-platform-attestations"? The rule ids are single-platform-attestations, manifest-merge-of-index, attestations-explicitly-enabled, parse-error.`,
    }),
  ],
  [
    'a policy file that is not YAML',
    'action',
    (f) => ({
      inputs: { mode: 'lint', 'policy-file': 'broken.yml' },
      env: { GITHUB_WORKSPACE: f.repo },
      error:
        'Invalid policy file broken.yml:2:1: "". It is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ]): fix the syntax.',
    }),
  ],
  [
    'an unknown mode',
    'action',
    () => ({
      inputs: { mode: 'deploy' },
      error: 'Invalid mode: "deploy". Use one of: build, verify, lint, audit, repair.',
    }),
  ],
  [
    'an unknown command',
    'cli',
    () => ({
      args: ['deploy'],
      error: 'Invalid command: "deploy". Use build, verify, lint, audit or repair (see buildx-guard --help).',
    }),
  ],
];

/** Every mode that talks to the registry meets the docker config the same way: one row per mode and edge. */
const credentialRows: Row[] = DOCKER_CONFIG_PROBLEMS.flatMap(({ name, dir, error }): Row[] => {
  const config = (f: Fixture) => ({ DOCKER_CONFIG: dir(f) });
  return [
    [`${name} (build)`, 'action', (f) => buildAction(f, {}, error(f), config(f))],
    [`${name} (build)`, 'cli', (f) => buildCli([], pushArgs(f), error(f), config(f))],
    [`${name} (verify)`, 'action', (f) => verifyAction({ images: f.tag }, error(f), config(f))],
    [`${name} (verify)`, 'cli', (f) => verifyCli([f.tag], error(f), config(f))],
  ];
});

/** @actions/core's escaping of a workflow command's message. */
const commandData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

async function run(via: 'action' | 'cli', scenario: Scenario): Promise<RunResult> {
  const env = {
    ...QUICK_RETRIES,
    DOCKER_CONFIG: emptyDockerConfig(),
    PATH: fixture.path,
    ...scenario.env,
  };
  return via === 'action' ? runAction(scenario.inputs ?? {}, { env }) : runCli(scenario.args ?? [], { env });
}

describe.each([
  ['build', buildRows],
  ['verify', verifyRows],
  ['lint', lintRows],
  ['docker config', credentialRows],
])('%s mode: bad input is one clear error', (_mode, rows) => {
  it.each(rows)('%s (%s)', async (_name, via, scenario) => {
    const current = scenario(fixture);
    const { error } = current;
    const result = await run(via, current);
    expectNoStackTrace(result.stdout + result.stderr);
    if (via === 'action') {
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toEqual([
        `::error::${commandData(error)}`,
      ]);
    } else {
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr.split('\n').filter((line) => line.startsWith('error: '))).toEqual([
        `error: ${error}`,
      ]);
    }
    // A secret given where a value was expected is masked, and shown nowhere else.
    const shown = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(shown.join('\n') + result.stderr).not.toContain('hunter2');
  });
});
