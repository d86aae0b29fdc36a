// The attestation policy: what buildx-guard adds to a build so a single-platform push stays a plain manifest.
import { InputError } from '../errors';
import { BUILDX_FEATURES, BuildxVersion, buildxAtLeast, describeBuildxVersion } from './buildx-version';
import { AttestationRequest, isEnabledStrippedType, STRIPPED_TYPES } from './attestations';
import { isSinglePlatform } from './platforms';

export const ATTESTATION_POLICIES = ['auto', 'strip', 'keep'] as const;
export type AttestationPolicy = (typeof ATTESTATION_POLICIES)[number];

/** The environment variable buildx ≥0.11 reads to skip its default provenance attestation. */
export const NO_DEFAULT_ATTESTATIONS_ENV = 'BUILDX_NO_DEFAULT_ATTESTATIONS';

export interface PolicyInput {
  policy: AttestationPolicy;
  /** The requested platform lists, unsplit; empty means the builder's default platform. */
  platforms: readonly string[];
  buildx: BuildxVersion | undefined;
  /** Every attestation the user's own inputs or flags ask for. */
  requests: readonly AttestationRequest[];
  /** How to name the policy setting in an error: `attestation-policy` (action) or `--attestation-policy` (CLI). */
  policyName?: string;
}

export interface PolicyPlan {
  policy: AttestationPolicy;
  /** True when this build's provenance and SBOM attestations are turned off. */
  strips: boolean;
  /** Flags to add to `docker buildx build`; never one the user already gave for the same type. */
  flags: string[];
  /** Variables to add to buildx's environment. */
  env: Record<string, string>;
  /** One sentence for the log and the job summary. */
  description: string;
}

export function supportsAttestations(buildx: BuildxVersion | undefined): boolean {
  return buildxAtLeast(buildx, BUILDX_FEATURES.attestations);
}

/** Whether the policy strips attestations from a build with these platforms. */
export function policyStrips(policy: AttestationPolicy, platforms: readonly string[]): boolean {
  return policy === 'strip' || (policy === 'auto' && isSinglePlatform(platforms));
}

/**
 * Works out what the policy adds to a build, or throws an InputError before anything runs when the user's
 * own inputs ask for an attestation the policy would strip.
 */
export function planPolicy(input: PolicyInput): PolicyPlan {
  const { policy, buildx, requests } = input;
  const base = { policy, strips: false, flags: [], env: {} };
  if (!supportsAttestations(buildx)) {
    return {
      ...base,
      description: `${policy}: ${describeBuildxVersion(buildx)} predates attestations (0.10), nothing to strip`,
    };
  }
  if (!policyStrips(policy, input.platforms)) {
    const why =
      policy === 'keep'
        ? 'keep: buildx defaults apply'
        : 'auto: a multi-platform build keeps buildx defaults';
    return { ...base, description: why };
  }

  const scope = policy === 'strip' ? 'every build' : 'single-platform builds';
  const conflict = requests.find(isEnabledStrippedType);
  if (conflict) {
    const setting = input.policyName ?? 'attestation-policy';
    throw new InputError(
      conflict.source,
      conflict.value,
      `It asks for a ${conflict.type} attestation, but ${setting} "${policy}" strips attestations from ${scope}, ` +
        `so the push stays a plain image manifest. Remove ${conflict.source} (or set it to false), ` +
        `or set ${setting} to keep if you want the attestation index.`,
    );
  }
  const alreadyOff = new Set(requests.filter((r) => !r.enabled).map((r) => r.type));
  const flags = STRIPPED_TYPES.filter((type) => !alreadyOff.has(type)).map((type) => `--${type}=false`);
  return {
    policy,
    strips: true,
    flags,
    env: { [NO_DEFAULT_ATTESTATIONS_ENV]: '1' },
    description: `${policy}: provenance and SBOM attestations stripped from ${scope}`,
  };
}
