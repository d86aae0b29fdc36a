import {
  imageIdFileFor,
  outputLoads,
  outputNames,
  outputPushes,
  parseOutput,
  pushesByDigest,
} from '../../src/modes/build/outputs';
import { readBuildResult, refsToVerify, repositoryOf } from '../../src/modes/build/metadata';
import { CheckError } from '../../src/core/errors';

describe('outputs', () => {
  it.each([
    ['type=registry', 'registry', {}, true, false, []],
    [
      'type=image,name=r/app:1,push=true',
      'image',
      { name: 'r/app:1', push: 'true' },
      true,
      false,
      ['r/app:1'],
    ],
    ['type=image,push=false', 'image', { push: 'false' }, false, false, []],
    ['type=image', 'image', {}, false, false, []],
    [
      'type=image,"name=r/a:1,r/a:2",push=1',
      'image',
      { name: 'r/a:1,r/a:2', push: '1' },
      true,
      false,
      ['r/a:1', 'r/a:2'],
    ],
    ['type=docker', 'docker', {}, false, true, []],
    ['type=docker,dest=out.tar', 'docker', { dest: 'out.tar' }, false, false, []],
    ['type=local,dest=out', 'local', { dest: 'out' }, false, false, []],
    ['./out', 'local', { dest: './out' }, false, false, []],
    ['-', 'tar', { dest: '-' }, false, false, []],
    [' TYPE=registry , Push-By-Digest=true ', 'registry', { 'push-by-digest': 'true' }, true, false, []],
  ])('%j', (spec, type, attrs, pushes, loads, names) => {
    const output = parseOutput(spec);
    expect(output).toEqual({ type, attrs });
    expect(outputPushes(output)).toBe(pushes);
    expect(outputLoads(output)).toBe(loads);
    expect(outputNames(output)).toEqual(names);
  });

  it.each([
    [['type=registry'], '/t/iid'],
    [['type=local,dest=x'], undefined],
    [['type=tar,dest=x.tar'], undefined],
    [['type=image', 'type=local,dest=x'], undefined],
    [[], '/t/iid'],
  ])('imageIdFileFor(%j)', (specs, expected) => {
    expect(imageIdFileFor(specs.map(parseOutput), '/t/iid')).toBe(expected);
  });

  it.each([
    [['type=image,push-by-digest=true,push=true'], true],
    [['type=image,push-by-digest=false'], false],
    [['type=registry'], false],
  ])('pushesByDigest(%j) = %j', (specs, expected) =>
    expect(pushesByDigest(specs.map(parseOutput))).toBe(expected),
  );
});

describe('metadata', () => {
  const metadata = JSON.stringify({
    'buildx.build.ref': 'builder/builder0/abc',
    'containerimage.config.digest': 'sha256:c0',
    'containerimage.descriptor': {
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      digest: 'sha256:d1',
      size: 1,
      platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
    },
    'containerimage.digest': 'sha256:d1',
    'image.name': '127.0.0.1:5000/app:1,127.0.0.1:5000/app:latest',
  });

  it('reads what buildx wrote', () => {
    expect(readBuildResult(metadata, 'sha256:c0\n')).toEqual({
      metadataText: metadata,
      imageId: 'sha256:c0',
      digest: 'sha256:d1',
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      names: ['127.0.0.1:5000/app:1', '127.0.0.1:5000/app:latest'],
      platform: 'linux/arm64/v8',
    });
  });

  it.each([
    [undefined, undefined],
    ['', ''],
    ['null', undefined],
    ['{"buildx.build.ref":"b/b0/x"}', undefined],
  ])('a build without an image (%j) gives empty outputs', (text, iid) => {
    expect(readBuildResult(text, iid)).toMatchObject({
      imageId: '',
      digest: '',
      mediaType: '',
      names: [],
      platform: '',
    });
  });

  it('a metadata file that is not JSON cannot be checked', () => {
    expect(() => readBuildResult('{oops', '')).toThrow(CheckError);
  });

  it.each([
    ['reg.io/app:1', 'reg.io/app'],
    ['127.0.0.1:5000/team/app:v1.2', '127.0.0.1:5000/team/app'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app'],
    ['app', 'app'],
    ['reg.io/app@sha256:abc', 'reg.io/app'],
    ['localhost:5000/app:1@sha256:abc', 'localhost:5000/app'],
  ])('repositoryOf(%j) = %j', (name, repository) => expect(repositoryOf(name)).toBe(repository));

  it.each([
    [
      ['r:5000/app:1', 'r:5000/app:latest'],
      'sha256:d',
      false,
      ['r:5000/app:1', 'r:5000/app:latest', 'r:5000/app@sha256:d'],
    ],
    [['r:5000/app'], 'sha256:d', false, ['r:5000/app:latest', 'r:5000/app@sha256:d']],
    [['r:5000/app'], 'sha256:d', true, ['r:5000/app@sha256:d']],
    [
      ['r:5000/a:1', 'r:5000/b:1'],
      'sha256:d',
      false,
      ['r:5000/a:1', 'r:5000/b:1', 'r:5000/a@sha256:d', 'r:5000/b@sha256:d'],
    ],
    [['r:5000/a:1', 'r:5000/a:1'], '', false, ['r:5000/a:1']],
  ])('refsToVerify(%j, %j, byDigest %j)', (names, digest, byDigest, refs) => {
    expect(refsToVerify(names, digest, byDigest)).toEqual(refs);
  });
});
