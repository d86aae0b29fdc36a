import { parseBuildxVersion } from '../../src/core/policy/buildx-version';
import { AttestationRequest, parseShorthand } from '../../src/core/policy/attestations';
import { ExpectShape, expectationAfterPush } from '../../src/core/policy/expectation';
import { AttestationPolicy, planPolicy } from '../../src/core/policy/policy';
import { Expectation } from '../../src/core/verification/report';

const current = parseBuildxVersion('github.com/docker/buildx v0.19.3 abc');
const old = parseBuildxVersion('github.com/docker/buildx v0.9.1 abc');

function expectation(
  policy: AttestationPolicy,
  platforms: string[],
  options: { buildx?: typeof current; requests?: AttestationRequest[]; expect?: ExpectShape } = {},
): Expectation {
  const buildx = 'buildx' in options ? options.buildx : current;
  const requests = options.requests ?? [];
  const plan = planPolicy({ policy, platforms, buildx, requests });
  return expectationAfterPush({
    plan,
    platforms,
    buildx,
    requests,
    expect: options.expect ?? 'auto',
    mediaTypes: 'any',
    verifyBlobs: false,
  });
}

describe('expectationAfterPush', () => {
  it.each<[string, Expectation, Partial<Expectation>]>([
    [
      'stripped single platform: a plain manifest, no attestations',
      expectation('auto', []),
      { shape: 'manifest', attestations: 'deny', platforms: [] },
    ],
    [
      'single explicit platform',
      expectation('strip', ['linux/arm64']),
      { shape: 'manifest', attestations: 'deny', platforms: ['linux/arm64'] },
    ],
    [
      'multi-platform under auto: an index with exactly those platforms',
      expectation('auto', ['linux/amd64,linux/arm64']),
      { shape: 'index', attestations: 'allow', platforms: ['linux/amd64', 'linux/arm64'] },
    ],
    [
      'multi-platform under strip: an index without attestations',
      expectation('strip', ['linux/amd64\nlinux/arm64']),
      { shape: 'index', attestations: 'deny', platforms: ['linux/amd64', 'linux/arm64'] },
    ],
    [
      'keep: either shape, attestations allowed',
      expectation('keep', []),
      { shape: 'auto', attestations: 'allow' },
    ],
    [
      'keep with provenance asked for: an index',
      expectation('keep', [], { requests: [parseShorthand('provenance', 'mode=max', 'provenance')] }),
      { shape: 'index', attestations: 'allow' },
    ],
    [
      'buildx 0.9 makes a plain manifest even under keep',
      expectation('keep', [], { buildx: old }),
      { shape: 'manifest', attestations: 'deny' },
    ],
    [
      'buildx 0.9 multi-platform: a list, no attestations',
      expectation('auto', ['linux/amd64,linux/arm64'], { buildx: old }),
      { shape: 'index', attestations: 'deny' },
    ],
    [
      'expect: manifest overrides keep',
      expectation('keep', [], { expect: 'manifest' }),
      { shape: 'manifest', attestations: 'allow' },
    ],
    [
      'expect: index overrides auto',
      expectation('auto', [], { expect: 'index' }),
      { shape: 'index', attestations: 'deny' },
    ],
    [
      'duplicate platforms collapse',
      expectation('auto', ['linux/amd64,linux/amd64']),
      { shape: 'manifest', platforms: ['linux/amd64'] },
    ],
  ])('%s', (_name, got, want) => {
    expect(got).toMatchObject(want);
  });

  it('passes media-types and verify-blobs through', () => {
    const plan = planPolicy({ policy: 'auto', platforms: [], buildx: current, requests: [] });
    expect(
      expectationAfterPush({
        plan,
        platforms: [],
        buildx: current,
        requests: [],
        expect: 'auto',
        mediaTypes: 'docker',
        verifyBlobs: true,
      }),
    ).toEqual({
      shape: 'manifest',
      platforms: [],
      attestations: 'deny',
      mediaTypes: 'docker',
      verifyBlobs: true,
    });
  });
});
