// Walks what a registry serves under a reference (top level, children, blobs) into an observation.
import { CheckError } from '../errors';
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
  Descriptor,
  excerpt,
  invalidBlobEntries,
  configDescriptor,
  contentTypeMismatch,
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

/**
 * The most children one index may list. buildx writes two per platform; a thousand is far beyond any real
 * image, and keeps a hostile 4 MiB index from costing tens of thousands of requests and megabytes of report.
 */
export const MAX_INDEX_CHILDREN = 1000;

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
  const mismatch = contentTypeMismatch(fetched.mediaType, body);
  const top: TopObservation = {
    mediaType: servedMediaType(fetched.mediaType, body),
    kind,
    digest: fetched.digest,
    ...(fetched.headerDigest ? { headerDigest: fetched.headerDigest } : {}),
    ...(mismatch ? { mismatch } : {}),
    missingBlobs: [],
    invalidBlobs: [],
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

  // An index may repeat a child: each distinct digest is requested once.
  const once = <T>(cache: Map<string, Promise<T>>, digest: string, request: () => Promise<T>) => {
    if (!cache.has(digest)) cache.set(digest, limit(request));
    return cache.get(digest)!;
  };
  const gets = new Map<string, Promise<FetchedManifest | undefined>>();
  const heads = new Map<string, Promise<HeadResult | undefined>>();
  const observeChild = async (descriptor: Descriptor): Promise<ChildObservation> => {
    const empty = { missingBlobs: [], invalidBlobs: [] };
    if (expectation.verifyBlobs && IMAGE_MANIFEST_TYPES.includes(descriptor.mediaType)) {
      const child = await once(gets, descriptor.digest, () => reader.getManifest(target, descriptor.digest));
      if (!child) return { descriptor, class: classifyChild(descriptor), present: false, ...empty };
      // Bytes that are not the child the index names say nothing about its kind or its blobs.
      const trusted = child.digest === descriptor.digest;
      // null, not undefined, for bytes that are not JSON: the body was looked at and is no manifest.
      const childBody = trusted ? (parseJson(child.bytes.toString('utf8')) ?? null) : undefined;
      const childMismatch = trusted
        ? (contentTypeMismatch(child.mediaType, childBody) ??
          contentTypeMismatch(descriptor.mediaType, childBody))
        : undefined;
      const childClass = classifyChild(descriptor, childBody);
      return {
        descriptor,
        class: childClass,
        present: true,
        served: {
          digest: child.digest,
          size: child.bytes.length,
          mediaType: servedMediaType(child.mediaType, childBody),
        },
        ...(childMismatch ? { mismatch: childMismatch } : {}),
        missingBlobs: trusted ? await missingBlobs(childBody) : [],
        invalidBlobs: childClass.unexpected === 'malformed' ? [] : invalidBlobEntries(childBody),
      };
    }
    const head = await once(heads, descriptor.digest, () => reader.headManifest(target, descriptor.digest));
    return {
      descriptor,
      class: classifyChild(descriptor),
      present: head !== undefined,
      ...(head ? { served: head } : {}),
      ...empty,
    };
  };

  if (isIndexKind(kind)) {
    const entries = (body as { manifests: unknown[] }).manifests;
    if (entries.length > MAX_INDEX_CHILDREN) {
      throw new CheckError(
        `${ref.raw} is an index of ${entries.length} children, more than the ${MAX_INDEX_CHILDREN} buildx-guard checks: no real image has that many, so it was not checked.`,
      );
    }
    top.children = await Promise.all(
      entries.map((entry) => {
        const descriptor = readDescriptor(entry);
        return descriptor ? observeChild(descriptor) : invalidChild(entry);
      }),
    );
  } else if (kind === 'docker-manifest' || kind === 'oci-manifest') {
    const [missing, platform] = await Promise.all([
      expectation.verifyBlobs ? missingBlobs(body) : [],
      expectation.platforms.length > 0 && expectation.shape !== 'index'
        ? configPlatform(reader, target, body, limit)
        : undefined,
    ]);
    top.missingBlobs = missing;
    if (expectation.verifyBlobs) top.invalidBlobs = invalidBlobEntries(body);
    if (platform) top.platform = platform;
  }
  return observation;
}

function invalidChild(entry: unknown): Promise<ChildObservation> {
  return Promise.resolve({
    raw: excerpt(entry),
    class: { kind: 'unknown' },
    present: false,
    missingBlobs: [],
    invalidBlobs: [],
  });
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

/**
 * The platform an image manifest's config declares (os/architecture/variant), or why it cannot be told: a
 * platform was asked for, so a config that is missing, corrupt or silent is never a pass.
 */
async function configPlatform(
  reader: RegistryReader,
  target: AuthTarget,
  body: unknown,
  limit: Limiter,
): Promise<TopObservation['platform']> {
  const config = configDescriptor(body);
  if (!config) return { unknown: 'its config is not a valid descriptor' };
  const bytes = await limit(() => reader.getBlob(target, config.digest));
  if (!bytes) return { unknown: `its config blob ${config.digest} is missing`, missingBlob: config.digest };
  if (digestOf(bytes, config.digest) !== config.digest) {
    return { unknown: `the registry served other bytes for its config blob ${config.digest}` };
  }
  const platform = formatPlatform(readPlatform(parseJson(bytes.toString('utf8'))));
  return platform || { unknown: `its config ${config.digest} declares no os and architecture` };
}
