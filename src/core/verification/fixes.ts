// The one fix a verdict recommends: for the most fundamental problem, since fixing it often settles the rest.
import { Problem, ProblemCode } from './report';

/** Most fundamental first: nothing else matters until the image exists and its bytes can be trusted. */
const FIXES: [ProblemCode, string][] = [
  [
    'could-not-check',
    'Nothing was verified for this reference: fix what the message names (network, credentials, the ' +
      "registry's answer) and run the check again.",
  ],
  [
    'not-found',
    'Check the registry, repository and tag, and that the push finished. For a private registry, log in ' +
      '(docker login) so the docker config has credentials.',
  ],
  [
    'digest-mismatch',
    'Something between you and the registry (a proxy, a cache, a mirror) or the registry itself serves other ' +
      'bytes than the digest names: fix or bypass it, then push the image again.',
  ],
  [
    'content-type-mismatch',
    'The registry serves a manifest whose body contradicts its Content-Type (or is both an index and a ' +
      'manifest), which clients read differently: push the image again with a current client, and distrust ' +
      'whatever rewrote it.',
  ],
  [
    'missing-child',
    'The index is dangling (garbage collection removed a child). Push every child by digest again before the ' +
      'index, since a plain re-push skips an index that already exists, or build a new image and move the tag.',
  ],
  [
    'missing-blob',
    'A config or layer blob is gone (garbage collection or an interrupted upload): push the image again from ' +
      'the build that made it, or rebuild and push.',
  ],
  [
    'unsupported-media-type',
    'Push a Docker v2 or OCI image manifest (or an index of them): current clients cannot pull schema1, ' +
      'nested indexes or unknown types. Rebuild with a current buildx, or copy with docker buildx imagetools create.',
  ],
  [
    'unexpected-index',
    'Push single-platform images without attestations: use attestation-policy auto or strip, or add ' +
      '--provenance=false --sbom=false (or BUILDX_NO_DEFAULT_ATTESTATIONS=1). If the index is intended, expect index.',
  ],
  [
    'attestation-child',
    'Build without attestations (--provenance=false --sbom=false, provenance: false, or ' +
      'BUILDX_NO_DEFAULT_ATTESTATIONS=1), or allow them (attestations: allow / --attestations allow) if your ' +
      'consumers handle them.',
  ],
  [
    'missing-attestation',
    'Build with provenance (--provenance=mode=max or provenance: true, attestation-policy keep) so every image ' +
      'has an attestation child, or drop --attestations require if your deploy gate does not need it.',
  ],
  [
    'unexpected-manifest',
    'Build every platform in one build (platforms: linux/amd64,linux/arm64), or merge per-platform images ' +
      'with docker buildx imagetools create; or expect manifest if a single image is intended.',
  ],
  [
    'platform-mismatch',
    'Build for exactly the expected platforms (the platforms input or --platform), or change the expected ' +
      'platforms to match what you ship.',
  ],
  [
    'media-type-family',
    'Build with the media types your consumers accept: Docker v2 types need --output ' +
      'type=image,oci-mediatypes=false and no attestations; OCI types need oci-mediatypes=true.',
  ],
];

export function fixFor(problems: Problem[]): string | undefined {
  const codes = new Set(problems.map((p) => p.code));
  return FIXES.find(([code]) => codes.has(code))?.[1];
}
