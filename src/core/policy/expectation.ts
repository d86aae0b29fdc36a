// What the registry should serve after the push, given what the policy did to the build.
import { InputError } from '../errors';
import { BuildxVersion } from './buildx-version';
import { Expectation } from '../verification/report';
import { AttestationRequest, isEnabledStrippedType } from './attestations';
import { PolicyPlan, supportsAttestations } from './policy';
import { isSinglePlatform, splitPlatforms } from './platforms';

export const EXPECT_SHAPES = ['auto', 'manifest', 'index'] as const;
export type ExpectShape = (typeof EXPECT_SHAPES)[number];
export const MEDIA_TYPE_FAMILIES = ['any', 'docker', 'oci'] as const;
export type MediaTypeFamily = (typeof MEDIA_TYPE_FAMILIES)[number];

export interface ExpectationInput {
  plan: PolicyPlan;
  platforms: readonly string[];
  buildx: BuildxVersion | undefined;
  requests: readonly AttestationRequest[];
  /** The `expect` input: `auto` follows the build, anything else overrides it. */
  expect: ExpectShape;
  mediaTypes: MediaTypeFamily;
  verifyBlobs: boolean;
  /** `require`: every image must carry an attestation (a deploy gate that needs provenance). */
  attestations?: 'auto' | 'require';
}

/**
 * - Attestations stripped (or a buildx without them) and one platform: a plain image manifest.
 * - Several platforms: an index holding exactly those platforms.
 * - One platform with attestations possible: an index when the user asked for one, else either shape
 *   (buildx's default provenance depends on its builder, which the policy `keep` leaves alone).
 */
export function expectationAfterPush(input: ExpectationInput): Expectation {
  // `local` is whatever the builder runs on: it names no platform to hold the index to.
  const platforms = [...new Set(splitPlatforms(input.platforms))].filter((platform) => platform !== 'local');
  const attestationsPossible = supportsAttestations(input.buildx) && !input.plan.strips;
  const single = isSinglePlatform(platforms);
  let shape: Expectation['shape'];
  if (!single) shape = 'index';
  else if (!attestationsPossible) shape = 'manifest';
  else shape = input.requests.some(isEnabledStrippedType) ? 'index' : 'auto';
  if (input.attestations === 'require' && !attestationsPossible) {
    throw new InputError(
      'attestations',
      'require',
      `The attestation policy (${input.plan.strips ? 'it strips them from this build' : 'this buildx has none'}) leaves no attestation to require: use attestation-policy keep, or a buildx of 0.10 or later.`,
    );
  }
  return {
    shape: input.expect === 'auto' ? shape : input.expect,
    platforms,
    attestations: input.attestations === 'require' ? 'require' : attestationsPossible ? 'allow' : 'deny',
    mediaTypes: input.mediaTypes,
    verifyBlobs: input.verifyBlobs,
  };
}
