import { buildSummaryMarkdown } from '../../src/modes/build/summary';
import {
  describeExpected,
  firstLookWarning,
  fixFor,
  verificationFailure,
} from '../../src/modes/build/verdict';
import { GuardedBuild } from '../../src/modes/build/run';
import { parseBuildxVersion } from '../../src/core/policy/buildx-version';
import { planPolicy } from '../../src/core/policy/policy';
import { Expectation, ImageReport, ProblemCode } from '../../src/core/verification/report';

const buildx = parseBuildxVersion('github.com/docker/buildx v0.19.3 abc');
const stripped = planPolicy({ policy: 'auto', platforms: [], buildx, requests: [] });
const kept = planPolicy({ policy: 'keep', platforms: [], buildx, requests: [] });
const manifestOnly: Expectation = {
  shape: 'manifest',
  platforms: [],
  attestations: 'deny',
  mediaTypes: 'any',
  verifyBlobs: false,
};

const attestationIndex: ImageReport = {
  ref: '127.0.0.1:5000/app:1',
  digest: 'sha256:top',
  mediaType: 'application/vnd.oci.image.index.v1+json',
  ok: false,
  children: [
    {
      digest: 'sha256:img',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: 'linux/amd64',
      kind: 'image',
      present: true,
    },
    {
      digest: 'sha256:att',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: 'unknown/unknown',
      kind: 'attestation',
      present: true,
    },
  ],
  problems: [
    { code: 'unexpected-index', message: 'an index where a manifest was expected', digest: 'sha256:top' },
    { code: 'attestation-child', message: 'attestation child', digest: 'sha256:att' },
  ],
};

describe('describeExpected', () => {
  it.each<[Partial<Expectation>, string]>([
    [
      {},
      'an image manifest (application/vnd.oci.image.manifest.v1+json or application/vnd.docker.distribution.manifest.v2+json)',
    ],
    [{ mediaTypes: 'docker' }, 'an image manifest (application/vnd.docker.distribution.manifest.v2+json)'],
    [
      { shape: 'index', platforms: ['linux/amd64', 'linux/arm64'], mediaTypes: 'oci' },
      'an index (application/vnd.oci.image.index.v1+json) for linux/amd64, linux/arm64, without attestation children',
    ],
    [
      { shape: 'index', attestations: 'allow', mediaTypes: 'docker' },
      'an index (application/vnd.docker.distribution.manifest.list.v2+json)',
    ],
    [
      { shape: 'auto', attestations: 'allow', mediaTypes: 'oci' },
      'an image manifest (application/vnd.oci.image.manifest.v1+json) or an index (application/vnd.oci.image.index.v1+json)',
    ],
  ])('%j', (overrides, text) => expect(describeExpected({ ...manifestOnly, ...overrides })).toBe(text));
});

describe('firstLookWarning', () => {
  const index: Expectation = { ...manifestOnly, shape: 'index', attestations: 'allow' };
  it.each<[string, Expectation, boolean]>([
    ['application/vnd.oci.image.index.v1+json', manifestOnly, true],
    ['application/vnd.docker.distribution.manifest.v2+json', manifestOnly, false],
    ['application/vnd.docker.distribution.manifest.v2+json', index, true],
    ['application/vnd.docker.distribution.manifest.list.v2+json', index, false],
    ['application/vnd.oci.image.index.v1+json', { ...manifestOnly, shape: 'auto' }, false],
    ['', manifestOnly, false],
  ])('%s against %j', (type, expectation, warns) => {
    const warning = firstLookWarning(type, expectation);
    expect(warning !== undefined).toBe(warns);
    if (warns)
      expect(warning).toBe(
        `buildx reports it pushed ${type}; expected ${describeExpected(expectation)}. Checking what the registry serves.`,
      );
  });
});

describe('fixFor', () => {
  it.each<[ProblemCode[], typeof stripped, 'action' | 'cli', RegExp]>([
    [['missing-child'], stripped, 'action', /dangling.*Push the image again with its children/],
    [
      ['unexpected-index', 'attestation-child'],
      kept,
      'action',
      /Set attestation-policy: auto \(or strip\).*or expect: index/,
    ],
    [['attestation-child'], kept, 'cli', /Set --attestation-policy auto/],
    [['unexpected-index'], stripped, 'action', /another push to the same tag/],
    [['unexpected-manifest'], stripped, 'action', /expect: manifest/],
    [['platform-mismatch'], stripped, 'action', /platforms/],
    [['media-type-family'], stripped, 'cli', /--media-types any/],
    [['not-found'], stripped, 'action', /does not show the pushed reference/],
    [['digest-mismatch'], stripped, 'action', /do not match their digest/],
    [['missing-blob', 'unexpected-index'], kept, 'action', /dangling/],
  ])('%j', (codes, plan, style, fix) => expect(fixFor(codes, plan, style)).toMatch(fix));
});

