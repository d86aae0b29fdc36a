import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors';
import {
  checkLocalPaths,
  defaultGitContext,
  isRemoteContext,
  parseBuildCommandArgs,
  readBuildInputs,
  readGuardOptions,
  readRunnerEvent,
} from '../../src/modes/build/inputs';
import { cliLog } from '../../src/core/output/log';

const source = (values: Record<string, string>) => (name: string) => values[name] ?? '';

function read(values: Record<string, string>, env: Record<string, string> = {}) {
  const printed: string[] = [];
  const log = cliLog({ write: (text) => printed.push(text) });
  const inputs = readBuildInputs(source(values), env, log);
  return { inputs, log, printed };
}

describe('readGuardOptions', () => {
  it('defaults', () => {
    expect(readGuardOptions(source({}))).toEqual({
      attestationPolicy: 'auto',
      attestations: 'auto',
      expect: 'auto',
      mediaTypes: 'any',
      verify: true,
      verifyBlobs: false,
      insecureRegistries: [],
    });
  });

  it('reads every guard input', () => {
    expect(
      readGuardOptions(
        source({
          'attestation-policy': 'Strip',
          expect: 'index',
          'media-types': 'oci',
          verify: 'false',
          'verify-blobs': 'true',
          'insecure-registries': 'reg.lan:5000, other.lan\nthird.lan',
        }),
      ),
    ).toEqual({
      attestationPolicy: 'strip',
      attestations: 'auto',
      expect: 'index',
      mediaTypes: 'oci',
      verify: false,
      verifyBlobs: true,
      insecureRegistries: ['reg.lan:5000', 'other.lan', 'third.lan'],
    });
  });

  it.each([
    ['attestation-policy', 'never', 'Invalid attestation-policy: "never". Use one of: auto, strip, keep.'],
    ['expect', 'list', 'Invalid expect: "list". Use one of: auto, manifest, index.'],
    ['media-types', 'v2', 'Invalid media-types: "v2". Use one of: any, docker, oci.'],
    ['verify', 'sometimes', 'Invalid verify: "sometimes". Use true or false.'],
    ['verify-blobs', 'y', 'Invalid verify-blobs: "y". Use true or false.'],
  ])('%s: %j', (name, value, message) => {
    expect(() => readGuardOptions(source({ [name]: value }))).toThrow(
      new InputError(name, value, message.split('. ').slice(1).join('. ')),
    );
    expect(() => readGuardOptions(source({ [name]: value }))).toThrow(message);
  });
});

