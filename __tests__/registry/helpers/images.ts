// Image shapes as buildx pushes them, built from the shared OCI helpers.
import { attestationManifest, imageManifest, index, Index, Manifest, MT } from '../../support/oci';
import { Expectation } from '../../../src/core/verification/report';

/** What buildx >= 0.10 pushes for a build: an OCI index of the images, each followed by its attestation. */
export function buildxIndex(platforms: string[], attestations: 'none' | 'annotation' | 'artifact'): Index {
  const children: Manifest[] = [];
  for (const platform of platforms) {
    const image = imageManifest(platform, 'oci');
    children.push(image);
    if (attestations !== 'none') children.push(attestationManifest(image.descriptor, attestations));
  }
  return index(children, MT.ociIndex);
}

export function expectation(overrides: Partial<Expectation> = {}): Expectation {
  return {
    shape: 'auto',
    platforms: [],
    attestations: 'deny',
    mediaTypes: 'any',
    verifyBlobs: false,
    ...overrides,
  };
}