describe('verificationFailure', () => {
  it('names the tag, what was found and expected, each unexpected child, the fix, then the report', () => {
    const message = verificationFailure([attestationIndex], manifestOnly, kept, 'action', () => 'TREE');
    expect(message).toBe(
      [
        'The registry does not serve what this build should have pushed.',
        '',
        '127.0.0.1:5000/app:1: the registry serves an index of 2 (application/vnd.oci.image.index.v1+json); expected an image manifest (application/vnd.oci.image.manifest.v1+json or application/vnd.docker.distribution.manifest.v2+json).',
        '  unexpected attestation child sha256:att (platform unknown/unknown, vnd.docker.reference.type=attestation-manifest)',
        'Fix: Set attestation-policy: auto (or strip) so a single-platform push is a plain manifest, or expect: index if you want the attestation index.',
        '',
        'TREE',
      ].join('\n'),
    );
  });

  it('lists missing children of a dangling index', () => {
    const dangling: ImageReport = {
      ...attestationIndex,
      children: [{ ...attestationIndex.children[0], present: false }],
      problems: [{ code: 'missing-child', message: 'gone', digest: 'sha256:img' }],
    };
    const expectation: Expectation = { ...manifestOnly, shape: 'index', attestations: 'allow' };
    const message = verificationFailure([dangling], expectation, kept, 'cli', () => '');
    expect(message).toContain('  missing child sha256:img (platform linux/amd64)');
    expect(message).toContain('Fix: The index is dangling');
    expect(message.endsWith('\n')).toBe(false);
  });
});

describe('buildSummaryMarkdown', () => {
  const base: GuardedBuild = {
    buildx,
    plan: stripped,
    expectation: manifestOnly,
    result: {
      metadataText: '{}',
      imageId: 'sha256:cfg',
      digest: 'sha256:top',
      platform: 'linux/amd64',
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      names: ['127.0.0.1:5000/app:1'],
    },
    defaultPlatform: 'linux/amd64',
    refs: ['127.0.0.1:5000/app:1', '127.0.0.1:5000/app@sha256:top'],
    verification: 'passed',
  };

  it('shows tags, digest, media type, platforms, policy and verdict', () => {
    const markdown = buildSummaryMarkdown(base, []);
    expect(markdown).toContain('### buildx-guard build');
    expect(markdown).toContain('| Tags | 127.0.0.1:5000/app:1 |');
    expect(markdown).toContain('| Digest | sha256:top |');
    expect(markdown).toContain('| Media type | application/vnd.docker.distribution.manifest.v2+json |');
    expect(markdown).toContain('| Platforms | linux/amd64 (builder default) |');
    expect(markdown).toContain(
      '| Attestation policy | auto: provenance and SBOM attestations stripped from single-platform builds |',
    );
    expect(markdown).toContain('| Verification | passed |');
  });

  it('prefers what the registry serves and lists each reference', () => {
    const markdown = buildSummaryMarkdown(
      { ...base, verification: 'failed', report: { images: [attestationIndex] } },
      ['linux/amd64'],
    );
    expect(markdown).toContain('| Media type | application/vnd.oci.image.index.v1+json |');
    expect(markdown).toContain('| Platforms | linux/amd64 |');
    expect(markdown).toContain('| Verification | FAILED |');
    expect(markdown).toContain(
      '| 127.0.0.1:5000/app:1 | application/vnd.oci.image.index.v1+json | an index where a manifest was expected; attestation child |',
    );
  });

  it('says when nothing was pushed', () => {
    const markdown = buildSummaryMarkdown({ ...base, refs: [], verification: 'nothing pushed' }, []);
    expect(markdown).toContain('| Verification | nothing pushed, nothing to verify |');
    expect(markdown).toContain('| Expected | nothing (no push) |');
  });
});
