// What strip-attestations may do with an index: a pure decision over the bytes the registry served.
import { isObject, parseJson } from '../../core/registry/json';
import { Annotation, IMAGE_MANIFEST_TYPES, INDEX_TYPES } from '../../core/registry/mediatype';
import { classifyChild, Descriptor, readDescriptor } from '../../core/verification/classify';
import { formatPlatform } from '../../core/verification/platform';

export type StripPlan =
  | { kind: 'strip'; image: Descriptor; attestations: Descriptor[] }
  | { kind: 'image' }
  | { kind: 'refuse'; reason: string };

/**
 * A tag can be re-pointed only when its index holds exactly one image and attestations of that image, and
 * nothing else that re-pointing would drop (index annotations, a subject, other children).
 */
export function planStrip(mediaType: string, bytes: Buffer): StripPlan {
  const body = parseJson(bytes.toString('utf8'));
  const type = isObject(body) && typeof body.mediaType === 'string' ? body.mediaType : mediaType;
  if (IMAGE_MANIFEST_TYPES.includes(type)) return { kind: 'image' };
  if (!INDEX_TYPES.includes(type) || !isObject(body) || !Array.isArray(body.manifests)) {
    return refuse(`it is ${type || 'of no media type'}, not an image index`);
  }
  if (body.subject !== undefined) return refuse('the index has a subject, which its image would not keep');
  if (isObject(body.annotations) && Object.keys(body.annotations).length > 0) {
    return refuse('the index has annotations, which its image would not keep');
  }
  const children = body.manifests.map(readDescriptor);
  if (children.some((child) => child === undefined))
    return refuse('an entry of the index is not a valid descriptor');
  const descriptors = children as Descriptor[];
  const images = descriptors.filter((child) => classifyChild(child).kind === 'image');
  const attestations = descriptors.filter((child) => classifyChild(child).kind === 'attestation');
  if (images.length > 1) {
    const platforms = images.map((image) => formatPlatform(image.platform) || 'no platform').join(', ');
    return refuse(`it is a multi-platform index (${platforms}): re-pointing the tag would drop platforms`);
  }
  if (images.length === 0) return refuse('the index holds no image');
  if (images.length + attestations.length !== descriptors.length) {
    return refuse('the index holds children that are neither its image nor attestations of it');
  }
  const [image] = images;
  const foreign = attestations.find(
    (attestation) => attestation.annotations?.[Annotation.ReferenceDigest] !== image.digest,
  );
  if (foreign)
    return refuse(`attestation ${foreign.digest} does not name the image ${image.digest} as its subject`);
  if (attestations.length === 0) return refuse('the index holds no attestation: nothing to strip');
  return { kind: 'strip', image, attestations };
}

function refuse(reason: string): StripPlan {
  return { kind: 'refuse', reason };
}
