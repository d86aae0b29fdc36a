// Walks what a registry serves under a reference (top level, children, blobs) into an observation.
import { AuthTarget } from '../registry/auth';
import { digestOf, FetchedManifest, HeadResult } from '../registry/client';
import { parseJson } from '../registry/json';
import { IMAGE_MANIFEST_TYPES } from '../registry/mediatype';
import { manifestReference, Reference } from '../registry/reference';
import { Log } from '../output/log';
import { ChildObservation, ImageObservation, TopObservation } from './check';
import {
  blobDescriptors,
  classifyChild,
  classifyManifest,
  configDescriptor,
  isIndexKind,
  readDescriptor,
  servedMediaType,
} from './classify';
import { Limiter } from './limit';
import { formatPlatform, readPlatform } from './platform';
import { Expectation } from './report';

/** The registry operations verification needs; RegistryClient provides them. */
export interface RegistryReader {
  getManifest(target: AuthTarget, reference: string): Promise<FetchedManifest | undefined>;
  headManifest(target: AuthTarget, digest: string): Promise<HeadResult | undefined>;
  headBlob(target: AuthTarget, digest: string): Promise<HeadResult | undefined>;
  getBlob(target: AuthTarget, digest: string): Promise<Buffer | undefined>;
}

export interface WalkOptions {
  /** Every request goes through it, so children and blobs overlap up to its bound. */
  limit: Limiter;
  log: Log;
  /** Extra attempts when the reference is not found (yet), and the wait before each. */
  notFoundRetries: number;
  notFoundDelayMs: (attempt: number) => number;
}

export async function observe(
  reader: RegistryReader,
  ref: Reference,
  expectation: Expectation,
  options: WalkOptions,
): Promise<ImageObservation> {
  const target: AuthTarget = { registry: ref.registry, domain: ref.domain, repository: ref.repository };
  const { limit } = options;
  const fetched = await fetchTop(reader, target, ref, options);
  const observation: ImageObservation = {
    ref: ref.raw,
    ...(ref.digest ? { requestedDigest: ref.digest } : {}),
  };
  if (!fetched) return observation;

  const body = parseJson(fetched.bytes.toString('utf8'));
  const kind = classifyManifest(fetched.mediaType, body);
  const top: TopObservation = {
    mediaType: servedMediaType(fetched.mediaType, body),
    kind,
    digest: fetched.digest,
    ...(fetched.headerDigest ? { headerDigest: fetched.headerDigest } : {}),
    missingBlobs: [],
    children: [],
  };
  observation.top = top;
  // Bytes that are not what was asked for tell nothing about the image: stop here.
  if (ref.digest && fetched.digest !== ref.digest) return observation;

  const blobPresent = new Map<string, Promise<boolean>>();
  const missingBlobs = async (manifestBody: unknown): Promise<string[]> => {
    const digests = [...new Set(blobDescriptors(manifestBody).map((d) => d.digest))];
    const present = await Promise.all(
      digests.map((digest) => {
        let known = blobPresent.get(digest);
        if (!known) {
          known = limit(() => reader.headBlob(target, digest)).then((head) => head !== undefined);
          blobPresent.set(digest, known);
        }
        return known;
      }),
    );
    return digests.filter((_, i) => !present[i]);
  };

  const observeChild = async (entry: unknown): Promise<ChildObservation> => {
    const descriptor = readDescriptor(entry);
    if (!descriptor) {
      return {
        raw: JSON.stringify(entry)?.slice(0, 200),
        class: { kind: 'unknown' },
        present: false,
        missingBlobs: [],
      };
    }
    if (expectation.verifyBlobs && IMAGE_MANIFEST_TYPES.includes(descriptor.mediaType)) {
      const child = await limit(() => reader.getManifest(target, descriptor.digest));
      if (!child) return { descriptor, class: classifyChild(descriptor), present: false, missingBlobs: [] };
      // Bytes that are not the child the index names say nothing about its kind or its blobs.
      const trusted = child.digest === descriptor.digest;
      const childBody = trusted ? parseJson(child.bytes.toString('utf8')) : undefined;
      return {
        descriptor,
        class: classifyChild(descriptor, childBody),
        present: true,
        served: {
          digest: child.digest,
          size: child.bytes.length,
          mediaType: servedMediaType(child.mediaType, childBody),
        },
        missingBlobs: trusted ? await missingBlobs(childBody) : [],
      };
    }
    const head = await limit(() => reader.headManifest(target, descriptor.digest));
    return {
      descriptor,
      class: classifyChild(descriptor),
      present: head !== undefined,
      ...(head ? { served: head } : {}),
      missingBlobs: [],
    };
  };

  if (isIndexKind(kind)) {
    top.children = await Promise.all(((body as { manifests: unknown[] }).manifests ?? []).map(observeChild));
  } else if (kind === 'docker-manifest' || kind === 'oci-manifest') {
    const [missing, platform] = await Promise.all([
      expectation.verifyBlobs ? missingBlobs(body) : [],
      expectation.platforms.length > 0 && expectation.shape !== 'index'
        ? configPlatform(reader, target, body, limit)
        : undefined,
    ]);
    top.missingBlobs = missing;
    if (platform) top.platform = platform;
  }
  return observation;
}

async function fetchTop(reader: RegistryReader, target: AuthTarget, ref: Reference, options: WalkOptions) {
  const reference = manifestReference(ref);
  for (let attempt = 1; ; attempt++) {
    const fetched = await options.limit(() => reader.getManifest(target, reference));
    if (fetched || attempt > options.notFoundRetries) return fetched;
    const delay = options.notFoundDelayMs(attempt);
    options.log.info(
      `${ref.raw} is not in the registry yet; asking again in ${delay} ms (${attempt}/${options.notFoundRetries}).`,
    );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The platform an image manifest's config declares (os/architecture/variant), if its bytes are the config's. */
async function configPlatform(reader: RegistryReader, target: AuthTarget, body: unknown, limit: Limiter) {
  const config = configDescriptor(body);
  if (!config) return undefined;
  const bytes = await limit(() => reader.getBlob(target, config.digest));
  if (!bytes || digestOf(bytes, config.digest) !== config.digest) return undefined;
  return formatPlatform(readPlatform(parseJson(bytes.toString('utf8')))) || undefined;
}
