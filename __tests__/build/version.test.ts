import { buildxAtLeast, parseBuildxVersion } from '../../src/core/policy/buildx-version';
import { buildxError, parseBuilderFacts } from '../../src/modes/build/docker';

describe('parseBuildxVersion', () => {
  it.each([
    ['github.com/docker/buildx v0.19.3 48d6a39', [0, 19, 3], 'v0.19.3'],
    [
      'github.com/docker/buildx v0.10.0-docker 876462897612d36679153c3414f7689626251501',
      [0, 10, 0],
      'v0.10.0-docker',
    ],
    [
      'github.com/docker/buildx 0.9.1+azure-2 ed00243a0ce2a0aee75311b06e32d33b44729689',
      [0, 9, 1],
      '0.9.1+azure-2',
    ],
    ['github.com/docker/buildx 0.12.1-0ubuntu1~22.04.1 ', [0, 12, 1], '0.12.1-0ubuntu1~22.04.1'],
    ['github.com/docker/buildx v1.2 abc\n', [1, 2, 0], 'v1.2'],
    ['v0.11.2', [0, 11, 2], 'v0.11.2'],
  ])('%j', (output, [major, minor, patch], text) => {
    expect(parseBuildxVersion(output)).toEqual({ major, minor, patch, text });
  });

  it.each([
    'github.com/docker/buildx dev 1234abc',
    '',
    "docker: 'buildx' is not a docker command.",
    'buildx 48d6a39',
  ])('%j has no version', (output) => expect(parseBuildxVersion(output)).toBeUndefined());
});

describe('buildxAtLeast', () => {
  const v = (text: string) => parseBuildxVersion(text);
  it.each([
    ['v0.10.0', '0.10.0', true],
    ['v0.9.1', '0.10.0', false],
    ['v0.10.0-rc1', '0.10.0', true],
    ['v0.19.3', '0.10.0', true],
    ['v1.0.0', '0.13.0', true],
    ['v0.12.9', '0.13.0', false],
    ['v0.13.0', '0.13', true],
  ])('%s >= %s: %j', (version, minimum, expected) => {
    expect(buildxAtLeast(v(version), minimum)).toBe(expected);
  });
  it('takes an unknown version to be current', () => expect(buildxAtLeast(undefined, '0.10.0')).toBe(true));
});

describe('parseBuilderFacts', () => {
  const debian = [
    'Name:          default',
    'Driver:        docker',
    '',
    'Nodes:',
    'Name:             default',
    'BuildKit version: v0.0.0+unknown',
    'Platforms:        linux/amd64, linux/amd64/v2',
  ].join('\n');
  it.each([
    [debian, { driver: 'docker', buildkit: ['v0.0.0+unknown'] }],
    [
      'Driver: docker-container\nName: b0\nBuildKit version:      v0.18.2\nName: b1\nBuildKit version: v0.12.5\n',
      { driver: 'docker-container', buildkit: ['v0.18.2', 'v0.12.5'] },
    ],
    ['Driver: docker\nBuildkit: v0.10.6-moby\n', { driver: 'docker', buildkit: ['v0.10.6-moby'] }],
    ['Name: b\n', { driver: '', buildkit: [] }],
  ])('%j', (output, facts) => expect(parseBuilderFacts(output)).toEqual(facts));
});

describe('buildxError', () => {
  it.each([
    ['#1 DONE\n#2 ERROR: boom\nERROR: failed to solve: boom\n', 'ERROR: failed to solve: boom'],
    [
      "unknown flag: --nope\nSee 'docker buildx build --help'.\n",
      "unknown flag: --nope\nSee 'docker buildx build --help'.",
    ],
    ['a\nb\nc\nd\ne\nf\ng\n', 'c\nd\ne\nf\ng'],
  ])('%j', (stderr, quoted) => expect(buildxError(stderr)).toBe(quoted));
});
