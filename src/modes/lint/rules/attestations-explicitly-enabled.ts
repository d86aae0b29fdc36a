import { AttestationPolicy } from '../config';
import { Finding, RuleMeta } from '../finding';
import { Attestation, Build } from '../model';
import { and, or } from '../tri';
import { LintedFile, listed, plainByPolicy, Rule, RuleContext, verdictFinding } from './rule';

const meta: RuleMeta = {
  id: 'attestations-explicitly-enabled',
  defaultSeverity: 'warning',
  summary:
    'A single-platform push explicitly asks for provenance or SBOM attestations, so it becomes an OCI image index.',
  help:
    'Asking for an attestation (`--provenance=mode=max`, `--sbom=true`, `--attest type=sbom`, or the `provenance:`, ' +
    '`sbom:` and `attests:` inputs) is allowed, but attestations are stored as extra manifests, so a ' +
    'single-platform image is pushed as an OCI image index. Keep it if every consumer accepts OCI indexes ' +
    '(Docker-only clients and `docker manifest create` do not); otherwise drop the request.',
};

function checkFile(file: LintedFile, context: RuleContext): Finding[] {
  return file.steps.flatMap((step) =>
    step.kind === 'build' ? checkBuild(step, context.attestationPolicy) : [],
  );
}

function checkBuild(build: Build, policy: AttestationPolicy): Finding[] {
  const requested = [build.provenance, build.sbom].filter(
    (attestation): attestation is Attestation & Required<Pick<Attestation, 'requested'>> =>
      attestation.requested !== undefined && attestation.on !== false,
  );
  if (requested.length === 0) return [];
  const verdict = and(
    build.push,
    !build.pushByDigest,
    build.keepsAttestations,
    plainByPolicy(build, policy),
    or(...requested.map((attestation) => attestation.on)),
  );
  const asked = requested.map((attestation) => `\`${attestation.requested.text}\``).join(' and ');
  const pushes =
    build.platforms.single === true
      ? `a single-platform push (${build.platforms.description})`
      : `a push of ${build.platforms.description}`;
  return verdictFinding(meta, verdict, build.file, requested[0].requested.at, {
    holds: () =>
      `${build.tool} asks for attestations (${asked}) on ${pushes}, so it pushes an OCI index with an \`unknown/unknown\` ` +
      `attestation child, which Docker-only clients and \`docker manifest create\` cannot use. Keep it if every ` +
      `consumer accepts OCI indexes; otherwise remove ${asked}.`,
    depends: (on) =>
      `${build.tool} asks for attestations (${asked}); whether this push becomes an OCI index with an attestation ` +
      `child depends on ${listed(on)}.`,
  });
}

export const attestationsExplicitlyEnabled: Rule = { meta, checkFile };
