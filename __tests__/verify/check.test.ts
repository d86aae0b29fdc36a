import { MediaType } from '../../src/core/registry/mediatype';
import {
  ChildObservation,
  evaluate,
  ImageObservation,
  TopObservation,
} from '../../src/core/verification/check';
import { classifyChild, Descriptor } from '../../src/core/verification/classify';
import { parsePlatform } from '../support/oci';
import { expectation } from '../registry/helpers/images';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const TOP = digest('0');
const REF = 'reg.io/app:v1';

function child(
  platform: string,
  c: string,
  overrides: Partial<Descriptor> = {},
  observed: Partial<ChildObservation> = {},
) {
  const descriptor: Descriptor = {
    mediaType: MediaType.OciManifest,
    digest: digest(c),
    size: 100,
    platform: parsePlatform(platform),
    ...overrides,
  };
  return {
    descriptor,
    class: classifyChild(descriptor),
    present: true,
    missingBlobs: [],
    ...observed,
  } as ChildObservation;
}
function attestation(c: string, subject: string) {
  return child('unknown/unknown', c, {
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': digest(subject),
    },
  });
}
function image(
  kind: TopObservation['kind'],
  mediaType: string,
  overrides: Partial<TopObservation> = {},
): ImageObservation {
  return { ref: REF, top: { mediaType, kind, digest: TOP, missingBlobs: [], children: [], ...overrides } };
}
const ociIndex = (children: ChildObservation[], overrides: Partial<TopObservation> = {}) =>
  image('oci-index', MediaType.OciIndex, { children, ...overrides });
const dockerManifest = (overrides: Partial<TopObservation> = {}) =>
  image('docker-manifest', MediaType.DockerManifest, overrides);
const buildxSingle = ociIndex([child('linux/amd64', 'a'), attestation('b', 'a')]);

