import { AttestationPolicy } from '../config';
import { Finding, RuleMeta } from '../finding';
import { Build, DEFAULT_PLATFORM } from '../model';
import { and, or } from '../tri';
import { LintedFile, listed, plainByPolicy, Rule, RuleContext, verdictFinding } from './rule';

const meta: RuleMeta = {
  id: 'single-platform-attestations',
  defaultSeverity: 'error',
  summary: 'A single-platform push gets a default provenance attestation, so it becomes an OCI image index.',
  help:
    'buildx (0.10 and later) adds a provenance attestation to every build unless it is disabled, and it is ' +
    'pushed as a second, `unknown/unknown` manifest: the image arrives as an OCI image index. A plain `docker build` ' +
    '+ `docker push` does the same on Docker Engine 29 (the containerd image store, on GitHub-hosted Ubuntu runners ' +
    'since February 2026). Docker-only clients and `docker manifest create` cannot use such an index.\n\n' +
    'Fix: `--provenance=false --sbom=false` on the build command, `provenance: false` in the `with:` of ' +
    "`docker/build-push-action`, or `BUILDX_NO_DEFAULT_ATTESTATIONS: 1` in the step's `env:`.",
};

/** Why the attestation reaches the registry, when the runner's daemon is what decides. */
const STORE_KEEPS =
  "the runner's containerd image store keeps it (Docker 29's default; GitHub's Ubuntu runners since February 2026)";

function checkFile(file: LintedFile, context: RuleContext): Finding[] {
  return file.steps.flatMap((step) =>
    step.kind === 'build' ? checkBuild(step, context.attestationPolicy) : [],
  );
}

function checkBuild(build: Build, policy: AttestationPolicy): Finding[] {
  const { provenance, sbom } = build;
  // What the user asked for is attestations-explicitly-enabled's business; this rule is about the default.
  const requestedOn = or(provenance.requested ? provenance.on : false, sbom.requested ? sbom.on : false);
  const defaultOn = provenance.requested ? false : provenance.on;
  const verdict = and(
    build.push,
    !build.pushByDigest,
    policy !== 'keep',
    plainByPolicy(build, policy),
    defaultOn,
    build.keepsAttestations,
    requestedOn !== true,
  );
  const single = build.platforms.single === true;
  const platform =
    build.platforms.description === DEFAULT_PLATFORM ? '' : ` (${build.platforms.description})`;
  const what = single
    ? `a single-platform image${platform} as an OCI index with an \`unknown/unknown\` attestation child`
    : `${build.platforms.description} with an \`unknown/unknown\` attestation child per image, which attestation-policy \`strip\` does not allow`;
  const why = build.storeDecides
    ? `buildx adds provenance by default, and ${STORE_KEEPS}`
    : 'buildx adds provenance by default';
  return verdictFinding(meta, verdict, build.file, build.at, {
    holds: () => `${build.tool} pushes ${what}: ${why}. Fix: ${build.disable.advice}.`,
    depends: (on) =>
      `Whether ${build.tool} pushes ${single || policy !== 'strip' ? 'a single-platform image' : 'an image'} as an OCI ` +
      `index with an attestation child depends on ${listed(on)}. If it does: ${build.disable.advice}.`,
  });
}

export const singlePlatformAttestations: Rule = { meta, checkFile };
