import { InputError } from '../../src/core/errors';
import { readBuildxArgs } from '../../src/modes/build/buildx-args';
import { specFromBuildxArgs } from '../../src/modes/build/spec';
import { BuildFiles } from '../../src/modes/build/run';
import { parseBuildxVersion } from '../../src/core/policy/buildx-version';
import { planPolicy } from '../../src/core/policy/policy';

describe('readBuildxArgs', () => {
  it.each<[string, string[], object]>([
    [
      'platform forms',
      ['--platform', 'linux/amd64', '--platform=linux/arm64', '.'],
      { platforms: ['linux/amd64', 'linux/arm64'], positionals: ['.'] },
    ],
    [
      'tags: -t value, -tvalue, -t=value, --tag value, --tag=value',
      ['-t', 'a', '-tb', '-t=c', '--tag', 'd', '--tag=e', '.'],
      { names: ['a', 'b', 'c', 'd', 'e'] },
    ],
    ['--push', ['--push', '-t', 'r/a', '.'], { pushes: true, loads: false }],
    ['--push=false', ['--push=false', '.'], { pushes: false }],
    ['--load', ['--load', '.'], { pushes: false, loads: true }],
    ['-o type=registry', ['-o', 'type=registry,name=r/a:1', '.'], { pushes: true, names: ['r/a:1'] }],
    ['--output=type=image,push=true', ['--output=type=image,name=r/a:1,push=true', '.'], { pushes: true }],
    ['-o type=docker', ['-o', 'type=docker', '.'], { loads: true }],
    ['-o ./dir is a local export', ['-o', './dir', '.'], { pushes: false, loads: false }],
    [
      'value flags do not swallow the context',
      ['--build-arg', 'A=1', '--label', 'x=y', '--secret', 'id=a', '.'],
      { positionals: ['.'] },
    ],
    ['boolean flags take no value', ['--no-cache', '--pull', '-q', '.'], { positionals: ['.'] }],
    ['context anywhere', ['.', '--push', '-t', 'r/a'], { positionals: ['.'], pushes: true }],
    ['-- ends flags', ['-t', 'r/a', '--', '-'], { positionals: ['-'] }],
    ['builder', ['--builder', 'b1', '.'], { builder: 'b1' }],
  ])('%s', (_name, args, expected) => {
    expect(readBuildxArgs(args)).toMatchObject(expected);
  });

  it('takes the default platform and builder from the environment, as buildx does', () => {
    const env = { DOCKER_DEFAULT_PLATFORM: 'linux/arm64', BUILDX_BUILDER: 'ci' };
    expect(readBuildxArgs(['.'], env)).toMatchObject({ platforms: ['linux/arm64'], builder: 'ci' });
    expect(readBuildxArgs(['--platform', 'linux/amd64', '--builder', 'x', '.'], env)).toMatchObject({
      platforms: ['linux/amd64'],
      builder: 'x',
    });
  });

  it.each<[string[], object[]]>([
    [['--provenance=false', '.'], [{ type: 'provenance', enabled: false, source: '--provenance' }]],
    [['--provenance', 'mode=max', '.'], [{ type: 'provenance', enabled: true, value: 'mode=max' }]],
    [['--sbom=true', '.'], [{ type: 'sbom', enabled: true, source: '--sbom' }]],
    [
      ['--attest', 'type=sbom', '--attest=type=provenance,disabled=true', '.'],
      [
        { type: 'sbom', enabled: true, source: '--attest' },
        { type: 'provenance', enabled: false },
      ],
    ],
    [['--provenance=true', '--provenance=false', '.'], [{ type: 'provenance', enabled: false }]],
  ])('attestation requests of %j', (args, requests) => {
    expect(readBuildxArgs(args).requests).toEqual(requests.map((r) => expect.objectContaining(r)));
  });
});

describe('specFromBuildxArgs', () => {
  const files: BuildFiles = {
    metadataFile: '/f/metadata.json',
    iidFile: '/f/iid.txt',
    writePrivate: () => {
      throw new Error('the CLI writes no private files');
    },
  };
  const current = parseBuildxVersion('github.com/docker/buildx v0.19.3 abc');

  function argvFor(args: string[], policy: 'auto' | 'strip' | 'keep' = 'auto') {
    const spec = specFromBuildxArgs(args, {});
    const plan = planPolicy({
      policy,
      platforms: spec.platforms,
      buildx: current,
      requests: spec.requests,
      policyName: spec.policyName,
    });
    return spec.argv(plan, files);
  }

  it.each<[string, string[], 'auto' | 'strip' | 'keep', string[], string | undefined]>([
    [
      'policy flags and files go first, the user arguments stay as given',
      ['-t', 'r/a:1', '--push', '.'],
      'auto',
      [
        '--provenance=false',
        '--sbom=false',
        '--metadata-file',
        '/f/metadata.json',
        '--iidfile',
        '/f/iid.txt',
        '-t',
        'r/a:1',
        '--push',
        '.',
      ],
      '/f/iid.txt',
    ],
    [
      'multi-platform under auto',
      ['--platform', 'linux/amd64,linux/arm64', '--push', '-t', 'r/a', '.'],
      'auto',
      [
        '--metadata-file',
        '/f/metadata.json',
        '--iidfile',
        '/f/iid.txt',
        '--platform',
        'linux/amd64,linux/arm64',
        '--push',
        '-t',
        'r/a',
        '.',
      ],
      '/f/iid.txt',
    ],
    [
      'the user already turned provenance off',
      ['--provenance=false', '.'],
      'auto',
      [
        '--sbom=false',
        '--metadata-file',
        '/f/metadata.json',
        '--iidfile',
        '/f/iid.txt',
        '--provenance=false',
        '.',
      ],
      '/f/iid.txt',
    ],
    [
      'the user names their own files',
      ['--metadata-file', 'm.json', '--iidfile=i.txt', '.'],
      'keep',
      ['--metadata-file', 'm.json', '--iidfile=i.txt', '.'],
      'i.txt',
    ],
    [
      'a local export takes no iidfile',
      ['-o', 'type=local,dest=out', '.'],
      'keep',
      ['--metadata-file', '/f/metadata.json', '-o', 'type=local,dest=out', '.'],
      undefined,
    ],
  ])('%s', (_name, args, policy, argv, iidFile) => {
    const assembled = argvFor(args, policy);
    expect(assembled.argv).toEqual(['buildx', 'build', ...argv]);
    expect(assembled.iidFile).toBe(iidFile);
  });

  it('reads the metadata file the user named', () => {
    expect(argvFor(['--metadata-file', 'm.json', '.'], 'keep').metadataFile).toBe('m.json');
  });

  it.each<[string[], string]>([
    [
      ['--sbom=true', '.'],
      'Invalid --sbom: "true". It asks for a sbom attestation, but --attestation-policy "auto"',
    ],
    [['--attest', 'type=provenance,mode=max', '.'], 'Invalid --attest: "type=provenance,mode=max".'],
  ])('a conflict names the flag and the policy: %j', (args, message) => {
    expect(() => argvFor(args)).toThrow(message);
  });

  it.each<[string[], string]>([
    [['-t', 'r/a'], 'found 0'],
    [['.', 'other'], 'found 2'],
  ])('needs exactly one context: %j', (args, found) => {
    expect(() => specFromBuildxArgs(args, {})).toThrow(InputError);
    expect(() => specFromBuildxArgs(args, {})).toThrow(found);
  });
});
