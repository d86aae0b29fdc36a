// The attestation rules of an expectation: auto follows the attestation policy, require wants one per image.
import { MediaType } from '../../src/core/registry/mediatype';
import { ChildObservation, evaluate, ImageObservation } from '../../src/core/verification/check';
import { classifyChild, Descriptor } from '../../src/core/verification/classify';
import { Expectation } from '../../src/core/verification/report';
import { readVerifyInputs } from '../../src/modes/verify/inputs';
import { parsePlatform } from '../support/oci';
import { expectation } from '../registry/helpers/images';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const REF = 'reg.io/app:v1';

function child(platform: string, c: string, extra: Partial<Descriptor> = {}): ChildObservation {
  const descriptor: Descriptor = {
    mediaType: MediaType.OciManifest,
    digest: digest(c),
    size: 100,
    platform: parsePlatform(platform),
    ...extra,
  };
  return { descriptor, class: classifyChild(descriptor), present: true, missingBlobs: [] };
}
const attestation = (c: string, subject: string) =>
  child('unknown/unknown', c, {
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': digest(subject),
    },
  });
const index = (...children: ChildObservation[]): ImageObservation => ({
  ref: REF,
  top: { mediaType: MediaType.OciIndex, kind: 'oci-index', digest: digest('0'), missingBlobs: [], children },
});
const manifest: ImageObservation = {
  ref: REF,
  top: {
    mediaType: MediaType.OciManifest,
    kind: 'oci-manifest',
    digest: digest('0'),
    missingBlobs: [],
    children: [],
  },
};

const single = index(child('linux/amd64', 'a'), attestation('b', 'a'));
const multi = index(
  child('linux/amd64', 'a'),
  attestation('b', 'a'),
  child('linux/arm64', 'c'),
  attestation('d', 'c'),
);
const multiHalf = index(child('linux/amd64', 'a'), attestation('b', 'a'), child('linux/arm64', 'c'));
const multiBare = index(child('linux/amd64', 'a'), child('linux/arm64', 'c'));
// An attestation that names another image does not attest this one.
const misattested = index(
  child('linux/amd64', 'a'),
  attestation('b', 'f'),
  child('linux/arm64', 'c'),
  attestation('d', 'c'),
);

describe('attestation rules', () => {
  it.each<[string, ImageObservation, Expectation['attestations'], [string, string?][]]>([
    ['auto: single-platform index with an attestation', single, 'auto', [['attestation-child', digest('b')]]],
    ['auto: multi-platform index with attestations', multi, 'auto', []],
    ['auto: multi-platform index without attestations', multiBare, 'auto', []],
    ['auto: a plain manifest', manifest, 'auto', []],
    [
      'deny: multi-platform',
      multi,
      'deny',
      [
        ['attestation-child', digest('b')],
        ['attestation-child', digest('d')],
      ],
    ],
    ['allow: single-platform', single, 'allow', []],
    ['require: single-platform index with an attestation', single, 'require', []],
    ['require: multi-platform, every image attested', multi, 'require', []],
    ['require: one image unattested', multiHalf, 'require', [['missing-attestation', digest('c')]]],
    [
      'require: no attestations',
      multiBare,
      'require',
      [
        ['missing-attestation', digest('a')],
        ['missing-attestation', digest('c')],
      ],
    ],
    [
      // The stale attestation is a problem of its own (it names no image of the index), whatever the rule.
      'require: an attestation for another digest',
      misattested,
      'require',
      [
        ['attestation-child', digest('b')],
        ['missing-attestation', digest('a')],
      ],
    ],
    ['require: a plain manifest', manifest, 'require', [['missing-attestation', digest('0')]]],
  ])('%s', (_name, observation, attestations, problems) => {
    const report = evaluate(observation, expectation({ attestations }));
    expect(report.problems.map((p) => [p.code, p.digest].filter(Boolean))).toEqual(problems);
    expect(report.ok).toBe(problems.length === 0);
  });
});

describe('the attestations input', () => {
  const read = (values: Record<string, string>) =>
    readVerifyInputs((name) => ({ images: REF, ...values })[name] ?? '').expectation.attestations;

  it.each<[Record<string, string>, Expectation['attestations']]>([
    [{}, 'auto'],
    [{ 'attestation-policy': 'auto' }, 'auto'],
    [{ 'attestation-policy': 'strip' }, 'deny'],
    [{ 'attestation-policy': 'keep', expect: 'index' }, 'allow'],
    [{ attestations: 'require' }, 'require'],
    [{ attestations: 'REQUIRE', 'attestation-policy': 'strip' }, 'require'],
  ])('%j reads as %s', (values, expected) => {
    expect(read(values)).toBe(expected);
  });

  it('names the choices when the value is wrong', () => {
    expect(() => read({ attestations: 'always' })).toThrow(
      'Invalid attestations: "always". Use one of: auto, allow, deny, require.',
    );
  });
});
