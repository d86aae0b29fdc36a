import { AttestationPolicy } from '../config';
import { Finding, RuleMeta } from '../finding';
import { Build } from '../model';
import { and, or } from '../tri';
import {
  INDEX_CONSEQUENCES,
  LintedFile,
  listed,
  plainByPolicy,
  Rule,
  RuleContext,
  verdictFinding,
} from './rule';

const meta: RuleMeta = {
  id: 'single-platform-attestations',
  defaultSeverity: 'error',
  summary: 'A single-platform push gets a default provenance attestation, so it becomes an OCI image index.',
  help:
    'Since buildx 0.10, every pushed build gets a provenance attestation unless it is disabled. The attestation ' +
    'is stored as a second manifest (platform `unknown/unknown`), so even a single-platform image is pushed as an ' +
    'OCI image index instead of a plain image manifest. Docker-only clients (older registries and runtimes, ' +
    '`docker manifest`) cannot use it, and the registry fills up with untagged attestation manifests.\n\n' +
    'Fix: `--provenance=false --sbom=false` on `docker buildx build`, `provenance: false` in the `with:` of ' +
    "`docker/build-push-action` (v3.3 and later), or `BUILDX_NO_DEFAULT_ATTESTATIONS: 1` in the step's `env:`. " +
    "With the policy file's `attestation-policy: strip`, multi-platform pushes are held to the same rule; with " +
    '`keep`, the rule is off.',
};

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
    requestedOn !== true,
  );
  const single = build.platforms.single === true;
  const pushes = single
    ? `pushes a single-platform image (${build.platforms.description})`
    : `pushes ${build.platforms.description}`;
  const becomes = single
    ? 'an OCI image index holding the image and an `unknown/unknown` attestation manifest, not a plain image manifest'
    : 'an index with an `unknown/unknown` attestation manifest next to each image, which the attestation policy `strip` does not allow';
  return verdictFinding(meta, verdict, build.file, build.at, {
    holds: () =>
      `${build.tool} ${pushes} with the provenance attestation buildx adds by default, so the push becomes ${becomes}. ` +
      `${single ? `${INDEX_CONSEQUENCES} ` : ''}Fix: ${build.disable.advice}.`,
    depends: (on) =>
      `Whether ${build.tool} pushes ${policy === 'strip' ? 'an image' : 'a single-platform image'} with the provenance ` +
      'attestation buildx adds by default (which makes the push an OCI image index with an attestation manifest) ' +
      `depends on ${listed(on)}, which the linter cannot resolve. If it does: ${build.disable.advice}.`,
  });
}

export const singlePlatformAttestations: Rule = { meta, checkFile };
