// What a manifest is, and what each child of an index is: pure functions over what the registry served.
import { isObject, JsonObject } from '../registry/json';
import { Annotation, IMAGE_MANIFEST_TYPES, INDEX_TYPES, MediaType } from '../registry/mediatype';
import { isDigest } from '../registry/reference';
import { formatPlatform, Platform, readPlatform } from './platform';
import { ChildKind } from './report';

export type ManifestKind =
  'docker-manifest' | 'oci-manifest' | 'docker-list' | 'oci-index' | 'schema1' | 'unknown';

const KIND_BY_TYPE: Record<string, ManifestKind> = {
  [MediaType.DockerManifest]: 'docker-manifest',
  [MediaType.OciManifest]: 'oci-manifest',
  [MediaType.DockerManifestList]: 'docker-list',
  [MediaType.OciIndex]: 'oci-index',
  [MediaType.DockerSchema1]: 'schema1',
  [MediaType.DockerSchema1Signed]: 'schema1',
};

/** How each kind reads in a verdict. */
export const KIND_NAMES: Record<ManifestKind, string> = {
  'docker-manifest': 'Docker image manifest',
  'oci-manifest': 'OCI image manifest',
  'docker-list': 'Docker manifest list',
  'oci-index': 'OCI image index',
  schema1: 'Docker schema1 manifest',
  unknown: 'unknown manifest type',
};

/** `application/vnd.oci.image.index.v1+json` -> `OCI image index`. */
export function describeMediaType(mediaType: string): string {
  return KIND_NAMES[KIND_BY_TYPE[mediaType] ?? 'unknown'];
}

export function isIndexKind(kind: ManifestKind): boolean {
  return kind === 'docker-list' || kind === 'oci-index';
}

/**
 * The kind of a served manifest: by its Content-Type, or by its body when the registry sent a generic type
 * (application/json, or none). A body that lacks what its kind needs (manifests, or config and layers) is
 * `unknown`: nothing in it can be trusted.
 */
export function classifyManifest(contentType: string, body: unknown): ManifestKind {
  const kind = KIND_BY_TYPE[contentType] ?? kindFromBody(body);
  if (kind === 'schema1' || kind === 'unknown') return kind;
  if (!isObject(body)) return 'unknown';
  const shaped = isIndexKind(kind)
    ? Array.isArray(body.manifests)
    : isObject(body.config) && Array.isArray(body.layers);
  return shaped ? kind : 'unknown';
}

function kindFromBody(body: unknown): ManifestKind {
  if (!isObject(body)) return 'unknown';
  if (typeof body.mediaType === 'string' && KIND_BY_TYPE[body.mediaType]) return KIND_BY_TYPE[body.mediaType];
  if (body.schemaVersion === 1) return 'schema1';
  if (Array.isArray(body.manifests)) return 'oci-index';
  if (isObject(body.config) && Array.isArray(body.layers)) return 'oci-manifest';
  return 'unknown';
}

/**
 * Why a body cannot be taken as what its Content-Type says, as containerd refuses it (CVE-2021-41190): its own
 * `mediaType` names another type, or it carries both an index's `manifests` and a manifest's `config` or
 * `layers`, so two clients could read two different images from the same bytes. Undefined when they agree.
 */
export function contentTypeMismatch(contentType: string, body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const hasManifests = 'manifests' in body;
  const hasImageFields = 'config' in body || 'layers' in body;
  if (hasManifests && hasImageFields) {
    return 'its body holds both an index (manifests) and an image manifest (config, layers)';
  }
  const served = KIND_BY_TYPE[contentType];
  if (!served) return undefined;
  if (typeof body.mediaType === 'string' && body.mediaType !== contentType) {
    return `it is served as ${contentType}, but its body says ${body.mediaType}`;
  }
  if (isIndexKind(served) && hasImageFields) {
    return `it is served as ${contentType}, but its body is an image manifest (config, layers)`;
  }
  if ((served === 'docker-manifest' || served === 'oci-manifest') && hasManifests) {
    return `it is served as ${contentType}, but its body is an index (manifests)`;
  }
  return undefined;
}

