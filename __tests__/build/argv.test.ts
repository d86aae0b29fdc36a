import { InputError } from '../../src/core/errors';
import { readBuildInputs } from '../../src/modes/build/inputs';
import { cliLog } from '../../src/core/output/log';
import { planPolicy, AttestationPolicy } from '../../src/core/policy/policy';
import { specFromInputs } from '../../src/modes/build/spec';
import { BuildFiles } from '../../src/modes/build/run';
import { parseBuildxVersion } from '../../src/core/policy/buildx-version';
import { BuilderFacts, builderSupportsDefaultProvenance } from '../../src/modes/build/argv';

const M = '/files/metadata.json';
const I = '/files/iid.txt';
const STRIP = ['--provenance=false', '--sbom=false'];
const RUNNER = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_SHA: 'f00d',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '2',
};
const RUN_URL = 'https://github.com/octo/app/actions/runs/42/attempts/2';
/** A docker-container builder with a current BuildKit: build-push-action's default provenance applies. */
const CONTAINER_BUILDER: BuilderFacts = { driver: 'docker-container', buildkit: ['v0.18.2'] };
/** Debian's dockerd (BuildKit v0.0.0+unknown): no default provenance, so other cases show only their input. */
const DEBIAN_BUILDER: BuilderFacts = { driver: 'docker', buildkit: ['v0.0.0+unknown'] };

/** Files as run.ts hands them over; a secret's "path" is recorded instead of written. */
function fakeFiles(): BuildFiles & { written: Record<string, string> } {
  const written: Record<string, string> = {};
  return {
    metadataFile: M,
    iidFile: I,
    written,
    writePrivate(name, content) {
      written[name] = content;
      return `/files/${name}`;
    },
  };
}

interface Options {
  buildx?: string;
  policy?: AttestationPolicy;
  env?: Record<string, string>;
  /** What `docker buildx inspect` said, when the spec asks for it. */
  builder?: BuilderFacts;
  privateRepository?: boolean;
}

function assemble(values: Record<string, string>, options: Options = {}) {
  const env = options.env ?? {};
  const buildx = parseBuildxVersion(`github.com/docker/buildx ${options.buildx ?? 'v0.19.3'} abc`);
  const inputs = readBuildInputs((name) => values[name] ?? '', env, cliLog({ write: () => undefined }));
  const spec = specFromInputs(inputs, buildx, env, { privateRepository: options.privateRepository ?? false });
  const plan = planPolicy({
    policy: options.policy ?? 'auto',
    platforms: spec.platforms,
    buildx,
    requests: spec.requests,
  });
  const files = fakeFiles();
  const builder = spec.needsBuilder?.(plan) ? (options.builder ?? DEBIAN_BUILDER) : undefined;
  return { ...spec.argv(plan, files, builder), spec, plan, files, askedBuilder: builder !== undefined };
}

