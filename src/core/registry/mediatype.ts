// Every media type and annotation the tool knows, in one place (as regclient's types/mediatype).

export const MediaType = {
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  DockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  InToto: 'application/vnd.in-toto+json',
  /** artifactType of the attestation manifest newer BuildKit writes as an OCI artifact. */
  DockerAttestationManifest: 'application/vnd.docker.attestation.manifest.v1+json',
} as const;

export type MediaType = (typeof MediaType)[keyof typeof MediaType];

// The Accept list for every manifest request: explicit, never empty, and never a wildcard.
export const MANIFEST_ACCEPT = [
  MediaType.OciIndex,
  MediaType.DockerManifestList,
  MediaType.OciManifest,
  MediaType.DockerManifest,
].join(', ');

export const Annotation = {
  ReferenceType: 'vnd.docker.reference.type',
  ReferenceDigest: 'vnd.docker.reference.digest',
  AttestationManifest: 'attestation-manifest',
} as const;

export const INDEX_TYPES: readonly string[] = [MediaType.OciIndex, MediaType.DockerManifestList];
export const IMAGE_MANIFEST_TYPES: readonly string[] = [MediaType.OciManifest, MediaType.DockerManifest];
export const DOCKER_FAMILY: readonly string[] = [MediaType.DockerManifestList, MediaType.DockerManifest];
export const OCI_FAMILY: readonly string[] = [MediaType.OciIndex, MediaType.OciManifest];