/** The media type to report: what the registry said, or what the body says when the registry said nothing useful. */
export function servedMediaType(contentType: string, body: unknown): string {
  if (KIND_BY_TYPE[contentType]) return contentType;
  return isObject(body) && typeof body.mediaType === 'string' ? body.mediaType : contentType;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** A descriptor from a registry's JSON, or undefined when it is not one (a digest that could not be requested safely, say). */
export function readDescriptor(value: unknown): Descriptor | undefined {
  if (!isObject(value)) return undefined;
  const { mediaType, digest, size, annotations, artifactType } = value;
  if (typeof mediaType !== 'string' || typeof digest !== 'string' || !isDigest(digest)) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  const platform = readPlatform(value.platform);
  return {
    mediaType,
    digest,
    size,
    ...(platform ? { platform } : {}),
    ...(isObject(annotations) ? { annotations: stringValues(annotations) } : {}),
    ...(typeof artifactType === 'string' ? { artifactType } : {}),
  };
}

function stringValues(object: JsonObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(object).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Why a child is neither a runnable image nor a recognised attestation. */
export type UnexpectedChild =
  'nested-index' | 'schema1' | 'unknown-media-type' | 'unknown-platform' | 'malformed';

export interface ChildClass {
  kind: ChildKind;
  unexpected?: UnexpectedChild;
}

/**
 * An index child: an attestation by its annotation or by the OCI artifact form's artifactType (on the
 * descriptor, or in the child's own body when it was fetched); an image when it is an image manifest for a
 * real platform; unknown otherwise (nested indexes, schema1, other types, unknown/unknown without the
 * annotation, a fetched body that is not an image manifest).
 */
export function classifyChild(descriptor: Descriptor, body?: unknown): ChildClass {
  if (INDEX_TYPES.includes(descriptor.mediaType)) return { kind: 'unknown', unexpected: 'nested-index' };
  if (KIND_BY_TYPE[descriptor.mediaType] === 'schema1') return { kind: 'unknown', unexpected: 'schema1' };
  if (!IMAGE_MANIFEST_TYPES.includes(descriptor.mediaType)) {
    return { kind: 'unknown', unexpected: 'unknown-media-type' };
  }
  // A fetched body (null when it is not JSON) that is no image manifest tells nothing: never an image.
  if (body !== undefined && !(isObject(body) && isObject(body.config) && Array.isArray(body.layers))) {
    return { kind: 'unknown', unexpected: 'malformed' };
  }
  if (isAttestation(descriptor, body)) return { kind: 'attestation' };
  if (formatPlatform(descriptor.platform) === 'unknown/unknown') {
    return { kind: 'unknown', unexpected: 'unknown-platform' };
  }
  return { kind: 'image' };
}

function isAttestation(descriptor: Descriptor, body: unknown): boolean {
  return (
    descriptor.annotations?.[Annotation.ReferenceType] === Annotation.AttestationManifest ||
    descriptor.artifactType === MediaType.DockerAttestationManifest ||
    (isObject(body) && body.artifactType === MediaType.DockerAttestationManifest)
  );
}

/** The config descriptor of an image manifest body, when it is a valid one. */
export function configDescriptor(body: unknown): Descriptor | undefined {
  return isObject(body) ? readDescriptor(body.config) : undefined;
}

/** The config and layer descriptors of an image manifest body (those that are valid descriptors). */
export function blobDescriptors(body: unknown): Descriptor[] {
  return blobEntries(body)
    .map(readDescriptor)
    .filter((d): d is Descriptor => d !== undefined);
}

/** A short excerpt of each config or layer entry that is not a valid descriptor: reported, never dropped. */
export function invalidBlobEntries(body: unknown): string[] {
  return blobEntries(body)
    .filter((entry) => readDescriptor(entry) === undefined)
    .map(excerpt);
}

function blobEntries(body: unknown): unknown[] {
  if (!isObject(body)) return [];
  return [body.config, ...(Array.isArray(body.layers) ? body.layers : [body.layers])];
}

/** At most 200 characters of a JSON value, for a message (it is neutralised where it is printed). */
export function excerpt(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