describe('assembleBuildArgv covers every build-push-action input', () => {
  it.each<[string, Record<string, string>, string[], Options?]>([
    ['defaults: single platform, auto strips', {}, ['--iidfile', I, ...STRIP, '--metadata-file', M, '.']],
    [
      'add-hosts (comma and newline)',
      { 'add-hosts': 'docker:10.180.0.1,db:10.0.0.2\napi=10.0.0.3' },
      [
        '--add-host',
        'docker:10.180.0.1',
        '--add-host',
        'db:10.0.0.2',
        '--add-host',
        'api=10.0.0.3',
        '--iidfile',
        I,
        ...STRIP,
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'allow',
      { allow: 'network.host,security.insecure' },
      [
        '--allow',
        'network.host',
        '--allow',
        'security.insecure',
        '--iidfile',
        I,
        ...STRIP,
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'annotations keep commas (keep: an index to annotate)',
      { annotations: 'index:org.opencontainers.image.description=a, b\nmanifest:x=1' },
      [
        '--annotation',
        'index:org.opencontainers.image.description=a, b',
        '--annotation',
        'manifest:x=1',
        '--iidfile',
        I,
        '--metadata-file',
        M,
        '.',
      ],
      { policy: 'keep' },
    ],
    [
      'attests (keep)',
      { attests: 'type=sbom,generator=image' },
      ['--iidfile', I, '--attest', 'type=sbom,generator=image', '--metadata-file', M, '.'],
      { policy: 'keep' },
    ],
    [
      'attests bare booleans become disabled=',
      { attests: 'type=sbom,false' },
      [
        '--iidfile',
        I,
        '--attest',
        'type=sbom,disabled=true',
        '--provenance=false',
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'build-args keep commas',
      { 'build-args': 'A=1,2\nB=x y' },
      ['--build-arg', 'A=1,2', '--build-arg', 'B=x y', '--iidfile', I, ...STRIP, '--metadata-file', M, '.'],
    ],
    [
      'build-contexts',
      { 'build-contexts': 'alpine=docker-image://alpine:3.19,x' },
      [
        '--build-context',
        'alpine=docker-image://alpine:3.19,x',
        '--iidfile',
        I,
        ...STRIP,
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'builder',
      { builder: 'ci-builder' },
      ['--iidfile', I, ...STRIP, '--builder', 'ci-builder', '--metadata-file', M, '.'],
    ],
    [
      'cache-from keeps commas',
      { 'cache-from': 'type=gha\ntype=registry,ref=r/app:cache' },
      [
        '--cache-from',
        'type=gha',
        '--cache-from',
        'type=registry,ref=r/app:cache',
        '--iidfile',
        I,
        ...STRIP,
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'cache-to keeps commas',
      { 'cache-to': 'type=gha,mode=max' },
      ['--cache-to', 'type=gha,mode=max', '--iidfile', I, ...STRIP, '--metadata-file', M, '.'],
    ],
    ['call', { call: 'check' }, ['--call', 'check', '--iidfile', I, ...STRIP, '--metadata-file', M, '.']],
    [
      'cgroup-parent',
      { 'cgroup-parent': '/actions_job' },
      ['--cgroup-parent', '/actions_job', '--iidfile', I, ...STRIP, '--metadata-file', M, '.'],
    ],
    ['context goes last', { context: './app' }, ['--iidfile', I, ...STRIP, '--metadata-file', M, './app']],
    [
      'file',
      { file: 'docker/Dockerfile.prod' },
      ['--file', 'docker/Dockerfile.prod', '--iidfile', I, ...STRIP, '--metadata-file', M, '.'],
    ],
    [
      'labels keep commas',
      { labels: 'org.opencontainers.image.title=a,b\nteam=x' },
      [
        '--iidfile',
        I,
        '--label',
        'org.opencontainers.image.title=a,b',
        '--label',
        'team=x',
        ...STRIP,
        '--metadata-file',
        M,
        '.',
      ],
    ],
    ['load', { load: 'true' }, ['--iidfile', I, ...STRIP, '--load', '--metadata-file', M, '.']],
    [
      'network',
      { network: 'host' },
      ['--iidfile', I, ...STRIP, '--metadata-file', M, '--network', 'host', '.'],
    ],
    ['no-cache', { 'no-cache': 'true' }, ['--iidfile', I, ...STRIP, '--metadata-file', M, '--no-cache', '.']],
    [
      'no-cache-filters split on commas',
      { 'no-cache-filters': 'build,test' },
      [
        '--iidfile',
        I,
        '--no-cache-filter',
        'build',
        '--no-cache-filter',
        'test',
        ...STRIP,
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'outputs keep commas, and a local export takes no iidfile',
      { outputs: 'type=local,dest=out' },
      ['--output', 'type=local,dest=out', ...STRIP, '--metadata-file', M, '.'],
    ],
    [
      'platforms: multi-platform left to buildx under auto',
      { platforms: 'linux/amd64,linux/arm64' },
      ['--iidfile', I, '--platform', 'linux/amd64,linux/arm64', '--metadata-file', M, '.'],
    ],
    [
      'platforms: one platform is stripped',
      { platforms: 'linux/arm64' },
      ['--iidfile', I, '--platform', 'linux/arm64', ...STRIP, '--metadata-file', M, '.'],
    ],
    [
      'platforms: strip applies to multi-platform',
      { platforms: 'linux/amd64\nlinux/arm64' },
      ['--iidfile', I, '--platform', 'linux/amd64,linux/arm64', ...STRIP, '--metadata-file', M, '.'],
      { policy: 'strip' },
    ],
    [
      'provenance attributes get the builder-id (keep)',
      { provenance: 'mode=max', context: '.' },
      [
        '--iidfile',
        I,
        '--attest',
        `type=provenance,mode=max,builder-id=${RUN_URL}`,
        '--metadata-file',
        M,
        '.',
      ],
      { policy: 'keep', env: RUNNER },
    ],
    [
      'provenance: true (keep)',
      { provenance: 'true' },
      ['--iidfile', I, '--attest', 'type=provenance', '--metadata-file', M, '.'],
      { policy: 'keep' },
    ],
    [
      'provenance: false is not given twice',
      { provenance: 'false' },
      [
        '--iidfile',
        I,
        '--attest',
        'type=provenance,disabled=true',
        '--sbom=false',
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'provenance wins over attests of the same type',
      { provenance: 'false', attests: 'type=provenance,mode=max\ntype=sbom' },
      [
        '--iidfile',
        I,
        '--attest',
        'type=provenance,disabled=true',
        '--attest',
        'type=sbom',
        '--metadata-file',
        M,
        '.',
      ],
      { policy: 'keep' },
    ],
    ['pull', { pull: 'true' }, ['--iidfile', I, ...STRIP, '--metadata-file', M, '--pull', '.']],
    [
      'push with tags',
      { push: 'true', tags: 'r.io/app:1,r.io/app:latest' },
      [
        '--iidfile',
        I,
        ...STRIP,
        '--tag',
        'r.io/app:1',
        '--tag',
        'r.io/app:latest',
        '--metadata-file',
        M,
        '--push',
        '.',
      ],
    ],
    [
      'sbom: true (keep)',
      { sbom: 'true' },
      ['--iidfile', I, '--attest', 'type=sbom,disabled=false', '--metadata-file', M, '.'],
      { policy: 'keep' },
    ],
    [
      'sbom: false',
      { sbom: 'false' },
      [
        '--iidfile',
        I,
        '--attest',
        'type=sbom,disabled=true',
        '--provenance=false',
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'secrets go through private files',
      { secrets: 'GIT_AUTH_TOKEN=abc,def\nNPM=x' },
      [
        '--iidfile',
        I,
        ...STRIP,
        '--secret',
        'id=GIT_AUTH_TOKEN,src=/files/secret-0',
        '--secret',
        'id=NPM,src=/files/secret-1',
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'secret-envs',
      { 'secret-envs': 'MY_SECRET=MY_ENV,OTHER=ENV2' },
      [
        '--iidfile',
        I,
        ...STRIP,
        '--secret',
        'id=MY_SECRET,env=MY_ENV',
        '--secret',
        'id=OTHER,env=ENV2',
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'secret-files',
      { 'secret-files': 'KEY=./secret.txt' },
      ['--iidfile', I, ...STRIP, '--secret', 'id=KEY,src=./secret.txt', '--metadata-file', M, '.'],
    ],
    [
      'shm-size',
      { 'shm-size': '2g' },
      ['--iidfile', I, ...STRIP, '--shm-size', '2g', '--metadata-file', M, '.'],
    ],
    ['ssh', { ssh: 'default' }, ['--iidfile', I, ...STRIP, '--ssh', 'default', '--metadata-file', M, '.']],
    [
      'tags split on commas and newlines',
      { tags: 'r.io/a:1,r.io/a:2\nr.io/a:3' },
      [
        '--iidfile',
        I,
        ...STRIP,
        '--tag',
        'r.io/a:1',
        '--tag',
        'r.io/a:2',
        '--tag',
        'r.io/a:3',
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'target',
      { target: 'runtime' },
      ['--iidfile', I, ...STRIP, '--target', 'runtime', '--metadata-file', M, '.'],
    ],
    [
      'ulimit',
      { ulimit: 'nofile=1024:2048\nnproc=512' },
      [
        '--iidfile',
        I,
        ...STRIP,
        '--ulimit',
        'nofile=1024:2048',
        '--ulimit',
        'nproc=512',
        '--metadata-file',
        M,
        '.',
      ],
    ],
    [
      'github-token authenticates the default Git context',
      { 'github-token': 'ghs_token' },
      [
        '--iidfile',
        I,
        ...STRIP,
        '--secret',
        'id=GIT_AUTH_TOKEN.github.com,src=/files/git-auth-token',
        '--metadata-file',
        M,
        'https://github.com/octo/app.git#f00d',
      ],
      { env: RUNNER },
    ],
    [
      'github-token is not sent for a local context',
      { 'github-token': 'ghs_token', context: '.' },
      ['--iidfile', I, ...STRIP, '--metadata-file', M, '.'],
      { env: RUNNER },
    ],
    [
      '{{defaultContext}} in context',
      { context: '{{ defaultContext }}:docker' },
      ['--iidfile', I, ...STRIP, '--metadata-file', M, 'https://github.com/octo/app.git#f00d:docker'],
      { env: RUNNER },
    ],
    ['keep adds nothing', {}, ['--iidfile', I, '--metadata-file', M, '.'], { policy: 'keep' }],
    [
      'buildx 0.9: no attestation flags at all',
      { provenance: 'true', platforms: 'linux/amd64' },
      ['--iidfile', I, '--platform', 'linux/amd64', '--metadata-file', M, '.'],
      { buildx: 'v0.9.1', policy: 'strip' },
    ],
    [
      'buildx 0.11: annotations are ignored',
      { annotations: 'x=1' },
      ['--iidfile', I, ...STRIP, '--metadata-file', M, '.'],
      { buildx: 'v0.11.2' },
    ],
    [
      'buildx 0.7: build-contexts are ignored',
      { 'build-contexts': 'a=b' },
      ['--iidfile', I, '--metadata-file', M, '.'],
      { buildx: 'v0.7.1' },
    ],
  ])('%s', (_name, values, args, options: Options = {}) => {
    expect(assemble(values, options).argv).toEqual(['buildx', 'build', ...args]);
  });

  it('never gives buildx an attestation type twice', () => {
    const combos: Record<string, string>[] = [
      { provenance: 'false' },
      { sbom: 'false' },
      { provenance: 'false', sbom: 'false' },
      { attests: 'type=provenance,disabled=true\ntype=sbom,disabled=true' },
      { provenance: 'false', attests: 'type=provenance,disabled=true' },
    ];
    for (const values of combos) {
      for (const policy of ['auto', 'strip', 'keep'] as const) {
        const { argv } = assemble(values, { policy });
        const types = argv.flatMap((arg, i) => {
          if (arg === '--attest') return [/type=([^,]+)/.exec(argv[i + 1])![1]];
          const shorthand = /^--(provenance|sbom)(=|$)/.exec(arg);
          return shorthand ? [shorthand[1]] : [];
        });
        expect(new Set(types).size).toBe(types.length);
      }
    }
  });

  it('warns about inputs this buildx cannot take', () => {
    expect(assemble({ provenance: 'true' }, { buildx: 'v0.9.1' }).warnings).toEqual([
      'buildx v0.9.1 is older than 0.10.0: the input provenance, sbom and attests is ignored.',
    ]);
    expect(assemble({ annotations: 'a=1' }, { buildx: 'v0.11.0' }).warnings).toEqual([
      'buildx v0.11.0 is older than 0.12.0: the input annotations is ignored.',
    ]);
  });

  it('writes each secret value to its own private file, never into the argv', () => {
    const { files, argv } = assemble({ secrets: 'A=s3cr3t', 'github-token': 'ghs_tok' }, { env: RUNNER });
    expect(files.written).toEqual({ 'secret-0': 's3cr3t', 'git-auth-token': 'ghs_tok' });
    expect(argv.join(' ')).not.toMatch(/s3cr3t|ghs_tok/);
  });

  it('does not send the github-token when the user gives their own GIT_AUTH_TOKEN', () => {
    const { argv } = assemble({ secrets: 'GIT_AUTH_TOKEN=mine', 'github-token': 'ghs_tok' }, { env: RUNNER });
    expect(argv.filter((arg) => arg.startsWith('id=GIT_AUTH_TOKEN'))).toEqual([
      'id=GIT_AUTH_TOKEN,src=/files/secret-0',
    ]);
  });

  it.each<[string, Record<string, string>, string, string]>([
    [
      'call needs buildx 0.15',
      { call: 'check' },
      'v0.14.1',
      'Invalid call: "check". It needs buildx 0.15.0 or later',
    ],
    [
      'push and load together before 0.13',
      { push: 'true', load: 'true', tags: 'r/a:1' },
      'v0.12.1',
      'Invalid load: "true". buildx v0.12.1 cannot push and load in one build',
    ],
    [
      'two outputs before 0.13',
      { outputs: 'type=local,dest=a\ntype=docker' },
      'v0.10.0',
      'Invalid outputs: "type=local,dest=a\\ntype=docker". buildx v0.10.0 takes a single output',
    ],
    [
      'push with a local output before 0.13',
      { push: 'true', tags: 'r/a:1', outputs: 'type=local,dest=a' },
      'v0.11.0',
      'cannot add push to a type=local output',
    ],
    [
      'load with a registry output before 0.13',
      { load: 'true', outputs: 'type=registry,name=r/a:1' },
      'v0.11.0',
      'cannot add load to a type=registry output',
    ],
  ])('%s', (_name, values, buildx, message) => {
    expect(() => assemble(values, { buildx })).toThrow(InputError);
    expect(() => assemble(values, { buildx })).toThrow(message);
  });

  it.each<[Record<string, string>]>([
    [{ push: 'true', load: 'true', tags: 'r/a:1' }],
    [{ outputs: 'type=local,dest=a\ntype=docker' }],
  ])('buildx 0.13 takes several exporters: %j', (values) =>
    expect(() => assemble(values, { buildx: 'v0.13.0' })).not.toThrow(),
  );

  it('describes the push for the verification', () => {
    const { spec } = assemble({
      outputs: 'type=image,"name=r.io/a:1,r.io/b:2",push=true,push-by-digest=true',
    });
    expect(spec).toMatchObject({ pushes: true, pushByDigest: true, names: ['r.io/a:1', 'r.io/b:2'] });
    expect(assemble({ tags: 'r.io/a:1' }).spec).toMatchObject({ pushes: false, names: ['r.io/a:1'] });
  });
});

// docker/build-push-action's own cases (its __tests__/context.test.ts, getArgs) and documented behaviour, for
// the inputs where a drop-in could silently differ.
describe('drop-in: build-push-action behaviour', () => {
  const argsOf = (argv: string[], flag: string) =>
    argv.flatMap((arg, i) => (argv[i - 1] === flag ? [arg] : []));

  it('a quoted multi-line build-arg is one --build-arg, commas kept', () => {
    const { argv } = assemble({
      'build-args': 'MY_ARG=val1,val2,val3\nARG=val\n"MULTILINE=aaaa\nbbbb\nccc"',
    });
    expect(argsOf(argv, '--build-arg')).toEqual([
      'MY_ARG=val1,val2,val3',
      'ARG=val',
      'MULTILINE=aaaa\nbbbb\nccc',
    ]);
  });

  it('a # inside a build-arg value is kept', () => {
    expect(argsOf(assemble({ 'build-args': 'FOO=bar#baz' }).argv, '--build-arg')).toEqual(['FOO=bar#baz']);
  });

  it.each([
    [
      'quoted multi-line secrets, one with an empty line',
      'GIT_AUTH_TOKEN=abcdefghi,jklmno=0123456789\n"MYSECRET=aaaaaaaa\nbbbbbbb\nccccccccc"\nFOO=bar\n"EMPTYLINE=aaaa\n\nbbbb\nccc"',
      ['abcdefghi,jklmno=0123456789', 'aaaaaaaa\nbbbbbbb\nccccccccc', 'bar', 'aaaa\n\nbbbb\nccc'],
    ],
    [
      'unquoted multi-line secrets: the lines without = are skipped',
      'GIT_AUTH_TOKEN=abcdefghi,jklmno=0123456789\nMYSECRET=aaaaaaaa\nbbbbbbb\nccccccccc\nFOO=bar\nEMPTYLINE=aaaa\n\nbbbb\nccc',
      ['abcdefghi,jklmno=0123456789', 'aaaaaaaa', 'bar', 'aaaa'],
    ],
  ])('%s', (_name, secrets, values) => {
    const { argv, files } = assemble({ secrets, platforms: 'linux/amd64,linux/arm64' });
    expect(argsOf(argv, '--secret')).toEqual(
      ['GIT_AUTH_TOKEN', 'MYSECRET', 'FOO', 'EMPTYLINE'].map((id, i) => `id=${id},src=/files/secret-${i}`),
    );
    expect(Object.values(files.written)).toEqual(values);
  });

  it('the quoted "id=value" form of Docker\'s docs reaches buildx without its quotes', () => {
    const { argv, files } = assemble({ secrets: '"github_token=ghs_abc"' });
    expect(argsOf(argv, '--secret')).toEqual(['id=github_token,src=/files/secret-0']);
    expect(files.written['secret-0']).toBe('ghs_abc');
  });

  it('a secret keeps its trailing newline (an SSH key needs it)', () => {
    const { files } = assemble({ secrets: '"PRIVATE_SSH_KEY=-----KEY-----\n"\n' });
    expect(files.written['secret-0']).toBe('-----KEY-----\n');
  });

  it.each([
    ['provenance: true', { provenance: 'true' }, `type=provenance,builder-id=${RUN_URL}`],
    ['provenance: mode=max', { provenance: 'mode=max' }, `type=provenance,mode=max,builder-id=${RUN_URL}`],
    [
      'provenance: builder-id=foo is kept',
      { provenance: 'builder-id=foo' },
      'type=provenance,builder-id=foo',
    ],
    ['provenance: false', { provenance: 'false' }, 'type=provenance,disabled=true'],
    [
      'attests: type=provenance',
      { attests: 'type=provenance,mode=min' },
      `type=provenance,mode=min,builder-id=${RUN_URL}`,
    ],
    [
      'provenance wins over attests',
      { attests: 'type=provenance,mode=min', provenance: 'mode=max' },
      `type=provenance,mode=max,builder-id=${RUN_URL}`,
    ],
  ])('%s (keep) carries the builder-id', (_name, values, attest) => {
    const { argv } = assemble(values, { policy: 'keep', env: RUNNER });
    expect(argsOf(argv, '--attest')).toEqual([attest]);
  });

  it('the builder-id names attempt 1 when the runner gives no attempt', () => {
    const env: Record<string, string> = { ...RUNNER };
    delete env.GITHUB_RUN_ATTEMPT;
    const { argv } = assemble({ provenance: 'true' }, { policy: 'keep', env });
    expect(argsOf(argv, '--attest')).toEqual([
      'type=provenance,builder-id=https://github.com/octo/app/actions/runs/42/attempts/1',
    ]);
  });

  describe('default provenance when attestations are kept', () => {
    const multi = { platforms: 'linux/amd64,linux/arm64', push: 'true', tags: 'r.io/a:1' };
    it.each<[string, Record<string, string>, Options, string[]]>([
      [
        'public repository, multi-platform under auto: max',
        multi,
        {},
        [`type=provenance,mode=max,builder-id=${RUN_URL}`],
      ],
      [
        'private repository: min, inline only',
        multi,
        { privateRepository: true },
        [`type=provenance,mode=min,inline-only=true,builder-id=${RUN_URL}`],
      ],
      [
        'keep on a single platform',
        { push: 'true', tags: 'r.io/a:1' },
        { policy: 'keep' },
        [`type=provenance,mode=max,builder-id=${RUN_URL}`],
      ],
      [
        'sbom alone still gets it',
        { ...multi, sbom: 'false' },
        {},
        [`type=provenance,mode=max,builder-id=${RUN_URL}`, 'type=sbom,disabled=true'],
      ],
      ['not with load', { ...multi, push: 'false', load: 'true' }, {}, []],
      ['not with a docker output', { ...multi, push: 'false', outputs: 'type=docker' }, {}, []],
      [
        'not when the user asks for provenance in attests',
        { ...multi, attests: 'type=provenance,mode=min' },
        {},
        [`type=provenance,mode=min,builder-id=${RUN_URL}`],
      ],
      [
        'not under BUILDX_NO_DEFAULT_ATTESTATIONS',
        multi,
        { env: { ...RUNNER, BUILDX_NO_DEFAULT_ATTESTATIONS: '1' } },
        [],
      ],
      [
        "not on Debian's dockerd (BuildKit v0.0.0+unknown)",
        multi,
        { builder: { driver: 'docker', buildkit: ['v0.0.0+unknown'] } },
        [],
      ],
      [
        'on dockerd with a -moby BuildKit',
        multi,
        { builder: { driver: 'docker', buildkit: ['v0.12.5-moby'] } },
        [`type=provenance,mode=max,builder-id=${RUN_URL}`],
      ],
      [
        'not with BuildKit 0.10',
        multi,
        { builder: { driver: 'docker-container', buildkit: ['v0.10.6'] } },
        [],
      ],
      ['not when the policy strips', { ...multi }, { policy: 'strip' }, []],
    ])('%s', (_name, values, options, attests) => {
      const { argv } = assemble(values, { env: RUNNER, builder: CONTAINER_BUILDER, ...options });
      expect(argsOf(argv, '--attest')).toEqual(attests);
    });

    it('asks the builder only when its answer can change the argv', () => {
      expect(assemble({}).askedBuilder).toBe(false);
      expect(assemble({ platforms: 'linux/amd64,linux/arm64' }, { policy: 'strip' }).askedBuilder).toBe(
        false,
      );
      expect(assemble({ provenance: 'mode=max' }, { policy: 'keep' }).askedBuilder).toBe(false);
      expect(assemble({ load: 'true' }, { policy: 'keep' }).askedBuilder).toBe(false);
      expect(assemble({}, { policy: 'keep' }).askedBuilder).toBe(true);
      expect(assemble({}, { buildx: 'v0.9.1', policy: 'keep' }).askedBuilder).toBe(false);
    });

    it.each<[BuilderFacts, boolean]>([
      [{ driver: 'docker-container', buildkit: ['v0.11.0'] }, true],
      [{ driver: 'docker-container', buildkit: ['v0.18.2', 'v0.10.6'] }, false],
      [{ driver: 'docker-container', buildkit: ['v0.13.0-rc1'] }, false],
      [{ driver: 'docker', buildkit: ['v0.11.6-moby'] }, true],
      [{ driver: 'docker', buildkit: ['v0.12.5'] }, false],
      [{ driver: 'remote', buildkit: [''] }, false],
      [{ driver: 'kubernetes', buildkit: ['1.0.0'] }, true],
    ])('BuildKit check %j: %j', (facts, expected) => {
      expect(builderSupportsDefaultProvenance(facts)).toBe(expected);
    });
  });

  describe('index annotations on a build the policy turns into a plain manifest', () => {
    it.each([
      ['index:', 'index:org.opencontainers.image.description=app'],
      ['index-descriptor:', 'index-descriptor:org.opencontainers.image.description=app'],
      ['index with a platform', 'index[linux/amd64]:a=b'],
    ])(
      '%s under auto on one platform fails before building, naming the input, policy and fixes',
      (_name, annotation) => {
        expect(() => assemble({ annotations: `manifest:x=1\n${annotation}` })).toThrow(InputError);
        expect(() => assemble({ annotations: annotation })).toThrow(
          new RegExp(
            `^Invalid annotations: "${annotation.replace(/[[\]]/g, '\\$&')}"\\. .*attestation-policy "auto" strips .*Drop the index: prefix.*set attestation-policy to keep`,
          ),
        );
      },
    );

    it.each<[string, Record<string, string>, Options]>([
      ['manifest annotations under auto', { annotations: 'manifest:a=b\nmanifest-descriptor:c=d\ne=f' }, {}],
      [
        'index annotations on a multi-platform build',
        { annotations: 'index:a=b', platforms: 'linux/amd64,linux/arm64' },
        {},
      ],
      [
        'index annotations under strip on several platforms (a manifest list)',
        { annotations: 'index:a=b', platforms: 'linux/amd64,linux/arm64' },
        { policy: 'strip' },
      ],
      ['index annotations under keep', { annotations: 'index:a=b' }, { policy: 'keep' }],
    ])('%s build', (_name, values, options) => {
      expect(() => assemble(values, options)).not.toThrow();
    });
  });
});
