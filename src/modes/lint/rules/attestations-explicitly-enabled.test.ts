import { AttestationPolicy } from '../config';
import { Attestation, Build } from '../model';
import { attestationsExplicitlyEnabled } from './attestations-explicitly-enabled';
import { unknown } from '../tri';
import { aBuild } from '../../../../__tests__/lint/support';

const check = (build: Build, attestationPolicy: AttestationPolicy = 'auto') =>
  attestationsExplicitlyEnabled.checkFile?.({ path: build.file, steps: [build] }, { attestationPolicy }) ??
  [];

const asked = (text: string, on: Attestation['on'] = true, line = 12): Attestation => ({
  on,
  requested: { at: { line, column: 11 }, text },
});
const multi = { single: false, description: 'linux/amd64, linux/arm64' } as const;

describe('attestations-explicitly-enabled', () => {
  it.each<[string, Partial<Build>, AttestationPolicy, 'warning' | 'note' | undefined]>([
    [
      'max provenance asked for on a single-platform push',
      { provenance: asked('provenance: mode=max') },
      'auto',
      'warning',
    ],
    ['an SBOM asked for', { provenance: { on: false }, sbom: asked('--sbom=true') }, 'auto', 'warning'],
    ['provenance asked off', { provenance: asked('provenance: false', false) }, 'auto', undefined],
    ['only the default provenance (the other rule)', {}, 'auto', undefined],
    [
      'multi-platform, policy auto',
      { provenance: asked('--provenance=mode=max'), platforms: multi },
      'auto',
      undefined,
    ],
    [
      'multi-platform, policy strip',
      { provenance: asked('--provenance=mode=max'), platforms: multi },
      'strip',
      'warning',
    ],
    ['policy keep, single-platform', { provenance: asked('--provenance=mode=max') }, 'keep', 'warning'],
    ['not pushed', { provenance: asked('--provenance=true'), push: false }, 'auto', undefined],
    [
      'the classic store on the docker driver (the build fails instead)',
      { provenance: asked('--provenance=true'), keepsAttestations: false },
      'auto',
      undefined,
    ],
    ['pushed by digest', { provenance: asked('--provenance=true'), pushByDigest: true }, 'auto', undefined],
    [
      'asked for in an expression',
      { provenance: asked('provenance: ${{ inputs.p }}', unknown('`${{ inputs.p }}`')) },
      'auto',
      'note',
    ],
  ])('%s', (_name, overrides, policy, severity) => {
    expect(check(aBuild(overrides), policy).map((finding) => finding.severity)).toEqual(
      severity ? [severity] : [],
    );
  });

  it('points at the request and says what it makes and what to do', () => {
    const [finding] = check(
      aBuild({
        tool: '`docker/build-push-action@v6`',
        provenance: asked('provenance: mode=max', true, 14),
        sbom: asked('sbom: true', true, 15),
      }),
    );
    expect(finding).toMatchObject({
      line: 14,
      column: 11,
      rule: 'attestations-explicitly-enabled',
      severity: 'warning',
    });
    expect(finding.message).toContain('asks for attestations (`provenance: mode=max` and `sbom: true`)');
    expect(finding.message).toContain('pushes an OCI index with an `unknown/unknown` attestation child');
    expect(finding.message).toContain('Docker-only clients and `docker manifest create` cannot use');
    expect(finding.message).toContain('otherwise remove `provenance: mode=max` and `sbom: true`.');
  });
});
