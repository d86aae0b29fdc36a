import { MediaType } from '../../src/core/registry/mediatype';
import {
  blobDescriptors,
  classifyChild,
  classifyManifest,
  configDescriptor,
  Descriptor,
  describeMediaType,
  readDescriptor,
  servedMediaType,
} from '../../src/core/verification/classify';

const D = `sha256:${'d'.repeat(64)}`;
const manifestBody = {
  schemaVersion: 2,
  config: { mediaType: MediaType.OciConfig, digest: D, size: 2 },
  layers: [],
};
const indexBody = { schemaVersion: 2, manifests: [] };

describe('classifyManifest', () => {
  it.each([
    [MediaType.DockerManifest, manifestBody, 'docker-manifest'],
    [MediaType.OciManifest, manifestBody, 'oci-manifest'],
    [MediaType.DockerManifestList, indexBody, 'docker-list'],
    [MediaType.OciIndex, indexBody, 'oci-index'],
    [MediaType.DockerSchema1, { schemaVersion: 1 }, 'schema1'],
    [MediaType.DockerSchema1Signed, undefined, 'schema1'],
    // A generic or missing Content-Type: the body decides.
    ['application/json', { ...indexBody, mediaType: MediaType.DockerManifestList }, 'docker-list'],
    ['', { ...manifestBody, mediaType: MediaType.DockerManifest }, 'docker-manifest'],
    ['', indexBody, 'oci-index'],
    ['', manifestBody, 'oci-manifest'],
    ['text/plain', { schemaVersion: 1, fsLayers: [] }, 'schema1'],
    // A body that lacks what its type needs cannot be trusted.
    [MediaType.OciIndex, manifestBody, 'unknown'],
    [MediaType.OciManifest, indexBody, 'unknown'],
    [MediaType.OciIndex, undefined, 'unknown'],
    [MediaType.OciManifest, [1, 2], 'unknown'],
    ['application/vnd.example+json', { hello: 1 }, 'unknown'],
    ['', undefined, 'unknown'],
  ])('%j with %j -> %s', (contentType, body, kind) => expect(classifyManifest(contentType, body)).toBe(kind));
});

describe('servedMediaType and describeMediaType', () => {
  it.each([
    [MediaType.OciIndex, { mediaType: MediaType.DockerManifestList }, MediaType.OciIndex],
    ['application/json', { mediaType: MediaType.DockerManifestList }, MediaType.DockerManifestList],
    ['application/json', {}, 'application/json'],
    ['', undefined, ''],
  ])('%j with %j -> %j', (contentType, body, expected) =>
    expect(servedMediaType(contentType, body)).toBe(expected),
  );

  it.each([
    [MediaType.OciIndex, 'OCI image index'],
    [MediaType.DockerManifestList, 'Docker manifest list'],
    [MediaType.DockerManifest, 'Docker image manifest'],
    ['text/html', 'unknown manifest type'],
  ])('%s reads %s', (mediaType, name) => expect(describeMediaType(mediaType)).toBe(name));
});

describe('readDescriptor', () => {
  it.each([
    [
      { mediaType: MediaType.OciManifest, digest: D, size: 10 },
      { mediaType: MediaType.OciManifest, digest: D, size: 10 },
    ],
    [
      {
        mediaType: MediaType.OciManifest,
        digest: D,
        size: 10,
        platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        annotations: { a: 'b', n: 1 },
        artifactType: 'x',
      },
      {
        mediaType: MediaType.OciManifest,
        digest: D,
        size: 10,
        platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        annotations: { a: 'b' },
        artifactType: 'x',
      },
    ],
    [{ mediaType: MediaType.OciManifest, digest: '../../etc/passwd', size: 1 }, undefined],
    [{ mediaType: MediaType.OciManifest, digest: D, size: -1 }, undefined],
    [{ mediaType: MediaType.OciManifest, digest: D, size: '1' }, undefined],
    [{ digest: D, size: 1 }, undefined],
    ['sha256:x', undefined],
    [null, undefined],
  ])('%j', (value, expected) => expect(readDescriptor(value)).toEqual(expected));
});

describe('classifyChild', () => {
  const descriptor = (overrides: Partial<Descriptor>): Descriptor => ({
    mediaType: MediaType.OciManifest,
    digest: D,
    size: 1,
    platform: { os: 'linux', architecture: 'amd64' },
    ...overrides,
  });
  const unknownPlatform = { os: 'unknown', architecture: 'unknown' };
  const attestationAnnotations = {
    'vnd.docker.reference.type': 'attestation-manifest',
    'vnd.docker.reference.digest': D,
  };

  it.each([
    ['an OCI image', descriptor({}), undefined, { kind: 'image' }],
    ['a Docker image', descriptor({ mediaType: MediaType.DockerManifest }), undefined, { kind: 'image' }],
    ['an image without platform', descriptor({ platform: undefined }), undefined, { kind: 'image' }],
    [
      'the annotation form',
      descriptor({ platform: unknownPlatform, annotations: attestationAnnotations }),
      undefined,
      { kind: 'attestation' },
    ],
    [
      'the artifact form (descriptor artifactType)',
      descriptor({ platform: unknownPlatform, artifactType: MediaType.DockerAttestationManifest }),
      undefined,
      { kind: 'attestation' },
    ],
    [
      'the artifact form (artifactType in the fetched body)',
      descriptor({ platform: unknownPlatform }),
      { artifactType: MediaType.DockerAttestationManifest, config: {}, layers: [] },
      { kind: 'attestation' },
    ],
    [
      'unknown/unknown without the annotation',
      descriptor({ platform: unknownPlatform }),
      undefined,
      { kind: 'unknown', unexpected: 'unknown-platform' },
    ],
    [
      'a nested OCI index',
      descriptor({ mediaType: MediaType.OciIndex }),
      undefined,
      { kind: 'unknown', unexpected: 'nested-index' },
    ],
    [
      'a nested manifest list',
      descriptor({ mediaType: MediaType.DockerManifestList }),
      undefined,
      { kind: 'unknown', unexpected: 'nested-index' },
    ],
    [
      'schema1',
      descriptor({ mediaType: MediaType.DockerSchema1Signed }),
      undefined,
      { kind: 'unknown', unexpected: 'schema1' },
    ],
    [
      'a blob type',
      descriptor({ mediaType: MediaType.InToto }),
      undefined,
      { kind: 'unknown', unexpected: 'unknown-media-type' },
    ],
  ])('%s', (_name, child, body, expected) => expect(classifyChild(child, body)).toEqual(expected));
});

describe('blob descriptors', () => {
  const layer = {
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    digest: `sha256:${'e'.repeat(64)}`,
    size: 3,
  };
  it('lists the config, then the layers, skipping invalid entries', () => {
    const body = { ...manifestBody, layers: [layer, { digest: 'bad' }] };
    expect(blobDescriptors(body).map((d) => d.digest)).toEqual([D, layer.digest]);
    expect(configDescriptor(body)?.digest).toBe(D);
  });
  it.each([[undefined], [{}], [{ config: 'x', layers: 'y' }]])('%j has none', (body) => {
    expect(blobDescriptors(body)).toEqual([]);
    expect(configDescriptor(body)).toBeUndefined();
  });
});