describe('readBuildInputs', () => {
  it('splits lists as build-push-action does', () => {
    const { inputs } = read({
      tags: 'r/a:1, r/a:2\nr/a:3',
      'build-args': 'A=1,2\nB=3',
      labels: 'l=a,b',
      outputs: 'type=registry,name=r/a:1',
      'cache-from': 'type=gha,scope=x',
      'cache-to': 'type=gha,mode=max',
      attests: 'type=sbom,generator=img',
      annotations: 'index:a=1,2',
      'build-contexts': 'a=docker-image://x,y',
      ulimit: 'nofile=1:2',
      'secret-files': 'K=a,b.txt',
      platforms: 'linux/amd64,linux/arm64',
      allow: 'network.host,security.insecure',
      'add-hosts': 'a:1.1.1.1,b:2.2.2.2',
      'no-cache-filters': 'x,y',
      ssh: 'default,key=/k',
      'secret-envs': 'A=B,C=D',
    });
    expect(inputs).toMatchObject({
      tags: ['r/a:1', 'r/a:2', 'r/a:3'],
      buildArgs: ['A=1,2', 'B=3'],
      labels: ['l=a,b'],
      outputs: ['type=registry,name=r/a:1'],
      cacheFrom: ['type=gha,scope=x'],
      cacheTo: ['type=gha,mode=max'],
      attests: ['type=sbom,generator=img'],
      annotations: ['index:a=1,2'],
      buildContexts: ['a=docker-image://x,y'],
      ulimit: ['nofile=1:2'],
      secretFiles: [{ id: 'K', value: 'a,b.txt' }],
      platforms: ['linux/amd64', 'linux/arm64'],
      allow: ['network.host', 'security.insecure'],
      addHosts: ['a:1.1.1.1', 'b:2.2.2.2'],
      noCacheFilters: ['x', 'y'],
      ssh: ['default', 'key=/k'],
      secretEnvs: [
        { id: 'A', value: 'B' },
        { id: 'C', value: 'D' },
      ],
    });
  });

  it('reads booleans and strings', () => {
    const { inputs } = read({
      load: 'true',
      push: 'false',
      pull: 'TRUE',
      'no-cache': '1',
      builder: ' b ',
      network: 'host',
      target: 't',
      'cgroup-parent': '/x',
      call: 'check',
      file: 'Dockerfile.x',
      'shm-size': '128m',
      provenance: 'mode=max',
      sbom: 'true',
    });
    expect(inputs).toMatchObject({
      load: true,
      push: false,
      pull: true,
      noCache: true,
      builder: 'b',
      network: 'host',
      target: 't',
      cgroupParent: '/x',
      call: 'check',
      file: 'Dockerfile.x',
      shmSize: '128m',
      provenance: 'mode=max',
      sbom: 'true',
      context: '.',
      defaultGitContext: false,
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['a bad boolean', { push: 'yes please' }, 'Invalid push: "yes please". Use true or false.'],
    ['load', { load: 'maybe' }, 'Invalid load: "maybe".'],
    ['no-cache', { 'no-cache': '2' }, 'Invalid no-cache: "2".'],
    ['pull', { pull: 'nope' }, 'Invalid pull: "nope".'],
    ['shm-size', { 'shm-size': 'lots' }, 'Invalid shm-size: "lots". Use a size such as 64m, 2g'],
    ['ulimit', { ulimit: 'nofile' }, 'Invalid ulimit: "nofile". Use name=soft[:hard]'],
    ['platforms', { platforms: 'amd64' }, 'Invalid platforms: "amd64". Use os/arch[/variant]'],
    ['add-hosts', { 'add-hosts': 'justahost' }, 'Invalid add-hosts: "justahost". Use host:ip'],
    ['outputs without a type', { outputs: 'dest=out' }, 'Invalid outputs: "dest=out". Name the exporter'],
    ['a push without a name', { push: 'true' }, 'Invalid tags: "". A push needs an image name'],
    [
      'a registry output without a name',
      { outputs: 'type=registry' },
      'Invalid tags: "". A push needs an image name',
    ],
  ])('rejects %s', (_name, values, message) => {
    expect(() => read(values)).toThrow(InputError);
    expect(() => read(values)).toThrow(message);
  });

  it('accepts a push named by its output', () => {
    expect(read({ outputs: 'type=image,name=r/a:1,push=true' }).inputs.outputs).toHaveLength(1);
  });

  it.each([
    ['secrets', { secrets: 'justavalue\nA=s3cr3t-a' }, 'secrets: entry 1 is not id=value', ['A']],
    ['secrets', { secrets: '=s3cr3t-v\nB=\nC=s3cr3t-c' }, 'secrets: entry 2 is not id=value', ['C']],
    ['secret-envs', { 'secret-envs': 'NOVALUE=\nE=ENV' }, 'secret-envs: "NOVALUE=" is not id=value', ['E']],
    ['secret-files', { 'secret-files': '=file\nF=f.txt' }, 'secret-files: "=file" is not id=value', ['F']],
  ])(
    'warns about and skips an entry of %s that is not id=value, as build-push-action does',
    (name, values, warning, ids) => {
      const { inputs, printed } = read(values);
      const key = { secrets: 'secrets', 'secret-envs': 'secretEnvs', 'secret-files': 'secretFiles' }[name] as
        'secrets' | 'secretEnvs' | 'secretFiles';
      expect(inputs[key].map((s) => s.id)).toEqual(ids);
      expect(printed.join('')).toContain(`warning: ${warning}, so it is skipped`);
    },
  );

  it('registers secret values and the github-token first, and never prints them, not even a malformed entry', () => {
    const values = { secrets: 'A=hunter2\nhunter3', 'github-token': 'ghs_abcdef' };
    const { printed, log } = read(values);
    expect(printed.join('')).toContain('secrets: entry 2 is not id=value');
    expect(printed.join('')).not.toContain('hunter3');
    log.info(`echo hunter2 ghs_abcdef hunter3`);
    expect(printed.at(-1)).toBe('echo *** *** ***\n');
  });

  it.each([
    [{}, ''],
    [{ GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' }, 'https://github.com/o/r.git#abc'],
    [
      { GITHUB_SERVER_URL: 'https://gitea.example/', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' },
      'https://gitea.example/o/r.git#abc',
    ],
    [
      { GITHUB_REPOSITORY: 'o/r', GITHUB_REF: 'refs/heads/main' },
      'https://github.com/o/r.git#refs/heads/main',
    ],
  ])('defaultGitContext(%j) = %j', (env, context) => expect(defaultGitContext(env)).toBe(context));

  it('uses the Git context when context is empty on a runner, as build-push-action does', () => {
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' };
    expect(read({}, env).inputs).toMatchObject({
      context: 'https://github.com/o/r.git#abc',
      defaultGitContext: true,
    });
    expect(read({ context: 'app' }, env).inputs).toMatchObject({ context: 'app', defaultGitContext: false });
    expect(read({ 'build-contexts': 'src={{defaultContext}}' }, env).inputs.buildContexts).toEqual([
      'src=https://github.com/o/r.git#abc',
    ]);
  });

  it.each([
    ['https://github.com/o/r.git#main', true],
    ['git@github.com:o/r.git', true],
    ['github.com/o/r', true],
    ['git://host/r', true],
    ['-', true],
    ['.', false],
    ['./https', false],
  ])('isRemoteContext(%j) = %j', (context, remote) => expect(isRemoteContext(context)).toBe(remote));
});

describe('checkLocalPaths', () => {
  // Created while the tables are built: they name paths inside it.
  const dir = mkdtempSync(join(tmpdir(), 'bxg-paths-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'Dockerfile.other'), 'FROM scratch\n');
  writeFileSync(join(dir, 'secret.txt'), 's');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (values: Record<string, string>) => () => checkLocalPaths(read(values).inputs, dir);

  it.each<[Record<string, string>]>([
    [{ context: 'app' }],
    [{ context: join(dir, 'app') }],
    [{ context: 'empty', file: 'Dockerfile.other' }],
    [{ context: 'empty', file: '-' }],
    [{ context: 'https://github.com/o/r.git#main' }],
    [{ context: 'app', 'secret-files': 'S=secret.txt' }],
  ])('accepts %j', (values) => expect(check(values)).not.toThrow());

  it.each<[Record<string, string>, string]>([
    [{ context: 'missing' }, 'Invalid context: "missing". The directory does not exist'],
    [{ context: 'app/Dockerfile' }, 'Invalid context: "app/Dockerfile". The directory does not exist'],
    [{ context: 'empty' }, `Invalid context: "empty". No Dockerfile at ${join(dir, 'empty', 'Dockerfile')}.`],
    [
      { context: 'app', file: 'nope/Dockerfile' },
      `Invalid file: "nope/Dockerfile". No Dockerfile at ${join(dir, 'nope', 'Dockerfile')}.`,
    ],
    [
      { context: 'app', 'secret-files': 'S=missing.txt' },
      'Invalid secret-files: "S=missing.txt". The file does not exist',
    ],
  ])('rejects %j', (values, message) => {
    expect(check(values)).toThrow(InputError);
    expect(check(values)).toThrow(message);
  });
});

describe('parseBuildCommandArgs', () => {
  it('maps guard flags to input names and keeps everything after --', () => {
    const parsed = parseBuildCommandArgs([
      '--attestation-policy',
      'keep',
      '--expect=index',
      '--media-types',
      'oci',
      '--no-verify',
      '--verify-blobs',
      '--insecure-registry',
      'a.lan',
      '--insecure-registry=b.lan:5000',
      '--',
      '-t',
      'r/a:1',
      '--push',
      '.',
    ]);
    expect(parsed.help).toBe(false);
    expect(parsed.buildxArgs).toEqual(['-t', 'r/a:1', '--push', '.']);
    expect(readGuardOptions(parsed.get)).toEqual({
      attestationPolicy: 'keep',
      attestations: 'auto',
      expect: 'index',
      mediaTypes: 'oci',
      verify: false,
      verifyBlobs: true,
      insecureRegistries: ['a.lan', 'b.lan:5000'],
    });
  });

  it('defaults when only buildx arguments are given', () => {
    const parsed = parseBuildCommandArgs(['--', '.']);
    expect(readGuardOptions(parsed.get)).toMatchObject({ attestationPolicy: 'auto', verify: true });
    expect(parsed.buildxArgs).toEqual(['.']);
  });

  it.each([[['-h']], [['--help']], [['--help', '--', '.']]])('help: %j', (args) => {
    expect(parseBuildCommandArgs(args).help).toBe(true);
  });

  it.each<[string[], string]>([
    [['-t', 'r/a:1', '.'], 'Invalid build option: "-t".'],
    [['--push', '--', '.'], 'Invalid build option: "--push". Unknown option'],
    [['--expect'], 'Invalid build option: "--expect'],
    [['.'], 'Invalid build option: "."'],
    [[], 'Invalid build arguments: "". Put the docker buildx build arguments after --'],
  ])('%j', (args, message) => {
    expect(() => parseBuildCommandArgs(args)).toThrow(InputError);
    expect(() => parseBuildCommandArgs(args)).toThrow(message);
  });
});

describe('readRunnerEvent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-event-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const event = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return { GITHUB_EVENT_PATH: join(dir, name) };
  };

  it.each([
    ['a private repository', event('private.json', '{"repository":{"private":true}}'), true],
    ['a public repository', event('public.json', '{"repository":{"private":false}}'), false],
    ['no repository in the payload', event('none.json', '{"schedule":"0 0 * * *"}'), false],
    ['a payload that is not JSON', event('bad.json', '{oops'), false],
    ['"true" as a string is not a boolean', event('string.json', '{"repository":{"private":"true"}}'), false],
    ['no payload file', { GITHUB_EVENT_PATH: join(dir, 'missing.json') }, false],
    ['no GITHUB_EVENT_PATH', {}, false],
  ])('%s', (_name, env, privateRepository) => {
    expect(readRunnerEvent(env)).toEqual({ privateRepository });
  });
});