describe('evaluate', () => {
  it.each<[string, ImageObservation, Parameters<typeof expectation>[0], [string, string?][]]>([
    ['not found', { ref: REF }, {}, [['not-found']]],
    ['a Docker manifest, auto', dockerManifest(), {}, []],
    ['a Docker manifest, manifest expected', dockerManifest(), { shape: 'manifest' }, []],
    [
      'a Docker manifest, index expected',
      dockerManifest(),
      { shape: 'index' },
      [['unexpected-manifest', TOP]],
    ],
    [
      'a Docker manifest, OCI expected',
      dockerManifest(),
      { mediaTypes: 'oci' },
      [['media-type-family', TOP]],
    ],
    [
      'an OCI manifest, Docker expected',
      image('oci-manifest', MediaType.OciManifest),
      { mediaTypes: 'docker' },
      [['media-type-family', TOP]],
    ],
    ['buildx single-platform, attestations denied', buildxSingle, {}, [['attestation-child', digest('b')]]],
    ['buildx single-platform, attestations allowed', buildxSingle, { attestations: 'allow' }, []],
    [
      'buildx single-platform, manifest expected',
      buildxSingle,
      { shape: 'manifest' },
      [
        ['unexpected-index', TOP],
        ['attestation-child', digest('b')],
      ],
    ],
    [
      'buildx single-platform, manifest expected, attestations allowed',
      buildxSingle,
      { shape: 'manifest', attestations: 'allow' },
      [['unexpected-index', TOP]],
    ],
    [
      'the artifact form of the attestation',
      ociIndex([
        child('linux/amd64', 'a'),
        child('unknown/unknown', 'b', { artifactType: MediaType.DockerAttestationManifest }),
      ]),
      {},
      [['attestation-child', digest('b')]],
    ],
    [
      'multi-platform with exactly the expected platforms',
      ociIndex([child('linux/amd64', 'a'), child('linux/arm64', 'c')]),
      { shape: 'index', platforms: ['linux/amd64', 'linux/arm64'] },
      [],
    ],
    [
      'platforms compare normalised',
      ociIndex([child('linux/arm64/v8', 'a'), child('linux/arm/v7', 'c')]),
      { platforms: ['linux/aarch64', 'linux/arm'] },
      [],
    ],
    [
      'a missing platform',
      ociIndex([child('linux/amd64', 'a'), attestation('b', 'a')]),
      { platforms: ['linux/amd64', 'linux/arm64'], attestations: 'allow' },
      [['platform-mismatch']],
    ],
    [
      'an extra platform',
      ociIndex([child('linux/amd64', 'a'), child('linux/386', 'c')]),
      { platforms: ['linux/amd64'] },
      [['platform-mismatch', digest('c')]],
    ],
    [
      'a missing child (dangling index)',
      ociIndex([child('linux/amd64', 'a', {}, { present: false })]),
      {},
      [['missing-child', digest('a')]],
    ],
    [
      'a missing attestation child, denied',
      ociIndex([child('linux/amd64', 'a'), { ...attestation('b', 'a'), present: false }]),
      {},
      [
        ['attestation-child', digest('b')],
        ['missing-child', digest('b')],
      ],
    ],
    [
      'a child served with another digest',
      ociIndex([child('linux/amd64', 'a', {}, { served: { digest: digest('f') } })]),
      {},
      [['digest-mismatch', digest('a')]],
    ],
    [
      'a child served with another size and media type',
      ociIndex([
        child(
          'linux/amd64',
          'a',
          {},
          { served: { digest: digest('a'), size: 99, mediaType: MediaType.DockerManifest } },
        ),
      ]),
      {},
      [['digest-mismatch', digest('a')]],
    ],
    [
      'a child served as described',
      ociIndex([
        child(
          'linux/amd64',
          'a',
          {},
          { served: { digest: digest('a'), size: 100, mediaType: MediaType.OciManifest } },
        ),
      ]),
      {},
      [],
    ],
    [
      'unknown/unknown without the annotation',
      ociIndex([child('linux/amd64', 'a'), child('unknown/unknown', 'b')]),
      { attestations: 'allow' },
      [['platform-mismatch', digest('b')]],
    ],
    [
      'a nested index',
      ociIndex([child('linux/amd64', 'a', { mediaType: MediaType.OciIndex })]),
      {},
      [['unsupported-media-type', digest('a')]],
    ],
    [
      'an invalid descriptor',
      ociIndex([{ raw: '{"digest":"x"}', class: { kind: 'unknown' }, present: false, missingBlobs: [] }]),
      {},
      [['unsupported-media-type']],
    ],
    [
      'a schema1 manifest',
      image('schema1', MediaType.DockerSchema1Signed),
      { shape: 'index', mediaTypes: 'oci' },
      [['unsupported-media-type', TOP]],
    ],
    ['an unknown manifest', image('unknown', 'text/html'), {}, [['unsupported-media-type', TOP]]],
    [
      'bytes that are not the requested digest',
      { ...dockerManifest(), requestedDigest: digest('9') },
      { shape: 'index' },
      [['digest-mismatch', digest('9')]],
    ],
    ['the requested digest', { ...dockerManifest(), requestedDigest: TOP }, {}, []],
    [
      'a Docker-Content-Digest that disagrees',
      dockerManifest({ headerDigest: digest('8') }),
      { shape: 'index' },
      [
        ['digest-mismatch', TOP],
        ['unexpected-manifest', TOP],
      ],
    ],
    ['a Docker-Content-Digest that agrees', dockerManifest({ headerDigest: TOP }), {}, []],
    [
      'a missing blob of a manifest',
      dockerManifest({ missingBlobs: [digest('7')] }),
      { verifyBlobs: true },
      [['missing-blob', digest('7')]],
    ],
    [
      'a missing blob of a child',
      ociIndex([child('linux/amd64', 'a', {}, { missingBlobs: [digest('7')] })]),
      { verifyBlobs: true },
      [['missing-blob', digest('7')]],
    ],
    [
      'a manifest for the expected platform',
      dockerManifest({ platform: 'linux/arm64' }),
      { platforms: ['linux/arm64/v8'] },
      [],
    ],
    [
      'a manifest for another platform',
      dockerManifest({ platform: 'linux/arm64' }),
      { platforms: ['linux/amd64'] },
      [['platform-mismatch', TOP]],
    ],
    [
      'a manifest where several platforms were expected',
      dockerManifest({ platform: 'linux/amd64' }),
      { platforms: ['linux/amd64', 'linux/arm64'] },
      [['platform-mismatch', TOP]],
    ],
    [
      'a manifest where an index of platforms was expected',
      dockerManifest({ platform: 'linux/amd64' }),
      { shape: 'index', platforms: ['linux/amd64', 'linux/arm64'] },
      [['unexpected-manifest', TOP]],
    ],
    [
      'a Docker list of Docker manifests, Docker expected',
      image('docker-list', MediaType.DockerManifestList, {
        children: [child('linux/amd64', 'a', { mediaType: MediaType.DockerManifest })],
      }),
      { mediaTypes: 'docker' },
      [],
    ],
    [
      'a Docker list holding an OCI manifest, Docker expected',
      image('docker-list', MediaType.DockerManifestList, { children: [child('linux/amd64', 'a')] }),
      { mediaTypes: 'docker' },
      [['media-type-family', digest('a')]],
    ],
  ])('%s', (_name, observation, overrides, expected) => {
    const report = evaluate(observation, expectation(overrides));
    expect(report.problems.map((p) => (p.digest ? [p.code, p.digest] : [p.code]))).toEqual(expected);
    expect(report.ok).toBe(expected.length === 0);
  });

  it('reports the image, its children and a message that names found and expected', () => {
    const report = evaluate(buildxSingle, expectation({ shape: 'manifest' }));
    expect(report).toEqual({
      ref: REF,
      digest: TOP,
      mediaType: MediaType.OciIndex,
      ok: false,
      children: [
        {
          digest: digest('a'),
          mediaType: MediaType.OciManifest,
          platform: 'linux/amd64',
          kind: 'image',
          present: true,
        },
        {
          digest: digest('b'),
          mediaType: MediaType.OciManifest,
          platform: 'unknown/unknown',
          kind: 'attestation',
          present: true,
        },
      ],
      problems: [
        {
          code: 'unexpected-index',
          message: `${REF} is ${MediaType.OciIndex} (OCI image index) with 2 children (1 image, 1 attestation), but a single image manifest was expected.`,
          digest: TOP,
        },
        {
          code: 'attestation-child',
          message: `Child ${digest('b')} (unknown/unknown, attestation) is an attestation manifest for ${digest('a')}; attestation children were not expected.`,
          digest: digest('b'),
        },
      ],
    });
  });

  it('reports nothing found as an empty image', () => {
    expect(evaluate({ ref: REF }, expectation())).toEqual({
      ref: REF,
      digest: '',
      mediaType: '',
      ok: false,
      children: [],
      problems: [
        {
          code: 'not-found',
          message: `${REF} does not exist in the registry (no manifest under that reference).`,
        },
      ],
    });
  });
});
