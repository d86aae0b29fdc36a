import { BuildStep } from '../model';
import { manifestMergeOfIndex } from './manifest-merge-of-index';
import { unknown } from '../tri';
import { aBuild, aMerge } from '../../../../__tests__/lint/support';

const check = (steps: BuildStep[]) =>
  manifestMergeOfIndex.checkRepository?.(steps, { attestationPolicy: 'auto' }) ?? [];
const amd64 = 'docker.io/acme/app:amd64';
const arm64 = 'docker.io/acme/app:arm64';

describe('manifest-merge-of-index', () => {
  it.each<[string, BuildStep[], ('error' | 'note')[]]>([
    [
      'merging a single-platform push with default provenance',
      [aBuild({ tags: [amd64] }), aMerge([amd64])],
      ['error'],
    ],
    [
      'merging a push without attestations',
      [aBuild({ tags: [amd64], provenance: { on: false } }), aMerge([amd64])],
      [],
    ],
    [
      'merging a multi-platform push',
      [
        aBuild({
          tags: [amd64],
          provenance: { on: false },
          platforms: { single: false, description: 'a, b' },
        }),
        aMerge([amd64]),
      ],
      ['error'],
    ],
    ['merging an image no linted workflow pushes', [aBuild({ tags: [amd64] }), aMerge([arm64])], []],
    [
      'merging the output of imagetools create',
      [{ kind: 'index-copy', file: 'f', at: { line: 1, column: 1 }, tags: [amd64] }, aMerge([amd64])],
      ['error'],
    ],
    [
      'a push by digest (the distribute pattern) is never matched',
      [aBuild({ tags: [amd64], pushByDigest: true }), aMerge([amd64])],
      [],
    ],
    ['a build that does not push', [aBuild({ tags: [amd64], push: false }), aMerge([amd64])], []],
    [
      'merging a push whose runner keeps no attestations (classic image store)',
      [aBuild({ tags: [amd64], keepsAttestations: false }), aMerge([amd64])],
      [],
    ],
    [
      'merging a push from a runner whose image store is unknown',
      [
        aBuild({ tags: [amd64], keepsAttestations: unknown('the image store of runner `x`') }),
        aMerge([amd64]),
      ],
      ['note'],
    ],
    [
      'a push whose attestations are unknown',
      [aBuild({ tags: [amd64], provenance: { on: unknown('`${{ vars.X }}`') } }), aMerge([amd64])],
      ['note'],
    ],
    [
      'one finding per source that is an index',
      [
        aBuild({ tags: [amd64] }),
        aBuild({ tags: [arm64], provenance: { on: false } }),
        aMerge([amd64, arm64]),
      ],
      ['error'],
    ],
    [
      'any of several pushes of the same tag being an index',
      [aBuild({ tags: [amd64], provenance: { on: false } }), aBuild({ tags: [amd64] }), aMerge([amd64])],
      ['error'],
    ],
  ])('%s', (_name, steps, severities) => {
    expect(check(steps).map((finding) => finding.severity)).toEqual(severities);
  });

  it('points at the source, names the pushing step across files, and gives both fixes', () => {
    const push = aBuild({ file: '.github/workflows/amd64.yml', at: { line: 20, column: 15 }, tags: [amd64] });
    const [finding] = check([aMerge([amd64], '.github/workflows/release.yml'), push]);
    expect(finding).toMatchObject({
      file: '.github/workflows/release.yml',
      line: 6,
      column: 19,
      rule: 'manifest-merge-of-index',
    });
    expect(finding.message).toContain(
      `will fail with "${amd64} is a manifest list": \`docker buildx build\` at .github/workflows/amd64.yml:20 pushes it as an OCI index`,
    );
    expect(finding.message).toContain('in that step, add `--provenance=false --sbom=false`');
    expect(finding.message).toContain('docker buildx imagetools create');
  });

  it('suggests only imagetools create for a multi-platform source', () => {
    const push = aBuild({
      tags: [amd64],
      platforms: { single: false, description: 'linux/amd64, linux/arm64' },
    });
    const [finding] = check([push, aMerge([amd64])]);
    expect(finding.message).toContain('as a multi-platform index (linux/amd64, linux/arm64)');
    expect(finding.message).not.toContain('in that step');
  });
});
