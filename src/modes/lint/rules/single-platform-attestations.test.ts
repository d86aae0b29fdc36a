import { AttestationPolicy } from '../config';
import { Build } from '../model';
import { singlePlatformAttestations } from './single-platform-attestations';
import { unknown } from '../tri';
import { aBuild, aMerge } from '../../../../__tests__/lint/support';

const check = (build: Build, attestationPolicy: AttestationPolicy = 'auto') =>
  singlePlatformAttestations.checkFile?.({ path: build.file, steps: [build] }, { attestationPolicy }) ?? [];

const multi = { single: false, description: 'linux/amd64, linux/arm64' } as const;

describe('single-platform-attestations', () => {
  it.each<[string, Partial<Build>, AttestationPolicy, 'error' | 'note' | undefined]>([
    ['a single-platform push with default provenance', {}, 'auto', 'error'],
    ['provenance disabled', { provenance: { on: false } }, 'auto', undefined],
    ['not pushed', { push: false }, 'auto', undefined],
    ['pushed by digest (the distribute pattern)', { pushByDigest: true }, 'auto', undefined],
    ['multi-platform, policy auto', { platforms: multi }, 'auto', undefined],
    ['multi-platform, policy strip', { platforms: multi }, 'strip', 'error'],
    ['policy keep', {}, 'keep', undefined],
    [
      'platforms unresolved',
      { platforms: { single: unknown('`${{ inputs.p }}`'), description: '`${{ inputs.p }}`' } },
      'auto',
      'note',
    ],
    [
      'platforms unresolved, policy strip',
      { platforms: { single: unknown('`${{ inputs.p }}`'), description: 'x' } },
      'strip',
      'error',
    ],
    ['provenance default unresolved', { provenance: { on: unknown('`${{ vars.X }}`') } }, 'auto', 'note'],
    [
      'a daemon (classic image store) that drops the attestation',
      { keepsAttestations: false },
      'auto',
      undefined,
    ],
    [
      'a runner whose image store is unknown',
      { keepsAttestations: unknown('the image store of runner `self-hosted`') },
      'auto',
      'note',
    ],
    [
      'push unresolved (an output in an expression)',
      { push: unknown('`${{ inputs.output }}`') },
      'auto',
      'note',
    ],
    [
      'provenance asked for explicitly (the other rule)',
      { provenance: { on: true, requested: { at: { line: 1, column: 1 }, text: '--provenance=mode=max' } } },
      'auto',
      undefined,
    ],
    [
      'an explicit SBOM next to default provenance (the other rule)',
      { sbom: { on: true, requested: { at: { line: 1, column: 1 }, text: '--sbom=true' } } },
      'auto',
      undefined,
    ],
    [
      'an SBOM request in an expression next to default provenance',
      {
        sbom: {
          on: unknown('`${{ inputs.sbom }}`'),
          requested: { at: { line: 1, column: 1 }, text: 'sbom: ${{ inputs.sbom }}' },
        },
      },
      'auto',
      'error',
    ],
  ])('%s', (_name, overrides, policy, severity) => {
    const findings = check(aBuild(overrides), policy);
    expect(findings.map((finding) => finding.severity)).toEqual(severity ? [severity] : []);
  });

  it('says what buildx produces, why it breaks and how to fix this step, at the step', () => {
    const [finding] = check(aBuild({ platforms: { single: true, description: 'linux/amd64' } }));
    expect(finding).toMatchObject({
      file: '.github/workflows/build.yml',
      line: 10,
      column: 11,
      rule: 'single-platform-attestations',
    });
    expect(finding.message).toBe(
      '`docker buildx build` pushes a single-platform image (linux/amd64) as an OCI index with an ' +
        '`unknown/unknown` attestation child: buildx adds provenance by default. ' +
        'Fix: add `--provenance=false --sbom=false` to the `docker buildx build` command.',
    );
  });

  it('names the runner image change when the daemon is what keeps the attestation', () => {
    const [finding] = check(
      aBuild({ tool: '`docker build` + `docker push a` (line 12)', storeDecides: true }),
    );
    expect(finding.message).toContain(
      '`docker build` + `docker push a` (line 12) pushes a single-platform image',
    );
    expect(finding.message).toContain(
      "the runner's containerd image store keeps it (Docker 29's default; GitHub's Ubuntu runners since February 2026)",
    );
  });

  it('keeps every message short: one sentence of what and why, one of the fix', () => {
    const messages = [
      check(aBuild({ storeDecides: true }))[0].message,
      check(aBuild({ platforms: { single: unknown('`${{ inputs.p }}`'), description: 'x' } }))[0].message,
    ];
    for (const message of messages) expect(message.length).toBeLessThan(360);
  });

  it('names what a note depends on', () => {
    const [finding] = check(
      aBuild({ platforms: { single: unknown('`${{ matrix.platform }}`'), description: 'x' } }),
    );
    expect(finding.message).toContain('depends on `${{ matrix.platform }}`.');
    expect(finding.message).toContain('If it does: add `--provenance=false --sbom=false`');
  });

  it('explains the strip policy for a multi-platform push', () => {
    const [finding] = check(aBuild({ platforms: multi }), 'strip');
    expect(finding.message).toContain('pushes linux/amd64, linux/arm64');
    expect(finding.message).toContain('which attestation-policy `strip` does not allow');
  });

  it('looks only at builds', () => {
    const steps = [aMerge(['docker.io/acme/app:latest'])];
    expect(
      singlePlatformAttestations.checkFile?.({ path: 'f', steps }, { attestationPolicy: 'auto' }),
    ).toEqual([]);
  });
});
